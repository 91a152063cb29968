"""Claim checking: each claim's checks run against the graph as of a date, with evidence.

A claim (`dip:Claim`) has zero or more checks (`dip:ClaimCheck`). A check names a stored query
(`queries/<name>.rq`), its parameters (`"$claim-date"` stands for the claim's own date), optional
row conditions (only rows whose column holds the given value count), a column, an expectation
(`dip:Equals`, `dip:Includes`, `dip:Excludes`, `dip:IsEmpty`, `dip:CountEquals`) and expected
values. Expected values and row conditions are written like parameter values and read by the
type of the column's values: an entity by ISO code, QID, CURIE or IRI; a date as YYYY, YYYY-MM
or YYYY-MM-DD, compared at the coarser of its own and the row's precision (a claim "in 1949"
matches a relation that began on any day of 1949, and a start known only as 1949 matches any
date in 1949); a number; otherwise the exact text.

Verdict rules:
- Each check runs its stored query once per run (one engine for every claim), as of the claim's
  date, or the date given with `as_of`, and is then said to *hold*, to *fail*, or to be
  *undecided*.
- A check is undecided when the data cannot decide it: the query or a value cannot be resolved
  (an unknown name, a query error), a `"$claim-date"` parameter has no date to take, or the check
  fails only by absence (a value missing, too few rows) while the missing fact could hide in
  undated data: a compared row has no start date (only a day it was known active), or a
  relationship or membership of the states involved is known only from a day after the as-of
  date (`dip:knownActiveOn` without `dip:startDate`), so the graph cannot say whether it held.
- A claim is *contradicted* when any check fails, *undetermined* when none fails but one is
  undecided (or the claim has no check), and *supported* when every check holds.
- A supported claim is *asserted* instead when every source its evidence rests on is one of the
  claim's own sources: the graph repeats the claim but does not confirm it independently.
- Notes say when a verdict rests on undated data (relations known only to be active from a day,
  with no start date) or on dates known only to the year or month, and when the as-of date is
  not the claim's own date.

The review of each claim is a `schema:ClaimReview`, exported as compact JSON-LD with an embedded
context (never fetched): `itemReviewed` the claim, `reviewRating` with the verdict as its
`alternateName`, `reviewBody` the evidence in words, `citation` the sources, `isBasedOn` the
facts the evidence rows name.

`add_claim` builds a new claim and its check, validates them with the shapes together with the
graph, and appends them to `data/claims.ttl` (or another file) in one atomic write.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier, Node

from diplomacy_kg import paths, queries
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines import Engine, EngineError
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.export import dump_json, serialize_turtle
from diplomacy_kg.files import OutputError, atomic_write_text
from diplomacy_kg.graph import RdfParseError, default_files, load_graph
from diplomacy_kg.namespaces import (
    BASE,
    DIP,
    ID,
    PREFIXES,
    SCHEMA,
    instance_iri,
    new_graph,
    sparql_prefix_block,
    turtle_prefix_block,
)
from diplomacy_kg.validation import validate

CLAIM_DATE = "$claim-date"
"""The parameter value that stands for the claim's own date (or the as-of date of the run)."""

SUPPORTED, ASSERTED, CONTRADICTED, UNDETERMINED = (
    "supported",
    "asserted",
    "contradicted",
    "undetermined",
)
VERDICTS = (SUPPORTED, ASSERTED, CONTRADICTED, UNDETERMINED)
HOLDS, FAILS, UNDECIDED = "holds", "fails", "undecided"

EXPECTATIONS: dict[str, URIRef] = {
    "equals": DIP.Equals,
    "includes": DIP.Includes,
    "excludes": DIP.Excludes,
    "is-empty": DIP.IsEmpty,
    "count-equals": DIP.CountEquals,
}
"""The expectations by their command-line names."""

PROJECT = URIRef(BASE)
PROJECT_NAME = "diplomacy-kg"
CLAIMS_FILE = paths.DATA_DIR / "claims.ttl"

