"""Candidates as Turtle for reading, before review: the ontology's classes under a proposed status.

Every candidate becomes the node `accept` would write, with the story as its source and the
evidence as its quote, marked `dip:candidateStatus dip:Proposed` (the ontology's candidate
statuses, `dip:CandidateStatusScheme`); a party that is not
resolved yet is left out and named in an editorial note. Nothing here is validated or written
into the data: that is `accept`'s work.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from diplomacy_kg.export import serialize_turtle
from diplomacy_kg.ingest.candidates import Candidate
from diplomacy_kg.ingest.rdf import (
    STATUS_TERMS,
    IngestError,
    add_fact,
    attach,
    event_iri,
    fact_iri,
    party_iri,
    story_source,
)
from diplomacy_kg.namespaces import DIP, new_graph


def proposed_turtle(source: dict[str, Any], candidates: list[Candidate], known: Graph) -> bytes:
    """Return the candidates as Turtle, each under the proposed status."""
    out = new_graph()
    story = story_source(out, source)
    for candidate in candidates:
        notes: list[str] = []
        parties: list[URIRef | None] = []
        for role in ("subject", "object", "place"):
            party = getattr(candidate, role)
            try:
                if (
                    role == "object"
                    and party
                    and candidate.kind in {"boycott", "attendance"}
                    and not party.iri
                ):
                    parties.append(event_iri(out, known, party.text))
                else:
                    parties.append(party_iri(out, known, candidate, role, party))
            except IngestError:
                parties.append(None)
                notes.append(f"{role} {party.text!r} is not resolved yet" if party else role)
        subject, obj, place = parties
        node = fact_iri(candidate, [p for p in (subject, obj) if p is not None])
        add_fact(out, candidate, node, subject, obj, place)
        attach(out, node, story.iri, candidate)
        out.add((node, DIP.candidateStatus, STATUS_TERMS["proposed"]))
        out.add(
            (
                node,
                SKOS.editorialNote,
                Literal(
                    f"Candidate {candidate.id} ({candidate.rule}, "
                    f"confidence {candidate.confidence:.2f})"
                    + (": " + "; ".join(notes) if notes else "")
                    + ".",
                    lang="en",
                ),
            )
        )
    return serialize_turtle(out)
