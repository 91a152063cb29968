"""The one HTTP layer: every client of the project (SPARQL endpoints, graph stores, Wikidata).

It owns the policies the clients share, so they live in one place:

- a timeout that bounds each whole request (not each socket read), and an optional `Deadline`
  that bounds a whole run across retries;
- a cap on the size of an answer (`limits.MAX_RESPONSE_BYTES` by default), read in chunks;
- redirects followed only to the same host (an upgrade from http to https allowed): a redirect
  to another host or from https to http is refused, so credentials never travel there and no
  other host's answer is taken for the asked one; 307/308 and 301/302 keep the method and body
  (a SPARQL POST stays a POST), 303 becomes a GET;
- credentials from the URL (`http://user:password@host/`) sent as basic authentication and
  removed from the URL; headers checked (no CR/LF, Latin-1 only); no message prints a password.

Every failure is an `HttpError` whose one-line message names the URL (without its password).
"""

from __future__ import annotations

import base64
import http.client
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message

import diplomacy_kg
from diplomacy_kg import limits
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS

MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_ERROR_BODY_BYTES = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class HttpError(DiplomacyKgError):
    """A request failed: no answer, a timeout, an HTTP error status, a refused redirect.

    `status` is the HTTP status (None when no answer came), `headers` the answer's headers,
    `body` (the start of) its body and `timed_out` whether the time budget ran out.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        headers: Message | None = None,
        body: bytes = b"",
        timed_out: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers if headers is not None else Message()
        self.body = body
        self.timed_out = timed_out


@dataclass(frozen=True)
class Response:
    """A complete answer: status, headers, body and the URL that gave it (after redirects)."""

    status: int
    headers: Message
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        """The media type of the body, lower-cased, without parameters ('' when not given)."""
        return str(self.headers.get("Content-Type", "")).split(";")[0].strip().lower()


@dataclass
class Deadline:
    """A time budget shared by every request (and every wait between retries) of one run."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        """Seconds left (never below zero)."""
        return max(0.0, self.started + self.seconds - time.monotonic())

    def expired(self) -> bool:
        """Tell whether the budget is spent."""
        return self.remaining() <= 0.0


def redact(url: str) -> str:
    """Return the URL with any password replaced by `***`, for messages."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "(an invalid URL)"
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """Split `http://user:password@host/...` into the bare URL, the user and the password."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    bare = urllib.parse.urlunsplit(parts._replace(netloc=host))
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return bare, user, password


def check_url(url: str, what: str = "url") -> str:
    """Return the URL if it is an http(s) URL with a host; else raise HttpError."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise HttpError(f"{what} {redact(url)!r} is not a valid URL: {error}") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HttpError(
            f"{redact(url)}: {what} must start with http:// or https:// and name a host"
        )
    if any(c in url for c in "\r\n\t ") or not url.isascii():
        raise HttpError(f"{redact(url)!r}: {what} holds spaces or non-ASCII characters")
    return url


def check_header(name: str, value: str) -> tuple[str, str]:
    """Return a header if HTTP can send it: a token name, a Latin-1 value without CR or LF."""
    if not _TOKEN.fullmatch(name):
        raise HttpError(f"{name!r} is not a valid HTTP header name")
    if "\r" in value or "\n" in value or "\x00" in value:
        raise HttpError(f"header {name}: the value holds a line break or a NUL character")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise HttpError(
            f"header {name}: the value holds characters HTTP headers cannot carry (not Latin-1)"
        ) from None
    return name, value


def basic_auth_header(user: str, password: str) -> str:
    """Return the value of an HTTP basic `Authorization` header."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def first_line(body: bytes | str, length: int = 200) -> str:
    """Return the first non-empty line of a body, shortened, for an error message."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= length else line[: length - 1] + "…"
    return "(empty body)"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # hand the 3xx back to `request`, which applies the policy


_OPENER = urllib.request.build_opener(_NoRedirects())


def redirect_allowed(origin: str, target: str) -> bool:
    """Tell whether a redirect may be followed: same host and port, or an upgrade to https."""
    a, b = urllib.parse.urlsplit(origin), urllib.parse.urlsplit(target)
    if (a.hostname or "").lower() != (b.hostname or "").lower():
        return False
    if a.scheme == b.scheme:
        return a.port == b.port
    return a.scheme == "http" and b.scheme == "https"  # an upgrade; never a downgrade


