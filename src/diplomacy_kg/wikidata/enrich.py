"""Map what Wikidata says into our ontology, as a separate graph that never overrides curated facts.

Relations become `dip:DiplomaticRelation` nodes in our id space (`id/relation/wikidata-…`), one
per period, merging the two directions of a P530 statement pair when they agree; deprecated
statements are left out. Provenance names the endpoint, each query and its retrieval time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.export import serialize_turtle
from diplomacy_kg.files import atomic_write_text
from diplomacy_kg.namespaces import (
    DIP,
    SCHEMA,
    instance_iri,
    new_graph,
    turtle_prefix_block,
    wikidata_entity,
)
from diplomacy_kg.wikidata import curated
from diplomacy_kg.wikidata.snapshot import Reference, Snapshot, Statement, WikidataDate
from diplomacy_kg.wikidata.verify import check_entity

ENRICHMENT_SOURCE = instance_iri("source", "wikidata-enrichment")
CC0 = URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
OFFICE_KINDS = {
    "P35": ("head-of-state", DIP.HeadOfState),
    "P6": ("head-of-government", DIP.HeadOfGovernment),
}
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


class EnrichmentError(DiplomacyKgError):
    """The enrichment graph could not be built or written."""


@dataclass(frozen=True)
class WikidataPeriod:
    """One relation period as Wikidata states it (one or two statements that agree)."""

    parties: frozenset[URIRef]
    start: WikidataDate | None
    end: WikidataDate | None
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


def slugify(text: str) -> str:
    """Lowercase kebab-case slug of any text."""
    return _SLUG_JUNK.sub("-", text.lower()).strip("-") or "x"


def _state_slug(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def relation_periods(
    snapshot: Snapshot, states_by_qid: dict[str, URIRef], *, deprecated: bool = False
) -> tuple[list[WikidataPeriod], list[str]]:
    """Group P530 statements between curated states into periods; return notes on skipped ones."""
    grouped: dict[
        tuple[frozenset[URIRef], WikidataDate | None, WikidataDate | None], list[Statement]
    ]
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
    periods.sort(key=_period_order)
    return periods, sorted(notes)


def _period_order(period: WikidataPeriod) -> tuple[str, ...]:
    return (
        *sorted(str(p) for p in period.parties),
        period.start.value.isoformat() if period.start else "",
        period.start.precision if period.start else "",
        period.end.value.isoformat() if period.end else "9999",
        period.end.precision if period.end else "",
    )


def _priority(period: WikidataPeriod) -> tuple[object, ...]:
    # Preferred rank first, then the period both sides state, then the earliest.
    return (period.rank != "preferred", -len(period.statements), _period_order(period))


def _overlaps(
    begin: date | None, end: date | None, other_begin: date | None, other_end: date | None
) -> bool:
    # The same reading as the shapes: a period without a first day is not compared.
    if begin is None or other_begin is None:
        return False
    return (other_end is None or begin < other_end) and (end is None or other_begin < end)


def _numbered(used: dict[str, int], base: str) -> str:
    used[base] = used.get(base, 0) + 1
    return base if used[base] == 1 else f"{base}-{used[base]}"


@dataclass
class Enrichment:
    """The enrichment graph and what was left out of it."""

    graph: Graph
    notes: list[str] = field(default_factory=list)
    relations: int = 0
    claims: int = 0
    office_terms: int = 0
    dropped_curated: int = 0


class _Builder:
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
                    f"{_state_slug(iri)} → {qid} skipped: the link does not verify "
                    f"({', '.join(sorted(problems))}); run `diplomacy-kg wikidata verify`"
                )
        return rejected

    def add(self, subject: URIRef, predicate: URIRef, value: URIRef | Literal) -> None:
        self.graph.add((subject, predicate, value))

    def label_of(self, iri: URIRef, qid: str | None = None) -> str:
        entity = self.by_iri.get(iri)
        if entity is not None and entity.labels.get("en"):
            return entity.labels["en"]
        if qid is not None:
            return self.snapshot.label(qid) or qid
        return _state_slug(iri)

    def add_labels(self, subject: URIRef, qid: str) -> None:
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
        self.add(node, PROV.wasDerivedFrom, ENRICHMENT_SOURCE)
        self.add_labels(node, qid)
        return node

    def add_date(
        self, subject: URIRef, value: URIRef, precision: URIRef, when: WikidataDate
    ) -> None:
        self.add(subject, value, Literal(when.value.isoformat(), datatype=XSD.date))
        self.add(subject, precision, curated.PRECISION_IRIS[when.precision])

    def add_sources(self) -> None:
        source = ENRICHMENT_SOURCE
        endpoint = self.snapshot.endpoint
        self.add(source, RDF.type, DIP.SourceDocument)
        self.add(source, RDF.type, SCHEMA.Dataset)
        self.add(source, RDFS.label, Literal("Wikidata enrichment", lang="en"))
        self.add(
            source,
            SCHEMA.name,
            Literal("Statements fetched from Wikidata for diplomacy-kg", lang="en"),
        )
        self.add(
            source,
            SCHEMA.description,
            Literal(
                "Labels, ISO 3166 codes, capitals, heads of state and government, and full "
                "diplomatic-relation (P530) statements with their qualifiers, ranks and "
                f"references, fetched from the SPARQL endpoint {endpoint} by "
                f"`diplomacy-kg wikidata enrich`; newest answer retrieved "
                f"{self.snapshot.retrieved_at}. Deprecated statements are left out. Curated "
                "facts stay in data/*.ttl and are never overridden by this graph.",
                lang="en",
            ),
        )
        self.add(source, SCHEMA.url, Literal(endpoint, datatype=XSD.anyURI))
        self.add(source, SCHEMA.license, CC0)
        if self.retrieved_day:
            self.add(source, DIP.asOf, Literal(self.retrieved_day, datatype=XSD.date))
            self.add(
                source,
                PROV.generatedAtTime,
                Literal(self.snapshot.retrieved_at, datatype=XSD.dateTime),
            )
        for answer in self.snapshot.answers:
            digest = hashlib.sha256(f"{endpoint}\n{answer.query}".encode()).hexdigest()[:16]
            node = instance_iri("source", f"wikidata-query-{digest}")
            self.add(source, SCHEMA.isBasedOn, node)
            self.add(node, RDF.type, DIP.SourceDocument)
            self.add(node, RDF.type, SCHEMA.Dataset)
            title = f"Wikidata query: {answer.description}"
            self.add(node, RDFS.label, Literal(title, lang="en"))
            self.add(node, SCHEMA.name, Literal(title, lang="en"))
            self.add(node, SCHEMA.url, Literal(endpoint, datatype=XSD.anyURI))
            self.add(node, SCHEMA.text, Literal(answer.query))
            self.add(node, SCHEMA.license, CC0)
            self.add(node, DIP.asOf, Literal(answer.retrieved_at[:10], datatype=XSD.date))
            self.add(
                node, PROV.generatedAtTime, Literal(answer.retrieved_at, datatype=XSD.dateTime)
            )

    def add_reference(self, reference: Reference) -> URIRef | None:
        if reference.url is None and reference.stated_in is None:
            return None
        node = instance_iri("source", f"wikidata-reference-{slugify(reference.hash)}")
        self.add(node, RDF.type, DIP.SourceDocument)
        self.add(node, RDF.type, SCHEMA.CreativeWork)
        shown = (
            reference.url or self.snapshot.label(reference.stated_in or "") or reference.stated_in
        )
        self.add(node, RDFS.label, Literal(f"Reference on Wikidata: {shown}", lang="en"))
        self.add(
            node,
            SCHEMA.description,
            Literal(f"A reference that Wikidata statements cite ({reference.iri}).", lang="en"),
        )
        if reference.url is not None:
            self.add(node, SCHEMA.url, Literal(reference.url, datatype=XSD.anyURI))
        if reference.stated_in is not None:
            self.add(node, SCHEMA.isBasedOn, wikidata_entity(reference.stated_in))
        if reference.retrieved is not None:
            self.add(
                node, DIP.asOf, Literal(reference.retrieved.value.isoformat(), datatype=XSD.date)
            )
        return node

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
        taken: dict[frozenset[URIRef], list[tuple[URIRef, date | None, date | None]]] = {}
        for relation in curated.relations(self.curated):
            begin = relation.start.value if relation.start else relation.known_active_on
            end = relation.end.value if relation.end else None
            taken.setdefault(relation.parties, []).append((relation.iri, begin, end))
        relation_slugs: dict[str, int] = {}
        claim_slugs: dict[str, int] = {}
        minted = claims = 0
        for period in sorted(periods, key=_priority):
            a, b = sorted(_state_slug(p) for p in period.parties)
            year = str(period.start.value.year) if period.start else "undated"
            begin = period.start.value if period.start else None
            if begin is None and period.end is None and self.retrieved_day:
                begin = date.fromisoformat(self.retrieved_day)
            end = period.end.value if period.end else None
            overlapped = [
                iri
                for iri, other_begin, other_end in taken.get(period.parties, [])
                if _overlaps(begin, end, other_begin, other_end)
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
            (period.start.display() if period.start else "?")
            + " to "
            + (period.end.display() if period.end else "now")
        )

    def _pair(self, period: WikidataPeriod) -> str:
        first, second = sorted(period.parties, key=lambda p: self.label_of(p))
        return f"{self.label_of(first)} and {self.label_of(second)}"

    def add_provenance(self, node: URIRef, period: WikidataPeriod) -> None:
        self.add(node, PROV.wasDerivedFrom, ENRICHMENT_SOURCE)
        for reference in period.references:
            source = self.add_reference(reference)
            if source is not None:
                self.add(node, PROV.wasDerivedFrom, source)
        for statement in period.statements:
            self.add(
                node, DIP.sourceLocator, Literal(f"Wikidata statement {statement.statement_id}")
            )

    def add_relation(self, node: URIRef, period: WikidataPeriod) -> None:
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
        self.add_provenance(node, period)
        if period.rank == "preferred":
            self.add(node, SKOS.editorialNote, Literal("Wikidata rank: preferred.", lang="en"))

    def add_claim(self, node: URIRef, period: WikidataPeriod, about: Sequence[URIRef]) -> None:
        causes = ", ".join(self.snapshot.label(q) or q for q in period.end_causes)
        start = (
            f"from {period.start.display()} ({period.start.precision} precision)"
            if period.start
            else "with no start time"
        )
        end = f" to {period.end.display()} ({period.end.precision} precision)" if period.end else ""
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
        self.add_provenance(node, period)

    def add_states(self) -> None:
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
        for qid, iri in sorted(self.by_qid.items()):
            entity = self.by_iri[iri]
            facts = self.snapshot.items.get(qid)
            if entity.kind != DIP.Person or facts is None:
                continue
            for language, text in facts.labels.items():
                self.add(iri, RDFS.label, Literal(text, lang=language))

    def add_offices(self) -> int:
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
            office = instance_iri("office", f"wikidata-{_state_slug(state)}-{kind_slug}")
            self.add(office, RDF.type, DIP.Office)
            self.add(office, DIP.officeKind, kind)
            self.add(office, DIP.country, state)
            self.add(
                office,
                RDFS.label,
                Literal(f"{kind_slug.replace('-', ' ')} of {self.label_of(state)}", lang="en"),
            )
            self.add(office, PROV.wasDerivedFrom, ENRICHMENT_SOURCE)
            holder = self.node_for(statement.value, "person", DIP.Person)
            base = f"wikidata-{_state_slug(state)}-{kind_slug}-{statement.value.lower()}" + (
                f"-{statement.start.value.year}" if statement.start else ""
            )
            term = instance_iri("office-term", _numbered(terms, base))
            self.add(term, RDF.type, DIP.OfficeTerm)
            self.add(term, DIP.holder, holder)
            self.add(term, DIP.office, office)
            span = (
                (statement.start.display() if statement.start else "?")
                + " to "
                + (statement.end.display() if statement.end else "now")
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
            self.add(term, PROV.wasDerivedFrom, ENRICHMENT_SOURCE)
            self.add(
                term, DIP.sourceLocator, Literal(f"Wikidata statement {statement.statement_id}")
            )
        return sum(terms.values())


def build_enrichment(curated_graph: Graph, snapshot: Snapshot) -> Enrichment:
    """Map a snapshot into our ontology; drop anything that would change a curated value."""
    builder = _Builder(curated_graph, snapshot)
    builder.add_sources()
    relations, claims = builder.add_relations()
    builder.add_states()
    builder.add_persons()
    terms = builder.add_offices()
    kept, dropped = protect_curated(builder.graph, curated_graph)
    return Enrichment(kept, sorted(builder.notes), relations, claims, terms, dropped)


def protect_curated(enrichment: Graph, curated_graph: Graph) -> tuple[Graph, int]:
    """Keep only triples that add to curated subjects, never a second value for what they state.

    On a curated subject, types and links (owl:sameAs) are never added, and a property gets an
    enrichment value only when the curated data has none for it (for language-tagged text: none
    in that language). Returns the kept graph and how many triples were dropped.
    """
    subjects = set(curated_graph.subjects())
    kept = new_graph()
    dropped = 0
    for subject, predicate, value in enrichment:
        if subject in subjects and _would_change(curated_graph, subject, predicate, value):
            dropped += 1
            continue
        kept.add((subject, predicate, value))
    return kept, dropped


def _would_change(graph: Graph, subject: Any, predicate: Any, value: Any) -> bool:
    if predicate in (RDF.type, OWL.sameAs):
        return (subject, predicate, value) not in graph
    existing = list(graph.objects(subject, predicate))
    if not existing:
        return False
    if isinstance(value, Literal) and value.language:
        return any(isinstance(e, Literal) and e.language == value.language for e in existing)
    return True


def curated_changes(curated_graph: Graph, enrichment: Graph) -> list[str]:
    """List (subject, property, language) whose curated values differ once enrichment is added."""
    union = new_graph()
    for triple in curated_graph:
        union.add(triple)
    for triple in enrichment:
        union.add(triple)
    changes = []
    keys = {(s, p, o.language if isinstance(o, Literal) else None) for s, p, o in curated_graph}
    for subject, predicate, language in sorted(keys, key=str):
        if _values(curated_graph, subject, predicate, language) != _values(
            union, subject, predicate, language
        ):
            changes.append(f"{subject} {predicate} @{language or '-'}")
    return changes


def _values(graph: Graph, subject: Any, predicate: Any, language: str | None) -> set[object]:
    return {
        value
        for value in graph.objects(subject, predicate)
        if (value.language if isinstance(value, Literal) else None) == language
    }


def serialize(graph: Graph, header: Sequence[str] = ()) -> str:
    """Write Turtle through the project's export serialiser, with a comment after the prefixes."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        raise EnrichmentError("the enrichment graph must not contain blank nodes")
    text = serialize_turtle(graph).decode("utf-8")
    block = turtle_prefix_block()
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return block + ("\n" + comment if comment else "") + text[len(block) :]


HEADER = (
    "Wikidata enrichment: generated by `diplomacy-kg wikidata enrich`; do not edit by hand.",
    "A separate graph: it adds to the curated data in data/*.ttl and never overrides it.",
    "Every node here derives from id/source/wikidata-enrichment, which names the endpoint,",
    "the queries and their retrieval times.",
)


def write_enrichment(enrichment: Enrichment, output: Path) -> str:
    """Serialise, check that the Turtle parses, then write it atomically; return the text."""
    text = serialize(enrichment.graph, HEADER)
    try:
        for _ in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE):
            pass
    except SyntaxError as error:  # a bug in the writer: never leave a broken file behind
        raise EnrichmentError(f"the enrichment Turtle does not parse: {error}") from error
    atomic_write_text(output, text)
    return text
