"""What a claim check is and what it finds: claims, checks, sources, outcomes and reviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rdflib import Literal, URIRef

from diplomacy_kg import paths, queries
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.namespaces import BASE, DIP, ID, last_segment

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
CLAIMS_FILE = paths.CLAIMS_FILE

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

Row = dict[str, queries.Value]
"""A typed result row of a stored query."""


class ClaimError(DiplomacyKgError):
    """Bad input for claim checking: an unknown claim or source, an invalid new claim."""


class UndecidableError(DiplomacyKgError):
    """A check cannot be decided: the reason is the message; the checker makes it `undecided`."""


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
        return self.label or last_segment(self.iri)


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
        return last_segment(self.iri)


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


@dataclass
class CheckRun:
    """The reviews of the checked claims, and the claims left unchecked (they have no check)."""

    reviews: list[Review]
    unchecked: list[Claim]

    @property
    def passed(self) -> bool:
        """True when every checked claim is supported or asserted."""
        return all(review.passed for review in self.reviews)


def text_of(term: object) -> str | None:
    """Return a term as text, or None."""
    return None if term is None else str(term)


def is_fact(iri: URIRef) -> bool:
    """Tell whether the IRI names a fact (a relation, event, tie, membership, quote, …)."""
    text = str(iri)
    if not text.startswith(str(ID)):
        return False
    return text[len(str(ID)) :].split("/", 1)[0] in _FACT_KINDS


def key(value: queries.Value) -> str:
    """Return a value as the text it is compared by."""
    return "" if value is None else str(value)


def counted(count: int, noun: str = "row") -> str:
    """Return `1 row`, `2 rows` (or another noun)."""
    return f"{count} {noun}" + ("" if count == 1 else "s")
