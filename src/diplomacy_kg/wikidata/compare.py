"""Where Wikidata and the curated data disagree: relations, dates, ends and labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from rdflib import Graph, URIRef

from diplomacy_kg import dates
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import DIP
from diplomacy_kg.wikidata import curated
from diplomacy_kg.wikidata.periods import WikidataPeriod, relation_periods
from diplomacy_kg.wikidata.snapshot import Snapshot
from diplomacy_kg.wikidata.verify import normalise


@dataclass(frozen=True)
class Disagreement:
    """One point where the curated data and Wikidata differ, with what a curator can do."""

    kind: str
    subject: str
    curated: str
    wikidata: str
    curated_iri: str
    wikidata_statements: str
    action: str

    def as_dict(self) -> dict[str, str]:
        """Return the disagreement as a JSON-ready dict."""
        return asdict(self)


KINDS = (
    "missing-in-wikidata",
    "deprecated-in-wikidata",
    "missing-in-curated",
    "start-differs",
    "end-differs",
    "ended-only-in-curated",
    "ended-only-in-wikidata",
    "label-differs",
)


def _show(when: PartialDate | None) -> str:
    return str(when) if when else "—"


def _span(start: PartialDate | None, end: PartialDate | None, active: object = None) -> str:
    if start is None and end is None and active is not None:
        return f"active on {active}"
    return f"{_show(start)} to {_show(end) if end else 'now'}"


def _same_period(relation: curated.CuratedRelation, period: WikidataPeriod) -> int:
    """Score how well a Wikidata period matches a curated one.

    3 same start, 2 same start year, 1 overlapping (certainly or possibly, by the one rule of
    `diplomacy_kg.dates`: ends exclusive) or undated on one side, 0 unrelated.
    """
    if relation.start is not None and period.start is not None:
        if relation.start == period.start:
            return 3
        if relation.start.value.year == period.start.value.year:
            return 2
    first = relation.start
    if first is None and relation.known_active_on is not None:
        first = PartialDate(relation.known_active_on, "day")
    if first is None or period.start is None:
        # Undated on one side: it matches an open period or one that covers the known date.
        return 1 if (relation.end is None) == (period.end is None) or first is None else 0
    return 1 if dates.overlap(first, relation.end, period.start, period.end) != "disjoint" else 0


def _period_differences(
    relation: curated.CuratedRelation, period: WikidataPeriod, subject: str, statements: str
) -> list[Disagreement]:
    """List how a matched Wikidata period differs from the curated relation."""
    our_span = _span(relation.start, relation.end, relation.known_active_on)
    wd_span = _span(period.start, period.end)
    found = []

    def add(kind: str, ours_text: str, theirs_text: str, action: str) -> None:
        found.append(
            Disagreement(
                kind, subject, ours_text, theirs_text, str(relation.iri), statements, action
            )
        )

    if relation.start and period.start and relation.start != period.start:
        add(
            "start-differs",
            f"start {relation.start!s} ({relation.start.precision})",
            f"start {period.start!s} ({period.start.precision})",
            "check the sources; keep both as dip:DateAssertion with one canonical",
        )
    if relation.end is not None and period.end is None:
        add(
            "ended-only-in-curated",
            our_span,
            wd_span,
            "add end time (P582) on Wikidata, or check the curated end",
        )
    elif relation.end is None and period.end is not None:
        add(
            "ended-only-in-wikidata",
            our_span,
            wd_span,
            "add the end date with a source, or check the Wikidata end time",
        )
    elif relation.end and period.end and relation.end != period.end:
        add(
            "end-differs",
            f"end {relation.end!s}",
            f"end {period.end!s}",
            "check the sources for the end date",
        )
    return found


def compare(
    graph: Graph, snapshot: Snapshot, focus: Iterable[URIRef] | None = None
) -> list[Disagreement]:
    """List disagreements for relations that involve a focus state, and for state labels."""
    entities = curated.entities(graph)
    by_iri = {entity.iri: entity for entity in entities}
    states_by_qid = {
        qid: iri
        for qid, iri in curated.qid_index(entities).items()
        if by_iri[iri].kind == DIP.State
    }
    relations = curated.relations(graph)
    focus_set = set(focus) if focus is not None else default_focus(relations)
    periods, _ = relation_periods(snapshot, states_by_qid)
    deprecated, _ = relation_periods(snapshot, states_by_qid, deprecated=True)

    def in_scope(parties: frozenset[URIRef]) -> bool:
        return bool(parties & focus_set)

    def name(parties: frozenset[URIRef]) -> str:
        return " - ".join(sorted(by_iri[p].label if p in by_iri else str(p) for p in parties))

    def statements(period: WikidataPeriod) -> str:
        return " ".join(s.statement_id for s in period.statements)

    found: list[Disagreement] = []
    ours = [r for r in relations if in_scope(r.parties)]
    theirs = [p for p in periods if in_scope(p.parties)]
    matched: set[URIRef] = set()
    for period in theirs:
        scored = [
            (_same_period(r, period), str(r.iri), r) for r in ours if r.parties == period.parties
        ]
        best = max(scored, default=(0, "", None), key=lambda item: (item[0], item[1]))
        relation = best[2]
        wd_span = _span(period.start, period.end)
        if relation is None or best[0] == 0:
            found.append(
                Disagreement(
                    "missing-in-curated",
                    name(period.parties),
                    "(none)",
                    wd_span,
                    "",
                    statements(period),
                    "add the relation with a source, or mark the Wikidata statement deprecated",
                )
            )
            continue
        matched.add(relation.iri)
        found.extend(
            _period_differences(relation, period, name(period.parties), statements(period))
        )
    for relation in ours:
        if relation.iri in matched:
            continue
        our_span = _span(relation.start, relation.end, relation.known_active_on)
        old = [p for p in deprecated if p.parties == relation.parties and _same_period(relation, p)]
        if old:
            found.append(
                Disagreement(
                    "deprecated-in-wikidata",
                    name(relation.parties),
                    our_span,
                    _span(old[0].start, old[0].end) + " (deprecated rank)",
                    str(relation.iri),
                    " ".join(statements(p) for p in old),
                    "check why Wikidata deprecated the statement; fix ours or theirs",
                )
            )
            continue
        found.append(
            Disagreement(
                "missing-in-wikidata",
                name(relation.parties),
                our_span,
                "(none)",
                str(relation.iri),
                "",
                "add a P530 statement with start time and a reference on Wikidata",
            )
        )
    for qid, iri in sorted(states_by_qid.items()):
        entity = by_iri[iri]
        facts = snapshot.items.get(qid)
        if facts is None or not facts.found or "en" not in entity.labels:
            continue
        theirs_label = facts.labels.get("en", "")
        names = {normalise(n) for n in [theirs_label, *facts.aliases] if n}
        ours_names = {normalise(n) for n in [entity.labels["en"], *entity.alt_labels]}
        if names and not names & ours_names:
            found.append(
                Disagreement(
                    "label-differs",
                    entity.label,
                    entity.labels["en"],
                    theirs_label,
                    str(iri),
                    qid,
                    "add the other name as skos:altLabel, or fix the label on either side",
                )
            )
    found.sort(key=lambda d: (KINDS.index(d.kind), d.subject, d.curated, d.wikidata))
    return found


def default_focus(relations: Sequence[curated.CuratedRelation]) -> set[URIRef]:
    """Return the states the curated relations cover most: those party to the most relations."""
    counts = Counter(party for relation in relations for party in relation.parties)
    if not counts:
        return set()
    top = max(counts.values())
    return {party for party, count in counts.items() if count == top}
