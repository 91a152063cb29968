"""A story being read: its text, date, sentences, quotations and names; helpers for rules."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from diplomacy_kg.ingest.candidates import Candidate, DateValue, Party
from diplomacy_kg.ingest.dates import DateMention, find_dates
from diplomacy_kg.ingest.gazetteer import Gazetteer, Mention
from diplomacy_kg.ingest.people import Person, find_people
from diplomacy_kg.ingest.text import Quotation, Span, quotations, sentences

_SPEAKER_POSSESSIVE = re.compile(
    r"^[’']s\s+(?:foreign\s+|external\s+)?(?:ministry|government|office|embassy|mission|"
    r"foreign minister|president|prime minister|deputy|ambassador|spokesperson)",
    re.IGNORECASE,
)
# "SEOUL, South Korea (AP) —", "BEIJING (AP) —", "Dec 9 (Reuters) -",
# "Guatemala City, Nov 14 (EFE).-": where the story was filed.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'-]+(?:,\s+[A-Z][\w .]+?)?\s*(?:—\s*)?\([A-Za-z ]+\)\s*(?:—|--|-)"
    r"|[A-Z][A-Z .'-]{2,}(?:,\s+[A-Z][\w .]+?)?\s+(?:—|--)"
    r"|[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+\([A-Za-z ]+\)\s*\.?-+)",
    re.MULTILINE,
)
_REPORTED = re.compile(
    r"\b(?:said|says|announced|reported|told|stated|added)\s+(?:on\s+|late\s+|early\s+)?$"
)
_PLACE_BEFORE = re.compile(r"\b(?:in|at|to|from|near|via)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass
class Story:
    """Everything the rules read, computed once."""

    text: str
    date: dt.date
    gazetteer: Gazetteer
    sentences: list[Span] = field(default_factory=list)
    quotes: list[Quotation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    datelines: list[tuple[int, int]] = field(default_factory=list)
    report_dates: dict[str, DateValue] = field(default_factory=dict)
    act_dates: list[tuple[int, DateValue]] = field(default_factory=list)

    @classmethod
    def read(cls, text: str, story_date: dt.date, gazetteer: Gazetteer) -> Story:
        """Segment the text and find its names."""
        story = cls(text, story_date, gazetteer)
        story.sentences = sentences(text)
        story.quotes = quotations(text)
        story.mentions = gazetteer.find(text)
        story.datelines = [(m.start(), m.end()) for m in _DATELINE.finditer(text)]
        story.people = find_people(text, story.mentions)
        return story

    def in_quote(self, start: int, end: int | None = None) -> bool:
        """Return whether the offset (or span) lies inside a quotation."""
        stop = start if end is None else end
        return any(q.inner.start <= start and stop <= q.inner.end for q in self.quotes)

    def states_in(self, start: int, end: int, *, parties_only: bool = True) -> list[Mention]:
        """Return state mentions in the range; parties exclude places and speakers' possessives."""
        found = []
        for mention in self.mentions:
            if not (start <= mention.start < end) or mention.kind == "organization":
                continue
            if any(begin <= mention.start < stop for begin, stop in self.datelines):
                continue
            if mention.state is None and mention.how != "ambiguous":
                continue
            if parties_only and (
                self.in_quote(mention.start)
                or _SPEAKER_POSSESSIVE.match(self.text[mention.end : mention.end + 40])
                or (
                    _PLACE_BEFORE.search(self.text[max(start, mention.start - 12) : mention.start])
                    and mention.kind != "capital"
                )
            ):
                continue
            found.append(mention)
        return found

    def dates_in(self, span: Span) -> list[DateMention]:
        """Return the date expressions of a sentence."""
        return find_dates(self.text, span.start, span.end, self.date)

    def event_date(self, span: Span, offset: int) -> tuple[DateValue | None, DateValue | None]:
        """Return the date of an act near `offset`, and apart the day it was reported, if given.

        "…, the ministry said Friday" dates the report, not the act.
        """
        mentions = [m for m in self.dates_in(span) if not self.in_quote(m.start)]
        reported = [m for m in mentions if _REPORTED.search(self.text[span.start : m.start])]
        report = to_date_value(reported[0]) if reported else None
        own = [m for m in mentions if m not in reported]
        return self._nearest(span, offset, own), report

    def date_near(self, span: Span, offset: int) -> DateValue | None:
        """Return the date expression nearest to `offset` in the sentence, absolute ones first."""
        mentions = [m for m in self.dates_in(span) if not self.in_quote(m.start)]
        return self._nearest(span, offset, mentions)

    def _nearest(self, span: Span, offset: int, mentions: list[DateMention]) -> DateValue | None:
        if not mentions:
            return None
        clause = _clause(self.text, span, offset)
        near = [m for m in mentions if clause[0] <= m.start < clause[1]] or mentions
        absolute = [m for m in near if not m.relative] or near
        best = min(absolute, key=lambda m: min(abs(m.start - offset), abs(m.end - offset)))
        # "today, 04 May 2022": a relative day restated as a date is that date.
        restated = [m for m in mentions if 0 <= m.start - best.end <= 3 and not m.relative]
        return to_date_value(restated[0] if best.relative and restated else best)

    def add(self, candidate: Candidate) -> None:
        """Keep a candidate unless one of its kind rests on the same span with the same parties."""
        for other in self.candidates:
            if (
                other.kind == candidate.kind
                and other.start == candidate.start
                and other.end == candidate.end
                and _key(other.subject) == _key(candidate.subject)
                and _key(other.object) == _key(candidate.object)
            ):
                return
        self.candidates.append(candidate)


def _clause(text: str, span: Span, offset: int) -> tuple[int, int]:
    before = max(text.rfind(", ", span.start, offset), text.rfind("; ", span.start, offset))
    after = [
        i for i in (text.find(", ", offset, span.end), text.find("; ", offset, span.end)) if i >= 0
    ]
    return (before + 1 if before >= 0 else span.start, min(after) if after else span.end)


def _key(party: Party | None) -> str | None:
    return None if party is None else (party.iri or party.text)


def to_date_value(mention: DateMention) -> DateValue:
    """Turn a date expression into a candidate's date."""
    precision = mention.value.precision if mention.end_value is None else "interval"
    return DateValue(mention.iso(), precision, mention.relative, mention.text)


def party(mention: Mention) -> Party:
    """Return the candidate form of a gazetteer mention."""
    entity = mention.entity
    return Party(
        text=mention.text,
        iri=entity.iri if entity else None,
        label=entity.label if entity else None,
        candidates=[{"iri": c.iri, "label": c.label} for c in mention.candidates]
        if entity is None
        else [],
        how=mention.how,
    )


def person_party(person: Person) -> Party:
    """Return the candidate form of a person."""
    entity = person.entity
    return Party(
        text=person.name,
        iri=entity.iri if entity else None,
        label=entity.label if entity else None,
        how="name" if entity else "new person",
    )


def sentence_at(story: Story, offset: int) -> Span:
    """Return the sentence holding the offset."""
    for span in story.sentences:
        if span.start <= offset < span.end:
            return span
    return Span(offset, offset, "")
