"""Authoring: `claims add` builds a new claim and its check, validates them, and appends them.

`add_claim` builds a new claim and its check, validates them with the shapes together with the
graph, and appends them to `data/claims.ttl` (or another file) in one atomic write.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from diplomacy_kg import queries
from diplomacy_kg.claims.model import (
    CLAIM_DATE,
    CLAIMS_FILE,
    EXPECTATIONS,
    ClaimError,
    Source,
    text_of,
)
from diplomacy_kg.engines import Engine
from diplomacy_kg.export import serialize_turtle
from diplomacy_kg.files import OutputError, atomic_write_text
from diplomacy_kg.graph import RdfParseError, default_files, load_graph
from diplomacy_kg.namespaces import (
    DIP,
    SCHEMA,
    curie,
    instance_iri,
    new_graph,
    sparql_prefix_block,
    turtle_prefix_block,
)
from diplomacy_kg.provenance import attach_source, describe_source
from diplomacy_kg.validation import validate

_NAME_VALUE = re.compile(r"([A-Za-z_]\w*)=(.*)", re.DOTALL)


@dataclass(frozen=True)
class NewClaim:
    """What `add_claim` needs: the claim, its source and one check."""

    text: str
    claimant: str
    source: str
    date: str
    query: str
    expectation: str
    params: Sequence[str] = ()
    conditions: Sequence[str] = ()
    column: str | None = None
    expected: Sequence[str] = ()
    about: Sequence[str] = ()
    slug: str | None = None
    label: str | None = None
    evidence_quote: str | None = None


@dataclass(frozen=True)
class AddedClaim:
    """What `add_claim` wrote: the claim's IRI, its triples, and the file."""

    iri: URIRef
    graph: Graph
    path: Path


def slugify(text: str, limit: int = 60) -> str:
    """Return a lowercase kebab-case slug of a text, cut at a word boundary."""
    words = re.findall(r"[a-z0-9]+", text.casefold())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or "claim"


def _name_value(text: str, what: str) -> tuple[str, str]:
    match = _NAME_VALUE.fullmatch(text.strip())
    if not match or not match.group(2).strip():
        raise ClaimError(f"{text!r}: write it as name=value", field=what)
    return match.group(1), match.group(2).strip()


def build_claim(new: NewClaim, engine: Engine) -> tuple[URIRef, Graph]:
    """Build the triples of a new claim and its check, resolving names; raise ClaimError."""
    if not new.text.strip():
        raise ClaimError("the claim's text is empty")
    try:
        day = queries.parse_date(new.date.strip())
    except queries.ParameterError as error:
        raise ClaimError(str(error), field="date") from error
    try:
        stored = queries.get_query(new.query)
    except (queries.ParameterError, queries.CatalogueError) as error:
        raise ClaimError(str(error), field="query") from error
    expectation = EXPECTATIONS.get(new.expectation.strip().casefold().replace("_", "-"))
    if expectation is None:
        raise ClaimError(
            f"{new.expectation!r}: choose one of " + ", ".join(EXPECTATIONS), field="expect"
        )
    params = dict(_name_value(p, "param") for p in new.params)
    conditions = dict(_name_value(c, "where") for c in new.conditions)
    try:
        for name in params:
            stored.parameter(name)
    except queries.ParameterError as error:
        raise ClaimError(str(error), field="param") from error
    missing = [p.name for p in stored.params if p.name not in params]
    if missing:
        raise ClaimError(
            f"the query {stored.name!r} needs {', '.join(missing)}; {stored.describe_params()}",
            field="param",
        )
    for name in [*conditions, *([new.column] if new.column else [])]:
        if name not in stored.columns:
            raise ClaimError(
                f"the query {stored.name!r} has no column {name!r}; "
                f"its columns: {', '.join(stored.columns)}"
            )
    for name, value in params.items():  # a value that cannot be resolved is refused now
        if value != CLAIM_DATE:
            try:
                queries.resolve_value(stored.parameter(name), value, engine)
            except queries.ParameterError as error:
                raise ClaimError(f"{name}: {error}", field="param") from error
    try:
        claimant = queries.resolve_entity(new.claimant, "entity", engine)
        source = _resolve_source(new.source, engine)
        about = [queries.resolve_entity(a, "entity", engine) for a in new.about]
    except queries.ParameterError as error:
        raise ClaimError(str(error)) from error

    slug = new.slug or slugify(new.text)
    claim = instance_iri("claim", slug)
    check = instance_iri("claim-check", f"{slug}-1")
    graph = new_graph()
    add = graph.add
    add((claim, RDF.type, DIP.Claim))
    add((claim, RDFS.label, Literal(new.label or f"Claim: {new.text.strip()}", lang="en")))
    add((claim, DIP.text, Literal(new.text.strip(), lang="en")))
    add((claim, DIP.speaker, claimant))
    for entity in about:
        add((claim, DIP.about, entity))
    add((claim, DIP.date, Literal(day.value.isoformat(), datatype=XSD.date)))
    add((claim, DIP.datePrecision, day.precision_iri))
    attach_source(graph, claim, source.iri, quote=new.evidence_quote or new.text.strip())
    add((claim, DIP.check, check))
    if source.label is None:  # a new source document, named by its URL or title
        _add_source(graph, new.source.strip(), source.iri)
    add((check, RDF.type, DIP.ClaimCheck))
    add(
        (
            check,
            RDFS.label,
            Literal(
                f"{stored.name} {new.expectation}"
                + (f" {new.column}" if new.column else "")
                + (f" {', '.join(new.expected)}" if new.expected else ""),
                lang="en",
            ),
        )
    )
    add((check, DIP.checkQuery, Literal(stored.name)))
    add((check, DIP.expectation, expectation))
    if new.column:
        add((check, DIP.checkColumn, Literal(new.column)))
    for value in new.expected:
        text = value.strip()
        if expectation == DIP.CountEquals and re.fullmatch(r"\d+", text):
            add((check, DIP.expectedValue, Literal(int(text))))
        else:
            add((check, DIP.expectedValue, Literal(text)))
    for kind, prop, values in (
        ("param", DIP.checkParameter, params),
        ("where", DIP.rowCondition, conditions),
    ):
        for name, value in values.items():
            node = instance_iri("claim-check", f"{slug}-1-{kind}-{name.lower().replace('_', '-')}")
            add((check, prop, node))
            add((node, RDF.type, DIP.CheckParameter))
            what = "parameter" if kind == "param" else "row condition"
            add((node, RDFS.label, Literal(f"the {name} {what}", lang="en")))
            add((node, DIP.parameterName, Literal(name)))
            add((node, DIP.parameterValue, Literal(value)))
    return claim, graph


