"""Speed-ups for pyshacl that leave its answers unchanged, used only on the versions checked.

pyshacl evaluates each `sh:sparql` constraint once per focus node with `$this` pre-bound, and
rdflib parses the query text on every call. This module (the only one that touches pyshacl's
internals) parses each text once, answers a query once for the whole graph from an Oxigraph
copy when a static check shows that this gives every node's answer, checks a constraint's text
for forbidden SPARQL once instead of per node, and makes the constraint-parameter list a set.
It also lets a caller (`shacl_oxigraph`) name the focus nodes pyshacl checks for a shape.

It relies on how pyshacl calls `Graph.query` and on a few of its internal names, so it is applied
only to the pyshacl versions it was checked against (`CHECKED_VERSIONS`, the range pinned in
`pyproject.toml`); any other version runs plain pyshacl. Whatever goes wrong in the speed-up
itself (a text Oxigraph or rdflib cannot prepare, an IRI Oxigraph rejects, any error of the
mirror) falls back to what plain pyshacl does, so the outcome is always plain pyshacl's; the
W3C SHACL test suite and the project's fixtures are checked to give the same report both ways.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Literal

import pyoxigraph
import pyshacl
from rdflib import Graph, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from diplomacy_kg.engines.oxigraph_engine import from_oxigraph, to_oxigraph

# The pyshacl releases the speed-ups were checked against: [lowest, first unchecked).
CHECKED_VERSIONS = ((0, 40, 0), (0, 41, 0))

_GRAPH_QUERY = inspect.signature(Graph.query)


def version_is_checked(version: str | None = None) -> bool:
    """Whether the speed-ups were checked against this pyshacl version (default: the installed)."""
    text = version if version is not None else str(getattr(pyshacl, "__version__", ""))
    match = re.match(r"^(\d+)\.(\d+)(?:\.(\d+))?", text)
    if match is None:
        return False
    parts = tuple(int(part or 0) for part in match.groups())
    low, high = CHECKED_VERSIONS
    return low <= parts < high


Mode = Literal["auto", "fast", "plain"]


def run(data_graph: Graph, shapes: Graph, *, mode: Mode = "auto") -> Graph:
    """Validate with pyshacl (inference none, warnings and infos allowed); return the report graph.

    "auto" uses the speed-ups when this pyshacl version is checked, and plain pyshacl's outcome
    if the fast run fails in any way; "fast" uses them without that fallback (for tests);
    "plain" is plain pyshacl. pyshacl's own errors (e.g. SPARQL that SHACL forbids) propagate.
    """
    if mode == "plain" or (mode == "auto" and not version_is_checked()):
        return _plain(data_graph, shapes)
    try:
        return run_fast(query_caching_graph(data_graph), shapes)
    except Exception:
        if mode == "fast":
            raise
        # Whatever the fast path tripped on, plain pyshacl's outcome is the answer (its own
        # error, if it has one, is the one raised).
        return _plain(data_graph, shapes)


FocusNodes = Callable[[Any, Graph], "set[Node] | None"]


def run_fast(data_graph: Graph, shapes: Graph, focus_nodes: FocusNodes | None = None) -> Graph:
    """Run pyshacl with the speed-ups on a graph from `query_caching_graph`, without fallback.

    `focus_nodes(shape, data_graph)`, when given, names the focus nodes pyshacl checks for a
    shape with targets (None: all of them, as plain pyshacl finds them); the caller vouches
    that the others have no result.
    """
    with _pyshacl_shortcuts(), _focus_nodes_from(focus_nodes):
        return _plain(data_graph, shapes)


def query_caching_graph(data_graph: Graph, mirror: OxigraphMirror | None = None) -> Graph:
    """Return a view of the graph's store whose SPARQL is cached and, where sound, run once.

    Whole-graph answers come from `mirror` (built from the graph when first needed if None).
    """
    caching = _QueryCachingGraph(
        store=data_graph.store,
        identifier=data_graph.identifier,
        namespace_manager=data_graph.namespace_manager,
    )
    if mirror is not None:
        caching.__dict__["_mirror"] = mirror
    return caching


def whole_graph_rows(graph: Graph, text: str, bindings: Mapping[str, Any]) -> set[Node] | None:
    """Return the ?this values of a SPARQL constraint's whole-graph answer, or None.

    `graph` is from `query_caching_graph`; None means the query must run per focus node.
    """
    assert isinstance(graph, _QueryCachingGraph)
    grouped = graph.whole_graph(text, bindings)
    return None if grouped is None else set(grouped[1])


def _plain(data_graph: Graph, shapes: Graph) -> Graph:
    _conforms, results_graph, _text = pyshacl.validate(
        data_graph,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    if isinstance(results_graph, BaseException):  # pyshacl returns a ValidationFailure
        raise results_graph
    assert isinstance(results_graph, Graph)
    return results_graph


class _MirrorUnavailableError(Exception):
    """The Oxigraph mirror cannot answer (it could not be built or failed on a query)."""


class _QueryCachingGraph(Graph):
    # Each distinct (text, prefixes) is parsed once. A query whose rows for one node are provably
    # its rows for the whole graph that have ?this = that node (see answers_per_focus_node) runs
    # once, in an Oxigraph copy of the graph, and each call gets its node's rows.
    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(query_object, str):
            return super().query(query_object, *args, **kwargs)
        call = _GRAPH_QUERY.bind(self, query_object, *args, **kwargs).arguments
        grouped = self.whole_graph(query_object, call.get("initBindings"), call.get("initNs"))
        if grouped is not None:
            variables, rows = grouped
            result = Result("SELECT")
            result.vars = variables
            result.bindings = list(rows.get(call["initBindings"]["this"], []))
            return result
        try:
            prepared = _prepared(query_object, self._prefixes(call.get("initNs")))
        except Exception:
            return super().query(query_object, *args, **kwargs)
        return super().query(prepared, *args, **kwargs)

    def _prefixes(self, init_ns: Any) -> tuple[tuple[str, str], ...]:
        # rdflib resolves prefixes from initNs, else from the graph's own bindings.
        namespaces = dict(init_ns or self.namespaces())
        return tuple(sorted((str(k), str(v)) for k, v in namespaces.items()))

    def whole_graph(
        self, text: str, bindings: Mapping[str, Any] | None, init_ns: Any = None
    ) -> _GroupedRows | None:
        """Return the whole-graph rows by ?this, when they are every node's answer; else None."""
        prefixes = self._prefixes(init_ns)
        try:
            prepared = _prepared(text, prefixes)
        except Exception:
            return None
        if not bindings or set(bindings) != {"this"} or not answers_per_focus_node(prepared):
            return None
        try:
            return self._rows_of(text, prefixes)
        except _MirrorUnavailableError:
            return None

    def _rows_of(self, text: str, prefixes: tuple[tuple[str, str], ...]) -> _GroupedRows:
        answers: dict[Any, _GroupedRows] = self.__dict__.setdefault("_answers", {})
        key = (text, prefixes)
        if key not in answers:
            answers[key] = self._get_mirror().rows_by_focus(text, dict(prefixes))
        return answers[key]

    def _get_mirror(self) -> OxigraphMirror:
        if self.__dict__.get("_mirror_failed"):
            raise _MirrorUnavailableError
        mirror = self.__dict__.get("_mirror")
        if mirror is None:
            try:
                mirror = self.__dict__["_mirror"] = OxigraphMirror(self)
            except Exception as error:
                self.__dict__["_mirror_failed"] = True
                raise _MirrorUnavailableError from error
        assert isinstance(mirror, OxigraphMirror)
        return mirror


