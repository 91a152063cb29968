"""Releases: every file, checksums, VoID counts, an exact diff, atomic folders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, VOID
from rdflib.term import Node

from diplomacy_kg import __version__, export, graph, namespaces, release
from diplomacy_kg.files import OutputError
from isomorphism import isomorphic

ID = str(namespaces.ID)
EXPECTED_FILES = {
    "CHANGES.md",
    "SHA256SUMS",
    "context.jsonld",
    "diff.json",
    "diplomacy-kg.jsonld",
    "diplomacy-kg.nq",
    "diplomacy-kg.nt",
    "diplomacy-kg.trig",
    "diplomacy-kg.ttl",
    "ontology.ttl",
    "shapes.ttl",
    "void.ttl",
}


@pytest.fixture(scope="module")
def knowledge(curated_graph: Graph) -> Graph:
    assert len(curated_graph) > 1000
    return curated_graph


@pytest.fixture(scope="module")
def first_release(knowledge: Graph, tmp_path_factory: pytest.TempPathFactory) -> release.Release:
    root = tmp_path_factory.mktemp("releases")
    return release.build_release(knowledge, version="0.0.1", release_root=root)


Triples = set[tuple[Node, Node, Node]]


def _changed_copy(knowledge: Graph) -> tuple[Graph, Triples, Triples]:
    changed = Graph()
    for triple in knowledge:
        changed.add(triple)
    relations = sorted(knowledge.subjects(RDF.type, namespaces.DIP.DiplomaticRelation))
    assert len(relations) >= 2
    removed: Triples = {
        (relations[0], RDFS.label, label) for label in knowledge.objects(relations[0], RDFS.label)
    }
    assert removed, "the first relation should have a label to remove"
    new_relation = URIRef(ID + "relation/test-added")
    added: Triples = {
        (new_relation, RDF.type, namespaces.DIP.DiplomaticRelation),
        (new_relation, RDFS.label, Literal("An added test relation", lang="en")),
        (relations[1], RDFS.comment, Literal("a changed triple")),
    }
    for triple in removed:
        changed.remove(triple)
    for triple in added:
        changed.add(triple)
    return changed, added, removed


def _as_lines(triples: Triples) -> list[str]:
    part = Graph()
    for triple in triples:
        part.add(triple)
    return export.serialize(part, "nt").decode("utf-8").splitlines()


def test_a_release_holds_every_file(first_release: release.Release) -> None:
    folder = first_release.folder
    assert folder.name == "0.0.1"
    assert {path.name for path in folder.iterdir()} == EXPECTED_FILES
    assert set(first_release.files) == EXPECTED_FILES


def test_release_checksums_match_the_files(first_release: release.Release) -> None:
    folder = first_release.folder
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(EXPECTED_FILES) - 1
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_every_release_format_holds_the_graph(
    fmt: str, first_release: release.Release, knowledge: Graph
) -> None:
    path = first_release.folder / f"diplomacy-kg.{export.EXTENSIONS[fmt]}"
    parsed = export.union_graph(export.parse_export(path.read_bytes(), fmt))
    assert isomorphic(parsed, knowledge)


def test_void_counts_triples_per_class_and_per_source(
    first_release: release.Release, knowledge: Graph
) -> None:
    void = graph.parse_turtle_file(first_release.folder / "void.ttl")
    dataset = release.release_iri("0.0.1", "dataset")
    assert void.value(dataset, VOID.triples) == Literal(len(knowledge))
    relation_partition = next(
        p
        for p in void.objects(dataset, VOID.classPartition)
        if void.value(p, VOID["class"]) == namespaces.DIP.DiplomaticRelation
    )
    relations = set(knowledge.subjects(RDF.type, namespaces.DIP.DiplomaticRelation))
    about_relations = sum(1 for s, _, _ in knowledge if s in relations)
    assert void.value(relation_partition, VOID.entities) == Literal(len(relations))
    assert void.value(relation_partition, VOID.triples) == Literal(about_relations)
    parts = export.split_by_source(knowledge)
    subsets = set(void.objects(dataset, VOID.subset))
    assert subsets == set(parts)
    for name, part in parts.items():
        assert void.value(name, VOID.triples) == Literal(len(part)), name
    seed = URIRef(ID + "source/seed-story-2024-02")
    assert (dataset, namespaces.DCTERMS.source, seed) in void
    assert void.value(dataset, namespaces.OWL.versionInfo) == Literal("0.0.1")
    assert void.value(dataset, namespaces.DCTERMS.license) is not None


def test_a_first_release_diffs_against_an_empty_graph(
    first_release: release.Release, knowledge: Graph
) -> None:
    diff = json.loads((first_release.folder / "diff.json").read_text(encoding="utf-8"))
    assert diff["previous"] is None
    assert diff["added_count"] == len(knowledge)
    assert diff["removed"] == []
    assert "no previous release" in (first_release.folder / "CHANGES.md").read_text()


def test_the_diff_against_a_changed_copy_lists_exactly_the_changed_triples(
    first_release: release.Release, knowledge: Graph
) -> None:
    changed, added, removed = _changed_copy(knowledge)
    second = release.build_release(
        changed, version="0.0.2", release_root=first_release.folder.parent
    )
    assert second.previous == first_release.folder, "the newest older release is the previous"
    diff = json.loads((second.folder / "diff.json").read_text(encoding="utf-8"))
    assert diff["previous"] == "0.0.1"
    assert diff["added"] == _as_lines(added)
    assert diff["removed"] == _as_lines(removed)
    assert diff["per_class"]["dip:DiplomaticRelation"] == {
        "added": len(added),
        "removed": len(removed),
    }
    changes = (second.folder / "CHANGES.md").read_text(encoding="utf-8")
    assert "| dip:DiplomaticRelation | 3 | " in changes
    for line in _as_lines(added) + _as_lines(removed):
        assert line in changes


def test_the_same_data_gives_identical_release_files(
    first_release: release.Release, knowledge: Graph, tmp_path: Path
) -> None:
    again = release.build_release(knowledge, version="0.0.1", release_root=tmp_path)
    for name in EXPECTED_FILES:
        assert (again.folder / name).read_bytes() == (first_release.folder / name).read_bytes(), (
            name
        )


def test_a_release_is_not_overwritten_unless_forced(knowledge: Graph, tmp_path: Path) -> None:
    small = Graph()
    for triple in list(knowledge)[:50]:
        small.add(triple)
    built = release.build_release(small, version="1.0.0", release_root=tmp_path)
    with pytest.raises(release.ReleaseError, match="exists already"):
        release.build_release(small, version="1.0.0", release_root=tmp_path)
    small.add((URIRef(ID + "state/kor"), RDFS.comment, Literal("forced")))
    release.build_release(small, version="1.0.0", release_root=tmp_path, force=True)
    assert b"forced" in (built.folder / "diplomacy-kg.nt").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.0.0"], "no staging folder left"


def test_a_failed_write_leaves_no_release(
    knowledge: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []

    def failing_write(path: Path, content: bytes) -> None:
        if len(written) == 3:
            raise OutputError(f"cannot write {path}: disk full")
        written.append(path)
        path.write_bytes(content)

    monkeypatch.setattr(release, "atomic_write_bytes", failing_write)
    with pytest.raises(OutputError, match="disk full"):
        release.build_release(knowledge, version="2.0.0", release_root=tmp_path)
    assert len(written) == 3
    assert list(tmp_path.iterdir()) == [], "nothing of the failed release is left"


def test_the_previous_release_is_the_newest_older_one(tmp_path: Path) -> None:
    for name in ("0.1.0", "0.9.0", "0.10.0", "1.2.0", "notes"):
        (tmp_path / name).mkdir()
        (tmp_path / name / release.NTRIPLES_FILE).write_text("")
    (tmp_path / "0.11.0").mkdir()  # no graph file: not a release
    assert release.previous_release(tmp_path, "1.0.0") == tmp_path / "0.10.0"
    assert release.previous_release(tmp_path, "0.1.0") is None
    assert release.previous_release(tmp_path / "missing", "1.0.0") is None


def test_an_explicit_previous_folder_must_be_a_release(knowledge: Graph, tmp_path: Path) -> None:
    with pytest.raises(release.ReleaseError, match="not a release folder"):
        release.build_release(
            knowledge, version="3.0.0", release_root=tmp_path, previous=tmp_path / "nothing"
        )


def test_the_default_version_is_the_package_version(knowledge: Graph, tmp_path: Path) -> None:
    small = Graph()
    for triple in list(knowledge)[:20]:
        small.add(triple)
    built = release.build_release(small, release_root=tmp_path)
    assert built.folder == tmp_path / __version__
    void = graph.parse_turtle_file(built.folder / "void.ttl")
    assert (None, namespaces.OWL.versionInfo, Literal(__version__)) in void


def test_cli_release_reports_the_diff(
    knowledge: Graph, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from diplomacy_kg.cli import main

    assert main(["release", "--output-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / __version__} ({len(EXPECTED_FILES)} files)" in out
    assert f"diff against no previous release: {len(knowledge)} added, 0 removed (triples)" in out
    assert main(["release", "--output-dir", str(tmp_path)]) == 2
    assert "exists already" in capsys.readouterr().err
