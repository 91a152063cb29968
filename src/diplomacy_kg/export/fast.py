"""The fast path of N-Triples, N-Quads, Turtle and JSON-LD: Turtle files through Oxigraph.

rdflib needs ~40 s to parse the 1M-triple world and ~35 s to write it; Oxigraph parses and writes
it in seconds. This path parses the files with Oxigraph, gives the blank nodes the canonical
labels of `canonical.py` (a leaf, such as a qualified derivation, by the hash of its content
computed here; any other through rdflib, on the blank-node triples alone), places each triple in
the named graphs of `named_graphs.py` (the same rules, on Oxigraph terms) and lets Oxigraph
write the lines, sorted as `serialize` sorts them. Turtle is written by `turtle_fast.py`, which
follows rdflib's Turtle writer step for step; JSON-LD by `jsonld.document_of`, the code of the
rdflib path, on the same plain terms. Each gives today's bytes exactly.

It gives up (returns None, and the caller takes the rdflib path) wherever the bytes could
differ from rdflib's: a file Oxigraph cannot parse, a literal whose lexical form rdflib would
normalise (`"01"^^xsd:integer`), a language tag rdflib would write differently, or a line with
an escape or a control character the two writers may spell differently. The tests compare both
paths byte for byte on the curated graph, a blank-node fixture and the 100k world.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from diplomacy_kg.engines.oxigraph_engine import from_oxigraph, to_oxigraph
from diplomacy_kg.export.canonical import canonical_triples, leaf_digests, quote_literal
from diplomacy_kg.export.context import dump_json, jsonld_context
from diplomacy_kg.export.jsonld import Term, document_of
from diplomacy_kg.export.named_graphs import (
    CURATION_GRAPH,
    ONTOLOGY_GRAPH,
    TERM_TYPES,
    source_graph_iri,
)
from diplomacy_kg.export.reading import read_rdf_files
from diplomacy_kg.export.serialize import serialize
from diplomacy_kg.export.turtle_fast import turtle_bytes
from diplomacy_kg.namespaces import DIP

FAST_FORMATS = ("nt", "nquads", "turtle", "jsonld")

_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_QUALIFIED = ox.NamedNode(str(PROV.qualifiedDerivation))
_ENTITY = ox.NamedNode(str(PROV.entity))
_TYPE = ox.NamedNode(str(RDF.type))
_TERM_TYPES = frozenset(ox.NamedNode(str(kind)) for kind in TERM_TYPES)
_STRING = str(XSD.string)
_PLAIN = frozenset({_STRING, str(RDF.langString)})
_DIP = str(DIP)
# rdflib escapes only \\ " \n \r in a literal; Oxigraph also escapes \t, \b, \f and other
# control characters (\u0007): those are written back raw, as rdflib writes them.
_OTHER_ESCAPE = re.compile(rb'\\[^"\\nr]')
_ESCAPE = re.compile(rb"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_RAW = {b"t": b"\t", b"b": b"\b", b"f": b"\f"}
# Characters str.splitlines() breaks at besides \n and \r: today's writer splits a literal there.
_LINE_BREAKING = re.compile(rb"[\x0b\x0c\x1c-\x1e]|\xc2\x85|\xe2\x80[\xa8\xa9]")


def serialize_files(
    files: Sequence[Path], fmt: str, *, allow_remote_context: bool = False
) -> bytes:
    """Serialise RDF files: through Oxigraph where that gives today's bytes, else through rdflib."""
    fast = fast_serialize_files(files, fmt)
    if fast is not None:
        return fast
    return serialize(read_rdf_files(files, allow_remote_context=allow_remote_context), fmt)


