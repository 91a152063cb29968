"""Rules for relation events and encounters: establishment through attendance.

Each rule is a trigger pattern with guards: a trigger inside a quotation is left to the quote
rules, an announced or hoped-for step becomes an `intent`, and a background event takes the date
written next to it, never the story's.
"""

from __future__ import annotations

import re

from diplomacy_kg.ingest.candidates import Candidate, DateValue, Party
from diplomacy_kg.ingest.gazetteer import Mention
from diplomacy_kg.ingest.story import Story, party, person_party
from diplomacy_kg.ingest.text import Span

_TIES = r"(?:(?:formal|full|official|bilateral|diplomatic|longstanding|long-standing|political|their|its|the)\s+)*(?:diplomatic\s+)?(?:relations|ties|exchanges)"  # noqa: E501
_I = re.IGNORECASE
TRIGGERS: list[tuple[str, str, re.Pattern[str], float]] = [
    (
        "exchange_of_notes",
        "notes",
        re.compile(r"\bexchang(?:e|ed|es|ing)\s+(?:of\s+)?(?:diplomatic\s+)?notes\b", _I),
        0.8,
    ),
    ("joint_communique", "communique", re.compile(r"\bjoint\s+communiqu[eé]\b", _I), 0.75),
    (
        "joint_statement",
        "joint-statement",
        re.compile(r"\b(?:sign\w*|issu\w*|releas\w*)\s+(?:a\s+|the\s+)?joint\s+statement\b", _I),
        0.7,
    ),
    (
        "restoration",
        "restore",
        re.compile(
            rf"\b(?:restor|resum|re-?establish|reestablish|renew|normali[sz])\w*\s+(?:and\s+\w+\s+)?{_TIES}|\b(?:re-?establish|restore|resume)\s+relations\b|\brestoration of {_TIES}",  # noqa: E501
            _I,
        ),
        0.75,
    ),
    (
        "establishment",
        "establish",
        re.compile(
            rf"(?<!re-)(?<!re)\b(?:establish(?:ed|es|ing)?|set\s+up|forg(?:e|ed|es|ing)|form(?:ed|alized|alised)?)\s+{_TIES}|\bestablishment of {_TIES}",  # noqa: E501
            _I,
        ),
        0.8,
    ),
    (
        "severance",
        "switch",
        re.compile(
            r"\bswitch\w*\s+(?:its\s+)?(?:diplomatic\s+)?(?:recognition|ties|relations|allegiance)\s+from\b",
            _I,
        ),
        0.75,
    ),
    (
        "severance",
        "sever",
        re.compile(
            rf"\b(?:sever\w*|cut(?:s|ting)?|br(?:eak|eaks|oke|eaking)(?:\s+off)?|end(?:ed|s|ing)?|ruptur\w*)\s+(?:off\s+)?{_TIES}|\b{_TIES}\s+(?:were|was|have\s+been|had\s+been)\s+(?:severed|cut|broken)|\bcut\s+ties\b",
            _I,
        ),
        0.8,
    ),
    ("suspension", "suspend", re.compile(rf"\bsuspend\w*\s+{_TIES}", _I), 0.75),
    (
        "recognition",
        "recognise",
        re.compile(r"\brecogni[sz](?:e|es|ed|ing)\b(?!\s+by)|\brecognition of\b", _I),
        0.65,
    ),
    (
        "agreement",
        "agreement",
        re.compile(
            r"\bsign\w*\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,3}(?:agreement|accord|treaty|memorandum)\b",
            _I,
        ),
        0.6,
    ),
    (
        "negotiation",
        "talks",
        re.compile(
            r"\b(?:held|hold|holding|in)\s+(?:(?:\w+\s+){0,3}days\s+of\s+)?(?:\w+\s+)?(?:talks|negotiations)\b",
            _I,
        ),
        0.6,
    ),
    ("state_visit", "state-visit", re.compile(r"\bstate\s+visit\b", _I), 0.75),
    (
        "visit",
        "visit",
        re.compile(
            r"\bvisit(?:ed|s|ing)?\s+(?=[A-Z])|\b(?:travel(?:l)?ed|arrived)\s+(?:to|in)\b|\bvisit\s+of\b",
            0,
        ),
        0.7,
    ),
    (
        "meeting",
        "meet",
        re.compile(
            r"\bmet\s+(?:today\s+)?(?:with\s+)?(?=[A-Z]|the\s)|\bhad\s+(?:a\s+)?(?:\w+\s+)?(?:meeting|conversations?|talks)\s+with\b|\bjoined\s+(?=[A-Z])",
            0,
        ),
        0.7,
    ),
    ("boycott", "boycott", re.compile(r"\bboycott\w*\b|\bwill\s+not\s+send\b", _I), 0.7),
    ("attendance", "attend", re.compile(r"\battend(?:ed|s|ing)?\s+(?:a|an|the)\b", _I), 0.6),
]
_INTENT = re.compile(
    r"\b(?:will|would|shall|plans?\s+to|planning\s+to|intends?\s+to|seeks?\s+to|seeking\s+to|"
    r"decided\s+to\s+review|to\s+review|willingness\s+to|expected\s+to|ready\s+to|could|may|"
    r"looked?\s+forward\s+to|looks\s+forward\s+to|considering|is\s+to|are\s+to|possibility\s+of|"
    r"momentum\s+to|hopes?\s+to|aims?\s+to|in\s+order\s+to)\b[^.;]*$|\bto\s+$",
    _I,
)
_DONE_BEFORE = re.compile(r"\b(?:signed|signing|agreed|decided)\b", _I)
_NEGATED = re.compile(r"\b(?:not|never|no longer)\s+(?:\w+\s+)?$", _I)
_TWO_SIDES = re.compile(
    r"\b(?:the two (?:countries|sides|nations|states|governments)|both (?:countries|sides)|the neighbours|the neighbors|this country|they)\b",  # noqa: E501
    _I,
)
_PRESENT = re.compile(r"\b(?:says|is|are|announces)\b", _I)


