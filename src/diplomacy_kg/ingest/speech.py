"""Rules for what people and bodies say and are: quotes, statements, claims, roles, incidents."""

from __future__ import annotations

import re

from diplomacy_kg.ingest import roles
from diplomacy_kg.ingest.candidates import Candidate, DateValue, Party
from diplomacy_kg.ingest.offices import office_key
from diplomacy_kg.ingest.people import full_name, nearest_person
from diplomacy_kg.ingest.story import Story, party, person_party, sentence_at, to_date_value
from diplomacy_kg.ingest.text import Quotation

_I = re.IGNORECASE
_VERB = r"(?:said|says|told|added|wrote|stated|noted|stressed|emphasized|emphasised|declared|reported|announced|explained|insisted|tweeted|warned)"  # noqa: E501
_ACTOR = (
    r"(?P<actor>(?:[\w’'.-]+[ \t]+){0,8}?"
    r"(?:[A-Z][\w’'.-]*|ministry|spokesperson|spokesman|spokeswoman|official|source|statement|"
    r"government|agency|country|office|embassy|president|minister|diplomat|he|she|it|they))"
)
# ”…,” X said / ”…” said X / X said, “…”
# never across a line; "she also stressed"
AFTER_CUE = re.compile(
    rf"^[\s,]*(?:{_ACTOR}(?:[ \t]+(?:also|then|later|further|again))?[ \t]+{_VERB}\b)"
)
# ”…,” RT quoted Deputy Foreign Minister Freddy Mamani as saying
_QUOTED_AS = re.compile(
    r"^[\s,]*(?:[A-Z][\w.’'-]*[ \t]+){1,4}?quoted[ \t]+(?P<actor>[^,.;:\n“”\"]{1,80}?)"
    r"[ \t]+as[ \t]+saying\b"
)
AFTER_VERB_FIRST = re.compile(rf"^[\s,]*{_VERB}\s+{_ACTOR}")
# ”…” said government spokesman Colonel Abdoulaye Maiga in a statement: the whole phrase up to
# a preposition or punctuation, so that the person it names is found in it.
_AFTER_VERB_PHRASE = re.compile(
    rf"^[\s,]*{_VERB}\s+(?P<actor>(?:(?:Mr|Ms|Mrs|Dr|Col|Gen|Lt|Sen|Rep|St)\.\s*|[^,.;:\n“”\"])"
    r"{1,80}?)(?=\s+(?:in|on|at|during|to|after|before|when|while|as|from|of)\b|[,.;:\n]|$)"
)
# ”…,” Roberto Canseco, head of the Mexican consular section in Quito, told local press /
# ”…,” the government, led by Prime Minister Johnny Briceño, said
AFTER_APPOSED = re.compile(
    rf"^[\s,]*(?P<actor>(?:[Tt]he\s+(?:[A-Za-z][\w’'.-]*\s+){{0,2}}[a-z][\w’'-]*|[A-Z][\w’'.-]*"
    rf"(?:\s+[A-Z][\w’'.-]*){{0,3}})),\s+[^,“”\"\n]{{1,80}},\s+{_VERB}\b"
)
# X …, calling it “…” / with Mexico denouncing the raid as “…”: a participle cue.
_PARTICIPLE = re.compile(
    r"(?P<head>.*?)(?:^|(?<=[\s,]))(?:stating|adding|declaring|noting|writing|calling|describing"
    r"|denouncing|terming|branding|labell?ing|saying)\b(?:\s+in\s+a\s+statement)?[^“”\".;]{0,80}$",
    re.DOTALL,
)
_CLAUSE_SUBJECT = re.compile(
    r"^(?:(?:However|But|Meanwhile|Later|Earlier|Separately|Instead),?\s+)?"
    r"(?P<who>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*(?:\s+(?:foreign\s+)?(?:presidency|ministry|"
    r"government|office|spokesperson|spokesman|embassy|agency))?)"
)
_TRAILING_NAME = re.compile(r"(?P<who>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})\s*$")
_NOT_SUBJECTS = {"The", "A", "An", "It", "This", "That", "These", "Those", "In", "On", "At"}
BEFORE_CUE = re.compile(
    rf"{_ACTOR}\s+(?:{_VERB}|expressed\s+\w+\s+that|saying|said\s+that|added\s+that"
    r"|(?:again\s+)?(?:described|called|termed|dubbed)\s+[^“\"]{0,80}?\s+as"
    r"|(?:as\s+)?saying\s+that)[\s,:]*$"
)
_PRONOUNS = {"he", "she", "it", "they"}
# "Qatar's Foreign Ministry", "Qatar's ministry", "the Nigerien Ministry of Foreign Affairs"
_NAMED_MINISTRY = re.compile(
    r"\b[A-Z][\w-]+[’']s\s+(?:[Ff]oreign\s+)?[Mm]inistry(?:\s+of\s+[Ff]oreign\s+[Aa]ffairs)?\b"
    r"|\b(?:the\s+)?[A-Z][\w-]+\s+Ministry\s+of\s+Foreign\s+Affairs\b"
)
# "The letter, issued by the Nigerien Ministry of Foreign Affairs …, stated that … “…”": the issuer.
_ISSUED = re.compile(
    r"\b(?i:letter|statement|communiqu[eé]|note|decree|declaration|document|memo|release)\b"
    r"[^.;“\"]{0,40}?\b(?:issued|released|signed|sent|published)\s+by\s+"
    r"(?P<who>(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w’'-]*)*)"
    r"[^“\"]*?\b(?:stated|said|says|read|reads|added|declared|noted)\b"
)
# "… a move the South Korean ministry said opens …": the nearest speaker before the quotation.
_SAID = re.compile(
    r"(?P<who>(?:[Tt]he|[Aa]n?|[Tt]heir|[Ii]ts)\s+(?:[\w’'-]+\s+){0,3}?(?:ministry|spokesperson|spokesman|"
    r"government|official|source|agency|office|embassy|president|minister|statement)"
    rf"|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)\s+(?:{_VERB}|says|declared)\b"
)
# "As a result, it continued, the government …": a reporting clause set off by commas.
_PARENTHETICAL = re.compile(
    r"(?:^|,\s*)(?P<who>[Hh]e|[Ss]he|[Ii]t|[Tt]hey)\s+(?:said|added|continued|noted|stressed)\s*,"
)
STATEMENT = re.compile(
    r"\b(?P<actor>(?:(?:[A-Z][\w’'.-]*|the|a|an)\s+){0,5}?(?:foreign\s+|external\s+)?"
    r"(?:ministry|government|White House|Foreign Office|Kremlin|presidency|President|state department))"  # noqa: E501
    r"(?:[’']s)?\s+(?:said|announced|stated|emphasized|emphasised|expressed|welcomed|"
    r"made the announcement)\b|\b(?P<actor2>[A-Z][\w-]+)\s+made the announcement\b"
    r"|\bthe announcement by (?P<actor3>[^,.;]+?(?:ministry|government))\b"
    r"|quoted (?P<actor4>an? [^,.;]+? official) as saying"
    r"|\baccording to (?P<actor5>[A-Z][\w’'-]+[’']s\s+(?:[Ff]oreign\s+)?[Mm]inistry)"
    r"|(?P<actor6>(?:[A-Z][\w’'.-]*\s+){1,4}[A-Z][\w’'-]+)\s+(?:has\s+|had\s+)?"
    r"(?:tweeted|confirm(?:s|ed)|revealed|announced)(?:\s+\w+)?\s+that\b",
)
CLAIMS = re.compile(
    r"\bis now the \d+(?:st|nd|rd|th)\b|\bleaves (?:\w+\s+){1,3}(?:with|recognized|recognised)\b"
    r"|\bnow has (?:diplomatic relations|official ties|ties|relations) with\b"
    r"|\bonly one U\.?N\.? member state\b|\bhave maintained close (?:\w+\s+)?ties\b"
    r"|\bhas maintained close ties\b|\bsteadily increased\b|\bstepped up its diplomacy\b"
    r"|\bwas not the same\b|\bhave not been the same\b|\bthe only (?:communist )?country\b",
    _I,
)
INCIDENT = re.compile(
    r"\b(?:expel\w*|recall\w*|summon\w*)\s+(?:the\s+|its\s+|their\s+)?(?:\w+\s+)?(?:ambassador|envoy|diplomats?|charg[eé])\b"
    r"|\bstorm\w*\s+of\s+(?:its|the)\s+embassy\b|\battack\w*\s+on\s+(?:the|its)\s+embassy\b"
    r"|\bordered\s+(?:the\s+)?(?:\w+\s+)?(?:ambassador|envoy|diplomats?)\b[^.;]{0,40}?\bto\s+leave\b"
    r"|\bexpulsion\s+of\s+(?:the\s+)?(?:\w+\s+)?(?:ambassador|envoy|diplomats?)\b",
    _I,
)


