"""`diplomacy-kg site`: the served pages as static files, with RDF per entity and w3id rules."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from diplomacy_kg import queries
from diplomacy_kg.cli import main
from diplomacy_kg.engines.factory import make_engine
from diplomacy_kg.site import entity

KOR = URIRef("https://w3id.org/diplomacy-kg/id/state/kor")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("published") / "site"
    code = main(["site", "--output", str(output), "--target", "https://example.org/dkg/"])
    assert code == 0
    return output


def test_the_static_site_has_every_page(published: Path) -> None:
    home = (published / "index.html").read_text(encoding="utf-8")
    for name in queries.catalogue():
        assert f'href="/queries/{name}?' in home
        assert (published / "queries" / name / "index.html").is_file()
    assert "<td>193</td>" in (
        published / "queries" / "partner-count-on-date" / "index.html"
    ).read_text(encoding="utf-8")
    assert 'id="StartPrecision"' not in (published / "ontology" / "index.html").read_text()
    assert 'id="startPrecision"' in (published / "ontology" / "index.html").read_text()
    for name in ("site.css", "editor.js"):
        assert (published / "static" / name).is_file()
    assert stat.S_IMODE(published.stat().st_mode) == 0o755


def test_each_entity_has_html_turtle_ntriples_and_jsonld(published: Path) -> None:
    engine = make_engine()
    expected = entity.describe(engine, KOR)
    turtle = Graph().parse(published / "id" / "state" / "kor.ttl", format="turtle")
    assert set(turtle) == set(expected)
    assert set(Graph().parse(published / "id" / "state" / "kor.nt", format="nt")) == set(expected)
    document = json.loads((published / "id" / "state" / "kor.jsonld").read_text(encoding="utf-8"))
    assert "@context" in document
    jsonld = Graph().parse(data=json.dumps(document), format="json-ld")
    assert (KOR, RDFS.label, Literal("South Korea", lang="en")) in jsonld
    page = (published / "id" / "relation" / "cub-kor-1949.html").read_text(encoding="utf-8")
    assert "<time>1949</time>" in page and "<time>1959</time>" in page
    pages = list((published / "id").rglob("*.html"))
    assert len(pages) == len(list((published / "id").rglob("*.ttl"))) > 700


def test_the_rewrite_rules_negotiate_and_redirect_to_the_target(published: Path) -> None:
    rules = (published / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^id/(.+?)/?$ id/$1.ttl [L]" in rules
    assert "RewriteRule ^id/(.+?)/?$ id/$1.html [L]" in rules
    w3id = (published / "w3id.htaccess").read_text(encoding="utf-8")
    assert "RewriteRule ^id/(.+)$ https://example.org/dkg/id/$1.jsonld [R=303,L]" in w3id


def test_a_bad_output_is_one_line_and_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("keep me\n", encoding="utf-8")
    assert main(["site", "--output", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.endswith("exists and is not a folder\n") and len(err.splitlines()) == 1
    assert blocker.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_the_static_site_carries_the_charts(published: Path) -> None:
    page = (published / "charts" / "index.html").read_text(encoding="utf-8")
    for name in ("partners-kor.svg", "timeline-kor.svg"):
        assert f'src="/charts/{name}"' in page
        assert (published / "charts" / name).read_bytes().startswith(b"<?xml")
    cuba = (published / "charts" / "cub-kor.html").read_text(encoding="utf-8")
    assert 'src="/charts/timeline-cub-kor.svg"' in cuba
    assert b"Cuba 2024-02-14" in (published / "charts" / "partners-kor.svg").read_bytes()
