"""The Oxigraph fast path (N-Triples, N-Quads, Turtle) writes today's bytes, or steps aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.world import ensure_world
from rdflib import Graph

from diplomacy_kg import export, graph, paths
from diplomacy_kg.export.fast import FAST_FORMATS, fast_serialize_files

FIXTURE = Path(__file__).parent / "fixtures" / "export" / "small-with-blank-nodes.ttl"


def _both(files: list[Path], fmt: str) -> tuple[bytes | None, bytes]:
    return fast_serialize_files(files, fmt), export.serialize(graph.load_graph(files), fmt)


@pytest.mark.parametrize("fmt", FAST_FORMATS)
def test_the_curated_graph_gives_the_same_bytes(fmt: str) -> None:
    fast, today = _both(graph.default_files(), fmt)
    assert fast is not None, "the fast path stepped aside on the curated graph"
    assert fast == today


@pytest.mark.parametrize("fmt", FAST_FORMATS)
def test_blank_nodes_get_todays_canonical_labels(fmt: str) -> None:
    fast, today = _both([paths.ONTOLOGY_FILE, FIXTURE], fmt)
    assert fast is not None and b"_:" in fast
    assert fast == today


@pytest.fixture(scope="module")
def world_100k() -> Path:
    return ensure_world(100_000)


@pytest.fixture(scope="module")
def world_100k_graph(world_100k: Path) -> Graph:
    return graph.load_graph([paths.ONTOLOGY_FILE, world_100k])  # parsed once: serialize reads it


@pytest.mark.parametrize("fmt", FAST_FORMATS)
def test_the_100k_world_gives_the_same_bytes(
    fmt: str, world_100k: Path, world_100k_graph: Graph
) -> None:
    fast = fast_serialize_files([paths.ONTOLOGY_FILE, world_100k], fmt)
    assert fast is not None, "the fast path stepped aside on the 100k world"
    assert fast == export.serialize(world_100k_graph, fmt)


@pytest.mark.parametrize(
    "turtle",
    [
        '<urn:a> <urn:p> "tab\\there, a \\\\t that is not one, and a quote \\"" .',
        '<urn:a> <urn:p> "bell\\u0007 and delete\\u007F" .',
        '<urn:a> <urn:p> "Cuba\u2013South Korea"@en .',
    ],
    ids=["tab", "control", "unicode"],
)
def test_literals_the_writers_escape_differently_give_the_same_bytes(
    turtle: str, tmp_path: Path
) -> None:
    source = tmp_path / "odd.ttl"
    source.write_text(turtle + "\n", encoding="utf-8")
    today = export.serialize(graph.load_graph([source]), "nt")
    assert fast_serialize_files([source], "nt") == today


@pytest.mark.parametrize(
    "turtle",
    [
        '<urn:a> <urn:p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .',
        '<urn:a> <urn:p> "form\\ffeed" .',
        '<urn:a> <urn:p> "line\u2028separator" .',
    ],
    ids=["non-canonical-integer", "form-feed", "line-separator"],
)
def test_where_the_writers_may_differ_the_rdflib_path_is_taken(turtle: str, tmp_path: Path) -> None:
    source = tmp_path / "odd.ttl"
    source.write_text(turtle + "\n", encoding="utf-8")
    assert fast_serialize_files([source], "nt") is None
    assert export.serialize_files([source], "nt") == export.serialize(
        graph.load_graph([source]), "nt"
    )


def test_other_formats_and_unparsable_files_take_the_rdflib_path(tmp_path: Path) -> None:
    # Turtle and JSON-LD have a fast path now; TriG does not.
    assert fast_serialize_files(graph.default_files(), "trig") is None
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:p> \n", encoding="utf-8")
    assert fast_serialize_files([broken], "nt") is None
    with pytest.raises(graph.RdfParseError):
        export.serialize_files([broken], "nt")


@pytest.mark.parametrize("fmt", FAST_FORMATS)
@pytest.mark.parametrize(
    "turtle",
    [
        "<urn:a> <urn:p> <<( <urn:a> <urn:b> <urn:c> )>> .",
        "<< <urn:a> <urn:b> <urn:c> >> <urn:p> 1 .",
    ],
    ids=["triple-term", "reified-triple"],
)
def test_rdf_1_2_triple_terms_take_the_rdflib_path_and_its_error(
    turtle: str, fmt: str, tmp_path: Path
) -> None:
    # Oxigraph reads them; rdflib does not: the export is the rdflib path's parse error.
    source = tmp_path / "star.ttl"
    source.write_text(turtle + "\n", encoding="utf-8")
    assert fast_serialize_files([source], fmt) is None
    with pytest.raises(graph.RdfParseError):
        export.serialize_files([source], fmt)


TRICKY_TURTLE = """\
@prefix dip: <https://w3id.org/diplomacy-kg/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/diplomacy-kg/id/x/a%20b(c)> a rdfs:Class ;
    rdfs:label "Zeta"@en, "Alpha"@en, "alpha"@de ;
    dip:count 3, 12, 7 ;
    dip:share "0.50"^^xsd:decimal, "1500.0"^^xsd:double, "2.5"^^xsd:double ;
    dip:flag true ;
    dip:when "2024-02"^^xsd:gYearMonth ;
    dip:note \"\"\"two