def apply(story: Story) -> None:
    """Run the quote, statement, claim, role and incident rules."""
    last_speaker: Party | None = None
    previous: Quotation | None = None
    for quote in story.quotes:
        if not _is_quotation(quote):
            continue
        speaker = _speaker(story, quote, last_speaker)
        following = _joined_to_next(story, quote)
        if speaker is None and following is not None:
            # ”We demand …“ in the Gaza Strip ”which …,“ she stressed: the next one's speaker
            speaker = _speaker(story, following, last_speaker)
        if speaker is None and last_speaker is not None and _continues(story, quote, previous):
            # A quoted paragraph with no cue of its own goes on with the speaker before it.
            speaker = Party(
                last_speaker.text, last_speaker.iri, last_speaker.label, [], "earlier speaker"
            )
        if speaker is not None:
            last_speaker = speaker
        previous = quote
        story.add(
            Candidate(
                "quote",
                speaker,
                None,
                _cue_date(story, quote),
                quote.inner.text,
                quote.inner.start,
                quote.inner.end,
                0.7 if speaker and speaker.how != "pronoun" else 0.5,
                "quote/" + ("speaker" if speaker else "no-speaker"),
            )
        )
    for sentence in story.sentences:
        for match in STATEMENT.finditer(sentence.text):
            start = sentence.start + match.start()
            if story.in_quote(start):
                continue
            actor = next(
                g
                for g in ("actor", "actor2", "actor3", "actor4", "actor5", "actor6")
                if match.group(g)
            )
            text = match.group(actor)
            speaker = _actor_party(story, text, sentence.start + match.start(actor))
            story.add(
                Candidate(
                    "statement",
                    speaker,
                    None,
                    story.date_near(sentence, start),
                    match.group(),
                    start,
                    sentence.start + match.end(),
                    0.6,
                    "statement/reporting-verb",
                )
            )
        for match in CLAIMS.finditer(sentence.text):
            if story.in_quote(sentence.start + match.start()):
                continue
            states = story.states_in(sentence.start, sentence.end, parties_only=False)
            subject = party(states[0]) if states else None
            story.add(
                Candidate(
                    "claim",
                    subject,
                    None,
                    DateValue(story.date.isoformat(), "day", False, None),
                    sentence.text,
                    sentence.start,
                    sentence.end,
                    0.5,
                    "claim/assertion",
                    extra={"text": sentence.text},
                )
            )
        for match in INCIDENT.finditer(sentence.text):
            start = sentence.start + match.start()
            states = story.states_in(sentence.start, sentence.end)
            story.add(
                Candidate(
                    "incident",
                    party(states[0]) if states else None,
                    party(states[1]) if len(states) > 1 else None,
                    story.date_near(sentence, start),
                    sentence.text,
                    sentence.start,
                    sentence.end,
                    0.5,
                    "incident/embassy",
                )
            )
    roles.apply(story)


