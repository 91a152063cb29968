"""Claim reviews in words and data: a readable table, plain JSON, and schema.org ClaimReview.

The review of each claim is a `schema:ClaimReview`, exported as compact JSON-LD with an embedded
context (never fetched): `itemReviewed` the claim, `reviewRating` with the verdict as its
`alternateName`, `reviewBody` the evidence in words, `citation` the sources, `isBasedOn` the
facts the evidence rows name.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from typing import Any

from rdflib import URIRef
from rdflib.namespace import XSD

from diplomacy_kg import queries
from diplomacy_kg.claims.model import (
    FAILS,
    HOLDS,
    PROJECT,
    PROJECT_NAME,
    UNDECIDED,
    VERDICTS,
    CheckRun,
    Review,
    Source,
    counted,
)
from diplomacy_kg.export import dump_json
from diplomacy_kg.namespaces import PREFIXES, SCHEMA, instance_iri, last_segment

_MARKS = {HOLDS: "holds", FAILS: "FAILS", UNDECIDED: "undecided"}


def format_table(run: CheckRun, evidence_width: int = 88) -> str:
    """Return a readable table: claim, as-of date, verdict, evidence per check, sources; notes."""
    headers = ("CLAIM", "AS OF", "VERDICT", "EVIDENCE", "SOURCES")
    lines: list[tuple[str, ...]] = []
    for review in run.reviews:
        evidence: list[str] = []
        for outcome in review.outcomes:
            evidence += textwrap.wrap(
                f"[{_MARKS[outcome.status]}] {outcome.check.label}: {outcome.explanation}",
                evidence_width,
                subsequent_indent="    ",
            )
            for row in outcome.evidence[:3]:
                evidence += textwrap.wrap(
                    f"{outcome.evidence_role}: {row.summary}",
                    evidence_width,
                    initial_indent="    ",
                    subsequent_indent="      ",
                )
            if len(outcome.evidence) > 3:
                evidence.append(f"    … and {len(outcome.evidence) - 3} more rows")
        sources = [last_segment(s) for s in review.sources] or ["-"]
        first = (
            review.claim.slug,
            review.as_of.isoformat() if review.as_of else "-",
            review.verdict,
        )
        for index in range(max(len(evidence), len(sources))):
            head = first if index == 0 else ("", "", "")
            lines.append(
                (
                    *head,
                    evidence[index] if index < len(evidence) else "",
                    sources[index] if index < len(sources) else "",
                )
            )
        lines.append(("",) * 5)
    widths = [max([len(headers[i])] + [len(line[i]) for line in lines]) for i in range(4)]
    out = [
        "  ".join([*(line[i].ljust(widths[i]) for i in range(4)), line[4]]).rstrip()
        for line in [headers, *lines]
    ]
    counts = {v: sum(1 for r in run.reviews if r.verdict == v) for v in VERDICTS}
    out.append(
        ", ".join(f"{n} {v}" for v, n in counts.items())
        + f" ({counted(len(run.reviews), 'claim')} checked)"
    )
    if run.unchecked:
        out.append("not checked (no dip:check): " + ", ".join(c.slug for c in run.unchecked))
    for review in run.reviews:
        if review.notes:
            out.append(f"notes on {review.claim.slug}:")
            for note in review.notes:
                out += textwrap.wrap(note, 110, initial_indent="  - ", subsequent_indent="    ")
    return "\n".join(out).rstrip("\n") + "\n"


def to_json(run: CheckRun) -> dict[str, Any]:
    """Return every review as plain JSON: verdicts, checks, evidence rows and sources."""
    reviews = run.reviews
    claims = []
    for review in reviews:
        claim = review.claim
        claims.append(
            {
                "claim": str(claim.iri),
                "text": claim.text,
                "claimant": str(claim.claimant) if claim.claimant else None,
                "claimant_label": claim.claimant_label,
                "date": claim.date.isoformat() if claim.date else None,
                "claim_sources": [str(s.iri) for s in claim.sources],
                "as_of": review.as_of.isoformat() if review.as_of else None,
                "verdict": review.verdict,
                "notes": review.notes,
                "sources": [
                    {
                        "iri": str(s),
                        "label": review.source_labels[s].label,
                        "url": review.source_labels[s].url,
                    }
                    for s in review.sources
                ],
                "checks": [
                    {
                        "check": str(o.check.iri),
                        "label": o.check.label,
                        "query": o.check.query,
                        "params": o.params,
                        "row_conditions": dict(o.check.conditions),
                        "expectation": o.check.expectation_name,
                        "column": o.check.column,
                        "expected": [str(v) for v in o.check.expected],
                        "result": o.status,
                        "explanation": o.explanation,
                        "answer_rows": o.answer_rows,
                        "compared_rows": o.compared_rows,
                        "evidence_role": o.evidence_role,
                        "evidence": [
                            {
                                "summary": row.summary,
                                "values": {k: queries.json_value(v) for k, v in row.values.items()},
                                "sources": [str(s) for s in row.sources],
                            }
                            for row in o.evidence
                        ],
                        "sources": [str(s) for s in o.sources],
                    }
                    for o in review.outcomes
                ],
            }
        )
    counts = {v: sum(1 for r in reviews if r.verdict == v) for v in VERDICTS}
    return {"claims": claims, "counts": counts, "unchecked": [str(c.iri) for c in run.unchecked]}


REVIEW_CONTEXT: dict[str, Any] = {
    "@vocab": str(SCHEMA),
    "schema": str(SCHEMA),
    "dip": str(PREFIXES["dip"]),
    "xsd": str(XSD),
    "datePublished": {"@id": "schema:datePublished", "@type": "xsd:date"},
    "url": {"@id": "schema:url", "@type": "@id"},
}
"""The embedded context of the ClaimReview export: schema.org as the vocabulary, never fetched."""


def review_iri(review: Review) -> URIRef:
    """Return the IRI of a review: `id/claim-review/<claim slug>-as-of-<date>`."""
    when = review.as_of.isoformat() if review.as_of else "undated"
    return instance_iri("claim-review", f"{review.claim.slug}-as-of-{when}")


def review_body(review: Review) -> str:
    """Return the review's text: the verdict, each check with its evidence, and the notes."""
    when = review.as_of.isoformat() if review.as_of else "no date"
    parts = [f"Verdict as of {when}: {review.verdict}."]
    for outcome in review.outcomes:
        text = f"{outcome.check.label}: {outcome.status}, {outcome.explanation}."
        if outcome.evidence:
            shown = "; ".join(r.summary for r in outcome.evidence[:5])
            more = f" (and {len(outcome.evidence) - 5} more)" if len(outcome.evidence) > 5 else ""
            text += f" {outcome.evidence_role.capitalize()} rows: {shown}{more}."
        parts.append(text)
    parts += review.notes
    return " ".join(parts)


