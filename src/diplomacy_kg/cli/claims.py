"""Subcommands for claims: check them against the graph (table, JSON, ClaimReview), add one."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from diplomacy_kg import claims, graph, queries
from diplomacy_kg.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError
from diplomacy_kg.cli.options import add_engine_arguments, engine_from_arguments
from diplomacy_kg.files import atomic_write_bytes

FORMATS = ("table", "json", "jsonld")


def register(subcommands: Any) -> None:
    """Add the claims subcommand group (check, add) to the parser."""
    group = subcommands.add_parser(
        "claims",
        help="check the graph's claims against its data, or add a claim",
        description="Claims are dip:Claim nodes with checks: a stored query, its parameters and "
        "what its answer must be.",
    )
    actions = group.add_subparsers(dest="claims_command", metavar="ACTION", required=True)

    check = actions.add_parser(
        "check",
        help="check each claim as of its date (or --as-of) and give a verdict",
        description="Verdicts: supported, asserted (only the claim's own source says so), "
        "contradicted, undetermined. Exit 0 when every claim is supported or "
        "asserted, 1 when any is contradicted or undetermined, 2 on bad input.",
    )
    check.add_argument(
        "--source",
        metavar="S",
        help="only the claims from this source (IRI, id:source/…, slug, title or URL)",
    )
    check.add_argument("--claim", metavar="C", help="only this claim (IRI or slug)")
    check.add_argument(
        "--as-of",
        metavar="DATE",
        help="check every claim as of this date (YYYY, YYYY-MM or YYYY-MM-DD) instead of its own",
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (default), json, or jsonld (schema.org ClaimReview)",
    )
    check.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE (atomically) instead of stdout",
    )
    check.add_argument(
        "--published", metavar="DATE", help="the reviews' datePublished in JSON-LD (default: today)"
    )
    check.add_argument(
        "--data",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="an extra Turtle file to load with the graph (repeatable)",
    )
    add_engine_arguments(check)
    check.set_defaults(handler=run_check)

    add = actions.add_parser(
        "add",
        help="register a claim and one check, validated by the shapes, in data/claims.ttl",
        description="Example: claims add --text 'Cuba and South Korea established relations in "
        "1990.' --claimant 'id:organization/seed-story-newsroom' --source "
        "https://example.org/article --date 2024-03-01 --query relation-history "
        "--param state=CUB --param other=KOR --where 'kind=diplomatic relation' "
        "--expect includes --column when --value 1990",
    )
    add.add_argument("--text", help="the claim's words, as the source gives them")
    add.add_argument(
        "--candidate",
        metavar="REVIEW_FILE#ID",
        help="take the text, date, source, evidence and subject from a `claim` candidate of "
        "`diplomacy-kg ingest` (options given here win)",
    )
    add.add_argument(
        "--claimant",
        required=True,
        help="who made the claim: a person or organisation in the graph (name, CURIE or IRI)",
    )
    add.add_argument(
        "--source",
        help="where it was made: a source in the graph (IRI, title) or a new URL or title",
    )
    add.add_argument("--date", help="when it was made: YYYY, YYYY-MM or YYYY-MM-DD")
    add.add_argument(
        "--about",
        action="append",
        default=[],
        metavar="ENTITY",
        help="what the claim is about (repeatable)",
    )
    add.add_argument("--query", required=True, help="the stored query the check runs")
    add.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a query parameter (repeatable); VALUE $claim-date takes the claim's date",
    )
    add.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="compare only the rows whose COLUMN holds VALUE (repeatable)",
    )
    add.add_argument(
        "--expect",
        required=True,
        choices=list(claims.EXPECTATIONS),
        help="how the answer is compared",
    )
    add.add_argument("--column", help="the column compared (equals, includes, excludes)")
    add.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="VALUE",
        help="an expected value (repeatable); for count-equals, the count",
    )
    add.add_argument("--slug", help="the claim's IRI slug (default: from its text)")
    add.add_argument("--label", help="the claim's label (default: 'Claim: ' and its text)")
    add.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="FILE",
        help="the Turtle file to append to (default: data/claims.ttl)",
    )
    add.set_defaults(handler=run_add)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return queries.parse_date(text.strip()).value
    except queries.ParameterError as error:
        raise CliError(f"{option}: {error}", EXIT_USAGE) from error


def run_check(arguments: argparse.Namespace) -> int:
    """Check the claims and print or write the report; exit 1 unless all are supported."""
    as_of = _date(arguments.as_of, "--as-of")
    published = _date(arguments.published, "--published")
    extra: list[Path] = arguments.data
    for path in extra:
        if not path.is_file():
            raise CliError(f"--data {path}: no such file", EXIT_USAGE)
    files = [*graph.default_files(), *extra] if extra else None
    with engine_from_arguments(arguments, files) as engine:
        run = claims.check_claims(
            engine, as_of=as_of, source=arguments.source, claim=arguments.claim
        )
    if arguments.format == "json":
        output = claims.dump_plain_json(run)
    elif arguments.format == "jsonld":
        output = claims.dump_jsonld(run.reviews, published)
    else:
        output = claims.format_table(run).encode("utf-8")
    if arguments.output is not None:
        atomic_write_bytes(arguments.output, output)
        print(f"wrote {arguments.output} ({len(run.reviews)} claims)", file=sys.stderr)
    else:
        sys.stdout.write(output.decode("utf-8"))
    return EXIT_OK if run.passed else EXIT_FAILED


def _from_candidate(arguments: argparse.Namespace) -> dict[str, Any]:
    # Lazy import: the ingest package is only needed when a candidate is given.
    from diplomacy_kg.ingest.review import candidate_claim

    filled: dict[str, Any] = {"about": list(arguments.about), "evidence_quote": None}
    if arguments.candidate:
        filled.update(candidate_claim(arguments.candidate))
        filled["about"] = list(arguments.about) or filled["about"]
    for name in ("text", "source", "date"):
        given = getattr(arguments, name)
        if given is not None:
            filled[name] = given
        elif name not in filled:
            raise CliError(f"claims add: give --{name} (or --candidate)", EXIT_USAGE)
    return filled


def run_add(arguments: argparse.Namespace) -> int:
    """Validate a new claim with its check and append it to the claims file."""
    filled = _from_candidate(arguments)
    new = claims.NewClaim(
        text=filled["text"],
        claimant=arguments.claimant,
        source=filled["source"],
        date=filled["date"],
        query=arguments.query,
        expectation=arguments.expect,
        params=arguments.param,
        conditions=arguments.where,
        column=arguments.column,
        expected=arguments.value,
        about=filled["about"],
        slug=arguments.slug,
        label=arguments.label,
        evidence_quote=filled["evidence_quote"],
    )
    added = claims.add_claim(new, data_file=arguments.data)
    print(f"added <{added.iri}> ({len(added.graph)} triples) to {added.path}")
    return EXIT_OK