def _cue_date(story: Story, quote: Quotation) -> DateValue | None:
    """Return the date of the cue right after a quotation ("…,” Psaki said Monday)."""
    sentence = sentence_at(story, quote.outer.start)
    cue = story.text[quote.outer.end : min(sentence.end, quote.outer.end + 60)]
    if not AFTER_CUE.match(cue) and not AFTER_VERB_FIRST.match(cue):
        return None
    for mention in story.dates_in(sentence):
        if quote.outer.end <= mention.start < quote.outer.end + 60:
            return to_date_value(mention)
    return None


def _is_quotation(quote: Quotation) -> bool:
    words = quote.inner.text.split()
    # A single word without its own punctuation is a scare quote ("welcomed"), not a quotation.
    return len(words) > 1 or bool(re.search(r"[.!?,]$", quote.inner.text))


def _joined_to_next(story: Story, quote: Quotation) -> Quotation | None:
    """Return the quotation that follows this one in its sentence after a few words, if any."""
    sentence = sentence_at(story, quote.outer.start)
    for other in story.quotes:
        if other.outer.start < quote.outer.end or other.outer.start >= sentence.end:
            continue
        gap = story.text[quote.outer.end : other.outer.start]
        if len(gap) <= 60 and not re.search(rf"\b{_VERB}\b|\b(?:saying|according)\b", gap):
            return other
        return None
    return None


