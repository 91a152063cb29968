"""Exports other tools accept: deterministic Turtle, N-Triples, N-Quads, TriG and JSON-LD.

Determinism: the same graph always gives the same bytes, whatever the Python hash seed.
- Blank nodes get canonical labels before writing: the triples that mention a blank node are
  relabelled with `rdflib.compare.to_canonical_graph` (labels are hashes of each blank node's
  neighbourhood), so a blank node keeps its label while its own triples do not change. Only those
  triples are canonicalised, which keeps a large graph with few blank nodes fast.
- Turtle and TriG open with the project's full sorted prefix block; rdflib's Turtle writer orders
  subjects, predicates and objects. N-Triples and N-Quads are sorted lines. JSON-LD has sorted
  keys, nodes sorted by `@id` and values sorted.

Named graphs (TriG, N-Quads): one per source, so a user can load or drop one source's assertions.
- A subject with `prov:wasDerivedFrom S` puts all its triples in the graph of each of its sources.
- A source's own description goes in its own graph.
- Other subjects: ontology terms (the `owl:Ontology`, anything in the `dip:` namespace, anything
  typed as a class or property) go in the ontology graph; the rest in the curation graph.
- A blank node's triples go in the graphs of the subjects that point at it.
Graph IRIs are `id/graph/<slug>`: for a source `id/source/<slug>` the same slug (so
`id/source/seed-story-2024-02` is in `id/graph/seed-story-2024-02`), `id/graph/ontology` and
`id/graph/curation` for the rest. The union of all named graphs is the original graph.

JSON-LD is written flat (one node object per subject) and compacted with the project's context
(`jsonld_context()`), generated from `namespaces.PREFIXES` and the ontology's terms and embedded in
the file, so any processor reads it offline. Every literal keeps its lexical form exactly.
Parsing JSON-LD (`parse_jsonld`) never fetches a remote `@context`: the project's context IRI is
served locally and any other context reference is refused unless `allow_remote=True`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from diplomacy_kg import paths
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.graph import parse_turtle_file
from diplomacy_kg.namespaces import BASE, DIP, ID, PREFIXES, instance_iri, turtle_prefix_block

Triple = tuple[Node, Node, Node]

FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld")
EXTENSIONS = {"turtle": "ttl", "nt": "nt", "nquads": "nq", "trig": "trig", "jsonld": "jsonld"}
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
}

CONTEXT_IRI = BASE + "context.jsonld"
CONTEXT_FILE = paths.ONTOLOGY_DIR / "context.jsonld"
ONTOLOGY_GRAPH = instance_iri("graph", "ontology")
CURATION_GRAPH = instance_iri("graph", "curation")

_SOURCE_PREFIX = f"{ID}source/"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TERM_TYPES = frozenset(
    {
        OWL.Ontology,
        OWL.Class,
        RDFS.Class,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
    }
)
_PLAIN_STRING_RANGES = frozenset({XSD.string, RDF.langString})


class ExportError(DiplomacyKgError):
    """A graph could not be exported or an export could not be read."""


class RemoteContextError(ExportError):
    """A JSON-LD document names a remote @context that we refuse to fetch."""


# --- blank nodes ------------------------------------------------------------------------------


def canonical_triples(graph: Graph) -> Graph:
    """Return the graph with blank nodes relabelled canonically (itself when it has none)."""
    with_blank = [t for t in graph if any(isinstance(term, BNode) for term in t)]
    if not with_blank:
        return graph
    blank_part = Graph()
    for triple in with_blank:
        blank_part.add(triple)
    result = Graph(bind_namespaces="none")
    for triple in graph:
        if not any(isinstance(term, BNode) for term in triple):
            result.add(triple)
    for triple in to_canonical_graph(blank_part):
        result.add(triple)
    return result


# --- named graphs -----------------------------------------------------------------------------


def source_graph_iri(source: Node) -> URIRef:
    """Return the named graph holding the assertions of a source: `id/graph/<source slug>`."""
    text = str(source)
    slug = text[len(_SOURCE_PREFIX) :] if text.startswith(_SOURCE_PREFIX) else ""
    if not _SLUG.match(slug):
        slug = "source-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    graph_iri = instance_iri("graph", slug)
    if graph_iri in (ONTOLOGY_GRAPH, CURATION_GRAPH):
        raise ExportError(f"source {text} would share the reserved graph name {graph_iri}")
    return graph_iri


def _is_ontology_term(graph: Graph, subject: Node) -> bool:
    if isinstance(subject, URIRef) and str(subject).startswith(str(DIP)):
        return True
    return any(kind in _TERM_TYPES for kind in graph.objects(subject, RDF.type))


def split_by_source(graph: Graph) -> dict[URIRef, Graph]:
    """Split a graph into named graphs, one per source (see the module docstring for the rules)."""
    sources = set(graph.objects(None, PROV.wasDerivedFrom))
    homes: dict[Node, set[URIRef]] = {}
    for subject in set(graph.subjects()):
        if isinstance(subject, BNode):
            continue
        names = {source_graph_iri(s) for s in graph.objects(subject, PROV.wasDerivedFrom)}
        if subject in sources:
            names.add(source_graph_iri(subject))
        if not names:
            names = {ONTOLOGY_GRAPH if _is_ontology_term(graph, subject) else CURATION_GRAPH}
        homes[subject] = names
    pending = [s for s in set(graph.subjects()) if isinstance(s, BNode)]
    for blank in pending:
        homes[blank] = _blank_node_homes(graph, blank, homes, set())
    parts: dict[URIRef, Graph] = defaultdict(lambda: Graph(bind_namespaces="none"))
    for triple in graph:
        for name in homes[triple[0]]:
            parts[name].add(triple)
    return dict(sorted(parts.items()))


def _blank_node_homes(
    graph: Graph, blank: Node, homes: dict[Node, set[URIRef]], visiting: set[Node]
) -> set[URIRef]:
    if blank in homes:
        return homes[blank]
    visiting.add(blank)
    names: set[URIRef] = set()
    for referrer in set(graph.subjects(None, blank)):
        if referrer in visiting:
            continue
        names |= _blank_node_homes(graph, referrer, homes, visiting)
    homes[blank] = names or {CURATION_GRAPH}
    return homes[blank]


def to_dataset(graph: Graph) -> Dataset:
    """Return a dataset with the graph split into one named graph per source."""
    dataset = Dataset()
    for name, part in split_by_source(canonical_triples(graph)).items():
        target = dataset.graph(name)
        for triple in part:
            target.add(triple)
    return dataset


# --- line formats -----------------------------------------------------------------------------


def _sorted_lines(text: str) -> bytes:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "".join(line + "\n" for line in lines).encode("utf-8")


def serialize_ntriples(graph: Graph) -> bytes:
    """Serialise as N-Triples, one sorted line per triple."""
    return _sorted_lines(canonical_triples(graph).serialize(format="nt11"))


def serialize_nquads(graph: Graph) -> bytes:
    """Serialise as N-Quads with one named graph per source, sorted lines."""
    return _sorted_lines(to_dataset(graph).serialize(format="nquads"))


# --- Turtle and TriG --------------------------------------------------------------------------


def _turtle_body(graph: Graph) -> tuple[list[str], str]:
    # rdflib writes only the prefixes it uses; we write the full block ourselves.
    prepared = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        prepared.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        prepared.add(triple)
    text = prepared.serialize(format="turtle")
    lines = text.splitlines(keepends=True)
    extra: list[str] = []
    start = 0
    while start < len(lines) and (lines[start].startswith("@prefix") or not lines[start].strip()):
        name = lines[start].split()[1][:-1] if lines[start].startswith("@prefix") else ""
        if name and name not in PREFIXES:
            extra.append(lines[start])
        start += 1
    return extra, "".join(lines[start:]).rstrip("\n") + "\n"


def serialize_turtle(graph: Graph) -> bytes:
    """Serialise as Turtle: the project's prefix block, then subjects in rdflib's sorted order."""
    extra, body = _turtle_body(canonical_triples(graph))
    header = turtle_prefix_block() + "".join(sorted(extra))
    return (header + "\n" + body).encode("utf-8")


def serialize_trig(graph: Graph) -> bytes:
    """Serialise as TriG: one `{ }` block per named graph, graphs sorted by IRI."""
    blocks: list[str] = []
    extras: set[str] = set()
    for name, part in split_by_source(canonical_triples(graph)).items():
        extra, body = _turtle_body(part)
        extras.update(extra)
        blocks.append(f"<{name}> {{\n{body}}}\n")
    header = turtle_prefix_block() + "".join(sorted(extras))
    return (header + "\n" + "\n".join(blocks)).encode("utf-8")


# --- JSON-LD context --------------------------------------------------------------------------


def compact_iri(iri: str) -> str:
    """Return `prefix:local` for an IRI in one of the project's namespaces, else the IRI."""
    best = ""
    best_prefix = ""
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if iri.startswith(ns) and len(ns) > len(best) and not iri[len(ns) :].startswith("//"):
            best, best_prefix = ns, prefix
    if not best or iri == best:
        return iri
    return f"{best_prefix}:{iri[len(best) :]}"


