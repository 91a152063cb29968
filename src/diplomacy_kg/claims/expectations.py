"""The expectations a check can state, one class each: what holds, what is evidence, and why.

Each expectation judges the rows a check compares (the answer's rows that meet its row
conditions) and returns a `Judgement`: whether the check holds, the rows that support or
contradict it, the explanation in words, and whether a failure rests only on absence (a value
missing, too few rows), which undated data could then make undecidable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef

from diplomacy_kg.claims.dating import Roles
from diplomacy_kg.claims.evidence import Lookups
from diplomacy_kg.claims.model import Check, Row, UndecidableError, counted, key
from diplomacy_kg.namespaces import DIP


@dataclass
class Judgement:
    """What an expectation finds in the compared rows."""

    holds: bool
    evidence: list[Row]
    role: str
    explanation: str
    absence: bool = False
    consulted_sources: tuple[URIRef, ...] = ()


class Expectation:
    """An expectation of a check (`dip:Equals`, `dip:Includes`, …)."""

    iri: URIRef

    def judge(self, check: Check, rows: list[Row], lookups: Lookups, roles: Roles) -> Judgement:
        """Judge the compared rows."""
        raise NotImplementedError


class IsEmpty(Expectation):
    """The answer has no row."""

    iri = DIP.IsEmpty

    def judge(self, check: Check, rows: list[Row], lookups: Lookups, roles: Roles) -> Judgement:
        """Hold when no row is compared; the rows found contradict."""
        if not rows:
            return Judgement(True, [], "supporting", "no row, as expected")
        return Judgement(
            False, rows, "contradicting", f"expected no row; found {counted(len(rows))}"
        )


class CountEquals(Expectation):
    """The answer has so many rows (or distinct values in the check's column)."""

    iri = DIP.CountEquals

    def judge(self, check: Check, rows: list[Row], lookups: Lookups, roles: Roles) -> Judgement:
        """Hold when the count is the one expected; too few is a failure by absence."""
        wanted = _expected_count(check)
        found = len({key(r.get(check.column)) for r in rows}) if check.column else len(rows)
        holds = found == wanted
        what = f"distinct {check.column} values" if check.column else "rows"
        return Judgement(
            holds,
            rows,
            "supporting" if holds else "contradicting",
            f"{found} {what}, as expected" if holds else f"expected {wanted} {what}; found {found}",
            absence=found < wanted,
        )


def _expected_count(check: Check) -> int:
    if len(check.expected) != 1:
        raise UndecidableError("count-equals needs exactly one expected number")
    try:
        return int(str(check.expected[0]))
    except ValueError as error:
        raise UndecidableError(f"{str(check.expected[0])!r} is not a number") from error


@dataclass(frozen=True)
class Matched:
    """The compared rows matched against the expected values of the check's column."""

    column: str
    rows: list[Row]
    hits: list[Row]
    """The rows that hold an expected value."""
    missing: list[str]
    """The expected values no row holds."""
    shown: str
    """The expected values in words."""
    lookups: Lookups
    roles: Roles


class _Comparing(Expectation):
    """An expectation about the values of the check's column."""

    def judge(self, check: Check, rows: list[Row], lookups: Lookups, roles: Roles) -> Judgement:
        """Match every expected value against the column, then compare."""
        expected = [str(v) for v in check.expected]
        column = check.column or ""
        matched = {v: [r for r in rows if lookups.matches(r, column, v, roles)] for v in expected}
        shown = ", ".join(lookups.show_expected(v) for v in expected)
        hits = [r for r in rows if any(r in found for found in matched.values())]
        missing = [v for v, found in matched.items() if not found]
        return self.compare(Matched(column, rows, hits, missing, shown, lookups, roles))

    def compare(self, m: Matched) -> Judgement:
        """Judge from the rows holding an expected value (`hits`) and the values `missing`."""
        raise NotImplementedError


class Excludes(_Comparing):
    """None of the expected values is in the column."""

    iri = DIP.Excludes

    def compare(self, m: Matched) -> Judgement:
        """Hold when no row holds an expected value; the rows consulted give the sources."""
        if m.hits:
            return Judgement(
                False,
                m.hits,
                "contradicting",
                f"expected {m.shown} not to be among the {m.column} values; "
                f"held by {counted(len(m.hits))}",
            )
        return Judgement(
            True,
            [],
            "supporting",
            f"{m.shown} not among the {m.column} values of {counted(len(m.rows))}",
            consulted_sources=m.lookups.row_sources(m.rows, m.roles, enrich=False),
        )


class Equals(_Comparing):
    """The column's values are exactly the expected ones."""

    iri = DIP.Equals

    def compare(self, m: Matched) -> Judgement:
        """Hold when nothing is missing and nothing else is there."""
        others = [r for r in m.rows if r not in m.hits]
        if not m.missing and not others:
            return Judgement(
                True, m.rows, "supporting", f"the {m.column} values are exactly {m.shown}"
            )
        parts = []
        if m.missing:
            parts.append("missing " + ", ".join(map(m.lookups.show_expected, m.missing)))
        if others:
            parts.append(
                "also " + ", ".join(sorted({m.lookups.show_cell(r.get(m.column)) for r in others}))
            )
        if not m.rows:
            parts.append("the answer is empty")
        return Judgement(
            False,
            others or m.rows,
            "contradicting",
            f"expected the {m.column} values to be exactly {m.shown}; " + "; ".join(parts),
            absence=not others,
        )


class Includes(_Comparing):
    """Every expected value is in the column."""

    iri = DIP.Includes

    def compare(self, m: Matched) -> Judgement:
        """Hold when no expected value is missing; a missing one is a failure by absence."""
        if not m.missing:
            return Judgement(True, m.hits, "supporting", f"{m.shown} among the {m.column} values")
        found_values = sorted({m.lookups.show_cell(r.get(m.column)) for r in m.rows})
        return Judgement(
            False,
            m.rows,
            "contradicting",
            f"expected {m.shown} among the {m.column} values; missing "
            + ", ".join(map(m.lookups.show_expected, m.missing))
            + (
                "; the answer holds " + ", ".join(found_values)
                if found_values
                else "; the answer is empty"
            ),
            absence=True,
        )


_ALL: Sequence[Expectation] = (Equals(), Includes(), Excludes(), IsEmpty(), CountEquals())
BY_IRI: dict[URIRef, Expectation] = {e.iri: e for e in _ALL}
"""Every expectation by its IRI."""


def expectation(iri: URIRef) -> Expectation:
    """Return the expectation of that IRI; raise UndecidableError for an unknown one."""
    if iri not in BY_IRI:
        raise UndecidableError(f"unknown expectation <{iri}>")
    return BY_IRI[iri]
