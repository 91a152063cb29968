"""Sources and evidence: the one place that describes a source and attaches it to a fact.

Every producer of facts (the tables conversion, the Wikidata enrichment, claim authoring and
ingestion) describes its sources with `describe_source` and links each fact to them with
`attach_source`. The model follows PROV-O's qualified derivation, so that an evidence quote
and a locator belong to one (fact, source) pair and never to the fact as a whole:

    fact prov:wasDerivedFrom source ;
         prov:qualifiedDerivation [ a prov:Derivation ;
                                    prov:entity source ;
                                    dip:evidenceQuote "the words of that source"@en ;
                                    dip:sourceLocator "where in that source" ] .

The plain `prov:wasDerivedFrom` stays beside the derivation for simple consumers; a
derivation is made only when there is a quote or a locator to record. `evidence_of` reads
the pairs back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.namespaces import DIP, SCHEMA, instance_iri

__all__ = [
    "Evidence",
    "ProvenanceError",
    "attach_source",
    "derivation_iri",
    "describe_source",
    "evidence_of",
    "publisher_iri",
]


class ProvenanceError(DiplomacyKgError, ValueError):
    """A source or an attachment that cannot be recorded: no URL and no reason, an empty quote."""


@dataclass(frozen=True)
class Evidence:
    """What one source says for one fact: the source, and the quote and locator if recorded."""

    source: Node
    quote: Literal | None = None
    locator: str | None = None


def publisher_iri(name: str) -> URIRef:
    """Mint the IRI of a publishing organisation from its name: `id/organization/<slug>`."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise ProvenanceError(
            f"publisher name {name!r} has no letters or digits to make a slug from"
        )
    return instance_iri("organization", slug)


def _lang_literal(text: str | Literal, what: str) -> Literal:
    if isinstance(text, Literal):
        if not text.language:
            raise ProvenanceError(f"{what} {str(text)!r} needs a language tag")
        return text
    if not text.strip():
        raise ProvenanceError(f"{what} is empty")
    return Literal(text, lang="en")


def describe_source(
    graph: Graph,
    source: URIRef,
    *,
    title: str | Literal | None,
    publisher: URIRef | str | None = None,
    date: dt.date | PartialDate | None = None,
    url: str | None = None,
    kind: URIRef = SCHEMA.NewsArticle,
    no_url_reason: str | Literal | None = None,
    description: str | Literal | None = None,
    as_of: dt.date | None = None,
) -> URIRef:
    """Describe a source document in `graph` and return its IRI.

    `title` becomes `rdfs:label` and `schema:name` (English unless a tagged literal is given);
    when the source's title is not known, `title=None` labels it by its `description` instead;
    `publisher` is an organisation's IRI, or its name (the organisation is then minted with
    `publisher_iri` and labelled); `date` is the publication day (`schema:datePublished`), or a
    month or year as `dip:date` with its precision; `as_of` is the day the source describes
    the world as of (`dip:asOf`). A source says where it can be read (`url`, as `schema:url`)
    or why it cannot (`no_url_reason`, as `dip:noUrlReason`): one of the two is required.
    """
    if not url and no_url_reason is None:
        raise ProvenanceError(
            f"source {source} needs a url or a no_url_reason saying why it has none"
        )
    about = _lang_literal(description, "source description") if description is not None else None
    if title is None and about is None:
        raise ProvenanceError(
            f"source {source} needs a title or, when none is known, a description"
        )
    label = _lang_literal(title, "source title") if title is not None else about
    assert label is not None
    reason = _lang_literal(no_url_reason, "no-URL reason") if no_url_reason is not None else None
    graph.add((source, RDF.type, kind))
    graph.add((source, RDF.type, DIP.SourceDocument))
    graph.add((source, RDFS.label, label))
    if title is not None:
        graph.add((source, SCHEMA.name, label))
    if about is not None:
        graph.add((source, SCHEMA.description, about))
    if publisher is not None:
        if isinstance(publisher, str) and not isinstance(publisher, URIRef):
            organization = publisher_iri(publisher)
            graph.add((organization, RDF.type, DIP.Organization))
            graph.add((organization, RDFS.label, Literal(publisher, lang="en")))
            publisher = organization
        graph.add((source, SCHEMA.publisher, publisher))
    if isinstance(date, PartialDate) and date.precision != "day":
        graph.add((source, DIP.date, Literal(date.value, datatype=XSD.date)))
        graph.add((source, DIP.datePrecision, date.precision_iri))
    elif date is not None:
        day = date.value if isinstance(date, PartialDate) else date
        graph.add((source, SCHEMA.datePublished, Literal(day, datatype=XSD.date)))
    if as_of is not None:
        graph.add((source, DIP.asOf, Literal(as_of, datatype=XSD.date)))
    if url:
        graph.add((source, SCHEMA.url, Literal(url, datatype=XSD.anyURI)))
    if reason is not None:
        graph.add((source, DIP.noUrlReason, reason))
    return source


