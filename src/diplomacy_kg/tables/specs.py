"""The tables and their sources as data: `data/tables/tables.toml`.

Each table is a spec: its CSV file, its kind (which conversion reads its rows), and for a
relations table the state whose relations it holds, the Turtle file it becomes and the sources
its `source` column names. Each source is described once, with its title, description,
licence, as-of day and URL (or why it has none). A second country's relations table is a new
`[[table]]` entry.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import URIRef

from diplomacy_kg.namespaces import LICENCES, instance_iri
from diplomacy_kg.tables.rows import TableError

SPECS_FILE = "tables.toml"
"""The name of the file, in the tables folder, that declares the tables and their sources."""

KINDS = ("un-members", "non-members", "news-sources", "news-evidence", "relations")
"""The kinds of table, in the order they are converted (relations need the states)."""

NEWS = "news"
"""The `source` value of a relations row that cites news pages by URL (`news_sources.csv`)."""


@dataclass(frozen=True)
class SourceSpec:
    """A source document of the tables: `id/source/<slug>`."""

    slug: str
    title: str
    description: str
    licence: URIRef
    as_of: date | None = None
    url: str | None = None
    no_url_reason: str | None = None
    """Why the source has no URL; a source gives one or the other."""

    @property
    def iri(self) -> URIRef:
        """Return the source's IRI."""
        return instance_iri("source", self.slug)


@dataclass(frozen=True)
class TableSpec:
    """A table: its CSV file, kind, source, and for relations the country and output."""

    file: str
    kind: str
    source: SourceSpec | None = None
    country: str | None = None
    output: str | None = None
    sources: dict[str, SourceSpec] = field(default_factory=dict)
    """For a relations table: the source each value of its `source` column stands for."""


@dataclass(frozen=True)
class Specs:
    """Every table and every source the tables folder declares."""

    tables: tuple[TableSpec, ...]
    sources: tuple[SourceSpec, ...]

    def of_kind(self, kind: str) -> list[TableSpec]:
        """Return the tables of one kind, in the order declared."""
        return [t for t in self.tables if t.kind == kind]

    def one(self, kind: str) -> TableSpec:
        """Return the one table of a kind."""
        found = self.of_kind(kind)
        if len(found) != 1:
            raise TableError(Path(SPECS_FILE), 0, f"expected one {kind} table, found {len(found)}")
        return found[0]


@dataclass(frozen=True)
class _Entry:
    """One entry of the declarations file, to point errors at the line of a key in it."""

    path: Path
    text: str
    start: int
    what: str
    values: dict[str, Any]

    def error(self, reason: str, key: str | None = None) -> TableError:
        at = self.start
        found = (
            re.compile(rf"^\s*{re.escape(key)}\s*=", re.M).search(self.text, at) if key else None
        )
        if found:
            at = found.start()
        return TableError(self.path, self.text[:at].count("\n") + 1, f"{self.what}: {reason}")

    def text_of(self, key: str) -> str:
        value = self.values.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{key!r} must be a non-empty text", key)
        return value


def load_specs(tables: Path) -> Specs:
    """Read the tables folder's `tables.toml`; raise TableError naming the file and line."""
    path = tables / SPECS_FILE
    try:
        text = path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except OSError as error:
        raise TableError(path, 0, f"cannot read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        raise TableError(path, int(found.group(1)) if found else 1, str(error)) from error
    sources: dict[str, SourceSpec] = {}
    for slug, values in dict(document.get("source", {})).items():
        header = re.search(rf"^\[source\.{re.escape(slug)}\]", text, re.M)
        entry = _Entry(path, text, header.start() if header else 0, f"source {slug!r}", values)
        sources[slug] = _source(slug, entry)

    def named(slug: object, entry: _Entry, key: str) -> SourceSpec:
        if slug not in sources:
            raise entry.error(f"source {slug!r} is not described by a [source.<slug>] table", key)
        return sources[str(slug)]

    specs: list[TableSpec] = []
    starts = [m.start() for m in re.finditer(r"^\[\[table\]\]", text, re.M)]
    for index, values in enumerate(document.get("table", [])):
        start = starts[index] if index < len(starts) else 0
        entry = _Entry(path, text, start, f"table {values.get('file')!r}", values)
        spec = TableSpec(file=entry.text_of("file"), kind=str(entry.values.get("kind")))
        if spec.kind not in KINDS:
            raise entry.error(f"kind {spec.kind!r} is not one of {', '.join(KINDS)}", "kind")
        if "source" in entry.values:
            spec = replace(spec, source=named(entry.values["source"], entry, "source"))
        if spec.kind == "relations":
            country = entry.text_of("country")
            if not re.fullmatch(r"[A-Z]{3}", country):
                raise entry.error(f"country {country!r} is not an ISO 3166 alpha-3 code", "country")
            given = dict(entry.values.get("sources", {}))
            if NEWS in given:
                raise entry.error(
                    f"{NEWS!r} always means news_sources.csv; name another", "sources"
                )
            spec = replace(
                spec,
                country=country,
                output=entry.text_of("output"),
                sources={v: named(slug, entry, "sources") for v, slug in given.items()},
            )
        specs.append(spec)
    return Specs(tuple(specs), tuple(sources.values()))


def _source(slug: str, entry: _Entry) -> SourceSpec:
    licence = entry.values.get("licence")
    if licence not in LICENCES:
        raise entry.error(f"licence {licence!r} is not one of {', '.join(LICENCES)}", "licence")
    as_of, url = entry.values.get("as_of"), entry.values.get("url")
    if as_of is not None and not isinstance(as_of, date):
        raise entry.error("as_of must be a date (YYYY-MM-DD)", "as_of")
    if url is not None and not re.fullmatch(r"https?://\S+", str(url)):
        raise entry.error(f"url {url!r} is not an http(s) URL", "url")
    reason = entry.text_of("no_url_reason") if "no_url_reason" in entry.values else None
    if (url is None) == (reason is None):
        raise entry.error("give a url, or a no_url_reason saying why there is none (not both)")
    return SourceSpec(
        slug,
        entry.text_of("title"),
        entry.text_of("description"),
        LICENCES[licence],
        as_of,
        None if url is None else str(url),
        reason,
    )