def _local_name(iri: str) -> str | None:
    for namespace in PREFIXES.values():
        ns = str(namespace)
        local = iri[len(ns) :]
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", local):
            return local
    return None


def jsonld_context(ontology: Graph | None = None) -> dict[str, Any]:
    """Build the JSON-LD context: each prefix of `namespaces.PREFIXES`, a term per ontology term.

    Terms are the local names of the ontology's classes, properties and named individuals (a
    `dip:` term wins a clash with a reused term; other clashes get no short term). Object
    properties are `@type: @vocab`, so values that are ontology terms read as terms
    (`"startPrecision": "DayPrecision"`); datatype properties with a typed range carry it
    (`"startDate": "2024-02-14"` is an `xsd:date`).
    """
    onto = ontology if ontology is not None else parse_turtle_file(paths.ONTOLOGY_FILE)
    context: dict[str, Any] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    candidates: dict[str, list[URIRef]] = defaultdict(list)
    for subject in set(onto.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef):
            continue
        kinds = set(onto.objects(subject, RDF.type))
        declared = bool(kinds & _TERM_TYPES) or str(subject).startswith(str(DIP))
        name = _local_name(str(subject))
        if declared and name and OWL.Ontology not in kinds and name not in PREFIXES:
            candidates[name].append(subject)
    for name, iris in sorted(candidates.items()):
        own = [iri for iri in iris if str(iri).startswith(str(DIP))]
        chosen = own if own else iris
        if len(chosen) != 1:
            continue
        context[name] = _term_definition(onto, chosen[0])
    return dict(sorted(context.items()))


