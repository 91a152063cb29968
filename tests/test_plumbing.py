"""One home per idea (issue 12 §3, §8): engines by name, one HTTP layer, one timeout."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal

import diplomacy_kg
from diplomacy_kg.engines import ENGINE_NAMES, ENGINES
from diplomacy_kg.engines.endpoint import EndpointEngine
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.engines.rdflib_engine import RdflibEngine
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS

SOURCE = Path(diplomacy_kg.__file__).parent


def _sources(*, outside: str = "") -> dict[Path, str]:
    found = {
        path: path.read_text(encoding="utf-8")
        for path in sorted(SOURCE.rglob("*.py"))
        if not outside or outside not in path.relative_to(SOURCE).parts
    }
    assert len(found) > 20  # the discovery found the package
    return found


def test_engines_register_by_name_and_the_embedded_ones_are_the_choices() -> None:
    assert ENGINES["oxigraph"] is OxigraphEngine
    assert ENGINES["rdflib"] is RdflibEngine
    assert ENGINES["endpoint"] is EndpointEngine
    assert set(ENGINE_NAMES) == {name for name, kind in ENGINES.items() if kind.embedded}


def test_each_engine_explains_how_it_binds() -> None:
    query = "SELECT ?x WHERE { ?x ?p ?o }"
    bindings = {"o": Literal("K")}
    assert RdflibEngine(Graph()).explain(query, bindings).startswith('# initBindings: ?o = "K"')
    assert 'VALUES (?o) { ("K") }' in OxigraphEngine.from_graph(Graph()).explain(query, bindings)


def test_argparse_lives_only_in_the_cli() -> None:
    users = [p.name for p, text in _sources(outside="cli").items() if "import argparse" in text]
    assert users == []


def test_one_timeout_constant() -> None:
    definitions = [
        p.relative_to(SOURCE).as_posix()
        for p, text in _sources().items()
        if re.search(r"^DEFAULT_TIMEOUT_SECONDS\s*=", text, re.MULTILINE)
    ]
    assert definitions == ["limits.py"]
    assert DEFAULT_TIMEOUT_SECONDS == 60.0


def test_the_sparql_clients_go_through_the_http_layer() -> None:
    clients = ["engines/endpoint.py", "graphstore.py", "wikidata/client.py", "adhoc.py"]
    for name in clients:
        text = (SOURCE / name).read_text(encoding="utf-8")
        assert re.search(
            r"^from diplomacy_kg(\.http)? import .*\b(http|HttpError)\b", text, re.M
        ), name
        assert "urllib.request" not in text and "SPARQLWrapper import" not in text, name
