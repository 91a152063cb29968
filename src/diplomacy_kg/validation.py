"""Validation: check the graph against the SHACL shapes and report each problem where it is written.

This is the one module that wraps pyshacl. A report names, for every problem, its severity, the
focus node with its label, the file and line where the node is described, the property, the
offending value and the shape's message, so a curator can go straight to the line and fix it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph
import pyshacl
from pyshacl import shape as pyshacl_shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from diplomacy_kg import paths
from diplomacy_kg.engines.oxigraph_engine import from_oxigraph, to_oxigraph
from diplomacy_kg.graph import (
    default_files,
    load_graph,
    load_shapes,
    parse_turtle_file,
    subject_locations,
)
from diplomacy_kg.namespaces import BASE, bind_prefixes

ONTOLOGY_IRI = URIRef(BASE + "ontology")

SEVERITIES = ("Violation", "Warning", "Info")
_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
_MAX_VALUE_CHARS = 80


@dataclass(frozen=True)
class ValidationResult:
    """One problem: where it is, what is wrong, and the shape that found it."""

    severity: str
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    source_shape: str
    file: Path | None = None
    line: int | None = None

    def sort_key(self) -> tuple[int, str, int, str, str, str]:
        """Order: severity first, then where the problem is written, then what it is."""
        return (
            _SEVERITY_RANK.get(self.severity, len(SEVERITIES)),
            str(self.file) if self.file is not None else "\uffff",
            self.line if self.line is not None else 0,
            self.focus,
            self.path or "",
            self.message,
        )


@dataclass
class ValidationReport:
    """The outcome of a validation: conforms when no result is a violation."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)

    def count(self, severity: str) -> int:
        """Return how many results have the given severity."""
        return sum(1 for result in self.results if result.severity == severity)


class _QueryCachingGraph(Graph):
    # pyshacl runs each sh:sparql query once per focus node with $this pre-bound, and rdflib
    # parses the query text on every call (about 15 ms): each distinct text is parsed once.
    # A query whose rows for one node are provably its rows for the whole graph that have
    # ?this = that node (see _answers_per_focus_node) runs once, in an Oxigraph copy of the
    # graph, and each call gets its node's rows: one query instead of one per node.
    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(query_object, str):
            return super().query(query_object, *args, **kwargs)
        prepared = _prepared(query_object)
        # pyshacl passes initBindings positionally (query, processor, result, initNs, ...).
        bindings = kwargs.get("initBindings", args[3] if len(args) > 3 else None)
        if bindings and set(bindings) == {"this"} and _answers_per_focus_node(prepared):
            return self._rows_of(query_object, bindings["this"])
        return super().query(prepared, *args, **kwargs)

    def _rows_of(self, text: str, focus: Node) -> Result:
        answers: dict[str, _GroupedRows] = self.__dict__.setdefault("_answers", {})
        if text not in answers:
            mirror = self.__dict__.get("_mirror")
            if mirror is None:
                mirror = self.__dict__["_mirror"] = _OxigraphMirror(self)
            answers[text] = mirror.rows_by_focus(text)
        variables, rows = answers[text]
        result = Result("SELECT")
        result.vars = variables
        result.bindings = list(rows.get(focus, []))
        return result


_GroupedRows = tuple[list[Variable], dict[Node, list[dict[Variable, Any]]]]


class _OxigraphMirror:
    # The data graph copied into Oxigraph, which answers a whole-graph query in milliseconds;
    # answers come back as the very rdflib terms of the graph.
    def __init__(self, graph: Graph) -> None:
        self._to_oxigraph: dict[Node, Any] = {}
        self._to_rdflib: dict[Any, Node] = {}
        self._store = pyoxigraph.Store()
        self._store.extend(
            [pyoxigraph.Quad(self._term(s), self._term(p), self._term(o)) for s, p, o in graph]
        )

    def _term(self, term: Node) -> Any:
        converted = self._to_oxigraph.get(term)
        if converted is None:
            converted = to_oxigraph(term)
            self._to_oxigraph[term] = converted
            self._to_rdflib.setdefault(converted, term)
        return converted

    def rows_by_focus(self, text: str) -> _GroupedRows:
        """Run a SELECT once and group its rows by the value of ?this."""
        solutions = self._store.query(text)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        names = [variable.value for variable in solutions.variables]
        rows: dict[Node, list[dict[Variable, Any]]] = {}
        for solution in solutions:
            row = {
                Variable(name): self._back(solution[name])
                for name in names
                if solution[name] is not None
            }
            rows.setdefault(row[_THIS], []).append(row)
        return [Variable(name) for name in names], rows

    def _back(self, term: Any) -> Node:
        known = self._to_rdflib.get(term)
        if known is not None:
            return known
        converted = from_oxigraph(term)
        assert converted is not None  # a solution's bound value is never None here
        return converted


@lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


_THIS = Variable("this")
# Operators that keep the solutions of the pattern below them (as a multiset or in order).
_PASS_THROUGH = frozenset({"Distinct", "Reduced", "OrderBy", "ToMultiSet"})


@lru_cache(maxsize=256)
def _answers_per_focus_node(query: Query) -> bool:
    """Whether running a query once and keeping the rows with ?this = X gives its answer for X.

    pyshacl pre-binds $this (rdflib substitutes it everywhere, and also lets a pattern see the
    bindings of the patterns joined before it), while a whole-graph run evaluates every group
    on its own, as the SPARQL standard does. Both agree on a SELECT that projects ?this and
    binds it in every row, when every FILTER, BIND and OPTIONAL condition that names a variable
    which an enclosing or joined pattern may bind (always ?this) has that variable bound in its
    own group, and an OPTIONAL part names such a variable only when its required part binds it.
    Anything else (MINUS, VALUES, sub-selects, aggregates, LIMIT) is run per node as before.
    """
    algebra = query.algebra
    if algebra.name != "SelectQuery":
        return False
    projection = algebra.p
    while projection.name in ("Distinct", "Reduced"):
        projection = projection.p
    if projection.name != "Project" or _THIS not in projection.PV:
        return False
    bound = _always_bound(projection.p, frozenset({_THIS}))
    return bound is not None and _THIS in bound


def _always_bound(pattern: Any, outer: frozenset[Variable]) -> frozenset[Variable] | None:
    # The variables every solution of the pattern binds, or None when the pattern is not safe
    # to run on its own; `outer` holds the variables the patterns around it may bind.
    name = getattr(pattern, "name", None)
    if name == "BGP":
        return frozenset(
            term for triple in pattern.triples for term in triple if isinstance(term, Variable)
        )
    if name in _PASS_THROUGH:
        return _always_bound(pattern.p, outer)
    if name in ("Join", "LeftJoin", "Union"):
        first_outer = outer if name == "Union" else outer | _variables(pattern.p2)
        second_outer = outer if name == "Union" else outer | _variables(pattern.p1)
        first = _always_bound(pattern.p1, first_outer)
        second = _always_bound(pattern.p2, second_outer)
        if first is None or second is None:
            return None
        if name == "Join":
            return first | second
        if name == "Union":
            return first & second
        if not (outer & _variables(pattern.p2)) <= first:
            return None
        if not (outer & _variables(pattern.get("expr"))) <= first | second:
            return None
        return first
    if name in ("Filter", "Extend"):
        inner = _always_bound(pattern.p, outer)
        if inner is None or not (outer & _variables(pattern.expr)) <= inner:
            return None
        if name == "Extend" and pattern.var in outer:
            return None
        return inner
    return None


def _variables(node: Any) -> frozenset[Variable]:
    # Every variable named anywhere below an algebra node or expression, EXISTS patterns included.
    if isinstance(node, Variable):
        return frozenset({node})
    if isinstance(node, dict):
        return frozenset().union(*(_variables(value) for value in node.values()))
    if isinstance(node, (list, tuple, set, frozenset)):
        return frozenset().union(*(_variables(item) for item in node))
    return frozenset()


class _ParameterList(list[URIRef]):
    # pyshacl tests every predicate of a shape for membership in its list of constraint
    # parameters, per focus node and shape; a set answers in one step instead of ~40 compares.
    def __init__(self, parameters: list[URIRef]) -> None:
        super().__init__(parameters)
        self._members = frozenset(parameters)

    def __contains__(self, item: object) -> bool:
        return item in self._members


