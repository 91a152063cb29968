"""Named graphs: one per source, so a user can load or drop one source's assertions.

- A subject with `prov:wasDerivedFrom S` puts all its triples in the graph of each of its sources.
- A source's own description goes in its own graph.
- Other subjects: ontology terms (the `owl:Ontology`, anything in the `dip:` namespace, anything
  typed as a class or property) go in the ontology graph; the rest in the curation graph.
- A qualified derivation (`fact prov:qualifiedDerivation D`, `D prov:entity S`: the quote and
  locator of one source) goes, with the link to it, in the graph of its source S only.
- A blank node's triples go in the graphs of the subjects that point at it.
Graph IRIs are `id/graph/<slug>`: for a source `id/source/<slug>` the same slug (so
`id/source/seed-story-2024-02` is in `id/graph/seed-story-2024-02`), `id/graph/ontology` and
`id/graph/curation` for the rest. The union of all named graphs is the original graph.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS
from rdflib.term import Node

from diplomacy_kg.export.canonical import canonical_triples
from diplomacy_kg.export.errors import ExportError
from diplomacy_kg.namespaces import DIP, ID, instance_iri

ONTOLOGY_GRAPH = instance_iri("graph", "ontology")
CURATION_GRAPH = instance_iri("graph", "curation")

_SOURCE_PREFIX = f"{ID}source/"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TERM_TYPES = frozenset(
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
    return any(kind in TERM_TYPES for kind in graph.objects(subject, RDF.type))


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
    derivations: dict[Node, set[URIRef]] = {}
    for derivation in set(graph.objects(None, PROV.qualifiedDerivation)):
        named = {source_graph_iri(s) for s in graph.objects(derivation, PROV.entity)}
        if named:
            derivations[derivation] = homes[derivation] = named
    pending = [s for s in set(graph.subjects()) if isinstance(s, BNode) and s not in homes]
    for blank in pending:
        homes[blank] = _blank_node_homes(graph, blank, homes, set())
    parts: dict[URIRef, Graph] = defaultdict(lambda: Graph(bind_namespaces="none"))
    for triple in graph:
        if triple[1] == PROV.qualifiedDerivation and triple[2] in derivations:
            names = derivations[triple[2]]
        else:
            names = homes[triple[0]]
        for name in names:
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
