"""Any SPARQL 1.1 server as an engine, through the SPARQL 1.1 Protocol over `diplomacy_kg.http`.

Parameters are bound as typed RDF terms in a `VALUES` block (the protocol has no binding
mechanism), `graph` is sent as the protocol's `default-graph-uri`, the answer is asked for as
`application/sparql-results+json` first (plain `application/json` only as a fallback), and
every failure (an unreachable server, a timeout, an HTTP error, a refused redirect, an answer
that is not SPARQL JSON results, naming the Content-Type that came) is an `EngineError` with one
clear line. Credentials may come as `user`/`password` or in the URL; no message shows a password.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier, Node

from diplomacy_kg import http
from diplomacy_kg.engines import Engine, EngineError, ResultTable
from diplomacy_kg.engines.binding import BindingError, inline_values
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS, check_timeout

XSD_STRING = str(XSD.string)
RDF_LANG_STRING = str(RDF.langString)
RESULTS_JSON = "application/sparql-results+json"
ACCEPT = f"{RESULTS_JSON}, application/json;q=0.5"
_TERM_KINDS = frozenset({"uri", "bnode", "literal", "typed-literal"})


def term_from_json(value: Mapping[str, str]) -> Node:
    """Convert one SPARQL 1.1 JSON results binding into an rdflib term."""
    if not isinstance(value, Mapping):
        raise EngineError(f"the endpoint's answer holds a binding that is not an object: {value!r}")
    kind = value.get("type")
    text = value.get("value")
    if kind not in _TERM_KINDS or not isinstance(text, str):
        raise EngineError(f"unexpected term in the endpoint's answer: {dict(value)!r}")
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
    if isinstance(document.get("boolean"), bool):
        return ResultTable([], [], document["boolean"])
    try:
        variables = [str(v) for v in document["head"]["vars"]]
        bindings = document["results"]["bindings"]
        if not isinstance(bindings, list) or not all(isinstance(r, dict) for r in bindings):
            raise TypeError("bindings")
    except (KeyError, TypeError) as error:
        raise EngineError("the endpoint's answer is not SPARQL JSON results") from error
    rows = [
        tuple(term_from_json(row[v]) if v in row else None for v in variables) for row in bindings
    ]
    return ResultTable(variables, rows)


class EndpointEngine(Engine):
    """Runs queries on a SPARQL 1.1 endpoint over HTTP."""

    name = "endpoint"
    embedded = False

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
        try:
            http.check_url(url, "an endpoint URL")
            self.headers = dict(http.check_header(n, v) for n, v in (headers or {}).items())
            self.timeout = check_timeout(timeout)
        except (http.HttpError, ValueError) as error:
            raise EngineError(str(error)) from error
        if method not in ("GET", "POST"):
            raise EngineError(f"unknown HTTP method {method!r}: use GET or POST")
        bare, url_user, url_password = http.split_credentials(url)
        self.url = bare
        self.graph = graph
        self.method = method
        self.user = user if user is not None else url_user
        self.password = password if user is not None else url_password

    def send(self, sparql: str, accept: str = ACCEPT) -> http.Response:
        """Send a query by the SPARQL protocol and return the raw answer (HttpError on failure)."""
        fields = [("query", sparql)]
        if self.graph is not None:
            fields.append(("default-graph-uri", self.graph))
        encoded = urllib.parse.urlencode(fields)
        headers = {"Accept": accept, **self.headers}
        if self.method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            url, body = self.url, encoded.encode("ascii")
        else:
            url, body = f"{self.url}{'&' if '?' in self.url else '?'}{encoded}", None
        return http.request(
            self.method,
            url,
            body=body,
            headers=headers,
            user=self.user,
            password=self.password,
            timeout=self.timeout or DEFAULT_TIMEOUT_SECONDS,
        )

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> ResultTable:
        """Run a SELECT or ASK query with the given variables pre-bound."""
        try:
            bound = inline_values(sparql, bindings or {})
        except BindingError as error:
            raise EngineError(str(error)) from error
        try:
            response = self.send(bound)
        except http.HttpError as error:
            raise EngineError(str(error)) from error
        kind = response.content_type or "none"
        try:
            document = json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as error:
            raise EngineError(
                f"{self.url}: the answer (Content-Type {kind}) is not JSON: "
                f"{http.first_line(response.body)}"
            ) from error
        if not isinstance(document, dict):
            raise EngineError(
                f"{self.url}: the answer (Content-Type {kind}) is not SPARQL JSON results "
                f"({RESULTS_JSON})"
            )
        try:
            return table_from_json(document)
        except EngineError as error:
            raise EngineError(
                f"{self.url}: the answer (Content-Type {kind}) is not valid SPARQL JSON results "
                f"({RESULTS_JSON}): {error}"
            ) from error
