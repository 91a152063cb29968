"""A throwaway Virtuoso server on loopback, when Debian's `virtuoso-opensource` is installed.

Used by `make bench` (a column) and by the `virtuoso`-marked conformance test: a fresh database
in a temporary directory, SQL and HTTP ports on 127.0.0.1, data loaded into one named graph with
Virtuoso's bulk loader (`ld_dir` + `rdf_loader_run`), queries through its `/sparql` endpoint.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from diplomacy_kg.server import free_port

VIRTUOSO_BINARY = "virtuoso-t"
ISQL_BINARIES = ("isql-vt", "isql")
LOOPBACK = "127.0.0.1"

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = {bind}:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {dir}, {data_dir}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 2G
ThreadsPerQuery = 2
MaxClientConnections = 10

[HTTPServer]
ServerPort = {bind}:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
DefaultQuery = ASK {{}}
"""


class VirtuosoError(Exception):
    """Virtuoso is missing or could not be started or loaded."""


def available() -> bool:
    """Whether a Virtuoso server binary and an isql client are installed."""
    return shutil.which(VIRTUOSO_BINARY) is not None and _isql() is not None


def _isql() -> str | None:
    for name in ISQL_BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


def version() -> str:
    """Return Virtuoso's version line."""
    result = subprocess.run([VIRTUOSO_BINARY, "-?"], capture_output=True, text=True, check=False)
    for line in (result.stdout + result.stderr).splitlines():
        if "Version" in line:
            return line.strip()
    return "unknown version"


class VirtuosoServer:
    """A Virtuoso server with a fresh database in a temporary directory; a context manager."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="diplomacy-kg-virtuoso-"))
        self.data_directory = self.directory / "load"
        self.data_directory.mkdir()
        self.sql_port = free_port()
        self.http_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def query_url(self) -> str:
        """The SPARQL endpoint."""
        return f"http://{LOOPBACK}:{self.http_port}/sparql"

    def start(self, timeout: float = 60.0) -> VirtuosoServer:
        """Write the configuration, start the server and wait until SQL and HTTP answer."""
        if not available():
            raise VirtuosoError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                dir=self.directory,
                data_dir=self.data_directory,
                bind=LOOPBACK,
                sql_port=self.sql_port,
                http_port=self.http_port,
            )
        )
        log = (self.directory / "stdout.log").open("wb")
        with log:
            self.process = subprocess.Popen(
                [VIRTUOSO_BINARY, "+foreground", "+configfile", str(ini)],
                cwd=self.directory,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise VirtuosoError(f"virtuoso-t exited at start; see {self.directory}")
            if self._answers():
                return self
            time.sleep(0.2)
        self.stop()
        raise VirtuosoError(f"Virtuoso did not answer within {timeout:g} s")

    def _answers(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.sql_port), timeout=1):
                pass
            with urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def isql(self, *statements: str, timeout: float = 3600.0) -> str:
        """Run SQL statements through isql as the dba user; return the output."""
        isql = _isql()
        assert isql is not None
        script = "".join(f"{statement};\n" for statement in statements)
        result = subprocess.run(
            [
                isql,
                f"{LOOPBACK}:{self.sql_port}",
                "dba",
                "dba",
                "VERBOSE=OFF",
                "BANNER=OFF",
                "PROMPT=OFF",
                "ECHO=OFF",
                "ERRORS=STDOUT",
            ],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            raise VirtuosoError(f"isql failed: {output.strip()[:300]}")
        return output

    def load(self, files: Iterable[Path], graph: str) -> None:
        """Replace the named graph with the given Turtle files, with the bulk loader."""
        for old in self.data_directory.iterdir():
            old.unlink()
        for index, path in enumerate(files):
            shutil.copyfile(path, self.data_directory / f"{index:03d}-{path.name}")
        self.isql(
            f"SPARQL CLEAR GRAPH <{graph}>",
            "DELETE FROM DB.DBA.load_list",
            f"ld_dir('{self.data_directory}', '*.ttl', '{graph}')",
            "rdf_loader_run()",
            "checkpoint",
        )
        failed = self.isql("SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL")
        if not failed.split() or failed.split()[-1] != "0":
            errors = self.isql(
                "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL"
            )
            raise VirtuosoError(f"the bulk loader failed: {errors.strip()[:300]}")

    def stop(self) -> None:
        """Stop the server and delete its database."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> VirtuosoServer:
        """Start the server."""
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()
