"""The stored query catalogue: `queries/*.rq`, their `#+` headers, parameters and typed results.

Each stored query opens with a `#+` header (a small YAML-like subset, parsed here without a YAML
dependency): `summary`, `params` (name: {type, example}), `columns`, optional `roles` (which
column plays which part, e.g. `{when: since, when_precision: since_precision, source: source}`;
see `COLUMN_ROLES`), and free-text keys such as `as-of` and `notes`. A user's parameter values
are resolved into RDF terms (a state from its ISO code, QID, CURIE, IRI or English name; a date
from YYYY, YYYY-MM or YYYY-MM-DD) and bound by the engine's own mechanism, never pasted into the
query text.
"""

from __future__ import annotations

import difflib
import math
import re
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from diplomacy_kg import coverage, paths
from diplomacy_kg.coverage import Completeness
from diplomacy_kg.dates import RULE_TEXT, PartialDate, check_window
from diplomacy_kg.dates.sparql import derived_bindings
from diplomacy_kg.engines import Engine, ResultTable
from diplomacy_kg.engines.binding import BindingError, serialize_term
from diplomacy_kg.errors import EXIT_FAILED, DiplomacyKgError
from diplomacy_kg.namespaces import ID, PREFIXES, QID_PATTERN, WD, sparql_prefix_block

AS_OF_RULE = RULE_TEXT
"""How every "as of" query reads dates; each such query's `as-of` header says exactly this."""

PARAMETER_TYPES: dict[str, str] = {
    "state": "a state: ISO 3166 alpha-2 or alpha-3 code, Wikidata QID, CURIE, IRI or English name",
    "person": "a person: English name, Wikidata QID, CURIE or IRI",
    "event": "an event: English name, Wikidata QID, CURIE or IRI",
    "entity": "anything with a name: a state (also by ISO code), person, organisation, "
    "place, event, relation or source, by name, QID, CURIE or IRI",
    "date": "a date: YYYY, YYYY-MM or YYYY-MM-DD (a year or month means all its days)",
    "string": "any text, bound as a plain literal",
}
"""The parameter types a `#+ params` header may declare, with what each accepts."""

COLUMN_ROLES: dict[str, str] = {
    "when": "the day the row's fact started or happened",
    "when_precision": "the precision of `when` (dip:YearPrecision, dip:MonthPrecision, …)",
    "when_type": "how `when` is known: start, date, known active on, or undated",
    "until": "the day the row's fact ended",
    "until_precision": "the precision of `until`",
    "known_active_on": "a day the row's fact is known active on, for a fact without a start",
    "fact_kind": "what the row's fact is: relation, tie, membership or event",
    "source": "a source of the row's fact",
    "source_count": "how many sources the row's fact has",
    "source_date": "the day (or month, year) the row's source was published or is dated",
    "source_date_precision": "the precision of `source_date`",
}
"""The roles a `#+ roles` header may give columns, so that readers never guess from names."""

_DATE_FORM = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", re.ASCII)
_HEADER_KEY = re.compile(r"([A-Za-z][\w-]*):\s*(.*)")
_PARAM_LINE = re.compile(r"([A-Za-z_]\w*):\s*\{(.*)\}")
_CURIE = re.compile(r"([A-Za-z][\w-]*):(\S+)")
_IRI_START = re.compile(r"https?://")
_REQUIRED_KEYS = ("summary", "params", "columns")
_STRUCTURED_KEYS = (*_REQUIRED_KEYS, "roles")


class CatalogueError(DiplomacyKgError):
    """A stored query file is malformed: names the file, the line and what is wrong."""

    exit_code = EXIT_FAILED  # the project's own files are broken, not the user's input


class ParameterError(DiplomacyKgError, ValueError):
    """A parameter value is missing, unknown, malformed or matches no (or several) entities."""


@dataclass(frozen=True)
class Parameter:
    """A declared parameter of a stored query."""

    name: str
    type: str
    example: str


@dataclass(frozen=True)
class StoredQuery:
    """A stored SPARQL query with its header."""

    name: str
    path: Path
    summary: str
    params: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str
    notes: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter:
        """Return the declared parameter of that name, or raise ParameterError naming them all."""
        for parameter in self.params:
            if parameter.name == name:
                return parameter
        raise ParameterError(
            f"query {self.name!r} has no parameter {name!r}; {self.describe_params()}"
        )

    def describe_params(self) -> str:
        """Say which parameters the query takes, for error messages."""
        if not self.params:
            return "it takes no parameters"
        listed = ", ".join(f"{p.name} ({p.type}, e.g. {p.example})" for p in self.params)
        return f"its parameters: {listed}"

    @property
    def examples(self) -> dict[str, str]:
        """Return the example value of every parameter."""
        return {p.name: p.example for p in self.params}


Value = URIRef | str | int | float | Decimal | bool | date | None
"""A typed value in a result row: an IRI, a date, a number, a boolean, text, or None if unbound."""


