"""The Wikidata client: User-Agent, retries and backoff, bad answers, cache, offline mode."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from diplomacy_kg import __version__
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.server import free_port
from diplomacy_kg.wikidata import queries
from diplomacy_kg.wikidata.cache import ResponseCache, cache_key
from diplomacy_kg.wikidata.client import (
    BadResponseError,
    OfflineCacheMissError,
    SparqlClient,
    WikidataError,
    parse_retry_after,
)
from diplomacy_kg.wikidata.snapshot import parse_time
from servers import EMPTY_RESULTS, FaultServer, Reply

QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
ONE_ROW = Reply(
    200,
    json.dumps(
        {
            "head": {"vars": ["s"]},
            "results": {"bindings": [{"s": {"type": "uri", "value": "http://x/1"}}]},
        }
    ).encode(),
    {"Content-Type": "application/sparql-results+json"},
)
HTML = Reply(
    200,
    b"<!DOCTYPE html><html><head><title>Wikimedia Error</title></head>"
    b"<body>Our servers are currently under maintenance</body></html>",
    {"Content-Type": "text/html; charset=utf-8"},
)
TRUNCATED = Reply(
    200,
    b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "u',
    {"Content-Type": "application/sparql-results+json"},
)


def client_for(url: str, sleeps: list[float], **options: object) -> SparqlClient:
    return SparqlClient(endpoint=url, sleep=sleeps.append, timeout_seconds=5, **options)  # type: ignore[arg-type]


def test_requests_carry_a_descriptive_user_agent() -> None:
    with FaultServer([ONE_ROW]) as server:
        client = client_for(server.url, [], contact="https://example.org/contact")
        answer = client.select(QUERY, "probe")
    agent = server.requests[0].headers["User-Agent"]
    assert agent.startswith(f"diplomacy-kg/{__version__} (https://example.org/contact)")
    assert answer.rows == [{"s": {"type": "uri", "value": "http://x/1"}}]


def test_429_waits_as_long_as_retry_after_says_then_succeeds() -> None:
    sleeps: list[float] = []
    with FaultServer([Reply(429, b"slow down", {"Retry-After": "7"}), ONE_ROW]) as server:
        client = client_for(server.url, sleeps)
        answer = client.select(QUERY, "probe")
    assert sleeps == [7.0]
    assert len(answer.rows) == 1
    assert client.stats.requests == 2
    assert client.stats.waited_seconds == 7.0


def test_503_backs_off_exponentially_up_to_the_cap() -> None:
    sleeps: list[float] = []
    unavailable = Reply(503, b"busy")
    with FaultServer([unavailable, unavailable, unavailable, ONE_ROW]) as server:
        client = client_for(server.url, sleeps, backoff_seconds=2.0, backoff_cap_seconds=5.0)
        client.select(QUERY, "probe")
    assert sleeps == [2.0, 4.0, 5.0]


def test_gives_up_after_the_last_attempt_with_a_clear_message() -> None:
    sleeps: list[float] = []
    with FaultServer([], default=Reply(503, b"busy")) as server:
        client = client_for(server.url, sleeps, max_attempts=3)
        with pytest.raises(WikidataError, match=r"HTTP 503 .* 3 times .*giving up"):
            client.select(QUERY, "probe")
    assert len(server.requests) == 3
    assert len(sleeps) == 2


def test_a_retry_after_beyond_the_limit_stops_the_run() -> None:
    with FaultServer([Reply(429, b"", {"Retry-After": "3600"})]) as server:
        client = client_for(server.url, [], max_retry_after_seconds=300)
        with pytest.raises(WikidataError, match="asks to wait 3600 s"):
            client.select(QUERY, "probe")


def test_an_html_page_with_status_200_is_an_error_not_an_empty_result() -> None:
    with FaultServer([HTML, HTML]) as server:
        client = client_for(server.url, [])
        with pytest.raises(BadResponseError, match=r"HTML page.*Wikimedia Error"):
            client.select(QUERY, "probe")


def test_truncated_json_is_an_error() -> None:
    with FaultServer([TRUNCATED, TRUNCATED]) as server:
        client = client_for(server.url, [])
        with pytest.raises(BadResponseError, match="truncated JSON"):
            client.select(QUERY, "probe")


def test_a_bad_body_is_retried_once() -> None:
    with FaultServer([TRUNCATED, ONE_ROW]) as server:
        answer = client_for(server.url, []).select(QUERY, "probe")
    assert len(answer.rows) == 1


def test_json_that_is_not_select_results_is_an_error() -> None:
    odd = Reply(200, b'{"error": "nope"}', {"Content-Type": "application/json"})
    with FaultServer([odd, odd]) as server, pytest.raises(BadResponseError, match="bindings"):
        client_for(server.url, []).select(QUERY, "probe")


def test_a_rejected_query_is_not_retried() -> None:
    with (
        FaultServer([Reply(400, b"Parse error")]) as server,
        pytest.raises(WikidataError, match="rejected the query"),
    ):
        client_for(server.url, []).select(QUERY, "probe")
    assert len(server.requests) == 1


def test_a_slow_endpoint_times_out_and_gives_up() -> None:
    slow = Reply(200, EMPTY_RESULTS.body, EMPTY_RESULTS.headers, delay=1.0)
    with FaultServer([slow, slow]) as server:
        client = SparqlClient(
            endpoint=server.url, sleep=lambda s: None, timeout_seconds=0.2, max_attempts=2
        )
        with pytest.raises(WikidataError, match=r"did not answer within 0\.2 s"):
            client.select(QUERY, "probe")


def test_an_unreachable_endpoint_says_so() -> None:
    client = SparqlClient(endpoint=f"http://127.0.0.1:{free_port()}/sparql", sleep=lambda s: None)
    with pytest.raises(WikidataError, match="cannot reach"):
        client.select(QUERY, "probe")


def test_cache_answers_without_a_request(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    with FaultServer([ONE_ROW]) as server:
        client = client_for(server.url, [], cache=cache)
        first = client.select(QUERY, "probe")
        second = client.select(QUERY, "probe")
    assert len(server.requests) == 1
    assert second.from_cache and not first.from_cache
    assert second.rows == first.rows and second.retrieved_at == first.retrieved_at
    assert (tmp_path / f"{cache_key(server.url, QUERY)}.json").is_file()


def test_a_stale_entry_is_fetched_again_online_but_used_offline(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    cache = ResponseCache(tmp_path, ttl_seconds=60, clock=lambda: now[0])
    with FaultServer([ONE_ROW, ONE_ROW]) as server:
        client_for(server.url, [], cache=cache).select(QUERY, "probe")
        now[0] += 61
        offline = client_for(server.url, [], cache=cache, offline=True).select(QUERY, "probe")
        assert offline.from_cache and len(server.requests) == 1
        client_for(server.url, [], cache=cache).select(QUERY, "probe")
    assert len(server.requests) == 2


def test_offline_miss_names_the_missing_query(tmp_path: Path) -> None:
    client = SparqlClient(
        endpoint="http://127.0.0.1:9/none", cache=ResponseCache(tmp_path), offline=True
    )
    with pytest.raises(OfflineCacheMissError, match="not in the cache: labels of Q884") as caught:
        client.select(QUERY, "labels of Q884")
    assert caught.value.missing == ["labels of Q884"]


def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache.path_for("http://e/sparql", QUERY).write_text('{"endpoint": "http://e/sp', "utf-8")
    assert cache.get("http://e/sparql", QUERY, allow_stale=True) is None


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:01:00 GMT", now=1767225600.0) == 60.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2024-02-14T00:00:00Z", "11", PartialDate(date(2024, 2, 14), "day")),
        ("1987-09-01T00:00:00Z", "10", PartialDate(date(1987, 9, 1), "month")),
        ("1949-01-01T00:00:00Z", "9", PartialDate(date(1949, 1, 1), "year")),
        ("1949-05-03T00:00:00Z", "9", PartialDate(date(1949, 1, 1), "year")),
        ("2024-02-14T10:00:00Z", "14", PartialDate(date(2024, 2, 14), "day")),
        ("1950-01-01T00:00:00Z", "8", None),
        ("-0500-01-01T00:00:00Z", "9", None),
        (None, "9", None),
    ],
)
def test_wikidata_time_precisions_map_to_ours(
    value: str | None, precision: str, expected: PartialDate | None
) -> None:
    assert parse_time(value, precision) == expected


def test_queries_are_standard_sparql_without_the_label_service() -> None:
    texts = [
        queries.item_facts_query(["Q884", "Q241"], ["en", "ko"]).text,
        queries.relation_statements_query(["Q884"]).text,
        queries.office_statements_query(["Q884"]).text,
        queries.labels_query(["Q884"], ["en"]).text,
        queries.candidates_query(['Kim "Jong" Un']).text,
    ]
    from rdflib.plugins.sparql import prepareQuery

    for text in texts:
        assert "SERVICE" not in text and "wikibase:label" not in text
        prepareQuery(text)  # parses as SPARQL 1.1
    assert "VALUES ?item { wd:Q241 wd:Q884 }" in texts[0]
    assert '"Kim \\"Jong\\" Un"@en' in texts[4]


def test_batches_are_sorted_and_bounded() -> None:
    assert queries.batched(["Q884", "Q17", "Q241", "Q17"], 2) == [("Q17", "Q241"), ("Q884",)]
