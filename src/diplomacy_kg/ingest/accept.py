"""Accepted candidates become Turtle in `data/news/<source-slug>.ttl`, validated before writing.

The file is rebuilt from the review file's accepted candidates on every accept, so accepting is
repeatable. A candidate that duplicates a fact the graph already holds (same class, parties and
date; same words for a quote or claim; same holder and office for a role) is merged into it as a
further source: the file adds only the derivation from the story. A new establishment or
restoration also starts its relation period, a severance or suspension ends the open one
(`diplomacy_kg.ingest.periods`), so `build` and the date-bound queries see them. The whole
graph with the new facts is validated by the shapes first; on a violation nothing is written.
A new fact is marked `dip:candidateStatus dip:Accepted`, the ontology's word for a candidate a
curator confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from diplomacy_kg import graph as graph_module
from diplomacy_kg import paths, validation
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.export import serialize_turtle
from diplomacy_kg.files import atomic_write_bytes
from diplomacy_kg.ingest.candidates import Candidate
from diplomacy_kg.ingest.periods import ENDS, STARTS, PeriodChange, apply_period
from diplomacy_kg.ingest.rdf import (
    CLASSES,
    STATUS_TERMS,
    IngestError,
    add_fact,
    attach,
    fact_iri,
    party_iri,
    source_slug,
    story_source,
)
from diplomacy_kg.ingest.review import Review
from diplomacy_kg.namespaces import DIP, new_graph
from diplomacy_kg.provenance import attach_source

_LINKS = (DIP.participant, DIP.agent, DIP.host, DIP.target)


@dataclass
class Accepted:
    """What an accept wrote: the file, the new facts and the facts merged as further sources."""

    path: Path
    new: list[URIRef] = field(default_factory=list)
    merged: list[URIRef] = field(default_factory=list)
    periods: list[PeriodChange] = field(default_factory=list)
    triples: int = 0


def news_file(review: Review) -> Path:
    """Return the Turtle file of the review's story: `data/news/<source-slug>.ttl`."""
    return paths.news_dir() / f"{source_slug(review.source)}.ttl"


def build_facts(review: Review, base: Graph) -> tuple[Graph, Accepted]:
    """Return the graph of the accepted candidates and what became new or merged."""
    out = new_graph()
    story = story_source(out, review.source)
    result = Accepted(Path())
    for candidate in review.candidates:
        if candidate.status != "accepted":
            continue
        subject = _party(base, out, candidate, "subject", story.iri)
        obj = _party(base, out, candidate, "object", story.iri)
        place = party_iri(out, base, candidate, "place", candidate.place)
        duplicate = find_duplicate(base, candidate, subject, obj)
        if duplicate is not None:
            attach(out, duplicate, story.iri, candidate)
            result.merged.append(duplicate)
            continue
        node = fact_iri(candidate, [p for p in (subject, obj) if p is not None])
        if candidate.kind == "claim" and story.publisher is not None:
            out.add((node, DIP.speaker, story.publisher))
        add_fact(out, candidate, node, subject, obj, place)
        out.add((node, DIP.candidateStatus, STATUS_TERMS["accepted"]))
        attach(out, node, story.iri, candidate)
        result.new.append(node)
        if candidate.kind in STARTS | ENDS:  # the relation period the act starts or ends
            view = base + out
            result.periods.append(apply_period(view, out, candidate, node, subject, obj, story.iri))
    return out, result


def _party(
    base: Graph, out: Graph, candidate: Candidate, role: str, source: URIRef
) -> URIRef | None:
    party = getattr(candidate, role)
    if party is None:
        return None
    iri = party_iri(out, base, candidate, role, party)
    if iri is not None and (iri, RDF.type, None) in out:
        # A new entity rests on the story too (the curator's edit notes stay on the fact).
        attach_source(
            out,
            iri,
            source,
            quote=candidate.evidence,
            locator=f"characters {candidate.start}-{candidate.end}",
        )
    return iri


def find_duplicate(
    base: Graph, candidate: Candidate, subject: URIRef | None, obj: URIRef | None
) -> URIRef | None:
    """Return the fact of the graph this candidate repeats, if there is one."""
    if candidate.kind in {"quote", "claim"}:
        cls = DIP.Quote if candidate.kind == "quote" else DIP.Claim
        words = _norm(candidate.extra.get("text", candidate.evidence))
        for node in base.subjects(RDF.type, cls):
            if isinstance(node, URIRef) and any(
                _norm(str(t)) == words for t in base.objects(node, DIP.text)
            ):
                return node
        return None
    if candidate.kind == "role":
        for node in base.subjects(DIP.holder, subject) if subject is not None else ():
            office = base.value(node, DIP.office)
            if (
                isinstance(node, URIRef)
                and office is not None
                and base.value(office, DIP.country) == obj
            ):
                return node
        return None
    if candidate.date is None or candidate.kind not in CLASSES:
        return None
    parties = {p for p in (subject, obj) if p is not None}
    start = PartialDate.parse(candidate.date.value.split("/")[0])
    # A kind's class and its subclasses: a severance candidate repeats a suspension too.
    classes = {
        sub
        for cls in CLASSES[candidate.kind][0]
        for sub in base.transitive_subjects(RDFS.subClassOf, cls)
        if isinstance(sub, URIRef)
    }
    for cls in sorted(classes):
        for node in base.subjects(RDF.type, cls):
            linked = {o for p in _LINKS for o in base.objects(node, p)}
            if (
                isinstance(node, URIRef)
                and parties
                and parties <= linked
                and _same_date(base, node, start)
            ):
                return node
    return None


def _same_date(graph: Graph, node: Node, when: PartialDate) -> bool:
    value = graph.value(node, DIP.date)
    precision = graph.value(node, DIP.datePrecision)
    return value == Literal(when.value, datatype=XSD.date) and precision == when.precision_iri


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split()).strip(" ,.")


def accept(review: Review) -> Accepted:
    """Write the review's accepted candidates to its news file, after validating the graph."""
    target = news_file(review)
    others = [
        paths.ONTOLOGY_FILE,
        *(p for p in paths.curated_files() if p.resolve() != target.resolve()),
    ]
    base = graph_module.load_graph(others)
    facts, result = build_facts(review, base)
    result.path = target
    combined = graph_module.load_graph(others)
    combined += facts
    report = validation.validate(combined, files=others)
    if not report.conforms:
        problems = [r for r in report.results if r.severity == "Violation"]
        first = problems[0]
        raise IngestError(
            f"{review.path}: the accepted facts do not conform ({len(problems)} violation(s)); "
            f"nothing written. First: {first.focus} {first.path or ''}: {first.message}"
        )
    content = serialize_turtle(facts)
    atomic_write_bytes(target, content)
    result.triples = len(facts)
    return result