_GroupedRows = tuple[list[Variable], dict[Node, list[dict[Variable, Any]]]]


class OxigraphMirror:
    """The data graph in Oxigraph, which answers a whole-graph query in milliseconds.

    Built from an rdflib graph (copied; answers come back as the graph's very terms) or over
    a store that already holds the data. Two rdflib terms Oxigraph would merge (e.g. "x" and
    "x"^^xsd:string) make the copy fail, so answers never conflate what rdflib tells apart.
    """

    def __init__(self, graph: Graph | None = None, store: pyoxigraph.Store | None = None) -> None:
        self._to_oxigraph: dict[Node, Any] = {}
        self._to_rdflib: dict[Any, Node] = {}
        self.store = store if store is not None else pyoxigraph.Store()
        if graph is not None:
            self.store.extend(
                [pyoxigraph.Quad(self.term(s), self.term(p), self.term(o)) for s, p, o in graph]
            )

    def term(self, term: Node) -> Any:
        """Return the Oxigraph term of an rdflib term."""
        converted = self._to_oxigraph.get(term)
        if converted is None:
            converted = to_oxigraph(term)
            self._to_oxigraph[term] = converted
            if self._to_rdflib.setdefault(converted, term) != term:
                raise ValueError(f"rdflib tells apart what Oxigraph merges: {term!r}")
        return converted

    def rows_by_focus(self, text: str, prefixes: Mapping[str, str]) -> _GroupedRows:
        """Run a SELECT once and group its rows by the value of ?this."""
        try:
            solutions = self.store.query(text, prefixes=dict(prefixes))
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            names = [variable.value for variable in solutions.variables]
            rows: dict[Node, list[dict[Variable, Any]]] = {}
            for solution in solutions:
                row = {
                    Variable(name): self.back(solution[name])
                    for name in names
                    if solution[name] is not None
                }
                rows.setdefault(row[_THIS], []).append(row)
        except Exception as error:
            raise _MirrorUnavailableError from error
        return [Variable(name) for name in names], rows

    def back(self, term: Any) -> Node:
        """Return the rdflib term of an Oxigraph term (the graph's own when it was copied)."""
        known = self._to_rdflib.get(term)
        if known is not None:
            return known
        converted = from_oxigraph(term)
        assert converted is not None  # a solution's bound value is never None here
        return converted


