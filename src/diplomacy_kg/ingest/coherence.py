"""Story-level passes over event candidates: dates carried between mentions, repeats merged.

News tells an act once with its date and then again in detail without it ("The Maldives has
established relations with two countries on Saturday… Firstly, Maldives established relations
with Guinea-Bissau."). An undated act takes the date of another candidate with the same parties,
else of the last dated sentence that reports an act, else the day it was reported ("…, the
ministry said Friday"); a meeting "during the trip" takes the date of the visit. Every carried
date is marked relative, with where it came from.
"""

from __future__ import annotations

from dataclasses import replace

from diplomacy_kg.ingest.candidates import KINDS, Candidate, DateValue
from diplomacy_kg.ingest.story import Story

# The relation acts: the kinds from establishment up to the first encounter, in KINDS' order.
ACTS = frozenset(KINDS[: KINDS.index("visit")])
ENCOUNTERS = {"meeting", "attendance"}
VISITS = {"visit", "state_visit"}


def _parties(candidate: Candidate) -> frozenset[str] | None:
    keys = [p.iri for p in (candidate.subject, candidate.object) if p is not None]
    if len(keys) < 2 or None in keys:
        return None
    return frozenset(k for k in keys if k)


def _carried(date: DateValue, where: str) -> DateValue:
    return replace(date, relative=True, text=where)


def carry_dates(story: Story) -> None:
    """Give undated event candidates the date of the act or visit they belong to."""
    events = [c for c in story.candidates if c.kind in ACTS | ENCOUNTERS | VISITS]
    for candidate in events:
        if candidate.date is not None:
            continue
        found: DateValue | None = None
        if candidate.kind in ACTS:
            found = _same_act(events, candidate) or _dated_sentence(story, candidate)
        elif candidate.kind in ENCOUNTERS:
            visits = [
                v for v in events if v.kind in VISITS and v.date and v.start <= candidate.start
            ]
            if visits:
                found = _carried(visits[-1].date, f"the visit {visits[-1].id}")  # type: ignore[arg-type]
        if found is None and candidate.id in story.report_dates:
            found = story.report_dates[candidate.id]
        candidate.date = found


def _same_act(events: list[Candidate], candidate: Candidate) -> DateValue | None:
    parties = _parties(candidate)
    if parties is None:
        return None
    dated = [
        c
        for c in events
        if c.kind in ACTS
        and c.date is not None
        and c is not candidate
        and _parties(c) == parties
        and "/" not in c.date.value
    ]
    if not dated:
        return None
    nearest = min(dated, key=lambda c: abs(c.start - candidate.start))
    assert nearest.date is not None
    return _carried(nearest.date, f"the same act, {nearest.id}")


def _dated_sentence(story: Story, candidate: Candidate) -> DateValue | None:
    earlier = [(offset, date) for offset, date in story.act_dates if offset <= candidate.start]
    if not earlier:
        return None
    offset, date = earlier[-1]
    if offset == candidate.start:
        return None
    return _carried(date, f"the act reported at character {offset}")


def merge_repeats(story: Story) -> None:
    """Drop a later candidate that repeats an earlier one: same kind, subject, parties and date."""
    seen: set[tuple[str, str | None, frozenset[str], str]] = set()
    kept: list[Candidate] = []
    for candidate in sorted(story.candidates, key=lambda c: c.start):
        parties = _parties(candidate)
        if candidate.kind in ACTS | ENCOUNTERS | VISITS and parties and candidate.date:
            subject = candidate.subject.iri if candidate.subject else None
            key = (candidate.kind, subject, parties, candidate.date.value)
            if key in seen:
                continue
            seen.add(key)
        kept.append(candidate)
    story.candidates[:] = kept
