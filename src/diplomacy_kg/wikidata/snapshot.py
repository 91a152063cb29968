"""What was fetched from a Wikibase endpoint, as plain Python values, and how it is fetched."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from diplomacy_kg.dates import PartialDate, wikidata_precision
from diplomacy_kg.namespaces import WD, last_segment
from diplomacy_kg.wikidata import queries
from diplomacy_kg.wikidata.client import OfflineCacheMissError, QueryAnswer, Row, SparqlClient

DEFAULT_LANGUAGES = ("en", "ko", "es")
DEFAULT_BATCH_SIZE = 25
_QID = re.compile(r"^Q[1-9][0-9]*$")
_TIME = re.compile(r"^([+-]?\d{1,})-(\d{2})-(\d{2})T")


def qid_of(iri: str | None) -> str | None:
    """Return the QID of a Wikidata entity IRI, or None for anything else."""
    if iri is None or not iri.startswith(str(WD)):
        return None
    local = iri[len(str(WD)) :]
    return local if _QID.match(local) else None


def parse_time(value: str | None, precision: str | None) -> PartialDate | None:
    """Read a Wikibase time value and precision; None when absent or coarser than a year."""
    if value is None or precision is None:
        return None
    match = _TIME.match(value)
    if not match or not precision.strip().isdigit():
        return None
    level = int(precision)
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if level < 9 or year < 1:
        return None  # decades, centuries and BCE dates have no place in our model
    try:
        return PartialDate.of(date(year, max(month, 1), max(day, 1)), wikidata_precision(level))
    except ValueError:
        return None


@dataclass(frozen=True)
class ItemFacts:
    """What an item says about itself: labels, aliases, types, ISO codes, capital, redirect."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    classes: tuple[tuple[str, str], ...] = ()  # (QID, English label or "")
    iso2: str | None = None
    iso3: str | None = None
    iso_numeric: str | None = None
    capitals: tuple[str, ...] = ()
    redirect: str | None = None

    @property
    def found(self) -> bool:
        """Whether the endpoint knows the item at all."""
        return bool(self.labels or self.aliases or self.classes or self.redirect)


@dataclass(frozen=True)
class Reference:
    """One reference of a statement (prov:wasDerivedFrom), reduced to URL, stated-in, retrieved."""

    iri: str
    url: str | None
    stated_in: str | None
    retrieved: PartialDate | None

    @property
    def hash(self) -> str:
        """The reference's hash: the last segment of its IRI."""
        return last_segment(self.iri)


@dataclass(frozen=True)
class Statement:
    """A P530, P35 or P6 statement with its rank, period and qualifiers."""

    iri: str
    prop: str
    subject: str
    value: str
    rank: str  # "preferred", "normal" or "deprecated"
    start: PartialDate | None
    end: PartialDate | None
    end_causes: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()

    @property
    def statement_id(self) -> str:
        """The statement's id as Wikidata shows it (Q884$…)."""
        local = last_segment(self.iri)
        return local.replace("-", "$", 1) if "$" not in local else local


@dataclass
class Snapshot:
    """Everything fetched for a run, and the queries that fetched it."""

    endpoint: str
    languages: tuple[str, ...]
    items: dict[str, ItemFacts] = field(default_factory=dict)
    relations: list[Statement] = field(default_factory=list)
    offices: list[Statement] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    answers: list[QueryAnswer] = field(default_factory=list)

    @property
    def retrieved_at(self) -> str:
        """When the newest answer was retrieved (from the cache entry when cached)."""
        return max((answer.retrieved_at for answer in self.answers), default="")

    def label(self, qid: str, language: str = "en") -> str | None:
        """Return a label of an item, from its facts or from the labels of referenced items."""
        facts = self.items.get(qid)
        if facts is not None and language in facts.labels:
            return facts.labels[language]
        return self.labels.get(qid, {}).get(language)


ProgressCallback = Callable[[str, int, int], None]


def _value(row: Row, name: str) -> str | None:
    binding = row.get(name)
    return binding["value"] if binding else None


def _literal(row: Row, name: str) -> tuple[str, str] | None:
    binding = row.get(name)
    if not binding or binding.get("type") not in ("literal", "typed-literal"):
        return None
    return binding["value"], binding.get("xml:lang", "")


def _rank(iri: str | None) -> str:
    if iri == queries.RANK_PREFERRED:
        return "preferred"
    if iri == queries.RANK_DEPRECATED:
        return "deprecated"
    return "normal"


def _run(
    client: SparqlClient,
    batches: Sequence[queries.Query],
    kind: str,
    total: int,
    progress: ProgressCallback,
) -> list[QueryAnswer]:
    answers: list[QueryAnswer] = []
    missing: list[str] = []
    done = 0
    for query in batches:
        try:
            answers.append(client.select(query.text, query.description))
        except OfflineCacheMissError as miss:
            missing.extend(miss.missing)
        done += len(query.qids)
        progress(kind, done, total)
    if missing:
        raise OfflineCacheMissError(missing)
    return answers


