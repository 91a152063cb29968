"""A generator of synthetic diplomacy worlds in the project's ontology, for benchmarks.

`generate(triples, seed)` writes Turtle for a world of about that many triples (ontology
included): the ~200 real states (ISO codes and labels from data/states.ttl, so stored-query
examples such as KOR keep working), UN memberships, and for many pairs of states a history of
diplomatic-relation periods over decades — established by exchanges of notes, ended by
severances, with the precision mix of the curated data (~75% day, ~7% month, ~2% year, ~13%
known active on a day only) — plus visits, meetings, statements, quotes, special
relationships, attributed ties, date assertions and the news sources every fact cites.

The same size and seed always give the same bytes. Run `python -m benchmarks.world 100000`
to write one to build/bench/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from diplomacy_kg import paths
from diplomacy_kg.namespaces import DIP, ID, turtle_prefix_block

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "3M": 3_000_000}
DEFAULT_SEED = 2024
FIRST_YEAR, LAST_YEAR = 1946, 2025
SNAPSHOT_DAY = dt.date(2019, 7, 30)  # the "known active on" day, like the Wikipedia table's
# Shares of relation periods by how their start is known, as in data/kor-relations.ttl.
PRECISION_MIX = (("day", 0.78), ("month", 0.07), ("year", 0.02), ("active", 0.13))
PUBLISHERS = (
    "Global Wire",
    "Daily Courier",
    "Foreign Desk",
    "World Report",
    "Capital Times",
    "Harbour Herald",
    "Evening Post",
    "Diplomatic Review",
    "Morning Ledger",
    "Continental News",
)
DASH = "\u2013"  # the en dash the curated labels put between two state names
TIE_KINDS = ("Ally", "BrotherlyTies", "StrongTies", "OldFriend", "SharedRhetoric")
# The stored queries' example parameters name these states: they take part in a share of the
# visits, quotes, ties and boycotts so that every timed query has rows to return.
FEATURED = ("KOR", "CUB", "PRK", "SYR", "USA", "CHN")
FEATURED_SHARE = 0.3


@dataclass(frozen=True)
class StateInfo:
    """A state of the world: its IRI, label and ISO codes."""

    iri: str
    label: str
    alpha3: str
    alpha2: str | None
    numeric: str | None


def real_states() -> list[StateInfo]:
    """Read the states (IRI, label, ISO codes) from the curated data/states.ttl."""
    graph = Graph()
    graph.parse(paths.DATA_DIR / "states.ttl", format="turtle")
    states = []
    for subject in graph.subjects(RDF.type, DIP.State):
        alpha3 = graph.value(subject, DIP.iso3166Alpha3)
        if not isinstance(subject, URIRef) or alpha3 is None:
            continue
        alpha2 = graph.value(subject, DIP.iso3166Alpha2)
        numeric = graph.value(subject, DIP.iso3166Numeric)
        label = graph.value(subject, RDFS.label)
        states.append(
            StateInfo(
                str(subject),
                str(label or alpha3),
                str(alpha3),
                str(alpha2) if alpha2 else None,
                str(numeric) if numeric else None,
            )
        )
    return sorted(states, key=lambda state: state.alpha3)


def ontology_triples() -> int:
    """Count the triples of the ontology, which every benchmark loads with the world."""
    graph = Graph()
    graph.parse(paths.ONTOLOGY_FILE, format="turtle")
    return len(graph)


def _string(text: str) -> str:
    return Literal(text).n3()


def _english(text: str) -> str:
    return Literal(text, lang="en").n3()


def _derivation(source: str, quote: str) -> str:
    """A qualified derivation: the quote of one source, as PROV-O and diplomacy_kg.provenance do."""
    return f"[ a prov:Derivation ; prov:entity {source} ; dip:evidenceQuote {_english(quote)} ]"


_DERIVATION_TRIPLES = 3  # its type, its entity and its quote


def _date(day: dt.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def _iri(kind: str, slug: str) -> str:
    return f"<{ID}{kind}/{slug}>"


class _Writer:
    """Collects subject blocks as Turtle and counts their triples."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.triples = 0

    def subject(
        self, iri: str, types: list[str], pairs: Sequence[tuple[str, str | list[str]]]
    ) -> None:
        lines = [f"{iri} a {' , '.join(types)}"]
        self.triples += len(types)
        for predicate, objects in pairs:
            listed = [objects] if isinstance(objects, str) else objects
            lines.append(f"    {predicate} {' , '.join(listed)}")
            self.triples += len(listed)
            self.triples += _DERIVATION_TRIPLES * sum(
                o.startswith("[ a prov:Derivation") for o in listed
            )
        self.parts.append(" ;\n".join(lines) + " .\n\n")


