"""`serve`: the guarded front server, its Oxigraph child, content negotiation (issue 11 §2, §5).

Each attack of the issue is reproduced here: a taken port, `kill -9` of serve, unauthenticated
writes, cross-origin writes, a rebinding Host header and a runaway query.
"""

from __future__ import annotations

import html
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from diplomacy_kg import graph
from diplomacy_kg.cli import main
from diplomacy_kg.server import OxigraphServer, find_oxigraph_binary
from diplomacy_kg.site.web import SiteServer

pytestmark = pytest.mark.server
KOR = URIRef("https://w3id.org/diplomacy-kg/id/state/kor")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _has_oxigraph() -> bool:
    try:
        find_oxigraph_binary()
    except Exception:
        return False
    return True


if not _has_oxigraph():
    pytest.skip("the oxigraph server binary is not installed", allow_module_level=True)


def request(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def count(base: str) -> int:
    status, _, body = request(
        base + "query",
        method="POST",
        body=COUNT.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    with SiteServer(graph.default_files(), port=0, query_timeout=2) as front:
        front.serve_in_thread()
        yield front


@pytest.fixture(scope="module")
def writable() -> Iterator[SiteServer]:
    with SiteServer(graph.default_files(), port=0, writable=True) as front:
        front.serve_in_thread()
        yield front


class Recorder(BaseHTTPRequestHandler):
    """Another program's server: answers every request and records it."""

    seen: ClassVar[list[str]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        Recorder.seen.append(f"{self.command} {self.path}")
        body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        return


def _serve_command(*extra: str) -> list[str]:
    launcher = "import sys; from diplomacy_kg.cli import main; sys.exit(main())"
    return [sys.executable, "-c", launcher, "serve", *extra]


def test_a_taken_port_is_refused_and_the_other_server_gets_nothing() -> None:
    Recorder.seen = []
    other = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    try:
        port = other.server_address[1]
        done = subprocess.run(
            _serve_command("--port", str(port)), capture_output=True, text=True, timeout=60
        )
    finally:
        other.shutdown()
        other.server_close()
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"diplomacy-kg: error: port {port} on 127.0.0.1 is already in use by another program; "
        "nothing was sent to it (choose another --port)"
    ]
    assert Recorder.seen == []


def test_a_taken_port_leaves_the_other_oxigraph_servers_one_triple_alone(tmp_path: Path) -> None:
    one = tmp_path / "one.ttl"
    one.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    with OxigraphServer() as other:
        other.load([one])
        done = subprocess.run(
            _serve_command("--port", str(other.port)), capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2
        assert "already in use by another program" in done.stderr
        assert count(f"http://127.0.0.1:{other.port}/") == 1


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(p) for p in text.split()]
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_kill_9_of_serve_takes_its_oxigraph_child_with_it() -> None:
    process = subprocess.Popen(
        _serve_command("--port", "0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("serving "), first + (
            process.stderr.read() if process.stderr else ""
        )
        children = _children(process.pid)
        assert children, "serve started no Oxigraph child"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(map(_alive, children)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, children)), "the Oxigraph child outlived serve"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_is_read_only_by_default(site: SiteServer) -> None:
    base = site.base_url
    before = count(base)
    attempts = [
        ("POST", "update", b"DELETE WHERE { ?s ?p ?o }", "application/sparql-update"),
        ("PUT", "store?default", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
        ("POST", "store?default", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
        ("DELETE", "store?default", None, None),
    ]
    for method, path, body, kind in attempts:
        headers = {"Content-Type": kind} if kind else {}
        status, _, text = request(base + path, method=method, body=body, headers=headers)
        assert status == 403, (method, path, status)
        assert b"read-only" in text
    assert count(base) == before == site.triples
    # The child itself is read-only too: nothing on its private port accepts an update.
    assert site.child is not None
    status, _, _ = request(
        f"http://127.0.0.1:{site.child.port}/update",
        method="POST",
        body=b"DELETE WHERE { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert status >= 400
    assert count(base) == before


def test_cross_origin_writes_are_refused_even_when_writable(writable: SiteServer) -> None:
    base = writable.base_url
    before = count(base)
    update = b"DELETE WHERE { ?s ?p ?o }"
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        status, _, text = request(
            base + "update",
            method="POST",
            body=update,
            headers={"Content-Type": "application/sparql-update", **headers},
        )
        assert status == 403, headers
        assert b"another origin" in text
    assert count(base) == before


def test_load_graph_store_works_on_a_writable_server(
    writable: SiteServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    extra = tmp_path / "one.ttl"
    extra.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    code = main(
        ["load", "--graph-store", writable.base_url + "store", "--graph", "urn:x:g", str(extra)]
    )
    assert code == 0, capsys.readouterr().err
    status, _, body = request(
        writable.base_url
        + "query?query="
        + urllib.request.quote("ASK { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"),
        headers={"Accept": "application/sparql-results+json"},
    )
    assert status == 200
    assert json.loads(body)["boolean"] is True


def test_serve_store_keeps_what_was_loaded_into_an_existing_store(tmp_path: Path) -> None:
    extra = tmp_path / "one.ttl"
    extra.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    ask = "ASK { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"
    store = tmp_path / "store"
    with SiteServer(graph.default_files(), port=0, store=store, writable=True) as first:
        first.serve_in_thread()
        assert (
            main(
                [
                    "load",
                    "--graph-store",
                    first.base_url + "store",
                    "--graph",
                    "urn:x:g",
                    str(extra),
                ]
            )
            == 0
        )
        served = first.triples
    # A second serve of the same store must not rebuild it from the files: the graph stays.
    with SiteServer(graph.default_files(), port=0, store=store) as second:
        second.serve_in_thread()
        assert second.triples == served
        status, _, body = request(
            second.base_url + "query?query=" + urllib.request.quote(ask),
            headers={"Accept": "application/sparql-results+json"},
        )
        assert status == 200
        assert json.loads(body)["boolean"] is True


def test_an_unexpected_host_header_is_refused(site: SiteServer) -> None:
    port = site.port
    for path in ("/", "/query?query=ASK%7B%7D", "/id/state/kor"):
        status, _, text = request(
            site.base_url.rstrip("/") + path, headers={"Host": f"evil.example:{port}"}
        )
        assert status == 421, path
        assert b"unexpected Host" in text
    status, _, _ = request(site.base_url, headers={"Host": f"localhost:{port}"})
    assert status == 200


def test_a_runaway_query_is_stopped_by_the_server_timeout(site: SiteServer) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    status, _, _ = request(
        site.base_url + "query",
        method="POST",
        body=slow.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert status >= 400
    assert time.monotonic() - started < 15


def test_entity_iris_answer_rdf_by_content_negotiation(site: SiteServer) -> None:
    url = site.base_url + "id/state/kor"
    for media, parser in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ):
        status, headers, body = request(url, headers={"Accept": media})
        assert status == 200, media
        assert headers["Content-Type"].startswith(media)
        described = Graph().parse(data=body, format=parser)
        assert (KOR, RDFS.label, Literal("South Korea", lang="en")) in described
        assert all(s == KOR for s in described.subjects(unique=True) if isinstance(s, URIRef))
    status, headers, body = request(url, headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b"<h1>South Korea</h1>" in body
    assert request(site.base_url + "id/state/nowhere", headers={"Accept": "text/turtle"})[0] == 404


def test_the_sparql_command_runs_on_the_served_endpoint(
    site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = site.base_url + "query"
    code = main(
        ["sparql", "SELECT ?l WHERE { id:state/kor rdfs:label ?l }", "--endpoint", endpoint]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[2] == "South Korea"
    code = main(["sparql", "DESCRIBE id:state/kor", "--endpoint", endpoint])
    out = capsys.readouterr().out
    assert code == 0
    assert (KOR, RDFS.label, Literal("South Korea", lang="en")) in Graph().parse(
        data=out, format="turtle"
    )


def test_the_pages_list_the_queries_answer_forms_and_escape_input(site: SiteServer) -> None:
    from diplomacy_kg import queries

    status, _, home = request(site.base_url)
    assert status == 200
    for name in queries.catalogue():
        assert f'action="/queries/{name}"'.encode() in home
    status, _, page = request(
        site.base_url + "queries/partner-count-on-date?state=KOR&date=2024-02-15"
    )
    assert status == 200
    assert b"<td>193</td>" in page
    status, _, page = request(site.base_url + "queries/relation-history?state=CUB&other=KOR")
    assert status == 200
    assert b"<td><time>1949</time></td>" in page and b"<td><time>2024-02-14</time></td>" in page
    assert b"1949-01-01" not in page
    hostile = urllib.request.quote("<script>alert(1)</script>")
    status, _, page = request(
        site.base_url + f"queries/partner-count-on-date?state={hostile}&date=2024"
    )
    assert status == 400
    assert b"<script>alert" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_entity_page_shows_each_source_with_its_url(site: SiteServer) -> None:
    relation = URIRef("https://w3id.org/diplomacy-kg/id/relation/cub-kor-2024")
    data = graph.load_graph()
    from rdflib.namespace import PROV

    from diplomacy_kg.namespaces import SCHEMA

    sources = set(data.objects(relation, PROV.wasDerivedFrom))
    assert len(sources) >= 3
    status, _, page = request(site.base_url + "id/relation/cub-kor-2024")
    assert status == 200
    assert f"Sources ({len(sources)})".encode() in page
    for source in sources:
        assert str(source).removeprefix("https://w3id.org/diplomacy-kg").encode() in page
        url = data.value(source, SCHEMA.url)
        if url is not None:
            assert f'class="source-url" href="{url}"'.encode() in page
    assert b"<time>2024-02-14</time>" in page


def test_the_charts_page_serves_both_charts_as_svg(site: SiteServer) -> None:
    status, _, page = request(site.base_url + "charts?state=KOR")
    assert status == 200
    assert b'src="/charts/partners.svg?state=KOR"' in page
    assert b'src="/charts/timeline.svg?state=KOR"' in page
    for path in ("charts/partners.svg?state=KOR", "charts/timeline.svg?state=CUB&other=KOR"):
        status, headers, svg = request(site.base_url + path)
        assert status == 200, path
        assert headers["Content-Type"] == "image/svg+xml"
        assert svg.startswith(b"<?xml")
    assert request(site.base_url + "charts/partners.svg?state=Atlantis")[0] == 404
    assert request(site.base_url + "charts?state=Atlantis")[0] == 400


def test_an_entity_description_carries_its_qualified_derivations(site: SiteServer) -> None:
    from rdflib import BNode
    from rdflib.namespace import PROV

    from diplomacy_kg.namespaces import DIP

    relation = URIRef("https://w3id.org/diplomacy-kg/id/relation/cub-kor-2024")
    status, _, body = request(
        site.base_url + "id/relation/cub-kor-2024", headers={"Accept": "text/turtle"}
    )
    assert status == 200
    described = Graph().parse(data=body, format="turtle")
    derivations = list(described.objects(relation, PROV.qualifiedDerivation))
    assert len(derivations) >= 4
    for node in derivations:
        assert isinstance(node, BNode)
        assert described.value(node, PROV.entity) in set(
            described.objects(relation, PROV.wasDerivedFrom)
        )
        assert described.value(node, DIP.evidenceQuote) is not None
    status, _, page = request(site.base_url + "id/relation/cub-kor-2024")
    for node in derivations:
        quote = str(described.value(node, DIP.evidenceQuote))
        assert quote.encode() in page or html.escape(quote).encode() in page
