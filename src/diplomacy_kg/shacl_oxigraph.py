"""Validate data held in Oxigraph: pyshacl checks only the focus nodes that may fail.

For each shape with targets, `shacl_candidates` compiles its constraints into whole-graph
SPARQL, and each `sh:sparql` constraint that `pyshacl_speedups.answers_per_focus_node` proves
safe runs once for the whole graph; pyshacl then validates as usual but checks only the focus
nodes those queries return, so every result, message and severity is pyshacl's own. A shape
with anything the compiler does not know is checked by pyshacl on all its focus nodes.

The data is either an rdflib graph (copied into Oxigraph for the queries; pyshacl reads the
graph itself) or Turtle files bulk-loaded into a store, which pyshacl then reads through a
read-only rdflib view of the store, so no rdflib copy of the data is ever built. Files that
rdflib would read differently from Oxigraph (a language tag with capitals, an explicit
xsd:string, a literal Oxigraph would rewrite into another lexical form) are refused here, and
the caller parses them with rdflib as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.store import Store
from rdflib.term import Node

from diplomacy_kg import pyshacl_speedups, shacl_candidates
from diplomacy_kg.pyshacl_speedups import OxigraphMirror

# Text rdflib reads otherwise than Oxigraph: Oxigraph lower-cases language tags, and knows no
# difference between "x" and "x"^^xsd:string.
_CAPITAL_TAG = re.compile(rb"""["']@[a-z0-9-]*[A-Z]""")
_EXPLICIT_STRING = re.compile(rb"\^\^\s*(?:<[^>]*#string>|[A-Za-z0-9_.-]*:string\b)")
# Literals Oxigraph stores as written and rdflib normalises the same way; any other (e.g. a
# date with a time zone, a double) could come back in another lexical form. RDF 1.2 triple
# terms rdflib cannot read at all (it reports the file's error).
_SAME_LITERALS = """
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
ASK { ?s ?p ?o FILTER (isTRIPLE(?o) || isLITERAL(?o) && !(
    DATATYPE(?o) IN (xsd:string, rdf:langString, xsd:integer, xsd:anyURI)
    || (DATATYPE(?o) = xsd:boolean && STR(?o) IN ("true", "false"))
    || (DATATYPE(?o) = xsd:date
        && (STRLEN(STR(?o)) = 10 || !COALESCE(xsd:date(STR(?o)) = xsd:date(STR(?o)), false)))
)) }
"""


def load_files(
    files: Sequence[Path], store: pyoxigraph.Store | None = None
) -> tuple[pyoxigraph.Store, str] | None:
    """Bulk-load Turtle files into a store; return it and the files' prefix declarations.

    The store is a new one unless given; the declarations give the curies rdflib would bind.
    None when Oxigraph cannot read the files (rdflib then gives the error) or their text would
    read otherwise in rdflib; `reads_like_rdflib` checks the literals once all are loaded.
    """
    store = store if store is not None else pyoxigraph.Store()
    declarations: list[str] = []
    try:
        for path in files:
            text = path.read_bytes()
            if text.startswith(b"\xef\xbb\xbf") or _CAPITAL_TAG.search(text):
                return None
            if _EXPLICIT_STRING.search(text):
                return None
            found = _prefix_lines(text)
            if found is None:
                return None
            store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
            declarations += found
    except Exception:  # unreadable or invalid: the rdflib path gives the error
        return None
    return store, "\n".join(declarations) + "\n"


def reads_like_rdflib(store: pyoxigraph.Store) -> bool:
    """Whether every literal in the store is one rdflib would read with the same lexical form."""
    return not store.query(_SAME_LITERALS)


_DECLARATION = re.compile(
    r"^[ \t]*(?:@prefix[ \t]+[^\s:]*:[ \t]*<[^>]*>[ \t]*\.|(?i:prefix)[ \t]+[^\s:]*:[ \t]*<[^>]*>)"
)


_INNER_DECLARATION = re.compile(r"(?i:prefix)[ \t]+[^\s:]*:[ \t]*<")


def _prefix_lines(text: bytes) -> list[str] | None:
    # Every line that starts with a prefix declaration, @prefix or PREFIX (in any case); a
    # search for the word is much faster than a multi-line regular expression over the file.
    # None when a declaration may start inside a line, which this does not follow.
    lines = []
    lowered = text.lower()
    found = lowered.find(b"prefix")
    while found >= 0:
        start = lowered.rfind(b"\n", 0, found) + 1
        end = text.find(b"\n", found)
        end = end if end >= 0 else len(text)
        line = text[start:end].decode("utf-8")
        if _DECLARATION.match(line):
            lines.append(line)
        elif _INNER_DECLARATION.search(line):
            return None
        found = lowered.find(b"prefix", end)
    return lines


def store_graph(store: pyoxigraph.Store, namespaces: Graph) -> Graph:
    """Return a read-only rdflib graph over the store, with the prefixes of `namespaces`."""
    view = _StoreView(OxigraphMirror(store=store), namespaces.store)
    return Graph(store=view, bind_namespaces="none")


def validate(shapes: Graph, data: Graph, mirror: OxigraphMirror) -> Graph | None:
    """Return pyshacl's report graph for the data, checking only candidate focus nodes.

    `data` is an rdflib graph and `mirror` its copy, or `data` is a `store_graph` and `mirror`
    None. None when the speed-ups do not apply or anything fails: the caller runs pyshacl.
    """
    if not pyshacl_speedups.version_is_checked():
        return None
    target = pyshacl_speedups.query_caching_graph(data, mirror)
    try:
        return pyshacl_speedups.run_fast(target, shapes, _Candidates(mirror, target))
    except Exception:
        return None