def fetch_item_facts(
    client: SparqlClient,
    qids: Iterable[str],
    languages: Sequence[str],
    batch_size: int,
    progress: ProgressCallback,
) -> tuple[dict[str, ItemFacts], list[QueryAnswer]]:
    """Fetch labels, aliases, types, ISO codes, capitals and redirects of items."""
    wanted = list(qids)
    batches = [queries.item_facts_query(b, languages) for b in queries.batched(wanted, batch_size)]
    answers = _run(client, batches, "items", len(set(wanted)), progress)
    collected: dict[str, dict[str, object]] = {}
    for answer in answers:
        for row in answer.rows:
            qid = qid_of(_value(row, "item"))
            if qid is None:
                continue
            record = collected.setdefault(
                qid, {"labels": {}, "aliases": set(), "classes": {}, "capitals": set()}
            )
            _collect_fact(record, row)
    facts = {qid: _facts(qid, collected.get(qid, {})) for qid in sorted(set(wanted))}
    return facts, answers


def _collect_fact(record: dict[str, object], row: Row) -> None:
    label = _literal(row, "label")
    if label is not None:
        labels = record["labels"]
        assert isinstance(labels, dict)
        # Several labels in one language cannot happen in Wikibase; keep the smallest if it does.
        if label[1] not in labels or label[0] < labels[label[1]]:
            labels[label[1]] = label[0]
    alias = _literal(row, "alias")
    if alias is not None:
        aliases = record["aliases"]
        assert isinstance(aliases, set)
        aliases.add(alias[0])
    class_qid = qid_of(_value(row, "class"))
    if class_qid is not None:
        classes = record["classes"]
        assert isinstance(classes, dict)
        classes[class_qid] = max(classes.get(class_qid, ""), _value(row, "classLabel") or "")
    capital = qid_of(_value(row, "capital"))
    if capital is not None:
        capitals = record["capitals"]
        assert isinstance(capitals, set)
        capitals.add(capital)
    for name in ("iso2", "iso3", "isoNumeric"):
        value = _value(row, name)
        if value is not None:
            record[name] = min(str(record.get(name, value)), value)
    redirect = qid_of(_value(row, "redirect"))
    if redirect is not None:
        record["redirect"] = redirect


def _facts(qid: str, record: dict[str, object]) -> ItemFacts:
    labels = record.get("labels", {})
    classes = record.get("classes", {})
    assert isinstance(labels, dict) and isinstance(classes, dict)
    aliases = record.get("aliases", set())
    capitals = record.get("capitals", set())
    assert isinstance(aliases, set) and isinstance(capitals, set)

    def text(name: str) -> str | None:
        value = record.get(name)
        return str(value) if value is not None else None

    return ItemFacts(
        qid=qid,
        labels=dict(sorted(labels.items())),
        aliases=tuple(sorted(aliases)),
        classes=tuple(sorted(classes.items())),
        iso2=text("iso2"),
        iso3=text("iso3"),
        iso_numeric=text("isoNumeric"),
        capitals=tuple(sorted(capitals)),
        redirect=text("redirect"),
    )


def fetch_labels(
    client: SparqlClient,
    qids: Iterable[str],
    languages: Sequence[str],
    batch_size: int,
    progress: ProgressCallback,
) -> tuple[dict[str, dict[str, str]], list[QueryAnswer]]:
    """Fetch the labels of referenced items in the given languages."""
    wanted = list(qids)
    batches = [queries.labels_query(b, languages) for b in queries.batched(wanted, batch_size)]
    answers = _run(client, batches, "labels", len(set(wanted)), progress)
    labels: dict[str, dict[str, str]] = {}
    for answer in answers:
        for row in answer.rows:
            qid = qid_of(_value(row, "item"))
            label = _literal(row, "label")
            if qid is None or label is None:
                continue
            current = labels.setdefault(qid, {})
            if label[1] not in current or label[0] < current[label[1]]:
                current[label[1]] = label[0]
    return labels, answers


