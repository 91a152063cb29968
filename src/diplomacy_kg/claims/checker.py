"""Running claim checks: each check's stored query as of a date, judged by its expectation."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from diplomacy_kg import queries
from diplomacy_kg.claims.dating import dating_notes, undecidable_absence
from diplomacy_kg.claims.evidence import Lookups
from diplomacy_kg.claims.expectations import expectation
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
        judgement = expectation(check.expectation).judge(check, rows, self, roles)
        outcome.explanation = judgement.explanation
        outcome.consulted_sources = judgement.consulted_sources
        evidence = judgement.evidence
        if not judgement.holds and judgement.absence:
            undecidable_absence(self, check, result, rows, outcome)
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
