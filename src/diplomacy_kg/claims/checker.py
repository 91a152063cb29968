"""Running claim checks: each check's stored query as of a date, judged by its expectation."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from diplomacy_kg import queries
from diplomacy_kg.claims.dating import dating_notes, undecidable_absence
from diplomacy_kg.claims.evidence import Lookups
from diplomacy_kg.claims.expectations import Expectation, Judgement, expectation
from diplomacy_kg.claims.loading import load_claims, select_claims
from diplomacy_kg.claims.model import (
    ASSERTED,
    CLAIM_DATE,
    CONTRADICTED,
    FAILS,
    HOLDS,
    SUPPORTED,
    UNDECIDED,
    UNDETERMINED,
    Check,
    CheckOutcome,
    CheckRun,
    Claim,
    ClaimError,
    Review,
    Row,
    UndecidableError,
    counted,
    key,
)
from diplomacy_kg.engines import Engine, EngineError
from diplomacy_kg.namespaces import DIP


class Checker(Lookups):
    """Runs claim checks on one engine, reusing query answers and lookups across claims."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._answers: dict[tuple[str, tuple[tuple[str, str], ...]], queries.QueryResult] = {}

    def review(self, claim: Claim, as_of: date | None = None) -> Review:
        """Check one claim as of `as_of` (default: its own date) and give the verdict."""
        day = as_of if as_of is not None else claim.date
        outcomes = [self._outcome(check, day, claim.date) for check in claim.checks]
        notes: list[str] = []
        if not claim.checks:
            verdict = UNDETERMINED
            notes.append("The claim has no check, so the graph cannot decide it.")
        elif any(o.status == FAILS for o in outcomes):
            verdict = CONTRADICTED
        elif any(o.status == UNDECIDED for o in outcomes):
            verdict = UNDETERMINED
        else:
            verdict = SUPPORTED
            own = {s.iri for s in claim.sources}
            rested_on = {s for o in outcomes for s in o.sources}
            if rested_on and rested_on <= own:
                verdict = ASSERTED
                names = ", ".join(self.source(s).describe() for s in sorted(own))
                notes.append(
                    f"Asserted, not independently confirmed: every source the "
                    f"evidence rests on is the claim's own ({names})."
                )
            elif not rested_on:
                notes.append("No evidence row names a source.")
        if as_of is not None and claim.date is not None and as_of != claim.date:
            when = "after" if as_of > claim.date else "before"
            notes.append(
                f"Checked as of {as_of.isoformat()}, {when} the claim's own date "
                f"({claim.date.isoformat()})."
            )
            if verdict == CONTRADICTED and as_of > claim.date:
                notes.append(
                    "The claim may have held when it was made; it no longer holds "
                    f"as of {as_of.isoformat()}."
                )
        for outcome in outcomes:
            notes += [n for n in outcome.notes if n not in notes]
        sources = {s: self.source(s) for o in outcomes for s in o.sources}
        sources.update({s.iri: self.source(s.iri) for s in claim.sources})
        facts = {f: self.known_label(f) for o in outcomes for r in o.evidence for f in r.facts}
        return Review(claim, day, verdict, outcomes, notes, sources, facts)

    def review_all(self, claims: Iterable[Claim], as_of: date | None = None) -> list[Review]:
        """Check every claim."""
        return [self.review(claim, as_of) for claim in claims]

    def _outcome(self, check: Check, day: date | None, claim_date: date | None) -> CheckOutcome:
        params = {
            name: (day.isoformat() if value == CLAIM_DATE and day else value)
            for name, value in check.params
        }
        outcome = CheckOutcome(check, UNDECIDED, day, params, "")
        try:
            if any(v == CLAIM_DATE for _, v in check.params) and day is None:
                raise UndecidableError("the check takes the claim's date, and the claim has none")
            result = self._answer(check.query, params)
            self._evaluate(check, result, outcome, claim_date)
        except UndecidableError as reason:
            outcome.status = UNDECIDED
            outcome.explanation = f"undetermined: {reason}"
        return outcome

    def _answer(self, name: str, params: Mapping[str, str]) -> queries.QueryResult:
        key = (name, tuple(sorted(params.items())))
        if key not in self._answers:
            try:
                self._answers[key] = queries.run_query(name, self.engine, **params)
            except (queries.ParameterError, queries.CatalogueError) as error:
                raise UndecidableError(f"the stored query cannot run: {error}") from error
            except EngineError as error:
                raise UndecidableError(f"the engine failed: {error}") from error
        return self._answers[key]

    def _compared(self, check: Check, result: queries.QueryResult) -> list[Row]:
        roles = result.query.roles
        return [
            row
            for row in result.rows
            if all(self.matches(row, n, v, roles) for n, v in check.conditions)
        ]

    def _evaluate(
        self,
        check: Check,
        result: queries.QueryResult,
        outcome: CheckOutcome,
        claim_date: date | None,
    ) -> None:
        columns = list(result.columns)
        for name in [n for n, _ in check.conditions] + ([check.column] if check.column else []):
            if name not in columns:
                raise UndecidableError(
                    f"the query {check.query!r} has no column {name!r}; "
                    f"its columns: {', '.join(columns)}"
                )
        roles = result.query.roles
        rows = self._compared(check, result)
        outcome.answer_rows, outcome.compared_rows = len(result.rows), len(rows)
        judged = expectation(check.expectation)
        judgement = judged.judge(check, rows, self, roles)
        outcome.explanation = judgement.explanation
        outcome.consulted_sources = judgement.consulted_sources
        evidence = judgement.evidence
        if not judgement.holds and judgement.absence:
            undecidable_absence(self, check, result, rows, outcome)
        _certain(check, judged, judgement, rows, self, roles)
        needs_all = _needs_completeness(check, judgement, result, rows, self)
        if needs_all and not result.completeness.complete:
            raise UndecidableError(
                f"{judgement.explanation}; but the answer is not known to be complete "
                f"({result.completeness.line})"
            )
        if not judgement.holds and claim_date is not None and outcome.as_of != claim_date:
            evidence = self._changes_since(check, claim_date, rows, outcome) or evidence
        outcome.status = HOLDS if judgement.holds else FAILS
        outcome.evidence_role = judgement.role
        outcome.evidence = self.grouped([self.evidence(row, roles) for row in evidence])
        outcome.notes += dating_notes(check, evidence if evidence else rows, roles)

    def _changes_since(
        self,
        check: Check,
        claim_date: date,
        rows: Sequence[Row],
        outcome: CheckOutcome,
    ) -> list[Row]:
        """Compare with the answer as of the claim's date; return the rows that changed."""
        if not any(v == CLAIM_DATE for _, v in check.params):
            return []
        then_params = {
            n: (claim_date.isoformat() if v == CLAIM_DATE else v) for n, v in check.params
        }
        try:
            answer = self._answer(check.query, then_params)
            then = self._compared(check, answer)
        except UndecidableError:
            return []
        roles = answer.query.roles
        column = check.column

        def row_key(row: Mapping[str, queries.Value]) -> str:
            return (
                key(row.get(column))
                if column
                else json.dumps({k: key(v) for k, v in row.items()}, sort_keys=True)
            )

        before = {row_key(r) for r in then}
        now = {row_key(r) for r in rows}
        added = [r for r in rows if row_key(r) not in before]
        removed = [r for r in then if row_key(r) not in now]
        if column and check.expectation in (DIP.Includes, DIP.Excludes):

            def named(row: Mapping[str, queries.Value]) -> bool:
                return any(self.matches(row, column, str(v), roles) for v in check.expected)

            added, removed = [r for r in added if named(r)], [r for r in removed if named(r)]
        changes = []
        for what, changed in (("added", added), ("gone", removed)):
            if changed:
                names = list(
                    dict.fromkeys(
                        self.show_cell(r.get(column)) if column else self.summary(r, roles)
                        for r in changed
                    )
                )
                more = f" and {len(names) - 5} more" if len(names) > 5 else ""
                changes.append(f"{what} since the claim's date: {', '.join(names[:5])}{more}")
        if changes:
            outcome.explanation += "; " + "; ".join(changes)
        return added


