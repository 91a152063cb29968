"""What the charts draw, computed from the graph with the one "active on day D" rule.

`partner_series` gives, for each day on which anything can change, the number of partners
certainly active (`lower`) and active or unknown (`upper`) under `dates.active_on`, so a
relation known only to be active on a source's day is a band before that day, not a jump.
`timeline` gives each relation period with the window of its imprecise start and end, the
events between the states and the sources of all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from rdflib import Literal, URIRef

from diplomacy_kg import dates
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines import Engine
from diplomacy_kg.engines.binding import serialize_term
from diplomacy_kg.namespaces import sparql_prefix_block

_RELATIONS = (
    sparql_prefix_block("dip", "prov", "rdfs", "schema")
    + """SELECT ?relation ?partner ?name ?start ?sp ?end ?ep ?known
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
       (MAX(?news) AS ?reported) WHERE {{
  ?relation a dip:DiplomaticRelation ; dip:party {state}, ?partner .
  FILTER(?partner != {state})
  {other}
  OPTIONAL {{ ?partner rdfs:label ?name }}
  OPTIONAL {{ ?relation dip:startDate ?start OPTIONAL {{ ?relation dip:startPrecision ?sp }} }}
  OPTIONAL {{ ?relation dip:endDate ?end OPTIONAL {{ ?relation dip:endPrecision ?ep }} }}
  OPTIONAL {{ ?relation dip:knownActiveOn ?known }}
  OPTIONAL {{ ?relation prov:wasDerivedFrom ?source
             BIND(EXISTS {{ ?source a schema:NewsArticle }} AS ?news) }}
}} GROUP BY ?relation ?partner ?name ?start ?sp ?end ?ep ?known ORDER BY ?start ?relation"""
)
_EVENTS = (
    sparql_prefix_block("dip", "prov", "rdfs")
    + """SELECT ?event ?label ?day ?precision
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
  ?event dip:participant {state}, {other} ; dip:date ?day .
  OPTIONAL {{ ?event dip:datePrecision ?precision }}
  OPTIONAL {{ ?event rdfs:label ?label }}
  OPTIONAL {{ ?event prov:wasDerivedFrom ?source }}
}} GROUP BY ?event ?label ?day ?precision ORDER BY ?day ?event"""
)
_LABELS = (
    sparql_prefix_block("rdfs", "schema")
    + """SELECT ?source ?label ?url WHERE {{
  VALUES ?source {{ {sources} }}
  OPTIONAL {{ ?source rdfs:label ?label }}
  OPTIONAL {{ ?source schema:url ?url }}
}} ORDER BY ?source"""
)


@dataclass(frozen=True)
class Period:
    """One diplomatic relation period with a partner."""

    relation: URIRef
    partner: URIRef
    partner_name: str
    start: PartialDate | None
    end: PartialDate | None
    known_active_on: date | None
    sources: tuple[str, ...]
    reported_in_news: bool = False

    def status(self, day: date) -> dates.Status:
        """Say whether the relation held on `day`, by the project's one rule."""
        return dates.active_on(self.start, self.end, day, self.known_active_on)

    def change_days(self) -> set[date]:
        """Return the days on which this relation's status can change."""
        days: set[date] = set()
        for bound in (self.start, self.end):
            if bound is not None:
                days |= {bound.earliest, bound.latest, bound.latest + timedelta(days=1)}
        if self.known_active_on is not None:
            days.add(self.known_active_on)
        return days


@dataclass(frozen=True)
class Step:
    """From `day` on (until the next step): partners certainly active, and active or unknown."""

    day: date
    lower: int
    upper: int


@dataclass(frozen=True)
class Marker:
    """A labelled event on a chart."""

    day: date
    label: str
    when: str  # the date as written at its precision


@dataclass
class PartnerSeries:
    """The partner count of a state over a window of days, as steps with bounds."""

    state: URIRef
    first: date
    last: date
    steps: list[Step]
    markers: list[Marker] = field(default_factory=list)

    def at(self, day: date) -> Step:
        """Return the step in force on `day`."""
        found = self.steps[0]
        for step in self.steps:
            if step.day > day:
                break
            found = step
        return found