@contextmanager
def _pyshacl_shortcuts() -> Iterator[None]:
    """Speed pyshacl up while validating, without changing what it computes.

    pyshacl re-checks a SPARQL constraint's text for MINUS, VALUES, SERVICE… before every focus
    node with regular expressions costing ~3 ms a time on our texts; the check depends on the
    text alone, so it runs once per text. Its constraint-parameter list becomes a set.
    """
    original_check = SPARQLQueryHelper.check_invalid_sparql
    original_parameters = getattr(pyshacl_shape, "CONSTRAINT_PARAMS", None)
    passed: set[tuple[str, bool, tuple[str, ...]]] = set()

    def check_once(
        helper: SPARQLQueryHelper,
        sparql_text: str,
        valuenode: Any = None,
        extravars: Any = None,
    ) -> bool:
        key = (sparql_text, valuenode is None, tuple(sorted(extravars or ())))
        if key not in passed:
            original_check(helper, sparql_text, valuenode=valuenode, extravars=extravars)  # type: ignore[no-untyped-call]
            passed.add(key)
        return True

    SPARQLQueryHelper.check_invalid_sparql = check_once  # type: ignore[method-assign]
    pyshacl_shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _ParameterList(ALL_CONSTRAINT_PARAMETERS),
        CONSTRAINT_PARAMETERS_MAP,
    )
    try:
        yield
    finally:
        SPARQLQueryHelper.check_invalid_sparql = original_check  # type: ignore[method-assign]
        if original_parameters is None:
            del pyshacl_shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
        else:
            pyshacl_shape.CONSTRAINT_PARAMS = original_parameters  # type: ignore[attr-defined]


def validate(
    data: Graph | None = None,
    shapes: Graph | None = None,
    *,
    files: Sequence[Path] | None = None,
) -> ValidationReport:
    """Validate data (default: the curated graph, or the given files) against the shapes.

    Results are located (file and line) in `files`, or in the default files when the curated
    graph is loaded here; a graph passed without files gives results without locations.
    """
    chosen_files = list(files) if files is not None else None
    location_files = chosen_files
    if data is None:
        data = load_graph(chosen_files)
        location_files = chosen_files if chosen_files is not None else default_files()
    if shapes is None:
        shapes = load_shapes()
    data_graph = _with_ontology(data)
    with _pyshacl_shortcuts():
        _conforms, results_graph, _text = pyshacl.validate(
            data_graph,
            shacl_graph=shapes,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
        )
    results = _read_results(results_graph, data_graph, shapes)
    if results and location_files:
        results = _locate(results, location_files)
    results.sort(key=ValidationResult.sort_key)
    conforms = not any(result.severity == "Violation" for result in results)
    return ValidationReport(conforms=conforms, results=results)


def _with_ontology(data: Graph) -> Graph:
    # sh:class and sh:targetClass follow rdfs:subClassOf in the data graph, so the ontology must
    # be in it; the caller's graph is shared (not copied) when it already holds the ontology.
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in data:
        return _QueryCachingGraph(
            store=data.store, identifier=data.identifier, namespace_manager=data.namespace_manager
        )
    merged = bind_prefixes(_QueryCachingGraph(bind_namespaces="none"))
    for triple in data:
        merged.add(triple)
    parse_turtle_file(paths.ONTOLOGY_FILE, into=merged)
    return merged


def _read_results(results_graph: Graph, data: Graph, shapes: Graph) -> list[ValidationResult]:
    results: list[ValidationResult] = []
    for report in results_graph.subjects(RDF.type, SH.ValidationReport):
        for node in results_graph.objects(report, SH.result):
            results.append(_read_result(results_graph, node, data, shapes))
    return results


