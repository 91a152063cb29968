"""Reading claims, their sources and their checks from the graph, and choosing among them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rdflib import Literal, URIRef
from rdflib.term import Node

from diplomacy_kg.claims.model import Check, Claim, ClaimError, Source, text_of
from diplomacy_kg.engines import Engine
from diplomacy_kg.namespaces import DIP, curie, last_segment, sparql_prefix_block

_CLAIMS_QUERY = (
    sparql_prefix_block("dip", "prov", "rdfs", "schema")
    + """
SELECT ?claim ?label ?text ?claimant ?claimant_label ?date ?precision
       ?source ?source_label ?source_url
WHERE {
  ?claim a dip:Claim .
  OPTIONAL { ?claim rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?claim dip:text ?text }
  OPTIONAL { ?claim dip:speaker ?claimant .
             OPTIONAL { ?claimant rdfs:label ?claimant_label
                        FILTER(LANGMATCHES(LANG(?claimant_label), "en")) } }
  OPTIONAL { ?claim dip:date ?date OPTIONAL { ?claim dip:datePrecision ?precision } }
  OPTIONAL { ?claim prov:wasDerivedFrom ?source .
             OPTIONAL { ?source rdfs:label ?source_label
                        FILTER(LANGMATCHES(LANG(?source_label), "en")) }
             OPTIONAL { ?source schema:url ?source_url } }
}
ORDER BY ?claim ?source
"""
)

_CHECKS_QUERY = (
    sparql_prefix_block("dip", "rdfs")
    + """
SELECT ?claim ?check ?label ?query ?expectation ?column
WHERE {
  ?claim dip:check ?check .
  OPTIONAL { ?check rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?check dip:checkQuery ?query }
  OPTIONAL { ?check dip:expectation ?expectation }
  OPTIONAL { ?check dip:checkColumn ?column }
}
ORDER BY ?claim ?check
"""
)

_CHECK_VALUES_QUERY = (
    sparql_prefix_block("dip")
    + """
SELECT ?check ?kind ?name ?value
WHERE {
  ?claim dip:check ?check .
  {
    ?check dip:checkParameter ?parameter .
    ?parameter dip:parameterName ?name ; dip:parameterValue ?value .
    BIND("parameter" AS ?kind)
  } UNION {
    ?check dip:rowCondition ?condition .
    ?condition dip:parameterName ?name ; dip:parameterValue ?value .
    BIND("condition" AS ?kind)
  } UNION {
    ?check dip:expectedValue ?value .
    BIND("expected" AS ?kind)
  }
}
ORDER BY ?check ?kind ?name ?value
"""
)


def load_claims(engine: Engine) -> list[Claim]:
    """Read every claim with its sources and checks from the graph the engine holds."""
    checks_by_claim: dict[URIRef, list[URIRef]] = {}
    check_rows: dict[URIRef, dict[str, Node | None]] = {}
    for row in engine.query(_CHECKS_QUERY).as_dicts():
        claim_iri, check_iri = row["claim"], row["check"]
        if not isinstance(claim_iri, URIRef) or not isinstance(check_iri, URIRef):
            continue
        checks_by_claim.setdefault(claim_iri, [])
        if check_iri not in checks_by_claim[claim_iri]:
            checks_by_claim[claim_iri].append(check_iri)
        check_rows.setdefault(check_iri, row)
    values: dict[URIRef, dict[str, list[tuple[str, object]]]] = {}
    for row in engine.query(_CHECK_VALUES_QUERY).as_dicts():
        check_iri = row["check"]
        if isinstance(check_iri, URIRef):
            kinds = values.setdefault(check_iri, {})
            entry = (str(row["name"]) if row["name"] is not None else "", row["value"])
            if entry not in kinds.setdefault(str(row["kind"]), []):
                kinds[str(row["kind"])].append(entry)
    checks: dict[URIRef, Check] = {}
    for check_iri, check_row in check_rows.items():
        kinds = values.get(check_iri, {})
        expectation = check_row.get("expectation")
        checks[check_iri] = Check(
            iri=check_iri,
            label=text_of(check_row.get("label")) or last_segment(check_iri),
            query=text_of(check_row.get("query")) or "",
            params=tuple(sorted((n, str(v)) for n, v in kinds.get("parameter", []))),
            conditions=tuple(sorted((n, str(v)) for n, v in kinds.get("condition", []))),
            expectation=expectation if isinstance(expectation, URIRef) else DIP.Includes,
            column=text_of(check_row.get("column")),
            expected=tuple(v for _, v in kinds.get("expected", []) if isinstance(v, Literal)),
        )
    first_rows: dict[URIRef, dict[str, Node | None]] = {}
    claim_sources: dict[URIRef, list[Source]] = {}
    for claim_row in engine.query(_CLAIMS_QUERY).as_dicts():
        subject = claim_row["claim"]
        if not isinstance(subject, URIRef):
            continue
        first_rows.setdefault(subject, claim_row)
        found = claim_sources.setdefault(subject, [])
        source = claim_row["source"]
        if isinstance(source, URIRef) and all(s.iri != source for s in found):
            found.append(
                Source(source, text_of(claim_row["source_label"]), text_of(claim_row["source_url"]))
            )
    result: list[Claim] = []
    for subject, row in sorted(first_rows.items()):
        day = row["date"].toPython() if isinstance(row["date"], Literal) else None
        claimant = row["claimant"]
        precision = row["precision"]
        result.append(
            Claim(
                iri=subject,
                label=text_of(row["label"]),
                text=text_of(row["text"]) or "",
                claimant=claimant if isinstance(claimant, URIRef) else None,
                claimant_label=text_of(row["claimant_label"]),
                date=day if isinstance(day, date) else None,
                precision=precision if isinstance(precision, URIRef) else None,
                sources=tuple(claim_sources[subject]),
                checks=tuple(checks[c] for c in checks_by_claim.get(subject, [])),
            )
        )
    return result


def select_claims(
    claims: Sequence[Claim], source: str | None = None, claim: str | None = None
) -> list[Claim]:
    """Keep the claims from a source (IRI, CURIE, slug, label or URL) and/or with an IRI or slug."""
    chosen = list(claims)
    if source is not None:
        wanted = source.strip()
        chosen = [c for c in chosen if any(_names_source(s, wanted) for s in c.sources)]
        if not chosen:
            known = sorted({s.describe() + f" <{s.iri}>" for c in claims for s in c.sources})
            raise ClaimError(
                f"no claim comes from the source {source!r}; the claims' sources: "
                + "; ".join(known)
            )
    if claim is not None:
        wanted = claim.strip()
        matches = [c for c in chosen if wanted in (str(c.iri), c.slug, f"id:claim/{c.slug}")]
        if not matches:
            raise ClaimError(
                f"no claim {claim!r}; known claims: " + ", ".join(c.slug for c in chosen)
            )
        chosen = matches
    return chosen


def _names_source(source: Source, wanted: str) -> bool:
    folded = wanted.casefold()
    forms = {
        str(source.iri),
        f"<{source.iri}>",
        last_segment(source.iri),
        curie(source.iri),
    }
    return (
        wanted in forms
        or (source.url is not None and wanted == source.url)
        or (source.label is not None and folded == source.label.casefold())
    )
