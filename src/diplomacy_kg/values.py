"""The Python value of an RDF term in a result row: one home for what each datatype becomes.

IRIs stay IRIs (`URIRef`), plain and language-tagged text becomes `str`, an `xsd:date` a
`PartialDate` (a day; a query's stated precision is applied later), numbers, booleans and
timestamps their Python values, anything else its text. Engines with their own term types
(Oxigraph) convert to the same values without building rdflib terms first, and a test checks
that both routes agree on every term.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from diplomacy_kg.dates import PartialDate

Value = URIRef | str | int | float | Decimal | bool | PartialDate | datetime | None
"""A typed value in a result row: an IRI, a partial date (a day, month or year), a timestamp, a
number, a boolean, text, or None if unbound."""


def to_value(term: Node | None) -> Value:
    """Convert an RDF term into a Python value: IRIs stay IRIs, literals become typed values."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return term
    if isinstance(term, Literal):
        if term.language or term.datatype in (None, XSD.string):
            return str(term)
        value = term.toPython()
        if isinstance(value, date) and not isinstance(value, datetime):
            return PartialDate(value)  # a day; `typed_rows` applies a row's stated precision
        if isinstance(value, bool | int | float | Decimal | datetime) or type(value) is str:
            return value
        return str(term)  # e.g. an xsd:gYear, which rdflib leaves as the literal itself
    return str(term)