class _World:
    """The state of one generation run."""

    def __init__(self, rng: random.Random, states: list[StateInfo]) -> None:
        self.rng = rng
        self.states = states
        self.out = _Writer()
        self.sources: list[tuple[str, dt.date]] = []
        self.people: dict[str, list[str]] = {}
        self.counter = 0

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    def two_states(self) -> tuple[StateInfo, StateInfo]:
        """Two distinct states, one of them featured in a share of the draws."""
        first, second = self.rng.sample(self.states, 2)
        if self.rng.random() < FEATURED_SHARE:
            code = self.rng.choice(FEATURED)
            featured = next(s for s in self.states if s.alpha3 == code)
            other = second if second is not featured else first
            first, second = (featured, other) if self.rng.random() < 0.5 else (other, featured)
        return first, second

    # Dates -------------------------------------------------------------------------------

    def random_day(self, first: dt.date, last: dt.date) -> dt.date:
        span = (last - first).days
        return first + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def with_precision(self, day: dt.date, precision: str) -> tuple[dt.date, str]:
        if precision == "year":
            return day.replace(month=1, day=1), "dip:YearPrecision"
        if precision == "month":
            return day.replace(day=1), "dip:MonthPrecision"
        return day, "dip:DayPrecision"

    # Sources -----------------------------------------------------------------------------

    def add_sources(self, count: int) -> None:
        for number in range(1, count + 1):
            publisher = number % len(PUBLISHERS)
            day = self.random_day(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 6, 30))
            iri = _iri("source", f"synthetic-{number}")
            self.out.subject(
                iri,
                ["schema:NewsArticle", "dip:SourceDocument"],
                [
                    ("rdfs:label", _english(f"Synthetic news article {number}")),
                    ("schema:name", _english(f"Report {number} on diplomatic affairs")),
                    ("schema:publisher", _iri("organization", f"synthetic-publisher-{publisher}")),
                    ("schema:datePublished", _date(day)),
                    ("schema:url", f'"https://news.example.org/{number}"^^xsd:anyURI'),
                    ("dip:asOf", _date(day)),
                ],
            )
            self.sources.append((iri, day))
        for number, name in enumerate(PUBLISHERS):
            self.out.subject(
                _iri("organization", f"synthetic-publisher-{number}"),
                ["dip:Organization"],
                [("rdfs:label", _english(name))],
            )
        snapshot = _iri("source", "synthetic-snapshot")
        self.out.subject(
            snapshot,
            ["schema:Dataset", "dip:SourceDocument"],
            [
                ("rdfs:label", _english("Synthetic snapshot of relations")),
                ("schema:name", _english("Relations known on 30 July 2019")),
                ("schema:url", '"https://data.example.org/snapshot"^^xsd:anyURI'),
                ("dip:asOf", _date(SNAPSHOT_DAY)),
            ],
        )

    def source_after(self, day: dt.date) -> str:
        # A source published on or after the fact, like real reporting.
        for _ in range(8):
            iri, published = self.rng.choice(self.sources)
            if published >= day:
                return iri
        return self.sources[-1][0]

    # States and memberships --------------------------------------------------------------

    def add_states(self) -> None:
        self.out.subject(
            _iri("organization", "united-nations"),
            ["dip:Organization"],
            [("rdfs:label", _english("United Nations"))],
        )
        for state in self.states:
            pairs = [
                ("rdfs:label", _english(state.label)),
                ("dip:iso3166Alpha3", _string(state.alpha3)),
            ]
            if state.alpha2:
                pairs.append(("dip:iso3166Alpha2", _string(state.alpha2)))
            if state.numeric:
                pairs.append(("dip:iso3166Numeric", _string(state.numeric)))
            self.out.subject(f"<{state.iri}>", ["dip:State"], pairs)
            admitted = self.random_day(dt.date(1945, 10, 24), dt.date(2011, 7, 14))
            slug = state.alpha3.lower()
            self.out.subject(
                _iri("membership", f"un-{slug}"),
                ["dip:Membership"],
                [
                    ("rdfs:label", _english(f"{state.label} in the United Nations")),
                    ("dip:member", f"<{state.iri}>"),
                    ("dip:organization", _iri("organization", "united-nations")),
                    ("dip:startDate", _date(admitted)),
                    ("dip:startPrecision", "dip:DayPrecision"),
                    ("prov:wasDerivedFrom", self.source_after(admitted)),
                ],
            )
            people = []
            for number in (1, 2):
                person = _iri("person", f"synthetic-{slug}-{number}")
                self.out.subject(
                    person,
                    ["dip:Person"],
                    [
                        ("rdfs:label", _english(f"Official {number} of {state.label}")),
                        ("dip:citizenOf", f"<{state.iri}>"),
                    ],
                )
                people.append(person)
            self.people[state.iri] = people

    # Relations ---------------------------------------------------------------------------

    def pair_history(
        self, first: StateInfo, second: StateInfo, periods: int, active_share: float
    ) -> None:
        label = f"{first.label}{DASH}{second.label}"
        base = "-".join(sorted((first.alpha3.lower(), second.alpha3.lower())))
        # The last period of some pairs is known only to be active on the snapshot day.
        active_only = self.rng.random() < active_share
        dated = [(k, w) for k, w in PRECISION_MIX if k != "active"]
        kind = self.rng.choices([k for k, _ in dated], [w for _, w in dated])[0]
        dated_periods = periods - 1 if active_only else periods
        # Start years at least two apart, in the first half of the year, so that every
        # period can last a year and end before the next begins.
        last_year = SNAPSHOT_DAY.year - 4 if active_only else LAST_YEAR
        choices = range(FIRST_YEAR, last_year, 2)
        years = sorted(self.rng.sample(choices, min(dated_periods, len(choices))))
        for index, year in enumerate(years):
            precision = (
                kind
                if index == 0
                else self.rng.choices(["day", "month", "year"], [0.9, 0.08, 0.02])[0]
            )
            last_period = index == len(years) - 1
            # A period ends strictly before the next begins (the last may stay open).
            next_start = dt.date(years[index + 1], 1, 1) if not last_period else None
            if last_period and active_only:
                next_start = dt.date(SNAPSHOT_DAY.year - 1, 1, 1)
            start_day = self.random_day(dt.date(year, 1, 1), dt.date(year, 6, 30))
            start, start_precision = self.with_precision(start_day, precision)
            slug = f"{base}-{year}"
            relation = _iri("relation", slug)
            source = self.source_after(start)
            pairs: list[tuple[str, str | list[str]]] = [
                ("rdfs:label", _english(f"{label} diplomatic relations ({year}{DASH})")),
                ("dip:party", [f"<{first.iri}>", f"<{second.iri}>"]),
                ("dip:startDate", _date(start)),
                ("dip:startPrecision", start_precision),
                ("prov:wasDerivedFrom", source),
                (
                    "prov:qualifiedDerivation",
                    _derivation(source, f"ties between {label} were established"),
                ),
            ]
            if self.rng.random() < 0.5:
                event = _iri("event", f"{slug}-exchange-of-notes")
                pairs.append(("dip:establishedBy", event))
                self.add_event(
                    event,
                    ["dip:ExchangeOfNotes", "dip:EstablishmentOfRelations"],
                    f"Exchange of notes establishing {label} relations ({year})",
                    "057",
                    start,
                    start_precision,
                    [first.iri, second.iri],
                )
            ended = next_start is not None or self.rng.random() < 0.1
            if ended:
                latest = (
                    (next_start - dt.timedelta(days=1)) if next_start else dt.date(LAST_YEAR, 1, 1)
                )
                end_day = self.random_day(start + dt.timedelta(days=366), latest)
                end_day = max(end_day, start)
                end_kind = self.rng.choices(["day", "month", "year"], [0.85, 0.1, 0.05])[0]
                end, end_precision = self.with_precision(end_day, end_kind)
                pairs += [("dip:endDate", _date(end)), ("dip:endPrecision", end_precision)]
                if self.rng.random() < 0.6:
                    event = _iri("event", f"{slug}-severance")
                    pairs.append(("dip:endedBy", event))
                    self.add_event(
                        event,
                        ["dip:Severance"],
                        f"{label} relations severed ({end.year})",
                        "161",
                        end,
                        end_precision,
                        [first.iri, second.iri],
                    )
            if self.rng.random() < 0.03:
                assertions = self.date_assertions(slug, start, start_precision)
                pairs.append(("dip:dateAssertion", assertions))
            self.out.subject(relation, ["dip:DiplomaticRelation"], pairs)
        if active_only:
            snapshot = _iri("source", "synthetic-snapshot")
            self.out.subject(
                _iri("relation", base),
                ["dip:DiplomaticRelation"],
                [
                    ("rdfs:label", _english(f"{label} diplomatic relations (in force 2019)")),
                    ("dip:party", [f"<{first.iri}>", f"<{second.iri}>"]),
                    ("dip:knownActiveOn", _date(SNAPSHOT_DAY)),
                    ("prov:wasDerivedFrom", snapshot),
                    (
                        "prov:qualifiedDerivation",
                        _derivation(snapshot, f"{second.label}: relations listed"),
                    ),
                ],
            )

    def date_assertions(self, slug: str, start: dt.date, precision: str) -> list[str]:
        canonical = _iri("date-assertion", f"{slug}-start-canonical")
        other = _iri("date-assertion", f"{slug}-start-alternative")
        for iri, day, flag in (
            (canonical, start, "true"),
            (other, start + dt.timedelta(days=1), "false"),
        ):
            self.out.subject(
                iri,
                ["dip:DateAssertion"],
                [
                    ("rdfs:label", _english(f"Start of {slug}: {day.isoformat()}")),
                    ("dip:assertedProperty", "dip:startDate"),
                    ("dip:assertedDate", _date(day)),
                    ("dip:assertedPrecision", "dip:DayPrecision" if flag == "false" else precision),
                    ("dip:isCanonical", flag),
                    ("prov:wasDerivedFrom", self.source_after(start)),
                ],
            )
        return [canonical, other]

    def add_event(
        self,
        iri: str,
        types: list[str],
        label: str,
        cameo: str,
        day: dt.date,
        precision: str,
        participants: list[str],
        *,
        agent: str | None = None,
        host: str | None = None,
        part_of: str | None = None,
        extra: Sequence[tuple[str, str]] = (),
    ) -> None:
        source = self.source_after(day)
        pairs: list[tuple[str, str | list[str]]] = [
            ("rdfs:label", _english(label)),
            ("dip:cameoCode", _string(cameo)),
            ("dip:date", _date(day)),
            ("dip:datePrecision", precision),
            ("dip:participant", [f"<{p}>" for p in participants]),
            ("prov:wasDerivedFrom", source),
            ("prov:qualifiedDerivation", _derivation(source, label)),
        ]
        if agent is not None:
            pairs.append(("dip:agent", f"<{agent}>"))
        if host is not None:
            pairs.append(("dip:host", f"<{host}>"))
        if part_of is not None:
            pairs.append(("dip:partOf", part_of))
        pairs.extend(extra)
        self.out.subject(iri, types, pairs)

    # Other facts -------------------------------------------------------------------------

    def add_visit_with_quote(self) -> None:
        guest, host = self.two_states()
        number = self.next_number()
        day = self.random_day(dt.date(1990, 1, 1), dt.date(LAST_YEAR, 6, 30))
        visitor = self.rng.choice(self.people[guest.iri])
        visit = _iri("event", f"synthetic-visit-{number}")
        self.add_event(
            visit,
            ["dip:Visit"],
            f"Visit of an official of {guest.label} to {host.label} ({day.isoformat()})",
            "042",
            day,
            "dip:DayPrecision",
            [guest.iri, host.iri, visitor[1:-1]],
            agent=visitor[1:-1],
            host=host.iri,
        )
        meeting = _iri("event", f"synthetic-meeting-{number}")
        self.add_event(
            meeting,
            ["dip:Meeting"],
            f"Meeting of {guest.label} and {host.label} officials ({day.isoformat()})",
            "040",
            day,
            "dip:DayPrecision",
            [visitor[1:-1], self.rng.choice(self.people[host.iri])[1:-1]],
            part_of=visit,
        )
        quote = _iri("quote", f"synthetic-{number}")
        source = self.source_after(day)
        self.out.subject(
            quote,
            ["dip:Quote"],
            [
                ("rdfs:label", _english(f"Quote from the visit {number}")),
                ("dip:text", _english(f"We value our ties with {host.label}.")),
                ("dip:speaker", visitor),
                ("dip:about", f"<{host.iri}>"),
                ("dip:utteredDuring", visit),
                ("dip:date", _date(day)),
                ("dip:datePrecision", "dip:DayPrecision"),
                ("prov:wasDerivedFrom", source),
                (
                    "prov:qualifiedDerivation",
                    _derivation(source, f"We value our ties with {host.label}."),
                ),
            ],
        )

    def add_tie(self) -> None:
        first, second = self.two_states()
        number = self.next_number()
        day = self.random_day(dt.date(1990, 1, 1), dt.date(LAST_YEAR, 6, 30))
        kind = self.rng.choice(TIE_KINDS)
        attributed_by = self.rng.choice(self.people[first.iri])
        source = self.source_after(day)
        self.out.subject(
            _iri("tie", f"synthetic-{number}"),
            ["dip:AttributedTie"],
            [
                ("rdfs:label", _english(f"{first.label} and {second.label}: {kind}")),
                ("dip:party", [f"<{first.iri}>", f"<{second.iri}>"]),
                ("dip:tieKind", f"dip:{kind}"),
                ("dip:attributedBy", attributed_by),
                ("prov:wasDerivedFrom", source),
                (
                    "prov:qualifiedDerivation",
                    _derivation(source, f"{first.label} called {second.label} a friend"),
                ),
            ],
        )

    def add_boycott(self) -> None:
        boycotter, supported = self.two_states()
        host = self.rng.choice([s for s in self.states if s not in (boycotter, supported)])
        number = self.next_number()
        day = self.random_day(dt.date(1950, 1, 1), dt.date(LAST_YEAR, 6, 30))
        games = _iri("event", f"synthetic-games-{number}")
        self.out.subject(
            games,
            ["dip:Event"],
            [
                ("rdfs:label", _english(f"Games hosted by {host.label} ({day.year})")),
                ("dip:date", _date(day.replace(month=1, day=1))),
                ("dip:datePrecision", "dip:YearPrecision"),
                ("dip:place", f"<{host.iri}>"),
            ],
        )
        boycott = _iri("event", f"synthetic-boycott-{number}")
        self.add_event(
            boycott,
            ["dip:Boycott"],
            f"{boycotter.label} boycotts the games hosted by {host.label} ({day.year})",
            "163",
            day.replace(month=1, day=1),
            "dip:YearPrecision",
            [boycotter.iri, supported.iri],
            agent=boycotter.iri,
            extra=[("dip:target", games), ("dip:inSupportOf", f"<{supported.iri}>")],
        )

    def add_special_relationships(self, count: int) -> None:
        pairs = self.rng.sample(list(combinations(self.states, 2)), count)
        for first, second in pairs:
            slug = "-".join(sorted((first.alpha3.lower(), second.alpha3.lower())))
            day = self.random_day(dt.date(1960, 1, 1), dt.date(2000, 12, 31))
            source = self.source_after(day)
            self.out.subject(
                _iri("relation", f"{slug}-special-{day.year}"),
                ["dip:SpecialRelationship"],
                [
                    (
                        "rdfs:label",
                        _english(f"{first.label}{DASH}{second.label} special relationship"),
                    ),
                    ("dip:party", [f"<{first.iri}>", f"<{second.iri}>"]),
                    ("dip:startDate", _date(day)),
                    ("dip:startPrecision", "dip:DayPrecision"),
                    ("prov:wasDerivedFrom", source),
                    (
                        "prov:qualifiedDerivation",
                        _derivation(source, "a special interim relationship"),
                    ),
                ],
            )