@dataclass(frozen=True)
class QueryResult:
    """The rows of a stored query: typed values by column, and the raw RDF terms."""

    query: StoredQuery
    columns: list[str]
    rows: list[dict[str, Value]]
    terms: list[tuple[Node | None, ...]]
    bindings: dict[str, Identifier]
    completeness: Completeness = field(
        default_factory=lambda: Completeness(False, "incomplete: not assessed", assessed=False)
    )
    """Whether the answer is complete and why (`.complete`, `.line`, `.as_dict()`)."""

    def __iter__(self) -> Iterator[dict[str, Value]]:
        """Iterate over the typed rows."""
        return iter(self.rows)

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.rows)


# ---------------------------------------------------------------------------------------------
# Catalogue and header
# ---------------------------------------------------------------------------------------------


def _split_mapping(text: str, path: Path, line: int) -> dict[str, str]:
    entries: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition(":")
        if not sep or not key.strip() or not value.strip():
            raise CatalogueError(f"{path}:{line}: expected `key: value` in {{{text}}}")
        entries[key.strip()] = value.strip()
    return entries


def parse_header(text: str, path: Path) -> dict[str, object]:
    """Parse the `#+` header of a query file into summary, params, columns and other keys."""
    header: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            break
        header.append((number, line[2:].removeprefix(" ")))
    if not header:
        raise CatalogueError(f"{path}:1: no `#+` header (summary, params, columns)")
    values: dict[str, object] = {}
    index = 0
    while index < len(header):
        number, line = header[index]
        match = _HEADER_KEY.fullmatch(line)
        if line[:1].isspace() or not match:
            raise CatalogueError(f"{path}:{number}: expected `#+ key: value`, got {line!r}")
        key, value = match.group(1), match.group(2).strip()
        if key in values:
            raise CatalogueError(f"{path}:{number}: {key!r} is given twice")
        block: list[tuple[int, str]] = []
        index += 1
        while index < len(header) and header[index][1][:1].isspace():
            block.append(header[index])
            index += 1
        if key == "params":
            values[key] = _parse_params(value, block, path, number)
        elif key == "columns":
            if block or not (value.startswith("[") and value.endswith("]")):
                raise CatalogueError(f"{path}:{number}: columns must be a list: [a, b, c]")
            values[key] = tuple(c.strip() for c in value[1:-1].split(",") if c.strip())
        elif key == "roles":
            values[key] = _parse_roles(value, block, path, number)
        elif value in ("|", ">"):
            if not block:
                raise CatalogueError(f"{path}:{number}: {key!r} has an empty text block")
            joiner = "\n" if value == "|" else " "
            values[key] = joiner.join(line.strip() for _, line in block)
        elif block:
            raise CatalogueError(f"{path}:{block[0][0]}: unexpected indented line under {key!r}")
        else:
            values[key] = value
    for key in _REQUIRED_KEYS:
        if key not in values:
            raise CatalogueError(f"{path}:1: the header has no {key!r}")
    roles: dict[str, tuple[int, str]] = values.get("roles", {})  # type: ignore[assignment]
    for role, (number, column) in roles.items():
        if column not in values["columns"]:  # type: ignore[operator]
            raise CatalogueError(
                f"{path}:{number}: the role {role!r} names {column!r}, not one of the columns"
            )
    values["roles"] = {role: column for role, (_, column) in roles.items()}
    return values


def _parse_roles(
    value: str, block: list[tuple[int, str]], path: Path, line: int
) -> dict[str, tuple[int, str]]:
    if block or not (value.startswith("{") and value.endswith("}")):
        raise CatalogueError(f"{path}:{line}: roles must be a mapping: {{role: column, …}}")
    roles = _split_mapping(value[1:-1], path, line)
    for role in roles:
        if role not in COLUMN_ROLES:
            raise CatalogueError(
                f"{path}:{line}: unknown role {role!r}; known roles: {', '.join(COLUMN_ROLES)}"
            )
    return {role: (line, column) for role, column in roles.items()}


def _parse_params(
    value: str, block: list[tuple[int, str]], path: Path, line: int
) -> tuple[Parameter, ...]:
    if value == "{}" and not block:
        return ()
    if value or not block:
        raise CatalogueError(
            f"{path}:{line}: params must be `{{}}` or indented "
            "`name: {type: T, example: E}` lines"
        )
    params: list[Parameter] = []
    for number, text in block:
        match = _PARAM_LINE.fullmatch(text.strip())
        if not match:
            raise CatalogueError(f"{path}:{number}: expected `name: {{type: T, example: E}}`")
        fields = _split_mapping(match.group(2), path, number)
        kind, example = fields.get("type"), fields.get("example")
        if kind not in PARAMETER_TYPES:
            raise CatalogueError(
                f"{path}:{number}: parameter {match.group(1)!r} has type "
                f"{kind!r}; known types: {', '.join(PARAMETER_TYPES)}"
            )
        if example is None:
            raise CatalogueError(f"{path}:{number}: parameter {match.group(1)!r} has no example")
        if any(p.name == match.group(1) for p in params):
            raise CatalogueError(f"{path}:{number}: parameter {match.group(1)!r} is given twice")
        params.append(Parameter(match.group(1), kind, example))
    return tuple(params)