def to_jsonld(reviews: Sequence[Review], published: date | None = None) -> dict[str, Any]:
    """Return the reviews as schema.org ClaimReview JSON-LD with an embedded context."""
    day = (published or date.today()).isoformat()
    nodes = []
    for review in reviews:
        claim = review.claim
        iri = review_iri(review)
        item: dict[str, Any] = {"@id": str(claim.iri), "@type": "Claim", "text": claim.text}
        if claim.claimant is not None:
            item["author"] = {
                "@id": str(claim.claimant),
                "name": claim.claimant_label or last_segment(claim.claimant),
            }
        if claim.date is not None:
            item["datePublished"] = claim.date.isoformat()
        item["appearance"] = [
            _source_node(review.source_labels.get(s.iri, s)) for s in claim.sources
        ]
        node: dict[str, Any] = {
            "@id": str(iri),
            "@type": "ClaimReview",
            "claimReviewed": claim.text,
            "itemReviewed": item,
            "reviewRating": {
                "@id": f"{iri}-rating",
                "@type": "Rating",
                "alternateName": review.verdict,
            },
            "reviewBody": review_body(review),
            "datePublished": day,
            "author": {
                "@id": str(PROJECT),
                "@type": "Organization",
                "name": PROJECT_NAME,
                "url": str(PROJECT),
            },
            "citation": [
                _source_node(review.source_labels.get(s, Source(s))) for s in review.sources
            ],
            "isBasedOn": [
                {"@id": str(f), "name": review.fact_labels.get(f, last_segment(f))}
                for f in review.facts
            ],
        }
        if review.as_of is not None:
            node["temporalCoverage"] = review.as_of.isoformat()
        nodes.append(node)
    return {"@context": REVIEW_CONTEXT, "@graph": nodes}


def _source_node(source: Source) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": str(source.iri),
        "@type": "CreativeWork",
        "name": source.describe(),
    }
    if source.url:
        node["url"] = source.url
    return node


def dump_jsonld(reviews: Sequence[Review], published: date | None = None) -> bytes:
    """Return the ClaimReview JSON-LD document as sorted, indented UTF-8."""
    return dump_json(to_jsonld(reviews, published))


def dump_plain_json(run: CheckRun) -> bytes:
    """Return the plain JSON report as sorted, indented UTF-8."""
    return dump_json(to_json(run))
