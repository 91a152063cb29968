"""A polite SPARQL client for Wikibase endpoints, with SPARQLWrapper underneath.

One request at a time, a descriptive User-Agent, a timeout per request, capped exponential
backoff that honours Retry-After on 429 and 503, answers checked before they are trusted
(an HTML page or truncated JSON is an error, never an empty result), an on-disk cache and an
offline mode that answers from the cache alone.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper
from SPARQLWrapper import __version__ as sparqlwrapper_version
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from diplomacy_kg import __version__
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.namespaces import BASE
from diplomacy_kg.wikidata.cache import CacheEntry, ResponseCache

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_CONTACT = BASE
DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF_SECONDS = 2.0
DEFAULT_BACKOFF_CAP_SECONDS = 60.0
# A server asking for a longer pause than this is not waited for: the run stops and says so.
DEFAULT_MAX_RETRY_AFTER_SECONDS = 300.0
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
# Long queries (big VALUES blocks) go by POST so the URL stays short.
_GET_LIMIT = 1800
# An answer that is not JSON is retried once: WDQS timeouts often come back as broken JSON.
_BAD_BODY_ATTEMPTS = 2

Row = dict[str, dict[str, str]]


def user_agent(contact: str = DEFAULT_CONTACT) -> str:
    """Return the User-Agent sent with every request: project, version, contact URL."""
    return f"diplomacy-kg/{__version__} ({contact}) SPARQLWrapper/{sparqlwrapper_version}"


class WikidataError(DiplomacyKgError):
    """A Wikibase endpoint could not give a usable answer; the message says why."""


class BadResponseError(WikidataError):
    """The endpoint answered 200 with something that is not complete SPARQL JSON results."""


class OfflineCacheMissError(WikidataError):
    """Offline mode was asked for answers the cache does not hold."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        listed = "; ".join(missing)
        super().__init__(
            f"--offline: {len(missing)} quer{'y is' if len(missing) == 1 else 'ies are'} "
            f"not in the cache: {listed}. Run once without --offline to fetch them."
        )


@dataclass
class ClientStats:
    """What a run cost: requests sent, cache hits, retries and time waited."""

    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    waited_seconds: float = 0.0


@dataclass(frozen=True)
class QueryAnswer:
    """The rows of a SELECT answer and where they came from."""

    query: str
    description: str
    rows: list[Row]
    retrieved_at: str
    from_cache: bool


