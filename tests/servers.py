"""A scripted faulty HTTP endpoint on loopback (a real `oxigraph serve` is diplomacy_kg.server)."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_VENV_BINARY = Path(sys.executable).parent / "oxigraph"


@dataclass
class Reply:
    """One scripted HTTP answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # seconds between bytes of the body (a slow-loris server)


EMPTY_RESULTS = Reply(
    200,
    b'{"head": {"vars": []}, "results": {"bindings": []}}',
    {"Content-Type": "application/sparql-results+json"},
)


@dataclass
class SeenRequest:
    """What the fault server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class FaultServer:
    """A loopback HTTP server that answers from a script: 429, 503, HTML pages, broken JSON."""

    def __init__(
        self,
        replies: list[Reply],
        *,
        default: Reply = EMPTY_RESULTS,
        choose: Callable[[SeenRequest], Reply] | None = None,
    ) -> None:
        self.replies = list(replies)
        self.default = default
        self.choose = choose
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = SeenRequest(self.command, self.path, dict(self.headers), body)
                with server._lock:
                    server.requests.append(seen)
                    reply = server.replies.pop(0) if server.replies else server.default
                if server.choose is not None:
                    reply = server.choose(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if not reply.trickle:
                        self.wfile.write(reply.body)
                        return
                    for index in range(len(reply.body)):
                        self.wfile.write(reply.body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(reply.trickle)

            do_GET = _answer  # noqa: N815
            do_POST = _answer  # noqa: N815
            do_PUT = _answer  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        """The endpoint URL."""
        return f"http://127.0.0.1:{self.port}/sparql"

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
