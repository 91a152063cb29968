"""The validation API: reports that name file, line, node, property, value and message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery

from diplomacy_kg import paths, pyshacl_speedups, validation
from diplomacy_kg.graph import RdfParseError, load_graph, load_shapes
from diplomacy_kg.namespaces import DIPSH, sparql_prefix_block
from diplomacy_kg.validation import ValidationReport, format_json, format_text, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
ID = "https://w3id.org/diplomacy-kg/id/"
CUB_KOR_1949 = f"{ID}relation/cub-kor-1949"


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(text):
            return number
    raise AssertionError(f"{text!r} not found at a line start in {path}")


@pytest.fixture(scope="module")
def real_report() -> ValidationReport:
    return validate()


def test_real_graph_conforms(real_report: ValidationReport) -> None:
    assert real_report.conforms, "the curated graph has violations:\n" + format_text(real_report)


def test_planted_end_before_start_is_reported_at_its_file_and_line(tmp_path: Path) -> None:
    shutil.copytree(paths.ONTOLOGY_DIR, tmp_path / "ontology")
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    subject = f"<{CUB_KOR_1949}> a "
    planted = None
    for data_file in sorted((tmp_path / "data").glob("*.ttl")):
        text = data_file.read_text(encoding="utf-8")
        start = text.find(subject)
        if start < 0:
            continue
        end = text.find(" .\n", start)
        block = text[start:end]
        assert 'dip:endDate "1959-01-01"^^xsd:date' in block, f"{data_file} changed its 1959 end"
        block = block.replace('dip:endDate "1959-01-01"', 'dip:endDate "1940-01-01"')
        data_file.write_text(text[:start] + block + text[end:], encoding="utf-8")
        planted = data_file
        break
    assert planted is not None, f"no file describes {CUB_KOR_1949}"
    files = [tmp_path / "ontology" / "diplomacy.ttl", *sorted((tmp_path / "data").glob("*.ttl"))]

    report = validate(files=files)

    assert not report.conforms
    hits = [r for r in report.results if r.source_shape == "dipsh:RelationshipShape-startDate"]
    assert [r.focus for r in hits] == [CUB_KOR_1949]
    hit = hits[0]
    assert hit.severity == "Violation"
    assert hit.file == planted
    assert hit.line == _line_of(planted, subject)
    assert hit.path == "dip:startDate"
    assert hit.value == '"1949-01-01"^^xsd:date'
    assert hit.focus_label and "Cuba" in hit.focus_label
    line = next(x for x in format_text(report).splitlines() if CUB_KOR_1949 in x)
    assert f"{planted.name}:{hit.line}" in line
    assert 'dip:startDate = "1949-01-01"^^xsd:date' in line


def test_files_without_the_ontology_still_use_its_class_hierarchy() -> None:
    fixture = FIXTURES / "DiplomaticRelation" / "invalid-party-overlap.ttl"
    report = validate(files=[fixture])
    shape = "dipsh:DiplomaticRelationShape-party"
    overlaps = [r for r in report.results if r.source_shape == shape]
    expected = {f"{ID}relation/aaa-bbb-1949", f"{ID}relation/aaa-bbb-2024"}
    assert {r.focus for r in overlaps} == expected
    first = next(r for r in overlaps if r.focus.endswith("1949"))
    assert first.file == fixture
    assert first.line == _line_of(fixture, f"<{ID}relation/aaa-bbb-1949> a ")
    assert "overlaps" in first.message and f"{ID}relation/aaa-bbb-2024" in first.message


def test_a_graph_without_files_gives_results_without_location() -> None:
    fixture = FIXTURES / "State" / "invalid-iso3166Alpha2.ttl"
    report = validate(load_graph([fixture]))
    assert [(r.path, r.value, r.file, r.line) for r in report.results] == [
        ("dip:iso3166Alpha2", '"xy"', None, None)
    ]


def test_warnings_alone_conform_and_are_listed() -> None:
    report = validate(files=[FIXTURES / "AttributedTie" / "invalid-derivationQuote.ttl"])
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]
    assert format_text(report).splitlines()[-1] == "0 violations, 1 warning, 0 infos: conforms"


def test_text_report_has_one_line_per_problem_then_a_summary() -> None:
    fixture = FIXTURES / "Relationship" / "invalid-startDate.ttl"
    report = validate(files=[fixture])
    lines = format_text(report).splitlines()
    assert len(lines) == len(report.results) + 1
    assert lines[0].startswith("Violation  ")
    assert "Aaland\u2013Beeland tie (1949\u20131959)" in lines[0]
    assert 'dip:startDate = "1960-01-01"^^xsd:date' in lines[0]
    assert lines[-1] == "1 violation, 0 warnings, 0 infos: does not conform"


def test_json_report_has_stable_keys() -> None:
    fixture = FIXTURES / "Claim" / "invalid-datePrecision.ttl"
    report = validate(files=[fixture])
    document = json.loads(format_json(report))
    assert document["conforms"] is False
    assert document["counts"] == {"violation": 1, "warning": 0, "info": 0}
    (result,) = document["results"]
    assert list(result) == sorted(result)
    assert set(result) == {
        "file",
        "focus",
        "focus_label",
        "line",
        "message",
        "path",
        "severity",
        "source_shape",
        "value",
    }
    assert result["source_shape"] == "dipsh:ClaimShape-datePrecision"
    assert result["path"] == "dip:datePrecision"
    assert result["line"] is not None and result["file"].endswith("invalid-datePrecision.ttl")
    assert format_json(report) == format_json(validate(files=[fixture]))


def test_unparsable_file_raises_parse_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix dip: <https://w3id.org/diplomacy-kg/ontology/> .\n<a> dip:party\n")
    with pytest.raises(RdfParseError) as caught:
        validate(files=[broken])
    assert caught.value.path == broken


def test_results_are_sorted_by_severity_then_location() -> None:
    fixture = FIXTURES / "DiplomaticRelation" / "invalid-party-overlap.ttl"
    report = validate(files=[fixture])
    keys = [r.sort_key() for r in report.results]
    assert keys == sorted(keys)
    assert all(isinstance(URIRef(r.focus), URIRef) for r in report.results)


def _sparql_constraint_queries() -> dict[str, str]:
    """Each sh:sparql query of the shapes as pyshacl runs it: prefixes on, $PATH filled in."""
    shapes = load_shapes()
    prefixes = sparql_prefix_block()
    queries = {}
    for constraint, text in shapes.subject_objects(SH.select):
        owner = next(shapes.subjects(SH.sparql, constraint))
        path = shapes.value(owner, SH.path)
        query = str(text).replace("$PATH", f"<{path}>") if isinstance(path, URIRef) else str(text)
        queries[str(owner).replace(str(DIPSH), "dipsh:")] = prefixes + query
    return queries


# A count needs an aggregate, which the whole-graph path does not take; it runs once per
# coverage statement, of which the graph holds a handful, not once per relation or event.
PER_NODE_BY_DESIGN = {"dipsh:CoverageStatementShape-statedPartnerCount"}


def test_every_sparql_constraint_runs_once_for_the_whole_graph() -> None:
    queries = _sparql_constraint_queries()
    assert len(queries) >= 10, "expected the shapes' sh:sparql constraints"
    per_node = [
        shape
        for shape, query in sorted(queries.items())
        if not pyshacl_speedups.answers_per_focus_node(prepareQuery(query))
        and shape not in PER_NODE_BY_DESIGN
    ]
    assert all(shape in queries for shape in PER_NODE_BY_DESIGN), "a stale exemption"
    assert not per_node, (
        "these sh:sparql queries would run once per focus node (slow on large graphs): bind "
        f"$this by a triple pattern in every branch that tests it: {per_node}"
    )


@pytest.mark.parametrize(
    "where",
    [
        "?value a ?class . FILTER (?value != $this)",
        "{ $this a ?class } UNION { ?value a ?class . FILTER (?value != $this) }",
        "{ $this a ?class } UNION { ?value a ?class }",
        "?value a ?class . OPTIONAL { $this ?p ?value } $this a ?other",
        "$this a ?class . { ?value a ?other . FILTER NOT EXISTS { ?value ?p ?class } }",
        "$this a ?class . { ?value a ?other . BIND (?class AS ?kind) }",
        "$this a ?class . MINUS { $this ?p ?value }",
        "$this a ?class . VALUES ?value { 1 }",
        "{ SELECT ?value WHERE { $this a ?value } } ?this a ?class",
        "$this a ?class . { SELECT ?value WHERE { ?value a ?kind . FILTER (?kind != ?class) } }",
        "{ SELECT $this ?value WHERE { ?value a ?class . FILTER (?value != $this) } }",
        "{ SELECT $this ?value WHERE { $this ?p ?value } LIMIT 1 }",
        "{ SELECT $this (COUNT(?v) AS ?value) WHERE { $this ?p ?v } GROUP BY $this }",
        "{ SELECT $this ?a WHERE { $this ?p ?a } } { SELECT ?value ?a WHERE { ?value ?p ?a } }",
    ],
)
def test_a_query_that_depends_on_pre_binding_runs_per_node(where: str) -> None:
    query = prepareQuery(f"SELECT $this ?value WHERE {{ {where} }}")
    assert not pyshacl_speedups.answers_per_focus_node(query)


def test_queries_that_bind_this_everywhere_run_once() -> None:
    for where in [
        "$this a ?class . FILTER NOT EXISTS { $this ?p ?value }",
        "{ $this a ?value } UNION { $this ?p ?value . FILTER (?value != $this) }",
        "$this a ?class . OPTIONAL { $this ?p ?value } FILTER (!BOUND(?value))",
        "{ SELECT $this ?a WHERE { $this ?p ?a } } { SELECT ?value ?a WHERE { ?value ?q ?a } }",
        "{ { SELECT $this ?a WHERE { $this ?p ?a FILTER (?a != $this) } }"
        " { SELECT DISTINCT $this ?value ?a WHERE { ?value ?q ?a } } FILTER (?value != $this) }",
    ]:
        query = prepareQuery(f"SELECT DISTINCT $this ?value WHERE {{ {where} }}")
        assert pyshacl_speedups.answers_per_focus_node(query), where
    assert not pyshacl_speedups.answers_per_focus_node(
        prepareQuery("SELECT ?value WHERE { $this a ?value }")
    )
    assert not pyshacl_speedups.answers_per_focus_node(
        prepareQuery("SELECT $this ?value WHERE { $this a ?value } LIMIT 1")
    )


def test_whole_graph_answers_equal_per_node_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    queries = _sparql_constraint_queries()
    fixtures: set[Path] = set()
    for shape in queries:
        owner, prop = shape.removeprefix("dipsh:").split("Shape-")
        fixtures |= {
            FIXTURES / owner / "valid.ttl",
            *(FIXTURES / owner).glob(f"invalid-{prop}*.ttl"),
        }
    assert fixtures, "no fixtures for the shapes with sh:sparql constraints"
    shapes = load_shapes()
    once = [validate(files=[fixture], shapes=shapes).results for fixture in sorted(fixtures)]
    monkeypatch.setattr(pyshacl_speedups, "answers_per_focus_node", lambda query: False)
    per_node = [validate(files=[fixture], shapes=shapes).results for fixture in sorted(fixtures)]
    for fixture, batched, single in zip(sorted(fixtures), once, per_node, strict=True):
        assert batched == single, f"{fixture}: whole-graph and per-node answers differ"
    fired = {r.source_shape for results in once for r in results}
    missing = sorted(set(queries) - fired)
    assert not missing, f"no fixture makes these sh:sparql shapes report: {missing}"


_W3C = Path(__file__).parent / "fixtures" / "w3c-shacl"


def _mirror_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = pyshacl_speedups.OxigraphMirror.rows_by_focus

    def spy(self: object, text: str, prefixes: dict[str, str]) -> object:
        calls.append(text)
        return original(self, text, prefixes)  # type: ignore[arg-type]

    monkeypatch.setattr(pyshacl_speedups.OxigraphMirror, "rows_by_focus", spy)
    return calls


def test_the_query_cache_uses_the_prefixes_pyshacl_resolves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # W3C sparql/node/prefixes-001 names `test:` and `ex:` through sh:prefixes: the fast path
    # must answer it (from the mirror, not by falling back) with plain pyshacl's result.
    case = _W3C / "sparql" / "node" / "prefixes-001.ttl"
    graph = Graph().parse(case, format="turtle", publicID=case.resolve().as_uri())
    calls = _mirror_calls(monkeypatch)
    report = validate(graph, graph, ontology=False)
    assert calls, "the fast path fell back instead of answering from the mirror"
    assert [(r.focus, r.value) for r in report.results] == [
        (
            "http://datashapes.org/sh/tests/sparql/node/prefixes-001.test#InvalidResource1",
            "<http://test.com/ns#Value>",
        )
    ]


_SPACE_DATA = """
@prefix ex: <http://example.org/> .
ex:a ex:p <http://example.org/b c> .
ex:d ex:p ex:e .
"""
_SPACE_SHAPES = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
  sh:sparql [ sh:select "SELECT $this ?value WHERE { $this <http://example.org/p> ?value }" ] .
"""


