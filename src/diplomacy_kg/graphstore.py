"""Pushing the graph to a server with the SPARQL 1.1 Graph Store HTTP Protocol.

One `PUT` to the server's store address (`/store` on Oxigraph, `/<dataset>/data` on Fuseki)
with `?graph=IRI` (or `?default`) replaces that graph in one request: the server parses the body
before it swaps the graph, so a failed or interrupted load leaves the previous graph in place.
Neither SPARQLWrapper nor rdflib speaks this protocol, so it is written here on the project's
HTTP layer (`diplomacy_kg.http`: its timeout, size and redirect policies, no password in errors).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from diplomacy_kg import http
from diplomacy_kg.engines.oxigraph_engine import BYTE_ORDER_MARK
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.graph import describe_syntax_error
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS

N_TRIPLES = "application/n-triples"


class GraphStoreError(DiplomacyKgError):
    """A graph could not be read or pushed; the message is one line naming the file or URL."""


@dataclass(frozen=True)
class LoadReport:
    """What a load sent: where, how many triples, and the server's status."""

    url: str
    triples: int
    status: int


def graph_url(store_url: str, graph: str | None) -> str:
    """Return the Graph Store Protocol address of a named graph, or of the default graph."""
    try:
        http.check_url(store_url, "a graph store URL")
    except http.HttpError as error:
        raise GraphStoreError(str(error)) from error
    separator = "&" if "?" in store_url else "?"
    if graph is None:
        return f"{store_url}{separator}default"
    return f"{store_url}{separator}{urllib.parse.urlencode({'graph': graph})}"


def ntriples_from_files(files: Iterable[Path]) -> tuple[bytes, int]:
    """Parse Turtle (or N-Triples) files and return them as one N-Triples body and its size."""
    store = ox.Store()
    for path in files:
        rdf_format = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
        try:
            data = path.read_bytes().removeprefix(BYTE_ORDER_MARK)  # editors write one
            store.bulk_load(input=data, format=rdf_format)  # no base: no local path leaks
        except SyntaxError as error:
            raise GraphStoreError(f"{path}: {describe_syntax_error(str(error))}") from error
        except MemoryError as error:  # Oxigraph's parser buffers a token in at most 16 MiB
            raise GraphStoreError(f"{path}: a literal or IRI is too long to parse") from error
        except OSError as error:
            raise GraphStoreError(f"{path}: cannot read: {error.strerror or error}") from error
    body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return body or b"", len(store)


def put_graph(
    store_url: str,
    body: bytes,
    *,
    graph: str | None = None,
    content_type: str = N_TRIPLES,
    user: str | None = None,
    password: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> int:
    """Replace one graph of a graph store with the given RDF in one `PUT`; return the status."""
    url = graph_url(store_url, graph)
    try:
        response = http.request(
            "PUT",
            url,
            body=body,
            headers={"Content-Type": content_type, **(headers or {})},
            user=user,
            password=password,
            timeout=timeout,
        )
    except http.HttpError as error:
        raise GraphStoreError(str(error)) from error
    return response.status


def load_files(
    store_url: str,
    files: Iterable[Path],
    *,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> LoadReport:
    """Parse the files and replace the given graph of the store with them in one request."""
    body, triples = ntriples_from_files(files)
    status = put_graph(
        store_url,
        body,
        graph=graph,
        user=user,
        password=password,
        headers=headers,
        timeout=timeout,
    )
    return LoadReport(http.redact(graph_url(store_url, graph)), triples, status)
