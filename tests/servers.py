"""Loopback servers for tests: a real `oxigraph serve`, and a scripted faulty HTTP endpoint."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_VENV_BINARY = Path(sys.executable).parent / "oxigraph"


def oxigraph_binary() -> Path | None:
    """The `oxigraph` server binary: beside the running Python, else on PATH."""
    if _VENV_BINARY.is_file():
        return _VENV_BINARY
    found = shutil.which("oxigraph")
    return Path(found) if found else None


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OxigraphServer:
    """`oxigraph serve` on 127.0.0.1 with a store in `location`; use as a context manager."""

    def __init__(self, location: Path, *, startup_seconds: float = 30.0) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the oxigraph server binary is not installed (pip install oxigraph)")
        self.binary = binary
        self.location = Path(location)
        self.startup_seconds = startup_seconds
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:7878."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        """SPARQL query endpoint."""
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        """SPARQL update endpoint."""
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        """Graph Store Protocol endpoint."""
        return f"{self.url}/store"

    def start(self) -> OxigraphServer:
        """Start the server on a free port and wait until it answers queries."""
        self.location.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # a port taken between probe and bind: try another
            self.port = free_port()
            self.process = subprocess.Popen(
                [
                    str(self.binary),
                    "serve",
                    "--location",
                    str(self.location),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            if self._wait_ready():
                return self
            self.stop()
        raise RuntimeError("oxigraph serve did not start on a loopback port")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            try:
                request = urllib.request.Request(
                    f"{self.query_url}?query=ASK%7B%7D",
                    headers={"Accept": "application/sparql-results+json"},
                )
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        return False

    def load_turtle(self, text: str, graph: str | None = None) -> None:
        """Add Turtle to the default graph (or a named graph) through the Graph Store Protocol."""
        target = (
            f"{self.store_url}?default"
            if graph is None
            else (f"{self.store_url}?graph={urllib.request.quote(graph, safe='')}")
        )
        request = urllib.request.Request(
            target,
            data=text.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "text/turtle"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status not in (200, 201, 204):
                raise RuntimeError(f"loading into oxigraph failed: HTTP {response.status}")

    def load_file(self, path: Path, graph: str | None = None) -> None:
        """Add a Turtle file to the store."""
        self.load_turtle(Path(path).read_text(encoding="utf-8"), graph)

    def stop(self) -> None:
        """Terminate the server (and wait for it)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@dataclass
class Reply:
    """One scripted HTTP answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


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

    def __init__(self, replies: list[Reply], *, default: Reply = EMPTY_RESULTS) -> None:
        self.replies = list(replies)
        self.default = default
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with server._lock:
                    server.requests.append(
                        SeenRequest(self.command, self.path, dict(self.headers), body)
                    )
                    reply = server.replies.pop(0) if server.replies else server.default
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(reply.body)

            do_GET = _answer  # noqa: N815
            do_POST = _answer  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The endpoint URL."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@contextlib.contextmanager
def running_oxigraph(location: Path, *files: Path) -> Iterator[OxigraphServer]:
    """Start an Oxigraph server with the given Turtle files loaded; stop it afterwards."""
    with OxigraphServer(location) as server:
        for path in files:
            server.load_file(path)
        yield server
