"""A user's parameter values, resolved into the RDF terms a stored query is run with.

A state is named by its ISO code, QID, CURIE, IRI or English name; a date by YYYY, YYYY-MM or
YYYY-MM-DD (a year or month means all its days). Values are bound by the engine's own
mechanism, never pasted into the query text.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from diplomacy_kg.dates import PartialDate, check_window
from diplomacy_kg.dates.sparql import derived_bindings
from diplomacy_kg.engines import Engine
from diplomacy_kg.engines.binding import BindingError, serialize_term
from diplomacy_kg.namespaces import ID, PREFIXES, QID_PATTERN, WD, sparql_prefix_block
from diplomacy_kg.queries.stored import PARAMETER_TYPES, Parameter, ParameterError, StoredQuery

_DATE_FORM = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", re.ASCII)
_CURIE = re.compile(r"([A-Za-z][\w-]*):(\S+)")
_IRI_START = re.compile(r"https?://")
_NAME_SOURCES = """
  { ?entity rdfs:label ?name }
  UNION { ?entity skos:altLabel ?name }
  UNION { ?entity dip:iso3166Alpha2 ?name }
  UNION { ?entity dip:iso3166Alpha3 ?name }
  UNION { ?entity owl:sameAs ?link .
          FILTER(STRSTARTS(STR(?link), STR(wd:)))
          BIND(STRAFTER(STR(?link), STR(wd:)) AS ?name) }
"""
_TYPE_PATTERNS: dict[str, str] = {
    "state": "?entity a dip:State .",
    "person": "?entity a dip:Person .",
    "event": "?entity a/rdfs:subClassOf* dip:Event .",
    "entity": "",
}
_NAMES_QUERY = (
    sparql_prefix_block("dip", "owl", "rdfs", "skos", "wd")
    + """
SELECT DISTINCT ?entity ?name ?label WHERE {{
  {type_pattern}
  {name_sources}
  OPTIONAL {{ ?entity rdfs:label ?label }}
  FILTER(isIRI(?entity))
}}
"""
)


@dataclass(frozen=True)
class _Names:
    """Every name of every entity of one type: labels, alternative labels, codes, QIDs."""

    by_name: dict[str, set[URIRef]]
    labels: dict[URIRef, str]


_NAME_CACHE: weakref.WeakKeyDictionary[Engine, dict[str, _Names]] = weakref.WeakKeyDictionary()


def _names(engine: Engine, kind: str) -> _Names:
    cached = _NAME_CACHE.setdefault(engine, {})
    if kind not in cached:
        sparql = _NAMES_QUERY.format(type_pattern=_TYPE_PATTERNS[kind], name_sources=_NAME_SOURCES)
        by_name: dict[str, set[URIRef]] = {}
        labels: dict[URIRef, str] = {}
        for entity, name, label in engine.query(sparql).rows:
            if not isinstance(entity, URIRef) or name is None:
                continue
            by_name.setdefault(str(name).casefold(), set()).add(entity)
            if label is not None:
                labels.setdefault(entity, str(label))
        cached[kind] = _Names(by_name, labels)
    return cached[kind]


def _expand(value: str) -> URIRef | None:
    """Read an IRI, `<IRI>` or CURIE (project prefixes, and `id:` for instances) as an IRI."""
    if value.startswith("<"):
        if not value.endswith(">"):
            raise ParameterError(f"{value!r} is not a valid IRI")
        return _checked_iri(value[1:-1], value)
    if _IRI_START.match(value):
        return _checked_iri(value, value)
    match = _CURIE.fullmatch(value)
    if match and (match.group(1) in PREFIXES or match.group(1) == "id"):
        namespace = ID if match.group(1) == "id" else PREFIXES[match.group(1)]
        return _checked_iri(f"{namespace}{match.group(2)}", value)
    return None


def _checked_iri(iri: str, value: str) -> URIRef:
    try:
        serialize_term(URIRef(iri))  # refuses characters that could leave the IRI token
    except BindingError as error:
        raise ParameterError(f"{value!r} is not a valid IRI") from error
    if not iri:
        raise ParameterError(f"{value!r} is not a valid IRI")
    return URIRef(iri)


def _describe(entity: URIRef, names: _Names) -> str:
    label = names.labels.get(entity)
    return f"{label} <{entity}>" if label else f"<{entity}>"


def resolve_entity(value: str, kind: str, engine: Engine) -> URIRef:
    """Find the one entity of a type that a user's value names, or raise ParameterError."""
    names = _names(engine, kind)
    text = value.strip()
    iri = _expand(text)
    if iri is not None and str(iri).startswith(str(WD)):
        text, iri = str(iri)[len(str(WD)) :], None  # a Wikidata IRI names the entity linked to it
    if iri is not None:
        known = {entity for entities in names.by_name.values() for entity in entities}
        if iri in known:
            return iri
        raise ParameterError(f"{value!r} is not a known {kind} in the graph")
    matches = names.by_name.get(text.casefold(), set())
    if len(matches) == 1:
        return next(iter(matches))
    if len(matches) > 1:
        listed = "; ".join(sorted(_describe(entity, names) for entity in matches))
        raise ParameterError(
            f"{value!r} is ambiguous: it names {len(matches)} of the graph's "
            f"{kind} values: {listed}; give a code, QID or IRI"
        )
    raise ParameterError(f"{value!r} matches no {kind} in the graph; {_closest(text, names, kind)}")


