"""Reading a table: CSV rows that remember their file and line, and the errors that name them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.namespaces import DIP


class TableError(DiplomacyKgError):
    """A row of a table is malformed; names the file, the line and the problem."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        super().__init__(f"{path}:{line}: {reason}")


@dataclass(frozen=True)
class Row:
    """One CSV row with the file and line it came from."""

    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        """Return a column's value, stripped."""
        return (self.values.get(column) or "").strip()

    def error(self, reason: str) -> TableError:
        """Return an error that points at this row."""
        return TableError(self.path, self.line, reason)


def read_table(path: Path, required: tuple[str, ...]) -> list[Row]:
    """Read a CSV file into rows, checking that the required columns are there."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:  # a BOM is dropped
            reader = csv.DictReader(stream)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise TableError(path, 1, f"missing column(s): {', '.join(missing)}")
            # DictReader's line_num is the physical line the row ended on.
            return [Row(path, reader.line_num, dict(values)) for values in reader]
    except OSError as error:
        raise TableError(path, 0, f"cannot read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise TableError(path, line, f"not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise TableError(path, 0, f"not valid CSV: {error}") from error


def parse_date(row: Row, column: str, precision: str | None = None) -> PartialDate:
    """Read a row's date (YYYY, YYYY-MM or YYYY-MM-DD, or at the precision given)."""
    try:
        return PartialDate.parse(row[column], precision=precision or None)
    except ValueError as error:
        raise row.error(f"column {column!r}: {error}") from error


def day(row: Row, column: str) -> date:
    """Read a row's date that must be a day (YYYY-MM-DD)."""
    parsed = parse_date(row, column)
    if parsed.precision != "day":
        raise row.error(f"column {column!r}: expected YYYY-MM-DD, got {row[column]!r}")
    return parsed.value


def add_date(graph: Graph, subject: URIRef, which: str, when: PartialDate) -> None:
    """Add a start or end date with its precision."""
    value_property, precision_property = {
        "start": (DIP.startDate, DIP.startPrecision),
        "end": (DIP.endDate, DIP.endPrecision),
    }[which]
    graph.add((subject, value_property, Literal(when.value, datatype=XSD.date)))
    graph.add((subject, precision_property, when.precision_iri))
