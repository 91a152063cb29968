"""Exports: exact round trips, independent parsers, determinism, named graphs, safe JSON-LD."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from diplomacy_kg import export, graph, namespaces
from isomorphism import isomorphic

FIXTURE = Path(__file__).parent / "fixtures" / "export" / "small-with-blank-nodes.ttl"
ID = str(namespaces.ID)
RELATION = URIRef(ID + "relation/cub-kor-2024")
SEED = URIRef(ID + "source/seed-story-2024-02")
XINHUA = URIRef(ID + "source/xinhua-2024-02-14")


@pytest.fixture(scope="module")
def real_graph(curated_graph: Graph) -> Graph:
    assert len(curated_graph) > 1000, "the real graph should hold the ontology and the data"
    return curated_graph


@pytest.fixture(scope="module")
def small_graph() -> Graph:
    small = graph.parse_turtle_file(FIXTURE)
    assert any(isinstance(term, BNode) for triple in small for term in triple)
    return small


def _graphs(real_graph: Graph, small_graph: Graph) -> dict[str, Graph]:
    return {"real": real_graph, "small": small_graph}


def _differences(expected: Graph, actual: Graph) -> str:
    left, right = to_isomorphic(expected), to_isomorphic(actual)
    missing = sorted(str(t) for t in (left - right))[:5]
    extra = sorted(str(t) for t in (right - left))[:5]
    return f"missing {missing}, extra {extra}"


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", export.FORMATS)
@pytest.mark.parametrize("which", ["real", "small"])
def test_every_format_parses_back_to_an_isomorphic_graph(
    fmt: str, which: str, real_graph: Graph, small_graph: Graph
) -> None:
    original = _graphs(real_graph, small_graph)[which]
    data = export.serialize(original, fmt)
    parsed = export.union_graph(export.parse_export(data, fmt))
    assert isomorphic(parsed, original), _differences(original, parsed)


@pytest.mark.parametrize("which", ["real", "small"])
def test_pyld_expansion_of_the_jsonld_gives_the_same_triples(
    which: str, real_graph: Graph, small_graph: Graph
) -> None:
    original = _graphs(real_graph, small_graph)[which]
    document = json.loads(export.serialize(original, "jsonld"))
    expanded = jsonld.expand(document, {"documentLoader": export.local_context_loader()})
    assert expanded, "pyld expanded the document to nothing"
    quads = jsonld.to_rdf(
        expanded, {"format": "application/n-quads", "documentLoader": export.local_context_loader()}
    )
    parsed = Graph().parse(data=quads, format="nt")  # pyld writes the default graph only
    assert isomorphic(parsed, original), _differences(original, parsed)


@pytest.mark.parametrize(
    ("fmt", "oxigraph_format"),
    [("turtle", pyoxigraph.RdfFormat.TURTLE), ("nt", pyoxigraph.RdfFormat.N_TRIPLES)],
)
@pytest.mark.parametrize("which", ["real", "small"])
def test_oxigraph_parses_turtle_and_ntriples_to_the_same_graph(
    fmt: str, oxigraph_format: Any, which: str, real_graph: Graph, small_graph: Graph
) -> None:
    original = _graphs(real_graph, small_graph)[which]
    quads = list(pyoxigraph.parse(export.serialize(original, fmt), format=oxigraph_format))
    assert len(quads) == len(original)
    as_ntriples = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    parsed = Graph().parse(data=as_ntriples, format="nt")
    assert isomorphic(parsed, original), _differences(original, parsed)


def test_oxigraph_reads_the_trig_named_graphs(small_graph: Graph) -> None:
    quads = list(
        pyoxigraph.parse(export.serialize(small_graph, "trig"), format=pyoxigraph.RdfFormat.TRIG)
    )
    names = {
        str(q.graph_name.value) for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode)
    }
    assert names == {str(name) for name in export.split_by_source(small_graph)}


# --- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_two_exports_of_the_same_data_are_byte_identical(fmt: str, small_graph: Graph) -> None:
    again = graph.parse_turtle_file(FIXTURE)  # fresh blank-node ids from a second parse
    assert export.serialize(small_graph, fmt) == export.serialize(again, fmt)


_DIGEST_SCRIPT = """
import hashlib, sys
from pathlib import Path
from diplomacy_kg import export, graph
files = [Path(p) for p in sys.argv[1:]] or None
knowledge = graph.load_graph(files)
for fmt in export.FORMATS:
    print(fmt, hashlib.sha256(export.serialize(knowledge, fmt)).hexdigest())
