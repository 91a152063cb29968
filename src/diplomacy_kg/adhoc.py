"""Ad-hoc SPARQL: a user's own query on any engine, with the project's prefixes declared.

The text is scanned once (comments, strings and IRIs skipped) to find its form (SELECT, ASK,
CONSTRUCT, DESCRIBE or an update), the prefixes it declares and those it uses, so an unknown
prefix is named with its line and column. Its syntax is checked by Oxigraph's parser with the
project's prefixes passed aside (the user's line numbers stay right), then it runs with the
missing `PREFIX` lines prepended. Updates are refused unless allowed, and then only on a local
Oxigraph store. A query running past its timeout is abandoned with an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from diplomacy_kg.engines import Engine, EngineError, run_with_timeout
from diplomacy_kg.engines.endpoint import EndpointEngine
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine, from_oxigraph
from diplomacy_kg.engines.rdflib_engine import RdflibEngine
from diplomacy_kg.engines.store import exclusive
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.http import HttpError
from diplomacy_kg.namespaces import ID, PREFIXES, new_graph
from diplomacy_kg.queries import Value

Form = TypingLiteral["select", "ask", "construct", "describe", "update"]
_T = TypeVar("_T")

QUERY_KEYWORDS: dict[str, Form] = {
    "SELECT": "select",
    "ASK": "ask",
    "CONSTRUCT": "construct",
    "DESCRIBE": "describe",
}
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

_INSTANCE_LOCAL = re.compile(r"[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*(?![\w/:-])")
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<pname>(?<![\w?$:.\-])(?:[A-Za-z][\w.\-]*)?:)
      | (?P<word>[A-Za-z_][\w\-]*)
      | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


class SparqlError(DiplomacyKgError):
    """A query that cannot run: bad syntax, an unknown prefix, a refused update, a timeout."""


def project_prefixes() -> dict[str, str]:
    """Return the prefixes every ad-hoc query has declared: the project's, and `id:`."""
    declared = {name: str(namespace) for name, namespace in PREFIXES.items()}
    declared["id"] = str(ID)
    return dict(sorted(declared.items()))


def prefix_block() -> str:
    """Return the project's prefixes as SPARQL `PREFIX` lines (for editors and `--prefixes`)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in project_prefixes().items())


@dataclass(frozen=True)
class Scan:
    """What one pass over a query's text finds."""

    form: Form | None
    declared: frozenset[str]
    used: tuple[tuple[str, int, int], ...]  # (prefix, line, column) in order of appearance
    instances: tuple[tuple[int, int], ...] = ()  # (start, end) of each `id:state/kor`

    def escaped(self, text: str) -> str:
        """Return the text with each `id:kind/slug` (not a SPARQL name) written as a full IRI."""
        for start, end in reversed(self.instances):
            text = f"{text[:start]}<{ID}{text[start + 3 : end]}>{text[end:]}"
        return text

    def original_column(self, text: str, line: int, column: int) -> int:
        """Map a column of the escaped text back to the user's text."""
        shift = 0
        for start, _end in self.instances:
            at_line, at_column = _position(text, start)
            if at_line == line and at_column + shift < column:
                shift += len(str(ID)) + 2 - 3
        return max(1, column - shift)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def scan(text: str) -> Scan:
    """Find a query's form, the prefixes it declares and the prefixed names it uses."""
    form: Form | None = None
    declared: set[str] = set()
    used: list[tuple[str, int, int]] = []
    instances: list[tuple[int, int]] = []
    expect_prefix = False
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "word":
            keyword = token.upper()
            expect_prefix = keyword == "PREFIX"
            if form is None and keyword in QUERY_KEYWORDS:
                form = QUERY_KEYWORDS[keyword]
            elif form is None and keyword in UPDATE_KEYWORDS:
                form = "update"
        elif kind == "pname":
            if expect_prefix:
                declared.add(token[:-1])
            else:
                used.append((token[:-1], *_position(text, match.start())))
                local = _INSTANCE_LOCAL.match(text, match.end())
                if token == "id:" and local:
                    instances.append((match.start(), local.end()))
            expect_prefix = False
        elif kind != "comment":
            expect_prefix = False
    if "id" in declared:
        instances.clear()  # the user's own id: prefix: their text is theirs
    return Scan(form, frozenset(declared), tuple(used), tuple(instances))


def check_prefixes(found: Scan) -> None:
    """Raise SparqlError naming the first prefix neither the query nor the project declares."""
    known = found.declared | set(project_prefixes())
    for prefix, line, column in found.used:
        if prefix not in known and prefix != "_":
            raise SparqlError(
                f"line {line}, column {column}: unknown prefix {prefix}: "
                "(declare it with PREFIX, or use one of the project's: "
                f"{', '.join(sorted(project_prefixes()))})"
            )


def _syntax_message(error: Exception, text: str, found: Scan | None = None) -> str:
    message = " ".join(str(error).split())
    match = re.match(r"error at (\d+):(\d+): (.*)", message)
    if not match:
        return f"syntax error: {message}"
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3)
    if found is not None:
        column = found.original_column(text, line, column)
    if len(detail) > 120:
        detail = detail[:119] + "…"
    return f"line {line}, column {column}: syntax error: {detail}"


