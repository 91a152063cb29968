"""Reading exports back, safely: JSON-LD never fetches a context from the network or a file.

JSON-LD is read by pyld through a document loader that serves the project's context
(`CONTEXT_IRI`) from memory and refuses every other URL, remote or `file:`, wherever the
reference appears (a `@context` string or list, a context nested in a context or in a term
definition, an `@import`): pyld asks the loader for each of them, so none can slip past it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from diplomacy_kg.export.context import CONTEXT_IRI, context_document
from diplomacy_kg.export.errors import ExportError, RemoteContextError
from diplomacy_kg.export.serialize import EXTENSIONS, FORMATS
from diplomacy_kg.graph import parse_turtle_file

DocumentLoader = Callable[[str, dict[str, Any] | None], dict[str, Any]]


def local_context_loader(allow_remote: bool = False, where: str = "") -> DocumentLoader:
    """Return a pyld document loader that serves the project's context and refuses any other URL.

    With `allow_remote=True` http(s) URLs go to pyld's default loader (network access); a
    `file:` URL (or any other scheme) is refused either way.
    """

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url == CONTEXT_IRI:
            document = json.loads(context_document())
            return {"contextUrl": None, "documentUrl": url, "document": document}
        if not allow_remote or not url.lower().startswith(("http://", "https://")):
            raise RemoteContextError(_refusal(url, where))
        from pyld import jsonld

        return dict(jsonld.requests_document_loader()(url, options or {}))

    return load


def _refusal(url: str, where: str = "") -> str:
    place = f"{where}: " if where else ""
    if not url.lower().startswith(("http://", "https://")):
        return (
            f"{place}refusing to read the JSON-LD context {url}; only {CONTEXT_IRI} is served "
            "(locally), and contexts are never read from files or other schemes."
        )
    return (
        f"{place}refusing to fetch the remote JSON-LD context {url}; only {CONTEXT_IRI} is "
        "served (locally); allow remote contexts (allow_remote_context) to fetch it."
    )


def _refusal_in(error: BaseException) -> RemoteContextError | None:
    # pyld wraps the loader's error in JsonLdErrors (`cause`, `details`): find ours.
    seen: set[int] = set()
    pending: list[Any] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, RemoteContextError):
            return current
        details = getattr(current, "details", None)
        pending += [getattr(current, "cause", None), current.__cause__, current.__context__]
        if isinstance(details, dict):
            pending += [value for value in details.values() if isinstance(value, BaseException)]
    return None


def _reason(error: BaseException) -> str:
    # The innermost of pyld's chained errors says what is wrong ("keywords cannot be overridden").
    current: Any = error
    for _ in range(20):
        inner = getattr(current, "cause", None) or current.__cause__
        if inner is None:
            break
        current = inner
    message = current.args[0] if isinstance(current.args, tuple) and current.args else current
    return " ".join(str(message).split()) or type(current).__name__


def parse_jsonld(
    data: bytes | str, *, allow_remote: bool = False, base: str | None = None, where: str = ""
) -> Dataset:
    """Parse JSON-LD into a dataset; every context but the project's is refused unless allowed."""
    from pyld import jsonld
    from pyld.context_resolver import ContextResolver

    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        place = f"{where}:" if where else ""
        raise ExportError(
            f"{place}{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from error
    except RecursionError as error:
        raise ExportError(f"{where or 'JSON-LD'}: cannot read: nested too deeply") from error
    loader = local_context_loader(allow_remote, where)
    options = {
        "format": "application/n-quads",
        "base": base or "",
        "documentLoader": loader,
        # A resolver of its own: pyld's shared cache would serve a context fetched earlier.
        "contextResolver": ContextResolver({}, loader),
    }
    try:
        nquads = jsonld.to_rdf(document, options)
    except RecursionError as error:
        raise ExportError(f"{where or 'JSON-LD'}: cannot read: nested too deeply") from error
    except Exception as error:  # pyld raises JsonLdError and others; all mean "bad input"
        refusal = _refusal_in(error)
        if refusal is not None:
            raise RemoteContextError(str(refusal)) from error
        raise ExportError(f"{where or 'JSON-LD'}: cannot read: {_reason(error)}") from error
    dataset = Dataset()
    dataset.default_union = True
    try:
        dataset.parse(data=str(nquads), format="nquads")
    except Exception as error:  # rdflib raises many types; all mean "bad input" here
        raise ExportError(f"{where or 'JSON-LD'}: cannot read: {error}") from error
    return dataset


_RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig"}


def parse_export(
    data: bytes, fmt: str, *, allow_remote_context: bool = False, where: str = ""
) -> Dataset:
    """Parse an export back into a dataset (named graphs kept; `default_union` set)."""
    if fmt == "jsonld":
        return parse_jsonld(data, allow_remote=allow_remote_context, where=where)
    if fmt not in _RDFLIB_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dataset = Dataset()
    dataset.default_union = True
    try:
        dataset.parse(data=data.decode("utf-8"), format=_RDFLIB_FORMATS[fmt])
    except Exception as error:  # rdflib raises many types; all mean "bad input" here
        raise ExportError(f"{where or fmt}: cannot read: {error}") from error
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    """Return all triples of a dataset's graphs as one graph."""
    graph = Graph(bind_namespaces="none")
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    return graph


def format_for_path(path: Path) -> str:
    """Guess an RDF format from a file name (by extension)."""
    suffix = path.suffix.lower().lstrip(".")
    for fmt, extension in EXTENSIONS.items():
        if suffix == extension:
            return fmt
    if suffix in ("json", "json-ld"):
        return "jsonld"
    raise ExportError(f"{path}: cannot tell the RDF format from the extension {path.suffix!r}")


def read_rdf_files(files: Iterable[Path], *, allow_remote_context: bool = False) -> Graph:
    """Read RDF files of any export format into one graph (JSON-LD read safely)."""
    graph = Graph(bind_namespaces="none")
    for path in files:
        fmt = format_for_path(path)
        if fmt == "turtle":
            part = parse_turtle_file(path)
            for triple in part:
                graph.add(triple)
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ExportError(f"{path}: cannot read: {error.strerror or error}") from error
        dataset = parse_export(
            data, fmt, allow_remote_context=allow_remote_context, where=str(path)
        )
        for triple in union_graph(dataset):
            graph.add(triple)
    return graph
