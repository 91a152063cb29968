"""`sources-of` on the real data: every quote is shown with the one source that says it."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from diplomacy_kg import queries
from diplomacy_kg.cli import main
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.engines.rdflib_engine import RdflibEngine
from diplomacy_kg.graph import load_graph
from diplomacy_kg.namespaces import ID

RELATION = str(ID["relation/cub-kor-2024"])
SEED = str(ID["source/seed-story-2024-02"])
NEWS = {
    str(ID[f"source/{slug}"])
    for slug in ("xinhua-2024-02-14", "telesur-2024-02-14", "afp-club-of-mozambique-2024-02-14")
}
SEED_SENTENCE = (
    "South Korea established diplomatic relations with Cuba, one of North Korea’s Cold War-era "
    "allies, on Feb.15."
)

Row = dict[str, object]


@pytest.fixture(scope="module")
def api_rows() -> dict[str, list[Row]]:
    graph = load_graph()
    rows = {}
    for name, engine in (
        ("rdflib", RdflibEngine(graph)),
        ("oxigraph", OxigraphEngine.from_graph(graph)),
    ):
        result = queries.run_query("sources-of", engine, entity="id:relation/cub-kor-2024")
        rows[name] = [{c: _plain(row[c]) for c in result.columns} for row in result.rows]
    return rows


def _plain(value: object) -> object:
    return None if value is None else str(value)


def _cli_rows(capsys: pytest.CaptureFixture[str]) -> list[Row]:
    code = main(
        ["query", "sources-of", "-p", "entity=id:relation/cub-kor-2024", "--format", "json"]
    )
    out = capsys.readouterr().out
    assert code == 0
    # The JSON answer is one object: its rows beside the answer's completeness.
    rows: list[Row] = json.loads(out)["rows"]
    return rows


def _check_each_quote_has_one_source(rows: list[Row]) -> None:
    relation_rows = [r for r in rows if r["fact"] == RELATION]
    assert {r["source"] for r in relation_rows} >= {SEED, *NEWS}, "the relation lost a source"
    saying = [r["source"] for r in relation_rows if r["evidence_quote"] == SEED_SENTENCE]
    assert saying == [SEED], f"the seed story's sentence is shown with {saying}"
    for row in relation_rows:
        if row["source"] in NEWS:
            assert row["evidence_quote"] != SEED_SENTENCE
    sources_by_quote: dict[object, set[object]] = defaultdict(set)
    for row in rows:
        if row["evidence_quote"] is not None:
            sources_by_quote[(row["fact"], row["evidence_quote"])].add(row["source"])
    shared = {q: s for q, s in sources_by_quote.items() if len(s) > 1}
    assert not shared, f"quotes shown with several sources: {shared}"


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_the_api_shows_each_quote_with_the_one_source_that_says_it(
    api_rows: dict[str, list[Row]], engine: str
) -> None:
    _check_each_quote_has_one_source(api_rows[engine])


def test_both_engines_give_the_same_rows(api_rows: dict[str, list[Row]]) -> None:
    assert api_rows["rdflib"] == api_rows["oxigraph"]


def test_the_cli_shows_each_quote_with_the_one_source_that_says_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = _cli_rows(capsys)
    _check_each_quote_has_one_source(rows)


def test_each_source_row_gives_title_publisher_date_and_url_or_why_not(
    api_rows: dict[str, list[Row]],
) -> None:
    rows = {r["source"]: r for r in api_rows["rdflib"] if r["fact"] == RELATION}
    xinhua = rows[str(ID["source/xinhua-2024-02-14"])]
    assert xinhua["publisher"] == "Xinhua"
    assert xinhua["source_date"] == "2024-02-14"
    assert str(xinhua["url"]).startswith("https://english.news.cn/20240214/")
    seed = rows[SEED]
    assert seed["url"] is None and "no URL" in str(seed["no_url_reason"])
    assert seed["title"] and seed["publisher"]
    for source, row in rows.items():
        assert row["url"] or row["no_url_reason"], f"{source} has no URL and says not why"
