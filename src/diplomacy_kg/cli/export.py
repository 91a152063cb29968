"""Subcommands `export` (one format to stdout or a file) and `release` (a versioned folder)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rdflib import Graph

from diplomacy_kg import export, graph, release
from diplomacy_kg.cli.common import EXIT_OK
from diplomacy_kg.files import atomic_write_bytes

CONTEXT_FORMAT = "context"


def register(subcommands: Any) -> None:
    """Add the `export` and `release` subcommands to the parser."""
    export_parser = subcommands.add_parser(
        "export",
        help="write the graph as Turtle, N-Triples, N-Quads, TriG or JSON-LD (deterministic)",
        description=(
            "Write the graph in one format, byte-identical for the same data. TriG and N-Quads "
            "hold one named graph per source (id/graph/<source slug>). "
            "--format context writes the JSON-LD context (ontology/context.jsonld)."
        ),
    )
    export_parser.add_argument(
        "--format", choices=(*export.FORMATS, CONTEXT_FORMAT), default="turtle"
    )
    export_parser.add_argument(
        "--output", type=Path, default=None, metavar="FILE", help="write here (default: stdout)"
    )
    export_parser.add_argument(
        "--include-enrichment", action="store_true", help="add data/enrichment/*.ttl"
    )
    export_parser.add_argument(
        "--input",
        type=Path,
        action="append",
        default=None,
        metavar="FILE",
        help="export these RDF files (.ttl .nt .nq .trig .jsonld) instead of the project graph",
    )
    export_parser.add_argument(
        "--allow-remote-context",
        action="store_true",
        help="let an --input JSON-LD file fetch a remote @context (refused by default)",
    )
    export_parser.set_defaults(handler=run_export)

    release_parser = subcommands.add_parser(
        "release",
        help="write build/release/<version>/: all formats, ontology, shapes, VoID, checksums, diff",
    )
    release_parser.add_argument(
        "--output-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder holding releases (default: ./build/release)",
    )
    release_parser.add_argument(
        "--previous",
        type=Path,
        default=None,
        metavar="DIR",
        help="the release to diff against (default: the newest older one in the output folder)",
    )
    release_parser.add_argument(
        "--include-enrichment", action="store_true", help="add data/enrichment/*.ttl"
    )
    release_parser.add_argument(
        "--force", action="store_true", help="replace a release folder of the same version"
    )
    release_parser.set_defaults(handler=run_release)


def _load(arguments: argparse.Namespace) -> Graph:
    if arguments.input:
        return export.read_rdf_files(
            arguments.input, allow_remote_context=arguments.allow_remote_context
        )
    return graph.load_graph(include_enrichment=arguments.include_enrichment)


def run_export(arguments: argparse.Namespace) -> int:
    """Serialise the graph in the chosen format to stdout or a file (atomically)."""
    if arguments.format == CONTEXT_FORMAT:
        content = export.context_document()
    else:
        files = arguments.input or graph.default_files(
            include_enrichment=arguments.include_enrichment
        )
        content = export.serialize_files(
            files, arguments.format, allow_remote_context=arguments.allow_remote_context
        )
    if arguments.output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return EXIT_OK
    atomic_write_bytes(arguments.output, content)
    print(f"wrote {arguments.output} ({len(content)} bytes)", file=sys.stderr)
    return EXIT_OK


def run_release(arguments: argparse.Namespace) -> int:
    """Build a versioned release folder and print what it holds and what changed."""
    built = release.build_release(
        release_root=arguments.output_dir,
        previous=arguments.previous,
        force=arguments.force,
        include_enrichment=arguments.include_enrichment,
    )
    against = f"release {built.previous.name}" if built.previous else "no previous release"
    print(f"wrote {built.folder} ({len(built.files)} files)")
    print(
        f"diff against {against}: {len(built.diff.added)} added, "
        f"{len(built.diff.removed)} removed (triples)"
    )
    for key, count in built.diff.per_class.items():
        print(f"  {key}: +{count['added']} -{count['removed']}")
    return EXIT_OK
