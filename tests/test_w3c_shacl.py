"""The W3C SHACL core and SPARQL test suite through `validate()`: plain pyshacl's outcome on each.

The suite (tests/fixtures/w3c-shacl, see its README for provenance and licence) is run three
ways: plain pyshacl, the speed-ups without any fallback, the compiled checks on Oxigraph
(`shacl_oxigraph.validate`, where it takes the case) and `validation.validate()`; each case must
give the same results (or the same refusal) every way. A case whose expected result is
`sht:Failure` must be refused with one line and exit 2 by the CLI.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, Namespace

from diplomacy_kg import pyshacl_speedups, shacl_oxigraph
from diplomacy_kg.cli import main
from diplomacy_kg.pyshacl_speedups import OxigraphMirror
from diplomacy_kg.validation import ShaclError, validate
from shacl_reports import outcome

SUITE = Path(__file__).parent / "fixtures" / "w3c-shacl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


@dataclass(frozen=True)
class Case:
    name: str
    data: Path
    shapes: Path
    must_fail: bool


def _path_of(iri: URIRef) -> Path:
    assert str(iri).startswith("file://"), iri
    return Path(str(iri)[len("file://") :])


def _collect(manifest: Path) -> list[Case]:
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    cases: list[Case] = []
    for include in sorted(graph.objects(None, MF.include)):
        cases += _collect(_path_of(URIRef(str(include))))
    for entries in graph.objects(None, MF.entries):
        for entry in Collection(graph, entries):
            if (entry, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            data = graph.value(action, SHT.dataGraph)
            shapes = graph.value(action, SHT.shapesGraph)
            assert isinstance(data, URIRef) and isinstance(shapes, URIRef), entry
            name = str(entry).removeprefix(SUITE.resolve().as_uri() + "/")
            cases.append(Case(name, _path_of(data), _path_of(shapes), result == SHT.Failure))
    return cases


CASES = _collect(SUITE / "manifest.ttl")


def test_the_suite_has_its_121_cases() -> None:
    assert len(CASES) == 121
    assert len({case.name for case in CASES}) == 121
    assert sum(case.must_fail for case in CASES) == 7


def _graphs(case: Case) -> tuple[Graph, Graph]:
    data = Graph().parse(case.data, format="turtle", publicID=case.data.resolve().as_uri())
    if case.shapes == case.data:
        return data, data
    shapes = Graph().parse(case.shapes, format="turtle", publicID=case.shapes.resolve().as_uri())
    return data, shapes


def _outcome(data: Graph, shapes: Graph, mode: pyshacl_speedups.Mode) -> object:
    try:
        report = pyshacl_speedups.run(data, shapes, mode=mode)
    except (ReportableRuntimeError, NotImplementedError) as error:
        return ("refused", type(error).__name__)
    return _summary(report)


def _compiled_outcome(data: Graph, shapes: Graph) -> object | None:
    """The compiled path's outcome, or None where it leaves the case to pyshacl."""
    try:
        mirror = OxigraphMirror(data)
    except Exception:
        return None
    report = shacl_oxigraph.validate(shapes, data, mirror)
    return None if report is None else _summary(report)


def _summary(report: Graph) -> object:
    return outcome(report)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_case_gives_plain_pyshacls_outcome(case: Case) -> None:
    data, shapes = _graphs(case)
    plain = _outcome(data, shapes, "plain")
    assert _outcome(data, shapes, "fast") == plain
    compiled = _compiled_outcome(data, shapes)
    assert compiled is None or compiled == plain
    if case.must_fail:
        assert plain[0] == "refused", f"{case.name}: plain pyshacl accepted shapes SHACL forbids"
    if plain[0] == "refused":
        with pytest.raises(ShaclError):
            validate(data, shapes, ontology=False)
        return
    report = validate(data, shapes, ontology=False)
    assert isinstance(plain, tuple) and isinstance(plain[1], Counter)
    assert len(report.results) == sum(plain[1].values())
    assert str(report.conforms).lower() == plain[0]


FAILURES = [case for case in CASES if case.must_fail]


@pytest.mark.parametrize("case", FAILURES, ids=[case.name for case in FAILURES])
def test_the_cli_refuses_forbidden_shapes_in_one_line(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", "--shapes", str(case.shapes), str(case.data)])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("diplomacy-kg: error: "), captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_the_compiled_path_really_runs_on_many_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    # The comparison above cannot pass vacuously: many cases are validated by the compiled
    # path, with at least one shape whose focus nodes come from compiled queries.
    compiled_shapes: list[object] = []
    original = shacl_oxigraph._Candidates.candidates

    def spy(self: shacl_oxigraph._Candidates, shape: object) -> object:
        found = original(self, shape)
        if found is not None:
            compiled_shapes.append(shape)
        return found

    monkeypatch.setattr(shacl_oxigraph._Candidates, "candidates", spy)
    taken = compiled = 0
    for case in CASES:
        data, shapes = _graphs(case)
        before = len(compiled_shapes)
        if _compiled_outcome(data, shapes) is not None:
            taken += 1
            compiled += len(compiled_shapes) > before
    assert taken >= 110, f"the compiled path took only {taken} of {len(CASES)} cases"
    assert compiled >= 60, f"compiled queries chose the focus nodes in only {compiled} cases"
