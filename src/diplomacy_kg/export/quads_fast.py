"""The fast path of N-Quads: sorted N-Triples lines, each placed in its named graphs.

`named_graphs.split_by_source` places each triple by its subject (and a qualified derivation's
link by the derivation). This module applies the same rules to Oxigraph terms, but writes the
result on the N-Triples lines, as bytes: a line `s p o .` becomes `s p o <g> .` for each graph
`g` of its subject, in the order of the graph names. Sorted N-Triples lines stay sorted that
way (what follows the object is a space in both formats), so the lines are sorted once, and no
million quad objects are built. Only the subjects whose graphs the default rule would not give
(a derived subject, a source, an ontology term outside `dip:`, a blank node) are looked up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import PROV, RDF

from diplomacy_kg.export.named_graphs import (
    CURATION_GRAPH,
    ONTOLOGY_GRAPH,
    TERM_TYPES,
    source_graph_iri,
)
from diplomacy_kg.namespaces import DIP

_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_QUALIFIED = ox.NamedNode(str(PROV.qualifiedDerivation))
_ENTITY = ox.NamedNode(str(PROV.entity))
_TYPE = ox.NamedNode(str(RDF.type))
_PLACING = frozenset({_DERIVED, _QUALIFIED, _ENTITY, _TYPE})
_TERM_TYPE_IRIS = frozenset(str(kind) for kind in TERM_TYPES)
_QUALIFIED_TOKEN = b"<" + _QUALIFIED.value.encode() + b"> "
_DIP_TOKEN = b"<" + str(DIP).encode()
_ONTOLOGY = (b"<" + str(ONTOLOGY_GRAPH).encode() + b">",)
_CURATION = (b"<" + str(CURATION_GRAPH).encode() + b">",)

Names = tuple[bytes, ...]


def _token(term: object) -> bytes:
    """Write an IRI or a blank node as Oxigraph writes it in N-Triples."""
    if isinstance(term, ox.BlankNode):
        return b"_:" + term.value.encode()
    return b"<" + _value(term).encode() + b">"


def _value(term: object) -> str:
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def _graph_token(source: object) -> bytes:
    return (
        b"<" + str(source_graph_iri(URIRef(getattr(source, "value", str(source))))).encode() + b">"
    )


class _Placement:
    """The graphs of each subject, by the rules of `named_graphs.split_by_source`.

    Terms are keyed by their N-Triples tokens: hashing an Oxigraph term costs ~1 µs.
    """

    def __init__(self, plain: Sequence[ox.Triple], blank: Sequence[ox.Triple]) -> None:
        self.derived: defaultdict[bytes, set[bytes]] = defaultdict(set)
        self.terms: set[bytes] = set()
        self.sources: set[bytes] = set()
        self.referrers: defaultdict[bytes, set[bytes]] = defaultdict(set)
        # Blank subjects in the order they come: the order the old path resolved them in.
        self.blank_subjects: dict[bytes, None] = {}
        self.graphs: dict[str, bytes] = {}
        qualified: set[bytes] = set()
        entities: defaultdict[bytes, set[bytes]] = defaultdict(set)
        for triple in blank:
            subject = _token(triple.subject)
            if isinstance(triple.object, ox.BlankNode):
                self.referrers[_token(triple.object)].add(subject)
            if subject.startswith(b"_:"):
                self.blank_subjects[subject] = None
        placing = [t for t in plain if t.predicate in _PLACING]
        for triple in placing + [t for t in blank if t.predicate in _PLACING]:
            predicate, obj = triple.predicate, triple.object
            if predicate == _TYPE:
                if _value(obj) in _TERM_TYPE_IRIS:
                    self.terms.add(_token(triple.subject))
            elif predicate == _DERIVED:
                self.derived[_token(triple.subject)].add(self.graph_token(_value(obj)))
                if not isinstance(obj, ox.Literal):
                    self.sources.add(_token(obj))
            elif predicate == _QUALIFIED:
                if not isinstance(obj, ox.Literal):
                    qualified.add(_token(obj))
            else:
                entities[_token(triple.subject)].add(self.graph_token(_value(obj)))
        # A qualified derivation goes, with the link to it, in the graph of its own source only.
        self.derivations = {d: frozenset(entities[d]) for d in qualified if entities.get(d)}
        self.homes: dict[bytes, frozenset[bytes]] = dict(self.derivations)

    def graph_token(self, source: str) -> bytes:
        """Return the graph of a source (its IRI), as a token of an N-Quads line."""
        token = self.graphs.get(source)
        if token is None:
            graph = source_graph_iri(URIRef(source))
            token = self.graphs[source] = b"<" + str(graph).encode() + b">"
        return token

    def home(self, subject: bytes) -> frozenset[bytes]:
        """Return the graphs of a subject's triples."""
        names = self.homes.get(subject)
        if names is not None:
            return names
        if subject.startswith(b"_:"):
            return self._blank_home(subject, set())
        found = set(self.derived.get(subject, ()))
        if subject in self.sources:
            found.add(self.graph_token(subject[1:-1].decode()))
        if not found:
            term = subject.startswith(_DIP_TOKEN) or subject in self.terms
            found = set(_ONTOLOGY if term else _CURATION)
        self.homes[subject] = frozenset(found)
        return self.homes[subject]

    def _blank_home(self, blank: bytes, visiting: set[bytes]) -> frozenset[bytes]:
        if blank in self.homes:
            return self.homes[blank]
        visiting.add(blank)
        names: set[bytes] = set()
        for referrer in self.referrers.get(blank, ()):
            if referrer in visiting:
                continue
            if referrer.startswith(b"_:"):
                names |= self._blank_home(referrer, visiting)
            else:
                names |= self.home(referrer)
        self.homes[blank] = frozenset(names or _CURATION)
        return self.homes[blank]

    def by_token(self) -> tuple[dict[bytes, Names], dict[bytes, Names]]:
        """Return the graphs of the subjects the default rule misses, and of derivation links."""
        for blank in self.blank_subjects:
            self.home(blank)
        special = {*self.derived, *self.sources, *self.terms, *self.blank_subjects}
        special |= self.derivations.keys()
        homes = {s: tuple(sorted(self.home(s))) for s in special}
        links = {d: tuple(sorted(names)) for d, names in self.derivations.items()}
        return homes, links


def quad_lines(
    lines: list[bytes], plain: Sequence[ox.Triple], blank: Sequence[ox.Triple]
) -> Iterator[bytes]:
    """Yield the N-Quads lines of the sorted, distinct N-Triples lines of these triples, sorted.

    `plain` holds the triples without blank nodes, `blank` the others.
    """
    homes, links = _Placement(plain, blank).by_token()
    for line in lines:
        end = line.index(b" ")
        subject = line[:end]
        names = homes.get(subject)
        if names is None:
            names = _ONTOLOGY if subject.startswith(_DIP_TOKEN) else _CURATION
        if links and line.startswith(_QUALIFIED_TOKEN, end + 1):
            names = links.get(line[end + 1 + len(_QUALIFIED_TOKEN) : -3], names)
        head = line[:-2]
        for name in names:
            yield head + name + b" .\n"