def _continues(story: Story, quote: Quotation, previous: Quotation | None) -> bool:
    """Whether a quotation goes on from the one before: joined to it, or a sentence of its own."""
    if previous is None:
        return False
    sentence = sentence_at(story, quote.outer.start)
    alone = story.text[sentence.start : quote.outer.start].strip() == "" and (
        story.text[quote.outer.end : sentence.end].strip(" .\n") == ""
    )
    between = story.text[previous.outer.end : quote.outer.start]
    if re.fullmatch(r"\s*(?:,|and|or|but|,\s*and)\s*", between):
        return True  # calling it “…” and “…”: the second goes with the first
    before = sentence_at(story, previous.outer.start)
    return alone and (before.end >= sentence.start - 2 or between.strip(" .,\n") == "")


def _cue_extent(after: str, start: int) -> int:
    """Return where a verb-first cue ends: at its second comma, a quotation or a line end."""
    end = start
    commas = 0
    while end < len(after) and after[end] not in '\n“”".;':
        if after[end] == ",":
            commas += 1
            if commas == 2:
                break
        end += 1
    return end


def _speaker(story: Story, quote: Quotation, last: Party | None) -> Party | None:
    after = story.text[quote.outer.end : quote.outer.end + 120]
    phrase = _AFTER_VERB_PHRASE.match(after)
    if phrase and any(
        quote.outer.end + phrase.start("actor") <= p.start < quote.outer.end + phrase.end("actor")
        for p in story.people
    ):
        offset = quote.outer.end + phrase.start("actor")
        return _actor_party(story, phrase.group("actor"), offset, last)
    quoted = _QUOTED_AS.match(after)
    if quoted:
        offset = quote.outer.end + quoted.start("actor")
        return _actor_party(story, quoted.group("actor"), offset, last)
    first = AFTER_VERB_FIRST.match(after)
    if first:  # said the spokesman for the ministry, Lior Haiat: the person named in the cue
        cue_end = quote.outer.end + _cue_extent(after, first.start("actor"))
        named = [
            p for p in story.people if quote.outer.end + first.start("actor") <= p.start < cue_end
        ]
        if named:
            return person_party(named[0])
    apposed = AFTER_APPOSED.match(after)
    if apposed and not AFTER_CUE.match(after):
        offset = quote.outer.end + apposed.start("actor")
        return _actor_party(story, apposed.group("actor"), offset, last)
    match = AFTER_CUE.match(after) or AFTER_VERB_FIRST.match(after)
    if match and re.match(r"[\s,:]*[“\"”]", after[match.end() :]):
        match = None  # "The ministry added, “…" introduces the next quotation
    if (
        match
        and not re.search(r"[,.!?…]$", quote.inner.text)
        and not quote.inner.text[:1].isupper()
    ):
        match = None
    if match and match.re is AFTER_VERB_FIRST and phrase:
        match = phrase  # said Qatar's foreign ministry: the whole phrase, not its first word
    if match:
        return _actor_party(
            story, match.group("actor"), quote.outer.end + match.start("actor"), last
        )
    sentence = sentence_at(story, quote.outer.start)
    before = story.text[max(sentence.start, quote.outer.start - 160) : quote.outer.start]
    match = BEFORE_CUE.search(before)
    if match:
        offset = quote.outer.start - len(before) + match.start("actor")
        return _actor_party(story, match.group("actor"), offset, last)
    tail = story.text[quote.outer.end : sentence.end]
    cue = re.search(rf"\b{_VERB}\s+(?:a|an|the)\s+([^,.;]+)", tail)
    if cue:
        return _actor_party(story, cue.group(1), quote.outer.end + cue.start(1), last)
    if re.search(r"\bsaying[\s,]*$|\bsaying it\b", story.text[sentence.start : quote.outer.start]):
        people = [p for p in story.people if sentence.start <= p.start < quote.outer.start]
        if people:
            return person_party(people[0])
        states = story.states_in(sentence.start, quote.outer.start)
        return party(states[0]) if states else None
    issued = list(_ISSUED.finditer(story.text, sentence.start, quote.outer.start))
    if issued:
        issuer = issued[-1]
        return _actor_party(story, issuer.group("who"), issuer.start("who"), last)
    participle = _participle_speaker(story, sentence.start, quote.outer.start, last)
    if participle is not None:
        return participle
    aside = _PARENTHETICAL.search(story.text, sentence.start, quote.outer.start)
    if aside:
        return _actor_party(story, aside.group("who"), aside.start("who"), last)
    said = list(_SAID.finditer(story.text, sentence.start, quote.outer.start))
    if said:
        actor = said[-1]
        return _actor_party(story, actor.group("who"), actor.start("who"), last)
    return None


