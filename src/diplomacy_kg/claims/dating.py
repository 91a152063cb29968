"""Undated data and imprecise dates: when a missing fact could hide, and what a verdict rests on.

A stored query declares which of its columns play which part (`#+ roles:`): `when` and
`when_precision` (the start or day of the row's fact and its precision), `until` and
`until_precision`, `known_active_on`, `when_type` and `fact_kind`. Nothing here guesses a
column's part from its name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from diplomacy_kg import queries
from diplomacy_kg.claims.model import (
    Check,
    CheckOutcome,
    UndecidableError,
    counted,
)
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines import EngineError
from diplomacy_kg.namespaces import DIP, last_segment, sparql_prefix_block

if TYPE_CHECKING:
    from diplomacy_kg.claims.evidence import Lookups

Roles = Mapping[str, str]
"""A stored query's column roles: role → column."""


def precision_columns(roles: Roles) -> set[str]:
    """Return the columns that hold the precision of a date."""
    return set(queries.precision_columns(roles).values())


def _cell(row: Mapping[str, queries.Value], roles: Roles, role: str) -> queries.Value:
    column = roles.get(role)
    return row.get(column) if column is not None else None


def known_active(row: Mapping[str, queries.Value], roles: Roles) -> date | None:
    """Return the day a row's fact is known active, when it has no start date."""
    value = _cell(row, roles, "known_active_on")
    if isinstance(value, PartialDate):
        return value.value
    when = _cell(row, roles, "when")
    if _cell(row, roles, "when_type") == "known active on" and isinstance(when, PartialDate):
        return when.value
    return None


def is_undated(row: Mapping[str, queries.Value], roles: Roles) -> bool:
    """Tell whether a row's fact has no start date (at most a day it was known active)."""
    if _cell(row, roles, "when_type") in ("known active on", "undated") and (
        _cell(row, roles, "fact_kind") != "event"
    ):
        return True
    return (
        "when" in roles
        and "known_active_on" in roles
        and roles["when"] in row
        and _cell(row, roles, "when") is None
        and _cell(row, roles, "known_active_on") is not None
    )


def undecidable_absence(
    lookups: Lookups,
    check: Check,
    result: queries.QueryResult,
    rows: Sequence[Mapping[str, queries.Value]],
    outcome: CheckOutcome,
) -> None:
    """Raise UndecidableError when what is missing could hide in undated data."""
    roles = result.query.roles
    undated = [r for r in rows if is_undated(r, roles)]
    if undated and check.column and any(isinstance(r.get(check.column), date) for r in rows):
        raise UndecidableError(
            f"expected {', '.join(map(lookups.show_expected, map(str, check.expected)))} "
            f"among the {check.column} values, but {counted(len(undated))} have no start "
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
            lookups.entity(str(v))
            for v in check.expected
            if any(isinstance(r.get(check.column or ""), URIRef) for r in result.rows)
            or not result.rows
        ]
    hidden = known_only_after(lookups, parties, day)
    if hidden:
        first = min(k for _, k in hidden)
        raise UndecidableError(
            f"{outcome.explanation}; but {counted(len(hidden), 'fact')} involving "
            f"{', '.join(lookups.label(p) or last_segment(p) for p in parties)} are known only "
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


def known_only_after(
    lookups: Lookups, parties: Sequence[URIRef], day: Literal
) -> list[tuple[URIRef, date]]:
    """Return the facts of all the parties known active only from a day after `day`."""
    unique = list(dict.fromkeys(parties))
    patterns = "\n  ".join(f"?fact dip:party|dip:member ?party{i} ." for i in range(len(unique)))
    bindings: dict[str, Identifier] = {f"party{i}": p for i, p in enumerate(unique)}
    bindings["date"] = day
    try:
        table = lookups.engine.query(_HORIZON.format(patterns=patterns), bindings)
    except EngineError as error:
        raise UndecidableError(f"the engine failed: {error}") from error
    found: list[tuple[URIRef, date]] = []
    for fact, known in table.rows:
        value = known.toPython() if isinstance(known, Literal) else None
        if isinstance(fact, URIRef) and isinstance(value, date):
            found.append((fact, value))
    return found


def dating_notes(
    check: Check, rows: Sequence[Mapping[str, queries.Value]], roles: Roles
) -> list[str]:
    """Say when rows are undated or dated only to the year or month."""
    notes: list[str] = []
    undated = [r for r in rows if is_undated(r, roles)]
    if undated:
        days = sorted({d.isoformat() for r in undated for d in [known_active(r, roles)] if d})
        notes.append(
            f"{check.label}: rests in part on undated data: {len(undated)} of "
            f"{counted(len(rows))} have no start date, only a day they were known active "
            f"({', '.join(days) or 'none'}); they count from that day on."
        )
    coarse: dict[str, int] = {}
    dated = queries.precision_columns(roles)
    for row in rows:
        for column in dated:
            value = row.get(column)
            if isinstance(value, PartialDate) and value.precision != "day":
                coarse[value.precision] = coarse.get(value.precision, 0) + 1
                break
    if coarse:
        parts = [f"{counted(n)} dated only to the {level}" for level, n in sorted(coarse.items())]
        notes.append(
            f"{check.label}: {' and '.join(parts)} (such a date is read as the "
            "window of days it may be)."
        )
    return notes
