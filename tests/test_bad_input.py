"""Hostile and odd inputs (issue 11 §8, §10, §13): one line naming what is wrong, exit 2.

Each input here gave a traceback (or a wrong answer) before: a literal over Oxigraph's 16 MiB
buffer, deeply nested JSON-LD, a CSV that is not UTF-8, a byte-order mark, an ill-typed date's
logged traceback, relative IRIs that took the file's local path, dates in non-ASCII digits,
a multi-line string parameter ending in a quote, a poisoned or future-dated Wikidata cache entry
and an unwritable cache folder.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from diplomacy_kg import queries, tables
from diplomacy_kg.cli import main
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.engines.rdflib_engine import RdflibEngine
from diplomacy_kg.wikidata.cache import ResponseCache, format_timestamp
from diplomacy_kg.wikidata.client import SparqlClient
from servers import FaultServer, Reply

TRIPLE = "<https://example.org/a> <https://example.org/p> {} .\n"


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("diplomacy-kg: error: "), err
    return lines[0]


@pytest.fixture(scope="module")
def huge_literal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "huge.ttl"
    path.write_text(TRIPLE.format('"' + "x" * (17 * 1024 * 1024) + '"'))
    return path


@pytest.mark.parametrize("command", ["validate", "export", "load"])
def test_a_literal_over_16_mib_is_one_line(
    command: str, huge_literal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = {
        "validate": ["validate", str(huge_literal)],
        "export": ["export", "--input", str(huge_literal), "--format", "nt"],
        "load": ["load", str(huge_literal), "--store", str(tmp_path / "store")],
    }[command]
    assert main(arguments) == 2
    assert "too long to parse" in _one_line_error(capsys)


def test_deeply_nested_json_ld_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    depth = 5000
    deep = tmp_path / "deep.jsonld"
    deep.write_text(
        '{"@id": "https://example.org/a", '
        + '"https://example.org/p": {' * depth
        + '"@value": 1'
        + "}" * depth
        + "}"
    )
    assert main(["export", "--input", str(deep), "--format", "nt"]) == 2
    assert "nested too deeply" in _one_line_error(capsys)


def test_a_csv_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_bytes(b"iso3,name\nKOR,Korea\nCUB,Cuba \xff\xfe\n")
    with pytest.raises(tables.TableError, match=r"t\.csv:3: not UTF-8"):
        tables.read_table(table, ("iso3", "name"))


def test_a_byte_order_mark_is_read_past(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.csv"
    table.write_bytes(b"\xef\xbb\xbfiso3,name\nKOR,Korea\n")
    assert [row.values["iso3"] for row in tables.read_table(table, ("iso3", "name"))] == ["KOR"]
    turtle = tmp_path / "bom.ttl"
    turtle.write_bytes(b"\xef\xbb\xbf" + TRIPLE.format(1).encode())
    store = tmp_path / "store"
    assert main(["load", str(turtle), "--store", str(store)]) == 0
    assert main(["export", "--input", str(turtle), "--format", "nt"]) == 0
    assert "<https://example.org/a>" in capsys.readouterr().out


def test_an_ill_typed_date_prints_no_logged_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "bad-date.ttl"
    data.write_text(TRIPLE.format('"2024-13-45"^^<http://www.w3.org/2001/XMLSchema#date>'))
    with caplog.at_level(logging.WARNING):
        main(["validate", str(data)])
    assert "Traceback" not in capsys.readouterr().err
    assert [r.getMessage()[:40] for r in caplog.records if r.exc_info] == []


def test_a_relative_iri_is_an_error_not_a_local_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "relative.ttl"
    data.write_text("<https://example.org/a> <https://example.org/p> <somewhere> .\n")
    assert main(["export", "--input", str(data), "--format", "nt"]) == 2
    line = _one_line_error(capsys)
    assert "relative.ttl:1" in line and "relative IRI" in line
    assert str(tmp_path) not in capsys.readouterr().out
    assert main(["load", str(data), "--store", str(tmp_path / "store")]) == 2
    assert "relative IRI" in _one_line_error(capsys)


@pytest.mark.parametrize("text", ["２０２４-02-15", "٢٠٢٤", "2024-０2"])
def test_dates_in_non_ascii_digits_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)
    with pytest.raises(queries.ParameterError):
        queries.parse_date(text)


@pytest.mark.parametrize("value", ['line one\nline two ends in \\"', 'x"""y"', 'end"', "c\x01"])
def test_a_string_parameter_reaches_oxigraph_as_given(value: str) -> None:
    literal = Literal(value)
    for engine in (OxigraphEngine.from_graph(Graph()), RdflibEngine(Graph())):
        table = engine.query("SELECT ?x WHERE { }", {"x": literal})
        assert table.rows == [(literal,)], engine.name


# --- §8: a poisoned Wikidata cache -------------------------------------------------------------

QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
NO_VALUE = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri"}}]}}
GOOD = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "x"}}]}}


def test_a_well_formed_but_wrong_answer_is_never_cached(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    wrong = Reply(200, json.dumps(NO_VALUE).encode(), {"Content-Type": "application/json"})
    with FaultServer([], default=wrong) as server:
        client = SparqlClient(endpoint=server.url, cache=cache, sleep=lambda s: None)
        with pytest.raises(Exception, match=r"\?s has no string value"):
            client.select(QUERY, "probe")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("damage", ["no value", "not json", "future", "other query"])
def test_a_damaged_cache_entry_is_reported_and_ignored(damage: str, tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    endpoint = "http://127.0.0.1:9/sparql"
    cache.put(endpoint, QUERY, GOOD)
    path = cache.path_for(endpoint, QUERY)
    record = json.loads(path.read_text())
    if damage == "no value":
        record["results"] = NO_VALUE
    elif damage == "future":
        record["retrieved_at"] = format_timestamp_in(days=365)
    elif damage == "other query":
        record["query"] = "SELECT * WHERE { ?s ?p ?o }"
    path.write_text("{ not json" if damage == "not json" else json.dumps(record))
    reports: list[str] = []
    assert cache.get(endpoint, QUERY, allow_stale=True, report=reports.append) is None
    assert len(reports) == 1 and str(path) in reports[0] and "ignored" in reports[0]
    # Offline, the damaged entry is a miss with a clear message, never a crash.
    client = SparqlClient(endpoint=endpoint, cache=cache, offline=True, notify=reports.append)
    with pytest.raises(Exception, match="not in the cache"):
        client.select(QUERY, "probe")


def format_timestamp_in(*, days: int) -> str:
    """A `retrieved_at` the given number of days from now."""
    from datetime import UTC, datetime, timedelta

    return format_timestamp(datetime.now(tz=UTC) + timedelta(days=days))


def test_an_unwritable_cache_folder_is_reported_and_the_run_goes_on() -> None:
    cache = ResponseCache(Path("/proc/diplomacy-kg-cache"))  # not even root can write here
    reply = Reply(200, json.dumps(GOOD).encode(), {"Content-Type": "application/json"})
    notes: list[str] = []
    with FaultServer([], default=reply) as server:
        client = SparqlClient(
            endpoint=server.url, cache=cache, sleep=lambda s: None, notify=notes.append
        )
        answer = client.select(QUERY, "probe")
    assert len(answer.rows) == 1
    assert any("cannot write" in note and "without caching" in note for note in notes)
