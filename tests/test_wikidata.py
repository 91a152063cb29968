"""`diplomacy-kg wikidata` against a real Oxigraph server loaded with a Wikidata-shaped fixture."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from diplomacy_kg import graph, paths
from diplomacy_kg.cli import main
from diplomacy_kg.namespaces import DIP, SCHEMA, WD, turtle_prefix_block
from diplomacy_kg.server import OxigraphServer, ServerError, find_oxigraph_binary
from diplomacy_kg.wikidata import curated_changes
from diplomacy_kg.wikidata.client import SparqlClient
from servers import FaultServer, Reply

FIXTURES = Path(__file__).parent / "fixtures" / "wikidata"
WIKIDATA_FIXTURE = FIXTURES / "wikidata-fixture.ttl"
CURATED_FIXTURE = FIXTURES / "curated-fixture.ttl"
ID = "https://w3id.org/diplomacy-kg/id/"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        find_oxigraph_binary()
    except ServerError:
        pytest.skip("the oxigraph server binary is not installed")
    with OxigraphServer(location=tmp_path_factory.mktemp("wikidata-store")) as server:
        server.load([WIKIDATA_FIXTURE])
        yield server.query_url


@pytest.fixture(scope="module")
def enriched(endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One online enrich run; its cache serves the offline and compare tests."""
    work = tmp_path_factory.mktemp("enrich")
    output = work / "wikidata.ttl"
    code = main(["wikidata", "enrich", *common(endpoint, work / "cache"), "--output", str(output)])
    assert code == 0
    return {"output": output, "cache": work / "cache", "work": work}


def common(endpoint: str, cache: Path, data: Path = CURATED_FIXTURE) -> list[str]:
    return ["--endpoint", endpoint, "--cache-dir", str(cache), "--data", str(data), "--quiet"]


def parse(path: Path) -> Graph:
    return graph.parse_turtle_file(path)


def curated_graph() -> Graph:
    return graph.load_graph([paths.ONTOLOGY_FILE, CURATED_FIXTURE])


def rel(slug: str) -> URIRef:
    return URIRef(f"{ID}relation/{slug}")


def test_fixture_files_start_with_the_project_prefix_block() -> None:
    found = sorted(FIXTURES.glob("*.ttl"))
    assert len(found) >= 2, "the Wikidata fixtures are missing"
    for path in found:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(turtle_prefix_block()), f"{path.name}: prefix block first"
        assert "FIXTURE" in text, f"{path.name}: must say it is a fixture"