_FACT_KINDS = {
    "relation",
    "event",
    "tie",
    "membership",
    "quote",
    "claim",
    "office-term",
    "political-system-attribution",
    "date-assertion",
}
_SPECIAL_PRECISION_COLUMNS = {"when": "precision"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NAME_VALUE = re.compile(r"([A-Za-z_]\w*)=(.*)", re.DOTALL)


class ClaimError(DiplomacyKgError):
    """Bad input for claim checking: an unknown claim or source, an invalid new claim."""


class _UndecidableError(Exception):
    """A check cannot be decided: the reason is the message."""


# ---------------------------------------------------------------------------------------------
# What is checked
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One check of a claim, as the graph states it."""

    iri: URIRef
    label: str
    query: str
    params: tuple[tuple[str, str], ...]
    conditions: tuple[tuple[str, str], ...]
    expectation: URIRef
    column: str | None
    expected: tuple[Literal, ...]

    @property
    def expectation_name(self) -> str:
        """Return the expectation's command-line name (`includes`, `count-equals`, …)."""
        for name, iri in EXPECTATIONS.items():
            if iri == self.expectation:
                return name
        return str(self.expectation)


@dataclass(frozen=True)
class Source:
    """A source document: IRI, label and URL where known."""

    iri: URIRef
    label: str | None = None
    url: str | None = None

    def describe(self) -> str:
        """Return the label, or the IRI's last segment."""
        return self.label or _slug(self.iri)


@dataclass(frozen=True)
class Claim:
    """A claim with its claimant, date, sources and checks."""

    iri: URIRef
    label: str | None
    text: str
    claimant: URIRef | None
    claimant_label: str | None
    date: date | None
    precision: URIRef | None
    sources: tuple[Source, ...]
    checks: tuple[Check, ...]

    @property
    def slug(self) -> str:
        """Return the last segment of the claim's IRI."""
        return _slug(self.iri)


def _slug(iri: URIRef | str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


_CLAIMS_QUERY = (
    sparql_prefix_block("dip", "prov", "rdfs", "schema")
    + """
SELECT ?claim ?label ?text ?claimant ?claimant_label ?date ?precision
       ?source ?source_label ?source_url
WHERE {
  ?claim a dip:Claim .
  OPTIONAL { ?claim rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?claim dip:text ?text }
  OPTIONAL { ?claim dip:speaker ?claimant .
             OPTIONAL { ?claimant rdfs:label ?claimant_label
                        FILTER(LANGMATCHES(LANG(?claimant_label), "en")) } }
  OPTIONAL { ?claim dip:date ?date OPTIONAL { ?claim dip:datePrecision ?precision } }
  OPTIONAL { ?claim prov:wasDerivedFrom ?source .
             OPTIONAL { ?source rdfs:label ?source_label
                        FILTER(LANGMATCHES(LANG(?source_label), "en")) }
             OPTIONAL { ?source schema:url ?source_url } }
}
ORDER BY ?claim ?source
"""
)

_CHECKS_QUERY = (
    sparql_prefix_block("dip", "rdfs")
    + """
SELECT ?claim ?check ?label ?query ?expectation ?column
WHERE {
  ?claim dip:check ?check .
  OPTIONAL { ?check rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?check dip:checkQuery ?query }
  OPTIONAL { ?check dip:expectation ?expectation }
  OPTIONAL { ?check dip:checkColumn ?column }
}
ORDER BY ?claim ?check
"""
)

_CHECK_VALUES_QUERY = (
    sparql_prefix_block("dip")
    + """
SELECT ?check ?kind ?name ?value
WHERE {
  ?claim dip:check ?check .
  {
    ?check dip:checkParameter ?parameter .
    ?parameter dip:parameterName ?name ; dip:parameterValue ?value .
    BIND("parameter" AS ?kind)
  } UNION {
    ?check dip:rowCondition ?condition .
    ?condition dip:parameterName ?name ; dip:parameterValue ?value .
    BIND("condition" AS ?kind)
  } UNION {
    ?check dip:expectedValue ?value .
    BIND("expected" AS ?kind)
  }
}
ORDER BY ?check ?kind ?name ?value
"""
)


def _text(term: object) -> str | None:
    return None if term is None else str(term)


def load_claims(engine: Engine) -> list[Claim]:
    """Read every claim with its sources and checks from the graph the engine holds."""
    checks_by_claim: dict[URIRef, list[URIRef]] = {}
    check_rows: dict[URIRef, dict[str, Node | None]] = {}
    for row in engine.query(_CHECKS_QUERY).as_dicts():
        claim_iri, check_iri = row["claim"], row["check"]
        if not isinstance(claim_iri, URIRef) or not isinstance(check_iri, URIRef):
            continue
        checks_by_claim.setdefault(claim_iri, [])
        if check_iri not in checks_by_claim[claim_iri]:
            checks_by_claim[claim_iri].append(check_iri)
        check_rows.setdefault(check_iri, row)
    values: dict[URIRef, dict[str, list[tuple[str, object]]]] = {}
    for row in engine.query(_CHECK_VALUES_QUERY).as_dicts():
        check_iri = row["check"]
        if isinstance(check_iri, URIRef):
            kinds = values.setdefault(check_iri, {})
            entry = (str(row["name"]) if row["name"] is not None else "", row["value"])
            if entry not in kinds.setdefault(str(row["kind"]), []):
                kinds[str(row["kind"])].append(entry)
    checks: dict[URIRef, Check] = {}
    for check_iri, check_row in check_rows.items():
        kinds = values.get(check_iri, {})
        expectation = check_row.get("expectation")
        checks[check_iri] = Check(
            iri=check_iri,
            label=_text(check_row.get("label")) or _slug(check_iri),
            query=_text(check_row.get("query")) or "",
            params=tuple(sorted((n, str(v)) for n, v in kinds.get("parameter", []))),
            conditions=tuple(sorted((n, str(v)) for n, v in kinds.get("condition", []))),
            expectation=expectation if isinstance(expectation, URIRef) else DIP.Includes,
            column=_text(check_row.get("column")),
            expected=tuple(v for _, v in kinds.get("expected", []) if isinstance(v, Literal)),
        )
    first_rows: dict[URIRef, dict[str, Node | None]] = {}
    claim_sources: dict[URIRef, list[Source]] = {}
    for claim_row in engine.query(_CLAIMS_QUERY).as_dicts():
        subject = claim_row["claim"]
        if not isinstance(subject, URIRef):
            continue
        first_rows.setdefault(subject, claim_row)
        found = claim_sources.setdefault(subject, [])
        source = claim_row["source"]
        if isinstance(source, URIRef) and all(s.iri != source for s in found):
            found.append(
                Source(source, _text(claim_row["source_label"]), _text(claim_row["source_url"]))
            )
    result: list[Claim] = []
    for subject, row in sorted(first_rows.items()):
        day = row["date"].toPython() if isinstance(row["date"], Literal) else None
        claimant = row["claimant"]
        precision = row["precision"]
        result.append(
            Claim(
                iri=subject,
                label=_text(row["label"]),
                text=_text(row["text"]) or "",
                claimant=claimant if isinstance(claimant, URIRef) else None,
                claimant_label=_text(row["claimant_label"]),
                date=day if isinstance(day, date) else None,
                precision=precision if isinstance(precision, URIRef) else None,
                sources=tuple(claim_sources[subject]),
                checks=tuple(checks[c] for c in checks_by_claim.get(subject, [])),
            )
        )
    return result


def select_claims(
    claims: Sequence[Claim], source: str | None = None, claim: str | None = None
) -> list[Claim]:
    """Keep the claims from a source (IRI, CURIE, slug, label or URL) and/or with an IRI or slug."""
    chosen = list(claims)
    if source is not None:
        wanted = source.strip()
        chosen = [c for c in chosen if any(_names_source(s, wanted) for s in c.sources)]
        if not chosen:
            known = sorted({s.describe() + f" <{s.iri}>" for c in claims for s in c.sources})
            raise ClaimError(
                f"no claim comes from the source {source!r}; the claims' sources: "
                + "; ".join(known)
            )
    if claim is not None:
        wanted = claim.strip()
        matches = [c for c in chosen if wanted in (str(c.iri), c.slug, f"id:claim/{c.slug}")]
        if not matches:
            raise ClaimError(
                f"no claim {claim!r}; known claims: " + ", ".join(c.slug for c in chosen)
            )
        chosen = matches
    return chosen


def _names_source(source: Source, wanted: str) -> bool:
    folded = wanted.casefold()
    forms = {
        str(source.iri),
        f"<{source.iri}>",
        _slug(source.iri),
        "id:" + str(source.iri).removeprefix(str(ID)),
    }
    return (
        wanted in forms
        or (source.url is not None and wanted == source.url)
        or (source.label is not None and folded == source.label.casefold())
    )


# ---------------------------------------------------------------------------------------------
# Evidence and outcomes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceRow:
    """A result row a verdict rests on, with every source of the facts it names."""

    values: dict[str, queries.Value]
    sources: tuple[URIRef, ...]
    facts: tuple[URIRef, ...]
    summary: str


@dataclass
class CheckOutcome:
    """The result of one check as of a date."""

    check: Check
    status: str
    as_of: date | None
    params: dict[str, str]
    explanation: str
    answer_rows: int = 0
    compared_rows: int = 0
    evidence: list[EvidenceRow] = field(default_factory=list)
    evidence_role: str = "supporting"
    consulted_sources: tuple[URIRef, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def sources(self) -> tuple[URIRef, ...]:
        """Return the sources this outcome rests on: its evidence rows', else those consulted."""
        found: list[URIRef] = []
        for row in self.evidence:
            found += [s for s in row.sources if s not in found]
        found += [s for s in self.consulted_sources if s not in found]
        return tuple(found)


@dataclass
class Review:
    """The verdict on one claim as of a date, with the outcome of every check."""

    claim: Claim
    as_of: date | None
    verdict: str
    outcomes: list[CheckOutcome]
    notes: list[str]
    source_labels: dict[URIRef, Source]
    fact_labels: dict[URIRef, str]

    @property
    def sources(self) -> tuple[URIRef, ...]:
        """Return every source the verdict rests on, in order of first use."""
        found: list[URIRef] = []
        for outcome in self.outcomes:
            found += [s for s in outcome.sources if s not in found]
        return tuple(found)

    @property
    def facts(self) -> tuple[URIRef, ...]:
        """Return every fact the evidence rows name."""
        found: list[URIRef] = []
        for outcome in self.outcomes:
            for row in outcome.evidence:
                found += [f for f in row.facts if f not in found]
        return tuple(found)

    @property
    def passed(self) -> bool:
        """True when the claim is supported or asserted."""
        return self.verdict in (SUPPORTED, ASSERTED)


class Checker:
    """Runs claim checks on one engine, reusing query answers and lookups across claims."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._answers: dict[tuple[str, tuple[tuple[str, str], ...]], queries.QueryResult] = {}
        self._entities: dict[str, URIRef] = {}
        self._fact_sources: dict[URIRef, tuple[URIRef, ...]] = {}
        self._labels: dict[URIRef, str] = {}
        self._sources: dict[URIRef, Source] = {}

    # -- running -------------------------------------------------------------------------------

    def review(self, claim: Claim, as_of: date | None = None) -> Review:
        """Check one claim as of `as_of` (default: its own date) and give the verdict."""
        day = as_of if as_of is not None else claim.date
        outcomes = [self._outcome(check, day, claim.date) for check in claim.checks]
        notes: list[str] = []
        if not claim.checks:
            verdict = UNDETERMINED
            notes.append("The claim has no check, so the graph cannot decide it.")
        elif any(o.status == FAILS for o in outcomes):
            verdict = CONTRADICTED
        elif any(o.status == UNDECIDED for o in outcomes):
            verdict = UNDETERMINED
        else:
            verdict = SUPPORTED
            own = {s.iri for s in claim.sources}
            rested_on = {s for o in outcomes for s in o.sources}
            if rested_on and rested_on <= own:
                verdict = ASSERTED
                names = ", ".join(self._source(s).describe() for s in sorted(own))
                notes.append(
                    f"Asserted, not independently confirmed: every source the "
                    f"evidence rests on is the claim's own ({names})."
                )
            elif not rested_on:
                notes.append("No evidence row names a source.")
        if as_of is not None and claim.date is not None and as_of != claim.date:
            when = "after" if as_of > claim.date else "before"
            notes.append(
                f"Checked as of {as_of.isoformat()}, {when} the claim's own date "
                f"({claim.date.isoformat()})."
            )
            if verdict == CONTRADICTED and as_of > claim.date:
                notes.append(
                    "The claim may have held when it was made; it no longer holds "
                    f"as of {as_of.isoformat()}."
                )
        for outcome in outcomes:
            notes += [n for n in outcome.notes if n not in notes]
        sources = {s: self._source(s) for o in outcomes for s in o.sources}
        sources.update({s.iri: self._source(s.iri) for s in claim.sources})
        facts = {
            f: self._labels.get(f, _slug(f)) for o in outcomes for r in o.evidence for f in r.facts
        }
        return Review(claim, day, verdict, outcomes, notes, sources, facts)

    def review_all(self, claims: Iterable[Claim], as_of: date | None = None) -> list[Review]:
        """Check every claim."""
        return [self.review(claim, as_of) for claim in claims]

    def _outcome(self, check: Check, day: date | None, claim_date: date | None) -> CheckOutcome:
        params = {
            name: (day.isoformat() if value == CLAIM_DATE and day else value)
            for name, value in check.params
        }
        outcome = CheckOutcome(check, UNDECIDED, day, params, "")
        try:
            if any(v == CLAIM_DATE for _, v in check.params) and day is None:
                raise _UndecidableError("the check takes the claim's date, and the claim has none")
            result = self._answer(check.query, params)
            self._evaluate(check, result, outcome, claim_date)
        except _UndecidableError as reason:
            outcome.status = UNDECIDED
            outcome.explanation = f"undetermined: {reason}"
        return outcome

    def _answer(self, name: str, params: Mapping[str, str]) -> queries.QueryResult:
        key = (name, tuple(sorted(params.items())))
        if key not in self._answers:
            try:
                self._answers[key] = queries.run_query(name, self.engine, **params)
            except (queries.ParameterError, queries.CatalogueError) as error:
                raise _UndecidableError(f"the stored query cannot run: {error}") from error
            except EngineError as error:
                raise _UndecidableError(f"the engine failed: {error}") from error
        return self._answers[key]

    # -- comparing -----------------------------------------------------------------------------

    def _evaluate(
        self,
        check: Check,
        result: queries.QueryResult,
        outcome: CheckOutcome,
        claim_date: date | None,
    ) -> None:
        columns = list(result.columns)
        for name in [n for n, _ in check.conditions] + ([check.column] if check.column else []):
            if name not in columns:
                raise _UndecidableError(
                    f"the query {check.query!r} has no column {name!r}; "
                    f"its columns: {', '.join(columns)}"
                )
        rows = [
            row for row in result.rows if all(self._matches(row, n, v) for n, v in check.conditions)
        ]
        outcome.answer_rows, outcome.compared_rows = len(result.rows), len(rows)
        expected = [str(v) for v in check.expected]
        column = check.column or ""
        kind = check.expectation
        compares = kind in (DIP.Equals, DIP.Includes, DIP.Excludes)
        matched = (
            {v: [r for r in rows if self._matches(r, column, v)] for v in expected}
            if (compares)
            else {}
        )
        shown = ", ".join(self._show_expected(v) for v in expected)
        absence = False
        if kind == DIP.IsEmpty:
            holds = not rows
            evidence, role = ([], "supporting") if holds else (rows, "contradicting")
            outcome.explanation = (
                "no row, as expected" if holds else f"expected no row; found {_rows(len(rows))}"
            )
        elif kind == DIP.CountEquals:
            wanted = self._expected_count(check)
            found = len({_key(r.get(check.column)) for r in rows}) if check.column else len(rows)
            holds = found == wanted
            what = f"distinct {check.column} values" if check.column else "rows"
            evidence, role = rows, "supporting" if holds else "contradicting"
            absence = found < wanted
            outcome.explanation = (
                f"{found} {what}, as expected"
                if holds
                else f"expected {wanted} {what}; found {found}"
            )
        else:
            hits = [r for r in rows if any(r in found for found in matched.values())]
            missing = [v for v, found in matched.items() if not found]
            if kind == DIP.Excludes:
                holds = not hits
                evidence, role = ([], "supporting") if holds else (hits, "contradicting")
                outcome.explanation = (
                    f"{shown} not among the {column} values of {_rows(len(rows))}"
                    if holds
                    else f"expected {shown} not to be among the {column} values; "
                    f"held by {_rows(len(hits))}"
                )
                if holds:
                    outcome.consulted_sources = self._row_sources(rows, enrich=False)
            elif kind == DIP.Equals:
                others = [r for r in rows if r not in hits]
                holds = not missing and not others
                absence = not others
                if holds:
                    evidence, role = rows, "supporting"
                    outcome.explanation = f"the {column} values are exactly {shown}"
                else:
                    evidence, role = (others or rows), "contradicting"
                    parts = []
                    if missing:
                        parts.append("missing " + ", ".join(map(self._show_expected, missing)))
                    if others:
                        parts.append(
                            "also "
                            + ", ".join(sorted({self._show_cell(r.get(column)) for r in others}))
                        )
                    if not rows:
                        parts.append("the answer is empty")
                    outcome.explanation = (
                        f"expected the {column} values to be exactly {shown}; " + "; ".join(parts)
                    )
            else:  # dip:Includes
                holds = not missing
                absence = True
                if holds:
                    evidence, role = hits, "supporting"
                    outcome.explanation = f"{shown} among the {column} values"
                else:
                    evidence, role = rows, "contradicting"
                    found_values = sorted({self._show_cell(r.get(column)) for r in rows})
                    outcome.explanation = (
                        f"expected {shown} among the {column} values; missing "
                        + ", ".join(map(self._show_expected, missing))
                        + (
                            "; the answer holds " + ", ".join(found_values)
                            if found_values
                            else "; the answer is empty"
                        )
                    )
        if not holds and absence:
            self._undecidable_absence(check, result, rows, outcome)
        if not holds and claim_date is not None and outcome.as_of != claim_date:
            evidence = self._changes_since(check, claim_date, rows, outcome) or evidence
        outcome.status = HOLDS if holds else FAILS
        outcome.evidence_role = role
        outcome.evidence = self._grouped([self._evidence(row) for row in evidence])
        outcome.notes += self._dating_notes(check, evidence if evidence else rows)

    def _changes_since(
        self,
        check: Check,
        claim_date: date,
        rows: Sequence[dict[str, queries.Value]],
        outcome: CheckOutcome,
    ) -> list[dict[str, queries.Value]]:
        """Compare with the answer as of the claim's date; return the rows that changed."""
        if not any(v == CLAIM_DATE for _, v in check.params):
            return []
        then_params = {
            n: (claim_date.isoformat() if v == CLAIM_DATE else v) for n, v in check.params
        }
        try:
            then = [
                r
                for r in self._answer(check.query, then_params).rows
                if all(self._matches(r, n, v) for n, v in check.conditions)
            ]
        except _UndecidableError:
            return []
        column = check.column

        def key(row: Mapping[str, queries.Value]) -> str:
            return (
                _key(row.get(column))
                if column
                else json.dumps({k: _key(v) for k, v in row.items()}, sort_keys=True)
            )

        before = {key(r) for r in then}
        now = {key(r) for r in rows}
        added = [r for r in rows if key(r) not in before]
        removed = [r for r in then if key(r) not in now]
        if column and check.expectation in (DIP.Includes, DIP.Excludes):

            def named(row: Mapping[str, queries.Value]) -> bool:
                return any(self._matches(row, column, str(v)) for v in check.expected)

            added, removed = [r for r in added if named(r)], [r for r in removed if named(r)]
        changes = []
        for what, changed in (("added", added), ("gone", removed)):
            if changed:
                names = list(
                    dict.fromkeys(
                        self._show_cell(r.get(column)) if column else self._summary(r)
                        for r in changed
                    )
                )
                more = f" and {len(names) - 5} more" if len(names) > 5 else ""
                changes.append(f"{what} since the claim's date: {', '.join(names[:5])}{more}")
        if changes:
            outcome.explanation += "; " + "; ".join(changes)
        return added

    def _grouped(self, rows: Sequence[EvidenceRow]) -> list[EvidenceRow]:
        """Merge rows that say the same thing (one row per source) into one with all sources."""
        merged: dict[str, EvidenceRow] = {}
        for row in rows:
            known = merged.get(row.summary)
            if known is None:
                merged[row.summary] = row
                continue
            merged[row.summary] = EvidenceRow(
                known.values,
                known.sources + tuple(s for s in row.sources if s not in known.sources),
                known.facts + tuple(f for f in row.facts if f not in known.facts),
                known.summary,
            )
        return list(merged.values())

    def _expected_count(self, check: Check) -> int:
        if len(check.expected) != 1:
            raise _UndecidableError("count-equals needs exactly one expected number")
        try:
            return int(str(check.expected[0]))
        except ValueError as error:
            raise _UndecidableError(f"{str(check.expected[0])!r} is not a number") from error

    def _matches(self, row: Mapping[str, queries.Value], column: str, text: str) -> bool:
        cell = row.get(column)
        if cell is None:
            return False
        if isinstance(cell, URIRef):
            return cell == self._entity(text)
        if isinstance(cell, bool):
            return text.strip().casefold() == str(cell).casefold()
        if isinstance(cell, date):
            try:
                wanted = queries.parse_date(text.strip())
            except queries.ParameterError as error:
                raise _UndecidableError(f"{text!r} is compared with dates: {error}") from error
            precision = _precision(row.get(_precision_column(column)))
            coarsest = max(_PRECISION_RANK[wanted.precision], _PRECISION_RANK[precision])
            return _truncate(cell, coarsest) == _truncate(wanted.value, coarsest)
        if isinstance(cell, int | float | Decimal):
            try:
                return Decimal(str(cell)) == Decimal(text.strip())
            except InvalidOperation:
                return False
        return str(cell) == text

    def _entity(self, text: str) -> URIRef:
        if text not in self._entities:
            try:
                self._entities[text] = queries.resolve_entity(text, "entity", self.engine)
            except queries.ParameterError as error:
                raise _UndecidableError(str(error)) from error
        return self._entities[text]

    def _show_expected(self, text: str) -> str:
        entity = self._entities.get(text)
        label = self._label(entity) if entity is not None else None
        return f"{label} ({text})" if label and label != text else text

    def _show_cell(self, cell: queries.Value) -> str:
        if isinstance(cell, URIRef):
            return self._label(cell) or _slug(cell)
        return "" if cell is None else str(cell)

    # -- undated data --------------------------------------------------------------------------

    def _undecidable_absence(
        self,
        check: Check,
        result: queries.QueryResult,
        rows: Sequence[Mapping[str, queries.Value]],
        outcome: CheckOutcome,
    ) -> None:
        """Raise _UndecidableError when what is missing could hide in undated data."""
        undated = [r for r in rows if _is_undated(r)]
        if undated and check.column and any(isinstance(r.get(check.column), date) for r in rows):
            raise _UndecidableError(
                f"expected {', '.join(map(self._show_expected, map(str, check.expected)))} "
                f"among the {check.column} values, but {_rows(len(undated))} have no start "
                "date (only a day they were known active), so the graph cannot say"
            )
        day = next(
            (
                t
                for n, t in result.bindings.items()
                if result.query.parameter(n).type == "date" and isinstance(t, Literal)
            ),
            None,
        )
        if day is None:
            return
        parties = [
            t
            for n, t in result.bindings.items()
            if result.query.parameter(n).type in ("state", "entity") and isinstance(t, URIRef)
        ]
        if check.expectation in (DIP.Includes, DIP.Equals):
            parties += [
                self._entity(str(v))
                for v in check.expected
                if any(isinstance(r.get(check.column or ""), URIRef) for r in result.rows)
                or not result.rows
            ]
        hidden = self._known_only_after(parties, day)
        if hidden:
            first = min(k for _, k in hidden)
            raise _UndecidableError(
                f"{outcome.explanation}; but {_rows(len(hidden), 'fact')} involving "
                f"{', '.join(self._label(p) or _slug(p) for p in parties)} are known only "
                f"from {first.isoformat()} on (no start date), so the graph cannot say whether "
                f"they held on {day}"
            )

    _HORIZON = (
        sparql_prefix_block("dip")
        + """
SELECT DISTINCT ?fact ?known_active_on
WHERE {{
  {patterns}
  ?fact a ?class .
  VALUES ?class {{ dip:DiplomaticRelation dip:SpecialRelationship dip:Membership }}
  ?fact dip:knownActiveOn ?known_active_on .
  FILTER NOT EXISTS {{ ?fact dip:startDate ?start }}
  FILTER(?date < ?known_active_on)
}}
ORDER BY ?fact
"""
    )

    def _known_only_after(
        self, parties: Sequence[URIRef], day: Literal
    ) -> list[tuple[URIRef, date]]:
        unique = list(dict.fromkeys(parties))
        patterns = "\n  ".join(
            f"?fact dip:party|dip:member ?party{i} ." for i in range(len(unique))
        )
        bindings: dict[str, Identifier] = {f"party{i}": p for i, p in enumerate(unique)}
        bindings["date"] = day
        try:
            table = self.engine.query(self._HORIZON.format(patterns=patterns), bindings)
        except EngineError as error:
            raise _UndecidableError(f"the engine failed: {error}") from error
        found: list[tuple[URIRef, date]] = []
        for fact, known in table.rows:
            value = known.toPython() if isinstance(known, Literal) else None
            if isinstance(fact, URIRef) and isinstance(value, date):
                found.append((fact, value))
        return found

    def _dating_notes(self, check: Check, rows: Sequence[Mapping[str, queries.Value]]) -> list[str]:
        notes: list[str] = []
        undated = [r for r in rows if _is_undated(r)]
        if undated:
            days = sorted({d.isoformat() for r in undated for d in [_known_active(r)] if d})
            notes.append(
                f"{check.label}: rests in part on undated data: {len(undated)} of "
                f"{_rows(len(rows))} have no start date, only a day they were known active "
                f"({', '.join(days) or 'none'}); they count from that day on."
            )
        coarse: dict[str, int] = {}
        for row in rows:
            for name, value in row.items():
                if (name == "precision" or name.endswith("_precision")) and value in (
                    DIP.YearPrecision,
                    DIP.MonthPrecision,
                ):
                    level = "year" if value == DIP.YearPrecision else "month"
                    coarse[level] = coarse.get(level, 0) + 1
                    break
        if coarse:
            parts = [f"{_rows(n)} dated only to the {level}" for level, n in sorted(coarse.items())]
            notes.append(
                f"{check.label}: {' and '.join(parts)} (such a date is read as the "
                "first day of its period)."
            )
        return notes

    # -- evidence and labels -------------------------------------------------------------------

    def _evidence(self, row: Mapping[str, queries.Value]) -> EvidenceRow:
        facts = tuple(v for v in row.values() if isinstance(v, URIRef) and _is_fact(v))
        sources = self._row_sources([row], enrich=True)
        return EvidenceRow(dict(row), sources, facts, self._summary(row))

    def _row_sources(
        self, rows: Iterable[Mapping[str, queries.Value]], *, enrich: bool
    ) -> tuple[URIRef, ...]:
        found: list[URIRef] = []
        for row in rows:
            for name, value in row.items():
                if (
                    (name == "source" or name.endswith("_source"))
                    and isinstance(value, URIRef)
                    and value not in found
                ):
                    found.append(value)
            if enrich:
                for value in row.values():
                    if isinstance(value, URIRef) and _is_fact(value):
                        found += [s for s in self._sources_of(value) if s not in found]
        return tuple(found)

    def _sources_of(self, fact: URIRef) -> tuple[URIRef, ...]:
        if fact not in self._fact_sources:
            try:
                result = queries.run_query("sources-of", self.engine, entity=fact)
            except (queries.ParameterError, queries.CatalogueError, EngineError):
                result = None
            found: list[URIRef] = []
            for row in result.rows if result is not None else []:
                source = row.get("source")
                if row.get("fact") == fact and isinstance(source, URIRef) and source not in found:
                    found.append(source)
                    label = row.get("source_label")
                    if isinstance(label, str):
                        self._sources.setdefault(source, Source(source, label))
                label = row.get("fact_label")
                if row.get("fact") == fact and isinstance(label, str):
                    self._labels.setdefault(fact, label)
            self._fact_sources[fact] = tuple(found)
        return self._fact_sources[fact]

    _LABELS = (
        sparql_prefix_block("rdfs", "schema")
        + """
SELECT ?label ?url WHERE {
  OPTIONAL { ?node rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?node schema:url ?url }
}
LIMIT 1
"""
    )

    def _describe_node(self, node: URIRef) -> tuple[str | None, str | None]:
        try:
            table = self.engine.query(self._LABELS, {"node": node})
        except EngineError:
            return None, None
        for label, url in table.rows:
            return _text(label), _text(url)
        return None, None

    def _label(self, node: URIRef | None) -> str | None:
        if node is None:
            return None
        if node not in self._labels:
            label, _url = self._describe_node(node)
            self._labels[node] = label or ""
        return self._labels[node] or None

    def _source(self, iri: URIRef) -> Source:
        known = self._sources.get(iri)
        if known is None or known.url is None:
            label, url = self._describe_node(iri)
            known = Source(iri, label or (known.label if known else None), url)
            self._sources[iri] = known
        return known

    def _summary(self, row: Mapping[str, queries.Value]) -> str:
        label_columns = [n for n in row if n.endswith("_label") or n == "label"]
        named = {n.removesuffix("_label") for n in label_columns}
        parts: list[str] = []
        for name, value in row.items():
            if (
                value is None
                or name in named
                or name.endswith("precision")
                or name in ("source", "source_count")
            ):
                continue
            if name.endswith("_label") or name == "label":
                parts.append(str(value))
            elif isinstance(value, date):
                precision = _precision(row.get(_precision_column(name)))
                parts.append(f"{name.replace('_', ' ')} {_at_precision(value, precision)}")
            elif isinstance(value, URIRef):
                if _is_fact(value) or name in ("source_count",):
                    continue
                parts.append(self._label(value) or _slug(value))
            elif name in ("when_type", "kind"):
                continue
            else:
                parts.append(f"{name.replace('_', ' ')} {value}")
        return "; ".join(dict.fromkeys(parts))


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _precision_column(column: str) -> str:
    return _SPECIAL_PRECISION_COLUMNS.get(column, f"{column}_precision")


def _precision(term: queries.Value) -> str:
    if term == DIP.YearPrecision:
        return "year"
    if term == DIP.MonthPrecision:
        return "month"
    return "day"


def _truncate(day: date, rank: int) -> tuple[int, ...]:
    return (day.year, day.month, day.day)[: 3 - rank]


def _at_precision(day: date, precision: str) -> str:
    return (
        str(PartialDate(day, "day"))
        if precision == "day"
        else (f"{day.year}" if precision == "year" else f"{day.year}-{day.month:02d}")
    )


def _known_active(row: Mapping[str, queries.Value]) -> date | None:
    value = row.get("known_active_on")
    if isinstance(value, date):
        return value
    if row.get("when_type") == "known active on" and isinstance(row.get("when"), date):
        when = row.get("when")
        return when if isinstance(when, date) else None
    return None


def _is_undated(row: Mapping[str, queries.Value]) -> bool:
    if row.get("when_type") in ("known active on", "undated") and row.get("kind") != "event":
        return True
    return "since" in row and row.get("since") is None and row.get("known_active_on") is not None


def _is_fact(iri: URIRef) -> bool:
    text = str(iri)
    if not text.startswith(str(ID)):
        return False
    return text[len(str(ID)) :].split("/", 1)[0] in _FACT_KINDS


def _key(value: queries.Value) -> str:
    return "" if value is None else str(value)


def _rows(count: int, noun: str = "row") -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


@dataclass
class CheckRun:
    """The reviews of the checked claims, and the claims left unchecked (they have no check)."""

    reviews: list[Review]
    unchecked: list[Claim]

    @property
    def passed(self) -> bool:
        """True when every checked claim is supported or asserted."""
        return all(review.passed for review in self.reviews)


def check_claims(
    engine: Engine,
    *,
    as_of: date | None = None,
    source: str | None = None,
    claim: str | None = None,
) -> CheckRun:
    """Load the claims from the engine's graph, keep those asked for, and review each.

    Claims without a check are not reviewed (unless asked for by `claim`): they are listed as
    unchecked.
    """
    chosen = select_claims(load_claims(engine), source, claim)
    checked = [c for c in chosen if c.checks or claim is not None]
    unchecked = [c for c in chosen if c not in checked]
    if not checked:
        raise ClaimError("no claim to check: none of the claims chosen has a check (dip:check)")
    return CheckRun(Checker(engine).review_all(checked, as_of), unchecked)


# ---------------------------------------------------------------------------------------------
# Output: table, JSON, ClaimReview JSON-LD
# ---------------------------------------------------------------------------------------------

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
        sources = [_slug(s) for s in review.sources] or ["-"]
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
        + f" ({_rows(len(run.reviews), 'claim')} checked)"
    )
    if run.unchecked:
        out.append("not checked (no dip:check): " + ", ".join(c.slug for c in run.unchecked))
    for review in run.reviews:
        if review.notes:
            out.append(f"notes on {review.claim.slug}:")
            for note in review.notes:
                out += textwrap.wrap(note, 110, initial_indent="  - ", subsequent_indent="    ")
    return "\n".join(out).rstrip("\n") + "\n"


def _json_value(value: queries.Value) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, URIRef):
        return str(value)
    return value


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
                                "values": {k: _json_value(v) for k, v in row.values.items()},
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
                "name": claim.claimant_label or _slug(claim.claimant),
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
                {"@id": str(f), "name": review.fact_labels.get(f, _slug(f))} for f in review.facts
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


# ---------------------------------------------------------------------------------------------
# Adding a claim
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewClaim:
    """What `add_claim` needs: the claim, its source and one check."""

    text: str
    claimant: str
    source: str
    date: str
    query: str
    expectation: str
    params: Sequence[str] = ()
    conditions: Sequence[str] = ()
    column: str | None = None
    expected: Sequence[str] = ()
    about: Sequence[str] = ()
    slug: str | None = None
    label: str | None = None
    evidence_quote: str | None = None


@dataclass(frozen=True)
class AddedClaim:
    """What `add_claim` wrote: the claim's IRI, its triples, and the file."""

    iri: URIRef
    graph: Graph
    path: Path


def slugify(text: str, limit: int = 60) -> str:
    """Return a lowercase kebab-case slug of a text, cut at a word boundary."""
    words = re.findall(r"[a-z0-9]+", text.casefold())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or "claim"


def _name_value(text: str, what: str) -> tuple[str, str]:
    match = _NAME_VALUE.fullmatch(text.strip())
    if not match or not match.group(2).strip():
        raise ClaimError(f"{what} {text!r}: write it as name=value")
    return match.group(1), match.group(2).strip()


def build_claim(new: NewClaim, engine: Engine) -> tuple[URIRef, Graph]:
    """Build the triples of a new claim and its check, resolving names; raise ClaimError."""
    if not new.text.strip():
        raise ClaimError("the claim's text is empty")
    try:
        day = queries.parse_date(new.date.strip())
    except queries.ParameterError as error:
        raise ClaimError(f"--date: {error}") from error
    try:
        stored = queries.get_query(new.query)
    except (queries.ParameterError, queries.CatalogueError) as error:
        raise ClaimError(f"--query: {error}") from error
    expectation = EXPECTATIONS.get(new.expectation.strip().casefold().replace("_", "-"))
    if expectation is None:
        raise ClaimError(f"--expect {new.expectation!r}: choose one of " + ", ".join(EXPECTATIONS))
    params = dict(_name_value(p, "--param") for p in new.params)
    conditions = dict(_name_value(c, "--where") for c in new.conditions)
    try:
        for name in params:
            stored.parameter(name)
    except queries.ParameterError as error:
        raise ClaimError(f"--param: {error}") from error
    missing = [p.name for p in stored.params if p.name not in params]
    if missing:
        raise ClaimError(
            f"--param: the query {stored.name!r} needs {', '.join(missing)}; "
            f"{stored.describe_params()}"
        )
    for name in [*conditions, *([new.column] if new.column else [])]:
        if name not in stored.columns:
            raise ClaimError(
                f"the query {stored.name!r} has no column {name!r}; "
                f"its columns: {', '.join(stored.columns)}"
            )
    for name, value in params.items():  # a value that cannot be resolved is refused now
        if value != CLAIM_DATE:
            try:
                queries.resolve_value(stored.parameter(name), value, engine)
            except queries.ParameterError as error:
                raise ClaimError(f"--param {name}: {error}") from error
    try:
        claimant = queries.resolve_entity(new.claimant, "entity", engine)
        source = _resolve_source(new.source, engine)
        about = [queries.resolve_entity(a, "entity", engine) for a in new.about]
    except queries.ParameterError as error:
        raise ClaimError(str(error)) from error

    slug = new.slug or slugify(new.text)
    claim = instance_iri("claim", slug)
    check = instance_iri("claim-check", f"{slug}-1")
    graph = new_graph()
    add = graph.add
    add((claim, RDF.type, DIP.Claim))
    add((claim, RDFS.label, Literal(new.label or f"Claim: {new.text.strip()}", lang="en")))
    add((claim, DIP.text, Literal(new.text.strip(), lang="en")))
    add((claim, DIP.speaker, claimant))
    for entity in about:
        add((claim, DIP.about, entity))
    add((claim, DIP.date, Literal(day.value.isoformat(), datatype=XSD.date)))
    add((claim, DIP.datePrecision, day.precision_iri))
    add((claim, PROV.wasDerivedFrom, source.iri))
    add((claim, DIP.evidenceQuote, Literal(new.evidence_quote or new.text.strip(), lang="en")))
    add((claim, DIP.check, check))
    if source.label is None:  # a new source document, named by its URL or title
        _add_source(graph, new.source.strip(), source.iri)
    add((check, RDF.type, DIP.ClaimCheck))
    add(
        (
            check,
            RDFS.label,
            Literal(
                f"{stored.name} {new.expectation}"
                + (f" {new.column}" if new.column else "")
                + (f" {', '.join(new.expected)}" if new.expected else ""),
                lang="en",
            ),
        )
    )
    add((check, DIP.checkQuery, Literal(stored.name)))
    add((check, DIP.expectation, expectation))
    if new.column:
        add((check, DIP.checkColumn, Literal(new.column)))
    for value in new.expected:
        text = value.strip()
        if expectation == DIP.CountEquals and re.fullmatch(r"\d+", text):
            add((check, DIP.expectedValue, Literal(int(text))))
        else:
            add((check, DIP.expectedValue, Literal(text)))
    for kind, prop, values in (
        ("param", DIP.checkParameter, params),
        ("where", DIP.rowCondition, conditions),
    ):
        for name, value in values.items():
            node = instance_iri("claim-check", f"{slug}-1-{kind}-{name.lower().replace('_', '-')}")
            add((check, prop, node))
            add((node, RDF.type, DIP.CheckParameter))
            add((node, DIP.parameterName, Literal(name)))
            add((node, DIP.parameterValue, Literal(value)))
    return claim, graph


def _resolve_source(text: str, engine: Engine) -> Source:
    wanted = text.strip()
    if not wanted:
        raise ClaimError("--source is empty: give a source's IRI, title or URL")
    table = engine.query(
        sparql_prefix_block("dip", "rdfs", "schema")
        + """
SELECT ?source ?label ?name ?url WHERE {
  ?source a dip:SourceDocument .
  OPTIONAL { ?source rdfs:label ?label }
  OPTIONAL { ?source schema:name ?name }
  OPTIONAL { ?source schema:url ?url }
}"""
    )
    for source, label, name, url in table.rows:
        if not isinstance(source, URIRef):
            continue
        names = {str(source), f"<{source}>", "id:" + str(source).removeprefix(str(ID))}
        texts = {str(t).casefold() for t in (label, name) if t is not None}
        if (
            wanted in names
            or wanted.casefold() in texts
            or (url is not None and wanted == str(url))
        ):
            return Source(source, str(label or name or source), _text(url))
    return Source(instance_iri("source", slugify(re.sub(r"^https?://", "", wanted))))


def _add_source(graph: Graph, text: str, iri: URIRef) -> None:
    graph.add((iri, RDF.type, DIP.SourceDocument))
    graph.add((iri, RDF.type, SCHEMA.CreativeWork))
    graph.add((iri, RDFS.label, Literal(text, lang="en")))
    if re.match(r"https?://\S+$", text):
        graph.add((iri, SCHEMA.url, URIRef(text)))
        graph.add((iri, SCHEMA.description, Literal(f"The document at {text}.", lang="en")))
        graph.add(
            (
                iri,
                SKOS.editorialNote,
                Literal(
                    "Added with `diplomacy-kg claims add` from its URL; give it a title.", lang="en"
                ),
            )
        )
    else:
        graph.add((iri, SCHEMA.name, Literal(text, lang="en")))


def add_claim(
    new: NewClaim, *, data_file: Path | None = None, engine: Engine | None = None
) -> AddedClaim:
    """Validate a new claim and its check with the graph, then append them to the data file.

    The graph is the ontology, the curated data and the target file; nothing is written when a
    name cannot be resolved, the claim already exists, or the shapes find a violation in the
    new triples.
    """
    target = data_file if data_file is not None else CLAIMS_FILE
    files = list(default_files())
    if target.exists() and target.resolve() not in {f.resolve() for f in files}:
        files.append(target)
    try:
        knowledge = load_graph(files)
    except RdfParseError as error:
        raise ClaimError(str(error)) from error
    from diplomacy_kg.engines.rdflib_engine import RdflibEngine

    chosen = engine if engine is not None else RdflibEngine(knowledge)
    claim, graph = build_claim(new, chosen)
    taken = sorted(
        {
            str(s)
            for s in graph.subjects()
            if (s, None, None) in knowledge and (s, RDF.type, DIP.SourceDocument) not in graph
        }
    )
    if taken:
        raise ClaimError(f"already in the graph: {', '.join(taken)}; give another --slug")
    combined = knowledge + graph
    new_nodes = {str(s) for s in graph.subjects()}
    report = validate(combined)
    problems = [r for r in report.results if r.severity == "Violation" and r.focus in new_nodes]
    if problems:
        lines = [
            f"{r.focus}: {r.path or ''} {r.value or ''}: {r.message}".replace("  ", " ")
            for r in problems
        ]
        raise ClaimError("the new claim does not conform to the shapes:\n  " + "\n  ".join(lines))
    body = serialize_turtle(graph).decode("utf-8").removeprefix(turtle_prefix_block())
    if target.exists():
        existing = target.read_text(encoding="utf-8")
        text = existing.rstrip("\n") + "\n" + body
    else:
        text = turtle_prefix_block() + body
    try:
        atomic_write_text(target, text)
    except OutputError as error:
        raise ClaimError(str(error)) from error
    return AddedClaim(claim, graph, target)
