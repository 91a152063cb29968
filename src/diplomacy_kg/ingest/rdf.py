"""Candidates as RDF: the ontology's own classes, the story as their source, the evidence as quote.

`story_source` describes the story with `diplomacy_kg.provenance.describe_source`; `add_fact`
writes one candidate and attaches the story to it with `attach_source` (the evidence text as the
quote, its character span as the locator). A party the graph does not hold is minted only when
it is a new person named in the story or the curator named it with `new-person:` or
`new-organization:`; anything else unresolved is an error naming the candidate.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.ingest.candidates import Candidate, Party
from diplomacy_kg.namespaces import DIP, ID, SCHEMA, instance_iri, last_segment
from diplomacy_kg.provenance import attach_source, describe_source

# kind → (classes, CAMEO code or None, how the subject and object are linked)
CLASSES: dict[str, tuple[tuple[URIRef, ...], str | None, str]] = {
    "establishment": ((DIP.EstablishmentOfRelations,), "057", "participants"),
    "restoration": ((DIP.Restoration,), "057", "participants"),
    "severance": ((DIP.Severance,), "161", "participants"),
    "suspension": ((DIP.Suspension,), "161", "participants"),
    "exchange_of_notes": ((DIP.ExchangeOfNotes,), "057", "participants"),
    "recognition": ((DIP.Recognition,), "054", "agent-target"),
    "agreement": ((DIP.Agreement,), "057", "participants"),
    "joint_communique": ((DIP.JointCommunique,), "057", "participants"),
    "joint_statement": ((DIP.Statement,), "010", "participants"),
    "negotiation": ((DIP.Negotiation,), "046", "participants"),
    "visit": ((DIP.Visit,), "042", "agent-host"),
    "state_visit": ((DIP.Visit,), "042", "agent-host"),
    "meeting": ((DIP.Meeting,), "040", "participants"),
    "boycott": ((DIP.Boycott,), "163", "agent-target"),
    "attendance": ((DIP.Attendance,), None, "agent-target"),
    "statement": ((DIP.Statement,), "010", "agent"),
    "intent": ((DIP.Intent,), None, "agent-about"),
    "incident": ((DIP.Incident,), None, "participants"),
}
# Kinds that share a class with another kind say which one they are.
NOTES = {
    "joint_statement": "A joint statement of the parties (the ontology's dip:Statement; a signed "
    "joint communiqué is a dip:JointCommunique).",
    "state_visit": "A state visit.",
}
# The candidate statuses of a review file, as the ontology's concepts (dip:CandidateStatusScheme).
STATUS_TERMS: dict[str, URIRef] = {
    "proposed": DIP.Proposed,
    "accepted": DIP.Accepted,
    "rejected": DIP.Rejected,
}


class IngestError(DiplomacyKgError):
    """A candidate cannot become a fact as it stands (an unresolved or ambiguous party)."""


@dataclass(frozen=True)
class StorySource:
    """The story as a source: its IRI and the publisher it names."""

    iri: URIRef
    publisher: URIRef | None


def slug(text: str, limit: int = 60) -> str:
    """Return a lowercase kebab-case slug of the text, cut at a word near `limit`."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or "story"


def source_slug(source: dict[str, Any]) -> str:
    """Return the slug of a story's source: its date, then its title or file name."""
    name = source.get("title") or source.get("url") or source.get("file") or "story"
    name = re.sub(r"^https?://(www\.)?", "", str(name))
    return slug(f"{source['date']} {name}")


def story_source(graph: Graph, source: dict[str, Any]) -> StorySource:
    """Describe the story in the graph and return its IRI and publisher."""
    iri = instance_iri("source", "news-" + source_slug(source))
    day = date.fromisoformat(source["date"])
    title = source.get("title") or f"News story of {source['date']} ({source.get('file')})"
    publisher = source.get("publisher")
    reason = (
        None if source.get("url") else "The curator ingested a copy of the story without a URL."
    )
    describe_source(
        graph,
        iri,
        title=title,
        publisher=publisher,
        date=day,
        url=source.get("url") or None,
        no_url_reason=reason,
        as_of=day,
    )
    publisher_iri = graph.value(iri, SCHEMA.publisher)
    return StorySource(iri, publisher_iri if isinstance(publisher_iri, URIRef) else None)


