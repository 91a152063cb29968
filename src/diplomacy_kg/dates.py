"""Partial dates: a value stored as the first day of its period, with its precision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal as TypingLiteral

from rdflib import URIRef

from diplomacy_kg.namespaces import DIP

Precision = TypingLiteral["day", "month", "year"]

_FORMS: dict[str, re.Pattern[str]] = {
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "year": re.compile(r"^(\d{4})$"),
}
PRECISION_IRIS: dict[str, URIRef] = {
    "day": DIP.DayPrecision,
    "month": DIP.MonthPrecision,
    "year": DIP.YearPrecision,
}


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, month or year; `value` is the first day of that period."""

    value: date
    precision: Precision

    @classmethod
    def parse(cls, text: str, precision: str | None = None) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a stated precision must agree with the form."""
        text = text.strip()
        found = [(form, m) for form, p in _FORMS.items() if (m := p.match(text))]
        if not found:
            raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        form, match = found[0]
        if precision is not None and precision != form:
            raise ValueError(f"{text!r} has {form} precision, but {precision!r} is stated")
        numbers = [int(part) for part in match.groups()] + [1, 1]
        try:
            value = date(numbers[0], numbers[1], numbers[2])
        except ValueError as error:
            raise ValueError(f"{text!r} is not a calendar date: {error}") from error
        return cls(value, form)  # type: ignore[arg-type]

    @property
    def precision_iri(self) -> URIRef:
        """Return the ontology individual of this precision."""
        return PRECISION_IRIS[self.precision]

    def __str__(self) -> str:
        """Return the date as written at its precision."""
        iso = self.value.isoformat()
        return {"day": iso, "month": iso[:7], "year": iso[:4]}[self.precision]
