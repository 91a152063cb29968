"""Coverage statements, and how complete an answer is because of them.

RDF is open-world: a relation missing from the graph is not a relation known not to exist. A
`dip:CoverageStatement` says, on its sources, that the graph holds every diplomatic relation of
one state (with the partners in a scope: every partner, or the members of an organisation) that
was active on each day from `dip:coveredFrom` to `dip:coveredUntil` (after the completeness
statements of Darari et al., ISWC 2013, and COOL-WD). Where one applies an absence or a count is
a fact; elsewhere an answer says that it is incomplete and gives what it knows.

A date-bound stored query says in its header which answer it gives
(`#+ coverage: KIND STATE-PARAM DAY-PARAM [LAST-DAY-PARAM]`): `rows` (facts that hold, e.g.
partners), `absence` (rows claim that a tie is missing: without coverage, their status becomes
"unknown") or `count` (`count`, `minimum`, `maximum`: without coverage, only the minimum stands).
`completeness` computes `QueryResult.completeness` from the statements the engine holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import sparql_prefix_block

if TYPE_CHECKING:
    from diplomacy_kg.engines import Engine

KINDS = ("rows", "absence", "count")
"""What a date-bound query's answer claims, as its `#+ coverage:` header names it."""


@dataclass(frozen=True)
class CoverageStatement:
    """One coverage statement: a state, a scope, the days covered, and what the source says."""

    iri: URIRef
    state: URIRef
    state_label: str
    first: date
    last: date
    scope: URIRef | None = None
    scope_label: str | None = None
    count: int | None = None
    non_partners: tuple[URIRef, ...] = ()
    sources: tuple[URIRef, ...] = ()
    label: str = ""

    def covers(self, day: date) -> bool:
        """Whether the statement vouches for that day."""
        return self.first <= day <= self.last

    @property
    def days(self) -> str:
        """The covered days as written: `2024-02-15` or `2019-07-30 to 2024-02-13`."""
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


@dataclass(frozen=True)
class Completeness:
    """Whether an answer is complete, and why, in one line (the CLI prints it under a table)."""

    complete: bool
    line: str
    assessed: bool = True
    statements: tuple[URIRef, ...] = ()
    sources: tuple[URIRef, ...] = ()
    known: int | None = None
    unknown: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Return the completeness as JSON-ready fields."""
        return {
            "complete": self.complete,
            "line": self.line,
            "coverage_statements": [str(s) for s in self.statements],
            "sources": [str(s) for s in self.sources],
            "known": self.known,
            "unknown": self.unknown,
        }


_STATEMENTS = (
    sparql_prefix_block("dip", "prov", "rdfs")
    + """
SELECT ?statement ?state ?state_label ?first ?last ?scope ?scope_label ?count ?non_partner
       ?source ?label
