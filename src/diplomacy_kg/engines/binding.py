"""Binding parameters as typed RDF terms in a `VALUES` block, for engines without initBindings.

Oxigraph's substitutions only bind projected variables, and the SPARQL protocol has no binding
mechanism, so these engines get the values as serialised RDF terms in a `VALUES` block opening
the query's outermost group: the terms are serialised by rdflib (which escapes literals) after
checking IRIs, so no user text reaches the query unescaped. rdflib itself uses initBindings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from diplomacy_kg.errors import DiplomacyKgError

# Characters the SPARQL grammar forbids inside an IRIREF.
_BAD_IRI_CHARACTERS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class BindingError(DiplomacyKgError, ValueError):
    """A value cannot be bound safely."""


def serialize_term(term: Identifier) -> str:
    """Serialise a term as SPARQL text, refusing anything that could escape its token."""
    if isinstance(term, URIRef):
        if _BAD_IRI_CHARACTERS.search(str(term)):
            raise BindingError(f"{str(term)!r} is not a valid IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        return _literal_text(term)
    if isinstance(term, BNode):
        raise BindingError("blank nodes cannot be bound as parameters")
    raise BindingError(f"cannot bind {term!r}")


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _literal_text(literal: Literal) -> str:
    # Always a short "…" string with every quote, backslash and control character escaped:
    # rdflib's n3() picks a long """…""" string for multi-line text and mis-escapes one
    # that ends in a quote, which Oxigraph and endpoints then read differently.
    body = "".join(
        _STRING_ESCAPES.get(c, f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
        for c in str(literal)
    )
    if literal.language:
        if not _LANGUAGE_TAG.match(literal.language):
            raise BindingError(f"{literal.language!r} is not a language tag")
        return f'"{body}"@{literal.language}'
    if literal.datatype is not None:
        return f'"{body}"^^{serialize_term(literal.datatype)}'
    return f'"{body}"'


def _outermost_group_start(sparql: str) -> int:
    """Return the index just after the `{` that opens the query's WHERE group."""
    index, depth = 0, 0
    while index < len(sparql):
        char = sparql[index]
        if char == "#":  # comment to end of line
            newline = sparql.find("\n", index)
            index = len(sparql) if newline < 0 else newline
        elif char == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", sparql[index:]):
            index = sparql.index(">", index)  # an IRI, not a less-than
        elif char in "\"'":
            index = _skip_string(sparql, index)
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "{" and depth == 0:
            return index + 1
        index += 1
    raise BindingError("the query has no WHERE group to bind parameters in")


def _skip_string(sparql: str, start: int) -> int:
    quote = sparql[start]
    long = sparql.startswith(quote * 3, start)
    delimiter = quote * 3 if long else quote
    index = start + len(delimiter)
    while index < len(sparql):
        if sparql[index] == "\\":
            index += 2
            continue
        if sparql.startswith(delimiter, index):
            return index + len(delimiter)
        index += 1
    raise BindingError("the query has an unterminated string")


def inline_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """Return the query with a one-row `VALUES` block binding the given variables."""
    if not bindings:
        return sparql
    names = sorted(bindings)
    for name in names:
        if not _VARIABLE_NAME.match(name):
            raise BindingError(f"{name!r} is not a SPARQL variable name")
    terms = " ".join(serialize_term(bindings[name]) for name in names)
    variables = " ".join(f"?{name}" for name in names)
    at = _outermost_group_start(sparql)
    return f"{sparql[:at]}\n  VALUES ({variables}) {{ ({terms}) }}\n{sparql[at:]}"
