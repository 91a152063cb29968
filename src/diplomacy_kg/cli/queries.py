"""Subcommands of the stored query catalogue: queries, query, coverage."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import datetime
from typing import Any

from rdflib import URIRef

from diplomacy_kg import coverage, queries
from diplomacy_kg.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError
from diplomacy_kg.cli.options import add_engine_arguments, engine_from_arguments
from diplomacy_kg.namespaces import curie

FORMATS = ("table", "csv", "tsv", "json")
_CELL_WIDTH = 60


def register(subcommands: Any) -> None:
    """Add the catalogue subcommands to the parser."""
    listing = subcommands.add_parser(
        "queries", help="list the stored queries: name, summary, parameters"
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=run_queries)

    query = subcommands.add_parser(
        "query", help="run a stored query, e.g. query partners-on-date -p state=KOR -p date=2024"
    )
    query.add_argument("name", metavar="NAME", help="the stored query (see `diplomacy-kg queries`)")
    query.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter value; repeat for each parameter",
    )
    query.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (default, readable), csv, tsv or json",
    )
    query.add_argument(
        "--explain",
        action="store_true",
        help="print the query as it will run, with its parameters bound",
    )
    query.add_argument(
        "--require-complete",
        action="store_true",
        help="exit 1 when the answer is not complete (no coverage statement vouches for it)",
    )
    add_engine_arguments(query)
    query.set_defaults(handler=run_query)

    covered = subcommands.add_parser(
        "coverage",
        help="list the coverage statements: which states' relations are complete on which days",
    )
    covered.add_argument("state", metavar="STATE", nargs="?", help="only this state's")
    covered.add_argument("--format", choices=("table", "json"), default="table")
    add_engine_arguments(covered)
    covered.set_defaults(handler=run_coverage)


def run_queries(arguments: argparse.Namespace) -> int:
    """List the catalogue."""
    catalogue = _catalogue()
    if arguments.format == "json":
        listed = [
            {
                "name": q.name,
                "summary": q.summary,
                "columns": list(q.columns),
                "params": [
                    {"name": p.name, "type": p.type, "example": p.example} for p in q.params
                ],
            }
            for q in catalogue.values()
        ]
        sys.stdout.write(json.dumps(listed, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    for stored in catalogue.values():
        params = " ".join(f"{p.name}={p.example}" for p in stored.params)
        print(f"{stored.name}  {params}".rstrip())
        print(f"    {stored.summary}")
    return EXIT_OK


def _catalogue() -> dict[str, queries.StoredQuery]:
    return queries.catalogue()


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--param {pair!r}: expected KEY=VALUE", EXIT_USAGE)
        if key.strip() in params:
            raise CliError(f"--param {key.strip()!r} is given twice", EXIT_USAGE)
        params[key.strip()] = value
    return params


def run_query(arguments: argparse.Namespace) -> int:
    """Run one stored query and print its rows."""
    params = _parse_params(arguments.param)
    stored = queries.get_query(arguments.name, _catalogue())
    for key in params:
        stored.parameter(key)  # fail on an unknown name before loading the graph
    with engine_from_arguments(arguments) as engine:
        if arguments.explain:
            bindings = queries.bind_parameters(stored, params, engine)
            sys.stdout.write(queries.explain(stored, bindings, engine))
            return EXIT_OK
        result = queries.run_stored(stored, engine, params)
    sys.stdout.write(format_result(result, arguments.format))
    if arguments.format in ("csv", "tsv"):
        sys.stderr.write(f"# {result.completeness.line}\n")
    if arguments.require_complete and not result.completeness.complete:
        return EXIT_FAILED
    return EXIT_OK


def run_coverage(arguments: argparse.Namespace) -> int:
    """List what the graph claims to hold completely: state, scope, days, count, sources."""
    with engine_from_arguments(arguments) as engine:
        state = None
        if arguments.state:
            state = queries.resolve_entity(arguments.state, "state", engine)
        found = coverage.statements(engine, state)
    if arguments.format == "json":
        listed = [
            {
                "statement": str(s.iri),
                "state": str(s.state),
                "state_label": s.state_label,
                "partners_member_of": str(s.scope) if s.scope else None,
                "covered_from": s.first.isoformat(),
                "covered_until": s.last.isoformat(),
                "stated_partner_count": s.count,
                "stated_non_partners": [str(n) for n in s.non_partners],
                "sources": [str(source) for source in s.sources],
            }
            for s in found
        ]
        sys.stdout.write(json.dumps(listed, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    columns = ["state", "partners", "days", "count", "non-partners", "sources"]
    cells = [
        [
            s.state_label,
            f"members of {s.scope_label or compact(s.scope)}" if s.scope else "all",
            s.days,
            "" if s.count is None else str(s.count),
            " ".join(compact(n) for n in s.non_partners),
            " ".join(compact(source) for source in s.sources),
        ]
        for s in found
    ]
    sys.stdout.write(_aligned(columns, cells))
    count = len(found)
    print(f"({count} coverage statement{'' if count == 1 else 's'})")
    if not found:
        who = f" for {arguments.state}" if arguments.state else ""
        print(f"no coverage statement{who}: no answer about it claims an absence or a count")
    return EXIT_OK


def _plain(value: queries.Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # a PartialDate prints at its precision: 1949, 2018-11, 2024-02-14


def compact(value: queries.Value) -> str:
    """Show an IRI as a CURIE (`id:` for instances) and other values as plain text."""
    if isinstance(value, URIRef):
        return curie(value)
    return _plain(value)


def format_result(result: queries.QueryResult, form: str) -> str:
    """Render a query result as a table (with its completeness line), CSV, TSV or JSON."""
    if form == "json":
        columns = result.columns
        document = {
            "query": result.query.name,
            "columns": list(columns),
            "rows": _json_rows(columns, result.rows),
            "completeness": result.completeness.as_dict(),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    text = format_rows(result.columns, result.rows, form)
    if form == "table":
        text += result.completeness.line + "\n"
    return text


def _json_rows(columns: list[str], rows: list[dict[str, queries.Value]]) -> list[dict[str, object]]:
    return [{c: queries.json_value(row[c]) for c in columns} for row in rows]


def _aligned(columns: list[str], cells: list[list[str]]) -> str:
    widths = [max([len(c), *(len(line[i]) for line in cells)]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip() for line in cells
    ]
    return "\n".join(lines) + "\n"


def format_rows(columns: list[str], rows: list[dict[str, queries.Value]], form: str) -> str:
    """Render typed rows as a table, CSV, TSV or JSON (stored and ad-hoc queries alike)."""
    if form == "json":
        return json.dumps(_json_rows(columns, rows), indent=2, ensure_ascii=False) + "\n"
    if form in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if form == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_plain(row[c]) for c in columns] for row in rows)
        return buffer.getvalue()
    return format_table(columns, rows)


def format_table(columns: list[str], rows: list[dict[str, queries.Value]]) -> str:
    """Render the rows as an aligned table with compact IRIs and a row count."""
    cells = [[_clip(compact(row[c])) for c in columns] for row in rows]
    count = len(rows)
    return _aligned(columns, cells) + f"({count} row{'' if count == 1 else 's'})\n"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"