def _resolve_source(text: str, engine: Engine) -> Source:
    wanted = text.strip()
    if not wanted:
        raise ClaimError("it is empty: give a source's IRI, title or URL", field="source")
    table = engine.query(
        sparql_prefix_block("dip", "rdfs", "schema")
        + """
SELECT ?source ?label ?name ?url WHERE {
  ?source a dip:SourceDocument .
  OPTIONAL { ?source rdfs:label ?label }
  OPTIONAL { ?source schema:name ?name }
  OPTIONAL { ?source schema:url ?url }
}"""
    )
    for source, label, name, url in table.rows:
        if not isinstance(source, URIRef):
            continue
        names = {str(source), f"<{source}>", curie(source)}
        texts = {str(t).casefold() for t in (label, name) if t is not None}
        if (
            wanted in names
            or wanted.casefold() in texts
            or (url is not None and wanted == str(url))
        ):
            return Source(source, str(label or name or source), text_of(url))
    return Source(instance_iri("source", slugify(re.sub(r"^https?://", "", wanted))))


def _add_source(graph: Graph, text: str, iri: URIRef) -> None:
    if re.match(r"https?://\S+$", text):
        describe_source(
            graph,
            iri,
            title=None,
            description=f"The document at {text}.",
            kind=SCHEMA.CreativeWork,
            url=text,
        )
        graph.add(
            (
                iri,
                SKOS.editorialNote,
                Literal(
                    "Added with `diplomacy-kg claims add` from its URL; give it a title.", lang="en"
                ),
            )
        )
    else:
        describe_source(
            graph,
            iri,
            title=text,
            kind=SCHEMA.CreativeWork,
            no_url_reason="Added with `diplomacy-kg claims add` by its title; no URL was given.",
        )


def add_claim(
    new: NewClaim, *, data_file: Path | None = None, engine: Engine | None = None
) -> AddedClaim:
    """Validate a new claim and its check with the graph, then append them to the data file.

    The graph is the ontology, the curated data and the target file; nothing is written when a
    name cannot be resolved, the claim already exists, or the shapes find a violation in the
    new triples.
    """
    target = data_file if data_file is not None else CLAIMS_FILE
    files = list(default_files())
    if target.exists() and target.resolve() not in {f.resolve() for f in files}:
        files.append(target)
    try:
        knowledge = load_graph(files)
    except RdfParseError as error:
        raise ClaimError(str(error)) from error
    from diplomacy_kg.engines.rdflib_engine import RdflibEngine

    chosen = engine if engine is not None else RdflibEngine(knowledge)
    claim, graph = build_claim(new, chosen)
    taken = sorted(
        {
            str(s)
            for s in graph.subjects()
            if (s, None, None) in knowledge and (s, RDF.type, DIP.SourceDocument) not in graph
        }
    )
    if taken:
        raise ClaimError(f"already in the graph: {', '.join(taken)}; give another", field="slug")
    combined = knowledge + graph
    new_nodes = {str(s) for s in graph.subjects()}
    report = validate(combined)
    problems = [r for r in report.results if r.severity == "Violation" and r.focus in new_nodes]
    if problems:
        lines = [
            f"{r.focus}: {r.path or ''} {r.value or ''}: {r.message}".replace("  ", " ")
            for r in problems
        ]
        raise ClaimError("the new claim does not conform to the shapes:\n  " + "\n  ".join(lines))
    body = serialize_turtle(graph).decode("utf-8").removeprefix(turtle_prefix_block())
    if target.exists():
        existing = target.read_text(encoding="utf-8")
        text = existing.rstrip("\n") + "\n" + body
    else:
        text = turtle_prefix_block() + body
    try:
        atomic_write_text(target, text)
    except OutputError as error:
        raise ClaimError(str(error)) from error
    return AddedClaim(claim, graph, target)
