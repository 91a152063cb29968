"""Subcommands `wikidata verify`, `wikidata enrich`, `wikidata compare`."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph

from diplomacy_kg import graph, http, paths, wikidata
from diplomacy_kg.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError
from diplomacy_kg.cli.options import seconds
from diplomacy_kg.files import OutputError
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS
from diplomacy_kg.namespaces import ID

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$", re.ASCII)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(text: str) -> float:
    match = _DURATION.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 3600, 30m, 12h or 7d")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _languages(text: str) -> list[str]:
    found = [part.strip().lower() for part in text.split(",") if part.strip()]
    for language in found:
        if not re.match(r"^[a-z]{2,3}(-[a-z0-9]+)*$", language):
            raise argparse.ArgumentTypeError(f"{language!r} is not a language code such as fr")
    return found


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        default=wikidata.DEFAULT_ENDPOINT,
        help=f"Wikibase SPARQL endpoint (default: {wikidata.DEFAULT_ENDPOINT})",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="answer from the cache alone; fail listing what is missing",
    )
    parser.add_argument("--refresh", action="store_true", help="ignore cached answers")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="cache folder (default: ~/.cache/diplomacy-kg/wikidata)",
    )
    parser.add_argument(
        "--ttl",
        type=_duration,
        default=wikidata.DEFAULT_TTL_SECONDS,
        help="how long a cached answer is fresh: seconds or 30m, 12h, 7d (default: 7d)",
    )
    parser.add_argument(
        "--contact", default=wikidata.DEFAULT_CONTACT, help="contact URL sent in the User-Agent"
    )
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        help=f"seconds to wait for each request (default: {DEFAULT_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--budget",
        type=seconds,
        default=wikidata.DEFAULT_RUN_BUDGET_SECONDS,
        metavar="SECONDS",
        help="give up once the whole run has taken this long, retries and waits included "
        f"(default: {wikidata.DEFAULT_RUN_BUDGET_SECONDS:g})",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=wikidata.DEFAULT_BATCH_SIZE,
        help="entities per query (VALUES block)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        default=None,
        metavar="FILE",
        help="curated Turtle file to use instead of data/*.ttl (repeatable)",
    )


def register(subcommands: Any) -> None:
    """Add the `wikidata` subcommand group."""
    group = subcommands.add_parser(
        "wikidata", help="verify Wikidata links, enrich from Wikidata, compare with Wikidata"
    )
    actions = group.add_subparsers(dest="wikidata_command", metavar="ACTION", required=True)

    verify = actions.add_parser(
        "verify", help="check linked entities' labels and types; suggest QIDs for unlinked ones"
    )
    _common(verify)
    verify.add_argument("--format", choices=("table", "json"), default="table")
    verify.add_argument(
        "--no-candidates",
        action="store_true",
        help="do not look for candidate QIDs of unlinked entities",
    )
    verify.set_defaults(handler=run_verify)

    enrich = actions.add_parser(
        "enrich",
        help="fetch labels, codes, capitals, leaders and P530 statements into "
        "data/enrichment/wikidata.ttl",
    )
    _common(enrich)
    enrich.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write (default: data/enrichment/wikidata.ttl)",
    )
    enrich.add_argument(
        "--languages",
        type=_languages,
        default=[],
        help="more label languages, comma-separated (en, ko, es always)",
    )
    enrich.add_argument(
        "--state",
        action="append",
        default=[],
        metavar="ISO3",
        help="only these linked states (repeatable; default: all)",
    )
    enrich.set_defaults(handler=run_enrich)

    compare = actions.add_parser(
        "compare", help="list where Wikidata and the curated data disagree"
    )
    _common(compare)
    compare.add_argument("--format", choices=("table", "json"), default="table")
    compare.add_argument(
        "--focus",
        action="append",
        default=[],
        metavar="ISO3",
        help="compare the relations of these states (default: the state the "
        "curated data covers most)",
    )
    compare.add_argument(
        "--state",
        action="append",
        default=[],
        metavar="ISO3",
        help="only fetch these linked states (default: all, as enrich does)",
    )
    compare.set_defaults(handler=run_compare)


class _Progress:
    def __init__(self, client: wikidata.SparqlClient, quiet: bool) -> None:
        self.client = client
        self.quiet = quiet
        self.started = time.monotonic()

    def __call__(self, kind: str, done: int, total: int) -> None:
        if self.quiet:
            return
        stats = self.client.stats
        print(
            f"wikidata: {kind} {done}/{total} entities · {stats.requests} requests · "
            f"{stats.cache_hits} cache hits · waited {stats.waited_seconds:.1f} s for rate limits",
            file=sys.stderr,
        )

    def notice(self, message: str) -> None:
        if not self.quiet:
            print(f"wikidata: {message}", file=sys.stderr)


def _client(arguments: argparse.Namespace) -> tuple[wikidata.SparqlClient, _Progress]:
    if arguments.batch_size < 1:
        raise CliError("--batch-size must be at least 1", EXIT_USAGE)
    cache = wikidata.ResponseCache(
        arguments.cache_dir or wikidata.default_cache_dir(), ttl_seconds=arguments.ttl
    )
    client = wikidata.SparqlClient(
        endpoint=arguments.endpoint,
        cache=cache,
        offline=arguments.offline,
        refresh=arguments.refresh,
        contact=arguments.contact,
        timeout_seconds=arguments.timeout,
        run_budget_seconds=arguments.budget,
    )
    progress = _Progress(client, arguments.quiet)
    client.notify = progress.notice
    return client, progress


def _graph(arguments: argparse.Namespace) -> Graph:
    files: Sequence[Path] | None = None
    if arguments.data:
        for path in arguments.data:
            if not path.is_file():
                raise CliError(f"{path}: no such file", EXIT_USAGE)
        files = [paths.ONTOLOGY_FILE, *arguments.data]
    return graph.load_graph(files)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _short(iri: str) -> str:
    return iri.replace(str(ID), "")


def run_verify(arguments: argparse.Namespace) -> int:
    """Check every link; list mismatches and candidates for unlinked entities."""
    knowledge = _graph(arguments)
    client, progress = _client(arguments)
    report = wikidata.verify(
        knowledge,
        client,
        batch_size=arguments.batch_size,
        progress=progress,
        candidates=not arguments.no_candidates,
    )
    if arguments.format == "json":
        print(
            json.dumps(
                {
                    "endpoint": http.redact(client.endpoint),
                    "checked": report.checked,
                    "mismatches": [vars(m) for m in report.mismatches],
                    "unlinked": [
                        {
                            **{k: v for k, v in vars(u).items() if k != "candidates"},
                            "candidates": [vars(c) for c in u.candidates],
                        }
                        for u in report.unlinked
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(
            f"checked {report.checked} Wikidata links against {http.redact(client.endpoint)}: "
            f"{len(report.mismatches)} mismatch(es)"
        )
        if report.mismatches:
            print(
                _table(
                    ["entity", "QID", "aspect", "ours", "wikidata", "what to do"],
                    [
                        [_short(m.entity), m.qid, m.aspect, m.ours, m.wikidata, m.hint]
                        for m in report.mismatches
                    ],
                )
            )
        if report.unlinked:
            print(
                f"\n{len(report.unlinked)} unlinked entities (confirm a candidate, then add "
                "owl:sameAs wd:Q… to the curated data):"
            )
            print(
                _table(
                    ["entity", "kind", "label", "candidates"],
                    [
                        [
                            _short(u.entity),
                            u.kind,
                            u.label,
                            "; ".join(
                                f"{c.qid} ({', '.join(c.types)}"
                                + (f"; {c.description}" if c.description else "")
                                + ")"
                                for c in u.candidates
                            )
                            or "(none found)",
                        ]
                        for u in report.unlinked
                    ],
                )
            )
    return EXIT_OK if report.ok else EXIT_FAILED


def run_enrich(arguments: argparse.Namespace) -> int:
    """Write the enrichment graph."""
    knowledge = _graph(arguments)
    client, progress = _client(arguments)
    languages = list(dict.fromkeys([*wikidata.DEFAULT_LANGUAGES, *arguments.languages]))
    output = arguments.output or paths.WIKIDATA_ENRICHMENT_FILE
    try:
        result = wikidata.enrich(
            knowledge,
            client,
            output,
            languages=languages,
            states=arguments.state,
            batch_size=arguments.batch_size,
            progress=progress,
        )
    except (wikidata.WikidataError, wikidata.EnrichmentError, OutputError) as error:
        raise CliError(f"{error} (nothing written to {output})", EXIT_USAGE) from error
    for note in result.notes:
        progress.notice(note)
    print(
        f"wrote {output}: {len(result.graph)} triples, {result.relations} relations, "
        f"{result.claims} claims about curated relations, {result.office_terms} office terms; "
        f"{result.dropped_curated} triples left out because the curated data states them; "
        f"{client.stats.requests} requests, {client.stats.cache_hits} cache hits"
    )
    return EXIT_OK


def run_compare(arguments: argparse.Namespace) -> int:
    """Print where Wikidata and the curated data disagree (exit 1 when they do)."""
    knowledge = _graph(arguments)
    client, progress = _client(arguments)
    found = wikidata.compare_with_wikidata(
        knowledge,
        client,
        focus=arguments.focus,
        states=arguments.state,
        batch_size=arguments.batch_size,
        progress=progress,
    )
    if arguments.format == "json":
        print(json.dumps([d.as_dict() for d in found], ensure_ascii=False, indent=2))
    elif not found:
        print("no disagreements")
    else:
        print(
            _table(
                [
                    "kind",
                    "subject",
                    "curated",
                    "wikidata",
                    "curated IRI",
                    "statements",
                    "what to do",
                ],
                [
                    [
                        d.kind,
                        d.subject,
                        d.curated,
                        d.wikidata,
                        _short(d.curated_iri),
                        d.wikidata_statements,
                        d.action,
                    ]
                    for d in found
                ],
            )
        )
    return EXIT_FAILED if found else EXIT_OK
