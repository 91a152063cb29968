"""Loading the graph: parse Turtle into rdflib, with errors naming file, line and column."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef

from diplomacy_kg import paths
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.namespaces import bind_prefixes, new_graph


class RdfParseError(DiplomacyKgError):
    """A Turtle file could not be parsed; names the file, line and column."""

    def __init__(self, path: Path, line: int | None, column: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}")


class _IllTypedLiteralFilter(logging.Filter):
    """Drop rdflib's logged traceback for an ill-typed literal: validation reports it in a line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteralFilter())

NO_BASE = "urn:x-diplomacy-kg:no-base:"
"""rdflib always resolves against some base; Oxigraph, which parses every file first, has none,
so a relative IRI is an error naming its line before rdflib ever sees it."""

_OXIGRAPH_POSITION = re.compile(r"line (\d+)(?: column |, column )(\d+)", re.IGNORECASE)
_RDFLIB_LINE = re.compile(r"at line (\d+)")


def _locate_syntax_error(path: Path, text: str) -> RdfParseError | None:
    # rdflib's Turtle errors carry a line but no column; Oxigraph's parser reports both.
    try:
        for _ in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE):
            pass
    except MemoryError as error:  # Oxigraph's parser buffers a token in at most 16 MiB
        return RdfParseError(path, None, None, f"a literal or IRI is too long to parse ({error})")
    except SyntaxError as error:
        line = column = None
        position = getattr(error, "lineno", None)
        if position:
            line = int(position)
            offset = getattr(error, "offset", None)
            column = int(offset) if offset else None
        message = str(error.msg if hasattr(error, "msg") else error)
        match = _OXIGRAPH_POSITION.search(message)
        if match and line is None:
            line, column = int(match.group(1)), int(match.group(2))
        return RdfParseError(path, line, column, describe_syntax_error(message))
    return None


def describe_syntax_error(message: str) -> str:
    """Return the first line of a parser's message, saying plainly when an IRI is relative."""
    first = message.splitlines()[0] if message else "syntax error"
    if "No scheme found" in first:
        # No base IRI is set on purpose: a relative IRI would take the file's local path.
        return first + " (a relative IRI: write it in full or declare @base)"
    return first


def parse_turtle_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file into a graph (a new one unless given), raising RdfParseError."""
    graph = into if into is not None else new_graph()
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is not Turtle: drop it
    except UnicodeDecodeError as error:
        broken_line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise RdfParseError(path, broken_line, None, f"not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise RdfParseError(path, None, None, f"cannot read: {error.strerror or error}") from error
    located = _locate_syntax_error(path, text)
    if located is not None:
        raise located
    try:
        graph.parse(data=text, format="turtle", publicID=NO_BASE)
    except Exception as error:  # rdflib raises many types; all mean "bad input" here
        match = _RDFLIB_LINE.search(str(error))
        line = int(match.group(1)) if match else None
        raise RdfParseError(path, line, None, str(error).splitlines()[0]) from error
    return graph


def parse_turtle_files(files: Iterable[Path]) -> Graph:
    """Parse several Turtle files into one graph."""
    graph = new_graph()
    for path in files:
        parse_turtle_file(path, into=graph)
    return bind_prefixes(graph)


def default_files(*, include_enrichment: bool = False) -> list[Path]:
    """Return the ontology and curated data files the graph is built from."""
    files = [paths.ONTOLOGY_FILE, *paths.curated_files()]
    if include_enrichment:
        files += sorted(paths.ENRICHMENT_DIR.glob("*.ttl"))
    return files


def load_graph(files: Sequence[Path] | None = None, *, include_enrichment: bool = False) -> Graph:
    """Load the knowledge graph: the ontology and the curated data, or the given files."""
    chosen = (
        list(files) if files is not None else default_files(include_enrichment=include_enrichment)
    )
    return parse_turtle_files(chosen)


def load_shapes() -> Graph:
    """Load the SHACL shapes graph."""
    return parse_turtle_files(paths.shape_files())


@dataclass(frozen=True)
class Location:
    """Where a subject is written: a file and a 1-based line."""

    path: Path
    line: int


def subject_locations(files: Iterable[Path]) -> dict[URIRef, Location]:
    """Map each subject IRI to the file and line where its description starts."""
    locations: dict[URIRef, Location] = {}
    for path in files:
        text = _read_text(path)
        subjects, prefixes = _subjects_and_prefixes(path, text)
        first_lines = _first_lines_by_leading_token(text)
        for subject in subjects:
            if subject in locations:
                continue
            lines = [first_lines[s] for s in _spellings(subject, prefixes) if s in first_lines]
            if lines:
                locations[subject] = Location(path, min(lines))
    return locations


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RdfParseError(path, None, None, f"cannot read: {error}") from error


def _subjects_and_prefixes(path: Path, text: str) -> tuple[set[URIRef], dict[str, str]]:
    # Oxigraph's parser is ~10x faster than rdflib's and reports the file's own prefixes.
    parser = pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE)
    try:
        subjects = {
            URIRef(triple.subject.value)
            for triple in parser
            if isinstance(triple.subject, pyoxigraph.NamedNode)
        }
    except SyntaxError as error:
        located = _locate_syntax_error(path, text)
        raise located or RdfParseError(path, None, None, str(error)) from error
    return subjects, dict(parser.prefixes)


def _first_lines_by_leading_token(text: str) -> dict[str, int]:
    # A description starts where the subject stands first on a line, followed by a space.
    first: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        token = _LEADING_TOKEN.match(line)
        if token is not None:
            first.setdefault(token.group(1), number)
    return first


_LEADING_TOKEN = re.compile(r"[ \t]*([^ \t]+)(?:[ \t]|$)")


def _spellings(iri: URIRef, prefixes: dict[str, str]) -> list[str]:
    forms = [f"<{iri}>"]
    for prefix, namespace in prefixes.items():
        if namespace and iri.startswith(namespace) and len(iri) > len(namespace):
            forms.append(f"{prefix}:{iri[len(namespace) :]}")
    return forms