def party_iri(
    out: Graph, known: Graph, candidate: Candidate, role: str, party: Party | None
) -> URIRef | None:
    """Return the IRI a party stands for; mint a new person or organisation in `out` if asked."""
    if party is None:
        return None
    if party.iri:
        return URIRef(party.iri if party.iri.startswith("http") else f"{ID}{party.iri}")
    if party.candidates:
        options = ", ".join(c["iri"] for c in party.candidates)
        raise IngestError(
            f"candidate {candidate.id}: {role} {party.text!r} is ambiguous ({options}); choose "
            f"one with `review FILE edit {candidate.id} --{role} IRI`"
        )
    if party.how == "new event":
        return event_iri(out, known, party.text)
    kind = {"new person": "person", "new organization": "organization"}.get(party.how or "")
    if kind is None:
        raise IngestError(
            f"candidate {candidate.id}: {role} {party.text!r} is not in the graph; set it with "
            f"`review FILE edit {candidate.id} --{role} IRI` (or new-person:NAME, "
            "new-organization:NAME)"
        )
    name = party.label or party.text
    iri = instance_iri(kind, slug(name))
    if (iri, RDF.type, None) not in known and (iri, RDF.type, None) not in out:
        out.add((iri, RDF.type, DIP.Person if kind == "person" else DIP.Organization))
        out.add((iri, RDFS.label, Literal(name, lang="en")))
        note = f"Named in the story as {party.text!r}; added when a curator accepted it."
        out.add((iri, SKOS.editorialNote, Literal(note, lang="en")))
    return iri


def event_iri(out: Graph, known: Graph, name: str) -> URIRef:
    """Return the event a boycott or an attendance is about, minting it from its name if new."""
    iri = instance_iri("event", slug(name))
    if (iri, RDF.type, None) not in known and (iri, RDF.type, None) not in out:
        out.add((iri, RDF.type, DIP.Event))
        out.add((iri, RDFS.label, Literal(name, lang="en")))
    return iri


def fact_iri(candidate: Candidate, parties: list[URIRef]) -> URIRef:
    """Mint the IRI of a new fact from its kind, parties and date (stable for a candidate)."""
    kind = {"quote": "quote", "claim": "claim", "role": "office-term"}.get(candidate.kind, "event")
    codes = "-".join(last_segment(p) for p in parties[:2])
    when = candidate.date.value.replace("/", "-") if candidate.date else "undated"
    digest = hashlib.sha1(candidate.id.encode("utf-8")).hexdigest()[:6]
    return instance_iri(kind, slug(f"{candidate.kind} {codes} {when} {digest}", 90))


def _date(graph: Graph, node: Node, candidate: Candidate) -> None:
    if candidate.date is None:
        return
    value = candidate.date.value.split("/")[0]
    partial = PartialDate.parse(value)
    graph.add((node, DIP.date, Literal(partial.value, datatype=XSD.date)))
    graph.add((node, DIP.datePrecision, partial.precision_iri))
    if "/" in candidate.date.value:
        graph.add(
            (
                node,
                SKOS.editorialNote,
                Literal(
                    f"The story gives the interval {candidate.date.value}; the date is its start.",
                    lang="en",
                ),
            )
        )


def label_of(candidate: Candidate) -> str:
    """Return a readable label for the fact."""
    names = [p.label or p.text for p in (candidate.subject, candidate.object) if p is not None]
    when = f" ({candidate.date.value})" if candidate.date else ""
    kind = candidate.kind.replace("_", " ")
    return f"{kind.capitalize()}: {' – '.join(names)}{when}" if names else f"{kind}{when}"