def _term_definition(onto: Graph, iri: URIRef) -> str | dict[str, str]:
    compact = compact_iri(str(iri))
    kinds = set(onto.objects(iri, RDF.type))
    if OWL.ObjectProperty in kinds:
        return {"@id": compact, "@type": "@vocab"}
    if OWL.DatatypeProperty in kinds:
        ranges = [r for r in onto.objects(iri, RDFS.range) if isinstance(r, URIRef)]
        if len(ranges) == 1 and ranges[0] not in _PLAIN_STRING_RANGES:
            return {"@id": compact, "@type": compact_iri(str(ranges[0]))}
    return compact


def context_document(ontology: Graph | None = None) -> bytes:
    """Return the text of `context.jsonld`: `{"@context": {...}}`, sorted and indented."""
    return dump_json({"@context": jsonld_context(ontology)})


def dump_json(value: Any) -> bytes:
    """Return JSON with sorted keys, two-space indents and a final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# --- JSON-LD writing --------------------------------------------------------------------------


class _Compactor:
    """Turn RDF terms into the compact JSON-LD the project's context reads back exactly."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.terms: dict[str, str] = {}
        self.coercion: dict[str, str] = {}
        for name, definition in context.items():
            if name in PREFIXES:
                continue
            iri_text = definition if isinstance(definition, str) else definition["@id"]
            iri = self.expand(iri_text)
            self.terms[iri] = name
            if isinstance(definition, dict) and "@type" in definition:
                kind = definition["@type"]
                self.coercion[name] = kind if kind.startswith("@") else self.expand(kind)

    @staticmethod
    def expand(compact: str) -> str:
        prefix, _, local = compact.partition(":")
        return str(PREFIXES[prefix]) + local if prefix in PREFIXES else compact

    def iri(self, node: Node) -> str:
        if isinstance(node, BNode):
            return f"_:{node}"
        return compact_iri(str(node))

    def vocab(self, node: Node) -> str:
        if isinstance(node, URIRef) and str(node) in self.terms:
            return self.terms[str(node)]
        return self.iri(node)

    def value(self, key: str, node: Node) -> Any:
        coercion = self.coercion.get(key)
        if isinstance(node, Literal):
            if node.language:
                return {"@language": node.language, "@value": str(node)}
            datatype = str(node.datatype) if node.datatype else None
            if datatype is None or datatype == str(XSD.string):
                return str(node) if coercion is None else {"@value": str(node)}
            if datatype == coercion:
                return str(node)
            return {"@type": self.iri(URIRef(datatype)), "@value": str(node)}
        if coercion == "@vocab":
            return self.vocab(node)
        return {"@id": self.iri(node)}


