"""Persons named in a story: titles and offices before or after a name, surnames, pronouns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from diplomacy_kg.ingest.gazetteer import Entity, Mention

# A capitalised word (not its possessive 's), or a particle joined to one: al-Shaibani.
_TOKEN = (
    r"(?:[A-ZÀ-Ý](?:[\w’'.-](?![’']s\b))*[\w.]"
    r"|(?:al|el|bin|bint|de|da|van|von|ibn)[-\s][A-ZÀ-Ý]?[\w-]+)"
)
_NAME = rf"(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN}){{0,3}}(?:,[ \t]+Jr\.)?)"
OFFICES = (
    r"(?:Deputy\s+|Vice\s+|Acting\s+|Former\s+|former\s+)?(?:"
    r"Minister of Foreign Affairs(?:,\s+[A-Z][\w]+(?:\s+(?:and\s+)?[A-Z][\w]+)*)?"
    r"|Minister of External Affairs|Minister for Foreign Affairs|Foreign Minister"
    r"|Foreign Secretary|Secretary of Foreign Relations|Prime Minister|President|Premier"
    r"|Secretary of State|Secretary-General|Secretary General|Party General Secretary"
    r"|General Secretary|Permanent Representative|Ambassador|Chancellor|King|Emir"
    r"|Crown Prince|Supreme Leader|National Security Adviser|Foreign Ministry spokesperson"
    r"|(?:press|foreign ministry|government)\s+(?:secretary|spokesperson|spokesman|spokeswoman)"
    r"|First Lady|leader|ambassador|envoy|spokesman|spokeswoman|spokesperson"
    r"|Minister (?:of|for) (?:the\s+)?[A-Z][\w-]+(?:\s+(?:and\s+)?[A-Z][\w-]+)*?"
    r"|(?:Intelligence|Defence|Defense|Finance|Interior|Trade|Economy|Justice|Health) Minister)"
)
_HONORIFIC = (
    r"(?:(?:H\.E\.|His Excellency|Her Excellency)\s+)?(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?"
    r"(?:(?:Colonel|Col\.|General|Gen\.|Major|Captain|Admiral|Lieutenant|Lt\.)\s+)?"
)
# "South Korean Foreign Minister Cho Tae-yul", "White House press secretary Jen Psaki"
TITLED = re.compile(rf"(?P<office>{OFFICES})\s+(?:of\s+\w+\s+)?{_HONORIFIC}{_NAME}")
# "Abdulla Shahid, Minister of Foreign Affairs of the Republic of Maldives"
APPOSED = re.compile(rf"{_HONORIFIC}{_NAME},\s+(?P<office>{OFFICES})\b(?P<rest>[^,;.]*)")
# "Permanent Representative of Sri Lanka to the United Nations, Mohan Pieris"
TRAILING = re.compile(rf"(?P<office>{OFFICES})\b(?P<rest>[^,;.\n]{{0,80}}?),\s+{_HONORIFIC}{_NAME}")
_NOT_NAMES = {
    "The",
    "He",
    "She",
    "It",
    "They",
    "We",
    "In",
    "On",
    "At",
    "But",
    "And",
    "During",
    "After",
    "White",
    "House",
    "Foreign",
    "Ministry",
    "Minister",
    "State",
    "Government",
}


@dataclass(frozen=True)
class Person:
    """A person named in the story, with the office and state the text gives them."""

    start: int
    end: int
    name: str
    office: str | None
    office_start: int
    office_end: int
    state: str | None
    entity: Entity | None


def find_people(text: str, mentions: list[Mention]) -> list[Person]:
    """Return the persons named with a title or office, and those the gazetteer knows."""
    people: dict[tuple[int, int], Person] = {}
    for pattern in (TITLED, APPOSED, TRAILING):
        for match in pattern.finditer(text):
            name, start, end = _trim(match.group("name"), match.start("name"))
            name, end = _cut_at_place(mentions, name, start, end)
            if name is None or any(s <= start < e for s, e in people):
                continue
            office = _clean_office(match.group("office"))
            first = min(match.start(), start)
            last = max(match.end("office"), end)
            state = _state_of(mentions, match.start() - 40, match.end(), first)
            known = _known(mentions, start, end)
            people[(start, end)] = Person(start, end, name, office, first, last, state, known)
    for mention in mentions:
        if mention.kind == "person" and not any(s <= mention.start < e for s, e in people):
            people[(mention.start, mention.end)] = Person(
                mention.start,
                mention.end,
                mention.text,
                None,
                mention.start,
                mention.end,
                None,
                mention.entity,
            )
    # "Minister of Foreign Affairs, Eamon Courtenay": one person, not also "Courtenay" within it.
    spans = list(people)
    kept = [
        person
        for (start, end), person in people.items()
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
    ]
    return sorted(kept, key=lambda person: person.start)


def _cut_at_place(
    mentions: list[Mention], name: str | None, start: int, end: int
) -> tuple[str | None, int]:
    """Cut a name where a state's or place's name begins: "Visits North Korea" is no person."""
    if name is None:
        return None, end
    for mention in mentions:
        if mention.kind != "person" and start <= mention.start < end:
            cut = name[: mention.start - start].strip()
            return (cut or None), start + len(cut)
    return name, end


def _trim(name: str, start: int) -> tuple[str | None, int, int]:
    tokens = name.split()
    while tokens and tokens[-1].rstrip(",.") in _NOT_NAMES:
        tokens.pop()
    while tokens and tokens[0] in _NOT_NAMES:
        start += len(tokens[0]) + 1
        tokens.pop(0)
    if not tokens:
        return None, start, start
    cleaned = " ".join(tokens)
    if cleaned.endswith(".") and not cleaned.endswith("Jr."):
        cleaned = cleaned[:-1]
    return cleaned, start, start + len(cleaned)


def _clean_office(office: str) -> str:
    return re.sub(r"\s+", " ", office).strip()


def _state_of(mentions: list[Mention], lo: int, hi: int, anchor: int) -> str | None:
    before = [m for m in mentions if lo <= m.start < anchor and m.state and anchor - m.end <= 3]
    if before:
        return before[-1].state
    inside = [m for m in mentions if anchor <= m.start < hi and m.state]
    return inside[0].state if inside else None


def _known(mentions: list[Mention], start: int, end: int) -> Entity | None:
    for mention in mentions:
        if mention.kind == "person" and mention.start <= start and end <= mention.end:
            return mention.entity
    return None


def full_name(people: list[Person], token: str, before: int) -> Person | None:
    """Return the person a surname or first name stands for, named before `before`."""
    for person in reversed([p for p in people if p.start < before]):
        parts = person.name.replace(",", "").split()
        if token in (parts[0], parts[-1]) or (len(parts) > 1 and token == parts[-2]):
            return person
    return None


def nearest_person(people: list[Person], before: int) -> Person | None:
    """Return the person named last before the offset (for "he said")."""
    earlier = [p for p in people if p.end <= before]
    return earlier[-1] if earlier else None
