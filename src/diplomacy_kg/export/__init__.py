"""Exports other tools accept: deterministic Turtle, N-Triples, N-Quads, TriG and JSON-LD.

The package is split along its seams, and this module gathers their public names:
- `serialize`: the formats, each the same bytes for the same graph whatever the hash seed;
- `canonical`: canonical blank-node labels; `named_graphs`: one named graph per source;
- `context` and `jsonld`: the project's JSON-LD context and the compact JSON-LD writer;
- `reading`: reading exports back, JSON-LD without ever fetching a context;
- `fast`: the four formats of Turtle files through Oxigraph, byte for byte `serialize`'s
  (`turtle_fast` writes Turtle, `quads_fast` places N-Quads lines in their named graphs).
"""

from __future__ import annotations

from diplomacy_kg.export.canonical import canonical_triples
from diplomacy_kg.export.context import (
    CONTEXT_FILE,
    CONTEXT_IRI,
    compact_iri,
    context_document,
    dump_json,
    jsonld_context,
)
from diplomacy_kg.export.errors import ExportError, RemoteContextError
from diplomacy_kg.export.fast import serialize_files
from diplomacy_kg.export.jsonld import jsonld_document, serialize_jsonld
from diplomacy_kg.export.named_graphs import (
    CURATION_GRAPH,
    ONTOLOGY_GRAPH,
    source_graph_iri,
    split_by_source,
    to_dataset,
)
from diplomacy_kg.export.reading import (
    format_for_path,
    local_context_loader,
    parse_export,
    parse_jsonld,
    read_rdf_files,
    union_graph,
)
from diplomacy_kg.export.serialize import (
    EXTENSIONS,
    FORMATS,
    MEDIA_TYPES,
    serialize,
    serialize_nquads,
    serialize_ntriples,
    serialize_trig,
    serialize_turtle,
)

__all__ = [
    "CONTEXT_FILE",
    "CONTEXT_IRI",
    "CURATION_GRAPH",
    "EXTENSIONS",
    "FORMATS",
    "MEDIA_TYPES",
    "ONTOLOGY_GRAPH",
    "ExportError",
    "RemoteContextError",
    "canonical_triples",
    "compact_iri",
    "context_document",
    "dump_json",
    "format_for_path",
    "jsonld_context",
    "jsonld_document",
    "local_context_loader",
    "parse_export",
    "parse_jsonld",
    "read_rdf_files",
    "serialize",
    "serialize_files",
    "serialize_jsonld",
    "serialize_nquads",
    "serialize_ntriples",
    "serialize_trig",
    "serialize_turtle",
    "source_graph_iri",
    "split_by_source",
    "to_dataset",
    "union_graph",
]
