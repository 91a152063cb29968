"""An on-disk cache of SPARQL results, keyed by endpoint and query text, with a time-to-live.

Only answers that are sound SPARQL JSON SELECT results are stored, and every entry is checked
again when read: an entry that is damaged, hand-edited into something else, filed under the
wrong key or dated in the future is reported (through `report`) and ignored, never fatal.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from diplomacy_kg.files import atomic_write_text

DEFAULT_TTL_SECONDS = 7 * 24 * 3600
# Clocks drift: an entry up to this far in the future is still believed.
CLOCK_SKEW_SECONDS = 300.0


def cache_key(endpoint: str, query: str) -> str:
    """Return the cache key of a query: sha256 of the endpoint and the query text."""
    return hashlib.sha256(f"{endpoint}\n{query}".encode()).hexdigest()


def format_timestamp(moment: datetime) -> str:
    """Format a UTC time as `YYYY-MM-DDTHH:MM:SSZ`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    """Parse a `YYYY-MM-DDTHH:MM:SSZ` time written by `format_timestamp`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


TERM_TYPES = frozenset({"uri", "literal", "bnode", "typed-literal"})


def select_results_problem(data: object) -> str | None:
    """Say what makes a document not SPARQL JSON SELECT results, or None when it is sound.

    Every answer is checked this way before it is cached, and every cache entry when it is read,
    so a binding without a `value` can neither be stored nor crash a later run.
    """
    if not isinstance(data, Mapping):
        return "not a JSON object"
    results = data.get("results")
    if not isinstance(results, Mapping) or not isinstance(results.get("bindings"), list):
        return "no results.bindings"
    head = data.get("head", {})
    variables = head.get("vars", []) if isinstance(head, Mapping) else None
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        return "head.vars is not a list of names"
    for number, row in enumerate(results["bindings"], start=1):
        if not isinstance(row, Mapping):
            return f"binding {number} is not an object"
        for name, term in row.items():
            if not isinstance(term, Mapping) or not isinstance(term.get("value"), str):
                return f"binding {number}: ?{name} has no string value"
            if term.get("type") not in TERM_TYPES:
                return f"binding {number}: ?{name} has the unknown type {term.get('type')!r}"
            for key in ("xml:lang", "datatype"):
                if key in term and not isinstance(term[key], str):
                    return f"binding {number}: ?{name} has a {key} that is not a string"
    return None


@dataclass(frozen=True)
class CacheEntry:
    """One cached answer: the SPARQL JSON results and when they were retrieved."""

    endpoint: str
    query: str
    retrieved_at: str
    results: dict[str, Any]

    def age_seconds(self, now: float) -> float:
        """Seconds since the answer was retrieved."""
        return now - parse_timestamp(self.retrieved_at).timestamp()


class ResponseCache:
    """SPARQL JSON answers stored as one file per (endpoint, query)."""

    def __init__(
        self,
        directory: Path,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = Path(directory)
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    def path_for(self, endpoint: str, query: str) -> Path:
        """Return the file that holds (or would hold) the answer to a query."""
        return self.directory / f"{cache_key(endpoint, query)}.json"

    def get(
        self,
        endpoint: str,
        query: str,
        *,
        allow_stale: bool = False,
        report: Callable[[str], None] | None = None,
    ) -> CacheEntry | None:
        """Return the cached answer, or None when absent, unsound or older than the TTL."""
        path = self.path_for(endpoint, query)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            return self._ignore(
                path, f"unreadable: {getattr(error, 'strerror', None) or error}", report
            )
        try:
            record = json.loads(text)
        except ValueError:
            return self._ignore(path, "not valid JSON", report)
        problem = _record_problem(record)
        if problem is not None:
            return self._ignore(path, problem, report)
        entry = CacheEntry(
            endpoint=record["endpoint"],
            query=record["query"],
            retrieved_at=record["retrieved_at"],
            results=dict(record["results"]),
        )
        if entry.endpoint != endpoint or entry.query != query:
            return self._ignore(path, "it holds the answer to another query or endpoint", report)
        age = entry.age_seconds(self.clock())
        if age < -CLOCK_SKEW_SECONDS:
            return self._ignore(path, f"dated in the future ({entry.retrieved_at})", report)
        if not allow_stale and age > self.ttl_seconds:
            return None
        return entry

    @staticmethod
    def _ignore(path: Path, why: str, report: Callable[[str], None] | None) -> None:
        if report is not None:
            report(f"{path}: ignored a damaged cache entry ({why})")
        return None

    def put(self, endpoint: str, query: str, results: dict[str, Any]) -> CacheEntry:
        """Store an answer retrieved now, atomically, and return its entry."""
        problem = select_results_problem(results)
        if problem is not None:
            raise ValueError(f"refusing to cache unsound SPARQL results: {problem}")
        retrieved_at = format_timestamp(datetime.fromtimestamp(self.clock(), tz=UTC))
        entry = CacheEntry(endpoint, query, retrieved_at, results)
        record = {
            "endpoint": endpoint,
            "query": query,
            "retrieved_at": retrieved_at,
            "results": results,
        }
        atomic_write_text(
            self.path_for(endpoint, query),
            json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
        )
        return entry


def _record_problem(record: object) -> str | None:
    if not isinstance(record, Mapping):
        return "not a JSON object"
    for key in ("endpoint", "query", "retrieved_at"):
        if not isinstance(record.get(key), str):
            return f"no {key}"
    try:
        parse_timestamp(record["retrieved_at"])
    except ValueError:
        return f"retrieved_at {record['retrieved_at']!r} is not a time"
    problem = select_results_problem(record.get("results"))
    return None if problem is None else f"its results are unsound: {problem}"
