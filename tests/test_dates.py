"""Partial dates."""

from __future__ import annotations

from datetime import date

import pytest

from diplomacy_kg import dates
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import DIP
from edges import CUBA_1949_EDGES


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("1949", date(1949, 1, 1), "year"),
        ("2018-11", date(2018, 11, 1), "month"),
        ("2024-02-14", date(2024, 2, 14), "day"),
    ],
)
def test_a_partial_date_is_the_first_day_of_its_period(
    text: str, value: date, precision: str
) -> None:
    parsed = PartialDate.parse(text)
    assert (parsed.value, parsed.precision, str(parsed)) == (value, precision, text)


@pytest.mark.parametrize(
    "text", ["", "24-02-14", "2024-2-14", "2024-13", "2024-02-30", "1949/1959", "2024-02-14T00:00"]
)
def test_anything_else_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_a_stated_precision_must_agree_with_the_form() -> None:
    assert PartialDate.parse("1984-07", "month").precision_iri == DIP.MonthPrecision
    with pytest.raises(ValueError, match="month precision"):
        PartialDate.parse("1984-07", "day")


def test_a_partial_date_is_the_window_of_days_it_may_be() -> None:
    assert (PartialDate.parse("1949").earliest, PartialDate.parse("1949").latest) == (
        date(1949, 1, 1),
        date(1949, 12, 31),
    )
    assert PartialDate.parse("2018-11").latest == date(2018, 11, 30)
    assert PartialDate.parse("2024-02").latest == date(2024, 2, 29)  # a leap year
    assert PartialDate.parse("2023-12").latest == date(2023, 12, 31)
    day = PartialDate.parse("2024-02-14")
    assert day.earliest == day.latest == date(2024, 2, 14)


def test_precisions_are_read_from_their_iris_and_compared() -> None:
    assert PartialDate.of(date(1949, 6, 3), DIP.YearPrecision) == PartialDate.parse("1949")
    assert PartialDate.of(date(1949, 6, 3)) == PartialDate(date(1949, 6, 3), "day")
    assert dates.coarser("day", "year") == dates.coarser("year", "month") == "year"
    assert PartialDate.parse("1949").same_period(PartialDate.parse("1949-06-03"))
    assert not PartialDate.parse("1949-05").same_period(PartialDate.parse("1949-06-03"))


CUBA_1949 = (PartialDate.parse("1949"), PartialDate.parse("1959"))


@pytest.mark.parametrize(
    ("day", "status"),
    [
        *CUBA_1949_EDGES,
        # a day given as a period: active only when active on every one of its days
        ("1949", "unknown"),
        ("1955", "active"),
        ("1959", "unknown"),
        ("1960", "not active"),
    ],
)
def test_cuba_and_south_korea_1949_1959_on_the_edges(day: str, status: str) -> None:
    start, end = CUBA_1949
    asked = PartialDate.parse(day)
    on = asked.value if asked.precision == "day" else asked
    assert dates.active_on(start, end, on) == status


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2018-10-31", "not active"),
        ("2018-11-01", "unknown"),
        ("2018-11-30", "active"),
        ("2018-12-01", "active"),
    ],
)
def test_a_month_precision_start_is_unknown_inside_its_month(day: str, status: str) -> None:
    assert dates.active_on(PartialDate.parse("2018-11"), None, date.fromisoformat(day)) == status


@pytest.mark.parametrize(
    ("first", "last", "status"),
    [
        ("2018-11-01", "2018-11-30", "in window"),
        ("2018", "2018", "in window"),
        ("2018-11-15", "2019", "possibly in window"),
        ("2017", "2018-11-15", "possibly in window"),
        ("2018-12", "2019", "not in window"),
        ("2018-01", "2018-10", "not in window"),
    ],
)
def test_a_month_precision_event_in_a_window(first: str, last: str, status: str) -> None:
    visit = PartialDate.parse("2018-11")  # the Cuban president's visit to Pyongyang
    assert dates.in_window(visit, PartialDate.parse(first), PartialDate.parse(last)) == status


def test_an_undated_fact_is_unknown_before_its_known_active_day() -> None:
    known = date(2019, 7, 30)
    assert dates.active_on(None, None, date(2019, 7, 29), known) == "unknown"
    assert dates.active_on(None, None, date(2019, 7, 30), known) == "active"
    assert dates.active_on(None, PartialDate.parse("2020"), date(2021, 1, 1), known) == (
        "not active"
    )
    assert dates.active_on(None, None, date(2019, 7, 30)) == "unknown"  # neither start nor day


def test_an_end_is_exclusive() -> None:
    start, end = PartialDate.parse("2000-06-15"), PartialDate.parse("2010-06-15")
    assert dates.active_on(start, end, date(2010, 6, 14)) == "active"
    assert dates.active_on(start, end, date(2010, 6, 15)) == "not active"


def test_two_periods_overlap_certainly_possibly_or_not() -> None:
    year = PartialDate.parse
    assert dates.overlap(year("1949"), year("1959"), year("2024-02-14"), None) == "disjoint"
    assert dates.overlap(year("1949"), year("1959"), year("1955"), None) == "overlap"
    assert dates.overlap(year("1949"), year("1959"), year("1959-06-01"), None) == "unknown"
    assert dates.overlap(year("1949"), year("1959-01-01"), year("1959-01-01"), None) == ("disjoint")
    assert dates.overlap(None, None, year("1955"), None) == "unknown"


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    dates.check_window(PartialDate.parse("1992"), PartialDate.parse("1992-06"))
    with pytest.raises(ValueError, match="ends before it starts"):
        dates.check_window(PartialDate.parse("1993"), PartialDate.parse("1992"))