def mirror_of(graph: Graph) -> OxigraphMirror:
    """Return the mirror `validate` needs: a `store_graph`'s own store, else a copy."""
    if isinstance(graph.store, _StoreView):
        return graph.store.mirror
    return OxigraphMirror(graph)


class _Candidates:
    # The focus nodes pyshacl should check for a shape, or None for all of them.
    def __init__(self, mirror: OxigraphMirror, target: Graph) -> None:
        self.mirror = mirror
        self.target = target
        self.closures: dict[URIRef, list[URIRef]] = {}
        self.predicates: dict[URIRef, bool] = {}
        self.untargeted: dict[str, set[Node]] = {}
        self.focus: dict[str, set[Node]] = {}

    def __call__(self, shape: Any, data_graph: Graph) -> set[Node] | None:
        try:
            return self.candidates(shape)
        except Exception:
            return None

    def candidates(self, shape: Any) -> set[Node] | None:
        shapes = shape.sg.graph
        if pyshacl_speedups.custom_constraints(shape):
            return None
        target = shacl_candidates.target_pattern(shapes, shape.node, self.subclasses)
        if not target:
            return None
        plan = shacl_candidates.plan(shapes, shape.node, target, self.subclasses)
        if plan is None:
            return None
        # Plain pyshacl runs no constraint of a shape without focus nodes, however costly.
        if not self.mirror.store.query(f"ASK {target}"):
            return set()
        found: set[Node] = set()
        for query in plan.queries:
            if not all(self.occurs(predicate) for predicate in query.needs):
                continue
            if query.targeted:
                found |= self.select(query.text)
                continue
            if query.text not in self.untargeted:
                self.untargeted[query.text] = self.select(query.text)
            untargeted = self.untargeted[query.text]
            if untargeted:
                found |= untargeted & self.focus_nodes(target)
        for node in plan.sparql_shapes:
            constraints = pyshacl_speedups.sparql_constraints(shape.sg.lookup_shape_from_node(node))
            if constraints is None:
                return None
            for text, bindings in constraints:
                rows = pyshacl_speedups.whole_graph_rows(self.target, text, bindings)
                if rows is None:
                    return None
                if rows:
                    found |= rows & self.focus_nodes(target)
        if any(isinstance(node, Literal) for node in found):
            return None  # Oxigraph may write a literal focus node otherwise (4.0 as 4)
        return found

    def focus_nodes(self, target: str) -> set[Node]:
        # The focus nodes of a target group, found once (only for shapes with a candidate).
        if target not in self.focus:
            self.focus[target] = self.select(f"SELECT ?this WHERE {target}")
        return self.focus[target]

    def select(self, query: str) -> set[Node]:
        solutions = self.mirror.store.query(query)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        return {self.mirror.back(solution[0]) for solution in solutions}

    def occurs(self, predicate: URIRef) -> bool:
        # Most shapes name properties the data never uses (e.g. sh:maxCount 0 on a misplaced
        # quote): their queries would still enumerate every focus node of the shape.
        if predicate not in self.predicates:
            term = pyoxigraph.NamedNode(str(predicate))
            quads = self.mirror.store.quads_for_pattern(None, term, None, pyoxigraph.DefaultGraph())
            self.predicates[predicate] = next(iter(quads), None) is not None
        return self.predicates[predicate]

    def subclasses(self, cls: URIRef) -> list[URIRef]:
        if cls not in self.closures:
            found = self.select(f"SELECT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}") | {cls}
            if not all(isinstance(c, URIRef) for c in found):
                raise ValueError(f"{cls} has a blank-node subclass")  # VALUES cannot name it
            self.closures[cls] = sorted(c for c in found if isinstance(c, URIRef))
        return self.closures[cls]


class _StoreView(Store):
    # The triples of an Oxigraph store's default graph, as rdflib terms (read-only).
    # pyshacl wraps every data graph in an rdflib Dataset, which wants a context-aware store.
    context_aware = True
    graph_aware = True

    def __init__(self, mirror: OxigraphMirror, namespaces: Store) -> None:
        super().__init__()
        self.mirror = mirror
        self._namespaces = namespaces
        self._length: int | None = None

    def triples(
        self, triple_pattern: tuple[Any, Any, Any], context: Any = None
    ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[Any]]]:
        subject, predicate, value = triple_pattern
        if isinstance(subject, Literal) or not isinstance(predicate, (URIRef, type(None))):
            return  # Oxigraph holds no such triple
        term = self.mirror.term
        quads = self.mirror.store.quads_for_pattern(
            None if subject is None else term(subject),
            None if predicate is None else term(predicate),
            None if value is None else term(value),
            pyoxigraph.DefaultGraph(),
        )
        back = self.mirror.back
        for quad in quads:
            yield (back(quad.subject), back(quad.predicate), back(quad.object)), iter(())

    def __len__(self, context: Any = None) -> int:
        # Oxigraph counts by scanning; pyshacl asks for every result, and the store is fixed.
        if self._length is None:
            self._length = len(self.mirror.store)
        return self._length

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        self._namespaces.bind(prefix, namespace, override=override)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespaces.namespace(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._namespaces.prefix(namespace)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from self._namespaces.namespaces()
