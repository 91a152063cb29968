"""Offices and their dated terms, read from the graph: who held an office on the story's day.

Each `dip:OfficeTerm` of the graph becomes a `Term` (holder, office, the office's state, start,
end, known-active day). Whether a term held on a day is the project's one rule,
`diplomacy_kg.dates.active_on`: active, not active, or unknown when the dates do not decide (a
start known only to the month, an undated term). An office is named in text by a key ("foreign
minister", "president"): the office's label without its state ("President of Cuba" →
"president"), with the usual synonyms ("Minister of Foreign Affairs" → "foreign minister").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS

from diplomacy_kg.dates import ACTIVE, NOT_ACTIVE, PartialDate, Status, active_on
from diplomacy_kg.namespaces import DIP, ID, last_segment

# Ways news names the same office; the key is the first form.
_SYNONYMS: tuple[tuple[str, ...], ...] = (
    (
        "foreign minister",
        "minister of foreign affairs",
        "minister for foreign affairs",
        "minister of external affairs",
        "external affairs minister",
    ),
    ("prime minister", "premier"),
    ("president", "head of state"),
    ("leader", "supreme leader"),
    ("secretary of state",),
)
_KEYS = {form: forms[0] for forms in _SYNONYMS for form in forms}
_ARTICLE = re.compile(r"^(?:the|a|an|its|their|his|her)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """One office term of the graph: who held which office of which state, and when."""

    iri: str
    holder: str
    holder_label: str
    office: str
    office_label: str
    key: str
    country: str | None
    start: PartialDate | None
    end: PartialDate | None
    known_active_on: date | None

    def status_on(self, day: date) -> Status:
        """Say whether the term held on `day`, by the one rule of `diplomacy_kg.dates`."""
        return active_on(self.start, self.end, day, self.known_active_on)


def office_key(text: str, state_names: tuple[str, ...] = ()) -> str:
    """Return an office's key as written ("South Korea's Foreign Minister": "foreign minister")."""
    words = text.strip()
    for name in sorted(state_names, key=len, reverse=True):
        words = re.sub(rf"(?:\s+of\s+(?:the\s+)?)?{re.escape(name)}(?:[’']s)?", " ", words)
    words = _ARTICLE.sub("", " ".join(words.split()).strip(" ,.;:")).lower()
    words = _ARTICLE.sub("", words)
    return _KEYS.get(words, words)


def _short(node: Node) -> str:
    return str(node)[len(str(ID)) :] if str(node).startswith(str(ID)) else str(node)


def _label(graph: Graph, node: Node) -> str:
    for value in graph.objects(node, RDFS.label):
        return str(value)
    return last_segment(str(node))


def _partial(graph: Graph, node: Node, value: URIRef, precision: URIRef) -> PartialDate | None:
    return PartialDate.from_terms(graph.value(node, value), graph.value(node, precision))


def read_terms(graph: Graph) -> list[Term]:
    """Return the graph's office terms with their holders, offices, states and dates."""
    terms = []
    for node in sorted(set(graph.subjects(RDF.type, DIP.OfficeTerm)), key=str):
        holder, office = graph.value(node, DIP.holder), graph.value(node, DIP.office)
        if holder is None or office is None:
            continue
        country = graph.value(office, DIP.country)
        office_label = _label(graph, office)
        state_names = tuple(str(v) for v in graph.objects(country, RDFS.label)) if country else ()
        known = [
            v.toPython() for v in graph.objects(node, DIP.knownActiveOn) if isinstance(v, Literal)
        ]
        known_days = sorted(v for v in known if isinstance(v, date))
        terms.append(
            Term(
                iri=_short(node),
                holder=_short(holder),
                holder_label=_label(graph, holder),
                office=_short(office),
                office_label=office_label,
                key=office_key(office_label, state_names),
                country=_short(country) if country is not None else None,
                start=_partial(graph, node, DIP.startDate, DIP.startPrecision),
                end=_partial(graph, node, DIP.endDate, DIP.endPrecision),
                known_active_on=known_days[0] if known_days else None,
            )
        )
    return terms


def holders_on(
    terms: list[Term], key: str, countries: set[str] | None, day: date
) -> list[tuple[Term, Status]]:
    """Return the terms of an office (by key, in these states) that may have held on `day`."""
    found = []
    for term in terms:
        if term.key != key or (countries is not None and term.country not in countries):
            continue
        status = term.status_on(day)
        if status != NOT_ACTIVE:
            found.append((term, status))
    return found


def sole_holder(found: list[tuple[Term, Status]]) -> Term | None:
    """Return the one term certainly active, when no other term may be; otherwise None."""
    if len(found) == 1 and found[0][1] == ACTIVE:
        return found[0][0]
    return None


def terms_of(terms: list[Term], holder: str, key: str, country: str | None) -> list[Term]:
    """Return the terms a person held of an office (by key; in that state, when one is given)."""
    return [
        t
        for t in terms
        if t.holder == holder and t.key == key and (country is None or t.country == country)
    ]