def fast_serialize_files(files: Sequence[Path], fmt: str) -> bytes | None:
    """Return the `fmt` export of these Turtle files as `serialize` writes it, or None."""
    if fmt not in FAST_FORMATS or not files:
        return None
    triples = _parse(files)
    if triples is None or not _rdflib_keeps_every_literal(triples):
        return None
    triples = _with_canonical_blank_nodes(triples)
    if fmt == "turtle":
        return turtle_bytes(triples)
    if fmt == "jsonld":
        return dump_json(document_of(_plain_triples(triples), jsonld_context()))
    if fmt == "nt":
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    else:
        body = ox.serialize(_quads(triples), format=ox.RdfFormat.N_QUADS)
    assert isinstance(body, bytes)
    if _OTHER_ESCAPE.search(body):
        body = _ESCAPE.sub(_as_rdflib_writes, body)
    if _LINE_BREAKING.search(body):
        return None
    return b"".join(sorted(set(body.splitlines(keepends=True))))


def _as_rdflib_writes(escape: re.Match[bytes]) -> bytes:
    code = escape.group(1)
    if code in (b"\\", b'"', b"n", b"r"):
        return escape.group(0)
    if code in _RAW:
        return _RAW[code]
    if code[:1] in (b"u", b"U") and len(code) > 1:
        return chr(int(code[1:], 16)).encode("utf-8")
    return escape.group(0)


def _parse(files: Iterable[Path]) -> list[ox.Triple] | None:
    triples: list[ox.Triple] = []
    for path in files:
        if path.suffix.lower() != ".ttl":
            return None
        try:
            # No base IRI: a relative IRI is an error, never the file's local path.
            parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            triples.extend(quad.triple for quad in parsed)
        except (OSError, SyntaxError, ValueError, MemoryError):
            return None  # the rdflib path reports the error at its file and line
    return triples


def _rdflib_keeps_every_literal(triples: Iterable[ox.Triple]) -> bool:
    # rdflib normalises the lexical form of some datatypes and may spell a language tag
    # differently; each distinct (form, datatype) and tag is checked once.
    typed: set[tuple[str, str]] = set()
    languages: set[str] = set()
    for triple in triples:
        obj = triple.object
        if isinstance(obj, ox.Literal):
            if obj.language:
                languages.add(obj.language)
            elif obj.datatype.value not in _PLAIN:
                typed.add((obj.value, obj.datatype.value))
    for value, datatype in typed:
        if str(Literal(value, datatype=URIRef(datatype))) != value:
            return False
    return all(Literal("x", lang=tag).language == tag for tag in languages)


def _with_canonical_blank_nodes(triples: list[ox.Triple]) -> list[ox.Triple]:
    blank_triples = list(
        dict.fromkeys(t for t in triples if _is_blank(t.subject) or _is_blank(t.object))
    )
    if not blank_triples:
        return triples
    leaves = _leaf_labels(blank_triples)
    plain: list[ox.Triple] = []
    part = Graph(bind_namespaces="none")
    for triple in triples:
        subject, obj = triple.subject, triple.object
        if not _is_blank(subject) and not _is_blank(obj):
            plain.append(triple)
        elif subject in leaves or obj in leaves:
            plain.append(
                ox.Triple(leaves.get(subject, subject), triple.predicate, leaves.get(obj, obj))
            )
        else:
            part.add(tuple(from_oxigraph(term) for term in triple))  # type: ignore[arg-type]
    if not part:
        return plain
    canonical = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in canonical_triples(part)  # the same labels as the rdflib path
    ]
    return plain + canonical


def _leaf_labels(blank_triples: list[ox.Triple]) -> dict[object, ox.BlankNode]:
    """`canonical.leaf_digests` on Oxigraph terms: the same labels as the rdflib path."""
    spo = ((t.subject, t.predicate, t.object) for t in blank_triples)
    digests = leaf_digests(spo, _is_blank, _n3)
    return {blank: ox.BlankNode(digest) for blank, digest in digests.items()}


_RDFLIB_N3 = frozenset({str(XSD.double), str(XSD.float), str(XSD.decimal)})