def _closest(text: str, names: _Names, kind: str) -> str:
    needle = text.casefold()
    candidates = [name for name in names.by_name if len(name) > 3 or QID_PATTERN.match(name)]
    close = [name for name in sorted(candidates) if needle and needle in name][:5]
    close += [
        n for n in difflib.get_close_matches(needle, candidates, n=5, cutoff=0.6) if n not in close
    ]
    entities: list[URIRef] = []
    for name in close:
        for entity in sorted(names.by_name[name]):
            if entity not in entities:
                entities.append(entity)
    if not entities:
        return f"no close match; give {PARAMETER_TYPES[kind]}"
    return "closest matches: " + "; ".join(_describe(e, names) for e in entities[:8])


def parse_date(value: str) -> PartialDate:
    """Read YYYY, YYYY-MM or YYYY-MM-DD, rejecting anything else."""
    if not _DATE_FORM.fullmatch(value):
        raise ParameterError(f"{value!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise ParameterError(str(error)) from error


def resolve_value(parameter: Parameter, value: str, engine: Engine) -> Identifier:
    """Turn a user's text for a parameter into the RDF term to bind (a date: its first day)."""
    if parameter.type == "date":
        return parse_date(value).literal
    if parameter.type == "string":
        return Literal(value)
    return resolve_entity(value, parameter.type, engine)


def bind_parameters(
    query: StoredQuery, params: Mapping[str, object], engine: Engine
) -> dict[str, Identifier]:
    """Resolve the parameters into the RDF terms to bind, with the days each date implies.

    The result binds every declared parameter and, for each date, the days derived from it
    that the query's text uses (`diplomacy_kg.dates.sparql`): what the engine is given.
    """
    bindings, days = resolve_parameters(query, params, engine)
    return engine_bindings(query, bindings, days)


def resolve_parameters(
    query: StoredQuery, params: Mapping[str, object], engine: Engine
) -> tuple[dict[str, Identifier], dict[str, PartialDate]]:
    """Resolve every declared parameter into a term, and each date into the days it means."""
    for name in params:
        query.parameter(name)  # raises for an unknown parameter
    missing = [p.name for p in query.params if p.name not in params]
    if missing:
        raise ParameterError(
            f"query {query.name!r} needs {', '.join(missing)}; {query.describe_params()}"
        )
    bindings: dict[str, Identifier] = {}
    days: dict[str, PartialDate] = {}
    for parameter in query.params:
        given = params[parameter.name]
        if isinstance(given, PartialDate) and parameter.type == "date":
            days[parameter.name] = given
            bindings[parameter.name] = given.literal
        elif isinstance(given, Identifier):  # already a term (from Python callers)
            bindings[parameter.name] = given
            if parameter.type == "date":
                day = PartialDate.from_terms(given)
                if day is None:
                    raise ParameterError(f"parameter {parameter.name!r} takes a date, not {given}")
                days[parameter.name] = day
        elif isinstance(given, date):
            days[parameter.name] = PartialDate(given, "day")
            bindings[parameter.name] = days[parameter.name].literal
        elif isinstance(given, str):
            if parameter.type == "date":
                days[parameter.name] = parse_date(given)
                bindings[parameter.name] = days[parameter.name].literal
            else:
                bindings[parameter.name] = resolve_value(parameter, given, engine)
        else:
            raise ParameterError(
                f"parameter {parameter.name!r} takes text, not {type(given).__name__}"
            )
    window = query.notes.get("window", "").split()
    if len(window) == 2 and all(name in days for name in window):
        first, last = (days[name] for name in window)
        try:
            check_window(first, last)
        except ValueError as error:
            raise ParameterError(
                f"query {query.name!r}: {window[0]}={first}, {window[1]}={last}: {error}"
            ) from error
    return bindings, days


def engine_bindings(
    query: StoredQuery, bindings: Mapping[str, Identifier], days: Mapping[str, PartialDate]
) -> dict[str, Identifier]:
    """Add the days derived from each date parameter (see `diplomacy_kg.dates.sparql`)."""
    found = dict(bindings)
    for name, day in days.items():
        for variable, term in derived_bindings(name, day).items():
            if re.search(rf"[?$]{variable}\b", query.text):
                found[variable] = term
    return found
