"""Mapping Wikidata into the ontology: relations per period, claims, states, persons, offices.

A period that no curated relation covers becomes a `dip:DiplomaticRelation` in our id space
(`id/relation/wikidata-…`); one that overlaps a curated relation (or one already minted)
becomes a `dip:Claim` about it. States and persons gain labels and codes, states their
capitals, and heads of state and government become office terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import DIP, instance_iri, last_segment, new_graph, wikidata_entity
from diplomacy_kg.provenance import attach_source
from diplomacy_kg.wikidata import curated
from diplomacy_kg.wikidata.periods import (
    WikidataPeriod,
    overlaps,
    priority,
    relation_periods,
)
from diplomacy_kg.wikidata.references import ENRICHMENT_SOURCE, add_provenance
from diplomacy_kg.wikidata.snapshot import Snapshot
from diplomacy_kg.wikidata.verify import check_entity

OFFICE_KINDS = {
    "P35": ("head-of-state", DIP.HeadOfState),
    "P6": ("head-of-government", DIP.HeadOfGovernment),
}


def _numbered(used: dict[str, int], base: str) -> str:
    used[base] = used.get(base, 0) + 1
    return base if used[base] == 1 else f"{base}-{used[base]}"


class Mapper:
    """Maps a snapshot into the ontology, node by node, beside the curated graph."""

    def __init__(self, curated_graph: Graph, snapshot: Snapshot) -> None:
        self.curated = curated_graph
        self.snapshot = snapshot
        self.graph = new_graph()
        self.entities = curated.entities(curated_graph)
        self.by_qid = curated.qid_index(self.entities)
        self.any_by_qid = curated.linked_subjects(curated_graph)
        self.by_iri = {entity.iri: entity for entity in self.entities}
        self.notes: list[str] = []
        self.unverified = self._unverified()
        for qid in list(self.by_qid):
            if qid in self.unverified:
                del self.by_qid[qid]
        self.states_by_qid = {
            qid: iri for qid, iri in self.by_qid.items() if self.by_iri[iri].kind == DIP.State
        }
        self.retrieved_day = snapshot.retrieved_at[:10]

    def _unverified(self) -> set[str]:
        """QIDs whose link fails verification: nothing is fetched into the graph through them.

        A state is trusted unless its item is missing, redirected, of another type or has other
        ISO codes (names differ legitimately); a person also needs a label in common.
        """
        blocking = {"missing", "redirect", "type", "iso3166Alpha2", "iso3166Alpha3"}
        rejected: set[str] = set()
        for qid, iri in sorted(self.by_qid.items()):
            entity = self.by_iri[iri]
            facts = self.snapshot.items.get(qid)
            if facts is None:
                continue
            problems = {m.aspect for m in check_entity(entity, qid, facts)}
            blocking_here = blocking | {"label"} if entity.kind == DIP.Person else blocking
            if problems & blocking_here:
                rejected.add(qid)
                self.notes.append(
                    f"{last_segment(iri)} → {qid} skipped: the link does not verify "
                    f"({', '.join(sorted(problems))}); run `diplomacy-kg wikidata verify`"
                )
        return rejected

    def add(self, subject: URIRef, predicate: URIRef, value: URIRef | Literal) -> None:
        """Add one triple to the enrichment graph."""
        self.graph.add((subject, predicate, value))

    def label_of(self, iri: URIRef, qid: str | None = None) -> str:
        """Return the English label of a node: curated, else Wikidata's, else its slug."""
        entity = self.by_iri.get(iri)
        if entity is not None and entity.labels.get("en"):
            return entity.labels["en"]
        if qid is not None:
            return self.snapshot.label(qid) or qid
        return last_segment(iri)

    def add_labels(self, subject: URIRef, qid: str) -> None:
        """Add Wikidata's labels of an item in every language of the snapshot."""
        for language in self.snapshot.languages:
            text = self.snapshot.label(qid, language)
            if text:
                self.add(subject, RDFS.label, Literal(text, lang=language))
        if self.snapshot.label(qid) is None:
            self.add(subject, RDFS.label, Literal(f"Wikidata item {qid}", lang="en"))

    def node_for(self, qid: str, kind: str, rdf_class: URIRef) -> URIRef:
        """Return the curated node linked to a QID, or a new node in our id space for it."""
        known = self.any_by_qid.get(qid)
        if known is not None:
            return known
        node = instance_iri(kind, f"wikidata-{qid.lower()}")
        self.add(node, RDF.type, rdf_class)
        self.add(node, OWL.sameAs, wikidata_entity(qid))
        attach_source(self.graph, node, ENRICHMENT_SOURCE)
        self.add_labels(node, qid)
        return node

    def add_date(
        self, subject: URIRef, value: URIRef, precision: URIRef, when: PartialDate
    ) -> None:
        """Add a date and its precision."""
        self.add(subject, value, when.literal)
        self.add(subject, precision, when.precision_iri)

    def add_relations(self) -> tuple[int, int]:
        """Mint a relation per Wikidata period that no curated relation already covers.

        A period that overlaps a curated relation (or a period already minted) would break the
        one-period-at-a-time rule of the shapes; it becomes a dip:Claim about that relation.
        """
        periods, notes = relation_periods(self.snapshot, self.states_by_qid)
        self.notes += notes
        deprecated = sum(1 for s in self.snapshot.relations if s.rank == "deprecated")
        if deprecated:
            self.notes.append(f"{deprecated} deprecated P530 statement(s) left out")
        taken: dict[
            frozenset[URIRef], list[tuple[URIRef, PartialDate | None, PartialDate | None]]
        ] = {}
        for relation in curated.relations(self.curated):
            begin = relation.start or _day(relation.known_active_on)
            taken.setdefault(relation.parties, []).append((relation.iri, begin, relation.end))
        relation_slugs: dict[str, int] = {}
        claim_slugs: dict[str, int] = {}
        minted = claims = 0
        for period in sorted(periods, key=priority):
            a, b = sorted(last_segment(p) for p in period.parties)
            year = str(period.start.value.year) if period.start else "undated"
            begin = period.start
            if begin is None and period.end is None and self.retrieved_day:
                begin = _day(date.fromisoformat(self.retrieved_day))
            end = period.end
            overlapped = [
                iri
                for iri, other_begin, other_end in taken.get(period.parties, [])
                if overlaps(begin, end, other_begin, other_end)
            ]
            if begin is None or overlapped:
                slug = _numbered(claim_slugs, f"wikidata-{a}-{b}-{year}")
                self.add_claim(instance_iri("claim", slug), period, overlapped)
                claims += 1
                continue
            node = instance_iri("relation", _numbered(relation_slugs, f"wikidata-{a}-{b}-{year}"))
            taken.setdefault(period.parties, []).append((node, begin, end))
            self.add_relation(node, period)
            minted += 1
        return minted, claims

    def _span(self, period: WikidataPeriod) -> str:
        return (
            (str(period.start) if period.start else "?")
            + " to "
            + (str(period.end) if period.end else "now")
        )

    def _pair(self, period: WikidataPeriod) -> str:
        first, second = sorted(period.parties, key=lambda p: self.label_of(p))
        return f"{self.label_of(first)} and {self.label_of(second)}"

    def add_relation(self, node: URIRef, period: WikidataPeriod) -> None:
        """Mint a relation for a period: parties, dates, end causes and provenance."""
        self.add(node, RDF.type, DIP.DiplomaticRelation)
        self.add(
            node,
            RDFS.label,
            Literal(
                f"Diplomatic relations of {self._pair(period)}, {self._span(period)} (Wikidata)",
                lang="en",
            ),
        )
        for party in sorted(period.parties):
            self.add(node, DIP.party, party)
        if period.start is not None:
            self.add_date(node, DIP.startDate, DIP.startPrecision, period.start)
        elif self.retrieved_day:
            # Wikidata gives no start: the relation is known to hold on the day it was retrieved.
            self.add(node, DIP.knownActiveOn, Literal(self.retrieved_day, datatype=XSD.date))
        if period.end is not None:
            self.add_date(node, DIP.endDate, DIP.endPrecision, period.end)
        for cause in period.end_causes:
            self.add(node, DIP.endCause, self.node_for(cause, "event", DIP.Event))
        add_provenance(self.graph, self.snapshot, node, period)
        if period.rank == "preferred":
            self.add(node, SKOS.editorialNote, Literal("Wikidata rank: preferred.", lang="en"))

    def add_claim(self, node: URIRef, period: WikidataPeriod, about: Sequence[URIRef]) -> None:
        """Record a period that overlaps curated relations as a claim about them."""
        causes = ", ".join(self.snapshot.label(q) or q for q in period.end_causes)
        start = (
            f"from {period.start!s} ({period.start.precision} precision)"
            if period.start
            else "with no start time"
        )
        end = f" to {period.end!s} ({period.end.precision} precision)" if period.end else ""
        text = (
            f"Wikidata states diplomatic relations between {self._pair(period)} {start}{end}"
            + (f", ended by {causes}" if causes else "")
            + f" (P530, {period.rank} rank)."
        )
        self.add(node, RDF.type, DIP.Claim)
        self.add(
            node,
            RDFS.label,
            Literal(f"Wikidata on {self._pair(period)}, {self._span(period)}", lang="en"),
        )
        self.add(node, DIP.text, Literal(text, lang="en"))
        for target in sorted(about) if about else sorted(period.parties):
            self.add(node, DIP.about, target)
        add_provenance(self.graph, self.snapshot, node, period)

    def add_states(self) -> None:
        """Add labels, ISO codes and capitals to the curated states."""
        for qid, iri in sorted(self.states_by_qid.items()):
            facts = self.snapshot.items.get(qid)
            if facts is None:
                continue
            for language, text in facts.labels.items():
                self.add(iri, RDFS.label, Literal(text, lang=language))
            for prop, value in (
                (DIP.iso3166Alpha2, facts.iso2),
                (DIP.iso3166Alpha3, facts.iso3),
                (DIP.iso3166Numeric, facts.iso_numeric),
            ):
                if value:
                    self.add(iri, prop, Literal(value))
            for capital in facts.capitals:
                city = self.node_for(capital, "place", DIP.City)
                self.add(city, DIP.country, iri)
                self.add(iri, DIP.capital, city)

    def add_persons(self) -> None:
        """Add labels to the curated persons."""
        for qid, iri in sorted(self.by_qid.items()):
            entity = self.by_iri[iri]
            facts = self.snapshot.items.get(qid)
            if entity.kind != DIP.Person or facts is None:
                continue
            for language, text in facts.labels.items():
                self.add(iri, RDFS.label, Literal(text, lang=language))

    def add_offices(self) -> int:
        """Add the heads of state and government as office terms; return how many."""
        terms: dict[str, int] = {}
        for statement in self.snapshot.offices:
            state = self.states_by_qid.get(statement.subject)
            if (
                state is None
                or statement.rank == "deprecated"
                or statement.prop not in OFFICE_KINDS
            ):
                continue
            kind_slug, kind = OFFICE_KINDS[statement.prop]
            office = instance_iri("office", f"wikidata-{last_segment(state)}-{kind_slug}")
            self.add(office, RDF.type, DIP.Office)
            self.add(office, DIP.officeKind, kind)
            self.add(office, DIP.country, state)
            self.add(
                office,
                RDFS.label,
                Literal(f"{kind_slug.replace('-', ' ')} of {self.label_of(state)}", lang="en"),
            )
            attach_source(self.graph, office, ENRICHMENT_SOURCE)
            holder = self.node_for(statement.value, "person", DIP.Person)
            base = f"wikidata-{last_segment(state)}-{kind_slug}-{statement.value.lower()}" + (
                f"-{statement.start.value.year}" if statement.start else ""
            )
            term = instance_iri("office-term", _numbered(terms, base))
            self.add(term, RDF.type, DIP.OfficeTerm)
            self.add(term, DIP.holder, holder)
            self.add(term, DIP.office, office)
            span = (
                (str(statement.start) if statement.start else "?")
                + " to "
                + (str(statement.end) if statement.end else "now")
            )
            self.add(
                term,
                RDFS.label,
                Literal(
                    f"{self.label_of(holder, statement.value)} as "
                    f"{kind_slug.replace('-', ' ')} of {self.label_of(state)}, {span} (Wikidata)",
                    lang="en",
                ),
            )
            if statement.start is not None:
                self.add_date(term, DIP.startDate, DIP.startPrecision, statement.start)
            elif statement.end is None and self.retrieved_day:
                self.add(term, DIP.knownActiveOn, Literal(self.retrieved_day, datatype=XSD.date))
            if statement.end is not None:
                self.add_date(term, DIP.endDate, DIP.endPrecision, statement.end)
            attach_source(
                self.graph,
                term,
                ENRICHMENT_SOURCE,
                locator=f"Wikidata statement {statement.statement_id}",
                named=True,  # the enrichment graph holds no blank nodes
            )
        return sum(terms.values())


def _day(day: date | None) -> PartialDate | None:
    return PartialDate(day, "day") if day is not None else None
