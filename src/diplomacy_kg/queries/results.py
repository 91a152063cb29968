"""The typed rows of a stored query's answer, and their JSON form."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from rdflib.term import Identifier, Node

from diplomacy_kg.coverage import Completeness
from diplomacy_kg.dates import PartialDate, precision_named
from diplomacy_kg.engines import ResultTable
from diplomacy_kg.queries.stored import StoredQuery
from diplomacy_kg.values import Value

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
    table: ResultTable = field(repr=False)
    """The engine's answer, whose terms are built only when `terms` is read."""
    bindings: dict[str, Identifier]
    completeness: Completeness = field(
        default_factory=lambda: Completeness(False, "incomplete: not assessed", assessed=False)
    )
    """Whether the answer is complete and why (`.complete`, `.line`, `.as_dict()`)."""

    @property
    def terms(self) -> list[tuple[Node | None, ...]]:
        """The rows as the RDF terms the engine returned (None where unbound)."""
        return self.table.rows

    def __iter__(self) -> Iterator[dict[str, Value]]:
        """Iterate over the typed rows."""
        return iter(self.rows)

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.rows)


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
    columns: Sequence[str], values: Sequence[Sequence[Value]], roles: Mapping[str, str]
) -> list[dict[str, Value]]:
    """Name each row's values by column, each date at the precision its row states."""
    pairs = precision_columns(roles)
    rows: list[dict[str, Value]] = []
    for row in values:
        typed = dict(zip(columns, row, strict=True))
        for column, held in pairs.items():
            value = typed.get(column)
            if isinstance(value, PartialDate):
                precision = precision_named(typed.get(held))
                # A day stays itself at day precision: most dates are, and each copy costs ~1 µs.
                if precision != "day" or value.precision != "day":
                    typed[column] = PartialDate.of(value.value, precision)
        rows.append(typed)
    return rows
