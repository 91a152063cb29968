"""The `ingest` subcommand: propose candidate facts from a news story, for a curator to review."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from diplomacy_kg import graph
from diplomacy_kg.cli.common import EXIT_OK, EXIT_USAGE, CliError
from diplomacy_kg.files import atomic_write_text
from diplomacy_kg.ingest import build_gazetteer, propose
from diplomacy_kg.ingest import review as reviewing
from diplomacy_kg.ingest.candidates import to_json, to_table
from diplomacy_kg.ingest.proposed import proposed_turtle


def register(subcommands: Any) -> None:
    """Add the ingest subcommand to the parser."""
    ingest = subcommands.add_parser(
        "ingest", help="propose candidate facts from a news story (plain text), with evidence spans"
    )
    ingest.add_argument("story", metavar="STORY", help="a plain-text story, or - for stdin")
    ingest.add_argument("--date", required=True, help="the story's date, YYYY-MM-DD")
    ingest.add_argument("--url", default=None)
    ingest.add_argument("--publisher", default=None)
    ingest.add_argument("--title", default=None)
    ingest.add_argument("--format", choices=("table", "json", "turtle"), default="table")
    ingest.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="REVIEW_FILE",
        help="also write the candidates as JSON to this review file (an existing one keeps its "
        "decisions, and rejected candidates are not proposed again)",
    )
    ingest.set_defaults(handler=run_ingest)


def _read(story: str) -> str:
    if story == "-":
        return sys.stdin.read()
    try:
        return Path(story).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{story}: cannot read: {error}", EXIT_USAGE) from error


def run_ingest(arguments: argparse.Namespace) -> int:
    """Read a story, propose candidates, print them (and write them to the review file)."""
    try:
        story_date = date.fromisoformat(arguments.date)
    except ValueError as error:
        raise CliError(f"--date {arguments.date!r}: not YYYY-MM-DD", EXIT_USAGE) from error
    text = _read(arguments.story)
    knowledge = graph.load_graph()
    candidates = propose(text, story_date, build_gazetteer(knowledge))
    source = {
        "file": arguments.story,
        "date": story_date.isoformat(),
        "url": arguments.url,
        "publisher": arguments.publisher,
        "title": arguments.title,
        "text": text,
    }
    held_back = 0
    if arguments.output is not None:
        existing = reviewing.load(arguments.output) if arguments.output.exists() else None
        merged, held_back = reviewing.merge(existing, arguments.output, source, candidates)
        atomic_write_text(arguments.output, merged.dump())
        candidates = [c for c in merged.candidates if c.status != "rejected"]
    if arguments.format == "json":
        sys.stdout.write(to_json(source, candidates))
    elif arguments.format == "turtle":
        sys.stdout.write(proposed_turtle(source, candidates, knowledge).decode("utf-8"))
    else:
        sys.stdout.write(to_table(candidates) or "no candidates\n")
    if held_back:
        print(f"{held_back} candidate(s) rejected earlier were not proposed again", file=sys.stderr)
    return EXIT_OK
