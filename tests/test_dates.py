"""Partial dates."""

from __future__ import annotations

from datetime import date

import pytest

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import DIP


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