def test_an_iri_oxigraph_rejects_falls_back_to_plain_pyshacl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = Graph().parse(data=_SPACE_DATA, format="turtle")
    shapes = Graph().parse(data=_SPACE_SHAPES, format="turtle")
    calls = _mirror_calls(monkeypatch)
    fast = validate(data, shapes, ontology=False)
    assert not calls, "the mirror should not have been built from an IRI Oxigraph rejects"
    monkeypatch.setattr(pyshacl_speedups, "version_is_checked", lambda version=None: False)
    plain = validate(data, shapes, ontology=False)
    assert fast == plain
    assert [(r.focus, r.value) for r in fast.results] == [
        ("http://example.org/a", "<http://example.org/b c>"),
        ("http://example.org/d", "ex:e"),
    ]


def test_an_unchecked_pyshacl_version_runs_plain_pyshacl(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pyshacl_speedups.version_is_checked("0.40.1")
    assert not pyshacl_speedups.version_is_checked("0.41.0")
    assert not pyshacl_speedups.version_is_checked("0.39.9")
    assert not pyshacl_speedups.version_is_checked("unknown")
    monkeypatch.setattr(pyshacl_speedups.pyshacl, "__version__", "0.99.0")
    calls = _mirror_calls(monkeypatch)
    fixture = FIXTURES / "DiplomaticRelation" / "invalid-party-overlap.ttl"
    report = validate(files=[fixture])
    assert not calls and not report.conforms


def test_the_fast_path_answers_every_sparql_constraint_of_the_real_graph_once(
    monkeypatch: pytest.MonkeyPatch, real_report: ValidationReport
) -> None:
    # mode="fast" has no fallback: an error of the speed-ups fails here instead of being hidden.
    calls = _mirror_calls(monkeypatch)
    data = validation._with_ontology(load_graph())
    results = pyshacl_speedups.run(data, load_shapes(), mode="fast")
    assert (None, SH.conforms, None) in results
    # Each text once (the mirror answers for every node); the curated graph reaches at least ten.
    assert len(calls) == len(set(calls)) >= 10
