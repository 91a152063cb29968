"""One interface for every SPARQL engine: embedded rdflib, embedded Oxigraph, remote endpoints.

An engine answers a SPARQL SELECT or ASK with parameters bound by its own mechanism (rdflib's
initBindings, Oxigraph's substitutions, typed terms for remote endpoints), never by pasting
user text into the query. Rows come back as rdflib terms, so callers do not care which engine ran.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rdflib.term import Identifier, Node

from diplomacy_kg.errors import DiplomacyKgError


class EngineError(DiplomacyKgError):
    """An engine could not answer: an unreachable endpoint, a timeout, an HTTP error, bad SPARQL."""


@dataclass(frozen=True)
class ResultTable:
    """The answer to a SELECT (`variables` and `rows`) or an ASK (`boolean`)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None

    def as_dicts(self) -> list[dict[str, Node | None]]:
        """Return each row as a mapping from variable name to term."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


class Engine(ABC):
    """Answers SPARQL queries over one graph."""

    name: str = "engine"

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> ResultTable:
        """Run a SELECT or ASK query with the given variables pre-bound."""

    def close(self) -> None:  # noqa: B027 - optional hook, most engines hold nothing
        """Release what the engine holds (files, connections)."""

    def __enter__(self) -> Engine:
        """Use the engine as a context manager."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the engine."""
        self.close()


ENGINE_NAMES: Sequence[str] = ("oxigraph", "rdflib")
