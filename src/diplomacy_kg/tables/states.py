"""The state tables: UN member states (states and their UN memberships) and non-member entities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import DIP, instance_iri, state_iri, wikidata_entity
from diplomacy_kg.provenance import attach_source
from diplomacy_kg.tables.rows import Row, add_date, day, read_table
from diplomacy_kg.tables.specs import TableSpec

UNITED_NATIONS = instance_iri("organization", "united-nations")

UN_MEMBER_COLUMNS = (
    "iso3",
    "iso2",
    "iso_numeric",
    "un_name",
    "un_admission_date",
    "wikidata_qid",
    "wikidata_label_en",
    "cow_code",
    "notes",
)
NON_MEMBER_COLUMNS = ("name", "iso2", "iso3", "wikidata_qid", "un_status", "note")

# Non-member rows that are places rather than parties to relations.
_TERRITORIES = {"Vatican City": "vatican-city", "Western Sahara": "western-sahara"}
_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass
class States:
    """What the relation conversion needs to know of the states."""

    labels: dict[str, str] = field(default_factory=dict)  # ISO3 -> English label
    qids: dict[str, str] = field(default_factory=dict)  # ISO3 -> QID


def _source(spec: TableSpec) -> URIRef:
    assert spec.source is not None, f"{spec.file}: a state table names its source"
    return spec.source.iri


def _iso3(row: Row) -> str:
    iso3 = row["iso3"]
    if not _ISO3.match(iso3):
        raise row.error(f"iso3 {iso3!r} is not three capital letters")
    return iso3


def add_un_members(
    tables: Path, spec: TableSpec, states: Graph, memberships: Graph, known: States
) -> None:
    """Add the UN member states and their memberships of the United Nations."""
    source = _source(spec)
    rows = read_table(tables / spec.file, UN_MEMBER_COLUMNS)
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
        iso3 = _iso3(row)
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
        attach_source(states, state, source)

        membership = instance_iri("membership", f"un-{iso3.lower()}")
        memberships.add((membership, RDF.type, DIP.Membership))
        memberships.add(
            (membership, RDFS.label, Literal(f"{label} in the United Nations", lang="en"))
        )
        memberships.add((membership, DIP.member, state))
        memberships.add((membership, DIP.organization, un))
        add_date(
            memberships, membership, "start", PartialDate(day(row, "un_admission_date"), "day")
        )
        attach_source(memberships, membership, source, locator=f"{spec.file} line {row.line}")
        if row["notes"]:
            memberships.add((membership, SKOS.editorialNote, Literal(row["notes"], lang="en")))


def add_non_members(tables: Path, spec: TableSpec, states: Graph, known: States) -> None:
    """Add the entities that are not UN members: states, or places for the territories."""
    source = _source(spec)
    for row in read_table(tables / spec.file, NON_MEMBER_COLUMNS):
        name = row["name"].split(" / ")[0]
        note = f"UN status: {row['un_status']}. {row['note']}".strip()
        if name in _TERRITORIES:
            place = instance_iri("place", _TERRITORIES[name])
            states.add((place, RDF.type, DIP.Place))
            states.add((place, RDFS.label, Literal(row["name"], lang="en")))
            _link(states, place, row, "wikidata_qid", None, None)
            states.add((place, SKOS.editorialNote, Literal(note, lang="en")))
            attach_source(states, place, source)
            continue
        iso3 = _iso3(row)
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
        attach_source(states, state, source)


def _link(
    graph: Graph, entity: URIRef, row: Row, column: str, known: States | None, iso3: str | None
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
