"""Roles on the story's day: offices named in the text, checked against the graph's dated terms.

"The foreign minister said" resolves to the person whose term of that office (in the state the
phrase names, or else one of the story's states) is active on the story's date by the one rule
of `diplomacy_kg.dates`; when several terms may hold, or the dates do not decide, the speaker is
left open with the candidates and their status, never guessed. A `role` candidate ("Foreign
Minister Cho Tae-yul") says what the graph can confirm of it for that day: the term, and whether
it was active, not active or unknown then, or that the graph holds no such term.
"""

from __future__ import annotations

from diplomacy_kg.dates import ACTIVE, NOT_ACTIVE, UNKNOWN
from diplomacy_kg.ingest.candidates import Candidate, DateValue, Party
from diplomacy_kg.ingest.offices import Term, holders_on, office_key, sole_holder, terms_of
from diplomacy_kg.ingest.story import Story, party, person_party

NOT_IN_GRAPH = "not in the graph"
_ORDER = {ACTIVE: 0, UNKNOWN: 1, NOT_ACTIVE: 2}


def office_party(story: Story, text: str, offset: int) -> Party | None:
    """Return the holder of the office `text` names on the story's date, or the open candidates."""
    terms = story.gazetteer.terms
    inside = [m for m in story.mentions if offset <= m.start < offset + len(text) and m.state]
    key = office_key(text, tuple(m.text for m in inside))
    if not any(term.key == key for term in terms):
        return None
    state = inside[0].state if inside else None
    countries = {state} if state else {m.state for m in story.mentions if m.state}
    found = holders_on(terms, key, countries, story.date)
    if not found:
        return None
    term = sole_holder(found)
    if term is not None:
        return Party(text, term.holder, term.holder_label, [], "office on date")
    options = [
        {"iri": t.holder, "label": t.holder_label, "status": status, "term": t.iri}
        for t, status in sorted(found, key=lambda item: (_ORDER[item[1]], item[0].iri))
    ]
    return Party(text, None, None, options, "ambiguous")


def apply(story: Story) -> None:
    """Propose a `role` for each person named with an office, checked against the graph."""
    for person in story.people:
        if person.office is None or len(person.name.split()) < 2 or story.in_quote(person.start):
            continue
        state = None
        if person.state is not None:
            state = next((m for m in story.mentions if m.state == person.state), None)
        obj = party(state) if state else None
        extra = {"office": person.office}
        confidence = 0.6 if obj else 0.4
        key = office_key(person.office)
        if person.entity is not None:
            held = terms_of(story.gazetteer.terms, person.entity.iri, key, person.state)
            confidence = _confirm(extra, held, story, confidence)
        else:
            other = None
            if person.state is not None:
                found = holders_on(story.gazetteer.terms, key, {person.state}, story.date)
                other = sole_holder(found)
            extra["office_status"] = NOT_IN_GRAPH
            if other is not None:
                extra["office_holder"] = (
                    f"the graph has {other.holder_label} ({other.holder}) in this office on "
                    f"{story.date.isoformat()}"
                )
                confidence = min(confidence, 0.3)
        start, end = person.office_start, person.office_end
        story.add(
            Candidate(
                "role",
                person_party(person),
                obj,
                DateValue(story.date.isoformat(), "day", False, None),
                story.text[start:end],
                start,
                end,
                confidence,
                "role/title",
                extra=extra,
            )
        )


def _confirm(extra: dict[str, str], held: list[Term], story: Story, confidence: float) -> float:
    """Record the graph's best term of the person's office for the day; return the confidence."""
    if not held:
        extra["office_status"] = NOT_IN_GRAPH
        return confidence
    ranked = sorted(((t, t.status_on(story.date)) for t in held), key=lambda i: _ORDER[i[1]])
    term, status = ranked[0]
    extra["office_status"] = status
    extra["office_term"] = term.iri
    extra["office_iri"] = term.office
    return {ACTIVE: 0.8, UNKNOWN: confidence, NOT_ACTIVE: 0.3}[status]
