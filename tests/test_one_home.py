"""One home per small idea (issue 12 §8): CURIEs, slugs, JSON values of results, paths, licences."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import URIRef

from diplomacy_kg import claims, export, paths, queries, tables
from diplomacy_kg.cli.queries import compact, format_rows
from diplomacy_kg.namespaces import DIP, ID, LICENCES, SCHEMA, curie, last_segment
from diplomacy_kg.site import html


@pytest.mark.parametrize(
    ("iri", "written"),
    [
        (str(ID) + "state/kor", "id:state/kor"),
        (str(DIP) + "DiplomaticRelation", "dip:DiplomaticRelation"),
        (str(SCHEMA) + "url", "schema:url"),
        ("http://www.wikidata.org/entity/Q884", "wd:Q884"),
        (str(DIP), str(DIP)),  # a namespace alone has no local part
        ("https://example.org/elsewhere", "https://example.org/elsewhere"),
    ],
)
def test_curie_writes_the_projects_prefixes(iri: str, written: str) -> None:
    assert curie(iri) == written
    assert curie(URIRef(iri)) == written


def test_every_iri_shortener_is_curie() -> None:
    instance = URIRef(str(ID) + "relation/cub-kor-2024")
    term = URIRef(str(DIP) + "party")
    assert compact(instance) == html.curie(str(instance)) == "id:relation/cub-kor-2024"
    assert export.compact_iri(str(term)) == "dip:party"
    # The JSON-LD context declares no `id:` prefix, so export keeps instances whole.
    assert export.compact_iri(str(instance)) == str(instance)
    assert last_segment(instance) == "cub-kor-2024" == last_segment(str(instance) + "/")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("2.5"), 2.5),
        (Decimal("0.1"), 0.1),
        (Decimal("3"), 3.0),
        (Decimal("12345678901234567890.123"), "12345678901234567890.123"),
        (Decimal("Infinity"), "Infinity"),
        (7, 7),
        (True, True),
        (None, None),
        (URIRef(str(ID) + "state/kor"), str(ID) + "state/kor"),
    ],
)
def test_a_result_value_becomes_json_one_way(value: queries.Value, shown: object) -> None:
    assert queries.json_value(value) == shown
    printed = json.loads(format_rows(["x"], [{"x": value}], "json"))
    assert printed == [{"x": shown}]


def test_the_claims_report_writes_values_with_the_same_converter() -> None:
    import diplomacy_kg.claims.render as render

    assert render.queries.json_value is queries.json_value
    assert not hasattr(render, "_json_value")


def test_paths_are_named_in_paths_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert claims.CLAIMS_FILE == paths.CLAIMS_FILE and paths.CLAIMS_FILE.is_file()
    assert export.CONTEXT_FILE == paths.CONTEXT_FILE and paths.CONTEXT_FILE.is_file()
    assert paths.STATE_ALIASES_FILE.is_file()
    assert paths.WIKIDATA_ENRICHMENT_FILE.parent == paths.ENRICHMENT_DIR
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert paths.wikidata_cache_dir() == tmp_path / "diplomacy-kg" / "wikidata"


def test_licence_iris_live_in_namespaces() -> None:
    specs = tables.load_specs(paths.TABLES_DIR)
    assert {s.licence for s in specs.sources} <= set(LICENCES.values())
    here = Path(__file__).resolve().parents[1] / "src" / "diplomacy_kg"
    elsewhere = [
        str(p.relative_to(here))
        for p in here.rglob("*.py")
        if "creativecommons.org" in p.read_text(encoding="utf-8") and p.name != "namespaces.py"
    ]
    assert elsewhere == [], "name licences through diplomacy_kg.namespaces.LICENCES"