def _partial(value: object, precision: object) -> PartialDate | None:
    if value is None:
        return None
    return PartialDate.from_terms(value, precision)


def periods(engine: Engine, state: URIRef, other: URIRef | None = None) -> list[Period]:
    """Return the relation periods of a state (with one other state, or with every partner)."""
    restriction = f"FILTER(?partner = {serialize_term(other)})" if other is not None else ""
    sparql = _RELATIONS.format(state=serialize_term(state), other=restriction)
    found: list[Period] = []
    for relation, partner, name, start, sp, end, ep, known, sources, news in engine.query(
        sparql
    ).rows:
        assert isinstance(relation, URIRef) and isinstance(partner, URIRef)
        known_day = known.toPython() if isinstance(known, Literal) else None
        found.append(
            Period(
                relation,
                partner,
                str(name or partner),
                _partial(start, sp),
                _partial(end, ep),
                known_day if isinstance(known_day, date) else None,
                tuple(sorted(str(sources or "").split())),
                isinstance(news, Literal) and bool(news.toPython()),
            )
        )
    return found


def partner_series(
    relations: Sequence[Period], state: URIRef, first: date, last: date
) -> PartnerSeries:
    """Count the partners certainly active and possibly active on each day of [first, last]."""
    days = {first} | {d for p in relations for d in p.change_days() if first < d <= last}
    steps: list[Step] = []
    for day in sorted(days):
        active: set[URIRef] = set()
        possible: set[URIRef] = set()
        for period in relations:
            status = period.status(day)
            if status == "active":
                active.add(period.partner)
            if status in ("active", "unknown"):
                possible.add(period.partner)
        step = Step(day, len(active), len(possible))
        if not steps or (steps[-1].lower, steps[-1].upper) != (step.lower, step.upper):
            steps.append(step)
    series = PartnerSeries(state, first, last, steps)
    series.markers = news_markers(relations, first, last)
    return series


def news_markers(relations: Iterable[Period], first: date, last: date) -> list[Marker]:
    """Label the starts and ends known to the day that news articles report."""
    markers: list[Marker] = []
    for period in relations:
        if not period.reported_in_news:
            continue
        for bound, verb in ((period.start, ""), (period.end, "ends: ")):
            if bound is not None and bound.precision == "day" and first <= bound.value <= last:
                markers.append(Marker(bound.value, f"{verb}{period.partner_name}", str(bound)))
    return sorted(markers, key=lambda m: (m.day, m.label))


@dataclass(frozen=True)
class Event:
    """An event between two states, with its date at its precision."""

    iri: URIRef
    label: str
    when: PartialDate
    sources: tuple[str, ...]


def events_between(engine: Engine, state: URIRef, other: URIRef) -> list[Event]:
    """Return the dated events both states took part in."""
    sparql = _EVENTS.format(state=serialize_term(state), other=serialize_term(other))
    found: list[Event] = []
    for event, label, day, precision, sources in engine.query(sparql).rows:
        when = _partial(day, precision)
        if isinstance(event, URIRef) and when is not None:
            found.append(
                Event(event, str(label or event), when, tuple(sorted(str(sources or "").split())))
            )
    return found


def source_list(engine: Engine, sources: Iterable[str]) -> list[tuple[str, str, str]]:
    """Return (IRI, title, URL) for each source, sorted by IRI."""
    chosen = sorted(set(sources))
    if not chosen:
        return []
    values = " ".join(serialize_term(URIRef(s)) for s in chosen)
    rows = engine.query(_LABELS.format(sources=values)).rows
    listed: dict[str, tuple[str, str, str]] = {}
    for source, label, url in rows:
        listed.setdefault(str(source), (str(source), str(label or source), str(url or "")))
    return [listed[s] for s in chosen if s in listed]


def label_of(engine: Engine, iri: URIRef) -> str:
    """Return an entity's label (English first), or its IRI."""
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    sparql = (
        f"SELECT ?label WHERE {{ {serialize_term(iri)} {label} ?label }} "
        "ORDER BY DESC(LANGMATCHES(LANG(?label), 'en')) ?label LIMIT 1"
    )
    rows = engine.query(sparql).rows
    return str(rows[0][0]) if rows and rows[0][0] is not None else str(iri)