def _body_before(story: Story, offset: int) -> Party | None:
    """Return the body ("the ministry", "The Belize government") that spoke just before."""
    found = [
        m
        for m in _SAID.finditer(story.text, max(0, offset - 300), offset)
        if m.group("who")[:1] in "Tt" and m.group("who").split()[0].lower() == "the"
    ]
    if not found:
        return None
    who = found[-1]
    return _actor_party(story, who.group("who"), who.start("who"))


def _named_holder(story: Story, text: str, offset: int) -> Party | None:
    """Return the person the story named earlier in the office "the foreign minister" names."""
    if not re.match(r"(?:the|its|their)\s", text, re.IGNORECASE):
        return None
    key = office_key(text)
    earlier = [
        p for p in story.people if p.end <= offset and p.office and office_key(p.office) == key
    ]
    if not earlier:
        return None
    person = earlier[-1]
    iri = person.entity.iri if person.entity else None
    return Party(text, iri, person.name, [], "role noun")


def _participle_speaker(story: Story, start: int, end: int, last: Party | None) -> Party | None:
    """Return who a participle cue ("…, calling it “…”") attributes the quotation to."""
    match = _PARTICIPLE.match(story.text, start, end)
    if match is None:
        return None
    head = match.group("head")
    trailing = _TRAILING_NAME.search(head)
    if trailing and not head.rstrip().endswith(","):
        return _actor_party(story, trailing.group("who"), start + trailing.start("who"), last)
    subject = _CLAUSE_SUBJECT.match(head)
    if subject is None or subject.group("who").split()[0] in _NOT_SUBJECTS:
        return None
    return _actor_party(story, subject.group("who"), start + subject.start("who"), last)


def _actor_party(story: Story, text: str, offset: int, last: Party | None = None) -> Party:
    text = text.strip().rstrip(".,;:")
    lead = re.match(r"(?:with|and|but|while|as)\s+(?=[A-Z])", text)
    if lead:  # "with Mexico denouncing …": the actor is Mexico
        text, offset = text[lead.end() :], offset + lead.end()
    words = text.split()
    if text.lower() in _PRONOUNS:
        body = _body_before(story, offset) if text.lower() in {"it", "they"} else None
        if body is not None:  # "The Belize government said …\nIt added: “…”"
            return Party(text, body.iri, body.label or body.text, [], "pronoun")
        if text.lower() == "it" and last is not None:
            return Party(text, last.iri, last.label or last.text, [], "pronoun")
        person = nearest_person(story.people, offset)
        if person is not None and text.lower() in {"he", "she"}:
            return Party(
                text, person.entity.iri if person.entity else None, person.name, [], "pronoun"
            )
        if last is not None:
            return Party(text, last.iri, last.label or last.text, [], "pronoun")
        return Party(text, None, None, [], "pronoun")
    for person in story.people:
        if person.start <= offset + len(text) and offset <= person.end:
            return person_party(person)
    if 1 <= len(words) <= 2 and all(w[:1].isupper() for w in words):
        person = full_name(story.people, words[-1], offset)
        if person is not None and len(words) == 2 and words[0] not in person.name.split():
            person = None
        if person is not None:
            found = person_party(person)
            return Party(text, found.iri, person.name, [], "surname")
    holder_named = _named_holder(story, text, offset)
    if holder_named is not None:
        return holder_named
    holder = roles.office_party(story, text, offset)
    if holder is not None:
        return holder
    if (
        re.match(r"(?:the|a)\s+(?:spokesperson|spokesman|spokeswoman|ministry)$", text, re.I)
        and last
    ):
        return Party(text, last.iri, last.label or last.text, [], "earlier speaker")
    if re.match(
        r"(?:(?:the|a|their|its)\s+)?(?:(?:foreign\s+)?ministry(?:\s+statement)?|statement)$",
        text,
        re.I,
    ):
        named = list(_NAMED_MINISTRY.finditer(story.text, 0, offset))
        if named:
            return _actor_party(story, named[-1].group(), named[-1].start())
    for mention in story.mentions:
        if (
            offset <= mention.start < offset + len(text)
            and mention.kind == "organization"
            and mention.entity
        ):
            return party(mention)
    states = [m for m in story.mentions if offset <= m.start < offset + len(text) and m.state]
    if states and len(words) <= 2 and text == states[0].text:
        return party(states[0])
    return Party(text, None, None, [], "organisation" if states else None)
