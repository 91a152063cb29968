"""The default engine: Oxigraph embedded through pyoxigraph, in memory or in an on-disk store."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines import Engine, EngineError, ResultTable, run_with_timeout
from diplomacy_kg.engines.binding import inline_values
from diplomacy_kg.values import Value, to_value

BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term into the matching pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


_XSD_STRING = str(XSD.string)


def _iri(value: str) -> URIRef:
    # `URIRef(value)` scans the text for characters IRIs forbid, only to log a warning, and
    # is then this very call; Oxigraph has already checked the IRI, so skip the scan.
    return str.__new__(URIRef, value)


def from_oxigraph(term: object) -> Node | None:
    """Convert a pyoxigraph term (or None) into the matching rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=_iri(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


_TEXT_DATATYPES = frozenset({_XSD_STRING, str(XSD.anyURI)})  # rdflib reads both as the text
_XSD_DATE = str(XSD.date)
_XSD_INTEGER = str(XSD.integer)
_XSD_BOOLEAN = str(XSD.boolean)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_BOOLEANS = {"true": True, "false": False}


def value_of(term: object) -> Value:
    """Return a pyoxigraph term's Python value: `values.to_value` of its rdflib term, faster.

    The common datatypes (text, IRIs, days, integers, booleans) are read straight from the
    lexical form; anything else, or a lexical form those rules do not accept, goes through the
    rdflib term, so the value is always the one `to_value` gives.
    """
    if isinstance(term, ox.Literal):
        if term.language:
            return term.value
        datatype = term.datatype.value
        lexical = term.value
        if datatype in _TEXT_DATATYPES:
            return lexical
        if datatype == _XSD_DATE and _DAY.fullmatch(lexical):
            try:
                return PartialDate(date.fromisoformat(lexical))
            except ValueError:  # e.g. 2023-02-30: rdflib's reading decides
                pass
        elif datatype == _XSD_INTEGER and _INTEGER.fullmatch(lexical):
            return int(lexical)
        elif datatype == _XSD_BOOLEAN and lexical in _BOOLEANS:
            return _BOOLEANS[lexical]
    elif isinstance(term, ox.NamedNode):
        return _iri(term.value)
    elif term is None:
        return None
    return to_value(from_oxigraph(term))


class OxigraphTable(ResultTable):
    """A result held as pyoxigraph terms, converted once per distinct term when first read."""

    def __init__(self, variables: list[str], native: list[tuple[object, ...]]) -> None:
        super().__init__(variables)
        self.native = native
        self._terms: list[tuple[Node | None, ...]] | None = None

    @property
    def rows(self) -> list[tuple[Node | None, ...]]:
        """Each row as rdflib terms, None where a variable is unbound."""
        if self._terms is None:
            self._terms = _converted(self.native, from_oxigraph)
        return self._terms

    def values(self) -> list[tuple[Value, ...]]:
        """Each row as Python values, read from the pyoxigraph terms without rdflib."""
        return _converted(self.native, value_of)


_Converted = TypeVar("_Converted")
_MISSING: Any = object()


def _converted(
    native: list[tuple[object, ...]], convert: Callable[[object], _Converted]
) -> list[tuple[_Converted, ...]]:
    # A term repeats across rows (a state, a source, a class): convert each distinct one once.
    # One dictionary look-up per cell: pyoxigraph hashes a term anew on every look-up, and a
    # set of the terms first, then a dictionary, then the rows took three (twice the time at 1M).
    cache: dict[object, _Converted] = {}
    known = cache.get
    rows: list[tuple[_Converted, ...]] = []
    for row in native:
        values: list[_Converted] = []
        for term in row:
            value = known(term, _MISSING)
            if value is _MISSING:
                value = cache[term] = convert(term)
            values.append(value)
        rows.append(tuple(values))
    return rows


def _quads(graph: Graph) -> Iterable[ox.Quad]:
    for subject, predicate, obj in graph:
        yield ox.Quad(
            to_oxigraph(subject),  # type: ignore[arg-type]
            to_oxigraph(predicate),  # type: ignore[arg-type]
            to_oxigraph(obj),
            ox.DefaultGraph(),
        )


class OxigraphEngine(Engine):
    """Runs queries with Oxigraph, binding parameters through its substitutions."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, *, timeout: float | None = None) -> None:
        self.store = store
        self.timeout = timeout
        self._lock: int | None = None

    def hold_lock(self, descriptor: int) -> None:
        """Keep a lock file descriptor open while the engine lives (released by `close`)."""
        self._lock = descriptor

    def close(self) -> None:
        """Release the store's files and the lock held on them."""
        self.store = ox.Store()  # drops the on-disk store, which closes its files
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)
            self._lock = None

    def __del__(self) -> None:
        lock = getattr(self, "_lock", None)
        if lock is not None:  # only the lock: the store closes itself when it is collected
            with contextlib.suppress(OSError):
                os.close(lock)

    @classmethod
    def from_graph(cls, graph: Graph, store_path: Path | None = None) -> OxigraphEngine:
        """Load an rdflib graph into a new in-memory (or on-disk, emptied first) store."""
        store = ox.Store(str(store_path)) if store_path is not None else ox.Store()
        if store_path is not None:
            store.clear()
        store.bulk_extend(_quads(graph))
        store.flush()
        return cls(store)

    @classmethod
    def from_turtle_files(
        cls, files: Iterable[Path], store_path: Path | None = None
    ) -> OxigraphEngine:
        """Parse Turtle files straight into a store (faster than going through rdflib)."""
        store = ox.Store(str(store_path)) if store_path is not None else ox.Store()
        if store_path is not None:
            store.clear()
        for path in files:
            with path.open("rb") as stream:
                has_bom = stream.read(3) == BYTE_ORDER_MARK
            if has_bom:  # not Turtle, but editors write it: parse what follows
                data = path.read_bytes()[len(BYTE_ORDER_MARK) :]
                store.bulk_load(input=data, format=ox.RdfFormat.TURTLE)
            else:  # no base IRI: a relative IRI is an error, never the file's local path
                store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        store.flush()
        return cls(store)

    @classmethod
    def open_store(cls, store_path: Path) -> OxigraphEngine:
        """Open an existing on-disk store read-write, without re-parsing anything."""
        return cls(ox.Store(str(store_path)))

    @classmethod
    def open_read_only(cls, store_path: Path) -> OxigraphEngine:
        """Open an existing on-disk store read-only: many processes may do so at once."""
        try:
            return cls(ox.Store.read_only(str(store_path)))
        except (OSError, RuntimeError, ValueError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise EngineError(f"{store_path}: cannot open the Oxigraph store: {reason}") from error

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> ResultTable:
        """Run a SELECT or ASK query with the given variables pre-bound."""
        # Oxigraph's own substitutions bind only projected variables, hence a VALUES block.
        bound = inline_values(sparql, bindings or {})
        return run_with_timeout(lambda: self._evaluate(bound), self.timeout, "Oxigraph")

    def _evaluate(self, sparql: str) -> ResultTable:
        try:
            result = self.store.query(sparql)
            if isinstance(result, ox.QueryBoolean):
                return ResultTable([], [], bool(result))
            if not isinstance(result, ox.QuerySolutions):
                raise EngineError("only SELECT and ASK queries are supported")
            variables = [v.value for v in result.variables]
            # A solution iterates over its values in the order of the variables (None if unbound).
            native = [tuple(solution) for solution in result]
        except (SyntaxError, OSError, ValueError, RuntimeError) as error:
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise EngineError(f"Oxigraph could not run the query: {first}") from error
        return OxigraphTable(variables, native)
