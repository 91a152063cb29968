"""Subcommands of the core: build, validate, stats, tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from diplomacy_kg import graph, paths, summary, tables, validation
from diplomacy_kg.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError
from diplomacy_kg.export import serialize_turtle
from diplomacy_kg.files import atomic_write_bytes

BUILT_GRAPH_NAME = "diplomacy-kg.ttl"


def register(subcommands: Any) -> None:
    """Add the core subcommands to the parser."""
    build = subcommands.add_parser(
        "build", help="build the graph, validate it, print a summary and write it to build/"
    )
    build.add_argument(
        "--output-dir", type=Path, default=None, help="where to write the graph (default: ./build)"
    )
    build.set_defaults(handler=run_build)

    validate = subcommands.add_parser(
        "validate", help="validate the graph (or the given Turtle files) against the shapes"
    )
    validate.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="Turtle files to validate with the ontology (default: all data)",
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--shapes",
        type=Path,
        action="append",
        metavar="FILE",
        help="validate against these SHACL files instead of the project's shapes (repeatable)",
    )
    validate.set_defaults(handler=run_validate)

    stats = subcommands.add_parser(
        "stats", help="counts per class, sources, and entities without a Wikidata link"
    )
    stats.add_argument("--format", choices=("text", "json"), default="text")
    stats.set_defaults(handler=run_stats)

    convert = subcommands.add_parser(
        "tables", help="regenerate data/*.ttl from the tabular sources in data/tables/"
    )
    convert.add_argument(
        "--check",
        action="store_true",
        help="only check that the committed Turtle matches its tables",
    )
    convert.set_defaults(handler=run_tables)


def _load(files: list[Path] | None = None) -> Any:
    return graph.load_graph(files)


def run_build(arguments: argparse.Namespace) -> int:
    """Build, validate and summarise the graph, then write it."""
    files = graph.default_files()
    knowledge = _load(files)
    report = validation.validate(knowledge, files=files)
    print(summary.format_text(summary.summarize(knowledge)))
    print(validation.format_text(report))
    output_dir = arguments.output_dir or paths.build_dir()
    target = output_dir / BUILT_GRAPH_NAME
    atomic_write_bytes(target, serialize_turtle(knowledge))
    shown = target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target
    print(f"wrote {shown}")
    return EXIT_OK if report.conforms else EXIT_FAILED


def run_validate(arguments: argparse.Namespace) -> int:
    """Validate the graph or the given files and print the report."""
    given: list[Path] = arguments.files
    for path in given:
        if not path.is_file():
            raise CliError(f"{path}: no such file", EXIT_USAGE)
    for path in arguments.shapes or []:
        if not path.is_file():
            raise CliError(f"{path}: no such file", EXIT_USAGE)
    files = [paths.ONTOLOGY_FILE, *given] if given else graph.default_files()
    try:
        shapes = graph.parse_turtle_files(arguments.shapes) if arguments.shapes else None
    except graph.RdfParseError:
        graph.load_graph(files)  # a bad data file is reported first, as it always was
        raise
    report = validation.validate(shapes=shapes, files=files)  # loads the files into Oxigraph
    formatter = validation.format_json if arguments.format == "json" else validation.format_text
    sys.stdout.write(formatter(report))
    return EXIT_OK if report.conforms else EXIT_FAILED


def run_stats(arguments: argparse.Namespace) -> int:
    """Print the graph's summary."""
    result = summary.summarize(_load())
    formatter = summary.format_json if arguments.format == "json" else summary.format_text
    sys.stdout.write(formatter(result))
    return EXIT_OK


def run_tables(arguments: argparse.Namespace) -> int:
    """Regenerate (or check) the Turtle made from the tables."""
    if arguments.check:
        stale = tables.drift()
        for name in stale:
            print(
                f"{paths.DATA_DIR / name}: out of date with data/tables/; "
                "run `diplomacy-kg tables`",
                file=sys.stderr,
            )
        return EXIT_FAILED if stale else EXIT_OK
    conversion = tables.write()
    for note in conversion.skipped:
        print(note, file=sys.stderr)
    for name, written in conversion.graphs.items():
        print(f"wrote {paths.DATA_DIR / name} ({len(written)} triples)")
    return EXIT_OK
