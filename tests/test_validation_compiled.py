"""The compiled checks on Oxigraph give plain pyshacl's report, on every fixture and on a world.

`shacl_oxigraph.validate` lets pyshacl check only the focus nodes the compiled queries name;
these tests compare its report graph with plain pyshacl's (`pyshacl_speedups.run(mode="plain")`)
on every shape fixture, on the curated graph, on the 10k benchmark world with every invalid
fixture planted in it, and on ill-typed literals; both for an rdflib graph (copied into
Oxigraph) and for files bulk-loaded into a store (blank nodes then have other labels, so they
are compared modulo their labels). They also check that the project's shapes really compile
and that `validate(files=...)` builds no rdflib graph of the data.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from benchmarks.world import SIZES, ensure_world
from rdflib import BNode, Graph
from rdflib.namespace import SH

from diplomacy_kg import pyshacl_speedups, shacl_candidates, shacl_oxigraph, validation
from diplomacy_kg.cli import main
from diplomacy_kg.graph import default_files, load_graph, load_shapes, parse_turtle_file
from shacl_reports import outcome

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
FIXTURE_FILES = sorted(FIXTURES.glob("*/*.ttl"))
DIP = "https://w3id.org/diplomacy-kg/ontology/"
ID = "https://w3id.org/diplomacy-kg/id/"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _outcome(report: Graph, *, blank: bool = False) -> tuple[str, Counter[tuple[object, ...]]]:
    """The verdict and the results as a multiset; with `blank`, data blank nodes are unnamed."""
    data_blanks = {
        str(node)
        for term in (SH.focusNode, SH.value)
        for node in report.objects(None, term)
        if isinstance(node, BNode)
    }

    def text(node: object) -> str:
        label = str(node)
        return "_:b" if blank and label in data_blanks else label

    def message(node: object) -> str:
        label = str(node)
        for name in data_blanks if blank else ():
            label = label.replace(name, "_:b")
        return label

    return outcome(report, text, message)


def _compiled(shapes: Graph, data: Graph) -> Graph:
    compiled = shacl_oxigraph.validate(shapes, data, shacl_oxigraph.mirror_of(data))
    assert compiled is not None, "the compiled path fell back to pyshacl"
    return compiled


def _stored(files: list[Path]) -> Graph:
    stored = validation._files_on_store(files, True)
    assert stored is not None, f"{files} were not loaded into Oxigraph"
    return stored


def _unnamed(report: validation.ValidationReport) -> list[str]:
    def blank(text: str | None) -> str | None:
        return "_:b" if text is not None and text.startswith("_:") else text

    return sorted(
        repr(
            validation._replace(
                result,
                focus=result.focus if ":" in result.focus else "_:b",
                value=blank(result.value),
            )
        )
        for result in report.results
    )


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_fixture_gives_plain_pyshacls_report(path: Path, shapes: Graph) -> None:
    data = validation._with_ontology(parse_turtle_file(path))
    plain = pyshacl_speedups.run(data, shapes, mode="plain")
    assert _outcome(_compiled(shapes, data)) == _outcome(plain)
    stored = _stored([path])
    on_store = _compiled(shapes, stored)
    assert _outcome(on_store, blank=True) == _outcome(plain, blank=True)
    # The report read from the store (labels, curies, lines) is the one read from rdflib.
    expected = validation._report(plain, data, shapes, [path])
    assert _unnamed(validation._report(on_store, stored, shapes, [path])) == _unnamed(expected)


def test_the_curated_graph_gives_todays_report(shapes: Graph, curated_graph: Graph) -> None:
    # Against today's path (the speed-ups, which the W3C suite and the fixtures hold to plain
    # pyshacl's outcome): plain pyshacl takes a minute on the curated graph.
    data = validation._with_ontology(curated_graph)
    plain = pyshacl_speedups.run(data, shapes, mode="fast")
    assert _outcome(_compiled(shapes, data)) == _outcome(plain)
    assert _outcome(_compiled(shapes, _stored(default_files())), blank=True) == _outcome(
        plain, blank=True
    )


def test_every_shape_of_the_project_compiles(shapes: Graph) -> None:
    targeted = {s for s in shapes.subjects(SH.targetClass, None)}
    assert len(targeted) >= 40, "expected the project's node shapes"
    uncompiled = []
    for shape in sorted(targeted):
        target = shacl_candidates.target_pattern(shapes, shape, lambda c: [c])
        plan = shacl_candidates.plan(shapes, shape, target or "", lambda c: [c])
        if not target or plan is None:
            uncompiled.append(shape)
    assert not uncompiled, f"these shapes would be checked node by node: {uncompiled}"


_ILL_TYPED = f"""
@prefix dip: <{DIP}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{ID}event/ill-typed-1> a dip:Meeting ; rdfs:label "Ill-typed one"@en ;
    dip:date "2024-13-45"^^xsd:date .
<{ID}event/ill-typed-2> a dip:Meeting ; rdfs:label "Ill-typed two"@en ;
    dip:date "2024-02-30"^^xsd:date .
<{ID}event/ill-typed-3> a dip:Meeting ; rdfs:label "Ill-typed three"@en ;
    dip:date "2024-1-1"^^xsd:date .
<{ID}event/typed-literal-place> a dip:Meeting ; rdfs:label "A literal place"@en ;
    dip:place "Geneva" ; dip:target "a literal" .