WHERE {
  ?statement a dip:CoverageStatement ;
             dip:coveredState ?state ;
             dip:coveredFrom ?first ;
             dip:coveredUntil ?last .
  OPTIONAL { ?statement rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?state rdfs:label ?state_label FILTER(LANGMATCHES(LANG(?state_label), "en")) }
  OPTIONAL { ?statement dip:partnersMemberOf ?scope .
             OPTIONAL { ?scope rdfs:label ?scope_label
                        FILTER(LANGMATCHES(LANG(?scope_label), "en")) } }
  OPTIONAL { ?statement dip:statedPartnerCount ?count }
  OPTIONAL { ?statement dip:statedNonPartner ?non_partner }
  OPTIONAL { ?statement prov:wasDerivedFrom ?source }
}
ORDER BY ?state ?first ?statement
"""
)


def _python(term: object) -> object:
    return term.toPython() if isinstance(term, Literal) else term


def statements(engine: Engine, state: URIRef | None = None) -> list[CoverageStatement]:
    """Every coverage statement the engine holds (of one state, if given), by state and day."""
    bindings: dict[str, Identifier] = {"state": state} if state is not None else {}
    found: dict[URIRef, CoverageStatement] = {}
    for row in engine.query(_STATEMENTS, bindings).rows:
        iri, subject, state_label, first, last, scope, scope_label, count, non, source, label = row
        if not isinstance(iri, URIRef) or not isinstance(subject, URIRef):
            continue
        first_day, last_day = _python(first), _python(last)
        if not isinstance(first_day, date) or not isinstance(last_day, date):
            continue
        known = found.get(iri) or CoverageStatement(
            iri=iri,
            state=subject,
            state_label=str(state_label) if state_label is not None else _slug(subject),
            first=first_day,
            last=last_day,
            scope=scope if isinstance(scope, URIRef) else None,
            scope_label=str(scope_label) if scope_label is not None else None,
            count=int(str(count)) if count is not None else None,
            label=str(label) if label is not None else "",
        )
        if isinstance(non, URIRef) and non not in known.non_partners:
            known = replace(known, non_partners=tuple(sorted((*known.non_partners, non))))
        if isinstance(source, URIRef) and source not in known.sources:
            known = replace(known, sources=tuple(sorted((*known.sources, source))))
        found[iri] = known
    return sorted(found.values(), key=lambda s: (str(s.state), s.first, str(s.iri)))


def covering(
    held: Sequence[CoverageStatement],
    state: URIRef,
    first: date,
    last: date,
    scope: URIRef | None = None,
) -> list[CoverageStatement] | None:
    """Return statements that together vouch for every day from `first` to `last`, or None.

    A statement of every partner serves any scope; one scoped to an organisation serves only
    answers about that organisation's members (`scope`).
    """
    usable = sorted(
        (s for s in held if s.state == state and (s.scope is None or s.scope == scope)),
        key=lambda s: (s.first, s.last),
    )
    chosen: list[CoverageStatement] = []
    day = first
    while day <= last:
        reaching = [s for s in usable if s.covers(day)]
        if not reaching:
            return None
        best = max(reaching, key=lambda s: s.last)
        chosen.append(best)
        day = best.last + timedelta(days=1)
    return chosen


def _slug(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _period(days: Sequence[PartialDate]) -> str:
    if len(days) == 1 or days[0] == days[-1]:
        return f"on {days[0]}"
    return f"from {days[0]} to {days[-1]}"


def header(notes: Mapping[str, str]) -> tuple[str, str, tuple[str, ...]] | None:
    """Read a query's `#+ coverage:` header: kind, state parameter, day parameters."""
    text = notes.get("coverage")
    if not text:
        return None
    words = text.split()
    if len(words) not in (3, 4) or words[0] not in KINDS:
        raise ValueError(
            f"`#+ coverage: {text}`: expected KIND STATE-PARAM DAY-PARAM [LAST-DAY-PARAM], "
            f"KIND one of {', '.join(KINDS)}"
        )
    return words[0], words[1], tuple(words[2:])


UN = URIRef("https://w3id.org/diplomacy-kg/id/organization/united-nations")


_UNCERTAIN_DATING = ("imprecise", "start unknown", "undated")


def _dating(rows: list[dict[str, Any]]) -> str:
    """Say how many rows are not dated to the day, when a query's status gives their dating."""
    counts = {kind: sum(1 for r in rows if r.get("status") == kind) for kind in _UNCERTAIN_DATING}
    parts = [f"{count} {kind}" for kind, count in counts.items() if count]
    if not parts:
        return ""
    rows_text = f"{len(rows)} row" + ("" if len(rows) == 1 else "s")
    return f"; of {rows_text}, {', '.join(parts)} (their order in time is not certain)"


