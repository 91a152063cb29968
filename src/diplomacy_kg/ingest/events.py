"""Rules for relation events and encounters: establishment through attendance.

Each rule is a trigger pattern with guards: a trigger inside a quotation is left to the quote
rules, an announced or hoped-for step becomes an `intent`, and a background event takes the date
written next to it, never the story's.
"""

from __future__ import annotations

import re
from datetime import timedelta

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.ingest import coherence, encounters
from diplomacy_kg.ingest.candidates import Candidate, DateValue, Party
from diplomacy_kg.ingest.gazetteer import Mention
from diplomacy_kg.ingest.story import Story, party
from diplomacy_kg.ingest.text import Span

_TIES = r"(?:(?:formal|full|official|bilateral|diplomatic|longstanding|long-standing|political|their|its|the)\s+)*(?:diplomatic\s+)?(?:relations|ties|exchanges)"  # noqa: E501
_I = re.IGNORECASE
TRIGGERS: list[tuple[str, str, re.Pattern[str], float]] = [
    (
        "exchange_of_notes",
        "notes",
        re.compile(r"\bexchang(?:e|ed|es|ing)\s+(?:of\s+)?(?:diplomatic\s+|verbal\s+)?notes\b", _I),
        0.8,
    ),
    ("joint_communique", "communique", re.compile(r"\bjoint\s+communiqu[eé]\b", _I), 0.75),
    (
        "joint_statement",
        "joint-statement",
        re.compile(
            r"\b(?:sign\w*|issu\w*|releas\w*)\s+(?:a\s+|the\s+)?joint\s+statement\b"
            r"|\bjoint\s+statement\s+(?:issued|signed|released)\s+by\b",
            _I,
        ),
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
            rf"(?<!re-)(?<!re)\b(?:establish(?:ed|es|ing)?|set\s+up|forg(?:e|ed|es|ing)|form(?:ed|alized|alised)?)\s+{_TIES}|\bestablishment of {_TIES}|\b{_TIES}(?:\s+between\s+[^,.;]{{0,60}}?)?\s+(?:were|was|have\s+been|had\s+been)\s+(?:established|formed)",  # noqa: E501
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
            rf"\b(?:sever\w*|cut(?:s|ting)?|br(?:eak|eaks|oke|eaking)(?:\s+off?)?|end(?:ed|s|ing)?|ruptur\w*)\s+(?:off\s+|of\s+)?{_TIES}|\b{_TIES}(?:\s+between\s+[^,.;]{{0,60}}?)?\s+(?:were|was|have\s+been|had\s+been)\s+(?:severed|cut|broken)|\bcut\s+ties\b",
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
            r"\b(?:held|hold|holding|in|following|during)\s+(?:(?:\w+\s+){0,3}days\s+of\s+)?"
            r"(?:\w+\s+)?(?:talks|negotiations)\b",
            _I,
        ),
        0.6,
    ),
    ("state_visit", "state-visit", re.compile(r"\bstate\s+visit\b", _I), 0.75),
    (
        "visit",
        "visit",
        re.compile(
            r"\bvisit(?:ed|s|ing)?\s+(?=(?:the\s+)?[A-Z])|\b(?:travel(?:l)?ed|arrived)\s+(?:to|in)\b"
            r"|\bvisit\s+of\b|\bvisit\s+to\s+(?=[A-Z])",
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
    (
        "attendance",
        "attend",
        re.compile(
            r"\battend(?:ed|s|ing)?\s+(?=(?:a|an|the|meetings?|talks|summits?|ceremon\w+)\b)", _I
        ),
        0.6,
    ),
]
_INTENT = re.compile(
    r"\b(?:will|would|shall|plans?\s+to|planning\s+to|intends?\s+to|seeks?\s+to|seeking\s+to|"
    r"decided\s+to\s+review|to\s+review|willingness\s+to|expected\s+to|ready\s+to|could|may|"
    r"looked?\s+forward\s+to|looks\s+forward\s+to|considering|is\s+to|are\s+to|possibility\s+of|"
    r"momentum\s+to|hopes?\s+to|aims?\s+to|in\s+order\s+to)\b[^.;]*$|\bto\s+$",
    _I,
)
# "announced its decision to break off ties": the decision is the act reported.
_DONE_BEFORE = re.compile(r"\b(?:signed|signing|agreed?|agrees|decided|decision)\b", _I)
_NEGATED = re.compile(r"\b(?:not|never|no longer)\s+(?:\w+\s+)?$", _I)
_TWO_SIDES = re.compile(
    r"\b(?:the two (?:\w+\s+)?(?:countries|sides|nations|states|governments)|both (?:countries|sides)|the neighbours|the neighbors|this country|they)\b",  # noqa: E501
    _I,
)
_PRESENT = re.compile(r"\b(?:says|is|are|announces)\b", _I)
# "…seven years after ties were cut": a state of affairs recalled, not an act reported.
_RECALLED = re.compile(r"\b(?:after|before)\s+(?:\w+\s+)?$", _I)
_IN_RETURN = re.compile(r"^\s+(?:in\s+return|in\s+response|in\s+retaliation)\b", _I)
_LIST_JOIN = re.compile(r"^\s*(?:,\s*|\s+and\s+|,\s+and\s+)(?:the\s+)?(?:Republic\s+of\s+)?$")
_N_DAY = re.compile(r"\b(?P<n>two|three|four|five|six|seven|\d)-day\b", _I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
ENCOUNTERS = {"visit", "state_visit", "meeting", "attendance"}
Found = tuple[Party | None, Party | None, Party | None]


def apply(story: Story) -> None:
    """Run every event rule over every sentence, then the story-level passes."""
    pair: list[Mention] = []
    for sentence in story.sentences:
        for kind, rule, pattern, confidence in TRIGGERS:
            for match in pattern.finditer(sentence.text):
                start = sentence.start + match.start()
                end = start + len(match.group())
                if story.in_quote(start) or _skip(story, sentence, kind, start):
                    continue
                if kind not in ENCOUNTERS:
                    date, _report = story.event_date(sentence, start)
                    if date is not None:
                        story.act_dates.append((sentence.start, date))
                for found, date_override in _parties(story, sentence, kind, start, end, pair):
                    _emit(story, sentence, kind, rule, confidence, start, found, date_override)
                pair = _pair_mentions(story, sentence) or pair
    _drop_covered(story)
    coherence.carry_dates(story)
    coherence.merge_repeats(story)


def _skip(story: Story, sentence: Span, kind: str, start: int) -> bool:
    before = story.text[sentence.start : start]
    if kind == "boycott":
        return False
    if kind == "establishment" and re.search(r"\bjoint\s+communiqu[eé]\s+on\s+$", before, _I):
        return True  # the communiqué rule covers "Joint Communiqué on establishing relations"
    if kind not in ENCOUNTERS and _RECALLED.search(before):
        # "…after ties were cut" recalls a state of affairs; "after Bhutan established relations
        # with Germany on November 25" still reports a dated act.
        return story.event_date(sentence, start)[0] is None
    return bool(_NEGATED.search(before))


def _pair_mentions(story: Story, sentence: Span) -> list[Mention]:
    states = story.states_in(sentence.start, sentence.end)
    distinct = list({m.state: m for m in states if m.state}.values())
    return distinct[:2] if len(distinct) >= 2 else []


def _parties(
    story: Story, sentence: Span, kind: str, start: int, end: int, pair: list[Mention]
) -> list[tuple[Found, DateValue | None]]:
    if kind in ENCOUNTERS:
        found = encounters.encounter(story, sentence, kind, start, end)
        return [(found, _n_day_interval(story, sentence, kind))] if found else []
    if kind == "boycott":
        found = encounters.boycott(story, sentence, start)
        return [(found, None)] if found else []
    clause = _clause_start(story, sentence, start)
    before = story.states_in(clause, start)
    after = story.states_in(end, sentence.end)
    if not before:
        before = _possessive_actor(story, clause, start)
    if not before:
        before = _country_named_before(story, sentence, clause, start, after)
    two_sides = _TWO_SIDES.search(story.text[clause:start])
    clause_end = min(
        [
            i
            for i in (
                story.text.find(", ", end, sentence.end),
                story.text.find("; ", end, sentence.end),
            )
            if i >= 0
        ]
        or [sentence.end]
    )
    if two_sides and len(pair) == 2 and not before and not story.states_in(end, clause_end):
        return [
            ((party(pair[0]), party(pair[1]), encounters.place(story, end, sentence.end)), None)
        ]
    if kind == "severance" and "from" in story.text[start:end]:
        return _switch(story, sentence, start, end, before, after)
    if kind == "recognition":
        return _recognition(story, sentence, end, before)
    listed = _listed_objects(story, after)
    if before and len(listed) >= 2:
        return _respectively(story, sentence, before[-1], listed)
    listed_before = _listed_objects(story, before[1:]) if len(before) >= 3 else []
    if len(listed_before) >= 2:
        return _respectively(story, sentence, before[0], listed_before)
    if kind == "severance" and _IN_RETURN.match(story.text[end : sentence.end]):
        earlier = [c for c in story.candidates if c.kind == "severance" and c.subject]
        if before and earlier:
            return [((party(before[-1]), earlier[-1].subject, None), None)]
    found = _pair(story, sentence, kind, start, before, after, pair)
    return [(found, None)] if found else []


# "Bolivia's government announced it had severed ties": the state acts through its
# government; a possessive speaker is otherwise not a party ("Israel's ministry said Morocco…").
_ACTOR_POSSESSIVE = re.compile(
    r"^[’']s\s+(?:\w+\s+){0,2}(?:government|foreign\s+ministry|ministry)\s+"
    r"(?:announced|said|declared|confirmed)\s+(?:that\s+)?(?:it|they)\b",
    re.IGNORECASE,
)


def _possessive_actor(story: Story, clause: int, start: int) -> list[Mention]:
    """Return the state whose government announces that it did the act, if the clause says so."""
    return [
        m
        for m in story.states_in(clause, start, parties_only=False)
        if _ACTOR_POSSESSIVE.match(story.text[m.end : start])
    ][-1:]


_THE_COUNTRY = re.compile(r"\b[Tt]he\s+(?:[\w-]+\s+){0,3}(?:country|nation)\b")


def _country_named_before(
    story: Story, sentence: Span, clause: int, start: int, after: list[Mention]
) -> list[Mention]:
    """Read "the South American country" as the state the story named last before the sentence."""
    phrase = _THE_COUNTRY.search(story.text, clause, start)
    if phrase is None:
        return []
    others = {m.state for m in after}
    earlier = [
        m for m in story.mentions if m.end <= sentence.start and m.state and m.state not in others
    ]
    if not earlier:
        return []
    last = earlier[-1]
    return [
        Mention(phrase.start(), phrase.end(), phrase.group(), "state", last.entity, (), "context")
    ]


def _clause_start(story: Story, sentence: Span, start: int) -> int:
    """Return where the clause of the trigger begins: after a reporting "that", if any."""
    that = list(re.finditer(r"\b(?:that|said|says)\s+", story.text[sentence.start : start]))
    if that and story.states_in(sentence.start + that[-1].end(), start):
        return sentence.start + that[-1].end()
    return sentence.start


def _switch(
    story: Story, sentence: Span, start: int, end: int, before: list[Mention], after: list[Mention]
) -> list[tuple[Found, DateValue | None]]:
    """Read a switch ("from Taiwan to China"): a severance, and a recognition if so worded."""
    switch = re.search(r"from\s+(\S.*?)\s+to\s+(\S+)", story.text[start : sentence.end])
    subject = party(before[0]) if before else None
    if switch is None or subject is None:
        return []
    named = [m for m in story.states_in(end, sentence.end, parties_only=False) if m.state]
    old = [m for m in named if m.start < start + switch.end(1) + 1]
    new = [m for m in named if m.start >= start + switch.start(2)]
    found: list[tuple[Found, DateValue | None]] = []
    if old:
        found.append(((subject, party(old[0]), None), None))
    if "recogni" in story.text[start:end].lower() and new:
        _emit(story, sentence, "recognition", "switch", 0.65, start, (subject, party(new[0]), None))
    return found


def _recognition(
    story: Story, sentence: Span, end: int, before: list[Mention]
) -> list[tuple[Found, DateValue | None]]:
    subject = before[0] if before else None
    inside = [
        m
        for m in story.states_in(end, sentence.end, parties_only=False)
        if m.state and (subject is None or m.state != subject.state)
    ]
    obj = inside[0] if inside else (before[-1] if len(before) > 1 else None)
    if subject is None or obj is None:
        return []
    return [((party(subject), party(obj), None), None)]


def _listed_objects(story: Story, after: list[Mention]) -> list[Mention]:
    """Return "Rwanda and Burundi" (two or more states joined by commas and "and") after a verb."""
    listed: list[Mention] = []
    for mention in _distinct(after):
        if listed and not _LIST_JOIN.match(story.text[listed[-1].end : mention.start]):
            break
        listed.append(mention)
    return listed


def _respectively(
    story: Story, sentence: Span, subject: Mention, listed: list[Mention]
) -> list[tuple[Found, DateValue | None]]:
    dates: list[DateValue | None] = [None] * len(listed)
    if re.search(r"\brespectively\b", sentence.text):
        mentions = [m for m in story.dates_in(sentence) if not story.in_quote(m.start)]
        if len(mentions) == len(listed):
            dates = [
                DateValue(str(m.value), m.value.precision, m.relative, m.text) for m in mentions
            ]
        elif len(mentions) == 1 and mentions[0].end_value is not None and len(listed) == 2:
            first, last = mentions[0].value, mentions[0].end_value
            dates = [DateValue(str(d), d.precision, False, mentions[0].text) for d in (first, last)]
    return [((party(subject), party(m), None), d) for m, d in zip(listed, dates, strict=True)]


def _pair(
    story: Story,
    sentence: Span,
    kind: str,
    start: int,
    before: list[Mention],
    after: list[Mention],
    pair: list[Mention],
) -> Found | None:
    text = story.text
    where = encounters.place(story, start, sentence.end)
    states = _distinct(before) + [
        m for m in _distinct(after) if m.state not in {b.state for b in before}
    ]
    if re.search(r"\bbetween\b", text[sentence.start : sentence.end], _I) and len(states) >= 2:
        return party(states[0]), party(states[1]), where
    if len(states) >= 2:
        if kind in {"negotiation", "joint_statement"} or len(before) >= 2:
            return party(states[0]), party(states[1]), where
        subject = before[-1] if before else states[0]
        obj = next(m for m in states if m is not subject and m.state != subject.state)
        return party(subject), party(obj), where
    context = [m for m in pair if not states or m.state != states[0].state]
    if len(states) == 1 and context:
        if _TWO_SIDES.search(text[sentence.start : start]) and states[0].start > start:
            return party(context[0]), party(states[0]), where
        return party(states[0]), party(context[0]), where
    if not states and len(pair) == 2 and _TWO_SIDES.search(text[sentence.start : sentence.end]):
        return party(pair[0]), party(pair[1]), where
    if not states and len(pair) == 2 and kind in {"negotiation", "joint_statement", "agreement"}:
        return party(pair[0]), party(pair[1]), where
    return None


def _n_day_interval(story: Story, sentence: Span, kind: str) -> DateValue | None:
    """Read "concluded his two-day visit on September 11" as the interval ending that day."""
    if kind not in {"visit", "state_visit"}:
        return None
    length = _N_DAY.search(sentence.text)
    if length is None or not re.search(r"\b(?:concluded|wrapped up|ended|ends)\b", sentence.text):
        return None
    days = [m for m in story.dates_in(sentence) if m.value.precision == "day" and not m.end_value]
    if len(days) != 1:
        return None
    count = _NUMBERS.get(length.group("n").lower()) or int(length.group("n"))
    last = days[0].value
    first = PartialDate(last.value - timedelta(days=count - 1), "day")
    return DateValue(f"{first}/{last}", "interval", days[0].relative, days[0].text)


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: dict[str | None, Mention] = {}
    for mention in mentions:
        seen.setdefault(mention.state or mention.text, mention)
    return list(seen.values())


def _emit(
    story: Story,
    sentence: Span,
    kind: str,
    rule: str,
    confidence: float,
    start: int,
    found: Found,
    date_override: DateValue | None = None,
) -> None:
    subject, obj, where = found
    before = story.text[sentence.start : start]
    date, report = story.event_date(sentence, start)
    if date_override is not None:
        date = date_override
    if kind != "boycott" and _INTENT.search(before[-60:]) and not _DONE_BEFORE.search(before):
        story.add(
            Candidate(
                "intent",
                subject,
                obj,
                date or report,
                sentence.text,
                sentence.start,
                sentence.end,
                round(confidence - 0.2, 2),
                f"intent/{rule}",
                where,
                {"step": kind},
            )
        )
        return
    if date is None and report is None and _PRESENT.search(before):
        date = DateValue(story.date.isoformat(), "day", True, None)
    extra: dict[str, str] = {}
    support = re.search(r"\bsid(?:ed|ing)\s+with\s+", before)
    if kind == "boycott" and support:
        allies = story.states_in(sentence.start + support.end(), start, parties_only=False)
        if allies and allies[0].state:
            extra["in_support_of"] = allies[0].state
    if kind == "boycott" and date is None:
        date, report = report, None
    candidate = Candidate(
        kind,
        subject,
        obj,
        date,
        sentence.text,
        sentence.start,
        sentence.end,
        confidence if subject and obj else round(confidence - 0.25, 2),
        f"{kind}/{rule}",
        where,
        extra,
    )
    if date is None and report is not None:
        story.report_dates[candidate.id] = report
    story.add(candidate)


def _drop_covered(story: Story) -> None:
    # A state visit is also matched as a visit: keep the more specific kind.
    state_visits = {(c.start, c.end) for c in story.candidates if c.kind == "state_visit"}
    story.candidates[:] = [
        c for c in story.candidates if not (c.kind == "visit" and (c.start, c.end) in state_visits)
    ]
