"""Roles on the story's day: offices resolved through the graph's dated office terms."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph

from diplomacy_kg.graph import parse_turtle_file
from diplomacy_kg.ingest import Gazetteer, build_gazetteer, propose
from diplomacy_kg.ingest.candidates import Candidate, Party
from diplomacy_kg.ingest.offices import office_key
from diplomacy_kg.validation import validate

OFFICES = Path(__file__).parent / "fixtures" / "ingest-offices.ttl"
KOR_QUOTE = "South Korea will reopen talks. “We are ready to talk,” the foreign minister said."
JPN_QUOTE = "“We are ready to talk,” Japan's prime minister said."


@pytest.fixture(scope="module")
def graph(curated_graph: Graph) -> Graph:
    combined = Graph()
    combined += curated_graph  # a copy: the session graph stays as it is
    combined += parse_turtle_file(OFFICES)
    return combined


@pytest.fixture(scope="module")
def gazetteer(graph: Graph) -> Gazetteer:
    return build_gazetteer(graph)


def _one(text: str, day: date, gazetteer: Gazetteer, kind: str) -> Candidate:
    found = [c for c in propose(text, day, gazetteer) if c.kind == kind]
    assert len(found) == 1, [c.as_dict() for c in found]
    return found[0]


def _speaker(text: str, day: date, gazetteer: Gazetteer) -> Party:
    speaker = _one(text, day, gazetteer, "quote").subject
    assert speaker is not None
    return speaker


def test_the_fixture_terms_conform(graph: Graph) -> None:
    assert validate(graph).conforms


def test_office_keys_read_synonyms_and_drop_the_state() -> None:
    assert office_key("Minister of Foreign Affairs of South Korea", ("South Korea",)) == (
        "foreign minister"
    )
    assert office_key("South Korea's Foreign Minister", ("South Korea",)) == "foreign minister"
    assert office_key("the Cuban President", ("Cuban",)) == "president"
    assert office_key("Premier") == "prime minister"


@pytest.mark.parametrize(
    ("day", "holder"),
    [
        (date(2024, 1, 11), "person/pat-morel"),  # the last day of Pat Morel's term
        (date(2024, 1, 12), "person/quinn-arden"),  # her end is exclusive; his start inclusive
        (date(2024, 1, 13), "person/quinn-arden"),
    ],
)
def test_the_foreign_minister_is_the_holder_on_the_storys_day(
    gazetteer: Gazetteer, day: date, holder: str
) -> None:
    speaker = _speaker(KOR_QUOTE, day, gazetteer)
    assert (speaker.iri, speaker.how) == (holder, "office on date")
    assert speaker.text == "the foreign minister"


def test_before_any_term_the_office_resolves_to_no_one(gazetteer: Gazetteer) -> None:
    speaker = _speaker(KOR_QUOTE, date(2020, 5, 31), gazetteer)  # the day before the first term
    assert speaker.iri is None and not speaker.candidates


def test_a_start_known_to_the_month_leaves_a_day_inside_it_open(gazetteer: Gazetteer) -> None:
    inside = _speaker(JPN_QUOTE, date(2024, 3, 15), gazetteer)
    assert inside.iri is None and inside.how == "ambiguous"
    assert inside.candidates == [
        {
            "iri": "person/rin-sato",
            "label": "Rin Sato",
            "status": "unknown",
            "term": "office-term/rin-sato-pm-jpn",
        }
    ]
    assert _speaker(JPN_QUOTE, date(2024, 4, 1), gazetteer).iri == "person/rin-sato"
    before = _speaker(JPN_QUOTE, date(2024, 2, 29), gazetteer)
    assert before.iri is None and not before.candidates


def test_an_undated_term_of_the_graph_is_never_taken_as_certain(gazetteer: Gazetteer) -> None:
    # The curated graph holds Díaz-Canel as President of Cuba with no dates at all.
    text = "“Cuba is ready,” the Cuban president said."
    speaker = _speaker(text, date(2024, 2, 15), gazetteer)
    assert speaker.iri is None
    assert [c["iri"] for c in speaker.candidates] == ["person/diaz-canel"]
    assert speaker.candidates[0]["status"] == "unknown"


@pytest.mark.parametrize(
    ("day", "status", "confidence"),
    [(date(2024, 1, 11), "not active", 0.3), (date(2024, 1, 12), "active", 0.8)],
)
def test_a_role_says_what_the_graph_confirms_for_the_day(
    gazetteer: Gazetteer, day: date, status: str, confidence: float
) -> None:
    role = _one("South Korean Foreign Minister Quinn Arden arrived.", day, gazetteer, "role")
    assert role.subject is not None and role.subject.iri == "person/quinn-arden"
    assert role.extra["office_status"] == status
    assert role.extra["office_term"] == "office-term/quinn-arden-fm-kor"
    assert role.extra["office_iri"] == "office/fm-kor"
    assert role.confidence == confidence


def test_a_role_the_graph_gives_to_someone_else_says_so(gazetteer: Gazetteer) -> None:
    role = _one(
        "South Korean Foreign Minister Lee Jinwoo arrived.", date(2024, 1, 12), gazetteer, "role"
    )
    assert role.extra["office_status"] == "not in the graph"
    assert "Quinn Arden" in role.extra["office_holder"]
    assert role.confidence <= 0.3


@pytest.mark.parametrize(
    ("day", "holder"),
    [(date(2024, 1, 11), "person/pat-morel"), (date(2024, 1, 12), "person/quinn-arden")],
)
def test_a_visit_by_the_foreign_minister_is_the_holder_on_the_day(
    gazetteer: Gazetteer, day: date, holder: str
) -> None:
    visit = _one("South Korea said the Foreign Minister visited Japan.", day, gazetteer, "visit")
    assert visit.subject is not None and visit.subject.iri == holder
