"""The rule of `diplomacy_kg.dates` written as SPARQL, for stored queries and shapes.

SPARQL 1.1 has no portable way to find the last day of a stored year or month, so the rule is
written against a few days derived from each date parameter, which the caller binds beside it
(`derived_bindings`; `diplomacy_kg.queries` does so for every `date` parameter). For a parameter
`?date` read as the days `a`…`b` (a day: `a` = `b`):

- `?date` is `a`; `?date_last` is `b`;
- `?date_after_{day,month,year}` is the first day of the day, month or year that holds the day
  after `a`: a stored date `?s` of that precision (its first day) has its latest possible day on
  or before `a` exactly when `?s < ?date_after_<precision>`;
- `?date_last_after_{day,month,year}` is the same for `b`;
- `?date_floor_{day,month,year}` is the first day of the day, month or year holding `a`: a date of
  that precision has its latest possible day before `a` exactly when it is before this day.

Stored queries hold the generated text between a `# rule:` line, which names the rule and its
variables, and the `AS ?var)` that ends it; `drift` lists every block that differs from what
this module generates, and `refresh` rewrites them (the tests fail on any drift).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta

from rdflib import Literal
from rdflib.namespace import XSD

from diplomacy_kg.dates import PartialDate, floor

_LEVELS = ("day", "month", "year")
_DAY = timedelta(days=1)
DERIVED_SUFFIXES: tuple[str, ...] = (
    "_last",
    *(f"_after_{level}" for level in _LEVELS),
    *(f"_last_after_{level}" for level in _LEVELS),
    "_floor_day",
    "_floor_month",
    "_floor_year",
)
"""The suffixes of the days derived from a date parameter (see the module's docstring)."""


def _literal(day: object) -> Literal:
    return Literal(str(day), datatype=XSD.date)


def derived_bindings(name: str, value: PartialDate) -> dict[str, Literal]:
    """Return the days derived from the date parameter `name` bound to `value`, by variable."""
    first, last = value.earliest, value.latest
    days = {
        f"{name}_last": last,
        f"{name}_floor_day": first,
        f"{name}_floor_month": floor(first, "month"),
        f"{name}_floor_year": floor(first, "year"),
    }
    for level in _LEVELS:
        days[f"{name}_after_{level}"] = floor(first + _DAY, level)  # type: ignore[arg-type]
        days[f"{name}_last_after_{level}"] = floor(last + _DAY, level)  # type: ignore[arg-type]
    return {variable: _literal(day.isoformat()) for variable, day in days.items()}


def _latest_before(value: str, subject: str | None, precision: str | None, cut: str) -> str:
    """`latest possible day of ?value < ?<cut>_<precision>` as SPARQL.

    `?<cut>_year` <= `?<cut>_month` <= `?<cut>_day`, so the stored precision is looked up
    (`EXISTS`, an index probe) only for a value between the year's and the day's cut: plans
    keep their shape and no left join over every precision triple is added. Written with IF,
    not `||` and `&&`: rdflib evaluates every operand of those (each EXISTS on every row, 41%
    of `un-members-without-relations` at 100k), but only the branch IF takes. The value is a
    bound `xsd:date` (the shapes say so), so no operand is an error and both forms agree.
    """
    if subject is None or precision is None:
        return f"?{value} < ?{cut}_day"
    year = f"EXISTS {{ ?{subject} {precision} dip:YearPrecision }}"
    month = f"EXISTS {{ ?{subject} {precision} dip:MonthPrecision }}"
    return (
        f"IF(?{value} < ?{cut}_year, true, IF(?{value} < ?{cut}_day, IF({year}, false,"
        f" IF(?{value} < ?{cut}_month, true, !{month})), false))"
    )


def status_on(
    *,
    day: str,
    start: str | None,
    subject: str | None = None,
    start_precision: str | None = None,
    end: str | None = None,
    end_precision: str | None = None,
    known_active_on: str | None = None,
) -> str:
    """Return a SPARQL expression: "active", "not active" or "unknown" on the day `?<day>`.

    `start`, `end` and `known_active_on` are variables of `?<subject>`; `start_precision` and
    `end_precision` the properties that give their precision (absent: day).
    """
    gone = []
    if start:
        gone.append(f"(BOUND(?{start}) && ?{day}_last < ?{start})")
    if end:
        ended = _latest_before(end, subject, end_precision, f"{day}_after")
        gone.append(f"(BOUND(?{end}) && {ended})")
    known = (
        f"(BOUND(?{known_active_on}) && ?{known_active_on} <= ?{day})" if known_active_on else None
    )
    if start:
        begun = _latest_before(start, subject, start_precision, f"{day}_after")
        started = f"IF(BOUND(?{start}), {begun}, {known or 'false'})"
    else:
        started = known or "false"
    held = [started] + ([f"(!BOUND(?{end}) || ?{day}_last < ?{end})"] if end else [])
    return (
        f'IF({" || ".join(gone) or "false"}, "not active",\n'
        f'     IF({" && ".join(held)}, "active", "unknown"))'
    )


def window_status(
    *, when: str, first: str, last: str, subject: str | None = None, precision: str | None = None
) -> str:
    """Return a SPARQL expression placing the dated `?<when>` in the window `?<first>`…`?<last>`.

    "in window", "possibly in window" or "not in window"; both bounds are read as their whole
    periods (a `last` of 1992 includes 1992-12-31). `precision` is the property of `?<subject>`
    that gives the precision of `?<when>` (absent: day).
    """
    before = _latest_before(when, subject, precision, f"{first}_floor")
    through = _latest_before(when, subject, precision, f"{last}_last_after")
    return (
        f'IF(?{last}_last < ?{when} || {before}, "not in window",\n'
        f'     IF(?{first} <= ?{when} && {through}, "in window", "possibly in window"))'
    )


def day_bounds(*, day: str, into: str) -> str:
    """Return BINDs that derive, inside SPARQL, the days `derived_bindings` gives for a day.

    For shapes, which cannot have bindings passed in: `?<day>` (an `xsd:date`, read as a day)
    gives `?<into>`, `?<into>_last` and `?<into>_after_{day,month,year}`, computed with
    `xsd:dayTimeDuration` arithmetic, which rdflib and Oxigraph both support on a date made
    with STRDT (pyoxigraph 0.5 leaves `?stored_date + duration` unbound; rdflib does the same
    for `xsd:date(?x) + duration`).
    """
    after = f"?{into}_after_day"
    return "\n".join(
        [
            f"BIND(?{day} AS ?{into})",
            f"BIND(?{day} AS ?{into}_last)",
            f'BIND(STRDT(STR(?{day}), xsd:date) + "P1D"^^xsd:dayTimeDuration AS {after})',
            f'BIND(STRDT(CONCAT(SUBSTR(STR({after}), 1, 7), "-01"), xsd:date)'
            f" AS ?{into}_after_month)",
            f'BIND(STRDT(CONCAT(SUBSTR(STR({after}), 1, 4), "-01-01"), xsd:date)'
            f" AS ?{into}_after_year)",
        ]
    )


RULES: dict[str, Callable[..., str]] = {
    "status-on": status_on,
    "window-status": window_status,
    "day-bounds": day_bounds,
}
"""The generated rules by the name their `# rule:` line gives."""

_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)# rule: (?P<rule>[\w-]+)\((?P<args>[^)]*)\) "
    r'(?:-> \?(?P<into>\w+)|(?P<test>!?=) "(?P<value>[\w ]+)")$'
)
_ARGUMENT = re.compile(r"^(\w+)=(\?\w+|dip:\w+)$")


