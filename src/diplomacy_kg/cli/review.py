"""The `review` subcommand: the curator's loop over a review file (list, accept, reject, edit)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from diplomacy_kg import graph
from diplomacy_kg.cli.common import EXIT_OK, CliError
from diplomacy_kg.ingest import accept as accepting
from diplomacy_kg.ingest import build_gazetteer
from diplomacy_kg.ingest import review as reviewing
from diplomacy_kg.ingest.candidates import to_table
from diplomacy_kg.namespaces import curie


def register(subcommands: Any) -> None:
    """Add the review subcommand and its actions to the parser."""
    review = subcommands.add_parser(
        "review",
        help="list a review file's candidates, or accept, reject or edit them",
        description="Without an action, list the candidates with their evidence. `accept` writes "
        "every accepted candidate to data/news/<source-slug>.ttl after validating the graph.",
    )
    review.add_argument("review_file", type=Path, metavar="REVIEW_FILE")
    actions = review.add_subparsers(dest="action", metavar="ACTION")
    accept = actions.add_parser("accept", help="accept candidates and write them as Turtle")
    accept.add_argument("ids", nargs="+", metavar="ID")
    reject = actions.add_parser("reject", help="reject candidates, with a reason")
    reject.add_argument("ids", nargs="+", metavar="ID")
    reject.add_argument("--reason", required=True)
    edit = actions.add_parser("edit", help="fix a candidate's date, resolution, kind or office")
    edit.add_argument("id", metavar="ID")
    for field in reviewing.EDITABLE:
        edit.add_argument(f"--{field}", default=None)
    edit.add_argument("--note", default=None, help="why (kept in the fact's editorial note)")
    review.set_defaults(handler=run_review)


def run_review(arguments: argparse.Namespace) -> int:
    """List, accept, reject or edit; each change is saved to the review file atomically."""
    review = reviewing.load(arguments.review_file)
    if arguments.action is None:
        listed = list(review.candidates)
        sys.stdout.write(to_table(listed) or "no candidates\n")
        counts = {s: sum(c.status == s for c in review.candidates) for s in reviewing.STATUSES}
        print(", ".join(f"{n} {s}" for s, n in counts.items()))
        return EXIT_OK
    if arguments.action == "reject":
        chosen = reviewing.decide(review, arguments.ids, "rejected", arguments.reason)
        review.save()
        print(f"rejected {', '.join(c.id for c in chosen)} in {review.path}")
        return EXIT_OK
    if arguments.action == "edit":
        changes = {f: getattr(arguments, f) for f in reviewing.EDITABLE if getattr(arguments, f)}
        if not changes:
            raise CliError("edit: give at least one of --" + ", --".join(reviewing.EDITABLE))
        gazetteer = build_gazetteer(graph.load_graph())
        candidate = reviewing.edit(review, arguments.id, changes, arguments.note, gazetteer)
        review.save()
        print(f"edited {candidate.id}: " + ", ".join(f"{k}={v}" for k, v in changes.items()))
        return EXIT_OK
    chosen = reviewing.decide(review, arguments.ids, "accepted")
    written = accepting.accept(review)
    review.save()
    cwd = Path.cwd()
    shown = written.path.relative_to(cwd) if written.path.is_relative_to(cwd) else written.path
    print(
        f"accepted {', '.join(c.id for c in chosen)}; wrote {shown} ({written.triples} "
        f"triples: {len(written.new)} new facts, {len(written.merged)} merged as a further source)"
    )
    for change in written.periods:
        if change.relation is not None:
            print(f"  {change.action} {curie(change.relation)}")
        else:
            print(f"  no relation period changed: {change.reason}")
    return EXIT_OK
