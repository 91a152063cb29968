"""Check curated Wikidata links (labels, types, ISO codes); suggest QIDs for the unlinked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from diplomacy_kg.namespaces import DIP, last_segment
from diplomacy_kg.wikidata import curated, queries
from diplomacy_kg.wikidata.client import OfflineCacheMissError, SparqlClient
from diplomacy_kg.wikidata.snapshot import (
    DEFAULT_BATCH_SIZE,
    ItemFacts,
    ProgressCallback,
    fetch_item_facts,
    qid_of,
)

# Words that the English label of an item's type (P31) contains when the type fits our class.
# Matching type labels rather than fixed class QIDs keeps the check usable on any Wikibase.
TYPE_KEYWORDS: dict[URIRef, tuple[str, ...]] = {
    DIP.State: ("state", "country", "nation", "kingdom", "republic", "monarchy"),
    DIP.City: ("city", "capital", "town", "metropolis", "municipality", "borough"),
    DIP.Person: ("human", "person"),
    DIP.Family: ("family", "dynasty", "clan"),
    DIP.Organization: (
        "organization",
        "organisation",
        "agency",
        "ministry",
        "newspaper",
        "news",
        "party",
        "mission",
        "company",
        "broadcaster",
        "institution",
        "body",
        "department",
        "publisher",
        "website",
    ),
}
_MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Mismatch:
    """A linked entity whose Wikidata item does not match it in one respect."""

    entity: str
    label: str
    qid: str
    aspect: str  # "missing", "redirect", "label", "type", "iso3166Alpha2", "iso3166Alpha3"
    ours: str
    wikidata: str
    hint: str


@dataclass(frozen=True)
class Candidate:
    """An item that may be the Wikidata counterpart of an unlinked entity."""

    qid: str
    description: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class Unlinked:
    """An unlinked curated entity and the candidates found by its label and type."""

    entity: str
    label: str
    kind: str
    candidates: tuple[Candidate, ...]


@dataclass
class VerifyReport:
    """The outcome of `wikidata verify`."""

    checked: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    unlinked: list[Unlinked] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every link matches."""
        return not self.mismatches


