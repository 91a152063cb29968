"""The fast path of N-Triples, N-Quads, Turtle and JSON-LD: Turtle files through Oxigraph.

rdflib needs ~40 s to parse the 1M-triple world and ~35 s to write it; Oxigraph parses and writes
it in seconds. This path parses the files with Oxigraph, gives the blank nodes the canonical
labels of `canonical.py` (a leaf, such as a qualified derivation, by the hash of its content
computed here; any other through rdflib, on the blank-node triples alone) and lets Oxigraph
write the lines, sorted as `serialize` sorts them; `quads_fast.py` places each sorted line in
the named graphs of `named_graphs.py` (the same rules, on Oxigraph terms). Turtle is written
by `turtle_fast.py`, which follows rdflib's Turtle writer step for step; JSON-LD by
`jsonld.document_of`, the code of the rdflib path, on the same plain terms. Each gives
today's bytes exactly.

It gives up (returns None, and the caller takes the rdflib path) wherever the bytes could
differ from rdflib's: a file Oxigraph cannot parse, an RDF 1.2 triple term (rdflib cannot read
it), a literal whose lexical form rdflib would normalise (`"01"^^xsd:integer`), a language tag
rdflib would write differently, or a line with an escape or a control character the two
writers may spell differently. The tests compare both paths byte for byte on the curated
graph, a blank-node fixture, a named-graph fixture and the 100k world.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from diplomacy_kg.engines.oxigraph_engine import from_oxigraph, to_oxigraph
from diplomacy_kg.export.canonical import canonical_triples, leaf_digests, quote_literal
from diplomacy_kg.export.context import dump_json, jsonld_context
from diplomacy_kg.export.jsonld import Term, document_of
from diplomacy_kg.export.quads_fast import quad_lines
from diplomacy_kg.export.reading import read_rdf_files
from diplomacy_kg.export.serialize import serialize
from diplomacy_kg.export.turtle_fast import turtle_bytes

FAST_FORMATS = ("nt", "nquads", "turtle", "jsonld")

_STRING = str(XSD.string)
_PLAIN = frozenset({_STRING, str(RDF.langString)})
# rdflib escapes only \\ " \n \r in a literal; Oxigraph also escapes \t, \b, \f and other
# control characters (\u0007): those are written back raw, as rdflib writes them.
_OTHER_ESCAPE = re.compile(rb'\\[^"\\nr]')
_ESCAPE = re.compile(rb"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_RAW = {b"t": b"\t", b"b": b"\b", b"f": b"\f"}
# Characters str.splitlines() breaks at besides \n and \r: today's writer splits a literal there.
_LINE_BREAKING_BYTES = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85")
_LINE_SEPARATORS = re.compile(rb"\xe2\x80[\xa8\xa9]")  # U+2028, U+2029


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
    with _collector_paused():
        return _fast_serialize(files, fmt)


@contextmanager
def _collector_paused() -> Iterator[None]:
    # A million term objects would trigger the cyclic collector thousands of times, each pass
    # walking every object alive; none of them is part of a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fast_serialize(files: Sequence[Path], fmt: str) -> bytes | None:
    triples = _parse(files)
    if triples is None or not _rdflib_keeps_every_term(triples):
        return None
    plain, blank = _with_canonical_blank_nodes(triples)
    triples = plain + blank
    if fmt == "turtle":
        return turtle_bytes(triples)
    if fmt == "jsonld":
        return dump_json(document_of(_plain_triples(triples), jsonld_context()))
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert isinstance(body, bytes)
    if _OTHER_ESCAPE.search(body):
        body = _ESCAPE.sub(_as_rdflib_writes, body)
    if _breaks_lines(body):
        return None
    lines = sorted(set(body.splitlines(keepends=True)))
    del body
    if fmt == "nt":
        return b"".join(lines)
    return b"".join(quad_lines(lines, plain, blank))


def _breaks_lines(body: bytes) -> bool:
    # One regular expression with all the alternatives scans 100 MB in 2 s; these in 0.1 s.
    if any(characters in body for characters in _LINE_BREAKING_BYTES):
        return True
    return _LINE_SEPARATORS.search(body) is not None


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


def _rdflib_keeps_every_term(triples: Iterable[ox.Triple]) -> bool:
    # rdflib normalises the lexical form of some datatypes and may spell a language tag
    # differently; each distinct (form, datatype) and tag is checked once. It cannot read
    # an RDF 1.2 triple term (`<<( s p o )>>`, always an object), which Oxigraph accepts.
    typed: set[tuple[str, str]] = set()
    languages: set[str] = set()
    for triple in triples:
        obj = triple.object
        if isinstance(obj, ox.Literal):
            if obj.language:
                languages.add(obj.language)
            elif obj.datatype.value not in _PLAIN:
                typed.add((obj.value, obj.datatype.value))
        elif type(obj) is ox.Triple:
            return False
    for value, datatype in typed:
        if str(Literal(value, datatype=URIRef(datatype))) != value:
            return False
    return all(Literal("x", lang=tag).language == tag for tag in languages)


def _with_canonical_blank_nodes(
    triples: list[ox.Triple],
) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """Return the triples without blank nodes, and the others with their canonical labels."""
    blank = ox.BlankNode
    with_blank = [t for t in triples if type(t.subject) is blank or type(t.object) is blank]
    if not with_blank:
        return triples, []
    plain = [t for t in triples if type(t.subject) is not blank and type(t.object) is not blank]
    spo = [(t.subject, t.predicate, t.object) for t in dict.fromkeys(with_blank)]
    del with_blank
    leaves = _leaf_labels(spo)
    relabelled: list[ox.Triple] = []
    part = Graph(bind_namespaces="none")
    for subject, predicate, obj in spo:
        if subject in leaves or obj in leaves:
            relabelled.append(
                ox.Triple(leaves.get(subject, subject), predicate, leaves.get(obj, obj))
            )
        else:
            part.add((from_oxigraph(subject), from_oxigraph(predicate), from_oxigraph(obj)))  # type: ignore[arg-type]
    relabelled += [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in canonical_triples(part)  # the same labels as the rdflib path
    ]
    return plain, relabelled


def _leaf_labels(spo: Sequence[tuple[object, object, object]]) -> dict[object, ox.BlankNode]:
    """`canonical.leaf_digests` on Oxigraph terms: the same labels as the rdflib path."""
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
