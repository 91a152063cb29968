"""The fast path of Turtle: the bytes `serialize_turtle` writes, from triples parsed by Oxigraph.

`serialize_turtle` hands the graph to rdflib's Turtle writer (~100 µs a triple). This module
follows that writer's algorithm step for step on plain Python values: subjects in its order
(members of rdfs:Class first, then IRIs before blank nodes, fewer references first, then by
term), `rdf:type` and `rdfs:label` before the other predicates, objects sorted, a blank node
referenced once written inline as `[ … ]`, the same indentation and the same prefixed names
(rdflib's own namespace manager computes them, once per IRI). Literals are written as rdflib's
`_literal_n3` writes them; numeric and boolean ones, and any list of literals to sort, go
through rdflib itself.

It gives up (returns None, and the caller takes the rdflib path) where it would have to guess:
an RDF list or `rdf:nil`, a predicate without a prefix (rdflib would invent `ns1:`), or a
prefix rdflib would rename. The tests compare both paths byte for byte on the curated graph,
a blank-node fixture and the 100k world.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from diplomacy_kg.export.canonical import quote_literal
from diplomacy_kg.namespaces import PREFIXES, turtle_prefix_block

# A term is an IRI (str), a blank node ("_:" + label) or a literal (value, datatype, language).
Term = str | tuple[str, str, str]

_TYPE, _LABEL, _CLASS = str(RDF.type), str(RDFS.label), str(RDFS.Class)
_FIRST, _REST, _NIL = str(RDF.first), str(RDF.rest), str(RDF.nil)
_STRING, _LANG_STRING = str(XSD.string), str(RDF.langString)
# The datatypes rdflib's _literal_n3 treats specially (plain numbers, INF/NaN): through rdflib.
_SPECIAL = frozenset(
    str(t) for t in (XSD.integer, XSD.boolean, XSD.double, XSD.decimal, XSD.float, OWL.rational)
)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_INDENT = "    "


class _GiveUpError(Exception):
    """The graph holds something this path does not write as rdflib would."""


def _literal_term(node: ox.Literal) -> tuple[str, str, str]:
    datatype = node.datatype.value
    plain = datatype in (_STRING, _LANG_STRING)
    return (node.value, "" if plain else datatype, node.language or "")


def _rdflib_term(term: Term) -> URIRef | BNode | Literal:
    if isinstance(term, tuple):
        value, datatype, language = term
        if language:
            return Literal(value, lang=language)
        return Literal(value, datatype=URIRef(datatype) if datatype else None)
    if term.startswith("_:"):
        return BNode(term[2:])
    return URIRef(term)


class _Writer:
    """rdflib's TurtleSerializer, on plain values."""

    def __init__(self, triples: Sequence[ox.Triple]) -> None:
        self.graph = Graph(bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace, override=True, replace=True)
        self.bound = dict(self.graph.namespaces())
        self.properties: dict[str, dict[str, list[Term]]] = {}
        self.references: defaultdict[Term, int] = defaultdict(int)
        properties, references = self.properties, self.references
        for triple in triples:
            node, obj_node = triple.subject, triple.object
            if isinstance(node, ox.NamedNode):
                subject = node.value
            elif isinstance(node, ox.BlankNode):
                subject = "_:" + node.value
            else:
                raise _GiveUpError(f"unexpected subject {node!r}")
            obj: Term
            literal = isinstance(obj_node, ox.Literal)
            if isinstance(obj_node, ox.NamedNode):
                obj = obj_node.value
            elif isinstance(obj_node, ox.BlankNode):
                obj = "_:" + obj_node.value
            elif isinstance(obj_node, ox.Literal):
                obj = _literal_term(obj_node)
            else:
                raise _GiveUpError(f"unexpected object {obj_node!r}")
            by_predicate = properties.get(subject)
            if by_predicate is None:
                by_predicate = properties[subject] = {}
            predicate = triple.predicate.value
            objects = by_predicate.get(predicate)
            if objects is None:
                by_predicate[predicate] = [obj]
            elif obj in objects:  # a triple stated twice is one triple, as in rdflib
                continue
            else:
                objects.append(obj)
            if not literal:  # only nodes are ever subjects: count their references
                references[obj] += 1
        self.names: dict[str, str] = {}
        self.verb_names: dict[str, str] = {}
        self.literals: dict[tuple[str, str, str], str] = {}
        self.done: set[str] = set()
        self.depth = 0
        self.out: list[str] = []

    # -- names ---------------------------------------------------------------------------

    def pname(self, iri: str, verb: bool) -> str:
        names = self.verb_names if verb else self.names
        name = names.get(iri)
        if name is None:
            name = names[iri] = self._pname(iri, verb)
        return name

    def _pname(self, iri: str, verb: bool) -> str:
        uri = URIRef(iri)
        try:
            prefix, _, local = self.graph.namespace_manager.compute_qname(uri, generate=verb)
        except Exception:  # as rdflib's get_pname: is the IRI a namespace itself?
            found = self.graph.store.prefix(uri)
            if found is None:
                return uri.n3()
            prefix, local = found, ""
        if prefix not in self.bound or (prefix > "" and prefix[0] == "_"):
            raise _GiveUpError(f"rdflib would add or rename the prefix {prefix!r}")
        local = _PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
        if local.endswith("."):
            return uri.n3()
        return f"{prefix}:{local}"

    def label(self, term: Term, verb: bool = False) -> str:
        if isinstance(term, tuple):
            text = self.literals.get(term)
            if text is None:
                text = self.literals[term] = self._literal(term)
            return text
        if verb:
            return "a" if term == _TYPE else self.pname(term, True)
        name = self.names.get(term)
        if name is not None:
            return name
        if term.startswith("_:"):
            return term
        if term == _NIL:
            return "()"
        return self.pname(term, False)

    def _literal(self, term: tuple[str, str, str]) -> str:
        value, datatype, language = term
        if language:
            return f"{quote_literal(value)}@{language}"
        if not datatype:
            return quote_literal(value)
        if datatype in _SPECIAL:
            literal = Literal(value, datatype=URIRef(datatype))
            return literal._literal_n3(use_plain=True, qname_callback=self._datatype_name)
        return f"{quote_literal(value)}^^{self.pname(datatype, False)}"

    def _datatype_name(self, datatype: URIRef) -> str | None:
        name = self.pname(str(datatype), False)
        return None if name.startswith("<") else name

    # -- order ---------------------------------------------------------------------------

    def subjects(self) -> list[str]:
        top = sorted(
            (s for s, props in self.properties.items() if _CLASS in props.get(_TYPE, ())),
            key=lambda s: (not s.startswith("_:"), s),
        )
        seen = set(top)
        rest = sorted(
            (s.startswith("_:"), self.references.get(s, 0), s)
            for s in self.properties
            if s not in seen
        )
        return top + [s for _, _, s in rest]

    @staticmethod
    def sort_objects(objects: list[Term]) -> list[Term]:
        if len(objects) < 2:
            return objects
        if any(isinstance(o, tuple) for o in objects):
            terms = sorted(_rdflib_term(o) for o in objects)
            back = {_rdflib_term(o): o for o in objects}
            return [back[t] for t in terms]
        return sorted(objects, key=lambda o: (not o.startswith("_:"), o))  # type: ignore[union-attr]

    # -- writing -------------------------------------------------------------------------

    def write(self) -> str:
        for subject in self.subjects():
            if subject in self.done:
                continue
            self.done.add(subject)
            self.out.append("\n")
            if subject.startswith("_:") and self.references.get(subject, 0) == 0:
                self.out.append("[]")
            else:
                self.out.append(self.label(subject))
            self.predicate_list(subject)
            self.out.append(" .\n")
        return "".join(self.out)

    def predicate_list(self, subject: str) -> None:
        properties = self.properties.get(subject)
        if not properties:
            return
        first = [p for p in (_TYPE, _LABEL) if p in properties]
        order = first + sorted(p for p in properties if p not in (_TYPE, _LABEL))
        for index, predicate in enumerate(order):
            if index:
                self.out.append(" ;\n" + _INDENT * (self.depth + 1))
                self.out.append(self.label(predicate, verb=True))
            else:
                self.out.append(" " + self.label(predicate, verb=True))
            self.object_list(self.sort_objects(properties[predicate]))

    def object_list(self, objects: list[Term]) -> None:
        # rdflib's `(count == 1) and 0 or 1` is always 1: every object list is indented.
        modifier = 1
        self.depth += modifier
        self.node(objects[0], newline=False)
        for obj in objects[1:]:
            self.out.append(",\n" + _INDENT * (self.depth + 1))
            self.node(obj, newline=True)
        self.depth -= modifier

    def value(self, subject: Term, predicate: str) -> Term | None:
        objects = (
            self.properties.get(subject, {}).get(predicate) if isinstance(subject, str) else None
        )
        return objects[0] if objects else None

    def is_list(self, node: Term) -> bool:
        """Tell, as rdflib's isValidList, whether a node heads a chain of first/rest only."""
        if self.value(node, _FIRST) is None:
            return False
        current: Term | None = node
        while current:
            if current != _NIL:
                properties = self.properties.get(current, {}) if isinstance(current, str) else {}
                if sum(len(objects) for objects in properties.values()) != 2:
                    return False
            current = self.value(current, _REST)
        return True

    def list_items(self, node: Term) -> None:
        current: Term | None = node
        while current:
            item = self.value(current, _FIRST)
            if item is not None:
                self.node(item, newline=False)
                assert isinstance(current, str)
                self.done.add(current)
            current = self.value(current, _REST)

    def node(self, obj: Term, *, newline: bool) -> None:
        if (
            isinstance(obj, str)
            and obj.startswith("_:")
            and obj not in self.done
            and self.references.get(obj, 0) <= 1
        ):
            if not newline:
                self.out.append(" ")
            if self.is_list(obj):
                self.out.append("(")
                self.depth += 1
                self.list_items(obj)
                self.depth -= 1
                self.out.append(" )")
                return
            self.done.add(obj)
            self.depth += 2
            self.out.append("[")
            self.depth -= 1
            self.predicate_list(obj)
            self.out.append(" ]")
            self.depth -= 1
            return
        if not newline:
            self.out.append(" ")
        self.out.append(self.label(obj))


def turtle_bytes(triples: Sequence[ox.Triple]) -> bytes | None:
    """Return the Turtle `serialize_turtle` writes for these (canonically labelled) triples."""
    try:
        body = _Writer(triples).write()
    except _GiveUpError:
        return None
    # rdflib opens each statement with a newline: the first one is the blank line after the
    # prefix block, which `serialize_turtle` writes itself.
    return (turtle_prefix_block() + "\n" + (body[1:] or "\n")).encode("utf-8", "replace")
