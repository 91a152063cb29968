"""An on-disk cache of SPARQL results, keyed by endpoint and query text, with a time-to-live."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from diplomacy_kg.files import atomic_write_text

DEFAULT_TTL_SECONDS = 7 * 24 * 3600


def default_cache_dir() -> Path:
    """Return `$XDG_CACHE_HOME/diplomacy-kg/wikidata` (or `~/.cache/...`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diplomacy-kg" / "wikidata"


def cache_key(endpoint: str, query: str) -> str:
    """Return the cache key of a query: sha256 of the endpoint and the query text."""
    return hashlib.sha256(f"{endpoint}\n{query}".encode()).hexdigest()


def format_timestamp(moment: datetime) -> str:
    """Format a UTC time as `YYYY-MM-DDTHH:MM:SSZ`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    """Parse a `YYYY-MM-DDTHH:MM:SSZ` time written by `format_timestamp`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


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

    def get(self, endpoint: str, query: str, *, allow_stale: bool = False) -> CacheEntry | None:
        """Return the cached answer, or None when absent, unreadable or older than the TTL."""
        path = self.path_for(endpoint, query)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            entry = CacheEntry(
                endpoint=str(record["endpoint"]),
                query=str(record["query"]),
                retrieved_at=str(record["retrieved_at"]),
                results=dict(record["results"]),
            )
            parse_timestamp(entry.retrieved_at)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a missing or damaged entry is simply a miss
        if entry.endpoint != endpoint or entry.query != query:
            return None
        if not allow_stale and entry.age_seconds(self.clock()) > self.ttl_seconds:
            return None
        return entry

    def put(self, endpoint: str, query: str, results: dict[str, Any]) -> CacheEntry:
        """Store an answer retrieved now, atomically, and return its entry."""
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
