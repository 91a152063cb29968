"""The SPARQL queries sent to a Wikibase endpoint: standard SPARQL 1.1, batched with VALUES.

No WDQS-only features (no `SERVICE wikibase:label`): labels come from `rdfs:label` filtered by
language, so the queries also run on other Wikibase endpoints and on a plain Oxigraph server
loaded with Wikidata-shaped data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Literal

from diplomacy_kg import namespaces as _namespaces

WIKIBASE = str(_namespaces.WIKIBASE)
PREFIXES = {name: str(namespace) for name, namespace in _namespaces.WIKIBASE_PREFIXES.items()}

RANK_PREFERRED = WIKIBASE + "PreferredRank"
RANK_NORMAL = WIKIBASE + "NormalRank"
RANK_DEPRECATED = WIKIBASE + "DeprecatedRank"

# Wikidata properties used (https://www.wikidata.org/wiki/Property:P530 etc.).
DIPLOMATIC_RELATION = "P530"
START_TIME = "P580"
END_TIME = "P582"
END_CAUSE = "P1534"
INSTANCE_OF = "P31"
CAPITAL = "P36"
ISO_ALPHA2 = "P297"
ISO_ALPHA3 = "P298"
ISO_NUMERIC = "P299"
HEAD_OF_STATE = "P35"
HEAD_OF_GOVERNMENT = "P6"
REFERENCE_URL = "P854"
STATED_IN = "P248"
RETRIEVED = "P813"

OFFICE_PROPERTIES = {HEAD_OF_STATE: "head-of-state", HEAD_OF_GOVERNMENT: "head-of-government"}


@dataclass(frozen=True)
class Query:
    """A query to send, with a one-line description used in progress and error messages."""

    description: str
    text: str
    qids: tuple[str, ...] = ()


def _prefix_block(*names: str) -> str:
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in sorted(names))


def _values(variable: str, qids: Iterable[str]) -> str:
    ordered = sorted(set(qids), key=_qid_order)
    return f"VALUES ?{variable} {{ {' '.join(f'wd:{qid}' for qid in ordered)} }}"


def _language_filter(variable: str, languages: Sequence[str]) -> str:
    listed = ", ".join(Literal(language).n3() for language in languages)
    return f"FILTER(LANG(?{variable}) IN ({listed}))"


def batched(items: Sequence[str], size: int) -> list[tuple[str, ...]]:
    """Split sorted, de-duplicated items into batches of at most `size`."""
    ordered = sorted(set(items), key=_qid_order)
    step = max(1, size)
    return [tuple(ordered[start : start + step]) for start in range(0, len(ordered), step)]


def _qid_order(qid: str) -> tuple[int, str]:
    digits = qid[1:]
    return (int(digits), qid) if digits.isdigit() else (0, qid)


def _describe(kind: str, qids: Sequence[str]) -> str:
    shown = ", ".join(qids[:4]) + (f" … ({len(qids)} items)" if len(qids) > 4 else "")
    return f"{kind} of {shown}"


def item_facts_query(qids: Sequence[str], languages: Sequence[str]) -> Query:
    """Labels, English aliases, types (with English labels), ISO codes, capital, redirects."""
    text = (
        _prefix_block("owl", "rdfs", "skos", "wd", "wdt")
        + "SELECT ?item ?label ?alias ?class ?classLabel ?iso2 ?iso3 ?isoNumeric ?capital"
        + " ?redirect WHERE {\n"
        + f"  {_values('item', qids)}\n"
        + f"  {{ ?item rdfs:label ?label {_language_filter('label', languages)} }}\n"
        + '  UNION { ?item skos:altLabel ?alias FILTER(LANG(?alias) = "en") }\n'
        + f"  UNION {{ ?item wdt:{INSTANCE_OF} ?class\n"
        + "          OPTIONAL { ?class rdfs:label ?classLabel"
        + ' FILTER(LANG(?classLabel) = "en") } }\n'
        + f"  UNION {{ ?item wdt:{ISO_ALPHA2} ?iso2 }}\n"
        + f"  UNION {{ ?item wdt:{ISO_ALPHA3} ?iso3 }}\n"
        + f"  UNION {{ ?item wdt:{ISO_NUMERIC} ?isoNumeric }}\n"
        + f"  UNION {{ ?item wdt:{CAPITAL} ?capital }}\n"
        + "  UNION { ?item owl:sameAs ?redirect }\n"
        + "}\n"
    )
    return Query(_describe("labels, types and codes", qids), text, tuple(qids))


def labels_query(qids: Sequence[str], languages: Sequence[str]) -> Query:
    """Labels of items the statements point to (partners, holders, capitals, causes)."""
    text = (
        _prefix_block("rdfs", "wd")
        + "SELECT ?item ?label WHERE {\n"
        + f"  {_values('item', qids)}\n"
        + f"  ?item rdfs:label ?label {_language_filter('label', languages)}\n"
        + "}\n"
    )
    return Query(_describe("labels", qids), text, tuple(qids))


def _time_qualifier(prop: str, name: str) -> str:
    return (
        f"  OPTIONAL {{ ?statement pqv:{prop} ?{name}Value .\n"
        f"             ?{name}Value wikibase:timeValue ?{name} ;"
        f" wikibase:timePrecision ?{name}Precision }}\n"
    )


def relation_statements_query(qids: Sequence[str]) -> Query:
    """Full P530 statements (not only truthy triples): rank, start, end, end cause, references."""
    text = (
        _prefix_block("p", "pq", "pqv", "pr", "prov", "ps", "wd", "wikibase")
        + "SELECT ?item ?statement ?partner ?rank ?start ?startPrecision ?end ?endPrecision"
        + " ?endCause ?reference ?referenceUrl ?statedIn ?retrieved WHERE {\n"
        + f"  {_values('item', qids)}\n"
        + f"  ?item p:{DIPLOMATIC_RELATION} ?statement .\n"
        + f"  ?statement ps:{DIPLOMATIC_RELATION} ?partner ; wikibase:rank ?rank .\n"
        + _time_qualifier(START_TIME, "start")
        + _time_qualifier(END_TIME, "end")
        + f"  OPTIONAL {{ ?statement pq:{END_CAUSE} ?endCause }}\n"
        + "  OPTIONAL { ?statement prov:wasDerivedFrom ?reference .\n"
        + f"             OPTIONAL {{ ?reference pr:{REFERENCE_URL} ?referenceUrl }}\n"
        + f"             OPTIONAL {{ ?reference pr:{STATED_IN} ?statedIn }}\n"
        + f"             OPTIONAL {{ ?reference pr:{RETRIEVED} ?retrieved }} }}\n"
        + "}\n"
    )
    return Query(_describe("diplomatic-relation (P530) statements", qids), text, tuple(qids))


def office_statements_query(qids: Sequence[str]) -> Query:
    """Head of state (P35) and head of government (P6) statements with their terms."""
    pairs = " ".join(
        f'(p:{prop} ps:{prop} "{prop}")' for prop in sorted(OFFICE_PROPERTIES, reverse=True)
    )
    text = (
        _prefix_block("p", "pq", "pqv", "ps", "wd", "wikibase")
        + "SELECT ?item ?property ?statement ?holder ?rank ?start ?startPrecision ?end"
        + " ?endPrecision WHERE {\n"
        + f"  {_values('item', qids)}\n"
        + f"  VALUES (?statementProperty ?valueProperty ?property) {{ {pairs} }}\n"
        + "  ?item ?statementProperty ?statement .\n"
        + "  ?statement ?valueProperty ?holder ; wikibase:rank ?rank .\n"
        + _time_qualifier(START_TIME, "start")
        + _time_qualifier(END_TIME, "end")
        + "}\n"
    )
    return Query(_describe("head of state and government statements", qids), text, tuple(qids))


def candidates_query(names: Sequence[str], language: str = "en") -> Query:
    """Items whose label or alias is exactly one of the names, with their types."""
    values = " ".join(Literal(name, lang=language).n3() for name in sorted(set(names)))
    text = (
        _prefix_block("rdfs", "sdo", "skos", "wdt")
        + "SELECT ?name ?item ?description ?class ?classLabel WHERE {\n"
        + f"  VALUES ?name {{ {values} }}\n"
        + "  { ?item rdfs:label ?name } UNION { ?item skos:altLabel ?name }\n"
        + "  OPTIONAL { ?item sdo:description ?description"
        + f" FILTER(LANG(?description) = {Literal(language).n3()}) }}\n"
        + f"  OPTIONAL {{ ?item wdt:{INSTANCE_OF} ?class\n"
        + "             OPTIONAL { ?class rdfs:label ?classLabel"
        + f" FILTER(LANG(?classLabel) = {Literal(language).n3()}) }} }}\n"
        + "}\n"
    )
    shown = ", ".join(sorted(set(names))[:3]) + (" …" if len(set(names)) > 3 else "")
    return Query(f"candidate items named {shown}", text)
