"""Wikidata linking and enrichment: verify links, enrich into a separate graph, compare.

The one place that talks to Wikibase SPARQL endpoints (through the project's HTTP layer, in
`client`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, URIRef

from diplomacy_kg.namespaces import DIP
from diplomacy_kg.paths import wikidata_cache_dir as default_cache_dir
from diplomacy_kg.wikidata import curated
from diplomacy_kg.wikidata.cache import DEFAULT_TTL_SECONDS, ResponseCache
from diplomacy_kg.wikidata.client import (
    DEFAULT_CONTACT,
    DEFAULT_ENDPOINT,
    DEFAULT_RUN_BUDGET_SECONDS,
    BadResponseError,
    OfflineCacheMissError,
    SparqlClient,
    WikidataError,
    user_agent,
)
from diplomacy_kg.wikidata.compare import Disagreement, compare
from diplomacy_kg.wikidata.enrich import (
    Enrichment,
    EnrichmentError,
    build_enrichment,
    curated_changes,
    write_enrichment,
)
from diplomacy_kg.wikidata.snapshot import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_LANGUAGES,
    ProgressCallback,
    Snapshot,
    fetch_snapshot,
)
from diplomacy_kg.wikidata.verify import VerifyReport, verify

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_CONTACT",
    "DEFAULT_ENDPOINT",
    "DEFAULT_LANGUAGES",
    "DEFAULT_RUN_BUDGET_SECONDS",
    "DEFAULT_TTL_SECONDS",
    "BadResponseError",
    "Disagreement",
    "Enrichment",
    "EnrichmentError",
    "OfflineCacheMissError",
    "ResponseCache",
    "Snapshot",
    "SparqlClient",
    "VerifyReport",
    "WikidataError",
    "build_enrichment",
    "compare",
    "compare_with_wikidata",
    "curated_changes",
    "default_cache_dir",
    "enrich",
    "fetch_snapshot",
    "select_states",
    "snapshot_for",
    "user_agent",
    "verify",
    "write_enrichment",
]


class UnknownStateError(WikidataError):
    """A state asked for by ISO code is not in the curated data or has no Wikidata link."""


def select_states(graph: Graph, iso3_codes: Iterable[str] = ()) -> list[curated.Entity]:
    """Linked curated states, all of them or those with the given ISO 3166 alpha-3 codes."""
    states = [e for e in curated.entities(graph) if e.kind == DIP.State and e.qids]
    wanted = {code.upper() for code in iso3_codes}
    if not wanted:
        return states
    chosen = [s for s in states if (s.iso3 or "").upper() in wanted]
    unknown = wanted - {(s.iso3 or "").upper() for s in chosen}
    if unknown:
        raise UnknownStateError(
            f"no linked curated state with ISO 3166 alpha-3 code {', '.join(sorted(unknown))}"
        )
    return chosen


def snapshot_for(
    graph: Graph,
    client: SparqlClient,
    *,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    states: Iterable[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback = lambda kind, done, total: None,
) -> Snapshot:
    """Fetch what enrich and compare need for the linked states (and linked persons)."""
    chosen = select_states(graph, states)
    persons = [e for e in curated.entities(graph) if e.kind == DIP.Person and e.qids]
    state_qids = [qid for state in chosen for qid in state.qids]
    items = state_qids + [qid for person in persons for qid in person.qids]
    return fetch_snapshot(client, items, state_qids, languages, batch_size, progress)


def enrich(
    graph: Graph,
    client: SparqlClient,
    output: Path,
    *,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    states: Iterable[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback = lambda kind, done, total: None,
) -> Enrichment:
    """Fetch, map into our ontology and write the enrichment graph; nothing is written on error."""
    snapshot = snapshot_for(
        graph,
        client,
        languages=languages,
        states=states,
        batch_size=batch_size,
        progress=progress,
    )
    enrichment = build_enrichment(graph, snapshot)
    write_enrichment(enrichment, output)
    return enrichment


def compare_with_wikidata(
    graph: Graph,
    client: SparqlClient,
    *,
    focus: Iterable[str] = (),
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    states: Iterable[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback = lambda kind, done, total: None,
) -> list[Disagreement]:
    """Fetch (the same queries as enrich, so the cache serves both) and list disagreements."""
    snapshot = snapshot_for(
        graph,
        client,
        languages=languages,
        states=states,
        batch_size=batch_size,
        progress=progress,
    )
    focus_iris: list[URIRef] | None = None
    if focus:
        focus_iris = [state.iri for state in select_states(graph, focus)]
    return compare(graph, snapshot, focus_iris)