def _n3(term: object) -> str:
    """Write a term as rdflib's `n3()` writes the same term."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language:
            return f"{quote_literal(term.value)}@{term.language}"
        if datatype == _STRING:
            return quote_literal(term.value)
        if datatype in _RDFLIB_N3:
            return Literal(term.value, datatype=URIRef(datatype)).n3()
        return f"{quote_literal(term.value)}^^<{datatype}>"
    node = from_oxigraph(term)
    assert node is not None
    return node.n3()


def _plain_triples(triples: list[ox.Triple]) -> Iterator[tuple[Term, str, Term]]:
    """Yield each distinct triple once as plain terms, emptying the list as it goes.

    The document does not depend on the order (keys, values and nodes are sorted), so the
    Oxigraph triples are dropped as they are read: at 1M they would double the peak memory.
    """
    distinct = dict.fromkeys(triples)  # a triple stated twice is one, as in rdflib
    triples.clear()
    while distinct:
        triple, _ = distinct.popitem()
        yield _plain(triple.subject), triple.predicate.value, _plain(triple.object)


def _plain(term: object) -> Term:
    """Return an Oxigraph term as the plain term `jsonld.document_of` reads."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return (term.value, "" if datatype in _PLAIN else datatype, term.language or "")
    raise TypeError(f"cannot write {term!r} as JSON-LD")


def _is_blank(term: object) -> bool:
    return isinstance(term, ox.BlankNode)


def _graph_of(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(source_graph_iri(URIRef(getattr(term, "value", str(term))))))


def _quads(triples: list[ox.Triple]) -> Iterator[ox.Quad]:
    """Place each triple in its named graphs, by the rules of `named_graphs.split_by_source`."""
    derived: dict[object, list[object]] = defaultdict(list)
    kinds: dict[object, set[object]] = defaultdict(set)
    referrers: dict[object, set[object]] = defaultdict(set)
    qualified: set[object] = set()
    entities: dict[object, set[ox.NamedNode]] = defaultdict(set)
    for triple in triples:
        if triple.predicate == _QUALIFIED:
            qualified.add(triple.object)
        elif triple.predicate == _ENTITY:
            entities[triple.subject].add(_graph_of(triple.object))
        if triple.predicate == _DERIVED:
            derived[triple.subject].append(triple.object)
        elif triple.predicate == _TYPE:
            kinds[triple.subject].add(triple.object)
        if _is_blank(triple.object):
            referrers[triple.object].add(triple.subject)
    sources = {source for objects in derived.values() for source in objects}
    ontology, curation = ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(CURATION_GRAPH))
    homes: dict[object, set[ox.NamedNode]] = {}
    for subject in {triple.subject for triple in triples}:
        if _is_blank(subject):
            continue
        names = {_graph_of(source) for source in derived.get(subject, ())}
        if subject in sources:
            names.add(_graph_of(subject))
        if not names:
            term = isinstance(subject, ox.NamedNode) and subject.value.startswith(_DIP)
            names = {ontology if term or kinds.get(subject, set()) & _TERM_TYPES else curation}
        homes[subject] = names
    # A qualified derivation goes, with the link to it, in the graph of its own source only.
    derivations = {d: entities[d] for d in qualified if entities.get(d)}
    homes.update(derivations)

    def blank_homes(blank: object, visiting: set[object]) -> set[ox.NamedNode]:
        if blank in homes:
            return homes[blank]
        visiting.add(blank)
        names: set[ox.NamedNode] = set()
        for referrer in referrers.get(blank, ()):
            if referrer not in visiting:
                names |= blank_homes(referrer, visiting)
        homes[blank] = names or {curation}
        return homes[blank]

    # A generator: Oxigraph writes each quad as it comes, so a million of them never sit in a list.
    for triple in triples:
        subject = triple.subject
        if triple.predicate == _QUALIFIED and triple.object in derivations:
            names = derivations[triple.object]
        else:
            names = homes[subject] if subject in homes else blank_homes(subject, set())
        for name in names:
            yield ox.Quad(subject, triple.predicate, triple.object, name)