def apply(story: Story) -> None:
    """Run every event rule over every sentence."""
    pair: list[Mention] = []
    for sentence in story.sentences:
        for kind, rule, pattern, confidence in TRIGGERS:
            for match in pattern.finditer(sentence.text):
                start = sentence.start + match.start()
                if story.in_quote(start) or _skip(story, sentence, kind, match, start):
                    continue
                found = _parties(story, sentence, kind, start, start + len(match.group()), pair)
                if found is None:
                    continue
                subject, obj, place = found
                _emit(
                    story,
                    sentence,
                    kind,
                    rule,
                    confidence,
                    start,
                    start + len(match.group()),
                    subject,
                    obj,
                    place,
                )
                pair = [m for m in _pair_mentions(story, sentence, start)] or pair
    _drop_covered(story)


def _skip(story: Story, sentence: Span, kind: str, match: re.Match[str], start: int) -> bool:
    before = story.text[sentence.start : start]
    if kind == "boycott":
        return False
    if kind == "establishment" and re.search(r"\bjoint\s+communiqu[eé]\s+on\s+$", before, _I):
        return True  # the communiqué rule covers "Joint Communiqué on establishing relations"
    return bool(_NEGATED.search(before))


def _pair_mentions(story: Story, sentence: Span, start: int) -> list[Mention]:
    states = story.states_in(sentence.start, sentence.end)
    distinct = list({m.state: m for m in states if m.state}.values())
    return distinct[:2] if len(distinct) >= 2 else []


def _parties(
    story: Story, sentence: Span, kind: str, start: int, end: int, pair: list[Mention]
) -> tuple[Party | None, Party | None, Party | None] | None:
    text = story.text
    place = _place(story, end, sentence.end)
    if kind in {"visit", "state_visit", "meeting", "attendance"}:
        return _encounter(story, sentence, kind, start, end, place)
    before = story.states_in(sentence.start, start)
    after = story.states_in(end, sentence.end)
    switch = re.search(r"from\s+(\S.*?)\s+to\s+(\S+)", text[start : sentence.end])
    if kind == "boycott":
        return _boycott(story, sentence, start, end)
    if kind == "severance" and switch and "from" in text[start:end]:
        subject = before[0] if before else None
        old = [m for m in after if m.start < start + switch.end(1) + 1]
        return (party(subject) if subject else None, party(old[0]) if old else None, None)
    if kind == "recognition":
        subject = before[0] if before else None
        inside = [
            m
            for m in story.states_in(end, sentence.end, parties_only=False)
            if m.state and (subject is None or m.state != subject.state)
        ]
        obj = inside[0] if inside else (before[-1] if len(before) > 1 else None)
        if subject is None or obj is None:
            return None
        return party(subject), party(obj), None
    states = _distinct(before) + [
        m for m in _distinct(after) if m.state not in {b.state for b in before}
    ]
    if re.search(r"\bbetween\b", text[sentence.start : sentence.end], _I) and len(states) >= 2:
        return party(states[0]), party(states[1]), place
    if len(states) >= 2:
        if kind in {"negotiation", "joint_statement"} or len(before) >= 2:
            return party(states[0]), party(states[1]), place
        subject = before[-1] if before else states[0]
        obj = next(m for m in states if m is not subject and m.state != subject.state)
        return party(subject), party(obj), place
    context = [m for m in pair if not states or m.state != states[0].state]
    if len(states) == 1 and context:
        if _TWO_SIDES.search(text[sentence.start : start]) and states[0].start > start:
            return party(context[0]), party(states[0]), place
        return party(states[0]), party(context[0]), place
    if not states and len(pair) == 2 and _TWO_SIDES.search(text[sentence.start : sentence.end]):
        return party(pair[0]), party(pair[1]), place
    if not states and len(pair) == 2 and kind in {"negotiation", "joint_statement", "agreement"}:
        return party(pair[0]), party(pair[1]), place
    return None


