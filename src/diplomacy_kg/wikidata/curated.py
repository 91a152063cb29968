"""What the curated graph says that linking needs: Wikidata links, labels, ISO codes, relations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import DIP, last_segment
from diplomacy_kg.wikidata.snapshot import qid_of

# The classes whose instances can be linked to Wikidata, most specific first.
LINKABLE_CLASSES: tuple[URIRef, ...] = (
    DIP.State,
    DIP.City,
    DIP.Person,
    DIP.Family,
    DIP.Organization,
)


@dataclass(frozen=True)
class Entity:
    """A curated entity of a linkable class, with its labels and (if any) its Wikidata link."""

    iri: URIRef
    kind: URIRef
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: tuple[str, ...] = ()
    qids: tuple[str, ...] = ()
    iso2: str | None = None
    iso3: str | None = None

    @property
    def label(self) -> str:
        """The English label, else any label, else the IRI's last segment."""
        return (
            self.labels.get("en") or next(iter(self.labels.values()), "") or last_segment(self.iri)
        )

    @property
    def qid(self) -> str | None:
        """The entity's (first) QID."""
        return self.qids[0] if self.qids else None


@dataclass(frozen=True)
class CuratedRelation:
    """One curated diplomatic relation period."""

    iri: URIRef
    parties: frozenset[URIRef]
    start: PartialDate | None
    end: PartialDate | None
    known_active_on: date | None


def _text(graph: Graph, subject: URIRef, predicate: URIRef) -> str | None:
    values = sorted(str(value) for value in graph.objects(subject, predicate))
    return values[0] if values else None


def entity_kind(graph: Graph, subject: URIRef) -> URIRef | None:
    """Return the most specific linkable class of a subject, or None."""
    types = set(graph.objects(subject, RDF.type))
    return next((kind for kind in LINKABLE_CLASSES if kind in types), None)


def entities(graph: Graph) -> list[Entity]:
    """Every curated entity of a linkable class, sorted by IRI."""
    found: dict[URIRef, Entity] = {}
    for kind in LINKABLE_CLASSES:
        for subject in graph.subjects(RDF.type, kind):
            if not isinstance(subject, URIRef) or subject in found:
                continue
            chosen = entity_kind(graph, subject)
            assert chosen is not None
            labels: dict[str, str] = {}
            for label in sorted(graph.objects(subject, RDFS.label), key=str):
                if isinstance(label, Literal):
                    labels.setdefault(label.language or "", str(label))
            qids = sorted(
                qid
                for target in graph.objects(subject, OWL.sameAs)
                if (qid := qid_of(str(target))) is not None
            )
            found[subject] = Entity(
                iri=subject,
                kind=chosen,
                labels=labels,
                alt_labels=tuple(sorted(str(v) for v in graph.objects(subject, SKOS.altLabel))),
                qids=tuple(qids),
                iso2=_text(graph, subject, DIP.iso3166Alpha2),
                iso3=_text(graph, subject, DIP.iso3166Alpha3),
            )
    return [found[key] for key in sorted(found)]


def qid_index(items: Iterable[Entity]) -> dict[str, URIRef]:
    """Map each linked QID to the curated IRI (the first by IRI when two share one)."""
    index: dict[str, URIRef] = {}
    for entity in sorted(items, key=lambda e: e.iri):
        for qid in entity.qids:
            index.setdefault(qid, entity.iri)
    return index


def linked_subjects(graph: Graph) -> dict[str, URIRef]:
    """Map every QID that some curated subject links to (owl:sameAs) to that subject."""
    index: dict[str, URIRef] = {}
    for subject, target in sorted(graph.subject_objects(OWL.sameAs), key=str):
        qid = qid_of(str(target))
        if qid is not None and isinstance(subject, URIRef):
            index.setdefault(qid, subject)
    return index


def _date(graph: Graph, subject: URIRef, value: URIRef, precision: URIRef) -> PartialDate | None:
    literal = next(iter(graph.objects(subject, value)), None)
    if not isinstance(literal, Literal):
        return None
    return PartialDate.from_terms(literal, next(iter(graph.objects(subject, precision)), None))


def relations(graph: Graph) -> list[CuratedRelation]:
    """Every curated diplomatic relation period with exactly two parties, sorted by IRI."""
    found = []
    for subject in sorted(graph.subjects(RDF.type, DIP.DiplomaticRelation), key=str):
        if not isinstance(subject, URIRef):
            continue
        parties = frozenset(p for p in graph.objects(subject, DIP.party) if isinstance(p, URIRef))
        if len(parties) != 2:
            continue
        active = next(iter(graph.objects(subject, DIP.knownActiveOn)), None)
        active_date = active.toPython() if isinstance(active, Literal) else None
        found.append(
            CuratedRelation(
                iri=subject,
                parties=parties,
                start=_date(graph, subject, DIP.startDate, DIP.startPrecision),
                end=_date(graph, subject, DIP.endDate, DIP.endPrecision),
                known_active_on=active_date if isinstance(active_date, date) else None,
            )
        )
    return found
