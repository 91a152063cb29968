"""One interface for every SPARQL engine: embedded rdflib, embedded Oxigraph, remote endpoints.

An engine answers a SPARQL SELECT or ASK with parameters bound by its own mechanism (rdflib's
initBindings, Oxigraph's substitutions, typed terms for remote endpoints), never by pasting
user text into the query. Rows come back as rdflib terms, so callers do not care which engine ran.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TypeVar

from rdflib.term import Identifier, Node

from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.values import Value, to_value


class EngineError(DiplomacyKgError):
    """An engine could not answer: an unreachable endpoint, a timeout, an HTTP error, bad SPARQL."""


class ResultTable:
    """The answer to a SELECT (`variables` and `rows`) or an ASK (`boolean`)."""

    def __init__(
        self,
        variables: list[str],
        rows: list[tuple[Node | None, ...]] | None = None,
        boolean: bool | None = None,
    ) -> None:
        self.variables = variables
        self.boolean = boolean
        self._rows = rows if rows is not None else []

    @property
    def rows(self) -> list[tuple[Node | None, ...]]:
        """Each row as rdflib terms, None where a variable is unbound."""
        return self._rows

    def values(self) -> list[tuple[Value, ...]]:
        """Each row as Python values (`values.to_value` of each term)."""
        return [tuple(map(to_value, row)) for row in self.rows]

    def as_dicts(self) -> list[dict[str, Node | None]]:
        """Return each row as a mapping from variable name to term."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResultTable):
            return NotImplemented
        return (self.variables, self.rows, self.boolean) == (
            other.variables,
            other.rows,
            other.boolean,
        )

    def __repr__(self) -> str:
        shown = f"variables={self.variables!r}, rows={self.rows!r}, boolean={self.boolean!r}"
        return f"ResultTable({shown})"


class Engine(ABC):
    """Answers SPARQL queries over one graph.

    Each kind registers itself under its `name` (see `ENGINES`) and says, through `explain`,
    how it will run a query with its parameters bound.
    """

    name: str = "engine"
    embedded: bool = True  # runs in this process, over files (else: talks to a server)
    timeout: float | None = None  # seconds each query may take; None: no limit

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            ENGINES[cls.name] = cls

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> ResultTable:
        """Run a SELECT or ASK query with the given variables pre-bound."""

    def explain(self, sparql: str, bindings: Mapping[str, Identifier]) -> str:
        """Return the query as this engine will run it: by default with a VALUES block."""
        from diplomacy_kg.engines.binding import inline_values

        return inline_values(sparql, bindings)

    def close(self) -> None:  # noqa: B027 - optional hook, most engines hold nothing
        """Release what the engine holds (files, connections)."""

    def __enter__(self) -> Engine:
        """Use the engine as a context manager."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the engine."""
        self.close()


ENGINES: dict[str, type[Engine]] = {}
"""Every kind of engine by name, filled in as the engine modules are imported."""

ENGINE_NAMES: tuple[str, ...] = ("oxigraph", "rdflib")
"""The engines that run in this process (`--engine`); the endpoint engine talks to a server."""

_Result = TypeVar("_Result")


def run_with_timeout(work: Callable[[], _Result], timeout: float | None, what: str) -> _Result:
    """Run `work` and return its result, or raise EngineError when it takes over `timeout` s.

    The work runs in a daemon thread (Oxigraph releases the interpreter while it evaluates), so
    an over-long query is abandoned, and ends with the process, instead of holding the run.
    """
    if timeout is None:
        return work()
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed back to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=target, name=f"diplomacy-kg-{what}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise EngineError(f"the query ran past its timeout of {timeout:g} s and was abandoned")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
