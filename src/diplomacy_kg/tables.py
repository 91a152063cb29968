"""Tabular sources to Turtle: the one reproducible conversion of `data/tables/*.csv`.

`generate()` turns the tables into graphs, `write()` commits them as Turtle and `drift()` tells
whether the committed Turtle still matches its tables.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from diplomacy_kg import paths
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.export import serialize_turtle
from diplomacy_kg.files import atomic_write_text
from diplomacy_kg.namespaces import (
    DIP,
    SCHEMA,
    instance_iri,
    new_graph,
    state_iri,
    wikidata_entity,
)


class TableError(DiplomacyKgError):
    """A row of a table is malformed; names the file, the line and the problem."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        super().__init__(f"{path}:{line}: {reason}")


UN_MEMBERS_TABLE = "un_member_states.csv"
NON_MEMBERS_TABLE = "non_member_entities.csv"
KOR_RELATIONS_TABLE = "kor_diplomatic_relations.csv"
NEWS_SOURCES_TABLE = "news_sources.csv"

SOURCE_UN_MEMBERS = instance_iri("source", "un-member-states")
SOURCE_NON_MEMBERS = instance_iri("source", "non-member-entities")
SOURCE_WIKIPEDIA_2019 = instance_iri("source", "wikipedia-kor-relations-2019")
UNITED_NATIONS = instance_iri("organization", "united-nations")
CC_BY_SA_3 = URIRef("https://creativecommons.org/licenses/by-sa/3.0/")
CC0 = URIRef("https://creativecommons.org/publicdomain/zero/1.0/")

# Non-member rows that are places rather than parties to relations.
_TERRITORIES = {"Vatican City": "vatican-city", "Western Sahara": "western-sahara"}
_URL = re.compile(r"https?://[^\s;]+")
_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Row:
    """One CSV row with the file and line it came from."""

    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        """Return a column's value, stripped."""
        return (self.values.get(column) or "").strip()

    def error(self, reason: str) -> TableError:
        """Return an error that points at this row."""
        return TableError(self.path, self.line, reason)


