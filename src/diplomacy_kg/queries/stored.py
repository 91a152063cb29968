"""The stored query catalogue: `queries/*.rq` files and their `#+` headers.

Each stored query opens with a `#+` header (a small YAML-like subset, parsed here without a YAML
dependency): `summary`, `params` (name: {type, example}), `columns`, optional `roles` (which
column plays which part, e.g. `{when: since, when_precision: since_precision, source: source}`;
see `COLUMN_ROLES`), and free-text keys such as `as-of` and `notes`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diplomacy_kg import paths
from diplomacy_kg.errors import EXIT_FAILED, DiplomacyKgError

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

_HEADER_KEY = re.compile(r"([A-Za-z][\w-]*):\s*(.*)")
_PARAM_LINE = re.compile(r"([A-Za-z_]\w*):\s*\{(.*)\}")
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