<{ID}coverage/negative-count> a dip:CoverageStatement ; dip:statedPartnerCount -1 .
"""

# Every constraint component the project's shapes use, which the planted world must trigger.
_COMPONENTS = {
    "MinCount",
    "MaxCount",
    "Class",
    "Datatype",
    "NodeKind",
    "Pattern",
    "In",
    "UniqueLang",
    "LessThanOrEquals",
    "Or",
    "MinLength",
    "MinInclusive",
    "SPARQL",
}


@pytest.fixture(scope="module")
def planted_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 10k world with every invalid fixture and some ill-typed literals appended."""
    world = ensure_world(SIZES["10k"], directory=tmp_path_factory.mktemp("world"))
    invalid = [p for p in FIXTURE_FILES if p.name.startswith("invalid-")]
    text = world.read_text(encoding="utf-8")
    text += "".join("\n" + p.read_text(encoding="utf-8") for p in invalid) + _ILL_TYPED
    planted = world.with_name("planted.ttl")
    planted.write_text(text, encoding="utf-8")
    return planted


def test_a_world_with_planted_violations_gives_todays_report(
    shapes: Graph, planted_world: Path
) -> None:
    data = validation._with_ontology(load_graph([planted_world]))
    plain = pyshacl_speedups.run(data, shapes, mode="fast")  # today's path, as above
    verdict, results = _outcome(plain)
    components = {key[6].rsplit("#", 1)[-1].removesuffix("ConstraintComponent") for key in results}
    assert components >= _COMPONENTS, f"not triggered: {sorted(_COMPONENTS - components)}"
    ill_typed = {key[0] for key in results if "ill-typed" in key[0]}
    assert len(ill_typed) == 3, "each ill-typed date must be reported"
    assert _outcome(_compiled(shapes, data)) == (verdict, results)
    stored = _stored([planted_world])
    on_store = _compiled(shapes, stored)
    assert _outcome(on_store, blank=True) == _outcome(plain, blank=True)
    expected = validation._report(plain, data, shapes, [planted_world])
    report = validation.validate(files=[planted_world], shapes=shapes)
    assert _unnamed(report) == _unnamed(expected)
    assert report.conforms == expected.conforms is False


def test_validating_files_builds_no_rdflib_graph_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fixture = FIXTURES / "DiplomaticRelation" / "invalid-party-overlap.ttl"
    expected = validation.validate(files=[fixture])

    def refuse(*args: object, **kwargs: object) -> Graph:
        raise AssertionError("the files were parsed into rdflib")

    monkeypatch.setattr(validation, "load_graph", refuse)
    report = validation.validate(files=[fixture])
    assert report == expected and not report.conforms


_XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    "value",
    [
        '"x"@en-GB',
        f'"x"^^<{_XSD}string>',
        f'"2024-01-01+01:00"^^<{_XSD}date>',
        f'"1.0e0"^^<{_XSD}double>',
        f'"yes"^^<{_XSD}boolean>',
        "<<( <http://example.org/s> <http://example.org/p> <http://example.org/o> )>>",
    ],
)
def test_files_rdflib_reads_otherwise_are_left_to_rdflib(tmp_path: Path, value: str) -> None:
    # Oxigraph would lower-case the tag, drop the xsd:string or rewrite the lexical form;
    # rdflib cannot read an RDF 1.2 triple term (and gives the file's error).
    path = tmp_path / "data.ttl"
    path.write_text(f"<http://example.org/a> <http://example.org/p> {value} .\n", encoding="utf-8")
    assert validation._files_on_store([path], True) is None
    safe = tmp_path / "safe.ttl"
    safe.write_text('<http://example.org/a> <http://example.org/p> "x"@en .\n', encoding="utf-8")
    assert validation._files_on_store([safe], True) is not None


def test_a_prefix_declared_inside_a_line_is_left_to_rdflib(tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:a ex:p ex:b . @prefix ey: <http://example.net/> .\n",
        encoding="utf-8",
    )
    assert shacl_oxigraph.load_files([path]) is None


def test_a_shapes_graph_outside_the_subset_still_gets_plain_pyshacls_report() -> None:
    # sh:node and sh:hasValue are not compiled: pyshacl checks every focus node of the shape.
    data = Graph().parse(
        data="""
        @prefix ex: <http://example.org/> .
        ex:a a ex:C ; ex:p ex:b . ex:b ex:q 1 . ex:c a ex:C .
        """,
        format="turtle",
    )
    shapes = Graph().parse(
        data="""
        @prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:node ex:T ; sh:minCount 1 ] .
        ex:T a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:hasValue 2 ] .
        """,
        format="turtle",
    )
    plain = pyshacl_speedups.run(data, shapes, mode="plain")
    assert len(_outcome(plain)[1]) == 2
    assert _outcome(_compiled(shapes, data)) == _outcome(plain)


def test_a_compiled_query_that_missed_a_node_would_be_caught(
    monkeypatch: pytest.MonkeyPatch, shapes: Graph
) -> None:
    # The comparison is not vacuous: candidates that leave a failing node out change the report.
    path = FIXTURES / "Event" / "invalid-date.ttl"
    data = validation._with_ontology(parse_turtle_file(path))
    plain = pyshacl_speedups.run(data, shapes, mode="plain")
    monkeypatch.setattr(shacl_oxigraph._Candidates, "candidates", lambda self, shape: set())
    assert _outcome(_compiled(shapes, data)) != _outcome(plain)
    assert _outcome(plain)[1], "the fixture must fail"


def test_the_cli_names_a_bad_data_file_before_bad_shapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p>\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("<http://example.org/S> a\n", encoding="utf-8")
    assert main(["validate", "--shapes", str(shapes), str(data)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "data.ttl" in error[0], error