def _statements(rows: Iterable[Row], property_of: Callable[[Row], str | None]) -> list[Statement]:
    grouped: dict[str, dict[str, object]] = {}
    for row in rows:
        iri = _value(row, "statement")
        subject = qid_of(_value(row, "item"))
        value = qid_of(_value(row, "partner") or _value(row, "holder"))
        prop = property_of(row)
        if iri is None or subject is None or value is None or prop is None:
            continue  # "no value" / "unknown value" snaks have no item to map
        record = grouped.setdefault(
            iri,
            {
                "property": prop,
                "subject": subject,
                "value": value,
                "rank": _rank(_value(row, "rank")),
                "start": parse_time(_value(row, "start"), _value(row, "startPrecision")),
                "end": parse_time(_value(row, "end"), _value(row, "endPrecision")),
                "causes": set(),
                "references": {},
            },
        )
        cause = qid_of(_value(row, "endCause"))
        causes = record["causes"]
        assert isinstance(causes, set)
        if cause is not None:
            causes.add(cause)
        reference = _value(row, "reference")
        references = record["references"]
        assert isinstance(references, dict)
        if reference is not None:
            previous = references.get(reference)
            references[reference] = Reference(
                iri=reference,
                url=_value(row, "referenceUrl") or (previous.url if previous else None),
                stated_in=qid_of(_value(row, "statedIn"))
                or (previous.stated_in if previous else None),
                retrieved=_retrieved(row) or (previous.retrieved if previous else None),
            )
    statements = []
    for iri, record in sorted(grouped.items()):
        causes = record["causes"]
        references = record["references"]
        assert isinstance(causes, set) and isinstance(references, dict)
        start, end = record["start"], record["end"]
        assert start is None or isinstance(start, PartialDate)
        assert end is None or isinstance(end, PartialDate)
        statements.append(
            Statement(
                iri=iri,
                prop=str(record["property"]),
                subject=str(record["subject"]),
                value=str(record["value"]),
                rank=str(record["rank"]),
                start=start,
                end=end,
                end_causes=tuple(sorted(causes)),
                references=tuple(references[key] for key in sorted(references)),
            )
        )
    return statements


def _retrieved(row: Row) -> PartialDate | None:
    value = _value(row, "retrieved")
    # pr:P813 is a plain xsd:dateTime; Wikidata stores retrieval dates to the day.
    return parse_time(value, "11") if value else None


def _fetch_statements(
    client: SparqlClient,
    qids: Iterable[str],
    batch_size: int,
    progress: ProgressCallback,
    query_for: Callable[[Sequence[str]], queries.Query],
    kind: str,
    property_of: Callable[[Row], str | None],
) -> tuple[list[Statement], list[QueryAnswer]]:
    wanted = list(qids)
    batches = [query_for(b) for b in queries.batched(wanted, batch_size)]
    answers = _run(client, batches, kind, len(set(wanted)), progress)
    rows = [row for answer in answers for row in answer.rows]
    return _statements(rows, property_of), answers


def fetch_relations(
    client: SparqlClient, qids: Iterable[str], batch_size: int, progress: ProgressCallback
) -> tuple[list[Statement], list[QueryAnswer]]:
    """Fetch the full P530 statements of items, every rank included."""
    return _fetch_statements(
        client,
        qids,
        batch_size,
        progress,
        queries.relation_statements_query,
        "relations",
        lambda row: queries.DIPLOMATIC_RELATION,
    )


def fetch_offices(
    client: SparqlClient, qids: Iterable[str], batch_size: int, progress: ProgressCallback
) -> tuple[list[Statement], list[QueryAnswer]]:
    """Fetch head-of-state and head-of-government statements of items."""
    return _fetch_statements(
        client,
        qids,
        batch_size,
        progress,
        queries.office_statements_query,
        "offices",
        lambda row: _value(row, "property"),
    )


def fetch_snapshot(
    client: SparqlClient,
    item_qids: Iterable[str],
    state_qids: Iterable[str],
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback = lambda kind, done, total: None,
) -> Snapshot:
    """Fetch item facts, P530 and office statements, then labels of what they point to."""
    snapshot = Snapshot(endpoint=client.endpoint, languages=tuple(languages))
    items = sorted(set(item_qids))
    states = sorted(set(state_qids))
    missing: list[str] = []
    try:
        snapshot.items, answers = fetch_item_facts(client, items, languages, batch_size, progress)
        snapshot.answers += answers
    except OfflineCacheMissError as miss:
        missing += miss.missing
    try:
        snapshot.relations, answers = fetch_relations(client, states, batch_size, progress)
        snapshot.answers += answers
    except OfflineCacheMissError as miss:
        missing += miss.missing
    try:
        snapshot.offices, answers = fetch_offices(client, states, batch_size, progress)
        snapshot.answers += answers
    except OfflineCacheMissError as miss:
        missing += miss.missing
    if missing:
        raise OfflineCacheMissError(missing)
    referenced: set[str] = set()
    for statement in snapshot.relations + snapshot.offices:
        referenced.add(statement.value)
        referenced.update(statement.end_causes)
        referenced.update(ref.stated_in for ref in statement.references if ref.stated_in)
    for facts in snapshot.items.values():
        referenced.update(facts.capitals)
    referenced -= set(snapshot.items)
    if referenced:
        snapshot.labels, answers = fetch_labels(client, referenced, languages, batch_size, progress)
        snapshot.answers += answers
    return snapshot
