"""`diplomacy-kg serve`: one guarded front server for the site pages and the SPARQL endpoint.

The front server binds its port itself before anything else (a taken port is an error, and
nothing is ever sent to a server it did not start). The graph is loaded into an on-disk store,
and an `oxigraph serve-read-only` child answers SPARQL on a private loopback port with a query
timeout; it dies with this process, even on `kill -9`. `/query` is proxied to it; `/update` and
the Graph Store (`/store`) are proxied only with `writable=True`, and even then a write from
another origin is refused. Every request whose Host header is not this server's own name is
refused (DNS rebinding).
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from diplomacy_kg import server
from diplomacy_kg.engines import store as store_module
from diplomacy_kg.engines.endpoint import EndpointEngine
from diplomacy_kg.engines.factory import build_store
from diplomacy_kg.site.render import RDF_TYPES, Rendered, Site, choose_media_type, not_found

DEFAULT_QUERY_TIMEOUT = 30.0
_PROXIED = {"/query", "/update", "/store"}
_WRITE_METHODS = {"POST", "PUT", "DELETE", "PATCH"}
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def static_file(name: str) -> bytes | None:
    """Return a shipped static file (CSS, JS) by name, or None."""
    if "/" in name or name.startswith("."):
        return None
    item = resources.files("diplomacy_kg.site").joinpath("static", name)
    return item.read_bytes() if item.is_file() else None


class SiteServer:
    """The front server, its Oxigraph child and the site renderer; start() then serve()."""

    def __init__(
        self,
        files: Sequence[Path],
        *,
        port: int = server.DEFAULT_PORT,
        store: Path | None = None,
        writable: bool = False,
        query_timeout: float = DEFAULT_QUERY_TIMEOUT,
    ) -> None:
        self.files = list(files)
        self.requested_port = port
        self.store = store
        self.writable = writable
        self.query_timeout = query_timeout
        self.httpd: ThreadingHTTPServer | None = None
        self.child: server.OxigraphServer | None = None
        self.triples = 0
        self.site: Site | None = None
        self._temporary: Path | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the front server listens on."""
        assert self.httpd is not None
        return int(self.httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """The site's home page."""
        return f"http://{server.LOOPBACK}:{self.port}/"

    def allowed_hosts(self) -> set[str]:
        """Return the Host header values this server answers to."""
        return {f"{name}:{self.port}" for name in (server.LOOPBACK, "localhost", "[::1]")}

    def allowed_origins(self) -> set[str]:
        """Return the origins a write may come from: this server's own pages."""
        return {f"http://{host}" for host in self.allowed_hosts()}

    def start(self) -> SiteServer:
        """Bind the port, build the store, start the Oxigraph child and check it is ours."""
        try:
            self.httpd = ThreadingHTTPServer((server.LOOPBACK, self.requested_port), _handler(self))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise server.ServerError(
                    f"port {self.requested_port} on {server.LOOPBACK} is already in use by "
                    "another program; nothing was sent to it (choose another --port)"
                ) from error
            raise server.ServerError(
                f"cannot listen on {server.LOOPBACK}:{self.requested_port}: "
                f"{error.strerror or error}"
            ) from error
        self.httpd.daemon_threads = True
        try:
            self._start_child()
        except BaseException:
            self.close()
            raise
        return self

    def _start_child(self) -> None:
        if self.store is None:
            self._temporary = Path(tempfile.mkdtemp(prefix="diplomacy-kg-serve-"))
            location = self._temporary / "store"
        else:
            location = self.store
        try:
            if self.store is not None and store_module.is_store(location):
                # An existing store is served as it is, so graphs loaded into it are never lost;
                # `load --store` is the command that rebuilds one from the files.
                self.triples = _default_graph_size(location)
            else:
                self.triples = build_store(location, self.files)
        except Exception as error:
            raise server.ServerError(f"cannot build the store to serve: {error}") from error
        self.child = server.OxigraphServer(
            location=location, read_only=not self.writable, timeout=self.query_timeout
        ).start()
        engine = EndpointEngine(self.child.query_url, timeout=self.query_timeout)
        answered = engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
        if str(answered) != str(self.triples):
            raise server.ServerError(
                f"the server on port {self.child.port} holds {answered} triples, not the "
                f"{self.triples} loaded: it is not the one started here"
            )
        self.site = Site(engine)

    def serve_in_thread(self) -> SiteServer:
        """Serve requests in a background thread (for tests and embedding)."""
        assert self.httpd is not None
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve requests until interrupted or the Oxigraph child stops."""
        assert self.httpd is not None and self.child is not None
        watcher = threading.Thread(target=self._watch_child, daemon=True)
        watcher.start()
        self.httpd.serve_forever(poll_interval=0.2)
        if self.child is not None and not self.child.running():
            raise server.ServerError("the Oxigraph server stopped by itself")

    def _watch_child(self) -> None:
        child = self.child
        if child is not None:
            child.wait()
            if self.httpd is not None:
                self.httpd.shutdown()

    def close(self) -> None:
        """Stop the child, close the socket, remove the temporary store."""
        child, self.child = self.child, None
        if child is not None:
            child.stop()
        if self._thread is not None and self.httpd is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
        if self.httpd is not None:
            self.httpd.server_close()
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    def __enter__(self) -> SiteServer:
        """Start unless started."""
        return self if self.httpd is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        """Stop everything."""
        self.close()


def _handler(front: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "diplomacy-kg"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def _send(self, answer: Rendered, extra: dict[str, str] | None = None) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.media_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in {**_SECURITY_HEADERS, **(extra or {})}.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(answer.body)

        def _refuse(self, status: int, reason: str) -> None:
            self._send(Rendered(status, "text/plain; charset=utf-8", (reason + "\n").encode()))

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length > 0 else b""

        def _guard(self, path: str) -> bool:
            host = self.headers.get("Host")
            if host is not None and host.lower() not in front.allowed_hosts():
                self._body()
                self._refuse(421, f"unexpected Host header {host!r}: this server is local")
                return False
            is_write = self.command in _WRITE_METHODS and not (
                path == "/query" and self.command == "POST"
            )
            if not is_write:
                return True
            if path not in _PROXIED:
                self._body()
                self._refuse(405, f"{self.command} is not allowed on {path}")
                return False
            if not front.writable:
                self._body()
                self._refuse(403, "this server is read-only (start it with --writable)")
                return False
            origin = self.headers.get("Origin")
            fetch_site = self.headers.get("Sec-Fetch-Site", "same-origin")
            if (origin is not None and origin not in front.allowed_origins()) or fetch_site in (
                "cross-site",
                "same-site",
            ):
                self._body()
                self._refuse(403, "a write from another origin is refused")
                return False
            return True

        def _proxy(self, path: str, query: str) -> None:
            assert front.child is not None
            target = f"http://{server.LOOPBACK}:{front.child.port}{path}"
            if query:
                target += "?" + query
            body = self._body() if self.command in _WRITE_METHODS else None
            headers = {
                name: value
                for name in ("Content-Type", "Accept")
                if (value := self.headers.get(name)) is not None
            }
            # A pass-through to the private loopback child, not an outbound client: statuses
            # and bodies go back as they are, so this does not use `diplomacy_kg.http`.
            request = urllib.request.Request(
                target, data=body, method=self.command, headers=headers
            )
            try:
                with urllib.request.urlopen(request, timeout=front.query_timeout + 5) as response:
                    status, media, payload = response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                status, media, payload = error.code, error.headers, error.read()
            except (urllib.error.URLError, OSError) as error:
                self._refuse(502, f"the SPARQL server did not answer: {error}")
                return
            kind = media.get("Content-Type", "application/octet-stream")
            self._send(Rendered(status, kind, payload))

        def _route(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path
            if not self._guard(path):
                return
            if path in _PROXIED:
                self._proxy(path, parts.query)
                return
            if self.command not in ("GET", "HEAD"):
                self._refuse(405, f"{self.command} is not allowed on {path}")
                return
            self._page(path, dict(parse_qsl(parts.query)))

        def _page(self, path: str, params: dict[str, str]) -> None:
            site = front.site
            assert site is not None
            if path == "/":
                self._send(site.home())
            elif path == "/sparql":
                self._send(site.editor())
            elif path == "/ontology":
                self._send(Rendered(301, "text/plain", b""), {"Location": "/ontology/"})
            elif path == "/ontology/":
                self._send(site.ontology())
            elif path == "/charts":
                self._send(site.charts_page(params.get("state", "KOR"), params.get("other", "")))
            elif path in ("/charts/partners.svg", "/charts/timeline.svg"):
                kind = path[len("/charts/") : -len(".svg")]
                self._send(site.chart(kind, params.get("state", "KOR"), params.get("other", "")))
            elif path.startswith("/queries/"):
                self._send(site.query(path[len("/queries/") :], params))
            elif path.startswith("/static/"):
                data = static_file(path[len("/static/") :])
                if data is None:
                    self._send(not_found(path))
                else:
                    media = _STATIC_TYPES.get(Path(path).suffix, "application/octet-stream")
                    self._send(Rendered(200, media, data))
            elif path.startswith("/id/"):
                self._entity(path[1:], params)
            else:
                self._send(not_found(path))

        def _entity(self, path: str, params: dict[str, str]) -> None:
            site = front.site
            assert site is not None
            suffix = params.get("format")
            if suffix is None:
                media = choose_media_type(self.headers.get("Accept", "text/html"))
                suffix = RDF_TYPES.get(media)
            if suffix is None:
                self._send(site.entity_page(path), {"Vary": "Accept"})
            elif suffix in RDF_TYPES.values():
                self._send(site.entity_rdf(path, suffix), {"Vary": "Accept"})
            else:
                self._refuse(400, f"unknown format {suffix!r}: use ttl, nt or jsonld")

        def _safely(self) -> None:
            try:
                self._route()
            except Exception as error:  # one broken page must not stop the server
                with contextlib.suppress(OSError):
                    self._refuse(500, f"error: {' '.join(str(error).split())[:300]}")

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _safely  # noqa: N815

    return Handler


def _default_graph_size(location: Path) -> int:
    """Count the default graph's triples of an existing store, opened read-only and closed."""
    import pyoxigraph

    existing = pyoxigraph.Store.read_only(str(location))
    try:
        answer = existing.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(answer))[0].value)  # type: ignore[arg-type]
    finally:
        del existing
