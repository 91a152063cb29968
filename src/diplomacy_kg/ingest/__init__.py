"""Ingestion: propose candidate facts from a news story, each with the exact span it rests on.

Offline and rule-based: sentences and quotations (`text`), names (`gazetteer`, `people`), dates
(`dates`), rules per kind (`events`, `speech`), candidates and their output (`candidates`), the
review file and the curator's loop (`review`), and accepted facts as Turtle (`accept`).
"""

from __future__ import annotations

from datetime import date

from rdflib import Graph

from diplomacy_kg.ingest import events, speech
from diplomacy_kg.ingest.candidates import Candidate
from diplomacy_kg.ingest.gazetteer import Gazetteer, build
from diplomacy_kg.ingest.story import Story

__all__ = ["Candidate", "Gazetteer", "build_gazetteer", "propose"]


def build_gazetteer(graph: Graph) -> Gazetteer:
    """Build the gazetteer from the graph's states, places, persons and organisations."""
    return build(graph)


def propose(text: str, story_date: date, gazetteer: Gazetteer) -> list[Candidate]:
    """Return the candidate facts of a story, in text order."""
    story = Story.read(text, story_date, gazetteer)
    events.apply(story)
    speech.apply(story)
    return sorted(story.candidates, key=lambda c: (c.start, c.end, c.kind))
