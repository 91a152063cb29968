"""Date expressions in a sentence: found by our own patterns, normalised against the story's date.

Values and precisions are `diplomacy_kg.dates.PartialDate`; nothing here guesses a date from a
word that is not a date ("may", "to"), and a relative expression records that it was resolved.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from diplomacy_kg.dates import PartialDate

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_WEEKDAYS = {calendar.day_name[number].lower(): number for number in range(7)}

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day_month_year", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")),
    ("month_day_year", re.compile(rf"\b{_MONTH}\s*{_DAY},?\s+{_YEAR}\b")),
    (
        "day_list_month_year",
        re.compile(
            rf"\b(?P<first>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MONTH}\s+and\s+{_DAY}\s+"
            rf"(?P<month2>January|February|March|April|May|June|July|August|September|October"
            rf"|November|December)\s+{_YEAR}\b"
        ),
    ),
    ("month_day", re.compile(rf"\b{_MONTH}\s*{_DAY}\b(?![,\s]*(?:19|20)\d\d)(?!\s*(?:%|per))")),
    ("day_month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?![,\s]*(?:19|20)\d\d)")),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b")),
    ("last_month_name", re.compile(rf"\b(?P<rel>last|this|next)\s+{_MONTH}\b")),
    ("in_month", re.compile(rf"\b(?:in|since|until|by)\s+{_MONTH}\b(?![\s,]*\d)")),
    ("year", re.compile(rf"\b(?:in|since|of|from|until|by|after|before|a|the)\s+{_YEAR}\b")),
    (
        "relative_word",
        re.compile(
            r"\b(?P<rel>today|yesterday|tomorrow|tonight|this week|last week|next week|last month"
            r"|this month|next month|last year|this year|next year|earlier this year"
            r"|earlier this month|earlier this week)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?P<lead>(?:late|early|on|effective|next|last|this|from|since)\s+)?"
            rf"{_WEEKDAY}\b"
        ),
    ),
]
_FUTURE = re.compile(
    r"\b(will|would|shall|effective|next|to be|plans? to|is to|are to|"
    r"looks? forward|looked forward|expected to|scheduled)\b",
    re.IGNORECASE,
)


# "said Monday": a weekday right after a reporting verb is the day of the report, in the past.
_REPORTED = re.compile(r"\b(?:said|says|announced|told|reported|added|stated|wrote)\s+$")


@dataclass(frozen=True)
class DateMention:
    """A date expression found in the text, and the date (or interval) it stands for."""

    start: int
    end: int
    text: str
    value: PartialDate
    end_value: PartialDate | None
    relative: bool

    def iso(self) -> str:
        """Return `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `start/end` for an interval."""
        if self.end_value is None:
            return str(self.value)
        return f"{self.value}/{self.end_value}"


def find_dates(text: str, start: int, end: int, story_date: date) -> list[DateMention]:
    """Return the date expressions in `text[start:end]`, in order, none overlapping."""
    window = text[start:end]
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for form, pattern in _PATTERNS:
        for match in pattern.finditer(window):
            if any(match.start() < stop and begin < match.end() for begin, stop in taken):
                continue
            mention = _normalise(form, match, window, story_date)
            if mention is None:
                continue
            taken.append((match.start(), match.end()))
            found.append(
                DateMention(
                    start + match.start(),
                    start + match.end(),
                    match.group(),
                    mention[0],
                    mention[1],
                    mention[2],
                )
            )
    return sorted(found, key=lambda mention: mention.start)


def _normalise(
    form: str, match: re.Match[str], window: str, base: date
) -> tuple[PartialDate, PartialDate | None, bool] | None:
    groups = match.groupdict()
    try:
        if form in {"day_month_year", "month_day_year"}:
            value = date(int(groups["year"]), _month(groups["month"]), int(groups["day"]))
            return PartialDate(value, "day"), None, False
        if form == "day_list_month_year":
            year = int(groups["year"])
            first = date(year, _month(groups["month"]), int(groups["first"]))
            second = date(year, _month(groups["month2"]), int(groups["day"]))
            return PartialDate(first, "day"), PartialDate(second, "day"), False
        if form in {"month_day", "day_month"}:
            month, day = _month(groups["month"]), int(groups["day"])
            future = bool(_FUTURE.search(window))
            return PartialDate(_nearest_day(base, month, day, future), "day"), None, True
        if form == "month_year":
            value = date(int(groups["year"]), _month(groups["month"]), 1)
            return PartialDate(value, "month"), None, False
        if form in {"last_month_name", "in_month"}:
            month = _month(groups["month"])
            rel = (groups.get("rel") or "").lower()
            year = _month_year(base, month, rel, bool(_FUTURE.search(window)))
            return PartialDate(date(year, month, 1), "month"), None, True
        if form == "year":
            return PartialDate(date(int(groups["year"]), 1, 1), "year"), None, False
        if form == "relative_word":
            return _relative_word(groups["rel"].lower(), base)
        if form == "weekday":
            lead = (groups.get("lead") or "").strip().lower()
            before = window[: match.start()]
            reported = bool(_REPORTED.search(before))
            future = lead in {"next", "effective"} or (
                lead not in {"last", "since"}
                and not reported
                and bool(_FUTURE.search(before[-50:]))
            )
            return PartialDate(_weekday(base, groups["weekday"], future), "day"), None, True
    except ValueError:
        return None
    return None


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _month_year(base: date, month: int, rel: str, future: bool) -> int:
    if rel == "this":
        return base.year
    if rel == "last" or (rel != "next" and not future):
        return (
            base.year
            if (month <= base.month and rel != "last") or month < base.month
            else (base.year - 1)
        )
    return (
        base.year
        if month > base.month or (month == base.month and rel != "next")
        else (base.year + 1)
    )


def _nearest_day(base: date, month: int, day: int, future: bool) -> date:
    candidate = date(base.year, month, day)
    if future and candidate < base:
        return date(base.year + 1, month, day)
    if not future and candidate > base + timedelta(days=1):
        return date(base.year - 1, month, day)
    return candidate


def _weekday(base: date, name: str, future: bool) -> date:
    target = _WEEKDAYS[name.lower()]
    if future:
        return base + timedelta(days=(target - base.weekday()) % 7 or 7)
    return base - timedelta(days=(base.weekday() - target) % 7)


def _relative_word(word: str, base: date) -> tuple[PartialDate, PartialDate | None, bool]:
    if word in {"today", "tonight"}:
        return PartialDate(base, "day"), None, True
    if word == "yesterday":
        return PartialDate(base - timedelta(days=1), "day"), None, True
    if word == "tomorrow":
        return PartialDate(base + timedelta(days=1), "day"), None, True
    if word.endswith("week"):
        offset = {"last": -7, "next": 7}.get(word.split()[0], 0)
        monday = base - timedelta(days=base.weekday()) + timedelta(days=offset)
        sunday = monday + timedelta(days=6)
        if word.startswith("earlier") or word == "this week":
            sunday = base
        return PartialDate(monday, "day"), PartialDate(sunday, "day"), True
    if word.endswith("month"):
        year, month = base.year, base.month
        if word.startswith("last"):
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        elif word.startswith("next"):
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return PartialDate(date(year, month, 1), "month"), None, True
    offset = {"last year": -1, "next year": 1}.get(word, 0)
    return PartialDate(date(base.year + offset, 1, 1), "year"), None, True
