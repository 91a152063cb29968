"""A polite SPARQL client for Wikibase endpoints, on the project's HTTP layer (`diplomacy_kg.http`).

One request at a time, a descriptive User-Agent, a timeout per request and a total budget per
run (`run_budget_seconds`, across retries and Retry-After waits), capped exponential backoff that
honours Retry-After on 429 and 503, answers checked before they are trusted or cached (an HTML
page, truncated JSON or a binding without a value is an error, never an empty result), no
redirect to another host (whose answer would be cached under this one's key), an answer size
cap, an on-disk cache and an offline mode that answers from the cache alone.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

import diplomacy_kg
from diplomacy_kg import http
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.files import OutputError
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS
from diplomacy_kg.namespaces import BASE
from diplomacy_kg.wikidata.cache import CacheEntry, ResponseCache, select_results_problem

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_CONTACT = BASE
# A run (enrich, verify, compare) stops once it has spent this long, retries and waits included.
DEFAULT_RUN_BUDGET_SECONDS = 1800.0
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
    return f"diplomacy-kg/{diplomacy_kg.__version__} ({contact})"


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
            f"offline: {len(missing)} quer{'y is' if len(missing) == 1 else 'ies are'} "
            f"not in the cache: {listed}. Run once online to fetch them."
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
    run_budget_seconds: float = DEFAULT_RUN_BUDGET_SECONDS
    sleep: Callable[[float], None] | None = None  # None: time.sleep, looked up when used
    clock: Callable[[], float] = time.monotonic
    notify: Callable[[str], None] = lambda message: None
    stats: ClientStats = field(default_factory=ClientStats)
    _started: float | None = field(default=None, init=False, repr=False)

    def _budget_left(self) -> float:
        if self._started is None:
            self._started = self.clock()
        return self.run_budget_seconds - (self.clock() - self._started)

    @property
    def agent(self) -> str:
        """The User-Agent header value."""
        return user_agent(self.contact)

    def select(self, query: str, description: str) -> QueryAnswer:
        """Answer a SELECT query from the cache when fresh enough, else from the endpoint."""
        if self.cache is not None and not self.refresh:
            entry = self.cache.get(
                self.endpoint, query, allow_stale=self.offline, report=self.notify
            )
            if entry is not None:
                self.stats.cache_hits += 1
                return _answer(entry, description, from_cache=True)
        if self.offline:
            raise OfflineCacheMissError([description])
        results = self._fetch(query, description)
        now = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        entry = CacheEntry(self.endpoint, query, now, results)
        if self.cache is not None:
            try:
                entry = self.cache.put(self.endpoint, query, results)
            except OutputError as error:
                self.notify(f"{error}; going on without caching this answer")
        return _answer(entry, description, from_cache=False)

    def _fetch(self, query: str, description: str) -> dict[str, Any]:
        attempt = 0
        bad_bodies = 0
        while True:
            attempt += 1
            self.stats.requests += 1
            try:
                response = self._send(query, description)
                return parse_results(
                    response.body, response.content_type, http.redact(self.endpoint)
                )
            except BadResponseError as error:
                bad_bodies += 1
                if bad_bodies >= _BAD_BODY_ATTEMPTS or attempt >= self.max_attempts:
                    raise BadResponseError(f"{description}: {error}") from error
                self._wait(self._backoff(attempt), f"{error}; retrying", description)
            except http.HttpError as error:
                self._retry_or_raise(error, attempt, description)

    def _retry_or_raise(self, error: http.HttpError, attempt: int, description: str) -> None:
        endpoint = http.redact(self.endpoint)
        if error.timed_out:
            if attempt >= self.max_attempts:
                raise WikidataError(
                    f"{description}: {endpoint} did not answer within "
                    f"{self.timeout_seconds:g} s, {attempt} times; giving up"
                ) from error
            self._wait(self._backoff(attempt), "request timed out; retrying", description)
            return
        if error.status is None:
            raise WikidataError(f"cannot reach {endpoint}: {error}") from error
        if error.status == 400:
            raise WikidataError(
                f"{description}: {endpoint} rejected the query: {_snippet(error.body)}"
            ) from error
        if error.status not in RETRIED_STATUSES:
            raise WikidataError(f"{description}: {error}") from error
        retry_after = parse_retry_after(error.headers.get("Retry-After"))
        if attempt >= self.max_attempts:
            raise WikidataError(
                f"{description}: {endpoint} answered HTTP {error.status} "
                f"{HTTPStatus(error.status).phrase} {attempt} times "
                f"(waited {self.stats.waited_seconds:.1f} s in all); giving up, try again later"
            ) from error
        if retry_after is not None and retry_after > self.max_retry_after_seconds:
            raise WikidataError(
                f"{description}: {endpoint} asks to wait {retry_after:.0f} s "
                f"(HTTP {error.status}, Retry-After), more than the "
                f"{self.max_retry_after_seconds:.0f} s allowed; try again later"
            ) from error
        delay = retry_after if retry_after is not None else self._backoff(attempt)
        why = "Retry-After" if retry_after is not None else "backoff"
        self._wait(delay, f"HTTP {error.status}, waiting {delay:.1f} s ({why})", description)

    def _send(self, query: str, description: str) -> http.Response:
        left = self._budget_left()
        if left <= 0:
            raise WikidataError(self._out_of_budget(description))
        headers = {"Accept": "application/sparql-results+json", "User-Agent": self.agent}
        encoded = urllib.parse.urlencode({"query": query})
        timeout = min(self.timeout_seconds, left)
        if len(query) > _GET_LIMIT:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return http.request(
                "POST",
                self.endpoint,
                body=encoded.encode("ascii"),
                headers=headers,
                timeout=timeout,
            )
        separator = "&" if "?" in self.endpoint else "?"
        return http.request(
            "GET", f"{self.endpoint}{separator}{encoded}", headers=headers, timeout=timeout
        )

    def _out_of_budget(self, description: str) -> str:
        return (
            f"{description}: the run's time budget of {self.run_budget_seconds:g} s is spent "
            f"({self.stats.requests} requests, waited {self.stats.waited_seconds:.1f} s); "
            "giving up, try again later"
        )

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff_cap_seconds, self.backoff_seconds * 2 ** (attempt - 1)))

    def _wait(self, seconds: float, why: str, description: str) -> None:
        if seconds >= self._budget_left():
            raise WikidataError(self._out_of_budget(description))
        self.stats.retries += 1
        self.stats.waited_seconds += seconds
        self.notify(f"{http.redact(self.endpoint)}: {why}")
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
    problem = select_results_problem(data)
    if problem is not None:
        raise BadResponseError(
            f"{endpoint} answered JSON that is not SPARQL SELECT results: {problem}"
        )
    assert isinstance(data, dict)
    return data