def add_fact(
    graph: Graph,
    candidate: Candidate,
    node: URIRef,
    subject: URIRef | None,
    obj: URIRef | None,
    place: URIRef | None,
) -> None:
    """Write one candidate as a new fact node of the ontology's classes."""
    if candidate.kind == "quote":
        graph.add((node, RDF.type, DIP.Quote))
        graph.add((node, DIP.text, Literal(candidate.evidence, lang="en")))
        if subject is not None:
            graph.add((node, DIP.speaker, subject))
        graph.add((node, RDFS.label, Literal(f"Quote: {candidate.evidence[:80]}", lang="en")))
        return
    if candidate.kind == "claim":
        graph.add((node, RDF.type, DIP.Claim))
        graph.add(
            (node, DIP.text, Literal(candidate.extra.get("text", candidate.evidence), lang="en"))
        )
        graph.add((node, RDFS.label, Literal(f"Claim: {candidate.evidence[:80]}", lang="en")))
        if subject is not None:
            graph.add((node, DIP.about, subject))
        _date(graph, node, candidate)
        return
    if candidate.kind == "role":
        _role(graph, candidate, node, subject, obj)
        return
    classes, cameo, linking = CLASSES[candidate.kind]
    for cls in classes:
        graph.add((node, RDF.type, cls))
    graph.add((node, RDFS.label, Literal(label_of(candidate), lang="en")))
    if cameo:
        graph.add((node, DIP.cameoCode, Literal(cameo)))
    if candidate.kind in NOTES:
        graph.add((node, SKOS.editorialNote, Literal(NOTES[candidate.kind], lang="en")))
    _link(graph, node, linking, subject, obj)
    if candidate.extra.get("in_support_of"):
        graph.add((node, DIP.inSupportOf, URIRef(f"{ID}{candidate.extra['in_support_of']}")))
    if place is not None:
        graph.add((node, DIP.place, place))
    _date(graph, node, candidate)


def _link(
    graph: Graph, node: URIRef, linking: str, subject: URIRef | None, obj: URIRef | None
) -> None:
    if linking == "participants":
        for party in (subject, obj):
            if party is not None:
                graph.add((node, DIP.participant, party))
        return
    if subject is not None:
        graph.add((node, DIP.agent, subject))
    if obj is None:
        return
    predicate = {"agent-host": DIP.host, "agent-target": DIP.target, "agent-about": DIP.about}
    graph.add((node, predicate.get(linking, DIP.about), obj))


def _role(
    graph: Graph, candidate: Candidate, node: URIRef, holder: URIRef | None, state: URIRef | None
) -> None:
    office_name = candidate.extra.get("office", "office")
    state_label = candidate.object.label if candidate.object and candidate.object.label else None
    office_label = f"{office_name} of {state_label}" if state_label else office_name
    office = instance_iri("office", slug(office_label))
    known = candidate.extra.get("office_iri")  # the graph's office the role was checked against
    if known and not any(e.get("field") == "office" for e in candidate.edits):
        office = URIRef(f"{ID}{known}")
    elif (office, RDF.type, DIP.Office) not in graph:
        graph.add((office, RDF.type, DIP.Office))
        graph.add((office, RDFS.label, Literal(office_label, lang="en")))
        if state is not None:
            graph.add((office, DIP.country, state))
    graph.add((node, RDF.type, DIP.OfficeTerm))
    holder_name = candidate.subject.label or candidate.subject.text if candidate.subject else "?"
    graph.add((node, RDFS.label, Literal(f"{holder_name} as {office_label}", lang="en")))
    if holder is not None:
        graph.add((node, DIP.holder, holder))
    graph.add((node, DIP.office, office))
    if candidate.date is not None:
        graph.add(
            (
                node,
                DIP.knownActiveOn,
                Literal(candidate.date.value.split("/")[0], datatype=XSD.date),
            )
        )


def attach(graph: Graph, node: Node, source: URIRef, candidate: Candidate) -> None:
    """Attach the story to the fact with the evidence and its span; note the curator's edits."""
    attach_source(
        graph,
        node,
        source,
        quote=candidate.evidence,
        locator=f"characters {candidate.start}-{candidate.end}",
    )
    if candidate.edits:
        changes = "; ".join(
            f"{e['field']} {e.get('old') or '(none)'} → {e['new']}"
            + (f" ({e['note']})" if e.get("note") else "")
            for e in candidate.edits
        )
        graph.add(
            (
                node,
                SKOS.editorialNote,
                Literal(
                    f"Edited by the curator from the proposed candidate {candidate.id}: {changes}.",
                    lang="en",
                ),
            )
        )