def load_query(path: Path) -> StoredQuery:
    """Read one stored query file and its header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: cannot read: {error}") from error
    header = parse_header(text, path)
    notes = {k: str(v) for k, v in header.items() if k not in _STRUCTURED_KEYS}
    return StoredQuery(
        name=path.stem,
        path=path,
        summary=str(header["summary"]),
        params=header["params"],  # type: ignore[arg-type]
        columns=header["columns"],  # type: ignore[arg-type]
        text=text,
        notes=notes,
        roles=header["roles"],  # type: ignore[arg-type]
    )


# path -> (its modification time and size, the query read then): a run_query call reads the
# catalogue, and re-reading the files each time cost ~1.5-2 ms per call.
_READ: dict[Path, tuple[tuple[int, int], StoredQuery]] = {}


def _load_unless_unchanged(path: Path) -> StoredQuery:
    try:
        status = path.stat()
    except OSError:
        return load_query(path)  # names the file in its error
    stamp = (status.st_mtime_ns, status.st_size)
    known = _READ.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    query = load_query(path)
    _READ[path] = (stamp, query)
    return query


def catalogue(files: Sequence[Path] | None = None) -> dict[str, StoredQuery]:
    """Return the stored queries by name (those in `queries/`, or the given files).

    A file is read again only when its modification time or size changed.
    """
    chosen = list(files) if files is not None else paths.query_files()
    return {query.name: query for query in map(_load_unless_unchanged, chosen)}


def get_query(name: str, queries: Mapping[str, StoredQuery] | None = None) -> StoredQuery:
    """Return the stored query of that name, or raise ParameterError listing the close names."""
    known = dict(queries) if queries is not None else catalogue()
    if name in known:
        return known[name]
    close = difflib.get_close_matches(name, list(known), n=5, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise ParameterError(
        f"no stored query named {name!r}; {hint}known queries: {', '.join(sorted(known))}"
    )


# ---------------------------------------------------------------------------------------------
# Parameter values
# ---------------------------------------------------------------------------------------------

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
    bindings, days = _resolve_parameters(query, params, engine)
    return engine_bindings(query, bindings, days)


def _resolve_parameters(
    query: StoredQuery, params: Mapping[str, object], engine: Engine
) -> tuple[dict[str, Identifier], dict[str, PartialDate]]:
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


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------

_DEFAULT_ENGINE: list[Engine] = []


def default_engine() -> Engine:
    """Return the default engine: Oxigraph in memory over the curated graph (built once)."""
    if not _DEFAULT_ENGINE:
        from diplomacy_kg.engines.factory import make_engine

        _DEFAULT_ENGINE.append(make_engine())
    return _DEFAULT_ENGINE[0]


def to_value(term: Node | None) -> Value:
    """Convert an RDF term into a Python value: IRIs stay IRIs, literals become typed values."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return term
    if isinstance(term, Literal):
        if term.language or term.datatype in (None, XSD.string):
            return str(term)
        value = term.toPython()
        if isinstance(value, bool | int | float | Decimal | date | str):
            return value
        return str(term)
    return str(term)


def json_value(value: Value) -> object:
    """Return a result value for JSON: numbers and booleans as they are, IRIs and dates as text.

    A decimal is a JSON number when that number reads back as the same value, else its exact
    text (a reader would round it): `Decimal("2.5")` → `2.5`, `Decimal("0.1")` → `0.1`.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        number = float(value)
        exact = math.isfinite(number) and Decimal(repr(number)) == value
        return number if exact else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def explain(query: StoredQuery, bindings: Mapping[str, Identifier], engine: Engine) -> str:
    """Return the query as the engine will run it, with its parameters bound."""
    return engine.explain(query.text, bindings)


def run_stored(
    query: StoredQuery, engine: Engine | None = None, params: Mapping[str, object] | None = None
) -> QueryResult:
    """Run a stored query with the given parameter values and return typed rows."""
    chosen = engine if engine is not None else default_engine()
    bindings, days = _resolve_parameters(query, params or {}, chosen)
    table: ResultTable = chosen.query(query.text, engine_bindings(query, bindings, days))
    columns = list(table.variables)
    if columns != list(query.columns):
        raise CatalogueError(
            f"{query.path}: the header declares columns {list(query.columns)} "
            f"but the query returns {columns}"
        )
    rows = [dict(zip(columns, map(to_value, row), strict=True)) for row in table.rows]
    completeness, rows = coverage.assess(chosen, query.notes, bindings, days, rows)
    return QueryResult(query, columns, rows, list(table.rows), bindings, completeness)


def run_query(name: str, engine: Engine | None = None, **params: object) -> QueryResult:
    """Run the stored query `name` (default engine: Oxigraph over the graph) with parameters."""
    return run_stored(get_query(name), engine, params)
