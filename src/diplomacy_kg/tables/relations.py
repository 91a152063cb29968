"""A relations table: one state's bilateral relations, one row per partner and event.

The state comes from the table's spec (`country` in `tables.toml`), and so do the sources its
`source` column names; nothing here is particular to one country.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from diplomacy_kg.dates import PRECISIONS, PartialDate
from diplomacy_kg.namespaces import DIP, instance_iri, new_graph, state_iri
from diplomacy_kg.provenance import attach_source
from diplomacy_kg.tables.rows import Row, TableError, add_date, day, parse_date, read_table
from diplomacy_kg.tables.sources import Evidence, NewsSource
from diplomacy_kg.tables.specs import NEWS, TableSpec
from diplomacy_kg.tables.states import States

RELATION_COLUMNS = (
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
)

_URL = re.compile(r"https?://[^\s;]+")


@dataclass
class _RelationRow:
    row: Row
    partner: str
    start: PartialDate | None
    end: PartialDate | None
    sources: list[URIRef]


@dataclass(frozen=True)
class _Context:
    spec: TableSpec
    country: str
    known: States
    news: dict[str, NewsSource]
    news_table: str
    evidence: Evidence
    evidence_table: str


def _relation_rows(tables: Path, context: _Context, skipped: list[str]) -> Iterator[_RelationRow]:
    spec, known, news = context.spec, context.known, context.news
    allowed = " or ".join([NEWS, *spec.sources])
    for row in read_table(tables / spec.file, RELATION_COLUMNS):
        status = row["status"]
        if status not in ("established", "ended", "no_relations"):
            raise row.error(f"status {status!r} is not established, ended or no_relations")
        if row["country"] != context.country:
            raise row.error(
                f"country {row['country']!r}: this table holds "
                f"{known.labels.get(context.country, context.country)}'s rows"
            )
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
        start = parse_date(row, "start_date", row["start_precision"]) if row["start_date"] else None
        end = parse_date(row, "end_date") if row["end_date"] else None
        if status == "ended" and (start is None or end is None):
            raise row.error("an ended relation needs a start_date and an end_date")
        if start is not None and end is not None and end.value < start.value:
            raise row.error(f"end_date {end} is before start_date {start}")
        if row["source"] == NEWS:
            urls = _URL.findall(row["source_ref"])
            unknown = [u for u in urls if u not in news]
            if not urls or unknown:
                raise row.error(f"news URL(s) not in {context.news_table}: {unknown or '(none)'}")
            sources = [news[u].iri for u in urls]
        elif row["source"] in spec.sources:
            sources = [spec.sources[row["source"]].iri]
        else:
            raise row.error(f"source {row['source']!r} is not {allowed}")
        yield _RelationRow(row, partner, start, end, sources)


def _precision_then_line(item: _RelationRow) -> tuple[int, int]:
    precision = item.start.precision if item.start is not None else "year"
    return PRECISIONS.index(precision), item.row.line


def relations(
    tables: Path,
    spec: TableSpec,
    known: States,
    news: tuple[dict[str, NewsSource], str],
    evidence: tuple[Evidence, str],
    skipped: list[str],
) -> Graph:
    """Convert a relations table: one relation per partner and period, with every source.

    `news` is the news pages by URL and the news table's file name; `evidence` what each page
    says for each row that cites it and that table's file name.
    """
    assert spec.country is not None, f"{spec.file}: a relations table names its country"
    if spec.country not in known.labels:
        raise TableError(
            tables / spec.file, 1, f"country {spec.country!r} is not a state of the state tables"
        )
    context = _Context(spec, spec.country, known, news[0], news[1], evidence[0], evidence[1])
    graph = new_graph()
    # Open relations of one partner from several rows are one relation asserted several times.
    groups: dict[tuple[str, int | None, bool], list[_RelationRow]] = defaultdict(list)
    for item in _relation_rows(tables, context, skipped):
        if item.end is None:
            groups[(item.partner, None, True)].append(item)
        else:
            assert item.start is not None
            groups[(item.partner, item.start.value.year, False)].append(item)
    for (partner, _, _), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        _relation(graph, context, partner, items)
    return graph


def _relation(graph: Graph, context: _Context, partner: str, items: list[_RelationRow]) -> None:
    dated = [i for i in items if i.start is not None]
    canonical = min(dated, key=_precision_then_line) if dated else items[0]
    pair = sorted([context.country, partner])
    slug = "-".join(code.lower() for code in pair)
    if canonical.start is not None:
        slug += f"-{canonical.start.value.year}"
    relation = instance_iri("relation", slug)
    names = sorted(context.known.labels[code] for code in pair)
    graph.add((relation, RDF.type, DIP.DiplomaticRelation))
    for code in pair:
        graph.add((relation, DIP.party, state_iri(code)))
    if canonical.start is not None:
        add_date(graph, relation, "start", canonical.start)
        years = f"{canonical.start.value.year}–{canonical.end.value.year if canonical.end else ''}"
    else:
        as_of = day(canonical.row, "source_as_of")
        graph.add((relation, DIP.knownActiveOn, Literal(as_of, datatype=XSD.date)))
        years = f"in force {as_of.year}"
    if canonical.end is not None:
        add_date(graph, relation, "end", canonical.end)
    graph.add(
        (
            relation,
            RDFS.label,
            Literal(f"{names[0]}–{names[1]} diplomatic relations ({years})", lang="en"),
        )
    )
    for item in items:
        for source in item.sources:
            quote, locator = _evidence(context, item, source)
            attach_source(graph, relation, source, quote=quote, locator=locator)
        if item.row["note"]:
            graph.add((relation, SKOS.editorialNote, Literal(item.row["note"], lang="en")))
    if len(dated) > 1:
        _date_assertions(graph, context, relation, slug, canonical, dated)


def _evidence(
    context: _Context, item: _RelationRow, source: URIRef
) -> tuple[str | None, str | None]:
    """Return what one source of a row says for it: its quote and its locator.

    A document row (the Wikipedia table) has one source, the date as written there and the line
    it stands on. A news row cites several pages; each has its own words for the row in the
    evidence table, and a page without them is an error (the row's date as written is one
    page's words, not every page's).
    """
    row = item.row
    if row["source"] != NEWS:
        return row["date_as_in_source"] or None, row["source_ref"] or None
    quote = context.evidence.get((source, item.partner, row["start_date"]))
    if quote is None:
        raise row.error(
            f"no quote of {source} for {item.partner} {row['start_date']} in "
            f"{context.evidence_table}: say what that page says for this row"
        )
    return quote, None


def _date_assertions(
    graph: Graph,
    context: _Context,
    relation: URIRef,
    slug: str,
    canonical: _RelationRow,
    dated: list[_RelationRow],
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
            quote, locator = _evidence(context, item, source)
            attach_source(graph, assertion, source, quote=quote, locator=locator)
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
