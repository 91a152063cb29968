"""Validation: check the graph against the SHACL shapes and report each problem where it is written.

This is the one module that validates; it runs pyshacl through `pyshacl_speedups` (the one
module that knows pyshacl's internals, applied only on the pyshacl versions it was checked on).
A report names, for every problem, its severity, the focus node with its label, the file and
line where the node is described, the property, the offending value and the shape's message, so
a curator can go straight to the line and fix it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from diplomacy_kg import paths, pyshacl_speedups, shacl_oxigraph
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.graph import (
    NO_BASE,
    default_files,
    load_graph,
    load_shapes,
    parse_turtle_file,
    subject_locations,
)
from diplomacy_kg.namespaces import BASE, bind_prefixes, new_graph

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


class ShaclError(DiplomacyKgError):
    """pyshacl cannot validate with these shapes (e.g. a SPARQL constraint SHACL forbids)."""


@dataclass
class ValidationReport:
    """The outcome of a validation: conforms when every result is a warning or an info."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)

    def count(self, severity: str) -> int:
        """Return how many results have the given severity."""
        return sum(1 for result in self.results if result.severity == severity)


def validate(
    data: Graph | None = None,
    shapes: Graph | None = None,
    *,
    files: Sequence[Path] | None = None,
    ontology: bool = True,
) -> ValidationReport:
    """Validate data (default: the curated graph, or the given files) against the shapes.

    Results are located (file and line) in `files`, or in the default files when the curated
    graph is loaded here; a graph passed without files gives results without locations. With
    `ontology` (the default) the project's ontology joins the data graph, for `sh:class`; a
    graph that is not the project's (e.g. the W3C SHACL tests) is validated as it is without it.
    Raises ShaclError when pyshacl cannot validate with the shapes.
    """
    chosen_files = list(files) if files is not None else None
    location_files = chosen_files
    if shapes is None:
        shapes = load_shapes()
    results_graph = None
    if data is None:
        location_files = chosen_files if chosen_files is not None else default_files()
        stored = _files_on_store(location_files, ontology)
        if stored is not None:
            mirror = shacl_oxigraph.mirror_of(stored)
            results_graph = shacl_oxigraph.validate(shapes, stored, mirror)
            data_graph = stored
        if results_graph is None:
            data = load_graph(chosen_files)
    if results_graph is None:
        assert data is not None
        data_graph = _with_ontology(data) if ontology else data
        results_graph = _report_graph(data_graph, shapes)
    return _report(results_graph, data_graph, shapes, location_files)


def _report(
    results_graph: Graph, data_graph: Graph, shapes: Graph, files: Sequence[Path] | None
) -> ValidationReport:
    results = _read_results(results_graph, data_graph, shapes)
    if results and files:
        results = _locate(results, files)
    results.sort(key=ValidationResult.sort_key)
    # pyshacl's verdict: any result but a warning or an info (a custom severity too) fails.
    conforms = (None, SH.conforms, Literal(True)) in results_graph
    return ValidationReport(conforms=conforms, results=results)


def _report_graph(data_graph: Graph, shapes: Graph) -> Graph:
    # The compiled checks on Oxigraph when they apply, else pyshacl with its speed-ups; both
    # give plain pyshacl's report (tests/test_validation_compiled.py compares them).
    try:
        mirror = shacl_oxigraph.mirror_of(data_graph)
    except Exception:  # e.g. an IRI Oxigraph rejects
        mirror = None
    if mirror is not None:
        compiled = shacl_oxigraph.validate(shapes, data_graph, mirror)
        if compiled is not None:
            return compiled
    try:
        return pyshacl_speedups.run(data_graph, shapes)
    except (ReportableRuntimeError, NotImplementedError) as error:
        raise ShaclError(f"the shapes cannot be used: {_one_line(error)}") from error


def _files_on_store(files: list[Path], ontology: bool) -> Graph | None:
    # The files bulk-loaded into Oxigraph (no rdflib graph of the data), with the prefixes
    # rdflib would have bound: the files' own, or the ontology's when it is added to them.
    loaded = shacl_oxigraph.load_files(files)
    if loaded is None:
        return None
    store, declarations = loaded
    ontology_quad = pyoxigraph.Quad(
        pyoxigraph.NamedNode(str(ONTOLOGY_IRI)),
        pyoxigraph.NamedNode(str(RDF.type)),
        pyoxigraph.NamedNode(str(OWL.Ontology)),
        pyoxigraph.DefaultGraph(),
    )
    namespaces = new_graph()
    added = ontology and ontology_quad not in store
    if added:
        with_ontology = shacl_oxigraph.load_files([paths.ONTOLOGY_FILE], store)
        if with_ontology is None:
            return None
        declarations = with_ontology[1]
    if not shacl_oxigraph.reads_like_rdflib(store):
        return None
    try:
        namespaces.parse(data=declarations, format="turtle", publicID=NO_BASE)
    except Exception:  # a declaration the line scan cut short: rdflib reads the files
        return None
    if not added:
        bind_prefixes(namespaces)  # parse_turtle_files binds the project's prefixes last
    return shacl_oxigraph.store_graph(store, namespaces)


def _one_line(error: Exception) -> str:
    text = getattr(error, "message", None) or str(error)
    return " ".join(str(text).split()) or type(error).__name__


def _with_ontology(data: Graph) -> Graph:
    # sh:class and sh:targetClass follow rdfs:subClassOf in the data graph, so the ontology must
    # be in it; the caller's graph is shared (not copied) when it already holds the ontology.
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in data:
        return data
    merged = bind_prefixes(Graph(bind_namespaces="none"))
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
