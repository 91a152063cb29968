"""Wikidata's relation periods: P530 statements between curated states, grouped by period.

The two directions of a P530 statement pair become one period when they agree on the parties,
the start and the end; `relation_periods` groups them and `priority` orders them for minting.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from diplomacy_kg.dates import PartialDate, overlap
from diplomacy_kg.wikidata.snapshot import Reference, Snapshot, Statement


@dataclass(frozen=True)
class WikidataPeriod:
    """One relation period as Wikidata states it (one or two statements that agree)."""

    parties: frozenset[URIRef]
    start: PartialDate | None
    end: PartialDate | None
    statements: tuple[Statement, ...]

    @property
    def end_causes(self) -> tuple[str, ...]:
        """The QIDs of the end causes of all its statements."""
        return tuple(sorted({c for s in self.statements for c in s.end_causes}))

    @property
    def references(self) -> tuple[Reference, ...]:
        """The distinct references of all its statements."""
        unique = {r.iri: r for s in self.statements for r in s.references}
        return tuple(unique[key] for key in sorted(unique))

    @property
    def rank(self) -> str:
        """The highest rank among its statements."""
        ranks = {s.rank for s in self.statements}
        return next(r for r in ("preferred", "normal", "deprecated") if r in ranks)


def relation_periods(
    snapshot: Snapshot, states_by_qid: dict[str, URIRef], *, deprecated: bool = False
) -> tuple[list[WikidataPeriod], list[str]]:
    """Group P530 statements between curated states into periods; return notes on skipped ones."""
    grouped: dict[tuple[frozenset[URIRef], PartialDate | None, PartialDate | None], list[Statement]]
    grouped = {}
    notes: list[str] = []
    for statement in snapshot.relations:
        if (statement.rank == "deprecated") != deprecated:
            continue
        subject = states_by_qid.get(statement.subject)
        partner = states_by_qid.get(statement.value)
        if subject is None or partner is None or subject == partner:
            if not deprecated:
                notes.append(
                    f"P530 {statement.subject} → {statement.value} skipped: "
                    f"{statement.value} is not linked to a curated state"
                )
            continue
        key = (frozenset({subject, partner}), statement.start, statement.end)
        grouped.setdefault(key, []).append(statement)
    periods = [
        WikidataPeriod(parties, start, end, tuple(sorted(found, key=lambda s: s.iri)))
        for (parties, start, end), found in grouped.items()
    ]
    periods.sort(key=period_order)
    return periods, sorted(notes)


def period_order(period: WikidataPeriod) -> tuple[str, ...]:
    """Order periods by parties, start, then end."""
    return (
        *sorted(str(p) for p in period.parties),
        period.start.value.isoformat() if period.start else "",
        period.start.precision if period.start else "",
        period.end.value.isoformat() if period.end else "9999",
        period.end.precision if period.end else "",
    )


def priority(period: WikidataPeriod) -> tuple[object, ...]:
    """Order periods for minting: preferred rank first, then those both sides state, earliest."""
    return (period.rank != "preferred", -len(period.statements), period_order(period))


def overlaps(
    begin: PartialDate | None,
    end: PartialDate | None,
    other_begin: PartialDate | None,
    other_end: PartialDate | None,
) -> bool:
    """Tell whether two periods may overlap, by the one rule of `diplomacy_kg.dates`.

    A period without a first day is never compared; one that may overlap (a year-precision end
    and a start in that year) counts as overlapping, so it becomes a claim, not a relation.
    """
    if begin is None or other_begin is None:
        return False
    return overlap(begin, end, other_begin, other_end) != "disjoint"