def _find_derivation(
    graph: Graph, fact: Node, source: Node, quote: Literal | None, locator: Literal | None
) -> Node | None:
    for derivation in graph.objects(fact, PROV.qualifiedDerivation):
        if (derivation, PROV.entity, source) not in graph:
            continue
        quotes = set(graph.objects(derivation, DIP.evidenceQuote))
        locators = set(graph.objects(derivation, DIP.sourceLocator))
        if quotes == ({quote} if quote else set()) and locators == (
            {locator} if locator else set()
        ):
            return derivation
    return None


def derivation_iri(
    fact: Node, source: Node, quote: Literal | None, locator: Literal | None
) -> URIRef:
    """Return a stable IRI for the derivation of a fact from a source with this evidence."""
    key = "\n".join(
        [str(fact), str(source), quote.n3() if quote else "", locator.n3() if locator else ""]
    )
    return instance_iri("derivation", hashlib.sha256(key.encode("utf-8")).hexdigest()[:16])


def attach_source(
    graph: Graph,
    fact: Node,
    source: Node,
    *,
    quote: str | Literal | None = None,
    locator: str | None = None,
    named: bool = False,
) -> Node:
    """Derive `fact` from `source`; with a quote or locator, record them for that pair only.

    Adds `fact prov:wasDerivedFrom source` and, when a quote (English unless a tagged literal
    is given) or a locator is given, a qualified derivation `fact prov:qualifiedDerivation
    [ a prov:Derivation ; prov:entity source ; dip:evidenceQuote … ; dip:sourceLocator … ]`.
    Attaching the same pair with the same quote and locator twice adds nothing. The derivation
    is a blank node, or with `named=True` a stable IRI (`derivation_iri`) for graphs that hold
    no blank nodes. Returns the derivation node, or `source` when there was no quote or locator
    to qualify.
    """
    graph.add((fact, PROV.wasDerivedFrom, source))
    if quote is None and locator is None:
        return source
    quote_literal = _lang_literal(quote, "evidence quote") if quote is not None else None
    if locator is not None and not locator.strip():
        raise ProvenanceError("source locator is empty")
    locator_literal = Literal(locator) if locator is not None else None
    found = _find_derivation(graph, fact, source, quote_literal, locator_literal)
    if found is not None:
        return found
    derivation: Node = (
        derivation_iri(fact, source, quote_literal, locator_literal) if named else BNode()
    )
    graph.add((fact, PROV.qualifiedDerivation, derivation))
    graph.add((derivation, RDF.type, PROV.Derivation))
    graph.add((derivation, PROV.entity, source))
    if quote_literal is not None:
        graph.add((derivation, DIP.evidenceQuote, quote_literal))
    if locator_literal is not None:
        graph.add((derivation, DIP.sourceLocator, locator_literal))
    return derivation


def evidence_of(graph: Graph, fact: Node) -> list[Evidence]:
    """Return what each source says for a fact, sorted by source, quote and locator.

    One entry per quote and locator of each derivation, and one bare entry per source of the
    fact that has no derivation.
    """
    found: set[Evidence] = set()
    qualified: set[Node] = set()
    for derivation in graph.objects(fact, PROV.qualifiedDerivation):
        quotes: list[Literal | None] = [
            q for q in graph.objects(derivation, DIP.evidenceQuote) if isinstance(q, Literal)
        ]
        locators: list[str | None] = [str(x) for x in graph.objects(derivation, DIP.sourceLocator)]
        for source in graph.objects(derivation, PROV.entity):
            qualified.add(source)
            for quote in quotes or [None]:
                for locator in locators or [None]:
                    found.add(Evidence(source, quote, locator))
    for source in graph.objects(fact, PROV.wasDerivedFrom):
        if source not in qualified:
            found.add(Evidence(source))
    return sorted(found, key=lambda e: (str(e.source), str(e.quote or ""), str(e.locator or "")))