def check_claims(
    engine: Engine,
    *,
    as_of: date | None = None,
    source: str | None = None,
    claim: str | None = None,
) -> CheckRun:
    """Load the claims from the engine's graph, keep those asked for, and review each.

    Claims without a check are not reviewed (unless asked for by `claim`): they are listed as
    unchecked.
    """
    chosen = select_claims(load_claims(engine), source, claim)
    checked = [c for c in chosen if c.checks or claim is not None]
    unchecked = [c for c in chosen if c not in checked]
    if not checked:
        raise ClaimError("no claim to check: none of the claims chosen has a check (dip:check)")
    return CheckRun(Checker(engine).review_all(checked, as_of), unchecked)


# Which verdicts need the graph to hold every fact (an absence, or an exact count), by the
# expectation and whether it holds. For an answer whose rows are facts (partners, events) a
# missing row is an absence; for one whose rows are absences (`#+ coverage: absence ...`, the
# UN members without ties) a missing row is a tie the graph holds, and the rows need coverage.
_ROWS_NEED_ALL = {
    (DIP.IsEmpty, True),
    (DIP.Excludes, True),
    (DIP.Equals, True),
    (DIP.CountEquals, True),
}
_ABSENCES_NEED_ALL = {
    (DIP.IsEmpty, False),
    (DIP.Includes, True),
    (DIP.Excludes, False),
    (DIP.Equals, True),
    (DIP.CountEquals, True),
}
_UNCERTAIN = ("unknown", "possibly in window")


def _needs_completeness(
    check: Check,
    judgement: Judgement,
    result: queries.QueryResult,
    rows: list[Row],
    lookups: Lookups,
) -> bool:
    """Whether the verdict rests on the graph holding every fact of the answer's kind."""
    roles = result.query.roles
    kind = (result.query.notes.get("coverage") or "rows").split()[0]
    if kind == "absence":
        if (check.expectation, judgement.holds) in _ABSENCES_NEED_ALL:
            return True
        if check.expectation == DIP.Equals and not judgement.holds:
            # Failing by a value missing from the absences is a tie the graph holds.
            return not any(
                not any(lookups.matches(r, check.column or "", str(v), roles) for r in rows)
                for v in check.expected
            )
        if check.expectation == DIP.CountEquals and not judgement.holds:
            return not judgement.absence  # too many absences rest on coverage; too few do not
        return False
    if (check.expectation, judgement.holds) in _ROWS_NEED_ALL:
        return True
    return not judgement.holds and judgement.absence


def _certain(
    check: Check,
    judged: Expectation,
    judgement: Judgement,
    rows: list[Row],
    lookups: Lookups,
    roles: Mapping[str, str],
) -> None:
    """Raise UndecidableError when rows of unknown status could change the verdict."""
    uncertain = [r for r in rows if r.get("status") in _UNCERTAIN]
    if not uncertain:
        return
    certain = [r for r in rows if r.get("status") not in _UNCERTAIN]
    without = judged.judge(check, certain, lookups, roles)
    if without.holds != judgement.holds:
        raise UndecidableError(
            f"{judgement.explanation}; but {counted(len(uncertain))} of the answer may or may "
            "not hold on the day (a date known only to the year or month, or a relation known "
            "only from a later day), and the verdict depends on them"
        )
