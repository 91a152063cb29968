"""Blank nodes with canonical labels, so the same graph always gives the same bytes.

The triples that mention a blank node are relabelled with `rdflib.compare.to_canonical_graph`
(labels are hashes of each blank node's neighbourhood), so a blank node keeps its label while
its own triples do not change. Only those triples are canonicalised, which keeps a large graph
with few blank nodes fast; a blank node that one IRI subject points at and that holds no other
(a qualified derivation) is labelled by a hash of its content, which keeps many of them fast.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

T = TypeVar("T", bound=Hashable)


def canonical_triples(graph: Graph) -> Graph:
    """Return the graph with blank nodes relabelled canonically (itself when it has none)."""
    with_blank = [t for t in graph if any(isinstance(term, BNode) for term in t)]
    if not with_blank:
        return graph
    leaves = _leaf_labels(with_blank)
    blank_part = Graph()
    result = Graph(bind_namespaces="none")
    for triple in with_blank:
        s, p, o = triple
        if s in leaves or o in leaves:
            result.add((leaves.get(s, s), p, leaves.get(o, o)))
        else:
            blank_part.add(triple)
    for triple in graph:
        if not any(isinstance(term, BNode) for term in triple):
            result.add(triple)
    for triple in to_canonical_graph(blank_part):
        result.add(triple)
    return result


def _leaf_labels(with_blank: list[tuple[Node, Node, Node]]) -> dict[Node, BNode]:
    digests = leaf_digests(with_blank, lambda term: isinstance(term, BNode), lambda t: t.n3())
    return {blank: BNode(digest) for blank, digest in digests.items()}


def leaf_digests(
    triples: Iterable[tuple[T, T, T]], is_blank: Callable[[T], bool], n3: Callable[[T], str]
) -> dict[T, str]:
    """Label, by content, each blank node that one IRI subject points at and that holds no other.

    Such a leaf (a qualified derivation: its source, quote and locator) is identified by its
    referrer, the linking property and its own triples, so its label is a hash of those; the
    generic canonicalisation, slow on hundreds of blank nodes, is left for the rest. Leaves
    with the same content under the same referrer are left to it too. The terms may be rdflib's
    or Oxigraph's: `is_blank` and `n3` (written as rdflib's `n3()` writes) read them.
    """
    referrers: dict[T, list[tuple[T, T]]] = defaultdict(list)
    contents: dict[T, list[str]] = defaultdict(list)
    nested: set[T] = set()
    for s, p, o in triples:
        if is_blank(o):
            referrers[o].append((s, p))
            if is_blank(s):
                nested.update((s, o))
        elif is_blank(s):
            contents[s].append(f"{n3(p)} {n3(o)}")
    labels: dict[T, str] = {}
    seen: dict[str, T] = {}
    clashing: set[T] = set()
    for blank, refs in referrers.items():
        if blank in nested or len(refs) != 1 or blank not in contents:
            continue
        ((subject, predicate),) = refs
        digest = leaf_digest(n3(subject), n3(predicate), contents[blank])
        if digest in seen:
            clashing |= {blank, seen[digest]}
        seen[digest] = blank
        labels[blank] = digest
    return {b: label for b, label in labels.items() if b not in clashing}


def leaf_digest(subject: str, predicate: str, contents: list[str]) -> str:
    """Return the label of a leaf blank node from its referrer, link and `p o` lines (N3)."""
    key = "\n".join([subject, predicate, *sorted(contents)])
    return "d" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def quote_literal(text: str) -> str:
    """Quote a literal's text exactly as rdflib's `Literal._quote_encode` does."""
    if "\n" in text:
        encoded = text.replace("\\", "\\\\")
        if '"""' in text:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + "\\" + '"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    escaped = text.replace("\n", "\\n").replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "\\r") + '"'
