"""The gazetteer: names of the graph's states, places, persons and organisations, found in text.

Built from the graph (labels, alternative labels, cities and their states, persons and the
offices they hold, with the dates of each term: `offices`) and from the alias table
`state_aliases.csv` (short forms, demonyms and capitals from PETRARCH2's country dictionary).
Longest match wins, so "North Korea" is never "Korea"; a name that stands for several states
("Korea", "Congo") is resolved from the rest of the story or left open with its candidates,
never guessed.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from diplomacy_kg import paths
from diplomacy_kg.ingest.offices import Term, read_terms
from diplomacy_kg.namespaces import DIP, ID, last_segment, state_iri

ALIASES_FILE = paths.STATE_ALIASES_FILE

# Names that stand for more than one state: never resolved without context.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "Korea": ("kor", "prk"),
    "Korean": ("kor", "prk"),
    "Koreans": ("kor", "prk"),
    "Congo": ("cog", "cod"),
    "Congolese": ("cog", "cod"),
    "the Congo": ("cog", "cod"),
}
# Regions whose names contain a state's name or demonym ("South America", "the South American
# country" are not the United States).
REGIONS = (
    "South America",
    "Central America",
    "Latin America",
    "North America",
    "South American",
    "Central American",
    "Latin American",
    "North American",
    "Western Hemisphere",
    "Korean Peninsula",
    "Middle East",
    "Persian Gulf",
    "South Pacific",
    "East Asia",
)
# Words around a state's name that make the phrase an organisation ("Bank of Korea").
_ORG_BEFORE = re.compile(r"(?:Bank|University|Museum|College|Institute|Academy) of\s*$")
_ORG_AFTER = re.compile(
    r"^\s*(?:News Agency|Central News Agency|Herald|Times|Daily|Airlines|Airways|Post|Telecom"
    r"|Electric|National Bank|Development Bank|Exchange)\b"
)


@dataclass(frozen=True)
class Entity:
    """Something of the graph a name can stand for."""

    iri: str
    label: str
    kind: str  # state, person, organization, city
    country: str | None = None  # the state a city, office holder or organisation belongs to


@dataclass(frozen=True)
class Mention:
    """A name found in the text: what it resolves to, or the candidates it leaves open."""

    start: int
    end: int
    text: str
    kind: str  # state, capital, demonym, person, organization, city
    entity: Entity | None
    candidates: tuple[Entity, ...] = ()
    how: str = "name"  # name, alias, capital, context, surname, ambiguous, organisation

    @property
    def state(self) -> str | None:
        """Return the IRI of the state this mention stands for, if it stands for one."""
        if self.entity is None:
            return None
        return self.entity.iri if self.entity.kind == "state" else None


@dataclass
class Gazetteer:
    """Names → entities, with one compiled pattern for the longest-leftmost match."""

    names: dict[str, tuple[str, tuple[Entity, ...]]] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    places: dict[str, Entity] = field(default_factory=dict)
    events: dict[str, Entity] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)  # the graph's dated office terms
    _pattern: re.Pattern[str] | None = None

    def add(self, name: str, kind: str, entities: Iterable[Entity]) -> None:
        """Add a name (in both apostrophe styles); a name seen for another entity is ambiguous."""
        entities = tuple(entities)
        name = name.strip()
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
        )
        for form in {name, plain}:
            for variant in {form, form.replace("'", "’"), form.replace("’", "'")}:
                self._add(variant, kind, entities)

    def _add(self, name: str, kind: str, entities: tuple[Entity, ...]) -> None:
        if len(name) < 2:
            return
        new = tuple(entities)
        if name in self.names:
            old_kind, old = self.names[name]
            merged = tuple(dict.fromkeys(old + new))
            kind = old_kind if old_kind != "city" else kind
            self.names[name] = (kind, merged)
        else:
            self.names[name] = (kind, new)
        for entity in new:
            self.entities.setdefault(entity.iri, entity)
        self._pattern = None

    def pattern(self) -> re.Pattern[str]:
        """Return the pattern of all names, longest first, on word boundaries."""
        if self._pattern is None:
            names = sorted(self.names, key=lambda n: (-len(n), n))
            body = "|".join(re.escape(name) for name in names)
            self._pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")
        return self._pattern

    def find(self, text: str) -> list[Mention]:
        """Return the mentions in the text, resolving ambiguous ones from unambiguous ones."""
        raw: list[Mention] = []
        for match in self.pattern().finditer(text):
            kind, entities = self.names[match.group()]
            if kind == "region":
                continue
            raw.append(self._mention(text, match, kind, entities))
        return _resolve_from_context(raw)

    def _mention(
        self, text: str, match: re.Match[str], kind: str, entities: tuple[Entity, ...]
    ) -> Mention:
        start, end, name = match.start(), match.end(), match.group()
        if kind in {"state", "capital", "demonym"} and (
            _ORG_BEFORE.search(text[max(0, start - 20) : start]) or _ORG_AFTER.match(text[end:])
        ):
            return Mention(start, end, name, "organization", None, entities, "organisation")
        if len(entities) == 1:
            how = {"capital": "capital", "demonym": "alias"}.get(kind, "name")
            return Mention(start, end, name, kind, entities[0], (), how)
        return Mention(start, end, name, kind, None, entities, "ambiguous")


def _resolve_from_context(mentions: list[Mention]) -> list[Mention]:
    seen = {m.state for m in mentions if m.state is not None}
    resolved: list[Mention] = []
    for mention in mentions:
        if mention.how == "ambiguous":
            present = [c for c in mention.candidates if c.iri in seen]
            if len(present) == 1:
                mention = Mention(
                    mention.start,
                    mention.end,
                    mention.text,
                    mention.kind,
                    present[0],
                    mention.candidates,
                    "context",
                )
        resolved.append(mention)
    return resolved


def _subjects(graph: Graph, cls: URIRef) -> list[URIRef]:
    return sorted({s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)})


def _label(graph: Graph, node: Node) -> str:
    for value in graph.objects(node, RDFS.label):
        return str(value)
    return last_segment(str(node))


def _short(iri: Node | str) -> str:
    return str(iri)[len(str(ID)) :] if str(iri).startswith(str(ID)) else str(iri)


def build(graph: Graph) -> Gazetteer:
    """Build the gazetteer from the graph and the alias table."""
    gazetteer = Gazetteer()
    states: dict[str, Entity] = {}
    for node in _subjects(graph, DIP.State):
        entity = Entity(_short(node), _label(graph, node), "state")
        states[entity.iri] = entity
        names = [str(v) for p in (RDFS.label, SKOS.altLabel) for v in graph.objects(node, p)]
        for name in names:
            for part in _name_forms(name):
                if part not in AMBIGUOUS:
                    gazetteer.add(part, "state", [entity])
    _add_aliases(gazetteer, states)
    for node in _subjects(graph, DIP.Place):
        if (node, RDF.type, DIP.State) not in graph:
            gazetteer.places.setdefault(
                _label(graph, node), Entity(_short(node), _label(graph, node), "place")
            )
    for region in REGIONS:
        gazetteer.names[region] = ("region", ())
    for name, codes in AMBIGUOUS.items():
        gazetteer.names.pop(name, None)
        gazetteer.add(
            name, "state", [states[f"state/{c}"] for c in codes if f"state/{c}" in states]
        )
    for node in _subjects(graph, DIP.City):
        country = graph.value(node, DIP.country)
        entity = Entity(
            _short(node), _label(graph, node), "city", _short(country) if country else None
        )
        gazetteer.places[entity.label] = entity
        if entity.label not in gazetteer.names:
            gazetteer.add(entity.label, "city", [entity])
    for node in _subjects(graph, DIP.Event):
        label = _label(graph, node)
        gazetteer.events[label.lower()] = Entity(_short(node), label, "event")
    for node in _subjects(graph, DIP.Person):
        label = _label(graph, node)
        if "unnamed" in label or not label[:1].isupper():
            continue
        gazetteer.add(label, "person", [Entity(_short(node), label, "person")])
    for node in _subjects(graph, DIP.Organization):
        country = graph.value(node, DIP.country)
        label = _label(graph, node)
        entity = Entity(_short(node), label, "organization", _short(country) if country else None)
        if label[:1].isupper() and "(" not in label:
            gazetteer.add(label, "organization", [entity])
        for alias in graph.objects(node, SKOS.altLabel):
            gazetteer.add(str(alias), "organization", [entity])
    gazetteer.terms = read_terms(graph)
    return gazetteer


def _name_forms(name: str) -> list[str]:
    """Return a label and its parts: "Taiwan (Republic of China)" → both names."""
    forms = [name]
    bracket = re.match(r"^(.*?)\s*\((.*)\)$", name)
    if bracket:
        forms = [bracket.group(1)]
        inner = bracket.group(2)
        if inner[:1].isupper() and not re.search(r"(?:\b[Tt]he|\bof)$", inner) and len(inner) > 4:
            forms.append(inner)
    slash = [part.strip() for form in forms for part in form.split(" / ")]
    return [form for form in slash if form]


def _add_aliases(gazetteer: Gazetteer, states: dict[str, Entity]) -> None:
    with ALIASES_FILE.open(encoding="utf-8") as stream:
        rows = csv.DictReader(line for line in stream if not line.startswith("#"))
        for row in rows:
            iri = str(state_iri(row["iso3"]))
            entity = states.get(_short(iri))
            if entity is None or row["alias"] in AMBIGUOUS:
                continue
            kind = {"capital": "capital", "demonym": "demonym"}.get(row["kind"], "state")
            gazetteer.add(row["alias"], kind, [entity])