@dataclass
class SparqlClient:
    """Sends SELECT queries to one endpoint, politely, through the cache."""

    endpoint: str = DEFAULT_ENDPOINT
    cache: ResponseCache | None = None
    offline: bool = False
    refresh: bool = False
    contact: str = DEFAULT_CONTACT
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS
    backoff_cap_seconds: float = DEFAULT_BACKOFF_CAP_SECONDS
    max_retry_after_seconds: float = DEFAULT_MAX_RETRY_AFTER_SECONDS
    sleep: Callable[[float], None] | None = None  # None: time.sleep, looked up when used
    notify: Callable[[str], None] = lambda message: None
    stats: ClientStats = field(default_factory=ClientStats)

    @property
    def agent(self) -> str:
        """The User-Agent header value."""
        return user_agent(self.contact)

    def select(self, query: str, description: str) -> QueryAnswer:
        """Answer a SELECT query from the cache when fresh enough, else from the endpoint."""
        if self.cache is not None and not self.refresh:
            entry = self.cache.get(self.endpoint, query, allow_stale=self.offline)
            if entry is not None:
                self.stats.cache_hits += 1
                return _answer(entry, description, from_cache=True)
        if self.offline:
            raise OfflineCacheMissError([description])
        results = self._fetch(query, description)
        if self.cache is not None:
            entry = self.cache.put(self.endpoint, query, results)
        else:
            now = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            entry = CacheEntry(self.endpoint, query, now, results)
        return _answer(entry, description, from_cache=False)

    def _fetch(self, query: str, description: str) -> dict[str, Any]:
        attempt = 0
        bad_bodies = 0
        while True:
            attempt += 1
            self.stats.requests += 1
            try:
                body, content_type = self._send(query)
                return parse_results(body, content_type, self.endpoint)
            except BadResponseError as error:
                bad_bodies += 1
                if bad_bodies >= _BAD_BODY_ATTEMPTS or attempt >= self.max_attempts:
                    raise BadResponseError(f"{description}: {error}") from error
                self._wait(self._backoff(attempt), f"{error}; retrying")
            except urllib.error.HTTPError as error:
                if error.code not in RETRIED_STATUSES:
                    raise WikidataError(
                        f"{description}: {self.endpoint} answered HTTP {error.code} "
                        f"{error.reason}: {_snippet(error.read())}"
                    ) from error
                retry_after = parse_retry_after(error.headers.get("Retry-After"))
                if attempt >= self.max_attempts:
                    raise WikidataError(
                        f"{description}: {self.endpoint} answered HTTP {error.code} "
                        f"{error.reason} {attempt} times (waited {self.stats.waited_seconds:.1f} s "
                        "in all); giving up, try again later"
                    ) from error
                if retry_after is not None and retry_after > self.max_retry_after_seconds:
                    raise WikidataError(
                        f"{description}: {self.endpoint} asks to wait {retry_after:.0f} s "
                        f"(HTTP {error.code}, Retry-After), more than the "
                        f"{self.max_retry_after_seconds:.0f} s allowed; try again later"
                    ) from error
                delay = retry_after if retry_after is not None else self._backoff(attempt)
                why = "Retry-After" if retry_after is not None else "backoff"
                self._wait(delay, f"HTTP {error.code}, waiting {delay:.1f} s ({why})")
            except TimeoutError as error:
                if attempt >= self.max_attempts:
                    raise WikidataError(
                        f"{description}: {self.endpoint} did not answer within "
                        f"{self.timeout_seconds:g} s, {attempt} times; giving up"
                    ) from error
                self._wait(self._backoff(attempt), "request timed out; retrying")
            except urllib.error.URLError as error:
                if isinstance(error.reason, TimeoutError | socket.timeout):
                    if attempt >= self.max_attempts:
                        raise WikidataError(
                            f"{description}: {self.endpoint} did not answer within "
                            f"{self.timeout_seconds:g} s, {attempt} times; giving up"
                        ) from error
                    self._wait(self._backoff(attempt), "request timed out; retrying")
                    continue
                raise WikidataError(f"cannot reach {self.endpoint}: {error.reason}") from error
            except SPARQLWrapperException as error:
                raise WikidataError(
                    f"{description}: {self.endpoint} rejected the query: "
                    f"{str(error).splitlines()[0]}"
                ) from error

    def _send(self, query: str) -> tuple[bytes, str]:
        wrapper = SPARQLWrapper(self.endpoint, agent=self.agent)
        wrapper.setQuery(query)
        wrapper.setReturnFormat(JSON)
        wrapper.setMethod(POST if len(query) > _GET_LIMIT else GET)
        # SPARQLWrapper types the timeout as int; urllib takes fractions of a second too.
        wrapper.timeout = self.timeout_seconds  # type: ignore[assignment]
        response = wrapper.query().response
        try:
            content_type = str(response.headers.get("Content-Type", ""))
            return response.read(), content_type
        finally:
            response.close()

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff_cap_seconds, self.backoff_seconds * 2 ** (attempt - 1)))

    def _wait(self, seconds: float, why: str) -> None:
        self.stats.retries += 1
        self.stats.waited_seconds += seconds
        self.notify(f"{self.endpoint}: {why}")
        (self.sleep or time.sleep)(seconds)


def _answer(entry: CacheEntry, description: str, *, from_cache: bool) -> QueryAnswer:
    bindings = entry.results.get("results", {}).get("bindings", [])
    return QueryAnswer(entry.query, description, list(bindings), entry.retrieved_at, from_cache)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Read a Retry-After header (seconds or an HTTP date) as seconds to wait."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, moment.timestamp() - current)


def _snippet(body: bytes | str, length: int = 160) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        text = title.group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    return text[:length] + ("…" if len(text) > length else "") if text else "(empty body)"


def parse_results(body: bytes, content_type: str, endpoint: str) -> dict[str, Any]:
    """Parse SPARQL JSON results, refusing HTML/text error pages and truncated JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadResponseError(f"{endpoint} answered with bytes that are not UTF-8") from error
    stripped = text.lstrip()
    if "html" in content_type.lower() or stripped.startswith("<"):
        raise BadResponseError(
            f"{endpoint} answered HTTP 200 with an HTML page, not SPARQL results: {_snippet(text)}"
        )
    if not stripped:
        raise BadResponseError(f"{endpoint} answered HTTP 200 with an empty body")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # SPARQL JSON results end with "}"; a body that does not was cut off in transit.
        kind = "invalid" if text.rstrip().endswith("}") else "truncated"
        raise BadResponseError(
            f"{endpoint} answered HTTP 200 with {kind} JSON ({error.msg} at character "
            f"{error.pos} of {len(text)}; content type {content_type or 'none'}): "
            f"{_snippet(text[-200:] if kind == 'invalid' else text[:80])}"
        ) from error
    if not _is_select_results(data):
        raise BadResponseError(
            f"{endpoint} answered JSON that is not SPARQL SELECT results (no results.bindings)"
        )
    assert isinstance(data, dict)
    return data


def _is_select_results(data: object) -> bool:
    if not isinstance(data, Mapping):
        return False
    results = data.get("results")
    return isinstance(results, Mapping) and isinstance(results.get("bindings"), list)
