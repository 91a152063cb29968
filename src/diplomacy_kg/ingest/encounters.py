"""Who meets, visits, boycotts or attends what: the parties of encounters, found in a sentence."""

from __future__ import annotations

import re

from diplomacy_kg.ingest.candidates import Party
from diplomacy_kg.ingest.people import Person, full_name
from diplomacy_kg.ingest.roles import office_party
from diplomacy_kg.ingest.story import Story, party, person_party
from diplomacy_kg.ingest.text import Span

_I = re.IGNORECASE
Found = tuple[Party | None, Party | None, Party | None]

EVENT_NAME = re.compile(
    r"(?:boycott\w*|to|of|attend\w*)\s+(?P<event>the\s+[^,.;]*?(?:Olympics|Olympic Games|Games"
    r"|World Cup|Cup|[Ss]ummit|ceremony|inauguration|[Cc]hampionships?|Expo|[Cc]onference"
    r"|[Ff]orum))\b"
)
_ROLE_NOUN = re.compile(
    r"\bthe\s+(?P<office>Prime Minister|President|Foreign Minister|Chancellor|King|Emir|Premier"
    r"|Secretary of State)\b"
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]+\b")


def event_party(story: Story, name: str) -> Party:
    """Return an event as a party, resolved when the graph holds an event of that name."""
    bare = re.sub(r"^the\s+", "", name, flags=_I)
    entity = story.gazetteer.events.get(bare.lower())
    if entity is not None:
        return Party(name, entity.iri, entity.label, [], "name")
    return Party(name, None, None, [], "new event")


def boycott(story: Story, sentence: Span, start: int) -> Found | None:
    """Return the boycotting state and the boycotted event."""
    states = story.states_in(sentence.start, start) or story.states_in(start, sentence.end)
    if not states:
        return None
    named = EVENT_NAME.search(story.text, start, sentence.end)
    if named is None:
        return party(states[-1]), None, None
    return party(states[0]), event_party(story, named.group("event")), None


def place(story: Story, start: int, end: int) -> Party | None:
    """Return the place named after "in", "at" or "to" in the range, if the gazetteer knows it."""
    window = story.text[start:end]
    for match in re.finditer(
        r"\b(?:in|at|to)\s+(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", window
    ):
        name = match.group(1)
        known = story.gazetteer.places.get(name)
        if known is not None:
            return Party(name, known.iri, known.label, [], "name")
    return None


def _person_named(story: Story, start: int, end: int, *, last: bool) -> Party | None:
    """Return a person in the range: titled, known, or a surname of someone named earlier."""
    people = [p for p in story.people if start <= p.start < end]
    if people:
        return person_party(people[-1] if last else people[0])
    tokens = list(_CAPITALISED.finditer(story.text, start, end))
    for token in reversed(tokens) if last else tokens:
        person = full_name(story.people, token.group(), token.start())
        if person is not None:
            found = person_party(person)
            return Party(token.group(), found.iri, person.name, [], "surname")
    return None


def _role_noun(story: Story, start: int, end: int) -> Party | None:
    match = _ROLE_NOUN.search(story.text, start, end)
    if match is None:
        return None
    holders = [
        p for p in story.people if p.end <= match.start() and p.office == match.group("office")
    ]
    if not holders:  # nobody in the story holds it: the graph's holder on the story's day
        holder = office_party(story, match.group(), match.start())
        if holder is not None:
            return holder
    label = holders[-1].name if holders else None
    return Party(match.group(), None, label, [], "role noun")


def _subject(story: Story, sentence: Span, start: int) -> Party | None:
    before = story.text[sentence.start : start]
    plural = re.search(r"\bboth leaders\s*$", before, _I)
    if plural:
        return Party("both leaders", None, None, [], "plural")
    lead = re.match(r"\s*(?:During [^,]+,\s*)?(?P<pronoun>He|She)\b", before)
    if lead:
        earlier = [p for p in story.people if p.end <= sentence.start]
        holder: Person | None = earlier[-1] if earlier else None
        return Party(
            lead.group("pronoun"),
            holder.entity.iri if holder and holder.entity else None,
            holder.name if holder else None,
            [],
            "pronoun",
        )
    found = _role_noun(story, sentence.start, start) or _person_named(
        story, sentence.start, start, last=False
    )
    if found is not None:
        return found
    states = story.states_in(sentence.start, start)
    return party(states[-1]) if states else None


def encounter(story: Story, sentence: Span, kind: str, start: int, end: int) -> Found | None:
    """Return the subject, object and place of a visit, state visit, meeting or attendance."""
    where = place(story, end, sentence.end)
    text = story.text
    if kind == "visit" and re.match(r"visit\s+of\b", text[start:end]):
        subject = _person_named(story, end, sentence.end, last=False)
        to = re.search(r"\bto\s+", text[end : sentence.end])
        states = story.states_in(end + to.end(), sentence.end, parties_only=False) if to else []
        if subject is None or not states:
            return None
        return subject, party(states[0]), where
    subject = _subject(story, sentence, start)
    if subject is None:
        return None
    if kind == "meeting":
        other = _person_named(story, end, sentence.end, last=False)
        return (subject, other, where) if other else None
    if kind == "attendance":
        tail = text[end : sentence.end]
        target = re.match(r"\s*([^,.;]+?)(?=,|\.|;|\s+(?:in|on)\s+[A-Z]|$)", tail)
        if target is None:
            return None
        return subject, event_party(story, target.group(1)), where
    states = story.states_in(end, sentence.end, parties_only=False)
    if states:
        return subject, party(states[0]), where
    return None