def block(
    rule: str,
    arguments: Mapping[str, str],
    into: str | None = None,
    *,
    test: str | None = None,
    indent: str = "  ",
) -> str:
    """Return a rule's marker line and generated text: `BIND(… AS ?into)` or a FILTER.

    With `test` (e.g. `!= "not active"`) the rule becomes `FILTER(… != "not active")`, which
    sees the variables of both sides when written inside an OPTIONAL (a BIND there does not).
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; known rules: {', '.join(RULES)}")
    written = ", ".join(f"{key}={value}" for key, value in arguments.items())
    given = {key: value.removeprefix("?") for key, value in arguments.items()}
    if rule == "day-bounds":
        body = day_bounds(**given, into=str(into)).replace("\n", "\n" + indent)
        return f"{indent}# rule: {rule}({written}) -> ?{into}\n{indent}{body}"
    expression = RULES[rule](**given)
    if test is not None:
        marker, body = test, f"FILTER(({expression})\n       {test})"
    else:
        marker, body = f"-> ?{into}", f"BIND({expression}\n     AS ?{into})"
    body = body.replace("\n", "\n" + indent)
    return f"{indent}# rule: {rule}({written}) {marker}\n{indent}{body}"


def _statement_end(lines: list[str], start: int) -> int:
    """Return the index of the line that closes the statement opened on line `start`."""
    depth, index = 0, start
    while index < len(lines):
        inside = False
        for char in lines[index]:
            if char == '"':
                inside = not inside
            elif not inside and char == "(":
                depth += 1
            elif not inside and char == ")":
                depth -= 1
                if depth == 0:
                    return index
        index += 1
    return len(lines) - 1


def _blocks(text: str) -> list[tuple[int, int, str]]:
    """Find each rule block: its first and last line index and the text it should be."""
    lines = text.split("\n")
    found: list[tuple[int, int, str]] = []
    for index, line in enumerate(lines):
        match = _MARKER.match(line)
        if not match:
            continue
        arguments: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in match.group("args").split(","))):
            argument = _ARGUMENT.match(part)
            if not argument:
                raise ValueError(
                    f"line {index + 1}: expected name=?variable or name=dip:property, got {part!r}"
                )
            arguments[argument.group(1)] = argument.group(2)
        test = f'{match.group("test")} "{match.group("value")}"' if match.group("test") else None
        expected = block(
            match.group("rule"),
            arguments,
            match.group("into"),
            test=test,
            indent=match.group("indent"),
        )
        if match.group("rule") == "day-bounds":
            end = index  # its BINDs: the lines that follow and bind ?<into>…
            into = f"AS ?{match.group('into')}"
            while end + 1 < len(lines) and lines[end + 1].strip().startswith("BIND("):
                if into not in lines[end + 1]:
                    break
                end += 1
        elif index + 1 < len(lines) and lines[index + 1].strip().startswith(("BIND(", "FILTER(")):
            end = _statement_end(lines, index + 1)
        else:
            end = index  # a marker not yet followed by its text
        found.append((index, min(end, len(lines) - 1), expected))
    return found


def drift(text: str) -> list[str]:
    """Return, for every rule block that differs from the generated one, the expected text."""
    lines = text.split("\n")
    return [
        expected
        for first, last, expected in _blocks(text)
        if "\n".join(lines[first : last + 1]) != expected
    ]


def rule_count(text: str) -> int:
    """Return how many rule blocks the text holds."""
    return len(_blocks(text))


def refresh(text: str) -> str:
    """Return the text with every rule block replaced by the generated one."""
    lines = text.split("\n")
    for first, last, expected in reversed(_blocks(text)):
        lines[first : last + 1] = expected.split("\n")
    return "\n".join(lines)