@lru_cache(maxsize=256)
def _prepared(text: str, prefixes: tuple[tuple[str, str], ...]) -> Query:
    return prepareQuery(text, initNs=dict(prefixes))


_THIS = Variable("this")
# Operators that keep the solutions of the pattern below them (as a multiset or in order).
_PASS_THROUGH = frozenset({"Distinct", "Reduced", "OrderBy", "ToMultiSet"})


@lru_cache(maxsize=256)
def answers_per_focus_node(query: Query) -> bool:
    """Whether running a query once and keeping the rows with ?this = X gives its answer for X.

    pyshacl pre-binds $this (rdflib substitutes it everywhere, and also lets a pattern see the
    bindings of the patterns joined before it), while a whole-graph run evaluates every group
    on its own, as the SPARQL standard does. Both agree on a SELECT that projects ?this and
    binds it in every row, when every FILTER, BIND and OPTIONAL condition that names a variable
    which an enclosing or joined pattern may bind (always ?this) has that variable bound in its
    own group, and an OPTIONAL part names such a variable only when its required part binds it.
    A sub-select (rdflib lets it see the bindings around it too) is safe when its own pattern
    is by the same rules and every variable it names but does not return is named nowhere
    else, so those bindings only ever meet variables it returns. Anything else (MINUS, VALUES,
    aggregates, LIMIT, a sub-select hiding a variable used outside) is run per node as before.
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
    if name == "Project":  # a sub-select (pass-through operators above it are unwrapped)
        returned = frozenset(pattern.PV)
        if (_variables(pattern.p) - returned) & outer:
            return None
        inner = _always_bound(pattern.p, outer)
        return None if inner is None else inner & returned
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


class _ParameterList(list[Any]):
    # pyshacl tests every predicate of a shape for membership in its list of constraint
    # parameters, per focus node and shape; a set answers in one step instead of ~40 compares.
    def __init__(self, parameters: list[Any]) -> None:
        super().__init__(parameters)
        self._members = frozenset(parameters)

    def __contains__(self, item: object) -> bool:
        return item in self._members


@contextmanager
def _pyshacl_shortcuts() -> Iterator[None]:
    """Speed pyshacl up while validating, without changing what it computes.

    pyshacl re-checks a SPARQL constraint's text for MINUS, VALUES, SERVICE… before every focus
    node with regular expressions costing ~3 ms a time on our texts; the check depends on the
    text alone, so it runs once per text (a failing check still raises every time). Its
    constraint-parameter list becomes a set.
    """
    from pyshacl import shape as pyshacl_shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

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


@contextmanager
def _focus_nodes_from(focus_nodes: FocusNodes | None) -> Iterator[None]:
    # pyshacl finds a targeted shape's focus nodes in Shape.focus_nodes; the hook may name a
    # subset (None: pyshacl's own answer).
    if focus_nodes is None:
        yield
        return
    from pyshacl.shape import Shape

    original = Shape.focus_nodes

    def chosen(shape: Any, data_graph: Graph, debug: bool = False) -> Any:
        found = focus_nodes(shape, data_graph)
        if found is None:
            return original(shape, data_graph, debug=debug)  # type: ignore[no-untyped-call]
        return found

    Shape.focus_nodes = chosen  # type: ignore[method-assign]
    try:
        yield
    finally:
        Shape.focus_nodes = original  # type: ignore[method-assign]


def sparql_constraints(shape: Any) -> list[tuple[str, dict[str, Any]]] | None:
    """Return the (text, bindings) pyshacl sends for each active sh:sparql of a shape.

    None when pyshacl would not build them (it then raises its own error when it checks).
    """
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint

    try:
        component = SPARQLBasedConstraint(shape)
        found = []
        for helper in component.sparql_constraints:
            if helper.deactivated:
                continue
            bindings, text = helper.pre_bind_variables(_PLACEHOLDER)
            found.append((helper.apply_prefixes(text), bindings))
    except Exception:
        return None
    return found


_PLACEHOLDER = URIRef("urn:x-diplomacy-kg:focus-placeholder")


def custom_constraints(shape: Any) -> bool:
    """Whether the shapes graph of a pyshacl shape declares its own constraint components."""
    return bool(shape.sg.custom_constraints)