def assess(
    engine: Engine,
    notes: Mapping[str, str],
    bindings: Mapping[str, Identifier],
    days: Mapping[str, PartialDate],
    rows: list[dict[str, Any]],
    labels: Mapping[URIRef, str] | None = None,
) -> tuple[Completeness, list[dict[str, Any]]]:
    """Say how complete an answer is, and return its rows with what coverage does not vouch for.

    Rows of an `absence` answer whose status is "not active" become "unknown" where no coverage
    statement applies; a `count` answer keeps only its minimum ("at least").
    """
    read = header(notes)
    if read is None:
        line = "incomplete: lists what the graph's sources say; no coverage statement applies"
        return Completeness(False, line + _dating(rows), assessed=False, known=len(rows)), rows
    kind, state_param, day_params = read
    state = bindings.get(state_param)
    asked = [days[name] for name in day_params if name in days]
    if not isinstance(state, URIRef) or not asked:
        return Completeness(False, "incomplete: no state and day to assess", False), rows
    held = statements(engine, state)
    name = (
        (labels or {}).get(state)
        or next((s.state_label for s in held), None)
        or _state_label(engine, state)
    )
    first, last = asked[0].earliest, asked[-1].latest
    scope = UN if kind == "absence" else None
    chosen = covering(held, state, first, last, scope)
    period = _period(asked)
    status_column = "status" if rows and "status" in rows[0] else None
    unknown = (
        sum(1 for r in rows if r.get(status_column) in ("unknown", "possibly in window"))
        if status_column and kind != "count"
        else 0
    )
    if chosen is None:
        more = _unknown_count(rows[0]) if kind == "count" and rows else unknown
        adjusted = _open_world(kind, rows)
        known = _known(kind, adjusted)
        line = (
            f"incomplete: no coverage statement for {name} {period}; "
            f"{_known_text(kind, known, more)}"
        )
        return Completeness(False, line, known=known, unknown=more), adjusted
    sources = tuple(sorted(dict.fromkeys(s for c in chosen for s in c.sources)))
    iris = tuple(dict.fromkeys(c.iri for c in chosen))
    cited = ", ".join(_slug(s) for s in sources) or "none given"
    if kind == "count" and rows:
        row = rows[0]
        if row.get("count") is None:
            line = (
                f"incomplete: all of {name}'s relations {period} are declared (sources: {cited}),"
                f" but {_unknown_count(row)} of them may or may not have held"
            )
            return Completeness(False, line, True, iris, sources, row.get("minimum")), rows
    if unknown:
        line = (
            f"incomplete: all of {name}'s relations {period} are declared (sources: {cited}), "
            f"but {unknown} row{'s' if unknown != 1 else ''} may or may not hold"
        )
        return Completeness(False, line, True, iris, sources, len(rows), unknown), rows
    what = "relations with UN members" if scope is not None else "relations"
    line = f"complete: all of {name}'s {what} {period} are declared (sources: {cited})"
    return Completeness(True, line, True, iris, sources, _known(kind, rows)), rows


def _unknown_count(row: Mapping[str, Any]) -> int:
    low, high = row.get("minimum"), row.get("maximum")
    return int(high) - int(low) if isinstance(low, int) and isinstance(high, int) else 0


def _open_world(kind: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if kind == "absence":
        return [
            {**row, "status": "unknown"} if row.get("status") == "not active" else row
            for row in rows
        ]
    if kind == "count":
        return [{**row, "count": None, "maximum": None, "status": "at least"} for row in rows]
    return rows


def _known(kind: str, rows: Sequence[Mapping[str, Any]]) -> int:
    if kind == "count":
        value = rows[0].get("minimum") if rows else 0
        return int(value) if isinstance(value, int) else 0
    return len(rows)


def _known_text(kind: str, known: int, unknown: int) -> str:
    maybe = f" ({unknown} of them may or may not have held)" if unknown else ""
    if kind == "count":
        more = f", and {unknown} more may have been" if unknown else ""
        return f"at least {known} partner{'s' if known != 1 else ''}{more}"
    if kind == "absence":
        return (
            f"{known} UN member{'s' if known != 1 else ''} with no tie in the graph, "
            "which does not show that they had none"
        )
    return f"{known} row{'s' if known != 1 else ''} known{maybe}"


_LABEL = (
    sparql_prefix_block("rdfs")
    + """
SELECT ?label WHERE { ?thing rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
"""
)


def _state_label(engine: Engine, state: URIRef) -> str:
    rows = engine.query(_LABEL, {"thing": state}).rows
    return str(rows[0][0]) if rows and rows[0][0] is not None else _slug(state)