def check_syntax(text: str, found: Scan) -> None:
    """Parse the query with Oxigraph (nothing is evaluated) and name the line and column."""
    try:
        ox.Store().query(found.escaped(text), prefixes=project_prefixes())
    except SyntaxError as error:
        raise SparqlError(_syntax_message(error, text, found)) from error


def with_prefixes(text: str, found: Scan) -> str:
    """Prepend the project's PREFIX lines the query does not declare itself."""
    missing = {p: iri for p, iri in project_prefixes().items() if p not in found.declared}
    block = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in missing.items())
    return block + found.escaped(text)


@dataclass
class Answer:
    """An ad-hoc query's answer: rows, a boolean, a graph, or an update's effect."""

    form: Form
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Value]] = field(default_factory=list)
    terms: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    message: str = ""


def _within(timeout: float | None, work: Callable[[], _T]) -> _T:
    """Run work, abandoning it (EngineError) if it is not done within the timeout."""
    return run_with_timeout(work, timeout, "sparql")


def graph_answer(engine: Engine, text: str) -> Graph:
    """Answer a CONSTRUCT or DESCRIBE on any engine as an rdflib graph."""
    graph = new_graph()
    if isinstance(engine, OxigraphEngine):
        try:
            result = engine.store.query(text)
        except (SyntaxError, OSError, ValueError) as error:
            raise EngineError(f"Oxigraph could not run the query: {error}") from error
        for triple in result:  # type: ignore[union-attr]
            graph.add(
                (
                    from_oxigraph(triple.subject),
                    from_oxigraph(triple.predicate),
                    from_oxigraph(triple.object),
                )  # type: ignore[arg-type]
            )
        return graph
    if isinstance(engine, RdflibEngine):
        try:
            answer = engine.graph.query(text).graph
        except Exception as error:  # rdflib raises pyparsing and assorted errors
            raise EngineError(f"rdflib could not run the query: {error}") from error
        if answer is not None:
            for triple in answer:
                graph.add(triple)
        return graph
    if isinstance(engine, EndpointEngine):
        return endpoint_graph(engine, text)
    raise EngineError(f"the {engine.name} engine cannot answer CONSTRUCT or DESCRIBE")


def endpoint_graph(engine: EndpointEngine, text: str) -> Graph:
    """Ask an endpoint a CONSTRUCT or DESCRIBE and parse the Turtle it returns."""
    try:
        body = engine.send(text, accept="text/turtle, application/n-triples;q=0.9").body
    except HttpError as error:
        raise EngineError(str(error)) from error
    graph = new_graph()
    try:
        graph.parse(data=body, format="turtle")
    except Exception as error:  # rdflib raises assorted parser errors
        raise EngineError(f"{engine.url}: the answer is not Turtle: {error}") from error
    return graph


def run_update(text: str, store: Path, found: Scan | None = None) -> str:
    """Apply an update to a local Oxigraph store; return what changed, in one line."""
    if not (store / "CURRENT").is_file():
        raise SparqlError(f"{store}: not an Oxigraph store (build one with `load`)", field="store")
    with exclusive(store):  # no reader has the store open while it is written
        try:
            target = ox.Store(str(store))
        except OSError as error:
            raise SparqlError(f"{store}: cannot open the store for writing: {error}") from error
        before = len(target)
        try:
            target.update(found.escaped(text) if found else text, prefixes=project_prefixes())
        except SyntaxError as error:
            raise SparqlError(_syntax_message(error, text, found)) from error
        except (OSError, ValueError) as error:
            raise SparqlError(f"the update failed: {' '.join(str(error).split())}") from error
        target.flush()
        after = len(target)
        del target
    return f"updated {store}: {before} triples before, {after} after"


def run_sparql(
    text: str,
    engine_factory: Callable[[], Engine],
    *,
    timeout: float | None = None,
    allow_update: bool = False,
    store: Path | None = None,
) -> Answer:
    """Run a user's SPARQL: check prefixes and syntax first, then answer on the chosen engine."""
    if not text.strip():
        raise SparqlError("the query is empty")
    found = scan(text)
    check_prefixes(found)
    if found.form == "update":
        if not allow_update:
            raise SparqlError(
                "this is an update; it is refused unless updates are allowed", field="allow_update"
            )
        if store is None:
            raise SparqlError("an update changes only a local store: give its path", field="store")
        return Answer("update", message=_within(timeout, lambda: run_update(text, store, found)))
    check_syntax(text, found)
    if found.form is None:
        raise SparqlError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    form: Form = found.form
    engine = engine_factory()
    full = with_prefixes(text, found)
    if form in ("construct", "describe"):
        return Answer(form, graph=_within(timeout, lambda: graph_answer(engine, full)))
    table = _within(timeout, lambda: engine.query(full))
    if form == "ask":
        return Answer(form, boolean=table.boolean)
    columns = list(table.variables)
    rows = [dict(zip(columns, row, strict=True)) for row in table.values()]
    return Answer(form, columns=columns, rows=rows, terms=list(table.rows))