def read_table(path: Path, required: tuple[str, ...]) -> list[Row]:
    """Read a CSV file into rows, checking that the required columns are there."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise TableError(path, 1, f"missing column(s): {', '.join(missing)}")
            # DictReader's line_num is the physical line the row ended on.
            return [Row(path, reader.line_num, dict(values)) for values in reader]
    except OSError as error:
        raise TableError(path, 0, f"cannot read: {error.strerror}") from error
    except csv.Error as error:
        raise TableError(path, 0, f"not valid CSV: {error}") from error


def _parse_date(row: Row, column: str, precision: str | None = None) -> PartialDate:
    try:
        return PartialDate.parse(row[column], precision=precision or None)
    except ValueError as error:
        raise row.error(f"column {column!r}: {error}") from error


def _day(row: Row, column: str) -> date:
    parsed = _parse_date(row, column)
    if parsed.precision != "day":
        raise row.error(f"column {column!r}: expected YYYY-MM-DD, got {row[column]!r}")
    return parsed.value


def _add_date(graph: Graph, subject: URIRef, which: str, when: PartialDate) -> None:
    value_property, precision_property = {
        "start": (DIP.startDate, DIP.startPrecision),
        "end": (DIP.endDate, DIP.endPrecision),
    }[which]
    graph.add((subject, value_property, Literal(when.value, datatype=XSD.date)))
    graph.add((subject, precision_property, when.precision_iri))


@dataclass
class _States:
    """What the relation conversion needs to know of the states."""

    labels: dict[str, str] = field(default_factory=dict)  # ISO3 -> English label
    qids: dict[str, str] = field(default_factory=dict)  # ISO3 -> QID


def _states(tables: Path) -> tuple[Graph, Graph, _States]:
    states = new_graph()
    memberships = new_graph()
    known = _States()
    un_path = tables / UN_MEMBERS_TABLE
    rows = read_table(
        un_path,
        (
            "iso3",
            "iso2",
            "iso_numeric",
            "un_name",
            "un_admission_date",
            "wikidata_qid",
            "wikidata_label_en",
            "cow_code",
            "notes",
        ),
    )
    un = UNITED_NATIONS
    memberships.add((un, RDF.type, DIP.Organization))
    memberships.add((un, RDFS.label, Literal("United Nations", lang="en")))
    memberships.add(
        (
            un,
            SKOS.editorialNote,
            Literal(
                "No source file of the project gives the United Nations' Wikidata QID: "
                "left unlinked.",
                lang="en",
            ),
        )
    )
    for row in rows:
        iso3 = row["iso3"]
        if not _ISO3.match(iso3):
            raise row.error(f"iso3 {iso3!r} is not three capital letters")
        if iso3 in known.labels:
            raise row.error(f"state {iso3} appears twice")
        state = state_iri(iso3)
        label = row["wikidata_label_en"] or row["un_name"]
        known.labels[iso3] = label
        states.add((state, RDF.type, DIP.State))
        states.add((state, RDFS.label, Literal(label, lang="en")))
        if row["un_name"] != label:
            states.add((state, SKOS.altLabel, Literal(row["un_name"], lang="en")))
        states.add((state, DIP.iso3166Alpha3, Literal(iso3)))
        states.add((state, DIP.iso3166Alpha2, Literal(row["iso2"])))
        states.add((state, DIP.iso3166Numeric, Literal(row["iso_numeric"])))
        if row["cow_code"]:
            states.add((state, DIP.cowCode, Literal(row["cow_code"])))
        _link(states, state, row, "wikidata_qid", known, iso3)
        states.add((state, PROV.wasDerivedFrom, SOURCE_UN_MEMBERS))

        membership = instance_iri("membership", f"un-{iso3.lower()}")
        memberships.add((membership, RDF.type, DIP.Membership))
        memberships.add(
            (membership, RDFS.label, Literal(f"{label} in the United Nations", lang="en"))
        )
        memberships.add((membership, DIP.member, state))
        memberships.add((membership, DIP.organization, un))
        _add_date(
            memberships, membership, "start", PartialDate(_day(row, "un_admission_date"), "day")
        )
        memberships.add((membership, PROV.wasDerivedFrom, SOURCE_UN_MEMBERS))
        memberships.add(
            (membership, DIP.sourceLocator, Literal(f"{UN_MEMBERS_TABLE} line {row.line}"))
        )
        if row["notes"]:
            memberships.add((membership, SKOS.editorialNote, Literal(row["notes"], lang="en")))

    non_members = read_table(
        tables / NON_MEMBERS_TABLE, ("name", "iso2", "iso3", "wikidata_qid", "un_status", "note")
    )
    for row in non_members:
        name = row["name"].split(" / ")[0]
        note = f"UN status: {row['un_status']}. {row['note']}".strip()
        if name in _TERRITORIES:
            place = instance_iri("place", _TERRITORIES[name])
            states.add((place, RDF.type, DIP.Place))
            states.add((place, RDFS.label, Literal(row["name"], lang="en")))
            _link(states, place, row, "wikidata_qid", None, None)
            states.add((place, SKOS.editorialNote, Literal(note, lang="en")))
            states.add((place, PROV.wasDerivedFrom, SOURCE_NON_MEMBERS))
            continue
        iso3 = row["iso3"]
        if not _ISO3.match(iso3):
            raise row.error(f"iso3 {iso3!r} is not three capital letters")
        if iso3 in known.labels:
            raise row.error(f"state {iso3} is already a UN member state")
        state = state_iri(iso3)
        known.labels[iso3] = name
        states.add((state, RDF.type, DIP.State))
        states.add((state, RDFS.label, Literal(name, lang="en")))
        states.add((state, DIP.iso3166Alpha3, Literal(iso3)))
        states.add((state, DIP.iso3166Alpha2, Literal(row["iso2"])))
        _link(states, state, row, "wikidata_qid", known, iso3)
        states.add((state, SKOS.editorialNote, Literal(note, lang="en")))
        states.add((state, PROV.wasDerivedFrom, SOURCE_NON_MEMBERS))
    return states, memberships, known


def _link(
    graph: Graph, entity: URIRef, row: Row, column: str, known: _States | None, iso3: str | None
) -> None:
    qid = row[column]
    if not qid:
        return
    try:
        graph.add((entity, OWL.sameAs, wikidata_entity(qid)))
    except ValueError as error:
        raise row.error(f"column {column!r}: {error}") from error
    if known is not None and iso3 is not None:
        known.qids[iso3] = qid


@dataclass
class _NewsSource:
    iri: URIRef
    row: Row


def _news_sources(tables: Path, graph: Graph) -> dict[str, _NewsSource]:
    by_url: dict[str, _NewsSource] = {}
    rows = read_table(
        tables / NEWS_SOURCES_TABLE,
        ("slug", "url", "publisher", "publisher_slug", "date_published", "as_of", "description"),
    )
    for row in rows:
        source = instance_iri("source", row["slug"])
        publisher = instance_iri("organization", row["publisher_slug"])
        graph.add((source, RDF.type, DIP.SourceDocument))
        graph.add((source, RDF.type, SCHEMA.NewsArticle))
        graph.add((source, RDFS.label, Literal(row["description"], lang="en")))
        graph.add((source, SCHEMA.description, Literal(row["description"], lang="en")))
        graph.add((source, SCHEMA.url, Literal(row["url"], datatype=XSD.anyURI)))
        graph.add((source, SCHEMA.publisher, publisher))
        if row["date_published"]:
            graph.add(
                (
                    source,
                    SCHEMA.datePublished,
                    Literal(_day(row, "date_published"), datatype=XSD.date),
                )
            )
        graph.add((source, DIP.asOf, Literal(_day(row, "as_of"), datatype=XSD.date)))
        graph.add((publisher, RDF.type, DIP.Organization))
        graph.add((publisher, RDFS.label, Literal(row["publisher"], lang="en")))
        by_url[row["url"]] = _NewsSource(source, row)
    return by_url


def _table_sources(graph: Graph) -> None:
    described = [
        (
            SOURCE_UN_MEMBERS,
            "UN member states table",
            "The 193 UN member states with ISO 3166-1 codes, UN admission dates, Wikidata QIDs and "
            "Correlates of War codes, compiled from a transcription of the UN Member States page, "
            "country-converter 1.3.2, pycountry 26.2.16 and Our World in Data's countries table "
            "(data/tables/un_member_states.csv).",
            CC0,
            None,
            # The transcription of the UN page that the names and admission dates come from.
            "https://github.com/onofreicl/ethos/blob/14c796c0d9e679f6b62ea1aebd5cb519bdfe9baf/"
            "docs/empathy/countries.md",
        ),
        (
            SOURCE_NON_MEMBERS,
            "Non-member entities table",
            "Eight entities that are not UN members but matter for relations (Holy See, Vatican "
            "City, State of Palestine, Taiwan, Kosovo, Cook Islands, Niue, Western Sahara), with "
            "ISO codes and Wikidata QIDs (data/tables/non_member_entities.csv).",
            CC0,
            None,
            None,  # hand-compiled from several files: no single place to read it
        ),
        (
            SOURCE_WIKIPEDIA_2019,
            "Foreign relations of South Korea (English Wikipedia, 2019)",
            "The table 'Formal relations began' of English Wikipedia's article Foreign relations "
            "of South Korea, as copied in chinapedia/wikipedia.abstract.en "
            "(Page/Foreign_relations_of_South_Korea.md, last changed 2019-07-30), parsed into "
            "data/tables/kor_diplomatic_relations.csv. Text by Wikipedia contributors.",
            CC_BY_SA_3,
            date(2019, 7, 30),
            "https://github.com/chinapedia/wikipedia.abstract.en/blob/"
            "f1682beebc6d4a836c4322e02921fb341b83fd9b/Page/Foreign_relations_of_South_Korea.md",
        ),
    ]
    for source, title, description, licence, as_of, url in described:
        graph.add((source, RDF.type, DIP.SourceDocument))
        graph.add((source, RDF.type, SCHEMA.Dataset))
        graph.add((source, RDFS.label, Literal(title, lang="en")))
        graph.add((source, SCHEMA.name, Literal(title, lang="en")))
        graph.add((source, SCHEMA.description, Literal(description, lang="en")))
        graph.add((source, SCHEMA.license, licence))
        if as_of is not None:
            graph.add((source, DIP.asOf, Literal(as_of, datatype=XSD.date)))
        if url is not None:
            graph.add((source, SCHEMA.url, Literal(url, datatype=XSD.anyURI)))


@dataclass
class _RelationRow:
    row: Row
    partner: str
    start: PartialDate | None
    end: PartialDate | None
    sources: list[URIRef]


def _relation_rows(
    tables: Path, known: _States, news: dict[str, _NewsSource], skipped: list[str]
) -> Iterator[_RelationRow]:
    rows = read_table(
        tables / KOR_RELATIONS_TABLE,
        (
            "country",
            "partner_name",
            "partner_iso3",
            "partner_qid",
            "status",
            "start_date",
            "start_precision",
            "end_date",
            "date_as_in_source",
            "source",
            "source_as_of",
            "source_ref",
            "note",
        ),
    )
    for row in rows:
        status = row["status"]
        if status not in ("established", "ended", "no_relations"):
            raise row.error(f"status {status!r} is not established, ended or no_relations")
        if row["country"] != "KOR":
            raise row.error(f"country {row['country']!r}: this table holds South Korea's rows")
        if status == "no_relations":
            continue  # an absence as of the source's date; not modelled as triples
        partner = row["partner_iso3"]
        if partner not in known.labels:
            skipped.append(
                f"{row.path.name}:{row.line}: {row['partner_name']} ({partner}) "
                "is not a state of the graph; row skipped"
            )
            continue
        if row["partner_qid"] and known.qids.get(partner) != row["partner_qid"]:
            raise row.error(
                f"partner_qid {row['partner_qid']} disagrees with the state table "
                f"({known.qids.get(partner)})"
            )
        start = (
            _parse_date(row, "start_date", row["start_precision"]) if row["start_date"] else None
        )
        end = _parse_date(row, "end_date") if row["end_date"] else None
        if status == "ended" and (start is None or end is None):
            raise row.error("an ended relation needs a start_date and an end_date")
        if start is not None and end is not None and end.value < start.value:
            raise row.error(f"end_date {end} is before start_date {start}")
        if row["source"] == "news":
            urls = _URL.findall(row["source_ref"])
            unknown = [u for u in urls if u not in news]
            if not urls or unknown:
                raise row.error(f"news URL(s) not in {NEWS_SOURCES_TABLE}: {unknown or '(none)'}")
            sources = [news[u].iri for u in urls]
        elif row["source"] == "wikipedia_2019":
            sources = [SOURCE_WIKIPEDIA_2019]
        else:
            raise row.error(f"source {row['source']!r} is not news or wikipedia_2019")
        yield _RelationRow(row, partner, start, end, sources)


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _precision_then_line(item: _RelationRow) -> tuple[int, int]:
    precision = item.start.precision if item.start is not None else "year"
    return _PRECISION_RANK[precision], item.row.line


def _relations(
    tables: Path, known: _States, news: dict[str, _NewsSource], skipped: list[str]
) -> Graph:
    graph = new_graph()
    # Open relations of one partner from several rows are one relation asserted several times.
    groups: dict[tuple[str, int | None, bool], list[_RelationRow]] = defaultdict(list)
    for item in _relation_rows(tables, known, news, skipped):
        if item.end is None:
            groups[(item.partner, None, True)].append(item)
        else:
            assert item.start is not None
            groups[(item.partner, item.start.value.year, False)].append(item)
    for (partner, _, _), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        _relation(graph, known, partner, items)
    return graph


def _relation(graph: Graph, known: _States, partner: str, items: list[_RelationRow]) -> None:
    dated = [i for i in items if i.start is not None]
    canonical = min(dated, key=_precision_then_line) if dated else items[0]
    pair = sorted(["KOR", partner])
    slug = "-".join(code.lower() for code in pair)
    if canonical.start is not None:
        slug += f"-{canonical.start.value.year}"
    relation = instance_iri("relation", slug)
    names = sorted(known.labels[code] for code in pair)
    graph.add((relation, RDF.type, DIP.DiplomaticRelation))
    for code in pair:
        graph.add((relation, DIP.party, state_iri(code)))
    if canonical.start is not None:
        _add_date(graph, relation, "start", canonical.start)
        years = f"{canonical.start.value.year}–{canonical.end.value.year if canonical.end else ''}"
    else:
        as_of = _day(canonical.row, "source_as_of")
        graph.add((relation, DIP.knownActiveOn, Literal(as_of, datatype=XSD.date)))
        years = f"in force {as_of.year}"
    if canonical.end is not None:
        _add_date(graph, relation, "end", canonical.end)
    graph.add(
        (
            relation,
            RDFS.label,
            Literal(f"{names[0]}–{names[1]} diplomatic relations ({years})", lang="en"),
        )
    )
    for item in items:
        for source in item.sources:
            graph.add((relation, PROV.wasDerivedFrom, source))
        locator = (
            f"{item.row['source_ref']}"
            if item.row["source"] == "wikipedia_2019"
            else f"{KOR_RELATIONS_TABLE} line {item.row.line}"
        )
        graph.add((relation, DIP.sourceLocator, Literal(locator)))
        if item.row["date_as_in_source"]:
            graph.add(
                (relation, DIP.evidenceQuote, Literal(item.row["date_as_in_source"], lang="en"))
            )
        if item.row["note"]:
            graph.add((relation, SKOS.editorialNote, Literal(item.row["note"], lang="en")))
    if len(dated) > 1:
        _date_assertions(graph, relation, slug, canonical, dated)


def _date_assertions(
    graph: Graph, relation: URIRef, slug: str, canonical: _RelationRow, dated: list[_RelationRow]
) -> None:
    for item in dated:
        assert item.start is not None
        assertion = instance_iri("date-assertion", f"{slug}-start-line-{item.row.line}")
        is_canonical = item is canonical
        graph.add((relation, DIP.dateAssertion, assertion))
        graph.add((assertion, RDF.type, DIP.DateAssertion))
        graph.add(
            (
                assertion,
                RDFS.label,
                Literal(f"start {item.start} as given for {item.row['partner_name']}", lang="en"),
            )
        )
        graph.add((assertion, DIP.assertedProperty, DIP.startDate))
        graph.add((assertion, DIP.assertedDate, Literal(item.start.value, datatype=XSD.date)))
        graph.add((assertion, DIP.assertedPrecision, item.start.precision_iri))
        graph.add((assertion, DIP.isCanonical, Literal(is_canonical)))
        for source in item.sources:
            graph.add((assertion, PROV.wasDerivedFrom, source))
        graph.add((assertion, DIP.sourceLocator, Literal(item.row["source_ref"])))
        graph.add(
            (
                assertion,
                SKOS.editorialNote,
                Literal(
                    "Canonical: the most precise of the dates the sources give for this relation."
                    if is_canonical
                    else "Alternative: the sources give a more precise date for this relation.",
                    lang="en",
                ),
            )
        )


@dataclass
class Conversion:
    """The graphs made from the tables, by output file name, and the rows left out."""

    graphs: dict[str, Graph]
    skipped: list[str]


def generate(tables: Path | None = None) -> Conversion:
    """Convert the tables into graphs, one per output file."""
    tables = tables or paths.TABLES_DIR
    states, memberships, known = _states(tables)
    sources = new_graph()
    _table_sources(sources)
    news = _news_sources(tables, sources)
    skipped: list[str] = []
    relations = _relations(tables, known, news, skipped)
    return Conversion(
        graphs={
            "states.ttl": states,
            "un-memberships.ttl": memberships,
            "kor-relations.ttl": relations,
            "table-sources.ttl": sources,
        },
        skipped=skipped,
    )


def render(conversion: Conversion) -> dict[str, str]:
    """Render each generated graph as the Turtle text committed to `data/`."""
    header = (
        "# Generated by `diplomacy-kg tables` from data/tables/ — do not edit by hand;\n"
        "# edit the tables and run the command again.\n"
    )
    return {
        name: header + serialize_turtle(graph).decode("utf-8")
        for name, graph in conversion.graphs.items()
    }


def write(data_dir: Path | None = None, tables: Path | None = None) -> Conversion:
    """Regenerate the Turtle files from the tables, writing each atomically."""
    data_dir = data_dir or paths.DATA_DIR
    conversion = generate(tables)
    for name, text in render(conversion).items():
        atomic_write_text(data_dir / name, text)
    return conversion


def drift(data_dir: Path | None = None, tables: Path | None = None) -> list[str]:
    """Return the generated files whose committed text differs from their tables' conversion."""
    data_dir = data_dir or paths.DATA_DIR
    stale = []
    for name, text in render(generate(tables)).items():
        committed = data_dir / name
        if not committed.exists() or committed.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
