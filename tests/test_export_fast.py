"""The Oxigraph fast path of N-Triples and N-Quads writes today's bytes exactly, or steps aside."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.world import ensure_world

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


@pytest.mark.parametrize("fmt", FAST_FORMATS)
def test_the_100k_world_gives_the_same_bytes(fmt: str, world_100k: Path) -> None:
    fast, today = _both([paths.ONTOLOGY_FILE, world_100k], fmt)
    assert fast is not None, "the fast path stepped aside on the 100k world"
    assert fast == today


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
    assert fast_serialize_files(graph.default_files(), "turtle") is None
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:p> \n", encoding="utf-8")
    assert fast_serialize_files([broken], "nt") is None
    with pytest.raises(graph.RdfParseError):
        export.serialize_files([broken], "nt")