"""


def _digests(seed: str, *files: Path) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [sys.executable, "-c", _DIGEST_SCRIPT, *map(str, files)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return result.stdout


def test_exports_are_byte_identical_across_python_hash_seeds() -> None:
    first = _digests("1", graph.paths.ONTOLOGY_FILE, FIXTURE)
    second = _digests("4242", graph.paths.ONTOLOGY_FILE, FIXTURE)
    assert first.count("\n") == len(export.FORMATS)
    assert first == second


def test_real_graph_exports_are_byte_identical_across_python_hash_seeds() -> None:
    assert _digests("7") == _digests("99")


def test_ntriples_lines_are_sorted_and_blank_node_labels_canonical(small_graph: Graph) -> None:
    lines = export.serialize(small_graph, "nt").decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(small_graph)
    labels = {word for line in lines for word in line.split() if word.startswith("_:")}
    assert labels, "the fixture has blank nodes"
    renamed = Graph()
    fresh: dict[BNode, BNode] = {}
    for triple in small_graph:
        renamed.add(
            tuple(fresh.setdefault(t, BNode()) if isinstance(t, BNode) else t for t in triple)
        )  # type: ignore[arg-type]
    assert export.serialize(renamed, "nt") == export.serialize(small_graph, "nt")


def test_turtle_opens_with_the_project_prefix_block(small_graph: Graph) -> None:
    text = export.serialize(small_graph, "turtle").decode("utf-8")
    assert text.startswith(namespaces.turtle_prefix_block() + "\n")


def test_a_change_shows_as_a_small_diff(small_graph: Graph) -> None:
    changed = Graph()
    for triple in small_graph:
        changed.add(triple)
    changed.add((RELATION, RDFS.comment, Literal("one more triple")))
    before = export.serialize(small_graph, "nt").decode().splitlines()
    after = export.serialize(changed, "nt").decode().splitlines()
    assert sorted(set(after) - set(before)) == [
        f'<{RELATION}> <{RDFS.comment}> "one more triple" .'
    ]
    assert set(before) <= set(after)


# --- named graphs -----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["real", "small"])
def test_union_of_the_named_graphs_is_the_graph(
    which: str, real_graph: Graph, small_graph: Graph
) -> None:
    original = _graphs(real_graph, small_graph)[which]
    union = Graph()
    for part in export.split_by_source(original).values():
        for triple in part:
            union.add(triple)
    assert isomorphic(union, original)


def test_each_sourced_subject_is_in_the_graph_of_each_of_its_sources(small_graph: Graph) -> None:
    parts = export.split_by_source(small_graph)
    seed_graph = parts[export.source_graph_iri(SEED)]
    xinhua_graph = parts[export.source_graph_iri(XINHUA)]
    assert str(export.source_graph_iri(SEED)) == ID + "graph/seed-story-2024-02"
    for part in (seed_graph, xinhua_graph):
        assert (RELATION, RDF.type, namespaces.DIP.DiplomaticRelation) in part
    assert (SEED, RDF.type, namespaces.SCHEMA.NewsArticle) in seed_graph
    assert (SEED, RDF.type, namespaces.SCHEMA.NewsArticle) not in xinhua_graph
    seoul = URIRef(ID + "date-assertion/cub-kor-2024-start-seoul")
    assert (seoul, PROV.wasDerivedFrom, SEED) in seed_graph
    assert not list(xinhua_graph.triples((seoul, None, None)))


def test_each_derivation_is_in_the_graph_of_its_own_source_only(small_graph: Graph) -> None:
    parts = export.split_by_source(small_graph)
    quotes = {}
    for source in (SEED, XINHUA):
        part = parts[export.source_graph_iri(source)]
        derivations = list(part.objects(RELATION, PROV.qualifiedDerivation))
        assert len(derivations) == 1, f"{source}: one derivation, its own"
        assert part.value(derivations[0], PROV.entity) == source
        quotes[source] = str(part.value(derivations[0], namespaces.DIP.evidenceQuote))
    assert quotes == {SEED: "on Feb.15", XINHUA: "Feb. 14"}
    xinhua = parts[export.source_graph_iri(XINHUA)]
    assert xinhua.value(predicate=namespaces.DIP.sourceLocator, object=Literal("dateline"))


def test_unsourced_subjects_go_to_the_ontology_or_curation_graph(small_graph: Graph) -> None:
    parts = export.split_by_source(small_graph)
    ontology = parts[export.ONTOLOGY_GRAPH]
    curation = parts[export.CURATION_GRAPH]
    assert (namespaces.DIP.Precision, RDF.type, namespaces.OWL.Class) in ontology
    list_nodes = [s for s in ontology.subjects(RDF.first, None)]
    assert len(list_nodes) == 2, "the owl:oneOf list goes with the class that holds it"
    kor = URIRef(ID + "state/kor")
    assert (kor, RDF.type, namespaces.DIP.State) in curation
    assert not list(ontology.triples((kor, None, None)))


def test_a_shared_blank_node_goes_with_the_subjects_that_point_at_it(small_graph: Graph) -> None:
    parts = export.split_by_source(small_graph)
    seed_graph = parts[export.source_graph_iri(SEED)]
    labels = [o for s, o in seed_graph.subject_objects(RDFS.label) if isinstance(s, BNode)]
    assert labels == [Literal("a blank node pointed at twice", lang="en")]


def test_a_source_outside_the_project_gets_a_hashed_graph_name() -> None:
    name = export.source_graph_iri(URIRef("https://example.org/some/report"))
    assert str(name).startswith(ID + "graph/source-")
    assert name == export.source_graph_iri(URIRef("https://example.org/some/report"))


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_quad_formats_keep_one_named_graph_per_source(fmt: str, small_graph: Graph) -> None:
    dataset = export.parse_export(export.serialize(small_graph, fmt), fmt)
    names = {named.identifier for named in dataset.graphs() if len(named)}
    assert names == set(export.split_by_source(small_graph))
    seed = dataset.graph(export.source_graph_iri(SEED))
    assert (RELATION, RDF.type, namespaces.DIP.DiplomaticRelation) in seed


# --- JSON-LD and its context ------------------------------------------------------------------


def test_jsonld_uses_readable_terms_and_typed_dates(small_graph: Graph) -> None:
    document = json.loads(export.serialize(small_graph, "jsonld"))
    nodes = {node["@id"]: node for node in document["@graph"]}
    relation = nodes[str(RELATION)]
    assert relation["@type"] == "DiplomaticRelation"
    assert relation["startDate"] == "2024-02-14"
    assert document["@context"]["startDate"] == {"@id": "dip:startDate", "@type": "xsd:date"}
    assert relation["startPrecision"] == "DayPrecision"
    assert relation["party"] == [ID + "state/cub", ID + "state/kor"]
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids)


def test_the_exported_jsonld_embeds_the_project_context(small_graph: Graph) -> None:
    document = json.loads(export.serialize(small_graph, "jsonld"))
    assert document["@context"] == export.jsonld_context()


def test_context_prefixes_come_from_the_namespaces_module() -> None:
    context = export.jsonld_context()
    for prefix, namespace in namespaces.PREFIXES.items():
        assert context[prefix] == str(namespace)
    terms = [name for name in context if name not in namespaces.PREFIXES]
    assert "DiplomaticRelation" in terms
    assert "wasDerivedFrom" in terms


def test_every_context_term_names_a_term_declared_in_the_ontology() -> None:
    ontology = graph.parse_turtle_file(graph.paths.ONTOLOGY_FILE)
    declared = set(ontology.subjects(RDF.type, None))
    for name, definition in export.jsonld_context().items():
        if name in namespaces.PREFIXES:
            continue
        compact = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, local = compact.partition(":")
        iri = URIRef(str(namespaces.PREFIXES[prefix]) + local)
        assert iri in declared, f"context term {name} -> {iri} is not declared in the ontology"


def test_committed_context_file_equals_the_generated_one() -> None:
    assert export.CONTEXT_FILE.is_file(), f"{export.CONTEXT_FILE} is missing"
    assert export.CONTEXT_FILE.read_bytes() == export.context_document(), (
        "ontology/context.jsonld is out of date with the ontology or the prefixes; regenerate it: "
        "diplomacy-kg export --format context --output ontology/context.jsonld"
    )


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


OTHER_CONTEXT = "https://example.org/other-context.jsonld"


@pytest.mark.parametrize(
    "document",
    [
        {"@context": OTHER_CONTEXT, "@id": "https://example.org/x", "name": "x"},
        {"@context": [export.CONTEXT_IRI, OTHER_CONTEXT], "@id": "https://example.org/x"},
        {"@context": {"@import": OTHER_CONTEXT}, "@id": "https://example.org/x"},
        {
            "@context": {"p": {"@id": "https://example.org/p", "@context": OTHER_CONTEXT}},
            "@id": "https://example.org/x",
            "p": {"name": "y"},
        },
        {"@graph": [{"@context": OTHER_CONTEXT, "@id": "https://example.org/x"}]},
    ],
    ids=["string", "list", "import", "scoped", "nested"],
)
def test_a_remote_context_is_refused_without_network_access(
    document: dict[str, Any], no_network: None
) -> None:
    with pytest.raises(export.RemoteContextError, match=r"example\.org/other-context\.jsonld"):
        export.parse_jsonld(json.dumps(document))


def test_the_pyld_loader_refuses_other_contexts(no_network: None) -> None:
    document = {"@context": OTHER_CONTEXT, "@id": "https://example.org/x", "name": "x"}
    with pytest.raises(jsonld.JsonLdError) as caught:
        jsonld.expand(document, {"documentLoader": export.local_context_loader()})
    causes: list[BaseException] = []
    error: Any = caught.value
    while error is not None and len(causes) < 20:
        causes.append(error)
        error = getattr(error, "cause", None) or error.__cause__ or error.__context__
    refusals = [c for c in causes if isinstance(c, export.RemoteContextError)]
    assert refusals, f"pyld failed for another reason: {causes}"
    assert OTHER_CONTEXT in str(refusals[0])


def test_a_document_naming_the_project_context_is_read_offline(no_network: None) -> None:
    document = {
        "@context": export.CONTEXT_IRI,
        "@id": str(RELATION),
        "@type": "DiplomaticRelation",
        "startDate": "2024-02-14",
        "startPrecision": "DayPrecision",
    }
    parsed = export.union_graph(export.parse_jsonld(json.dumps(document)))
    expected = Graph()
    expected.add((RELATION, RDF.type, namespaces.DIP.DiplomaticRelation))
    expected.add(
        (RELATION, namespaces.DIP.startDate, Literal("2024-02-14", datatype=namespaces.XSD.date))
    )
    expected.add((RELATION, namespaces.DIP.startPrecision, namespaces.DIP.DayPrecision))
    assert isomorphic(parsed, expected), _differences(expected, parsed)
    expanded = jsonld.expand(document, {"documentLoader": export.local_context_loader()})
    assert expanded[0]["@type"] == [str(namespaces.DIP.DiplomaticRelation)]


def test_bad_json_is_a_clear_error() -> None:
    with pytest.raises(export.ExportError, match=r"in\.jsonld:1:2: not valid JSON"):
        export.parse_jsonld(b"{oops", where="in.jsonld")


def test_unknown_format_is_refused(small_graph: Graph) -> None:
    with pytest.raises(export.ExportError, match="unknown format 'rdfxml'"):
        export.serialize(small_graph, "rdfxml")


# --- the command line -------------------------------------------------------------------------


def _run(*arguments: str) -> int:
    from diplomacy_kg.cli import main

    return main(list(arguments))


def test_cli_exports_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "graph.nt"
    assert _run("export", "--format", "nt", "--output", str(target), "--input", str(FIXTURE)) == 0
    assert target.read_bytes() == export.serialize(graph.parse_turtle_file(FIXTURE), "nt")
    assert f"wrote {target}" in capsys.readouterr().err


def test_cli_exports_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert _run("export", "--format", "jsonld", "--input", str(FIXTURE)) == 0
    printed = capsysbinary.readouterr().out
    assert printed == export.serialize(graph.parse_turtle_file(FIXTURE), "jsonld")


def test_cli_exports_the_project_graph_with_enrichment(
    capsysbinary: pytest.CaptureFixture[bytes], real_graph: Graph
) -> None:
    assert _run("export", "--format", "turtle", "--include-enrichment") == 0
    parsed = Graph().parse(data=capsysbinary.readouterr().out.decode("utf-8"), format="turtle")
    assert len(parsed) >= len(real_graph)


def test_cli_writes_the_context(tmp_path: Path) -> None:
    target = tmp_path / "context.jsonld"
    assert _run("export", "--format", "context", "--output", str(target)) == 0
    assert target.read_bytes() == export.context_document()


def test_cli_unwritable_path_fails_and_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "graph.ttl"
    assert _run("export", "--output", str(target), "--input", str(FIXTURE)) == 2
    assert "diplomacy-kg: error: cannot write" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_cli_interrupted_export_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(_: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    target = tmp_path / "graph.ttl"
    assert _run("export", "--output", str(target), "--input", str(FIXTURE)) == 130
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_jsonld_input_naming_a_remote_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_network: None
) -> None:
    document = tmp_path / "remote.jsonld"
    document.write_text(json.dumps({"@context": OTHER_CONTEXT, "@id": "https://example.org/x"}))
    assert _run("export", "--input", str(document)) == 2
    error = capsys.readouterr().err
    assert f"{document}: refusing to fetch the remote JSON-LD context {OTHER_CONTEXT}" in error


def test_cli_converts_a_jsonld_input_to_turtle(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], small_graph: Graph
) -> None:
    document = tmp_path / "small.jsonld"
    document.write_bytes(export.serialize(small_graph, "jsonld"))
    assert _run("export", "--format", "turtle", "--input", str(document)) == 0
    assert capsysbinary.readouterr().out == export.serialize(small_graph, "turtle")


# --- no context is ever fetched: each form against a loopback server that records hits -------


def _context_forms(url: str, file_url: str) -> dict[str, dict[str, Any]]:
    node = {"@id": "https://example.org/x"}
    return {
        "string": {"@context": url, **node, "name": "x"},
        "list": {"@context": [export.CONTEXT_IRI, url], **node},
        "nested-in-context": {"@context": {"@context": url}, **node},
        "nested-in-list": {"@context": [{"@version": 1.1}, [url]], **node},
        "import": {"@context": {"@version": 1.1, "@import": url}, **node},
        "nested-import": {
            "@context": [
                export.CONTEXT_IRI,
                {"p": {"@id": "https://example.org/p", "@context": {"@import": url}}},
            ],
            **node,
            "p": {"name": "y"},
        },
        "property-scoped": {
            "@context": {"p": {"@id": "https://example.org/p", "@context": url}},
            **node,
            "p": {"name": "y"},
        },
        "type-scoped": {
            "@context": {"T": {"@id": "https://example.org/T", "@context": url}},
            **node,
            "@type": "T",
        },
        "in-a-node": {"@graph": [{"@context": url, **node}]},
        "file": {"@context": file_url, **node},
        "file-import": {"@context": {"@version": 1.1, "@import": file_url}, **node},
    }


_FORMS = list(_context_forms("u", "f"))


@pytest.mark.parametrize("form", _FORMS)
def test_no_context_is_fetched_whatever_its_form(form: str, tmp_path: Path) -> None:
    from servers import FaultServer, Reply

    context_file = tmp_path / "context.jsonld"
    context_file.write_bytes(b'{"@context": {"name": "https://example.org/name"}}')
    served = Reply(200, context_file.read_bytes(), {"Content-Type": "application/ld+json"})
    with FaultServer([], default=served) as server:
        url = server.url.replace("/sparql", "/context.jsonld")
        document = _context_forms(url, context_file.as_uri())[form]
        with pytest.raises(export.ExportError) as caught:
            export.parse_jsonld(json.dumps(document), where="in.jsonld")
        assert server.requests == [], f"{form}: the context was fetched"
    message = str(caught.value)
    assert "\n" not in message
    if form.startswith("nested-in-"):
        # Not a context JSON-LD allows: refused as invalid before anything is fetched.
        assert message.startswith("in.jsonld: cannot read: Invalid JSON-LD syntax"), message
        return
    assert isinstance(caught.value, export.RemoteContextError), message
    assert message.startswith("in.jsonld: refusing to ")
    assert (context_file.as_uri() if form.startswith("file") else url) in message


def test_a_relative_context_under_a_file_base_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "context.jsonld").write_text('{"@context": {"name": "https://example.org/n"}}')
    document = {"@context": "context.jsonld", "@id": "https://example.org/x", "name": "x"}
    with pytest.raises(export.RemoteContextError, match=r"context\.jsonld"):
        export.parse_jsonld(json.dumps(document), base=(tmp_path / "doc.jsonld").as_uri())


def test_cli_refuses_a_context_nested_in_a_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_network: None
) -> None:
    document = tmp_path / "nested.jsonld"
    document.write_text(json.dumps({"@context": {"@context": OTHER_CONTEXT}, "@id": "urn:x"}))
    assert _run("export", "--input", str(document)) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert (
        f"{document}: cannot read: Invalid JSON-LD syntax; keywords cannot be overridden" in error
    )


def test_the_canonical_comparison_tells_graphs_apart(small_graph: Graph) -> None:
    relabelled = Graph()
    fresh: dict[BNode, BNode] = {}
    for triple in small_graph:
        relabelled.add(
            tuple(fresh.setdefault(t, BNode()) if isinstance(t, BNode) else t for t in triple)  # type: ignore[arg-type]
        )
    assert isomorphic(relabelled, small_graph)
    with_a_blank_triple = next(t for t in small_graph if isinstance(t[0], BNode))
    smaller = Graph()
    for triple in small_graph:
        if triple != with_a_blank_triple:
            smaller.add(triple)
    assert not isomorphic(smaller, small_graph)
    smaller.add((BNode(), with_a_blank_triple[1], with_a_blank_triple[2]))  # same size, other node
    assert not isomorphic(smaller, small_graph)