def normalise(text: str) -> str:
    """Fold case, accents and punctuation so that labels compare by their words."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", plain.casefold()).split())


def type_fits(kind: URIRef, class_labels: Sequence[str]) -> bool:
    """Whether any type label contains a keyword of our class (as a whole word)."""
    words = TYPE_KEYWORDS.get(kind, ())
    for label in class_labels:
        tokens = set(normalise(label).split())
        if any(word in tokens for word in words):
            return True
    return False


def check_entity(entity: curated.Entity, qid: str, facts: ItemFacts) -> list[Mismatch]:
    """Compare one linked entity with its Wikidata item."""

    def mismatch(aspect: str, ours: str, theirs: str, hint: str) -> Mismatch:
        return Mismatch(str(entity.iri), entity.label, qid, aspect, ours, theirs, hint)

    if facts.redirect is not None:
        return [
            mismatch(
                "redirect",
                qid,
                facts.redirect,
                f"{qid} was merged into {facts.redirect}; link wd:{facts.redirect} instead",
            )
        ]
    if not facts.found:
        return [
            mismatch(
                "missing",
                qid,
                "(no such item)",
                f"{qid} has no labels or types on the endpoint: deleted, or a wrong QID",
            )
        ]
    found: list[Mismatch] = []
    ours = {normalise(name) for name in [*entity.labels.values(), *entity.alt_labels]}
    theirs_en = facts.labels.get("en", "")
    theirs = {normalise(name) for name in [theirs_en, *facts.aliases] if name}
    if ours and theirs and not ours & theirs:
        found.append(
            mismatch(
                "label",
                entity.label,
                theirs_en or ", ".join(facts.aliases),
                "no English label or alias in common: check the QID, or add the other name "
                "as skos:altLabel if both are right",
            )
        )
    class_labels = [label or qid_ for qid_, label in facts.classes]
    if not type_fits(entity.kind, class_labels):
        found.append(
            mismatch(
                "type",
                last_segment(entity.kind),
                ", ".join(class_labels) or "(no instance of, P31)",
                f"the item is not a {last_segment(entity.kind).lower()}: check the QID",
            )
        )
    for aspect, our_code, their_code in (
        ("iso3166Alpha2", entity.iso2, facts.iso2),
        ("iso3166Alpha3", entity.iso3, facts.iso3),
    ):
        if our_code and their_code and our_code.upper() != their_code.upper():
            found.append(
                mismatch(
                    aspect,
                    our_code,
                    their_code,
                    "ISO codes differ: the QID probably names another state",
                )
            )
    return found


def verify(
    graph: Graph,
    client: SparqlClient,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback = lambda kind, done, total: None,
    candidates: bool = True,
) -> VerifyReport:
    """Check every linked entity against Wikidata; find candidates for the unlinked ones."""
    everything = curated.entities(graph)
    linked = [entity for entity in everything if entity.qids]
    report = VerifyReport(checked=sum(len(entity.qids) for entity in linked))
    qids = sorted({qid for entity in linked for qid in entity.qids})
    missing: list[str] = []
    facts: dict[str, ItemFacts] = {}
    try:
        facts, _ = fetch_item_facts(client, qids, ("en",), batch_size, progress)
    except OfflineCacheMissError as miss:
        missing += miss.missing
    if candidates:
        try:
            report.unlinked = _candidates(
                client, [e for e in everything if not e.qids], batch_size, progress
            )
        except OfflineCacheMissError as miss:
            missing += miss.missing
    if missing:
        raise OfflineCacheMissError(missing)
    for entity in linked:
        for qid in entity.qids:
            report.mismatches.extend(check_entity(entity, qid, facts.get(qid, ItemFacts(qid))))
    report.mismatches.sort(key=lambda m: (m.entity, m.qid, m.aspect))
    return report


def _candidates(
    client: SparqlClient,
    unlinked: Sequence[curated.Entity],
    batch_size: int,
    progress: ProgressCallback,
) -> list[Unlinked]:
    names_of = {
        entity.iri: sorted({name for name in [entity.labels.get("en"), *entity.alt_labels] if name})
        for entity in unlinked
    }
    names = sorted({name for listed in names_of.values() for name in listed})
    found: dict[str, dict[str, dict[str, object]]] = {}
    missing: list[str] = []
    for start in range(0, len(names), max(1, batch_size)):
        batch = names[start : start + max(1, batch_size)]
        query = queries.candidates_query(batch)
        try:
            answer = client.select(query.text, query.description)
        except OfflineCacheMissError as miss:
            missing += miss.missing
            continue
        finally:
            progress("candidates", min(len(names), start + len(batch)), len(names))
        for row in answer.rows:
            name = row.get("name", {}).get("value")
            qid = qid_of(row.get("item", {}).get("value"))
            if name is None or qid is None:
                continue
            record = found.setdefault(name, {}).setdefault(qid, {"description": "", "types": set()})
            description = row.get("description", {}).get("value")
            if description:
                record["description"] = description
            class_label = row.get("classLabel", {}).get("value") or qid_of(
                row.get("class", {}).get("value")
            )
            types = record["types"]
            assert isinstance(types, set)
            if class_label:
                types.add(class_label)
    if missing:
        raise OfflineCacheMissError(missing)
    result = []
    for entity in unlinked:
        options: dict[str, Candidate] = {}
        for name in names_of[entity.iri]:
            for qid, record in found.get(name, {}).items():
                types = record["types"]
                assert isinstance(types, set)
                if type_fits(entity.kind, sorted(types)):
                    options[qid] = Candidate(qid, str(record["description"]), tuple(sorted(types)))
        ordered = sorted(options.values(), key=lambda c: (int(c.qid[1:]), c.qid))
        result.append(
            Unlinked(
                str(entity.iri),
                entity.label,
                last_segment(entity.kind),
                tuple(ordered[:_MAX_CANDIDATES]),
            )
        )
    return result