_EVENT_NAME = re.compile(
    r"(?:boycott\w*|to|of|attend\w*)\s+(?P<event>the\s+[^,.;]*?(?:Olympics|Olympic Games|Games"
    r"|World Cup|Cup|[Ss]ummit|ceremony|inauguration|[Cc]hampionships?|Expo|[Cc]onference"
    r"|[Ff]orum))\b"
)


def _boycott(
    story: Story, sentence: Span, start: int, end: int
) -> tuple[Party | None, Party | None, Party | None] | None:
    before = story.states_in(sentence.start, start) or story.states_in(start, sentence.end)
    if not before:
        return None
    named = _EVENT_NAME.search(story.text, start, sentence.end)
    if named is None:
        return party(before[-1]), None, None
    return party(before[0]), event_party(story, named.group("event")), None


def event_party(story: Story, name: str) -> Party:
    """Return an event as a party, resolved when the graph holds an event of that name."""
    bare = re.sub(r"^the\s+", "", name, flags=_I)
    entity = story.gazetteer.events.get(bare.lower())
    if entity is not None:
        return Party(name, entity.iri, entity.label, [], "name")
    return Party(name, None, None, [], "new event")


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: dict[str | None, Mention] = {}
    for mention in mentions:
        seen.setdefault(mention.state or mention.text, mention)
    return list(seen.values())


def _place(story: Story, start: int, end: int) -> Party | None:
    window = story.text[start:end]
    for match in re.finditer(
        r"\b(?:in|at|to)\s+(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", window
    ):
        name = match.group(1)
        place = story.gazetteer.places.get(name)
        if place is not None:
            return Party(name, place.iri, place.label, [], "name")
        for mention in story.mentions:
            if mention.start == start + match.start(1) and mention.kind in {"capital", "city"}:
                return Party(name, None, None, [], "capital, no place node")
    return None


def _encounter(
    story: Story, sentence: Span, kind: str, start: int, end: int, place: Party | None
) -> tuple[Party | None, Party | None, Party | None] | None:
    people = [p for p in story.people if sentence.start <= p.start < start]
    pronoun = re.search(r"\b(?:He|She|he|she)\b", story.text[sentence.start : start])
    subject: Party | None = None
    if people:
        subject = person_party(people[-1])
    elif pronoun:
        earlier = [p for p in story.people if p.end <= sentence.start]
        if earlier:
            subject = Party(
                pronoun.group(),
                earlier[-1].entity.iri if earlier[-1].entity else None,
                earlier[-1].name,
                [],
                "pronoun",
            )
    if subject is None:
        states = story.states_in(sentence.start, start)
        if states:
            subject = party(states[-1])
        elif re.search(r"\bboth leaders\b", story.text[sentence.start : start], _I):
            subject = Party("both leaders", None, None, [], "plural")
    if subject is None:
        return None
    tail = story.text[end : sentence.end]
    if kind == "meeting":
        others = [p for p in story.people if end <= p.start < sentence.end]
        if not others:
            return None
        return subject, person_party(others[0]), place
    if kind == "attendance":
        target = re.match(r"\s*((?:a|an|the)\s+[^,.;]+?)(?=,|\.|;|\s+(?:in|on)\s+[A-Z]|$)", tail)
        return subject, event_party(story, target.group(1)) if target else None, place
    states = story.states_in(end, sentence.end, parties_only=False)
    if states:
        return subject, party(states[0]), place
    return None


def _emit(
    story: Story,
    sentence: Span,
    kind: str,
    rule: str,
    confidence: float,
    start: int,
    end: int,
    subject: Party | None,
    obj: Party | None,
    place: Party | None,
) -> None:
    before = story.text[sentence.start : start]
    date = story.date_near(sentence, start)
    if kind != "boycott" and _INTENT.search(before[-60:]) and not _DONE_BEFORE.search(before[-60:]):
        story.add(
            Candidate(
                "intent",
                subject,
                obj,
                date,
                sentence.text,
                sentence.start,
                sentence.end,
                round(confidence - 0.2, 2),
                f"intent/{rule}",
                place,
                {"step": kind},
            )
        )
        return
    if date is None and _PRESENT.search(before):
        date = DateValue(story.date.isoformat(), "day", True, None)
    extra: dict[str, str] = {}
    support = re.search(r"\bsid(?:ed|ing)\s+with\s+", before)
    if kind == "boycott" and support:
        allies = story.states_in(sentence.start + support.end(), start, parties_only=False)
        if allies and allies[0].state:
            extra["in_support_of"] = allies[0].state
    story.add(
        Candidate(
            kind,
            subject,
            obj,
            date,
            sentence.text,
            sentence.start,
            sentence.end,
            confidence if subject and obj else round(confidence - 0.25, 2),
            f"{kind}/{rule}",
            place,
            extra,
        )
    )


def _drop_covered(story: Story) -> None:
    # A state visit is also matched as a visit: keep the more specific kind.
    state_visits = {(c.start, c.end) for c in story.candidates if c.kind == "state_visit"}
    story.candidates[:] = [
        c for c in story.candidates if not (c.kind == "visit" and (c.start, c.end) in state_visits)
    ]
