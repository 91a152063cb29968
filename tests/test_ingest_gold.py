"""The gold set: well formed, every evidence span in its spans, every IRI in the graph."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from diplomacy_kg.ingest.candidates import KINDS
from diplomacy_kg.namespaces import ID

GOLD_DIR = Path(__file__).parent / "fixtures" / "ingest"
GOLD = sorted(GOLD_DIR.glob("*.json"))
# The development set and the later sets scored apart: each is checked the same way.
EVERY_SET = GOLD + sorted(GOLD_DIR.glob("*/*.json"))


def test_the_gold_set_has_fifteen_real_stories_from_several_publishers() -> None:
    stories = [json.loads(path.read_text(encoding="utf-8")) for path in GOLD]
    assert len(stories) >= 15
    assert len({s["publisher"] for s in stories}) >= 10
    assert {"wire", "government"} <= {s["source_kind"] for s in stories}
    assert all(s["url"].startswith("http") and "2020" <= s["date"][:4] <= "2025" for s in stories)


def test_every_gold_fact_is_in_its_story_and_resolves_to_the_graph(curated_graph: Graph) -> None:
    graph = curated_graph
    subjects = {str(s) for s in graph.subjects()}
    assert len(EVERY_SET) > len(GOLD), "no held-out or unseen stories found"
    for path in EVERY_SET:
        story = json.loads(path.read_text(encoding="utf-8"))
        text = "\n".join(story["spans"])
        for fact in story["facts"]:
            assert fact["kind"] in KINDS, (path.name, fact["kind"])
            assert fact["evidence"] in text, (path.name, fact["evidence"])
            for role in ("subject", "object"):
                party = fact.get(role)
                if party and party.get("iri"):
                    assert f"{ID}{party['iri']}" in subjects, (path.name, party)


def test_every_story_of_every_set_is_real_dated_and_sourced() -> None:
    for path in EVERY_SET:
        story = json.loads(path.read_text(encoding="utf-8"))
        assert story["url"].startswith("http"), path.name
        assert "2020" <= story["date"][:4] <= "2025", path.name
        assert story["publisher"] and story["spans"] and story["facts"], path.name
        assert story["source_kind"] in {"wire", "newspaper", "government"}, path.name