def _sort_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def jsonld_document(graph: Graph, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Build the compact JSON-LD document of a graph: embedded context, nodes sorted by `@id`."""
    active = dict(context) if context is not None else jsonld_context()
    compactor = _Compactor(active)
    nodes: list[dict[str, Any]] = []
    canonical = canonical_triples(graph)
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for subject, predicate, obj in canonical:
        by_subject[subject].append((predicate, obj))
    for subject, pairs in by_subject.items():
        node: dict[str, Any] = {"@id": compactor.iri(subject)}
        values: dict[str, list[Any]] = defaultdict(list)
        for predicate, obj in pairs:
            if predicate == RDF.type and not isinstance(obj, Literal):
                values["@type"].append(compactor.vocab(obj))
                continue
            key = compactor.vocab(predicate)
            values[key].append(compactor.value(key, obj))
        for key, items in values.items():
            ordered = sorted(items, key=_sort_key)
            node[key] = ordered[0] if len(ordered) == 1 else ordered
        nodes.append(node)
    nodes.sort(key=lambda n: n["@id"])
    return {"@context": active, "@graph": nodes}


def serialize_jsonld(graph: Graph) -> bytes:
    """Serialise as compact JSON-LD with the project's context embedded."""
    return dump_json(jsonld_document(graph))


# --- dispatch ---------------------------------------------------------------------------------

_SERIALIZERS: dict[str, Callable[[Graph], bytes]] = {
    "turtle": serialize_turtle,
    "nt": serialize_ntriples,
    "nquads": serialize_nquads,
    "trig": serialize_trig,
    "jsonld": serialize_jsonld,
}


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise a graph in one of `FORMATS`, deterministically."""
    try:
        return _SERIALIZERS[fmt](graph)
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


# --- reading exports back ---------------------------------------------------------------------


def local_context_loader(
    allow_remote: bool = False,
) -> Callable[[str, dict[str, Any] | None], dict[str, Any]]:
    """Return a pyld document loader that serves the project's context and refuses any other URL.

    With `allow_remote=True` other URLs go to pyld's default loader (network access).
    """

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url == CONTEXT_IRI:
            document = json.loads(context_document())
            return {"contextUrl": None, "documentUrl": url, "document": document}
        if not allow_remote:
            raise RemoteContextError(_refusal(url))
        from pyld import jsonld  # dev extra: only needed to fetch from the network

        return dict(jsonld.requests_document_loader()(url, options or {}))

    return load


def _refusal(url: str, where: str = "") -> str:
    place = f"{where}: " if where else ""
    return (
        f"{place}refusing to fetch the remote JSON-LD context {url}; only {CONTEXT_IRI} is "
        "served (locally); allow remote contexts (--allow-remote-context) to fetch it."
    )


def resolve_contexts(document: Any, *, allow_remote: bool = False, where: str = "") -> Any:
    """Return the document with references to the project's context replaced by the context.

    Any other context reference (in `@context` at any depth or in `@import`) raises
    RemoteContextError unless `allow_remote` is true.
    """
    local = jsonld_context()

    def resolve_reference(reference: Any) -> Any:
        if isinstance(reference, str):
            if urljoin(where or "", reference) == CONTEXT_IRI or reference == CONTEXT_IRI:
                return copy.deepcopy(local)
            if not allow_remote:
                raise RemoteContextError(_refusal(reference, where))
            return reference
        if isinstance(reference, list):
            return [resolve_reference(item) for item in reference]
        if isinstance(reference, dict):
            resolved = {key: walk(value) for key, value in reference.items()}
            imported = resolved.get("@import")
            if isinstance(imported, str):
                target = resolve_reference(imported)
                if isinstance(target, dict):
                    del resolved["@import"]
                    resolved = {**target, **resolved}
            return resolved
        return reference

    def walk(value: Any) -> Any:
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {
                key: resolve_reference(item) if key == "@context" else walk(item)
                for key, item in value.items()
            }
        return value

    return walk(document)


def parse_jsonld(
    data: bytes | str, *, allow_remote: bool = False, base: str | None = None, where: str = ""
) -> Dataset:
    """Parse JSON-LD into a dataset without ever fetching a remote context unless allowed."""
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        place = f"{where}:" if where else ""
        raise ExportError(
            f"{place}{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from error
    resolved = resolve_contexts(document, allow_remote=allow_remote, where=where)
    dataset = Dataset()
    dataset.default_union = True
    try:
        dataset.parse(data=json.dumps(resolved), format="json-ld", publicID=base)
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