def test_verify_flags_the_deliberately_wrong_qid(
    endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["wikidata", "verify", *common(endpoint, tmp_path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    flagged = {(m["entity"], m["aspect"]) for m in report["mismatches"]}
    assert (f"{ID}state/prk", "iso3166Alpha3") in flagged
    assert (f"{ID}state/prk", "label") in flagged
    assert (f"{ID}state/cub", "label") in flagged  # planted: "Republic of Cuba"
    assert not any(entity.endswith(("/kor", "/syr", "/jpn", "/btn")) for entity, _ in flagged)
    assert report["checked"] == 6


def test_verify_lists_unlinked_entities_with_candidates_found_by_label_and_type(
    endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["wikidata", "verify", *common(endpoint, tmp_path), "--format", "json"])
    unlinked = {u["entity"]: u for u in json.loads(capsys.readouterr().out)["unlinked"]}
    assert [c["qid"] for c in unlinked[f"{ID}state/kgz"]["candidates"]] == ["Q813"]
    assert [c["qid"] for c in unlinked[f"{ID}person/miguel-diaz-canel"]["candidates"]] == [
        "Q999000201"
    ]
    assert unlinked[f"{ID}person/kim-jong-un"]["candidates"] == []


def test_verify_table_names_the_mismatch(
    endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["wikidata", "verify", *common(endpoint, tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "state/prk  Q813  iso3166Alpha2  KP" in out
    assert "Q813 (sovereign state" in out


def test_enrich_maps_p530_periods_with_their_qualifiers(enriched: dict[str, Path]) -> None:
    data = parse(enriched["output"])
    ended = rel("wikidata-cub-kor-1949")
    assert (ended, RDF.type, DIP.DiplomaticRelation) in data
    assert (ended, DIP.startDate, Literal("1949-01-01", datatype=XSD_DATE)) in data
    assert (ended, DIP.startPrecision, DIP.YearPrecision) in data
    assert (ended, DIP.endDate, Literal("1959-01-01", datatype=XSD_DATE)) in data
    assert (ended, DIP.endPrecision, DIP.YearPrecision) in data
    cause = data.value(ended, DIP.endCause)
    assert (cause, OWL.sameAs, WD.Q999000301) in data
    assert (cause, RDF.type, DIP.Event) in data
    references = [s for s in data.objects(ended, PROV.wasDerivedFrom) if "reference" in str(s)]
    assert [str(data.value(r, SCHEMA.url)) for r in references] == [
        "https://clubofmozambique.com/news/cuba-restores-ties-with-south-korea-after-65-years-254009"
    ]
    month = rel("wikidata-btn-kor-1987")
    assert (month, DIP.startDate, Literal("1987-09-01", datatype=XSD_DATE)) in data
    assert (month, DIP.startPrecision, DIP.MonthPrecision) in data


def test_enrich_leaves_out_deprecated_statements_and_unverified_links(
    enriched: dict[str, Path],
) -> None:
    data = parse(enriched["output"])
    text = enriched["output"].read_text(encoding="utf-8")
    assert "f0000000-0000-4000-8000-000000000004" not in text  # the deprecated KOR-PRK statement
    prk = URIRef(f"{ID}state/prk")
    assert not list(data.predicate_objects(prk)), "PRK's wrong link must not enrich it"


def test_enrich_turns_periods_overlapping_curated_ones_into_claims(
    enriched: dict[str, Path],
) -> None:
    data = parse(enriched["output"])
    claims = {
        str(claim): {str(t) for t in data.objects(claim, DIP.text)}
        for claim in data.subjects(DIP.about, rel("cub-kor-2024"))
    }
    assert any("from 2024-02-15 (day precision)" in " ".join(t) for t in claims.values())
    assert not list(data.subjects(RDF.type, DIP.DiplomaticRelation, unique=True)) or all(
        "wikidata-" in str(node) for node in data.subjects(RDF.type, DIP.DiplomaticRelation)
    )


def test_enrich_never_changes_a_curated_value(enriched: dict[str, Path]) -> None:
    base = curated_graph()
    data = parse(enriched["output"])
    assert curated_changes(base, data) == []
    kor = URIRef(f"{ID}state/kor")
    assert (kor, RDFS.label, Literal("대한민국", lang="ko")) in data
    assert (kor, RDFS.label, Literal("South Korea", lang="en")) not in data  # curated states it
    assert not list(data.objects(kor, OWL.sameAs))


def test_enrichment_with_curated_data_passes_the_shapes(enriched: dict[str, Path]) -> None:
    validation = pytest.importorskip("diplomacy_kg.validation")
    union = curated_graph()
    graph.parse_turtle_file(enriched["output"], into=union)
    report = validation.validate(union)
    assert report.conforms, validation.format_text(report)


def test_enrichment_provenance_names_endpoint_queries_and_retrieval_time(
    endpoint: str, enriched: dict[str, Path]
) -> None:
    data = parse(enriched["output"])
    source = URIRef(f"{ID}source/wikidata-enrichment")
    assert (source, RDF.type, DIP.SourceDocument) in data
    assert str(data.value(source, SCHEMA.url)) == endpoint
    assert data.value(source, PROV.generatedAtTime) is not None
    queries = list(data.objects(source, SCHEMA.isBasedOn))
    texts = [str(data.value(q, SCHEMA.text)) for q in queries]
    assert any("p:P530" in t and "pqv:P580" in t for t in texts)
    for node in data.subjects(RDF.type, DIP.DiplomaticRelation):
        assert (node, PROV.wasDerivedFrom, source) in data


def test_offline_enrich_gives_the_identical_file_without_any_request(
    endpoint: str, enriched: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_requests(self: SparqlClient, query: str) -> tuple[bytes, str]:
        raise AssertionError("offline mode sent a request")

    monkeypatch.setattr(SparqlClient, "_send", no_requests)
    again = enriched["work"] / "offline.ttl"
    code = main(
        [
            "wikidata",
            "enrich",
            "--offline",
            *common(endpoint, enriched["cache"]),
            "--output",
            str(again),
        ]
    )
    assert code == 0
    assert again.read_bytes() == enriched["output"].read_bytes()


def test_offline_with_an_empty_cache_lists_what_is_missing(
    endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "wikidata.ttl"
    code = main(
        [
            "wikidata",
            "enrich",
            "--offline",
            *common(endpoint, tmp_path / "empty"),
            "--output",
            str(output),
        ]
    )
    error = capsys.readouterr().err
    assert code == 2
    assert "not in the cache" in error and "diplomatic-relation (P530) statements" in error
    assert not output.exists()


def test_compare_reports_the_planted_disagreements(
    endpoint: str, enriched: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "wikidata",
            "compare",
            *common(endpoint, enriched["cache"]),
            "--offline",
            "--format",
            "json",
        ]
    )
    rows = json.loads(capsys.readouterr().out)
    assert code == 1
    found = {(r["kind"], r["subject"], r["wikidata"]) for r in rows}
    assert ("start-differs", "Republic of Cuba - South Korea", "start 2024-02-15 (day)") in found
    assert ("missing-in-curated", "Japan - South Korea", "1965-12-18 to now") in found
    assert ("label-differs", "Republic of Cuba", "Cuba") in found
    assert any(
        r["kind"] == "missing-in-wikidata" and r["curated_iri"].endswith("kgz-kor-1992")
        for r in rows
    )
    assert not any(r["subject"] == "South Korea - Syria" for r in rows)


def test_compare_sees_an_end_on_one_side_only(
    tmp_path: Path, endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Add the curated 1949-1959 period: Cuba's open-ended 1949 statement now disagrees with it.
    extra = tmp_path / "curated.ttl"
    extra.write_text(
        CURATED_FIXTURE.read_text(encoding="utf-8")
        + """
<https://w3id.org/diplomacy-kg/id/relation/cub-kor-1949> a dip:DiplomaticRelation ;
    rdfs:label "Cuba and South Korea, 1949-1959"@en ;
    dip:party <https://w3id.org/diplomacy-kg/id/state/cub> ,
        <https://w3id.org/diplomacy-kg/id/state/kor> ;
    dip:startDate "1949-01-01"^^xsd:date ; dip:startPrecision dip:YearPrecision ;
    dip:endDate "1959-01-01"^^xsd:date ; dip:endPrecision dip:YearPrecision ;
    prov:wasDerivedFrom <https://w3id.org/diplomacy-kg/id/source/fixture-relations> .
""",
        encoding="utf-8",
    )
    main(["wikidata", "compare", *common(endpoint, tmp_path / "cache", extra), "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    kinds = {(r["kind"], r["curated_iri"].rsplit("/", 1)[-1]) for r in rows}
    assert ("ended-only-in-curated", "cub-kor-1949") in kinds


def test_a_failing_endpoint_never_leaves_a_half_written_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "wikidata.ttl"
    output.write_text("previous content\n", encoding="utf-8")
    valid = Reply(
        200,
        b'{"head": {"vars": []}, "results": {"bindings": []}}',
        {"Content-Type": "application/sparql-results+json"},
    )
    broken = Reply(
        200,
        b'{"head": {"vars": []}, "results": {"bindi',
        {"Content-Type": "application/sparql-results+json"},
    )
    with FaultServer([valid], default=broken) as server:
        code = main(
            ["wikidata", "enrich", *common(server.url, tmp_path / "cache"), "--output", str(output)]
        )
    assert code == 2
    assert "truncated JSON" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "previous content\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".wikidata")] == []


def test_a_rate_limited_endpoint_is_retried_then_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("diplomacy_kg.wikidata.client.time.sleep", waits.append)
    output = tmp_path / "wikidata.ttl"
    with FaultServer([Reply(429, b"", {"Retry-After": "3"}), Reply(503, b"")]) as server:
        code = main(
            ["wikidata", "enrich", *common(server.url, tmp_path / "cache"), "--output", str(output)]
        )
    assert code == 0
    assert waits[0] == 3.0 and len(waits) == 2
    assert output.is_file()


@pytest.mark.network
def test_live_wikidata_knows_south_korea(tmp_path: Path) -> None:
    from diplomacy_kg.wikidata.snapshot import fetch_item_facts

    client = SparqlClient(contact="https://w3id.org/diplomacy-kg/")
    facts, _ = fetch_item_facts(client, ["Q884"], ["en"], 1, lambda kind, done, total: None)
    assert facts["Q884"].labels.get("en") == "South Korea"
    assert facts["Q884"].iso3 == "KOR"


def test_enrichment_over_the_project_data_passes_the_shapes(endpoint: str, tmp_path: Path) -> None:
    validation = pytest.importorskip("diplomacy_kg.validation")
    if not paths.curated_files():
        pytest.skip("no curated data yet")
    output = tmp_path / "wikidata.ttl"
    code = main(
        [
            "wikidata",
            "enrich",
            "--endpoint",
            endpoint,
            "--cache-dir",
            str(tmp_path / "cache"),
            "--quiet",
            "--output",
            str(output),
        ]
    )
    assert code == 0
    base = graph.load_graph()
    enrichment = parse(output)
    assert curated_changes(base, enrichment) == []
    for triple in enrichment:
        base.add(triple)
    report = validation.validate(base)
    assert report.conforms, validation.format_text(report)
