"""A local Oxigraph SPARQL server (`oxigraph serve`) on the loopback interface.

Used by `diplomacy-kg serve` (behind its front server, on a private port) and by the tests:
find the `oxigraph` binary (beside the running Python, then on PATH), start it on 127.0.0.1 with
an in-memory or on-disk store (read-only with `read_only=True`, with a query timeout), wait until
it answers, push the graph with the Graph Store Protocol, and stop it cleanly. On Linux the child
is told to die with its parent (PR_SET_PDEATHSIG), so a `kill -9` of the parent ends it too.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

from diplomacy_kg import graphstore
from diplomacy_kg.errors import DiplomacyKgError

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 7878
STARTUP_TIMEOUT_SECONDS = 20.0


class ServerError(DiplomacyKgError):
    """The server could not be found, started or stopped; the message says why in one line."""


def find_oxigraph_binary() -> Path:
    """Return the `oxigraph` executable beside the running Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise ServerError(
        "the oxigraph server binary was not found beside Python or on PATH; "
        "install it with `pip install oxigraph`"
    )


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def free_port() -> int:
    """Return a TCP port on the loopback interface that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


class OxigraphServer:
    """An `oxigraph serve` child process bound to 127.0.0.1; a context manager."""

    def __init__(
        self,
        *,
        port: int | None = None,
        location: Path | None = None,
        binary: Path | None = None,
        log: Path | None = None,
        read_only: bool = False,
        timeout: float | None = None,
    ) -> None:
        if read_only and location is None:
            raise ServerError("a read-only Oxigraph server needs an on-disk store (location)")
        self.port = port if port is not None else free_port()
        self.location = location
        self.read_only = read_only
        self.timeout = timeout
        self.binary = binary if binary is not None else find_oxigraph_binary()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The server's root: its query page (YASGUI)."""
        return f"http://{LOOPBACK}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query address."""
        return f"http://{LOOPBACK}:{self.port}/query"

    @property
    def update_url(self) -> str:
        """The SPARQL 1.1 Protocol update address."""
        return f"http://{LOOPBACK}:{self.port}/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol address."""
        return f"http://{LOOPBACK}:{self.port}/store"

    def start(self, timeout: float = STARTUP_TIMEOUT_SECONDS) -> OxigraphServer:
        """Start the server and wait until it answers."""
        mode = "serve-read-only" if self.read_only else "serve"
        command = [str(self.binary), mode, "--bind", f"{LOOPBACK}:{self.port}"]
        if self.location is not None:
            self.location.mkdir(parents=True, exist_ok=True)
            command += ["--location", str(self.location)]
        if self.timeout is not None:
            command += ["--timeout-s", str(max(1, round(self.timeout)))]
        # The log stays open while the server runs; stop() closes it.
        output: IO[bytes] = (
            tempfile.TemporaryFile() if self.log is None else self.log.open("a+b")  # noqa: SIM115
        )
        self._log_handle = output
        try:
            # Its own session: a terminal's Ctrl-C reaches only us, and we stop it in order.
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        except OSError as error:
            output.close()
            raise ServerError(f"cannot start {self.binary}: {error.strerror or error}") from error
        self._wait_until_ready(timeout)
        return self

    def _server_output(self) -> str:
        handle = self._log_handle
        if handle is None:
            return ""
        with contextlib.suppress(OSError, ValueError):
            handle.seek(0)
            text = handle.read()
            lines = [line for line in text.decode("utf-8", "replace").splitlines() if line.strip()]
            return lines[-1] if lines else ""
        return ""

    def _wait_until_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                detail = self._server_output()
                self.stop()
                raise ServerError(
                    f"oxigraph serve on port {self.port} exited at start"
                    + (f": {detail}" if detail else "")
                )
            try:  # a readiness probe of our own loopback child (no redirects, no credentials)
                with urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers, even if it dislikes the request
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise ServerError(f"oxigraph serve on port {self.port} did not answer within {timeout:g} s")

    def load(self, files: Iterable[Path], graph: str | None = None) -> graphstore.LoadReport:
        """Replace the default graph (or the named graph) with the given files."""
        try:
            return graphstore.load_files(self.store_url, files, graph=graph)
        except graphstore.GraphStoreError as error:
            raise ServerError(str(error)) from error

    def running(self) -> bool:
        """Whether the server process is alive."""
        return self.process is not None and self.process.poll() is None

    def wait(self) -> int:
        """Block until the server exits; return its exit code."""
        if self.process is None:
            return 0
        return self.process.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server: SIGTERM, then SIGKILL if it does not exit in time."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        handle, self._log_handle = self._log_handle, None
        if handle is not None:
            handle.close()

    def __enter__(self) -> OxigraphServer:
        """Start the server unless it runs already."""
        return self if self.running() else self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()
