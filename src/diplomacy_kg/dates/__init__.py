"""Partial dates, their windows of possible days, and the one rule for "active on day D".

A date known only to the year or month is stored as the first day of its period with its
precision (as Wikidata does) and read as the window of days it may be: `1949` is
1949-01-01…1949-12-31, `2018-11` is 2018-11-01…2018-11-30, a day is itself. Every part of the
project that asks whether something held on a day, overlapped something else or fell in a
window asks this module (or the SPARQL that `diplomacy_kg.dates.sparql` generates from the same
rule): there is no other copy.

The rule (`active_on`): on day D a relation, membership or tie is **active** when its latest
possible start is on or before D and D is before its earliest possible end; **not active** when
D is before its earliest possible start or on or after its latest possible end; **unknown**
otherwise: D inside a start's or end's window, or an undated fact (known only to be active on a
day K, `dip:knownActiveOn`) before K. An end is exclusive: a relation that ended on day E was
active on E - 1 and not on E. A day D given itself as a period (a year, a month) is read as all
its days: active when active on every one, not active when active on none, unknown otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal as TypingLiteral

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplomacy_kg.namespaces import DIP

Precision = TypingLiteral["day", "month", "year"]
Status = TypingLiteral["active", "not active", "unknown"]
"""Whether a fact held on a day: certainly, certainly not, or the data cannot say."""
WindowStatus = TypingLiteral["in window", "possibly in window", "not in window"]
"""Whether a dated point (a start, an end, an event) fell inside a window of days."""
Overlap = TypingLiteral["overlap", "disjoint", "unknown"]
"""Whether two periods share a day: certainly, certainly not, or the data cannot say."""

ACTIVE: Status = "active"
NOT_ACTIVE: Status = "not active"
UNKNOWN: Status = "unknown"
STATUSES: tuple[Status, ...] = (ACTIVE, NOT_ACTIVE, UNKNOWN)
IN_WINDOW: WindowStatus = "in window"
POSSIBLY_IN_WINDOW: WindowStatus = "possibly in window"
NOT_IN_WINDOW: WindowStatus = "not in window"

PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")
"""The precisions, finest first (their index is their coarseness)."""
PRECISION_IRIS: dict[str, URIRef] = {
    "day": DIP.DayPrecision,
    "month": DIP.MonthPrecision,
    "year": DIP.YearPrecision,
}
"""The ontology individual of each precision."""
PRECISION_NAMES: dict[URIRef, Precision] = {
    DIP.DayPrecision: "day",
    DIP.MonthPrecision: "month",
    DIP.YearPrecision: "year",
}
"""The precision each ontology individual stands for."""

PRECISION_PROPERTIES: dict[URIRef, URIRef] = {
    DIP.startDate: DIP.startPrecision,
    DIP.endDate: DIP.endPrecision,
    DIP.date: DIP.datePrecision,
    DIP.assertedDate: DIP.assertedPrecision,
}
"""Each of the ontology's date properties and the property that holds its precision."""

WIKIDATA_PRECISIONS: dict[int, Precision] = {9: "year", 10: "month", 11: "day"}
"""Wikidata's time precisions that the model keeps (finer ones are read as day)."""

_FORMS: dict[str, re.Pattern[str]] = {
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII),
    "month": re.compile(r"^(\d{4})-(\d{2})$", re.ASCII),
    "year": re.compile(r"^(\d{4})$", re.ASCII),  # ASCII: not Arabic-Indic or full-width digits
}


def coarser(first: Precision, second: Precision) -> Precision:
    """Return the coarser of two precisions (year over month over day)."""
    return first if PRECISIONS.index(first) >= PRECISIONS.index(second) else second


def precision_named(term: object, default: Precision = "day") -> Precision:
    """Read a precision from its ontology IRI or its name; anything else is `default`."""
    if isinstance(term, URIRef):
        return PRECISION_NAMES.get(term, default)
    if isinstance(term, str) and term in PRECISIONS:
        return term
    return default


def wikidata_precision(level: int) -> Precision:
    """Return the precision of a Wikidata time precision code of 9 (year) or finer."""
    if level < 9:
        raise ValueError(f"Wikidata precision {level} is coarser than a year")
    return WIKIDATA_PRECISIONS.get(level, "day")


def floor(day: date, precision: Precision) -> date:
    """Return the first day of the period of that precision that holds `day`."""
    if precision == "year":
        return date(day.year, 1, 1)
    if precision == "month":
        return date(day.year, day.month, 1)
    return day


