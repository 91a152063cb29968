"""The served site in a real browser: headless Chromium renders the pages the tests read.

Each page is loaded with `--dump-dom` (after its scripts ran) and the browser's console is read
from its log: any console message (a script error, a refused or missing resource) fails the test.
Screenshots go to `build/screenshots/`. CI installs Debian's chromium; a machine without it
skips these tests, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib.namespace import PROV

from diplomacy_kg import graph, queries
from diplomacy_kg.namespaces import ID, SCHEMA
from diplomacy_kg.site.pages import EXAMPLE_QUERY
from diplomacy_kg.site.web import SiteServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path("build") / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="chromium is not installed (apt-get install chromium); CI installs it",
    ),
]
_CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?:?\d*\] (.*)")


@dataclass
class Rendered:
    dom: str
    console: list[str]


def chromium(url: str, *, screenshot: str | None = None) -> Rendered:
    assert CHROMIUM is not None, "chromium is not installed"
    with tempfile.TemporaryDirectory() as profile:
        command = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--window-size=1200,1400",
        ]
        if screenshot is not None:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            command.append(f"--screenshot={SCREENSHOTS / screenshot}")
        else:
            command.append("--dump-dom")
        done = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=60, check=False
        )
    console = [m.group(1) for m in map(_CONSOLE.search, done.stderr.splitlines()) if m]
    return Rendered(done.stdout, console)


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    with SiteServer(graph.default_files(), port=0) as front:
        front.serve_in_thread()
        yield front


def test_the_home_page_lists_the_stored_queries(site: SiteServer) -> None:
    page = chromium(site.base_url)
    assert page.console == []
    listed = re.findall(r'<li class="stored-query"><h3><a href="/queries/([\w-]+)\?', page.dom)
    assert listed == list(queries.catalogue())
    assert re.search(r'<strong id="size">\d+</strong> triples', page.dom)
    assert chromium(site.base_url, screenshot="home.png").console == []


def test_the_partner_count_form_shows_193_with_its_certainty(site: SiteServer) -> None:
    home = chromium(site.base_url).dom
    form = re.search(
        r'<form class="query" method="get" action="/queries/partner-count-on-date">'
        r"(.*?)</form>",
        home,
    )
    assert form is not None
    assert 'name="state"' in form.group(1) and 'name="date"' in form.group(1)
    url = site.base_url + "queries/partner-count-on-date?state=KOR&date=2024-02-15"
    page = chromium(url)
    assert page.console == []
    assert "<td>193</td>" in page.dom
    assert '<p class="certainty complete">complete: all of South Korea' in page.dom
    assert chromium(url, screenshot="partner-count.png").console == []


def test_the_cuba_south_korea_2024_page_shows_its_sources_with_urls(site: SiteServer) -> None:
    relation = ID["relation/cub-kor-2024"]
    data = graph.load_graph()
    sources = sorted(data.objects(relation, PROV.wasDerivedFrom))
    assert len(sources) == 4
    page = chromium(site.base_url + "id/relation/cub-kor-2024")
    assert page.console == []
    assert "<h2>Sources (4)</h2>" in page.dom
    for source in sources:
        path = str(source).removeprefix("https://w3id.org/diplomacy-kg")
        assert f'href="{path}"' in page.dom
        url = data.value(source, SCHEMA.url)
        if url is not None:
            assert f'<a class="source-url" href="{url}">{url}</a>' in page.dom
    urls = [data.value(s, SCHEMA.url) for s in sources]
    assert sum(u is not None for u in urls) >= 3
    # A source without a URL says why, as the provenance module requires.
    assert page.dom.count('class="no-url">no URL: ') == sum(u is None for u in urls)
    assert (
        chromium(site.base_url + "id/relation/cub-kor-2024", screenshot="relation.png").console
        == []
    )


def test_the_ontology_page_documents_every_term(site: SiteServer) -> None:
    page = chromium(site.base_url + "ontology/")
    assert page.console == []
    terms = re.findall(r'<article class="term" id="(\w+)">', page.dom)
    assert "DiplomaticRelation" in terms and "startPrecision" in terms
    assert len(terms) > 100
    assert chromium(site.base_url + "ontology/", screenshot="ontology.png").console == []


def test_a_shared_query_link_runs_in_the_editor(site: SiteServer) -> None:
    shared = 'SELECT ?label WHERE { ?s dip:iso3166Alpha3 "KOR" ; rdfs:label ?label }'
    text = "PREFIX dip: <https://w3id.org/diplomacy-kg/ontology/>\n" + (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + shared
    )
    for url in (
        site.base_url + "sparql#query=" + urllib.parse.quote(text),
        site.base_url + "sparql?query=" + urllib.parse.quote(text),
    ):
        page = chromium(url)
        assert page.console == []
        assert "<td>South Korea</td>" in page.dom
        assert '<span id="status" role="status">1 row</span>' in page.dom
    # The editor's own example returns rows.
    from diplomacy_kg import adhoc

    example = adhoc.prefix_block() + EXAMPLE_QUERY
    page = chromium(site.base_url + "sparql#query=" + urllib.parse.quote(example))
    assert page.console == []
    assert '<span id="status" role="status">20 rows</span>' in page.dom
    assert chromium(site.base_url + "sparql", screenshot="editor.png").console == []


def test_the_charts_page_shows_both_charts(site: SiteServer) -> None:
    url = site.base_url + "charts?state=KOR"
    page = chromium(url)
    assert page.console == []
    assert '<img src="/charts/partners.svg?state=KOR"' in page.dom
    assert '<img src="/charts/timeline.svg?state=KOR"' in page.dom
    assert chromium(url, screenshot="charts.png").console == []
