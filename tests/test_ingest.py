"""The extractor: rule families, the gazetteer's hard cases, quotes, dates, the seed story."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph

from diplomacy_kg.ingest import Gazetteer, build_gazetteer, propose
from diplomacy_kg.ingest.candidates import Candidate
from diplomacy_kg.ingest.dates import find_dates
from diplomacy_kg.ingest.text import quotations, sentences

SEED = Path(__file__).parent / "fixtures" / "ingest-seed-story.txt"
DAY = date(2024, 2, 15)


@pytest.fixture(scope="session")
def gazetteer(curated_graph: Graph) -> Gazetteer:
    return build_gazetteer(curated_graph)


def kinds(text: str, gazetteer: Gazetteer, day: date = DAY) -> list[str]:
    return [c.kind for c in propose(text, day, gazetteer)]


def only(text: str, gazetteer: Gazetteer, kind: str, day: date = DAY) -> Candidate:
    found = [c for c in propose(text, day, gazetteer) if c.kind == kind]
    assert len(found) == 1, [c.as_dict() for c in found]
    return found[0]


# Each rule family: sentences that must fire, sentences that must not.
MUST_FIRE = [
    ("establishment", "Maldives also established diplomatic relations with Malawi."),
    ("restoration", "Qatar and Bahrain agreed to restore diplomatic relations on Wednesday."),
    ("severance", "Nicaragua on Thursday broke its diplomatic ties with Taiwan."),
    ("suspension", "Iran and Saudi Arabia suspended their diplomatic relations in 2016."),
    ("exchange_of_notes", "Cuba and South Korea exchanged diplomatic notes in New York."),
    ("recognition", "Cuba officially recognized South Korea in 1949."),
    ("agreement", "Iran and Iraq signed a security agreement in Baghdad on Sunday."),
    ("joint_communique", "Sri Lanka and Timor-Leste signed a joint communiqué on Monday."),
    ("joint_statement", "Iran and Saudi Arabia were signing a joint statement on Friday."),
    ("negotiation", "Officials from Tehran and Riyadh held talks in Beijing."),
    ("visit", "Iranian President Ebrahim Raisi visited Beijing in February 2023."),
    ("state_visit", "President Joe Biden began a State visit to Vietnam on Sunday."),
    ("meeting", "Foreign Minister Cho Tae-yul met with Foreign Minister Asaad al-Shaibani."),
    ("boycott", "Cuba boycotted the 1988 Seoul Olympics."),
    ("attendance", "President Xi Jinping attended a summit in Riyadh."),
    ("statement", "Qatar's foreign ministry said on Wednesday that talks had ended."),
    ("claim", "Cuba is now the 193rd country which South Korea has diplomatic relations with."),
    ("role", "South Korean Foreign Minister Cho Tae-yul arrived."),
    ("intent", "Colombia will break diplomatic relations with Israel effective Thursday."),
    ("incident", "Colombia recalled its ambassador to Israel."),
    ("incident", "Niger ordered French ambassador Sylvain Itte to leave the country on Friday."),
    ("exchange_of_notes", "Bhutan and Israel exchanged verbal notes in New Delhi."),
    ("establishment", "In 1995 diplomatic relations were established between Israel and Morocco."),
    ("establishment", "Bhutan and Israel agree to establish diplomatic relations."),
    (
        "severance",
        "The relations between the two states were severed in 2017 by Qatar and Bahrain.",
    ),
    ("negotiation", "Qatar and Bahrain agreed following talks in Riyadh."),
    ("joint_statement", "Bhutan and Israel welcomed it, said a joint statement issued by both."),
    ("statement", "The decision was taken in talks, according to Qatar’s Foreign Ministry."),
    ("statement", "US President Donald Trump has tweeted that the talks succeeded."),
]
MUST_NOT_FIRE = [
    ("establishment", "The museum was established in 1960 in Havana."),
    ("establishment", "Colombia will establish diplomatic relations with Israel."),
    ("severance", "The cable was cut by a ship near Cuba."),
    ("recognition", "Taiwan is recognized by only 13 sovereign states."),
    ("visit", "The visitors' centre in Seoul opened."),
    ("meeting", "The meeting room was booked."),
    ("boycott", "Cuba took part in the 1988 Olympics."),
    ("quote", "He bought a 'new' car."),
    ("role", "The president of the club spoke."),
    ("restoration", "The church was restored in 2016."),
]


@pytest.mark.parametrize(("kind", "sentence"), MUST_FIRE)
def test_rule_fires(gazetteer: Gazetteer, kind: str, sentence: str) -> None:
    assert kind in kinds(sentence, gazetteer), sentence


@pytest.mark.parametrize(("kind", "sentence"), MUST_NOT_FIRE)
def test_rule_does_not_fire(gazetteer: Gazetteer, kind: str, sentence: str) -> None:
    assert kind not in kinds(sentence, gazetteer), sentence


def test_every_kind_has_a_sentence_that_fires() -> None:
    from diplomacy_kg.ingest.candidates import KINDS

    assert {kind for kind, _ in MUST_FIRE} | {"quote"} == set(KINDS)


def test_a_story_with_no_diplomacy_proposes_nothing(gazetteer: Gazetteer) -> None:
    text = (
        "Heavy rain is expected on Friday across the region. The city council said the new "
        "bridge will open in May. Tickets for the concert sold out within an hour."
    )
    assert propose(text, DAY, gazetteer) == []


def test_evidence_is_the_exact_text_at_its_offsets(gazetteer: Gazetteer) -> None:
    text = SEED.read_text(encoding="utf-8")
    candidates = propose(text, DAY, gazetteer)
    assert candidates
    for candidate in candidates:
        assert text[candidate.start : candidate.end] == candidate.evidence


# The seed story's eleven facts (data/seed-story.ttl), each as a kind and a passage its evidence
# must overlap.
SEED_FACTS = [
    ("establishment", "South Korea established diplomatic relations with Cuba"),
    ("claim", "Cuba is now the 193rd country"),
    ("recognition", "Cuba officially recognized South Korea in 1949"),
    ("establishment", "since they forged diplomatic relations in 1960"),
    ("quote", "There is only one Chosun."),
    ("role", "President Miguel Díaz-Canel"),
    ("boycott", "boycotting the 1988 Seoul Olympics"),
    ("claim", "have maintained close brotherly ties"),
    ("quote", "our diplomacy has established diplomatic relations with Cuba"),
    ("statement", "Seoul’s foreign ministry expressed"),
    ("claim", "stepped up its diplomacy toward Cuba for years"),
]


def test_the_seed_story_proposes_its_eleven_facts(gazetteer: Gazetteer) -> None:
    text = SEED.read_text(encoding="utf-8")
    candidates = propose(text, DAY, gazetteer)
    for kind, passage in SEED_FACTS:
        start = text.index(passage)
        end = start + len(passage)
        assert any(c.kind == kind and c.start < end and start < c.end for c in candidates), (
            kind,
            passage,
        )


def test_background_events_keep_their_own_date(gazetteer: Gazetteer) -> None:
    text = (
        "Although Cuba officially recognized South Korea in 1949, bilateral exchanges were "
        "severed after a 1959 socialist revolution in Cuba."
    )
    severance = only(text, gazetteer, "severance")
    assert severance.date is not None and severance.date.value == "1959"
    assert severance.date.precision == "year" and not severance.date.relative
    assert only(text, gazetteer, "recognition").date.value == "1949"  # type: ignore[union-attr]


def test_relative_dates_are_resolved_against_the_story_and_flagged(gazetteer: Gazetteer) -> None:
    text = "Nicaragua on Thursday broke its diplomatic ties with Taiwan."
    severance = only(text, gazetteer, "severance", date(2021, 12, 9))
    assert severance.date is not None
    assert (severance.date.value, severance.date.relative) == ("2021-12-09", True)
    assert severance.date.text == "on Thursday"


@pytest.mark.parametrize(
    ("expression", "base", "expected"),
    [
        ("on Feb.15.", date(2024, 2, 15), "2024-02-15"),
        ("effective Thursday", date(2024, 5, 1), "2024-05-02"),
        ("late Wednesday", date(2023, 4, 13), "2023-04-12"),
        ("in December", date(2023, 3, 11), "2022-12"),
        ("last month", date(2025, 3, 11), "2025-02"),
        ("on 28th January, 2022,", date(2022, 3, 10), "2022-01-28"),
        ("a November 2018 visit", date(2024, 2, 15), "2018-11"),
        ("this week", date(2024, 2, 15), "2024-02-12/2024-02-15"),
    ],
)
def test_date_expressions(expression: str, base: date, expected: str) -> None:
    found = find_dates(expression, 0, len(expression), base)
    assert [m.iso() for m in found] == [expected]


def test_words_that_are_not_dates_are_not_read_as_dates() -> None:
    text = "Both sides may soon open embassies, and to that end they talked."
    assert find_dates(text, 0, len(text), DAY) == []


# The gazetteer's hard cases (issue 14 §1).
def test_north_korea_is_never_korea(gazetteer: Gazetteer) -> None:
    mentions = gazetteer.find("North Korea and Cuba")
    assert [(m.text, m.state) for m in mentions] == [
        ("North Korea", "state/prk"),
        ("Cuba", "state/cub"),
    ]


def test_korea_alone_is_ambiguous_without_context(gazetteer: Gazetteer) -> None:
    (mention,) = gazetteer.find("Korea welcomed the move.")
    assert mention.entity is None and mention.how == "ambiguous"
    assert {c.iri for c in mention.candidates} == {"state/kor", "state/prk"}


def test_korea_is_resolved_from_context_when_only_one_candidate_is_named(
    gazetteer: Gazetteer,
) -> None:
    mentions = gazetteer.find("Seoul said on Monday that Korea would open an embassy.")
    korea = next(m for m in mentions if m.text == "Korea")
    assert (korea.state, korea.how) == ("state/kor", "context")


def test_korea_stays_open_when_both_koreas_are_named(gazetteer: Gazetteer) -> None:
    mentions = gazetteer.find("South Korea and North Korea met; Korea was divided.")
    korea = next(m for m in mentions if m.text == "Korea")
    assert korea.entity is None and len(korea.candidates) == 2


def test_congo_is_never_guessed(gazetteer: Gazetteer) -> None:
    (mention,) = gazetteer.find("Congo signed the accord.")
    assert mention.entity is None
    assert {c.iri for c in mention.candidates} == {"state/cog", "state/cod"}
    resolved = gazetteer.find("Kinshasa said Congo signed the accord.")
    assert [m.state for m in resolved] == ["state/cod", "state/cod"]


def test_an_organisation_named_after_a_state_is_not_the_state(gazetteer: Gazetteer) -> None:
    (mention,) = gazetteer.find("The Bank of Korea raised rates.")
    assert mention.kind == "organization" and mention.entity is None
    assert "establishment" not in kinds("The Bank of Korea established ties with Cuba.", gazetteer)


def test_capitals_stand_for_their_states(gazetteer: Gazetteer) -> None:
    mentions = gazetteer.find("Riyadh severed ties with Tehran.")
    assert [(m.kind, m.state) for m in mentions] == [
        ("capital", "state/sau"),
        ("capital", "state/irn"),
    ]
    severance = only("Riyadh severed ties with Tehran.", gazetteer, "severance")
    assert {severance.subject.iri, severance.object.iri} == {"state/sau", "state/irn"}  # type: ignore[union-attr]


def test_south_america_is_not_the_united_states(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("diplomacy with Central and South America") == []


def test_a_latin_american_country_is_not_the_united_states(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("the South American country and the Latin American states") == []


def test_the_country_is_the_state_named_before(gazetteer: Gazetteer) -> None:
    text = (
        "Bolivia recalled its envoy.\n"
        "The Latin American country had previously cut diplomatic ties with Israel in 2009."
    )
    severance = only(text, gazetteer, "severance")
    assert severance.subject is not None and severance.subject.iri == "state/bol"
    assert severance.subject.text == "The Latin American country"
    assert severance.object is not None and severance.object.iri == "state/isr"
    assert severance.date is not None and severance.date.value == "2009"


def test_the_country_with_no_state_named_before_is_left_out(gazetteer: Gazetteer) -> None:
    text = "The Latin American country had previously cut diplomatic ties with Israel in 2009."
    assert "severance" not in kinds(text, gazetteer)


def test_a_mixed_case_dateline_is_no_party(gazetteer: Gazetteer) -> None:
    text = (
        "Guatemala City, Nov 14 (EFE).- Belize suspended diplomatic relations with Israel on "
        "Tuesday."
    )
    suspension = only(text, gazetteer, "suspension", date(2023, 11, 15))
    assert suspension.subject is not None and suspension.subject.iri == "state/blz"
    assert suspension.object is not None and suspension.object.iri == "state/isr"


def test_a_surname_stands_for_the_full_name_given_earlier(gazetteer: Gazetteer) -> None:
    text = (
        "Colombian President Gustavo Petro spoke in Bogota. "
        "“The era of genocide cannot return,” said Petro."
    )
    quote = only(text, gazetteer, "quote")
    assert quote.subject is not None
    assert (quote.subject.text, quote.subject.label, quote.subject.how) == (
        "Petro",
        "Gustavo Petro",
        "surname",
    )


def test_he_said_is_the_nearest_person_before(gazetteer: Gazetteer) -> None:
    text = "White House press secretary Jen Psaki spoke. “We will not attend,” she said."
    quote = only(text, gazetteer, "quote")
    assert quote.subject is not None and quote.subject.label == "Jen Psaki"


def test_the_ministry_said(gazetteer: Gazetteer) -> None:
    text = "“The talks were useful,” Qatar's foreign ministry said."
    quote = only(text, gazetteer, "quote")
    assert quote.subject is not None and quote.subject.text == "Qatar's foreign ministry"


@pytest.mark.parametrize(
    "ministry",
    ["Qatar’s Foreign Ministry", "Qatar's foreign ministry", "Qatar’s Ministry of Foreign Affairs"],
)
def test_their_statement_is_the_ministry_named_before(gazetteer: Gazetteer, ministry: str) -> None:
    text = (
        f"The talks ended in Riyadh, according to {ministry}.\n"
        'Their statement said that the two states "decided to restore relations."'
    )
    quote = only(text, gazetteer, "quote")
    assert quote.subject is not None and quote.subject.text == ministry


def test_a_document_issued_by_a_body_speaks_for_it(gazetteer: Gazetteer) -> None:
    text = (
        "The letter, issued by the Nigerien Ministry of Foreign Affairs and dated Tuesday, "
        'stated that the decision is "irreversible."'
    )
    quote = only(text, gazetteer, "quote")
    assert quote.subject is not None
    assert quote.subject.text == "the Nigerien Ministry of Foreign Affairs"


def _speakers(text: str, gazetteer: Gazetteer) -> list[str | None]:
    quotes = [c for c in propose(text, DAY, gazetteer) if c.kind == "quote"]
    # who the speaker is: the name a pronoun or surname stands for, else the words as written
    return [(q.subject.label or q.subject.text) if q.subject else None for q in quotes]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a participle after the clause: the clause's subject speaks
        (
            "However, Gustavo Petro fired back, calling the raid an "
            '"authoritarian act" and "a violation of international law."',
            "Gustavo Petro",
        ),
        ('Ecuador\'s presidency defended it, stating in a statement, "We are sovereign."', None),
        # a participle right after a name: that name speaks
        ('The raid angered Bogota, with Colombia denouncing it as "an outrage."', "Colombia"),
        # a speaker in apposition after the quotation
        (
            '"This is crazy," Roberto Canseco, head of the consular section in Quito, '
            "told reporters.",
            "Roberto Canseco",
        ),
        # a title and a rank between the verb and the name
        (
            '"We are shocked," said government spokesman Colonel Abdoulaye Maiga in a statement.',
            "Abdoulaye Maiga",
        ),
    ],
)
def test_participles_appositions_and_titles_name_the_speaker(
    gazetteer: Gazetteer, text: str, speaker: str | None
) -> None:
    found = _speakers(text, gazetteer)
    if speaker is None:  # the subject as written: "Ecuador's presidency"
        assert found == ["Ecuador's presidency"]
    else:
        assert set(found) == {speaker}, found


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # an outlet quoting someone: the one quoted speaks
        (
            'Bolivia "has decided to break relations with Israel," RT quoted Deputy Foreign '
            "Minister Freddy Mamani as saying.",
            ["Freddy Mamani"],
        ),
        # a quotation inside reported speech: who announced it
        (
            "Bolivian Deputy Foreign Minister Freddy Mamani Machaca announced Tuesday that the "
            "country “condemns the offensive in the Gaza Strip” and was breaking relations.",
            ["Freddy Mamani Machaca"],
        ),
        # a title after the verb and the name after a comma
        (
            "“It is a capitulation to terrorism,” said the spokesman for the Israeli Ministry "
            "of Foreign Affairs, Lior Haiat.",
            ["Lior Haiat"],
        ),
        # reversed marks, two parts of one quotation, and "she also stressed"
        (
            "”We are sending this communication,“ added Minister of the Presidency Maria Nela "
            "Prada during the conference.\n”We demand the cessation of the attacks“ in the Gaza "
            "Strip ”which have caused thousands of fatalities,“ she also stressed.",
            ["Maria Nela Prada", "Maria Nela Prada", "Maria Nela Prada"],
        ),
    ],
)
def test_outlets_reported_speech_and_split_quotations_name_the_speaker(
    gazetteer: Gazetteer, text: str, speakers: list[str]
) -> None:
    assert _speakers(text, gazetteer) == speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # a body in apposition after the quotation
        (
            "“We have appealed to Israel,” the government, led by Prime Minister Johnny Briceño, "
            "said in a statement.",
            ["the government"],
        ),
        # "it" after a body that spoke: that body, also in a parenthetical cue
        (
            "The Belize government said in a statement that talks had failed.\n"
            "It added: “Israel has not stopped.”\n"
            "As a result, it continued, the government is withdrawing “its request for "
            "accreditation of the consul” to Israel.",
            ["The Belize government", "The Belize government"],
        ),
        # an office named earlier with its holder: "the foreign minister" is that person
        (
            "Belize's Minister of Foreign Affairs, Eamon Courtenay, gave an interview.\n"
            '"Today we have taken four measures," the foreign minister said.',
            ["Eamon Courtenay"],
        ),
        # any reporting verb before "that": "X stressed that “…”"
        (
            "Belize's Minister of Foreign Affairs, Eamon Courtenay, gave an interview.\n"
            'Courtenay stressed that "these measures fall short of revoking relations."',
            ["Eamon Courtenay"],
        ),
    ],
)
def test_bodies_pronouns_and_offices_named_earlier_name_the_speaker(
    gazetteer: Gazetteer, text: str, speakers: list[str]
) -> None:
    assert _speakers(text, gazetteer) == speakers


def test_an_office_nobody_in_the_story_holds_stays_as_written(gazetteer: Gazetteer) -> None:
    text = (
        "Belize's Prime Minister Johnny Briceño spoke.\n“We are ready,” the foreign minister said."
    )
    assert _speakers(text, gazetteer) == ["the foreign minister"]


def test_a_quotation_followed_by_a_cue_of_its_own_keeps_it(gazetteer: Gazetteer) -> None:
    text = (
        '"We are ready," Colombian President Gustavo Petro said, and "we will not wait," '
        "said Qatar's foreign ministry."
    )
    assert _speakers(text, gazetteer) == ["Gustavo Petro", "Qatar's foreign ministry"]


def test_a_quoted_paragraph_goes_on_with_the_speaker_before_it(gazetteer: Gazetteer) -> None:
    text = (
        '"This is crazy," Roberto Canseco, head of the consular section, told reporters.\n'
        '"I am very worried. There is no basis to do this."'
    )
    assert _speakers(text, gazetteer) == ["Roberto Canseco", "Roberto Canseco"]


def test_a_quoted_paragraph_after_a_sentence_without_a_quote_has_no_speaker(
    gazetteer: Gazetteer,
) -> None:
    text = (
        '"This is crazy," Roberto Canseco, head of the consular section, told reporters.\n'
        "The embassy was closed on Saturday.\n"
        '"We will not be intimidated by anyone at all."'
    )
    assert _speakers(text, gazetteer) == ["Roberto Canseco", None]


def test_a_cue_after_a_quotation_never_reaches_into_the_next_line(gazetteer: Gazetteer) -> None:
    text = '"We are leaving now," said Foreign Secretary Alicia Barcena.\nShe added nothing.'
    assert _speakers(text, gazetteer) == ["Alicia Barcena"]


def test_an_issuer_after_the_quotation_is_not_its_speaker(gazetteer: Gazetteer) -> None:
    text = (
        'The decision is "irreversible," Colombian President Gustavo Petro said of the letter '
        "issued by the ministry."
    )
    quote = only(text, gazetteer, "quote")
    assert quote.subject is not None and quote.subject.text == "Gustavo Petro"


@pytest.mark.parametrize(
    "marked",
    [
        '"We have turned an old friend to our side,"',
        "“We have turned an old friend to our side,”",
        "‘We have turned an old friend to our side,’",
        "'We have turned an old friend to our side,'",
        "”We have turned an old friend to our side,“",
        '"We have turned an old friend to our side,”',
        '“We have turned an old friend to our side,"',
    ],
)
def test_every_quote_mark_style(gazetteer: Gazetteer, marked: str) -> None:
    text = f"A diplomatic source spoke in Seoul. {marked} the source said."
    (quotation,) = quotations(text)
    assert quotation.inner.text == "We have turned an old friend to our side,"
    quote = only(text, gazetteer, "quote")
    assert quote.subject is not None and quote.subject.text == "the source"


def test_apostrophes_do_not_open_quotations() -> None:
    assert quotations("North Korea’s allies and the Castro brothers’ rule.") == []


def test_sentences_keep_abbreviations_together() -> None:
    text = "The U.N. met on Feb. 14 in New York. President Joseph R. Biden, Jr. spoke."
    assert [s.text for s in sentences(text)] == [
        "The U.N. met on Feb. 14 in New York.",
        "President Joseph R. Biden, Jr. spoke.",
    ]


def test_a_dateline_is_not_a_party(gazetteer: Gazetteer) -> None:
    text = (
        "TAIPEI, Taiwan — (AP) — Nauru says it is switching diplomatic recognition from Taiwan "
        "to China."
    )
    severance = only(text, gazetteer, "severance")
    assert (severance.subject.iri, severance.object.iri) == ("state/nru", "state/twn")  # type: ignore[union-attr]
    recognition = only(text, gazetteer, "recognition")
    assert recognition.object is not None and recognition.object.iri == "state/chn"


def test_respectively_pairs_each_party_with_its_date(gazetteer: Gazetteer) -> None:
    text = (
        "Saint Vincent and the Grenadines signed a joint communiqué with the Republic of Rwanda "
        "and Republic of Burundi on 9th November and 24th November 2021, respectively."
    )
    found = {
        (c.object.iri, c.date.value)  # type: ignore[union-attr]
        for c in propose(text, date(2022, 3, 10), gazetteer)
        if c.kind == "joint_communique"
    }
    assert found == {("state/rwa", "2021-11-09"), ("state/bdi", "2021-11-24")}


def test_an_act_told_twice_is_dated_from_its_first_telling_and_not_repeated(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "The Maldives has formally established diplomatic relations with two countries on "
        "Saturday, 24th September 2022.\nFirstly, Maldives established diplomatic relations with "
        "Guinea-Bissau.\nMaldives established diplomatic relations with Guinea-Bissau."
    )
    establishment = only(text, gazetteer, "establishment", date(2022, 9, 26))
    assert establishment.date is not None
    assert (establishment.date.value, establishment.date.relative) == ("2022-09-24", True)


def test_the_day_of_a_report_is_not_the_day_of_the_act(gazetteer: Gazetteer) -> None:
    text = (
        "South Korea has established diplomatic relations with Syria, Seoul’s foreign ministry "
        "said Friday.\nThe two countries signed a joint communique in Damascus on Thursday."
    )
    establishment = only(text, gazetteer, "establishment", date(2025, 4, 11))
    assert establishment.date is not None and establishment.date.value == "2025-04-10"
    statement = only(text, gazetteer, "statement", date(2025, 4, 11))
    assert statement.date is not None and statement.date.value == "2025-04-11"


def test_cutting_ties_in_return_is_with_the_other_side(gazetteer: Gazetteer) -> None:
    text = "Nauru cut ties with Taiwan on Monday. Taiwan cut ties in return and accused Beijing."
    severances = [c for c in propose(text, date(2024, 1, 15), gazetteer) if c.kind == "severance"]
    assert [(c.subject.iri, c.object.iri) for c in severances] == [  # type: ignore[union-attr]
        ("state/nru", "state/twn"),
        ("state/twn", "state/nru"),
    ]


def test_recalled_states_of_affairs_are_not_acts(gazetteer: Gazetteer) -> None:
    text = "Iran and Saudi Arabia agreed to resume relations seven years after ties were cut."
    assert "severance" not in kinds(text, gazetteer)
    assert "restoration" in kinds(text, gazetteer)


def test_names_match_without_their_accents(gazetteer: Gazetteer) -> None:
    (mention,) = gazetteer.find("the Republic of Cote D’Ivoire")
    assert mention.state == "state/civ"


def test_a_visit_of_n_days_that_concluded_on_a_day_is_an_interval(gazetteer: Gazetteer) -> None:
    text = "US President Joe Biden on September 11 concluded his two-day State visit to Vietnam."
    visit = only(text, gazetteer, "state_visit", date(2023, 9, 12))
    assert visit.date is not None and visit.date.value == "2023-09-10/2023-09-11"
    assert visit.object is not None and visit.object.iri == "state/vnm"


def test_meetings_during_a_trip_take_its_dates_and_surnames_their_persons(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "US President Joe Biden on September 11 concluded his two-day State visit to Vietnam.\n"
        "During the trip, Biden joined Party General Secretary Nguyen Phu Trong in talks."
    )
    meeting = only(text, gazetteer, "meeting", date(2023, 9, 12))
    assert meeting.subject is not None and meeting.subject.label == "Joe Biden"
    assert meeting.object is not None and meeting.object.text == "Nguyen Phu Trong"
    assert meeting.date is not None and meeting.date.value == "2023-09-10/2023-09-11"


def test_the_severing_of_relations_is_a_severance(gazetteer: Gazetteer) -> None:
    text = "Belize announced the severing of its diplomatic relations with Israel."
    severance = only(text, gazetteer, "severance")
    assert (severance.subject.iri, severance.object.iri) == ("state/blz", "state/isr")  # type: ignore[union-attr]


def test_an_announced_decision_to_break_off_ties_is_the_act_not_an_intent(
    gazetteer: Gazetteer,
) -> None:
    text = "Mexico has announced its decision to break off diplomatic ties with Ecuador."
    assert kinds(text, gazetteer) == ["severance"]
    assert "intent" in kinds("Mexico plans to break off diplomatic ties with Ecuador.", gazetteer)


def test_a_government_announcing_it_acted_makes_its_state_the_party(
    gazetteer: Gazetteer,
) -> None:
    text = "Bolivia's government announced it had severed diplomatic ties with Israel on Tuesday."
    severance = only(text, gazetteer, "severance")
    assert (severance.subject.iri, severance.object.iri) == ("state/bol", "state/isr")  # type: ignore[union-attr]
    # A possessive speaker reporting another state's act is still not a party.
    other = only(
        "Israel's foreign ministry said Morocco severed ties with Iran.", gazetteer, "severance"
    )
    assert (other.subject.iri, other.object.iri) == ("state/mar", "state/irn")  # type: ignore[union-attr]
