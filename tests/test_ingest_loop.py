"""The curator's loop in a temporary copy of the data: ingest → review → accept → build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from diplomacy_kg import paths
from diplomacy_kg.cli import main
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.ingest import accept as accepting
from diplomacy_kg.ingest import review as reviewing
from diplomacy_kg.ingest.candidates import Party
from diplomacy_kg.namespaces import DIP, ID

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "ingest-seed-story.txt"
TITLE = "South Korea establishes diplomatic relations with Cuba"


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, copy, ignore=shutil.ignore_patterns("news"))
    monkeypatch.setattr(paths, "DATA_DIR", copy)
    return copy


def _find(review: Path, kind: str, starts: str) -> str:
    document = json.loads(review.read_text(encoding="utf-8"))
    (found,) = [
        c["id"]
        for c in document["candidates"]
        if c["kind"] == kind and c["evidence"]["text"].startswith(starts)
    ]
    return str(found)


def _ingest(story: Path, day: str, review: Path, title: str, *extra: str) -> int:
    return main(
        [
            "ingest",
            str(story),
            "--date",
            day,
            "--title",
            title,
            "--publisher",
            "Seed newsroom",
            "--format",
            "json",
            "--output",
            str(review),
            *extra,
        ]
    )


def test_ingest_review_accept_build(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = tmp_path / "seed-review.json"
    assert _ingest(SEED, "2024-02-15", review, TITLE) == 0
    capsys.readouterr()
    established = _find(review, "establishment", "South Korea established")
    boycott = _find(review, "boycott", "Cuba sided")
    claim = _find(review, "claim", "Cuba is now the 193rd")
    doubtful = _find(review, "claim", "However, since the end")

    assert main(["review", str(review), "reject", doubtful, "--reason", "rests on reports"]) == 0
    assert (
        main(
            [
                "review",
                str(review),
                "edit",
                established,
                "--date",
                "2024-02-14",
                "--note",
                "the notes were exchanged in New York on 14 February",
            ]
        )
        == 0
    )
    assert main(["review", str(review), "accept", established, boycott, claim]) == 0
    out = capsys.readouterr().out
    assert "0 new facts, 3 merged as a further source" in out

    (news,) = sorted((data_copy / "news").glob("*.ttl"))
    written = Graph().parse(news)
    source = URIRef(f"{ID}source/news-2024-02-15-south-korea-establishes-diplomatic-relations-with")
    assert (source, RDFS.label, Literal(TITLE, lang="en")) in written
    # Duplicates of facts the graph holds are merged into them as a further source.
    for existing in (
        "event/cub-kor-exchange-of-notes-2024",
        "event/cub-boycott-seoul-olympics-1988",
        "claim/cuba-193rd-partner-of-kor",
    ):
        assert (URIRef(f"{ID}{existing}"), PROV.wasDerivedFrom, source) in written
    assert not list(written.subjects(RDF.type, DIP.Boycott))  # not added twice
    text = SEED.read_text(encoding="utf-8")
    for derivation in written.objects(None, PROV.qualifiedDerivation):
        quote = str(written.value(derivation, DIP.evidenceQuote))
        start, end = str(written.value(derivation, DIP.sourceLocator)).split()[1].split("-")
        assert text[int(start) : int(end)] == quote
    notes = [
        str(n)
        for n in written.objects(
            URIRef(f"{ID}event/cub-kor-exchange-of-notes-2024"),
            URIRef("http://www.w3.org/2004/02/skos/core#editorialNote"),
        )
    ]
    assert any("2024-02-15 → 2024-02-14" in n and "New York" in n for n in notes)

    # A rerun keeps the decisions and does not propose the rejected candidate again.
    assert _ingest(SEED, "2024-02-15", review, TITLE) == 0
    captured = capsys.readouterr()
    assert doubtful not in {c["id"] for c in json.loads(captured.out)["candidates"]}
    assert "1 candidate(s) rejected earlier were not proposed again" in captured.err
    statuses = {c["id"]: c for c in json.loads(review.read_text(encoding="utf-8"))["candidates"]}
    assert statuses[doubtful]["status"] == "rejected"
    assert statuses[doubtful]["reason"] == "rests on reports"
    assert statuses[established]["status"] == "accepted"

    # A second story adds new facts, minting the persons it names.
    syria = json.loads(
        (
            FIXTURES / "ingest" / "ap-2025-04-11-south-korea-establishes-relations-with-syria.json"
        ).read_text(encoding="utf-8")
    )
    story = tmp_path / "syria.txt"
    story.write_text("\n".join(syria["spans"]), encoding="utf-8")
    second = tmp_path / "syria-review.json"
    assert _ingest(story, "2025-04-11", second, syria["title"], "--url", syria["url"]) == 0
    capsys.readouterr()
    relation = _find(second, "establishment", "SEOUL, South Korea (AP)")
    visit = _find(second, "visit", "South Korean Foreign Minister Cho")
    assert main(["review", str(second), "accept", relation, visit]) == 0
    assert "2 new facts" in capsys.readouterr().out

    build = tmp_path / "build"
    assert main(["build", "--output-dir", str(build)]) == 0
    built = Graph().parse(build / "diplomacy-kg.ttl")
    assert (
        URIRef(f"{ID}event/cub-kor-exchange-of-notes-2024"),
        PROV.wasDerivedFrom,
        source,
    ) in built
    cho = URIRef(f"{ID}person/cho-tae-yul")
    assert (cho, RDFS.label, Literal("Cho Tae-yul", lang="en")) in built
    visits = [v for v in built.subjects(DIP.agent, cho) if (v, RDF.type, DIP.Visit) in built]
    assert len(visits) == 1
    assert (visits[0], DIP.host, URIRef(f"{ID}state/syr")) in built
    new = [
        e
        for e in built.subjects(RDF.type, DIP.EstablishmentOfRelations)
        if (e, DIP.participant, URIRef(f"{ID}state/syr")) in built
    ]
    assert len(new) == 1
    assert (new[0], DIP.candidateStatus, DIP.Accepted) in built


def test_an_accepted_restoration_is_a_restoration_of_the_ontology(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "gulf.txt"
    story.write_text(
        "Qatar and Bahrain agreed to restore diplomatic relations on Wednesday.\n", encoding="utf-8"
    )
    review = tmp_path / "gulf-review.json"
    assert _ingest(story, "2023-04-13", review, "Qatar and Bahrain restore ties") == 0
    restored = _find(review, "restoration", "Qatar and Bahrain agreed")
    assert main(["review", str(review), "accept", restored]) == 0
    capsys.readouterr()
    (written,) = (data_copy / "news").glob("*.ttl")
    facts = Graph().parse(written)
    (event,) = facts.subjects(RDF.type, DIP.Restoration)
    assert (event, RDF.type, DIP.EstablishmentOfRelations) not in facts  # the subclass only
    assert (event, DIP.candidateStatus, DIP.Accepted) in facts
    assert {URIRef(f"{ID}state/qat"), URIRef(f"{ID}state/bhr")} <= set(
        facts.objects(event, DIP.participant)
    )
    assert str(facts.value(event, DIP.date)) == "2023-04-12"
    # The relation history of the two states lists it as an event, through its superclasses.
    assert main(["query", "relation-history", "-p", "state=QAT", "-p", "other=BHR"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "2023-04-12" in line]
    (row,) = [line for line in rows if " event " in line]
    assert str(event).rsplit("/", 1)[-1] in row
    # The restoration starts a new period of relations (see the next test).
    assert any(
        "diplomatic relation" in line and "relation/bhr-qat-2023-04-12" in line for line in rows
    )


def test_an_accepted_establishment_and_severance_start_and_end_a_relation(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "bhutan.txt"
    story.write_text(
        "Bhutan and Germany established diplomatic relations on November 25, 2020.\n"
        "Bhutan severed diplomatic ties with Germany on March 3, 2022.\n",
        encoding="utf-8",
    )
    review = tmp_path / "bhutan-review.json"
    assert _ingest(story, "2022-03-04", review, "Bhutan and Germany") == 0
    established = _find(review, "establishment", "Bhutan and Germany established")
    severed = _find(review, "severance", "Bhutan severed")
    capsys.readouterr()
    assert main(["review", str(review), "accept", established]) == 0
    assert "started id:relation/btn-deu-2020-11-25" in capsys.readouterr().out
    assert main(["review", str(review), "accept", established, severed]) == 0
    out = capsys.readouterr().out
    assert "started id:relation/btn-deu-2020-11-25" in out
    assert "ended id:relation/btn-deu-2020-11-25" in out
    (written,) = (data_copy / "news").glob("*.ttl")
    facts = Graph().parse(written)
    relation = URIRef(f"{ID}relation/btn-deu-2020-11-25")
    assert (relation, RDF.type, DIP.DiplomaticRelation) in facts
    assert str(facts.value(relation, DIP.startDate)) == "2020-11-25"
    assert str(facts.value(relation, DIP.endDate)) == "2022-03-03"
    assert facts.value(relation, DIP.establishedBy) is not None
    assert facts.value(relation, DIP.endedBy) is not None
    # The date-bound queries see the period: active in 2021, not active after the severance.
    for day, listed in (("2021-06-01", True), ("2022-06-01", False)):
        assert main(["query", "partners-on-date", "-p", "state=BTN", "-p", f"date={day}"]) == 0
        assert ("id:state/deu" in capsys.readouterr().out) is listed, day


def test_a_severance_with_no_open_period_ends_nothing_and_says_so(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "bhutan.txt"
    story.write_text("Bhutan severed diplomatic ties with Germany on March 3, 2022.\n", "utf-8")
    review = tmp_path / "bhutan-review.json"
    assert _ingest(story, "2022-03-04", review, "Bhutan and Germany") == 0
    severed = _find(review, "severance", "Bhutan severed")
    capsys.readouterr()
    assert main(["review", str(review), "accept", severed]) == 0
    out = capsys.readouterr().out
    assert "no relation period changed: the graph holds no open period of the two states" in out
    (written,) = (data_copy / "news").glob("*.ttl")
    assert not set(Graph().parse(written).subjects(RDF.type, DIP.DiplomaticRelation))


def test_a_violation_writes_nothing(data_copy: Path, tmp_path: Path) -> None:
    review_file = tmp_path / "review.json"
    assert _ingest(SEED, "2024-02-15", review_file, TITLE) == 0
    review = reviewing.load(review_file)
    (boycott,) = [c for c in review.candidates if c.kind == "boycott"]
    boycott.status = "accepted"
    boycott.object = Party("a source", "source/seed-story-2024-02")  # not an event: no
    boycott.date = None  # so it is not merged into the boycott the graph holds
    boycott.subject = Party("a source", "source/seed-story-2024-02")  # …and not an actor
    with pytest.raises(DiplomacyKgError, match="do not conform"):
        accepting.accept(review)
    assert not (data_copy / "news").exists() or not list((data_copy / "news").glob("*.ttl"))


def test_an_ambiguous_party_must_be_chosen_first(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "korea.txt"
    story.write_text("Korea and Cuba established diplomatic relations on Monday.", encoding="utf-8")
    review = tmp_path / "korea.json"
    assert _ingest(story, "2024-02-19", review, "Korea and Cuba") == 0
    capsys.readouterr()
    candidate = _find(review, "establishment", "Korea and Cuba")
    assert main(["review", str(review), "accept", candidate]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ambiguous" in err and "state/kor" in err
    assert main(["review", str(review), "edit", candidate, "--subject", "state/kor"]) == 0
    assert main(["review", str(review), "accept", candidate]) == 0
    # The graph holds Cuba and South Korea's open period since 2024-02-14: no second one starts.
    assert (
        "no relation period changed: the graph holds an open period of the two states "
        "(since 2024-02-14)" in capsys.readouterr().out
    )


def test_review_lists_and_rejects_need_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = tmp_path / "review.json"
    assert _ingest(SEED, "2024-02-15", review, TITLE) == 0
    capsys.readouterr()
    assert main(["review", str(review)]) == 0
    assert "proposed" in capsys.readouterr().out
    some = _find(review, "boycott", "Cuba sided")
    assert main(["review", str(review), "reject", some, "--reason", " "]) == 2
    assert main(["review", str(tmp_path / "missing.json")]) == 2
    assert "no such review file" in capsys.readouterr().err


def test_claims_add_takes_a_claim_candidate(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = tmp_path / "review.json"
    assert _ingest(SEED, "2024-02-15", review, TITLE) == 0
    claim = _find(review, "claim", "That leaves only one U.N. member state")
    claims_file = data_copy / "claims-from-news.ttl"
    code = main(
        [
            "claims",
            "add",
            "--candidate",
            f"{review}#{claim}",
            "--claimant",
            "id:organization/seed-story-newsroom",
            "--query",
            "un-members-without-relations",
            "--param",
            "state=KOR",
            "--param",
            "date=$claim-date",
            "--expect",
            "equals",
            "--column",
            "member",
            "--value",
            "SYR",
            "--slug",
            "syria-only-from-news",
            "--data",
            str(claims_file),
        ]
    )
    assert code == 0, capsys.readouterr().err
    written = Graph().parse(claims_file)
    node = URIRef(f"{ID}claim/syria-only-from-news")
    assert (
        node,
        DIP.text,
        Literal(
            "That leaves only one U.N. member state, Syria, with no diplomatic ties with Seoul.",
            lang="en",
        ),
    ) in written
    assert (node, DIP.about, URIRef(f"{ID}state/syr")) in written
    # The claim's evidence is the candidate's (directly or on a derivation, whichever claims use).
    derivations = list(written.objects(node, PROV.qualifiedDerivation))
    quotes = {str(q) for n in [node, *derivations] for q in written.objects(n, DIP.evidenceQuote)}
    assert quotes == {
        "That leaves only one U.N. member state, Syria, with no diplomatic ties with Seoul."
    }
