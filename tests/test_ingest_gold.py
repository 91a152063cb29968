"""The gold set: well formed, every evidence span in its spans, every IRI in the graph."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from diplomacy_kg.ingest.candidates import KINDS
from diplomacy_kg.namespaces import ID

GOLD = sorted((Path(__file__).parent / "fixtures" / "ingest").glob("*.json"))


def test_the_gold_set_has_fifteen_real_stories_from_several_publishers() -> None:
    stories = [json.loads(path.read_text(encoding="utf-8")) for path in GOLD]
    assert len(stories) >= 15
    assert len({s["publisher"] for s in stories}) >= 10
    assert {"wire", "government"} <= {s["source_kind"] for s in stories}
    assert all(s["url"].startswith("http") and "2020" <= s["date"][:4] <= "2025" for s in stories)


def test_every_gold_fact_is_in_its_story_and_resolves_to_the_graph(curated_graph: Graph) -> None:
    graph = curated_graph
    subjects = {str(s) for s in graph.subjects()}
    for path in GOLD:
        story = json.loads(path.read_text(encoding="utf-8"))
        text = "\n".join(story["spans"])
        for fact in story["facts"]:
            assert fact["kind"] in KINDS, (path.name, fact["kind"])
            assert fact["evidence"] in text, (path.name, fact["evidence"])
            for role in ("subject", "object"):
                party = fact.get(role)
                if party and party.get("iri"):
                    assert f"{ID}{party['iri']}" in subjects, (path.name, party)