lines with a "quote" and a \\\\ backslash\"\"\" ;
    dip:members ( dip:A [ dip:x 1 ] dip:B ) , () ;
    dip:nested [ dip:inner [ dip:leaf "x" ] ; dip:other dip:A ] .
[] dip:free "a blank subject nobody points at" .
_:shared dip:p 1 .
dip:A dip:q _:shared .
dip:B dip:q _:shared , <urn:x:ends.> .
"""


def test_turtle_lists_nesting_numbers_and_odd_names_give_the_same_bytes(tmp_path: Path) -> None:
    source = tmp_path / "tricky.ttl"
    source.write_text(TRICKY_TURTLE, encoding="utf-8")
    fast, today = _both([source], "turtle")
    assert fast is not None, "the Turtle fast path stepped aside"
    assert b"( " in fast and b"[ " in fast and b"[]" in fast
    assert fast == today


PLACEMENT_TURTLE = """\
@prefix dip: <https://w3id.org/diplomacy-kg/ontology/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix src: <https://w3id.org/diplomacy-kg/id/source/> .
<urn:x:Kind> a owl:Class .
<urn:x:fact> prov:wasDerivedFrom src:one, src:two, <urn:elsewhere:three> ;
    prov:qualifiedDerivation <urn:x:derivation>, [ prov:entity src:two ; dip:quote "q" ] ;
    dip:shared _:shared .
<urn:x:derivation> prov:entity src:one ; dip:quote "a derivation with an IRI" .
<urn:x:other> prov:wasDerivedFrom src:two ; dip:shared _:shared ;
    dip:deep [ dip:deeper [ dip:x 1 ] ] .
_:shared dip:p "held by two subjects" .
src:one dip:name "a source described in its own graph" .
_:loop dip:next _:loop2 . _:loop2 dip:next _:loop .
dip:term dip:p <urn:x:Kind> .
<urn:x:plain> dip:p "curation" .
"""


def test_nquads_place_each_kind_of_subject_as_the_rdflib_path(tmp_path: Path) -> None:
    # An IRI derivation, a shared and a nested blank node, a blank cycle, a source described
    # in its own graph, a source outside the project, a class outside `dip:`.
    source = tmp_path / "placement.ttl"
    source.write_text(PLACEMENT_TURTLE, encoding="utf-8")
    fast, today = _both([source], "nquads")
    assert fast is not None, "the N-Quads fast path stepped aside"
    assert b"/id/graph/ontology>" in fast and b"/id/graph/source-" in fast
    assert fast == today


def test_a_predicate_rdflib_would_invent_a_prefix_for_takes_the_rdflib_path(
    tmp_path: Path,
) -> None:
    source = tmp_path / "unbound.ttl"
    source.write_text("<urn:a> <http://example.org/vocab#p> <urn:b> .\n", encoding="utf-8")
    assert fast_serialize_files([source], "turtle") is None
    assert export.serialize_files([source], "turtle") == export.serialize(
        graph.load_graph([source]), "turtle"
    )


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"b": [], "a": {}, "c": 'quote " newline \n e\u0301 \u2028 nul \x00'},
        {"@graph": [{"@id": "x", "k": ["a", {"@value": "b"}]}], "n": [1, 2.5, True, None]},
        [[[]], ["x"]],
    ],
    ids=["empty-object", "empty-list", "strings", "nesting-and-scalars", "lists"],
)
def test_the_json_writer_writes_what_json_dumps_writes(value: object) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert export.dump_json(value) == expected.encode("utf-8")
