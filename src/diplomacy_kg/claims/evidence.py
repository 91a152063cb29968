"""Evidence: the rows a verdict rests on, the sources of the facts they name, and labels.

`Lookups` holds one engine and caches what claim checks look up more than once: the entity a
name stands for, the sources of a fact, labels and source descriptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from rdflib import URIRef

from diplomacy_kg import queries
from diplomacy_kg.claims.dating import (
    Roles,
    precision_columns,
)
from diplomacy_kg.claims.model import (
    EvidenceRow,
    Source,
    UndecidableError,
    is_fact,
    text_of,
)
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines import Engine, EngineError
from diplomacy_kg.namespaces import last_segment, sparql_prefix_block

_LABELS = (
    sparql_prefix_block("rdfs", "schema")
    + """
SELECT ?label ?url WHERE {
  OPTIONAL { ?node rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?node schema:url ?url }
}
LIMIT 1
"""
)


class Lookups:
    """What claim checks look up on one engine: entities, sources of facts, labels."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._entities: dict[str, URIRef] = {}
        self._fact_sources: dict[URIRef, tuple[URIRef, ...]] = {}
        self._labels: dict[URIRef, str] = {}
        self._sources: dict[URIRef, Source] = {}

    # -- comparing a cell with a value written in a check -------------------------------------

    def matches(
        self, row: Mapping[str, queries.Value], column: str, text: str, roles: Roles
    ) -> bool:
        """Tell whether the cell in `column` is the value `text` names, read by its type."""
        cell = row.get(column)
        if cell is None:
            return False
        if isinstance(cell, URIRef):
            return cell == self.entity(text)
        if isinstance(cell, bool):
            return text.strip().casefold() == str(cell).casefold()
        if isinstance(cell, PartialDate):
            try:
                wanted = queries.parse_date(text.strip())
            except queries.ParameterError as error:
                raise UndecidableError(f"{text!r} is compared with dates: {error}") from error
            return cell.same_period(wanted)
        if isinstance(cell, int | float | Decimal):
            try:
                return Decimal(str(cell)) == Decimal(text.strip())
            except InvalidOperation:
                return False
        return str(cell) == text

    def entity(self, text: str) -> URIRef:
        """Return the entity a value names; raise UndecidableError when it names none."""
        if text not in self._entities:
            try:
                self._entities[text] = queries.resolve_entity(text, "entity", self.engine)
            except queries.ParameterError as error:
                raise UndecidableError(str(error)) from error
        return self._entities[text]

    def show_expected(self, text: str) -> str:
        """Return an expected value as written, with the label of the entity it names."""
        entity = self._entities.get(text)
        label = self.label(entity) if entity is not None else None
        return f"{label} ({text})" if label and label != text else text

    def show_cell(self, cell: queries.Value) -> str:
        """Return a cell as text: an IRI by its label."""
        if isinstance(cell, URIRef):
            return self.label(cell) or last_segment(cell)
        return "" if cell is None else str(cell)

    # -- evidence rows and their sources ------------------------------------------------------

    def evidence(self, row: Mapping[str, queries.Value], roles: Roles) -> EvidenceRow:
        """Return a row as evidence: its values, the facts it names and all their sources."""
        facts = tuple(v for v in row.values() if isinstance(v, URIRef) and is_fact(v))
        sources = self.row_sources([row], roles, enrich=True)
        return EvidenceRow(dict(row), sources, facts, self.summary(row, roles))

    def row_sources(
        self, rows: Iterable[Mapping[str, queries.Value]], roles: Roles, *, enrich: bool
    ) -> tuple[URIRef, ...]:
        """Return the sources in the rows' `source` column, and with `enrich` their facts'."""
        found: list[URIRef] = []
        column = roles.get("source")
        for row in rows:
            value = row.get(column) if column is not None else None
            if isinstance(value, URIRef) and value not in found:
                found.append(value)
            if enrich:
                for value in row.values():
                    if isinstance(value, URIRef) and is_fact(value):
                        found += [s for s in self.sources_of(value) if s not in found]
        return tuple(found)

    def sources_of(self, fact: URIRef) -> tuple[URIRef, ...]:
        """Return every source of a fact (by the stored query `sources-of`)."""
        if fact not in self._fact_sources:
            try:
                result = queries.run_query("sources-of", self.engine, entity=fact)
            except (queries.ParameterError, queries.CatalogueError, EngineError):
                result = None
            found: list[URIRef] = []
            for row in result.rows if result is not None else []:
                source = row.get("source")
                if row.get("fact") == fact and isinstance(source, URIRef) and source not in found:
                    found.append(source)
                    label = row.get("source_label")
                    if isinstance(label, str):
                        self._sources.setdefault(source, Source(source, label))
                label = row.get("fact_label")
                if row.get("fact") == fact and isinstance(label, str):
                    self._labels.setdefault(fact, label)
            self._fact_sources[fact] = tuple(found)
        return self._fact_sources[fact]

    @staticmethod
    def grouped(rows: Sequence[EvidenceRow]) -> list[EvidenceRow]:
        """Merge rows that say the same thing (one row per source) into one with all sources."""
        merged: dict[str, EvidenceRow] = {}
        for row in rows:
            known = merged.get(row.summary)
            if known is None:
                merged[row.summary] = row
                continue
            merged[row.summary] = EvidenceRow(
                known.values,
                known.sources + tuple(s for s in row.sources if s not in known.sources),
                known.facts + tuple(f for f in row.facts if f not in known.facts),
                known.summary,
            )
        return list(merged.values())

    # -- labels -------------------------------------------------------------------------------

    def _describe_node(self, node: URIRef) -> tuple[str | None, str | None]:
        try:
            table = self.engine.query(_LABELS, {"node": node})
        except EngineError:
            return None, None
        for label, url in table.rows:
            return text_of(label), text_of(url)
        return None, None

    def label(self, node: URIRef | None) -> str | None:
        """Return the English label of a node, or None."""
        if node is None:
            return None
        if node not in self._labels:
            label, _url = self._describe_node(node)
            self._labels[node] = label or ""
        return self._labels[node] or None

    def known_label(self, node: URIRef) -> str:
        """Return a fact's label as already looked up, or its IRI's last segment."""
        return self._labels.get(node, last_segment(node))

    def source(self, iri: URIRef) -> Source:
        """Return a source with its label and URL."""
        known = self._sources.get(iri)
        if known is None or known.url is None:
            label, url = self._describe_node(iri)
            known = Source(iri, label or (known.label if known else None), url)
            self._sources[iri] = known
        return known

    def summary(self, row: Mapping[str, queries.Value], roles: Roles) -> str:
        """Return a row in words: labels, dates at their precision, other values by name."""
        label_columns = [n for n in row if n.endswith("_label") or n == "label"]
        named = {n.removesuffix("_label") for n in label_columns}
        skipped = precision_columns(roles) | {
            roles[r] for r in ("source", "source_count", "when_type", "fact_kind") if r in roles
        }
        parts: list[str] = []
        for name, value in row.items():
            if value is None or name in named or name in skipped:
                continue
            if name == "status" and value in ("active", "in window"):
                continue  # the expected case says nothing; an uncertain status is shown
            if name.endswith("_label") or name == "label":
                parts.append(str(value))
            elif isinstance(value, PartialDate):
                parts.append(f"{name.replace('_', ' ')} {value}")
            elif isinstance(value, URIRef):
                if is_fact(value):
                    continue
                parts.append(self.label(value) or last_segment(value))
            else:
                parts.append(f"{name.replace('_', ' ')} {value}")
        return "; ".join(dict.fromkeys(parts))
