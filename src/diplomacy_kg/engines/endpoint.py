"""Any SPARQL 1.1 server as an engine, through the SPARQL 1.1 Protocol and SPARQLWrapper.

Parameters are bound as typed RDF terms in a `VALUES` block (the protocol has no binding
mechanism), `--graph` is sent as the protocol's `default-graph-uri`, and every failure (an
unreachable server, a timeout, an HTTP error) becomes an `EngineError` with one clear line.
"""

from __future__ import annotations

import ast
import base64
import json
import socket
import urllib.error
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier, Node
from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

import diplomacy_kg
from diplomacy_kg.engines import Engine, EngineError, ResultTable
from diplomacy_kg.engines.binding import BindingError, inline_values

DEFAULT_TIMEOUT_SECONDS = 60.0
XSD_STRING = str(XSD.string)
RDF_LANG_STRING = str(RDF.langString)

# SPARQLWrapper raises these for the statuses it knows; it keeps the body only in the message.
_STATUS_OF_EXCEPTION: dict[type[SPARQLWrapperException], int] = {
    QueryBadFormed: 400,
    Unauthorized: 401,
    EndPointNotFound: 404,
    URITooLong: 414,
    EndPointInternalError: 500,
}


def basic_auth_header(user: str, password: str) -> str:
    """Return the value of an HTTP basic `Authorization` header."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def first_line(body: bytes | str, length: int = 200) -> str:
    """Return the first non-empty line of a response body, shortened, for an error message."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= length else line[: length - 1] + "…"
    return "(empty body)"


def describe_network_error(url: str, error: BaseException, timeout: float) -> str:
    """Turn a connection-level failure into one line naming the URL."""
    reason: object = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"{url}: no answer within {timeout:g} s (timeout)"
    if isinstance(reason, ConnectionRefusedError):
        return f"{url}: unreachable (connection refused)"
    if isinstance(reason, socket.gaierror):
        return f"{url}: unreachable (unknown host)"
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return f"{url}: unreachable ({text})"


def _body_of(error: SPARQLWrapperException) -> bytes:
    # SPARQLWrapper keeps the response body only in its message, as the repr of the bytes.
    message = str(error)
    marker = "\n\nResponse:\n"
    if marker not in message:
        return b""
    try:
        body = ast.literal_eval(message.split(marker, 1)[1])
    except (ValueError, SyntaxError):
        return b""
    return body if isinstance(body, bytes) else str(body).encode()


def term_from_json(value: Mapping[str, str]) -> Node:
    """Convert one SPARQL 1.1 JSON results binding into an rdflib term."""
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        language = value.get("xml:lang") or value.get("lang")
        if language:
            return Literal(text, lang=language)
        datatype = value.get("datatype")
        # A plain literal is an xsd:string (RDF 1.1); some servers say so explicitly.
        if datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise EngineError(f"unexpected term in the endpoint's answer: {dict(value)!r}")


def table_from_json(document: Mapping[str, Any]) -> ResultTable:
    """Convert a SPARQL 1.1 JSON results document into a ResultTable."""
    if "boolean" in document:
        return ResultTable([], [], bool(document["boolean"]))
    try:
        variables = [str(v) for v in document["head"]["vars"]]
        bindings = document["results"]["bindings"]
    except (KeyError, TypeError) as error:
        raise EngineError("the endpoint's answer is not SPARQL JSON results") from error
    rows = [
        tuple(term_from_json(row[v]) if v in row else None for v in variables) for row in bindings
    ]
    return ResultTable(variables, rows)


class EndpointEngine(Engine):
    """Runs queries on a SPARQL 1.1 endpoint over HTTP."""

    name = "endpoint"

    def __init__(
        self,
        url: str,
        *,
        graph: str | None = None,
        user: str | None = None,
        password: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        method: str = "POST",
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise EngineError(f"{url}: an endpoint URL must start with http:// or https://")
        if method not in ("GET", "POST"):
            raise EngineError(f"unknown HTTP method {method!r}: use GET or POST")
        self.url = url
        self.graph = graph
        self.timeout = timeout
        self.method = method
        self.headers = dict(headers or {})
        if user is not None:
            self.headers["Authorization"] = basic_auth_header(user, password or "")

    def _wrapper(self, sparql: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.url, agent=f"diplomacy-kg/{diplomacy_kg.__version__}")
        wrapper.setQuery(sparql)
        wrapper.setReturnFormat(JSON)
        # Only the Accept header asks for JSON: extra format=… parameters upset some servers.
        wrapper.setOnlyConneg(True)
        wrapper.setMethod(POST if self.method == "POST" else GET)
        wrapper.setTimeout(max(1, round(self.timeout)))
        if self.graph is not None:
            wrapper.addParameter("default-graph-uri", self.graph)
        for name, value in self.headers.items():
            wrapper.addCustomHttpHeader(name, value)
        return wrapper

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> ResultTable:
        """Run a SELECT or ASK query with the given variables pre-bound."""
        try:
            bound = inline_values(sparql, bindings or {})
        except BindingError as error:
            raise EngineError(str(error)) from error
        wrapper = self._wrapper(bound)
        try:
            response = wrapper.query().response
            body = response.read()
        except SPARQLWrapperException as error:
            status = _STATUS_OF_EXCEPTION.get(type(error), 0)
            raise EngineError(
                f"{self.url}: HTTP {status or 'error'}: {first_line(_body_of(error))}"
            ) from error
        except urllib.error.HTTPError as error:
            raise EngineError(
                f"{self.url}: HTTP {error.code}: {first_line(error.read())}"
            ) from error
        except (urllib.error.URLError, OSError) as error:
            raise EngineError(describe_network_error(self.url, error, self.timeout)) from error
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise EngineError(f"{self.url}: the answer is not JSON: {first_line(body)}") from error
        if not isinstance(document, dict):
            raise EngineError(f"{self.url}: the answer is not SPARQL JSON results")
        return table_from_json(document)