def _describe_network_error(url: str, error: BaseException, timeout: float) -> tuple[str, bool]:
    reason: object = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"{redact(url)}: no answer within {timeout:g} s (timeout)", True
    if isinstance(reason, ConnectionRefusedError):
        return f"{redact(url)}: unreachable (connection refused)", False
    if isinstance(reason, socket.gaierror):
        return f"{redact(url)}: unreachable (unknown host)", False
    if isinstance(reason, ssl.SSLError):
        return f"{redact(url)}: TLS failed ({reason.reason or reason})", False
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return f"{redact(url)}: unreachable ({text})", False


def _read_capped(stream: object, url: str, max_bytes: int, ends_at: float, budget: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    # read1 returns after one socket read, so a server trickling bytes cannot outlast the budget.
    read = getattr(stream, "read1", None) or getattr(stream, "read")  # noqa: B009
    sock = getattr(getattr(getattr(stream, "fp", None), "raw", None), "_sock", None)
    while True:
        left = ends_at - time.monotonic()
        if left <= 0:
            raise HttpError(
                f"{redact(url)}: the answer did not arrive within {budget:g} s (timeout)",
                timed_out=True,
            )
        if isinstance(sock, socket.socket):
            sock.settimeout(left)
        try:
            chunk = read(_CHUNK)
        except TimeoutError:
            raise HttpError(
                f"{redact(url)}: the answer did not arrive within {budget:g} s (timeout)",
                timed_out=True,
            ) from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise HttpError(
                f"{redact(url)}: the answer is larger than {max_bytes:,} bytes; refused"
            )
        chunks.append(chunk)


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    deadline: Deadline | None = None,
    max_bytes: int | None = None,
) -> Response:
    """Send one request under the project's policies and return the complete answer.

    A status of 400 or more raises HttpError (with the status, headers and start of the body);
    so do a timeout, a refused redirect, an answer over `max_bytes`, and no answer at all.
    """
    check_url(url)
    cap = limits.MAX_RESPONSE_BYTES if max_bytes is None else max_bytes
    bare, url_user, url_password = split_credentials(url)
    if user is None and url_user is not None:
        user, password = url_user, url_password
    sent = {"User-Agent": f"diplomacy-kg/{diplomacy_kg.__version__}"}
    for name, value in (headers or {}).items():
        check_header(name, value)
        sent[name] = value
    if user is not None:  # base64 carries any characters, so credentials need no check
        sent["Authorization"] = basic_auth_header(user, password or "")
    budget = timeout if deadline is None else min(timeout, deadline.remaining())
    if budget <= 0:
        raise HttpError(f"{redact(bare)}: the run's time budget is spent (timeout)", timed_out=True)
    ends_at = time.monotonic() + budget
    current, current_method, current_body = bare, method, body
    for _ in range(MAX_REDIRECTS + 1):
        prepared = urllib.request.Request(
            current, data=current_body, method=current_method, headers=sent
        )
        left = ends_at - time.monotonic()
        if left <= 0:
            raise HttpError(
                f"{redact(url)}: no answer within {budget:g} s (timeout)", timed_out=True
            )
        try:
            with _OPENER.open(prepared, timeout=left) as answer:
                content = _read_capped(answer, current, cap, ends_at, budget)
                return Response(int(answer.status), answer.headers, content, current)
        except urllib.error.HTTPError as error:
            if error.code not in _REDIRECTS:
                try:
                    start = _read_capped(error, current, _ERROR_BODY_BYTES, ends_at, budget)
                except HttpError:
                    start = b""
                raise HttpError(
                    f"{redact(current)}: HTTP {error.code}: {first_line(start)}",
                    status=error.code,
                    headers=error.headers,
                    body=start,
                ) from None
            location = error.headers.get("Location")
            error.close()
            if not location:
                raise HttpError(
                    f"{redact(current)}: HTTP {error.code} redirect without a Location",
                    status=error.code,
                ) from None
            target = urllib.parse.urljoin(current, location)
            if not redirect_allowed(current, target):
                raise HttpError(
                    f"{redact(current)}: redirected (HTTP {error.code}) to {redact(target)}, "
                    "another host or a downgrade to http: not followed, so no credentials or "
                    "answers cross; use that URL directly if you trust it",
                    status=error.code,
                ) from None
            if error.code == 303:
                current_method, current_body = "GET", None
            current = target
        except HttpError:
            raise
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
            message, timed_out = _describe_network_error(current, error, budget)
            raise HttpError(message, timed_out=timed_out) from None
    raise HttpError(f"{redact(url)}: more than {MAX_REDIRECTS} redirects")
