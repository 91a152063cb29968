"""The one place that knows namespaces, prefixes and how instance IRIs are minted."""

from __future__ import annotations

import re

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/diplomacy-kg/"

DIP = Namespace(BASE + "ontology/")
DIPSH = Namespace(BASE + "shapes/")
ID = Namespace(BASE + "id/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
VANN = Namespace("http://purl.org/vocab/vann/")
CC = Namespace("http://creativecommons.org/ns#")

# The sorted prefix block every RDF file of the project uses.
PREFIXES: dict[str, Namespace] = {
    "cc": CC,
    "dcat": Namespace(str(DCAT)),
    "dcterms": Namespace(str(DCTERMS)),
    "dip": DIP,
    "dipsh": DIPSH,
    "org": ORG,
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": SCHEMA,
    "sh": Namespace(str(SH)),
    "skos": Namespace(str(SKOS)),
    "time": Namespace(str(TIME)),
    "vann": VANN,
    "void": Namespace(str(VOID)),
    "wd": WD,
    "wdt": WDT,
    "xsd": Namespace(str(XSD)),
}

LICENCES: dict[str, URIRef] = {
    "CC0-1.0": URIRef("https://creativecommons.org/publicdomain/zero/1.0/"),
    "CC-BY-SA-3.0": URIRef("https://creativecommons.org/licenses/by-sa/3.0/"),
}
"""The licences of the project's sources by SPDX identifier (the only home of their IRIs)."""
CC0 = LICENCES["CC0-1.0"]

# Wikidata's own RDF vocabulary (the Wikibase dump format): used in queries sent to Wikibase
# endpoints and in the Wikidata-shaped test fixture, never in the project's data files.
WIKIBASE = Namespace("http://wikiba.se/ontology#")
WD_P = Namespace("http://www.wikidata.org/prop/")
WD_PS = Namespace("http://www.wikidata.org/prop/statement/")
WD_PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
WD_PQV = Namespace("http://www.wikidata.org/prop/qualifier/value/")
WD_PR = Namespace("http://www.wikidata.org/prop/reference/")
WD_PRV = Namespace("http://www.wikidata.org/prop/reference/value/")
WIKIBASE_SCHEMA = Namespace("http://schema.org/")  # Wikibase writes descriptions with http:

WIKIBASE_PREFIXES: dict[str, Namespace] = {
    "owl": Namespace(str(OWL)),
    "p": WD_P,
    "pq": WD_PQ,
    "pqv": WD_PQV,
    "pr": WD_PR,
    "prov": Namespace(str(PROV)),
    "prv": WD_PRV,
    "ps": WD_PS,
    "rdfs": Namespace(str(RDFS)),
    "sdo": WIKIBASE_SCHEMA,
    "skos": Namespace(str(SKOS)),
    "wd": WD,
    "wdt": WDT,
    "wikibase": WIKIBASE,
}

QID_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
_SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KIND_PATTERN = _SLUG_PATTERN


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes to a graph, replacing rdflib's defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def new_graph() -> Graph:
    """Return an empty rdflib graph with only the project's prefixes bound."""
    return bind_prefixes(Graph(bind_namespaces="none"))


def turtle_prefix_block() -> str:
    """Return the sorted `@prefix` block that opens every Turtle file of the project."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))


def sparql_prefix_block(*prefixes: str) -> str:
    """Return SPARQL PREFIX lines for the named prefixes (all of them when none is named)."""
    names = sorted(prefixes) if prefixes else sorted(PREFIXES)
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in names)


def instance_iri(kind: str, slug: str) -> URIRef:
    """Mint the IRI of an instance: `id/<kind>/<slug>`, both kebab-case."""
    if not _KIND_PATTERN.match(kind):
        raise ValueError(f"instance kind {kind!r} is not kebab-case")
    if not _SLUG_PATTERN.match(slug):
        raise ValueError(f"instance slug {slug!r} is not lowercase kebab-case")
    return URIRef(f"{ID}{kind}/{slug}")


def state_iri(iso3: str) -> URIRef:
    """Return the IRI of a state from its ISO 3166-1 alpha-3 code."""
    return instance_iri("state", iso3.lower())


def wikidata_entity(qid: str) -> URIRef:
    """Return the Wikidata entity IRI of a QID, checking its form."""
    if not QID_PATTERN.match(qid):
        raise ValueError(f"{qid!r} is not a Wikidata QID (Q followed by digits)")
    return WD[qid]


def curie(iri: str, *, instances: bool = True) -> str:
    """Write an IRI as a CURIE with the project's prefixes (`id:` for instances), else as it is.

    `instances=False` leaves instance IRIs whole (the JSON-LD context has no `id:` prefix).

    >>> curie("https://w3id.org/diplomacy-kg/id/state/kor")
    'id:state/kor'
    >>> curie("https://w3id.org/diplomacy-kg/ontology/DiplomaticRelation")
    'dip:DiplomaticRelation'
    >>> curie("https://w3id.org/diplomacy-kg/id/state/kor", instances=False)
    'https://w3id.org/diplomacy-kg/id/state/kor'
    >>> curie("https://example.org/elsewhere")
    'https://example.org/elsewhere'
    """
    text = str(iri)
    namespaces = {"id": str(ID)} if instances else {}
    namespaces.update((prefix, str(namespace)) for prefix, namespace in PREFIXES.items())
    best = ""
    for prefix, namespace in namespaces.items():
        local = text[len(namespace) :]
        fits = text.startswith(namespace) and local and not local.startswith("//")
        if fits and (not best or len(namespace) > len(namespaces[best])):
            best = prefix
    return f"{best}:{text[len(namespaces[best]) :]}" if best else text


def last_segment(iri: str) -> str:
    """Return the last segment of an IRI's path: a slug, a QID, a statement or reference id.

    >>> last_segment("https://w3id.org/diplomacy-kg/id/relation/cub-kor-2024")
    'cub-kor-2024'
    """
    return str(iri).rstrip("/").rsplit("/", 1)[-1]
