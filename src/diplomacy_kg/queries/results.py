"""The typed rows of a stored query's answer, and their JSON form."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from diplomacy_kg.coverage import Completeness
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.queries.stored import StoredQuery

Value = URIRef | str | int | float | Decimal | bool | PartialDate | datetime | None
"""A typed value in a result row: an IRI, a partial date (a day, month or year), a timestamp, a
number, a boolean, text, or None if unbound."""

DATE_PRECISION_ROLES: dict[str, str] = {
    "when": "when_precision",
    "until": "until_precision",
    "source_date": "source_date_precision",
}
"""Each date role of a `#+ roles` header and the role of the column that holds its precision."""


@dataclass(frozen=True)
class QueryResult:
    """The rows of a stored query: typed values by column, and the raw RDF terms."""

    query: StoredQuery
    columns: list[str]
    rows: list[dict[str, Value]]
    terms: list[tuple[Node | None, ...]]
    bindings: dict[str, Identifier]
    completeness: Completeness = field(
        default_factory=lambda: Completeness(False, "incomplete: not assessed", assessed=False)
    )
    """Whether the answer is complete and why (`.complete`, `.line`, `.as_dict()`)."""

    def __iter__(self) -> Iterator[dict[str, Value]]:
        """Iterate over the typed rows."""
        return iter(self.rows)

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.rows)


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
        if isinstance(value, bool | int | float | Decimal | datetime | str):
            return value
        return str(term)
    return str(term)


def json_value(value: Value) -> object:
    """Return a result value for JSON: numbers and booleans as they are, IRIs and dates as text.

    A decimal is a JSON number when that number reads back as the same value, else its exact
    text (a reader would round it): `Decimal("2.5")` → `2.5`, `Decimal("0.1")` → `0.1`.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        number = float(value)
        exact = math.isfinite(number) and Decimal(repr(number)) == value
        return number if exact else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # a PartialDate at its precision: 1949, 2018-11, 2024-02-14


def precision_columns(roles: Mapping[str, str]) -> dict[str, str]:
    """Return each date column that has a precision column (by the query's roles), with it."""
    return {
        roles[day]: roles[held]
        for day, held in DATE_PRECISION_ROLES.items()
        if day in roles and held in roles
    }


def typed_rows(
    columns: Sequence[str], terms: Sequence[Sequence[Node | None]], roles: Mapping[str, str]
) -> list[dict[str, Value]]:
    """Convert result terms into typed rows, each date at the precision its row states."""
    pairs = precision_columns(roles)
    rows: list[dict[str, Value]] = []
    for row in terms:
        typed = dict(zip(columns, map(to_value, row), strict=True))
        for column, held in pairs.items():
            value = typed.get(column)
            if isinstance(value, PartialDate):
                typed[column] = PartialDate.of(value.value, typed.get(held))
        rows.append(typed)
    return rows
