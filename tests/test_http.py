"""Every HTTP client under attack on loopback: redirects, credentials, trickling, size, media types.

Each test replays an attack of the reliability issue (§7 redirects and credentials, §9 time and
size budgets, §10 header values, §12 plain-JSON servers) against the public clients: the endpoint
engine, the Graph Store client and the Wikidata client.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest

from diplomacy_kg import graphstore, http, limits
from diplomacy_kg.cli import main
from diplomacy_kg.engines import EngineError
from diplomacy_kg.engines.endpoint import EndpointEngine
from diplomacy_kg.wikidata.cache import ResponseCache
from diplomacy_kg.wikidata.client import SparqlClient, WikidataError
from servers import FaultServer, Reply, SeenRequest

SECRET = "s3cr3t-pw"
ROW = {"s": {"type": "uri", "value": "http://x/1"}}
RESULTS = {"head": {"vars": ["s"]}, "results": {"bindings": [ROW]}}
RESULTS_REPLY = Reply(
    200, json.dumps(RESULTS).encode(), {"Content-Type": "application/sparql-results+json"}
)
QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


def _redirect_to(url: str, status: int = 302) -> Reply:
    return Reply(status, b"moved", {"Location": url})


def _other_host(server: FaultServer, path: str = "/sparql") -> str:
    # Same machine, another host name and port: a different origin.
    return f"http://localhost:{server.port}{path}"


def _authorized(requests: list[SeenRequest]) -> list[SeenRequest]:
    return [r for r in requests if "Authorization" in r.headers]


# --- §7: redirects never carry credentials (or answers) across hosts -----------------------------


def test_endpoint_refuses_a_redirect_to_another_host_and_keeps_the_password_home(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with FaultServer([], default=RESULTS_REPLY) as elsewhere:
        with FaultServer([_redirect_to(_other_host(elsewhere))]) as home:
            code = main(
                [
                    *("query", "unlinked-entities", "--endpoint", home.url),
                    *("--user", "alice", "--password", SECRET),
                ]
            )
        seen_elsewhere = list(elsewhere.requests)
    err = capsys.readouterr().err
    assert code == 2
    assert seen_elsewhere == []  # nothing, credentials least of all, reached the other host
    assert "redirected (HTTP 302)" in err and "another host" in err
    assert SECRET not in err and len(err.strip().splitlines()) == 1


def test_graph_store_refuses_a_redirect_to_another_host(tmp_path: Path) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<https://example.org/a> <https://example.org/p> 1 .\n")
    with FaultServer([], default=Reply(204)) as elsewhere:
        redirect = _redirect_to(_other_host(elsewhere, "/store"), 307)
        with (
            FaultServer([redirect]) as home,
            pytest.raises(graphstore.GraphStoreError, match="another host"),
        ):
            graphstore.load_files(
                home.url.replace("/sparql", "/store"), [data], user="alice", password=SECRET
            )
        assert elsewhere.requests == []


def test_wikidata_client_neither_follows_nor_caches_another_hosts_answer(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    with FaultServer([], default=RESULTS_REPLY) as elsewhere:
        with FaultServer([_redirect_to(_other_host(elsewhere))]) as home:
            client = SparqlClient(endpoint=home.url, cache=cache, sleep=lambda s: None)
            with pytest.raises(WikidataError, match="another host"):
                client.select(QUERY, "probe")
            assert cache.get(home.url, QUERY) is None
        assert elsewhere.requests == []


def test_a_same_host_redirect_keeps_the_post_its_body_and_credentials() -> None:
    with FaultServer([], default=RESULTS_REPLY) as server:
        server.replies = [_redirect_to(server.url.replace("/sparql", "/moved"), 307)]
        table = EndpointEngine(server.url, user="alice", password=SECRET).query(QUERY)
    assert len(table.rows) == 1
    moved = server.requests[1]
    assert moved.method == "POST" and moved.path == "/moved"
    assert b"query=SELECT" in moved.body
    assert moved.headers["Authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    ("origin", "target", "allowed"),
    [
        ("http://a.example/s", "http://a.example/t", True),
        ("http://a.example/s", "https://a.example/t", True),  # an upgrade
        ("https://a.example/s", "http://a.example/t", False),  # a downgrade
        ("http://a.example/s", "http://b.example/s", False),
        ("http://a.example:8000/s", "http://a.example:9000/s", False),
    ],
)
def test_the_redirect_policy(origin: str, target: str, allowed: bool) -> None:
    assert http.redirect_allowed(origin, target) is allowed


def test_credentials_in_the_endpoint_url_work_and_never_show(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with FaultServer([RESULTS_REPLY, Reply(500, b"boom")]) as server:
        url = server.url.replace("http://", f"http://alice:{SECRET}@")
        assert len(EndpointEngine(url).query(QUERY).rows) == 1
        code = main(["query", "unlinked-entities", "--endpoint", url])
    sent = server.requests[0].headers["Authorization"]
    assert base64.b64decode(sent.split()[1]).decode() == f"alice:{SECRET}"
    err = capsys.readouterr().err
    assert code == 2 and "HTTP 500" in err
    assert SECRET not in err and "alice" not in err


# --- §12: servers that prefer plain JSON -------------------------------------------------------


def _comunica_like(request: SeenRequest) -> Reply:
    # Answers plain JSON (not SPARQL results) whenever the client allows it at the top weight,
    # as comunica's server does.
    accept = request.headers.get("Accept", "")
    weights: dict[str, float] = {}
    for part in accept.split(","):
        media, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            quality = float(parameters.strip()[2:])
        weights[media.strip()] = quality
    plain = weights.get("application/json", weights.get("*/*", 0.0))
    if plain >= weights.get("application/sparql-results+json", 0.0) and plain > 0:
        return Reply(200, b'[{"s": "http://x/1"}]', {"Content-Type": "application/json"})
    return RESULTS_REPLY


def test_the_endpoint_asks_for_sparql_results_first() -> None:
    with FaultServer([], choose=_comunica_like) as server:
        table = EndpointEngine(server.url).query(QUERY)
    assert len(table.rows) == 1
    assert server.requests[0].headers["Accept"].startswith("application/sparql-results+json")


def test_a_wrong_content_type_is_named_in_the_error() -> None:
    plain = Reply(200, b'[{"s": "http://x/1"}]', {"Content-Type": "application/json"})
    with (
        FaultServer([], default=plain) as server,
        pytest.raises(EngineError, match=r"Content-Type application/json\) is not SPARQL JSON"),
    ):
        EndpointEngine(server.url).query(QUERY)


def test_a_binding_without_a_value_is_an_error_not_a_crash() -> None:
    broken = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri"}}]}}
    reply = Reply(200, json.dumps(broken).encode(), RESULTS_REPLY.headers)
    with FaultServer([], default=reply) as server, pytest.raises(EngineError, match="valid"):
        EndpointEngine(server.url).query(QUERY)


# --- §9: time and size budgets -----------------------------------------------------------------


def test_a_trickling_server_cannot_outlast_the_timeout() -> None:
    slow = Reply(200, json.dumps(RESULTS).encode(), RESULTS_REPLY.headers, trickle=0.05)
    with FaultServer([], default=slow) as server:
        started = time.monotonic()
        with pytest.raises(EngineError, match=r"within 0\.5 s"):
            EndpointEngine(server.url, timeout=0.5).query(QUERY)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0  # the body alone would take about 4 s


def test_an_answer_over_the_size_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_RESPONSE_BYTES", 1000)
    big = {"head": {"vars": ["s"]}, "results": {"bindings": [ROW] * 50}}
    reply = Reply(200, json.dumps(big).encode(), RESULTS_REPLY.headers)
    with FaultServer([], default=reply) as server:
        with pytest.raises(EngineError, match="larger than 1,000 bytes"):
            EndpointEngine(server.url).query(QUERY)
        with pytest.raises(WikidataError, match="larger than 1,000 bytes"):
            SparqlClient(endpoint=server.url, sleep=lambda s: None).select(QUERY, "probe")


def test_retry_after_again_and_again_stops_at_the_run_budget() -> None:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    busy = Reply(429, b"slow down", {"Retry-After": "60"})
    with FaultServer([], default=busy) as server:
        client = SparqlClient(
            endpoint=server.url,
            sleep=sleep,
            clock=lambda: clock[0],
            max_attempts=100,
            run_budget_seconds=200,
        )
        with pytest.raises(WikidataError, match="time budget of 200 s is spent"):
            client.select(QUERY, "probe")
    assert clock[0] <= 200
    assert len(server.requests) <= 4


def test_embedded_engines_honour_the_timeout(tmp_path: Path) -> None:
    from diplomacy_kg.engines.factory import make_engine

    data = tmp_path / "many.ttl"
    data.write_text(
        "".join(f"<https://example.org/{i}> <https://example.org/p> {i} .\n" for i in range(150))
    )
    # Cross products that take about a second each (the abandoned work then ends by itself).
    slow = {
        "oxigraph": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . ?c ?p ?z }",
        "rdflib": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y }",
    }
    for kind, query in slow.items():
        # Compared with the same query run to its end, in the same moment: an absolute bound
        # would fail on a loaded machine, a ratio does not.
        started = time.monotonic()
        make_engine(kind, files=[data]).query(query)
        whole = time.monotonic() - started
        engine = make_engine(kind, files=[data], timeout=0.1)
        started = time.monotonic()
        with pytest.raises(EngineError, match=r"ran past its timeout of 0\.1 s"):
            engine.query(query)
        assert time.monotonic() - started < whole / 2, kind


# --- §10: header values and timeouts that HTTP cannot carry ------------------------------------


@pytest.mark.parametrize(
    "header",
    ["X-Test: a\r\nInjected: yes", "X-Test: caf\u00e9 \u2603", "Bad Name: x", "no-colon"],
)
def test_a_header_http_cannot_send_is_one_line_and_exit_2(
    header: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["query", "unlinked-entities", "--endpoint", "http://127.0.0.1:9/", "--header", header]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("diplomacy-kg: error: --header") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "unlinked-entities", "--timeout", value]) == 2
    assert "--timeout" in capsys.readouterr().err


def test_a_graph_store_url_with_credentials_loads_and_never_shows_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<https://example.org/a> <https://example.org/p> 1 .\n")
    with FaultServer([], default=Reply(204)) as server:
        url = server.url.replace("http://", f"http://alice:{SECRET}@").replace("/sparql", "/store")
        assert main(["load", str(data), "--graph-store", url]) == 0
    sent = server.requests[0].headers["Authorization"]
    assert base64.b64decode(sent.split()[1]).decode() == f"alice:{SECRET}"
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err and "alice:***@" in captured.out
