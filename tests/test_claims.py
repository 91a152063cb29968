"""Claim checking: the story's claims against the graph, as of their date, with evidence."""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Literal, URIRef

from diplomacy_kg import claims, graph
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines import Engine
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.namespaces import DIP, ID, SCHEMA, turtle_prefix_block

PLANTED = Path(__file__).parent / "fixtures" / "claims" / "planted-false-claim.ttl"
SEED = ID["source/seed-story-2024-02"]
STORY_VERDICTS = {
    "cuba-193rd-partner-of-kor": claims.SUPPORTED,
    "syria-only-un-member-without-kor-ties": claims.SUPPORTED,
    "cub-recognized-kor-1949-severed-after-1959": claims.SUPPORTED,
    "cub-prk-relations-since-1960": claims.ASSERTED,
    "cub-boycotted-seoul-olympics-1988": claims.ASSERTED,
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return OxigraphEngine.from_graph(graph.load_graph([*graph.default_files(), PLANTED]))


@pytest.fixture(scope="module")
def story(engine: Engine) -> dict[str, claims.Review]:
    run = claims.check_claims(engine, source="seed-story-2024-02")
    return {review.claim.slug: review for review in run.reviews}


@pytest.fixture(scope="module")
def in_may_2025(engine: Engine) -> dict[str, claims.Review]:
    run = claims.check_claims(engine, source="seed-story-2024-02", as_of=date(2025, 5, 1))
    return {review.claim.slug: review for review in run.reviews}


def _outcome(review: claims.Review, check_slug_end: str) -> claims.CheckOutcome:
    found = [o for o in review.outcomes if str(o.check.iri).endswith(check_slug_end)]
    assert len(found) == 1, f"no single check ending {check_slug_end} in {review.claim.slug}"
    return found[0]


def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _refusing_loader(url: str, options: object = None) -> dict[str, object]:
    raise AssertionError(f"pyld tried to load {url}")


# --- the story's claims ---------------------------------------------------------------------


def test_the_story_claims_are_checked_and_come_out_supported_or_asserted(
    story: dict[str, claims.Review],
) -> None:
    assert {slug: review.verdict for slug, review in story.items()} == STORY_VERDICTS
    for review in story.values():
        assert review.as_of == date(2024, 2, 15), "each claim is checked as of its own date"
        assert review.outcomes and all(o.status == claims.HOLDS for o in review.outcomes)
        assert review.sources, f"{review.claim.slug} names no source"


def test_claims_without_a_check_are_listed_not_reviewed(engine: Engine) -> None:
    run = claims.check_claims(engine, source="seed-story-2024-02")
    unchecked = {c.slug for c in run.unchecked}
    assert "kor-stepped-up-diplomacy-toward-cub" in unchecked
    assert not unchecked & set(STORY_VERDICTS)


def test_cuba_is_a_partner_with_every_source_of_the_2024_relation(
    story: dict[str, claims.Review],
) -> None:
    outcome = _outcome(story["cuba-193rd-partner-of-kor"], "-cuba-a-partner")
    [row] = outcome.evidence
    assert ID["relation/cub-kor-2024"] in row.facts
    assert {
        ID["source/xinhua-2024-02-14"],
        ID["source/telesur-2024-02-14"],
        ID["source/afp-club-of-mozambique-2024-02-14"],
        SEED,
    } <= set(row.sources)
    assert "since 2024-02-14" in row.summary


def test_the_193_count_notes_that_it_rests_on_undated_relations(
    story: dict[str, claims.Review],
) -> None:
    review = story["cuba-193rd-partner-of-kor"]
    count = _outcome(review, "-partner-count")
    assert count.explanation.startswith("193 distinct partner values")
    assert any("no start date" in note and "2019-07-30" in note for note in review.notes)


def test_claims_resting_on_the_story_alone_are_asserted_with_a_note(
    story: dict[str, claims.Review],
) -> None:
    review = story["cub-prk-relations-since-1960"]
    assert set(review.sources) == {SEED}
    assert any(note.startswith("Asserted, not independently confirmed") for note in review.notes)
    supported = story["cub-recognized-kor-1949-severed-after-1959"]
    assert ID["source/xinhua-2024-02-14"] in supported.sources, "confirmed by other sources"


def test_the_severance_check_names_the_revolution_as_the_end_cause(
    story: dict[str, claims.Review],
) -> None:
    outcome = _outcome(
        story["cub-recognized-kor-1949-severed-after-1959"], "-ended-by-the-revolution"
    )
    assert outcome.status == claims.HOLDS
    assert [row.values["end_cause"] for row in outcome.evidence] == [
        ID["event/cuban-revolution-1959"]
    ]


# --- as of a later date: Syria ----------------------------------------------------------------


def test_syria_claim_checked_after_april_2025_no_longer_holds_and_says_why(
    in_may_2025: dict[str, claims.Review],
) -> None:
    review = in_may_2025["syria-only-un-member-without-kor-ties"]
    assert review.verdict == claims.CONTRADICTED
    not_a_partner = _outcome(review, "-syria-not-a-partner")
    assert not_a_partner.status == claims.FAILS
    [row] = not_a_partner.evidence
    assert not_a_partner.evidence_role == "contradicting"
    assert row.facts == (ID["relation/kor-syr-2025"],)
    assert row.values["since"] == PartialDate(date(2025, 4, 10), "day")
    assert {
        ID["source/ap-citynews-toronto-2025-04-10"],
        ID["source/ap-manila-bulletin-2025-04-11"],
        ID["source/kbs-world-2025-04"],
    } <= set(row.sources)
    alone = _outcome(review, "-syria-alone")
    assert alone.status == claims.FAILS
    assert "the answer is empty" in alone.explanation
    assert "gone since the claim's date: Syria" in alone.explanation
    assert any("no longer holds as of 2025-05-01" in note for note in review.notes)


def test_the_193rd_claim_in_may_2025_shows_the_partner_added_since(
    in_may_2025: dict[str, claims.Review],
) -> None:
    count = _outcome(in_may_2025["cuba-193rd-partner-of-kor"], "-partner-count")
    assert count.status == claims.FAILS
    assert "found 194" in count.explanation
    assert [row.facts for row in count.evidence] == [(ID["relation/kor-syr-2025"],)]


# --- a planted false claim --------------------------------------------------------------------


def test_a_planted_false_claim_resting_on_absence_is_undetermined(engine: Engine) -> None:
    # "Established in 1990": the graph holds the 1949 and 2024 periods, but no coverage
    # statement vouches for the whole history of the pair, so the missing 1990 start is an
    # absence the graph cannot claim (it was contradicted before issue 10).
    run = claims.check_claims(engine, claim="cub-kor-relations-established-1990")
    [review] = run.reviews
    assert review.verdict == claims.UNDETERMINED
    [outcome] = review.outcomes
    assert outcome.status == claims.UNDECIDED
    assert "expected 1990 among the when values" in outcome.explanation
    assert "not known to be complete" in outcome.explanation


# --- the verdict rules, one by one ------------------------------------------------------------


def _check(
    query: str,
    params: dict[str, str],
    expectation: URIRef,
    column: str | None = None,
    expected: tuple[object, ...] = (),
    conditions: dict[str, str] | None = None,
) -> claims.Check:
    return claims.Check(
        iri=ID["claim-check/test"],
        label="test",
        query=query,
        params=tuple(sorted(params.items())),
        conditions=tuple(sorted((conditions or {}).items())),
        expectation=expectation,
        column=column,
        expected=tuple(Literal(v) for v in expected),
    )


def _run(engine: Engine, check: claims.Check, as_of: date | None) -> claims.CheckOutcome:
    claim = claims.Claim(ID["claim/test"], None, "test", None, None, as_of, None, (), (check,))
    return claims.Checker(engine).review(claim).outcomes[0]


@pytest.mark.parametrize(
    ("day", "status", "rows"),
    [
        (date(2025, 5, 1), claims.HOLDS, 0),
        (date(2024, 2, 15), claims.FAILS, 1),
    ],
)
def test_is_empty(engine: Engine, day: date, status: str, rows: int) -> None:
    check = _check(
        "un-members-without-relations", {"state": "KOR", "date": "$claim-date"}, DIP.IsEmpty
    )
    outcome = _run(engine, check, day)
    assert (outcome.status, len(outcome.evidence)) == (status, rows)


def test_equals_reports_the_unexpected_values(engine: Engine) -> None:
    check = _check("boycotts", {"subject": "CUB"}, DIP.Equals, "in_support_of", ("USA",))
    outcome = _run(engine, check, date(2024, 2, 15))
    assert outcome.status == claims.FAILS
    assert "also North Korea" in outcome.explanation
    assert [row.values["in_support_of"] for row in outcome.evidence] == [ID["state/prk"]]


def test_a_year_matches_any_day_of_it_and_a_year_precision_value_any_date_in_it(
    engine: Engine,
) -> None:
    in_1949 = _check(
        "relation-history",
        {"state": "CUB", "other": "KOR"},
        DIP.Includes,
        "when",
        ("1949-06-30",),
        {"kind": "diplomatic relation"},
    )
    assert _run(engine, in_1949, None).status == claims.HOLDS
    in_2024 = _check(
        "relation-history",
        {"state": "CUB", "other": "KOR"},
        DIP.Includes,
        "when",
        ("2024",),
        {"kind": "diplomatic relation"},
    )
    assert _run(engine, in_2024, None).status == claims.HOLDS
    wrong_day = _check(
        "relation-history",
        {"state": "CUB", "other": "KOR"},
        DIP.Includes,
        "when",
        ("2024-02-15",),
        {"kind": "diplomatic relation"},
    )
    # The day does not match; that it is missing is an absence no coverage vouches for.
    outcome = _run(engine, wrong_day, None)
    assert outcome.status == claims.UNDECIDED
    assert "missing 2024-02-15" in outcome.explanation


def test_a_count_before_the_undated_relations_are_known_is_undetermined(engine: Engine) -> None:
    check = _check(
        "partners-on-date",
        {"state": "KOR", "date": "$claim-date"},
        DIP.CountEquals,
        "partner",
        (193,),
    )
    outcome = _run(engine, check, date(2000, 1, 1))
    assert outcome.status == claims.UNDECIDED
    assert "known only from 2019-07-30" in outcome.explanation


def test_a_missing_partner_on_an_uncovered_day_is_undetermined(engine: Engine) -> None:
    # Cuba is not among South Korea's partners in 1970, but no coverage statement vouches
    # for that day: the absence is not claimed (it was contradicted before issue 10).
    check = _check(
        "partners-on-date",
        {"state": "KOR", "date": "$claim-date"},
        DIP.Includes,
        "partner",
        ("CUB",),
    )
    outcome = _run(engine, check, date(1970, 1, 1))
    assert outcome.status == claims.UNDECIDED
    assert "no coverage statement for South Korea on 1970-01-01" in outcome.explanation


def test_a_missing_partner_on_a_covered_day_is_contradicted(engine: Engine) -> None:
    check = _check(
        "partners-on-date",
        {"state": "KOR", "date": "$claim-date"},
        DIP.Includes,
        "partner",
        ("SYR",),
    )
    outcome = _run(engine, check, date(2024, 2, 15))
    assert outcome.status == claims.FAILS
    assert "missing Syria" in outcome.explanation


@pytest.mark.parametrize(
    "check",
    [
        _check("no-such-query", {}, DIP.IsEmpty),
        _check("boycotts", {"subject": "Atlantis"}, DIP.IsEmpty),
        _check("boycotts", {"subject": "CUB"}, DIP.Includes, "no_such_column", ("x",)),
        _check("partners-on-date", {"state": "KOR", "date": "$claim-date"}, DIP.IsEmpty),
    ],
    ids=["unknown query", "unknown entity", "unknown column", "no date to take"],
)
def test_what_cannot_run_is_undetermined_not_a_crash(engine: Engine, check: claims.Check) -> None:
    outcome = _run(engine, check, None)
    assert outcome.status == claims.UNDECIDED
    assert outcome.explanation.startswith("undetermined: ")


def test_an_unknown_source_is_bad_input(engine: Engine) -> None:
    with pytest.raises(claims.ClaimError, match="seed-story-2024-02"):
        claims.check_claims(engine, source="no-such-source")


def test_the_rdflib_reference_engine_gives_the_same_verdicts(
    curated_engines: dict[str, Engine],
) -> None:
    reference = curated_engines["rdflib"]
    run = claims.check_claims(reference, source="seed-story-2024-02")
    assert {r.claim.slug: r.verdict for r in run.reviews} == STORY_VERDICTS
    later = claims.check_claims(
        reference, claim="syria-only-un-member-without-kor-ties", as_of=date(2025, 5, 1)
    )
    assert [r.verdict for r in later.reviews] == [claims.CONTRADICTED]


# --- output -----------------------------------------------------------------------------------


def test_the_review_exports_as_jsonld_that_pyld_expands_offline(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_network(monkeypatch)
    run = claims.check_claims(
        engine, as_of=date(2025, 5, 1), claim="syria-only-un-member-without-kor-ties"
    )
    document = json.loads(claims.dump_jsonld(run.reviews, date(2025, 5, 2)))
    assert isinstance(document["@context"], dict), "the context is embedded, not referenced"
    expanded = jsonld.expand(document, {"documentLoader": _refusing_loader})
    [review] = [n for n in expanded if f"{SCHEMA}ClaimReview" in n.get("@type", [])]
    [rating] = review[f"{SCHEMA}reviewRating"]
    assert rating[f"{SCHEMA}alternateName"] == [{"@value": "contradicted"}]
    assert review[f"{SCHEMA}itemReviewed"][0]["@id"] == str(
        ID["claim/syria-only-un-member-without-kor-ties"]
    )
    assert review[f"{SCHEMA}datePublished"][0]["@value"] == "2025-05-02"
    cited = {c["@id"] for c in review[f"{SCHEMA}citation"]}
    assert str(ID["source/kbs-world-2025-04"]) in cited
    quads = jsonld.to_rdf(
        document, {"documentLoader": _refusing_loader, "format": "application/n-quads"}
    )
    assert "_:" not in quads, "no blank nodes in the review"


def test_the_plain_json_report_lists_evidence_rows_and_sources(engine: Engine) -> None:
    run = claims.check_claims(engine, claim="cub-1988-boycott-in-support-of-usa")
    report = json.loads(claims.dump_plain_json(run))
    [claim] = report["claims"]
    assert claim["verdict"] == "contradicted"
    [check] = claim["checks"]
    assert check["result"] == "fails"
    assert {row["values"]["in_support_of"] for row in check["evidence"]} == {str(ID["state/prk"])}
    assert report["counts"]["contradicted"] == 1


def test_the_table_has_a_line_per_claim_with_verdict(story: dict[str, claims.Review]) -> None:
    text = claims.format_table(claims.CheckRun(list(story.values()), []))
    for slug, verdict in STORY_VERDICTS.items():
        assert any(line.startswith(slug) and verdict in line for line in text.splitlines())


# --- adding a claim ---------------------------------------------------------------------------


def _new(**changes: object) -> claims.NewClaim:
    values: dict[str, object] = {
        "text": "Cuba and North Korea established diplomatic relations in 1960.",
        "claimant": "id:organization/seed-story-newsroom",
        "source": "https://example.org/an-article",
        "date": "2024-03",
        "query": "relations-established-between",
        "params": ["state=CUB", "start=1960", "end=1961"],
        "expectation": "includes",
        "column": "partner",
        "expected": ["PRK"],
        "about": ["CUB", "PRK"],
    }
    values.update(changes)
    return claims.NewClaim(**values)  # type: ignore[arg-type]


def test_an_added_claim_is_appended_valid_and_checkable(tmp_path: Path) -> None:
    target = tmp_path / "claims.ttl"
    added = claims.add_claim(_new(), data_file=target)
    # the slug is the text cut at a word boundary within 60 characters
    assert added.iri == ID["claim/cuba-and-north-korea-established-diplomatic-relations-in"]
    text = target.read_text(encoding="utf-8")
    assert text.startswith(turtle_prefix_block())
    engine = OxigraphEngine.from_graph(graph.load_graph([*graph.default_files(), target]))
    [review] = claims.check_claims(engine, claim=str(added.iri)).reviews
    # the evidence rests on the seed story, not on the claim's own source: supported
    assert review.verdict == claims.SUPPORTED
    assert review.claim.date == date(2024, 3, 1)
    second = claims.add_claim(
        _new(
            text="Cuba boycotted the 1988 Seoul Olympics.",
            query="boycotts",
            params=["subject=CUB"],
            column="target",
            expected=["id:event/seoul-olympics-1988"],
        ),
        data_file=target,
    )
    assert target.read_text(encoding="utf-8").startswith(text.rstrip("\n"))
    assert str(second.iri) in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"expectation": "count-equals", "column": None, "expected": ["many"]},
            "one non-negative xsd:integer",
        ),
        ({"query": "partners-on-dates"}, "did you mean partners-on-date"),
        ({"params": ["state=CUB"]}, "needs start, end"),
        ({"params": ["state=Atlantis", "start=1960", "end=1961"]}, "Atlantis"),
        ({"column": "nation"}, "no column 'nation'"),
        ({"date": "2024-13-01"}, "^date: "),  # the parameter; the CLI names it --date
        ({"claimant": "Nobody At All"}, "Nobody At All"),
        ({"slug": "cuba-193rd-partner-of-kor"}, "already in the graph"),
    ],
    ids=[
        "count not a number",
        "unknown query",
        "missing parameter",
        "unknown state",
        "unknown column",
        "bad date",
        "unknown claimant",
        "existing claim",
    ],
)
def test_invalid_input_is_refused_and_nothing_is_written(
    tmp_path: Path,
    changes: dict[str, object],
    message: str,
) -> None:
    target = tmp_path / "claims.ttl"
    target.write_text(turtle_prefix_block(), encoding="utf-8")
    with pytest.raises(claims.ClaimError, match=message):
        claims.add_claim(_new(**changes), data_file=target)
    assert target.read_text(encoding="utf-8") == turtle_prefix_block()
