"""Accepted acts that start or end a relation: the period of `dip:DiplomaticRelation` they imply.

An establishment or a restoration between two states starts a period (a new relation node,
`dip:establishedBy` the act) unless the graph already holds a relation of the two starting in
the act's period, which the act then establishes as a further source, or an open period that
began before it (then it starts nothing, and says so). A severance or a
suspension ends the one open period of the two states that started before it (`dip:endDate`,
`dip:endedBy`); with none or several open periods it ends nothing, and says so. The shapes then
judge the result with the rest of the graph (overlapping periods, declared coverage counts).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.ingest.candidates import Candidate
from diplomacy_kg.namespaces import DIP, instance_iri, last_segment
from diplomacy_kg.provenance import attach_source

STARTS = {"establishment", "restoration"}
ENDS = {"severance", "suspension"}


@dataclass(frozen=True)
class PeriodChange:
    """What an accepted act did to the relation periods: started, joined, ended, or nothing."""

    action: str  # "started", "joined", "ended" or "none"
    relation: URIRef | None
    reason: str = ""


def _states(graph: Graph, *parties: URIRef | None) -> list[URIRef] | None:
    found = [p for p in parties if p is not None and (p, RDF.type, DIP.State) in graph]
    return sorted(found) if len(found) == 2 and found[0] != found[1] else None


def _relations(graph: Graph, pair: list[URIRef]) -> list[URIRef]:
    return sorted(
        r
        for r in graph.subjects(DIP.party, pair[0])
        if isinstance(r, URIRef)
        and (r, DIP.party, pair[1]) in graph
        and (r, RDF.type, DIP.DiplomaticRelation) in graph
    )


def _partial(graph: Graph, node: Node, value: URIRef, precision: URIRef) -> PartialDate | None:
    return PartialDate.from_terms(graph.value(node, value), graph.value(node, precision))


def _open(graph: Graph, relations: list[URIRef], when: PartialDate) -> list[URIRef]:
    """Return the periods with no end that began before `when` (or are known only active)."""
    found = []
    for relation in relations:
        start = _partial(graph, relation, DIP.startDate, DIP.startPrecision)
        if graph.value(relation, DIP.endDate) is None and (
            start is None or start.latest <= when.earliest
        ):
            found.append(relation)
    return found


def _label(graph: Graph, state: URIRef) -> str:
    label = graph.value(state, RDFS.label)
    return str(label) if label is not None else last_segment(state).upper()


def apply_period(
    graph: Graph,
    out: Graph,
    candidate: Candidate,
    act: URIRef,
    subject: URIRef | None,
    obj: URIRef | None,
    source: URIRef,
) -> PeriodChange:
    """Start or end the relation period an accepted act implies; `graph` holds `out` already."""
    if candidate.kind not in STARTS | ENDS:
        return PeriodChange("none", None)
    pair = _states(graph, subject, obj)
    if pair is None or candidate.date is None:
        return PeriodChange("none", None, "the act needs two states and a date")
    when = PartialDate.parse(candidate.date.value.split("/")[0])
    locator = f"characters {candidate.start}-{candidate.end}"
    relations = _relations(graph, pair)
    if candidate.kind in STARTS:
        for relation in relations:
            start = _partial(graph, relation, DIP.startDate, DIP.startPrecision)
            if start is not None and start.same_period(when):
                out.add((relation, DIP.establishedBy, act))
                attach_source(out, relation, source, quote=candidate.evidence, locator=locator)
                return PeriodChange("joined", relation)
        held = _open(graph, relations, when)
        if held:
            since = graph.value(held[0], DIP.startDate) or graph.value(held[0], DIP.knownActiveOn)
            return PeriodChange(
                "none", None, f"the graph holds an open period of the two states (since {since})"
            )
        codes = "-".join(last_segment(s) for s in pair)
        relation = instance_iri("relation", f"{codes}-{when.value.isoformat()}")
        names = "–".join(_label(graph, s) for s in pair)
        out.add((relation, RDF.type, DIP.DiplomaticRelation))
        out.add(
            (relation, RDFS.label, Literal(f"{names} diplomatic relations ({when}–)", lang="en"))
        )
        for state in pair:
            out.add((relation, DIP.party, state))
        out.add((relation, DIP.startDate, Literal(when.value.isoformat(), datatype=XSD.date)))
        out.add((relation, DIP.startPrecision, when.precision_iri))
        out.add((relation, DIP.establishedBy, act))
        attach_source(out, relation, source, quote=candidate.evidence, locator=locator)
        return PeriodChange("started", relation)
    open_periods = _open(graph, relations, when)
    if len(open_periods) != 1:
        found = "no open period" if not open_periods else f"{len(open_periods)} open periods"
        return PeriodChange("none", None, f"the graph holds {found} of the two states to end")
    (relation,) = open_periods
    out.add((relation, DIP.endDate, Literal(when.value.isoformat(), datatype=XSD.date)))
    out.add((relation, DIP.endPrecision, when.precision_iri))
    out.add((relation, DIP.endedBy, act))
    attach_source(out, relation, source, quote=candidate.evidence, locator=locator)
    return PeriodChange("ended", relation)