def _read_result(results_graph: Graph, node: Node, data: Graph, shapes: Graph) -> ValidationResult:
    focus = results_graph.value(node, SH.focusNode)
    path = results_graph.value(node, SH.resultPath)
    value = results_graph.value(node, SH.value)
    shape = results_graph.value(node, SH.sourceShape)
    severity = results_graph.value(node, SH.resultSeverity)
    messages = list(results_graph.objects(node, SH.resultMessage))
    return ValidationResult(
        severity=_local_name(severity) if severity is not None else "Violation",
        focus=str(focus) if focus is not None else "",
        focus_label=_label(data, focus),
        path=_curie(data, path, shapes) if path is not None else None,
        value=_curie(data, value, shapes) if value is not None else None,
        message=_choose_message(messages, shapes.objects(shape, SH.message) if shape else []),
        source_shape=_curie(data, shape, shapes) if shape is not None else "",
    )


def _choose_message(messages: list[Node], shape_messages: Any) -> str:
    # A SPARQL constraint's own message is more specific than its shape's general one.
    # pyshacl drops the language tag of result messages, so compare the text.
    general = {str(m) for m in shape_messages}
    specific = [m for m in messages if str(m) not in general] or messages
    english = [m for m in specific if isinstance(m, Literal) and m.language in (None, "en")]
    chosen = english or specific
    return str(sorted(chosen, key=str)[0]) if chosen else ""


def _local_name(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _label(data: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    labels = [label for label in data.objects(node, RDFS.label) if isinstance(label, Literal)]
    if not labels:
        return None
    english = [label for label in labels if label.language in (None, "en")]
    return str(sorted(english or labels, key=str)[0])


def _curie(data: Graph, node: Node, shapes: Graph) -> str:
    if isinstance(node, URIRef):
        try:
            return data.namespace_manager.curie(node, generate=False)
        except (KeyError, ValueError):
            return f"<{node}>"
    if isinstance(node, Literal):
        text = node.n3(data.namespace_manager)
        return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 1] + "…"
    if isinstance(node, BNode):
        return _path_text(data, node, shapes)
    return str(node)


def _path_text(data: Graph, node: BNode, shapes: Graph) -> str:
    # Complex property paths (sh:alternativePath) come back as blank nodes of the shapes graph.
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        members = shapes.items(alternatives)
        return "|".join(_curie(data, member, shapes) for member in members)
    return "_:" + str(node)


def _locate(results: list[ValidationResult], files: Sequence[Path]) -> list[ValidationResult]:
    locations = subject_locations(files)
    located: list[ValidationResult] = []
    for result in results:
        where = locations.get(URIRef(result.focus))
        if where is None:
            located.append(result)
        else:
            located.append(_replace(result, file=where.path, line=where.line))
    return located


def _replace(result: ValidationResult, **changes: Any) -> ValidationResult:
    values = {**result.__dict__, **changes}
    return ValidationResult(**values)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def format_text(report: ValidationReport) -> str:
    """Render a report as one line per problem, sorted, then a summary line."""
    lines = []
    for result in report.results:
        where = "-"
        if result.file is not None:
            where = _display_path(result.file)
            if result.line is not None:
                where += f":{result.line}"
        focus = f"<{result.focus}>"
        if result.focus_label:
            focus = f"{result.focus_label} {focus}"
        what = result.path or "-"
        if result.value is not None:
            what += f" = {result.value}"
        lines.append(f"{result.severity:<9}  {where}  {focus}  {what}  {result.message}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: ValidationReport) -> str:
    counts = ", ".join(
        f"{report.count(severity)} {severity.lower()}{'' if report.count(severity) == 1 else 's'}"
        for severity in SEVERITIES
    )
    verdict = "conforms" if report.conforms else "does not conform"
    return f"{counts}: {verdict}"


def format_json(report: ValidationReport) -> str:
    """Render a report as JSON with stable keys (the same data as the text form)."""
    document = {
        "conforms": report.conforms,
        "counts": {severity.lower(): report.count(severity) for severity in SEVERITIES},
        "results": [
            {
                "severity": result.severity,
                "file": _display_path(result.file) if result.file is not None else None,
                "line": result.line,
                "focus": result.focus,
                "focus_label": result.focus_label,
                "path": result.path,
                "value": result.value,
                "message": result.message,
                "source_shape": result.source_shape,
            }
            for result in report.results
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