def _pair_order(rng: random.Random, states: list[StateInfo]) -> list[tuple[StateInfo, StateInfo]]:
    pairs = list(combinations(states, 2))
    rng.shuffle(pairs)
    # The example states of the stored queries come first, so their answers are never empty.
    featured = {"KOR", "CUB", "PRK", "SYR", "USA", "CHN"}
    pairs.sort(key=lambda pair: not ({pair[0].alpha3, pair[1].alpha3} & featured))
    return pairs


def generate_text(triples: int, seed: int = DEFAULT_SEED) -> tuple[str, int]:
    """Return the Turtle of a world of about `triples` triples (ontology included) and its count."""
    rng = random.Random(seed)
    states = real_states()
    world = _World(rng, states)
    budget = triples - ontology_triples()
    world.add_sources(max(20, budget // 400))
    world.add_states()
    world.add_special_relationships(max(2, budget // 20_000))
    pairs = _pair_order(rng, states)
    # About 14 triples per relation period; the rest goes to visits, quotes and ties.
    relation_target = int(budget * 0.8)
    periods_wanted = max(1, (relation_target - world.out.triples) // 15)
    periods_per_pair = max(1, -(-periods_wanted // len(pairs)))
    active_weight = dict(PRECISION_MIX)["active"]
    active_share = min(0.5, active_weight * periods_per_pair)
    index = 0
    while world.out.triples < relation_target and index < len(pairs):
        first, second = pairs[index]
        count = rng.randint(1, 2 * periods_per_pair - 1) if periods_per_pair > 1 else 1
        world.pair_history(first, second, min(count, 20), active_share)
        index += 1
    while world.out.triples < budget:
        draw = rng.random()
        if draw < 0.6:
            world.add_visit_with_quote()
        elif draw < 0.85:
            world.add_tie()
        else:
            world.add_boycott()
    text = turtle_prefix_block() + "\n" + "".join(world.out.parts)
    return text, world.out.triples


def world_path(triples: int, seed: int = DEFAULT_SEED, directory: Path | None = None) -> Path:
    """Return where the world of this size and seed is cached."""
    folder = directory if directory is not None else paths.build_dir() / "bench"
    # The generator's own digest is in the name, so a changed generator never reuses a stale world.
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:10]
    return folder / f"world-{triples}-seed{seed}-{digest}.ttl"


def ensure_world(triples: int, seed: int = DEFAULT_SEED, directory: Path | None = None) -> Path:
    """Write the world of this size and seed unless it is cached; return its path."""
    path = world_path(triples, seed, directory)
    if not path.exists():
        text, _ = generate_text(triples, seed)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    return path


def iter_sizes(names: str) -> Iterator[tuple[str, int]]:
    """Yield (name, triples) for a comma-separated list such as `10k,100k`."""
    for name in names.split(","):
        name = name.strip()
        if name in SIZES:
            yield name, SIZES[name]
        elif name.isdigit():
            yield name, int(name)
        else:
            raise SystemExit(f"unknown size {name!r}: use {', '.join(SIZES)} or a number")


def main(argv: list[str] | None = None) -> int:
    """Write synthetic worlds to build/bench/ (or print one to stdout with `-`)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", help="10k, 100k, 1M, 3M or a number of triples")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--stdout", action="store_true", help="print the Turtle instead")
    arguments = parser.parse_args(argv)
    for _, triples in iter_sizes(arguments.size):
        if arguments.stdout:
            sys.stdout.write(generate_text(triples, arguments.seed)[0])
        else:
            print(ensure_world(triples, arguments.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
