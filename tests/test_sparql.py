"""The `sparql` subcommand and `diplomacy_kg.adhoc`: one's own SPARQL on every engine."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from diplomacy_kg import adhoc
from diplomacy_kg.cli import main
from diplomacy_kg.engines.factory import build_store
from diplomacy_kg.namespaces import DIP, ID

KOR = URIRef(f"{ID}state/kor")
LABELS = "SELECT ?label WHERE { id:state/kor rdfs:label ?label }"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sparql") / "store"
    build_store(path)
    return path


def test_a_select_with_the_project_prefixes_answers_on_both_embedded_engines(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    code, out, err = run(capsys, "sparql", LABELS, "--store", str(store))
    assert (code, err) == (0, "")
    assert out.splitlines()[2] == "South Korea"
    code, out, _ = run(capsys, "sparql", LABELS, "--engine", "rdflib", "--format", "json")
    assert code == 0
    assert json.loads(out) == [{"label": "South Korea"}]


def test_csv_tsv_and_file_and_stdin_inputs(
    capsys: pytest.CaptureFixture[str],
    store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    query = tmp_path / "q.rq"
    query.write_text(
        "# the Cuba-South Korea relations\n"
        "SELECT ?r WHERE { ?r a dip:DiplomaticRelation ; dip:party id:state/cub, id:state/kor }\n"
        "ORDER BY ?r\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "sparql", "--file", str(query), "--store", str(store), "--format", "csv"
    )
    assert code == 0
    assert out.splitlines()[0] == "r"
    assert f"{ID}relation/cub-kor-2024" in out.splitlines()
    monkeypatch.setattr("sys.stdin", io.StringIO(query.read_text(encoding="utf-8")))
    code, piped, _ = run(capsys, "sparql", "-", "--store", str(store), "--format", "csv")
    assert (code, piped) == (0, out)


def test_construct_and_describe_print_turtle_that_parses(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    code, out, _ = run(
        capsys,
        "sparql",
        "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s dip:iso3166Alpha3 'KOR' ; rdfs:label ?l }",
        "--store",
        str(store),
    )
    assert code == 0
    graph = Graph().parse(data=out, format="turtle")
    assert set(graph) == {(KOR, RDFS.label, Literal("South Korea", lang="en"))} or set(graph) == {
        (KOR, RDFS.label, Literal("South Korea"))
    }
    code, out, _ = run(capsys, "sparql", "DESCRIBE id:state/kor", "--engine", "rdflib")
    assert code == 0
    described = Graph().parse(data=out, format="turtle")
    assert (KOR, DIP.iso3166Alpha3, Literal("KOR")) in described


def test_an_unknown_prefix_is_named_with_its_line_and_column(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "sparql", "SELECT * WHERE {\n  ?s foo:bar ?o\n}")
    assert (code, out) == (2, "")
    assert err == (
        "diplomacy-kg: error: line 2, column 6: unknown prefix foo: "
        "(declare it with PREFIX, or use one of the project's: "
        + ", ".join(sorted(adhoc.project_prefixes()))
        + ")\n"
    )


def test_a_syntax_error_names_the_users_line_and_column(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "sparql", "SELECT ?s WHERE {\n  id:state/kor ?p ?o ?x }")
    assert code == 2
    # The column is Oxigraph's for the text as the user wrote it (`<urn:xx:kor>` is as long as
    # `id:state/kor`), although id:state/kor runs as a full IRI, 35 characters longer.
    with pytest.raises(SyntaxError, match="error at 2:26:"):
        pyoxigraph.Store().query("SELECT ?s WHERE {\n  <urn:xx:kor> ?p ?o ?x }")
    assert err.startswith("diplomacy-kg: error: line 2, column 26: syntax error: ")
    assert len(err.splitlines()) == 1


def test_an_update_is_refused_unless_allowed_on_a_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    update = "INSERT DATA { id:state/kor dip:note 'changed' }"
    code, _, err = run(capsys, "sparql", update)
    assert code == 2
    assert "--allow-update: this is an update; it is refused unless updates are allowed" in err
    code, _, err = run(capsys, "sparql", update, "--allow-update")
    assert code == 2
    assert "--allow-update needs --store" in err
    own = tmp_path / "own-store"
    build_store(own)
    code, out, _ = run(capsys, "sparql", update, "--allow-update", "--store", str(own))
    assert code == 0
    counts = re.fullmatch(r"updated .*: (\d+) triples before, (\d+) after\n", out)
    assert counts is not None
    before, after = int(counts.group(1)), int(counts.group(2))
    assert after == before + 1
    code, out, _ = run(
        capsys, "sparql", "SELECT ?n WHERE { id:state/kor dip:note ?n }", "--store", str(own)
    )
    assert out.splitlines()[2] == "changed"


def test_a_query_past_its_timeout_stops_with_exit_2(
    capsys: pytest.CaptureFixture[str], store: Path
) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    code, out, err = run(capsys, "sparql", slow, "--store", str(store), "--timeout", "0.2")
    assert (code, out) == (2, "")
    assert "ran past its timeout of 0.2 s" in err


def test_prefixes_lists_the_project_prefixes_and_id() -> None:
    block = adhoc.prefix_block()
    assert "PREFIX dip: <https://w3id.org/diplomacy-kg/ontology/>\n" in block
    assert "PREFIX id: <https://w3id.org/diplomacy-kg/id/>\n" in block
    assert "PREFIX wd: <http://www.wikidata.org/entity/>\n" in block


def test_the_scan_skips_strings_iris_and_comments() -> None:
    found = adhoc.scan(
        'PREFIX ex: <http://ex/a:b>\n# nope: here\nSELECT * { ?s ex:p "x:y" ; a <urn:z:q> }'
    )
    assert found.form == "select"
    assert found.declared == {"ex"}
    assert [u[0] for u in found.used] == ["ex"]
    assert adhoc.scan("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").form == "update"