def period_after(day: date, precision: Precision) -> date:
    """Return the first day after the period of that precision that holds `day`."""
    if precision == "year":
        return date(day.year + 1, 1, 1)
    if precision == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + timedelta(days=1)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, month or year; `value` is the first day of that period."""

    value: date
    precision: Precision = "day"

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

    @classmethod
    def of(cls, value: date, precision: object = None) -> PartialDate:
        """Return the date at a precision given as an IRI or a name (None: day), floored to it."""
        chosen = precision_named(precision)
        return cls(floor(value, chosen), chosen)

    @classmethod
    def from_terms(cls, value: object, precision: object = None) -> PartialDate | None:
        """Read a stored date literal (or `date`) and its precision IRI; None if not a date."""
        if isinstance(value, Literal):
            value = value.toPython()
        if not isinstance(value, date):
            return None
        return cls.of(value, precision)

    @property
    def earliest(self) -> date:
        """The first day the date may be."""
        return self.value

    @property
    def latest(self) -> date:
        """The last day the date may be."""
        return period_after(self.value, self.precision) - timedelta(days=1)

    @property
    def precision_iri(self) -> URIRef:
        """Return the ontology individual of this precision."""
        return PRECISION_IRIS[self.precision]

    @property
    def literal(self) -> Literal:
        """The stored form: the first day of the period as an `xsd:date`."""
        return Literal(self.value.isoformat(), datatype=XSD.date)

    def contains(self, day: date) -> bool:
        """Whether `day` is one of the days this date may be."""
        return self.earliest <= day <= self.latest

    def same_period(self, other: PartialDate) -> bool:
        """Whether the two dates agree at the coarser of their precisions (1949 and 1949-06-01)."""
        level = coarser(self.precision, other.precision)
        return floor(self.value, level) == floor(other.value, level)

    def __str__(self) -> str:
        """Return the date as written at its precision: 1949, 2018-11, 2024-02-14."""
        iso = self.value.isoformat()
        return {"day": iso, "month": iso[:7], "year": iso[:4]}[self.precision]


DayOrPeriod = date | PartialDate
"""A day, or a period of days (every day of a year or month) to ask about."""


def _bounds(day: DayOrPeriod) -> tuple[date, date]:
    if isinstance(day, PartialDate):
        return day.earliest, day.latest
    return day, day


def active_on(
    start: PartialDate | None,
    end: PartialDate | None,
    day: DayOrPeriod,
    known_active_on: date | None = None,
) -> Status:
    """Say whether a fact with this start, end and known-active day held on `day` (the rule)."""
    first, last = _bounds(day)
    if start is not None and last < start.earliest:
        return NOT_ACTIVE
    if end is not None and end.latest <= first:
        return NOT_ACTIVE
    if start is not None:
        started = start.latest <= first
    else:
        started = known_active_on is not None and known_active_on <= first
    if started and (end is None or last < end.earliest):
        return ACTIVE
    return UNKNOWN


def in_window(when: PartialDate, first: DayOrPeriod, last: DayOrPeriod) -> WindowStatus:
    """Say whether a dated point fell in the window from `first` to `last`, both inclusive.

    Each bound is read as its whole period (`last` 1992 includes 1992-12-31); a point whose own
    window straddles a bound is possibly in the window.
    """
    start, _ = _bounds(first)
    _, stop = _bounds(last)
    if when.latest < start or stop < when.earliest:
        return NOT_IN_WINDOW
    if start <= when.earliest and when.latest <= stop:
        return IN_WINDOW
    return POSSIBLY_IN_WINDOW


def check_window(first: PartialDate, last: PartialDate) -> None:
    """Raise ValueError when a window ends before it starts."""
    if last.latest < first.earliest:
        raise ValueError(f"the window {first} to {last} ends before it starts")


def overlap(
    start: PartialDate | None,
    end: PartialDate | None,
    other_start: PartialDate | None,
    other_end: PartialDate | None,
) -> Overlap:
    """Say whether two periods (ends exclusive, None start: unknown, None end: open) share a day."""
    if start is None or other_start is None:
        return "unknown"
    if (other_end is not None and other_end.latest <= start.earliest) or (
        end is not None and end.latest <= other_start.earliest
    ):
        return "disjoint"
    if (other_end is None or start.latest < other_end.earliest) and (
        end is None or other_start.latest < end.earliest
    ):
        return "overlap"
    return "unknown"


RULE_TEXT = (
    "A date known to the year or month is read as the window of days it may be (1949 is "
    "1949-01-01 to 1949-12-31; 2018-11 is 2018-11-01 to 2018-11-30); a date given as a "
    "parameter is read the same way, as all its days. On day D a relation, a membership or a "
    "tie is active when its latest possible start is on or before D and D is before its "
    "earliest possible end; not active when D is before its earliest possible start or on or "
    "after its latest possible end; unknown otherwise (D inside a start's or end's window). An "
    "end is exclusive: 1949-1959 is active from 1949-12-31 to 1958-12-31, unknown on the other "
    "days of 1949 and 1959, and not active before 1949 or from 1959-12-31 on. Without a start "
    "date it is active from its dip:knownActiveOn day K on and unknown before K; without an "
    "end it stays active."
)
"""The rule in words, as every date-bound stored query's `as-of` header states it."""
