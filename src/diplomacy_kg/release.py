"""A versioned release: every export format, ontology, shapes, VoID/DCAT, checksums and a diff.

`build_release()` writes `build/release/<version>/` (version from the package metadata):
- `diplomacy-kg.{ttl,nt,nq,trig,jsonld}`: the graph in every export format (see `export`);
- `ontology.ttl` (the ontology file as written), `shapes.ttl` (all shapes), `context.jsonld`;
- `void.ttl`: a VoID and DCAT description: version, licence (the ontology's), sources, triple
  counts per class (`void:classPartition`) and per source (`void:subset`, one per named graph);
- `CHANGES.md` and `diff.json`: triples added and removed since the previous release, per class;
- `SHA256SUMS`: the SHA-256 of every other file, in `sha256sum --check` form.
The release carries no timestamp, so building the same data twice gives identical files.
It is built in a temporary folder beside the target and renamed into place, so a failed build
leaves no partial release.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, VOID, XSD
from rdflib.term import Node

from diplomacy_kg import __version__, export, graph, paths
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.files import (
    OutputError,
    atomic_write_bytes,
    replace_directory,
    staging_directory,
)
from diplomacy_kg.namespaces import BASE, DIP, ID, new_graph

GRAPH_STEM = "diplomacy-kg"
NTRIPLES_FILE = f"{GRAPH_STEM}.nt"
CHECKSUMS_FILE = "SHA256SUMS"
NO_CLASS = "(no class)"
_VERSION = re.compile(r"^\d+(?:\.\d+)*(?:[-.+]?[0-9A-Za-z.]+)?$")
_LISTED_IN_CHANGES = 200


class ReleaseError(DiplomacyKgError):
    """A release could not be built; nothing was left half-written."""


@dataclass(frozen=True)
class GraphDiff:
    """Triples added and removed between two graphs, as sorted N-Triples lines and per class."""

    added: list[str]
    removed: list[str]
    per_class: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self, previous: str | None, current: str) -> dict[str, object]:
        """Return the diff as the JSON object written to `diff.json`."""
        return {
            "previous": previous,
            "current": current,
            "added_count": len(self.added),
            "removed_count": len(self.removed),
            "per_class": self.per_class,
            "added": self.added,
            "removed": self.removed,
        }


@dataclass(frozen=True)
class Release:
    """What a release build wrote."""

    folder: Path
    version: str
    previous: Path | None
    files: list[str]
    diff: GraphDiff


# --- diff -------------------------------------------------------------------------------------


def _class_key(graph_: Graph, subject: Node) -> str:
    classes = sorted(_compact(c) for c in graph_.objects(subject, RDF.type))
    return ", ".join(classes) if classes else NO_CLASS


def _compact(node: Node) -> str:
    compact = export.compact_iri(str(node))
    return compact if compact != str(node) else f"<{node}>"


def _ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    part = Graph(bind_namespaces="none")
    for triple in triples:
        part.add(triple)
    text = export.serialize_ntriples(part).decode("utf-8")
    return text.splitlines()


def diff_graphs(old: Graph, new: Graph) -> GraphDiff:
    """Compare two graphs: added and removed triples (blank nodes compared canonically).

    Each triple is counted under the class of its subject (its `rdf:type`s joined, in the graph
    it comes from: the new one for added triples, the old one for removed), or `(no class)`.
    """
    old_canonical = export.canonical_triples(old)
    new_canonical = export.canonical_triples(new)
    old_set = set(old_canonical)
    new_set = set(new_canonical)
    added = new_set - old_set
    removed = old_set - new_set
    counts: dict[str, Counter[str]] = {}
    for triples, source_graph, kind in (
        (added, new_canonical, "added"),
        (removed, old_canonical, "removed"),
    ):
        for subject, _, _ in triples:
            key = _class_key(source_graph, subject)
            counts.setdefault(key, Counter())[kind] += 1
    per_class = {
        key: {"added": counter["added"], "removed": counter["removed"]}
        for key, counter in sorted(counts.items())
    }
    return GraphDiff(_ntriples(added), _ntriples(removed), per_class)


def changes_markdown(diff: GraphDiff, previous: str | None, current: str) -> str:
    """Write the human summary of a diff (`CHANGES.md`)."""
    against = f"release {previous}" if previous else "an empty graph (no previous release)"
    lines = [
        f"# Changes in diplomacy-kg {current}",
        "",
        f"Compared with {against}: triples added {len(diff.added)}, removed {len(diff.removed)}.",
        "",
    ]
    if diff.per_class:
        lines += ["| class of the subject | added | removed |", "| --- | ---: | ---: |"]
        for key, count in diff.per_class.items():
            lines.append(f"| {key} | {count['added']} | {count['removed']} |")
        lines.append("")
    for title, triples in (("Added", diff.added), ("Removed", diff.removed)):
        if not triples:
            continue
        lines.append(f"## {title}")
        lines.append("")
        if len(triples) > _LISTED_IN_CHANGES:
            lines += [f"{len(triples)} triples: see `diff.json`.", ""]
            continue
        lines += ["```", *triples, "```", ""]
    return "\n".join(lines)


# --- previous release -------------------------------------------------------------------------


def _version_key(name: str) -> tuple[tuple[int, str], ...]:
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"[.\-+]", name)
    )


def previous_release(release_root: Path, version: str) -> Path | None:
    """Return the newest release folder older than `version` under `release_root`, if any."""
    if not release_root.is_dir():
        return None
    current = _version_key(version)
    older = [
        folder
        for folder in release_root.iterdir()
        if folder.is_dir()
        and _VERSION.match(folder.name)
        and (folder / NTRIPLES_FILE).is_file()
        and _version_key(folder.name) < current
    ]
    return max(older, key=lambda folder: _version_key(folder.name)) if older else None


def read_release_graph(folder: Path) -> Graph:
    """Read the graph of a release folder (its N-Triples file)."""
    path = folder / NTRIPLES_FILE
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReleaseError(f"{path}: cannot read the previous release: {error.strerror}") from error
    try:
        return export.union_graph(export.parse_export(data, "nt", where=str(path)))
    except export.ExportError as error:
        raise ReleaseError(str(error)) from error


# --- VoID / DCAT ------------------------------------------------------------------------------


def release_iri(version: str, name: str = "") -> URIRef:
    """Return the IRI of a release (`releases/<version>/`) or of one of its files."""
    return URIRef(f"{BASE}releases/{version}/{name}")


def _partition_slug(class_iri: Node) -> str:
    compact = export.compact_iri(str(class_iri))
    if compact != str(class_iri) and re.fullmatch(r"[A-Za-z0-9_]+:[A-Za-z0-9_]+", compact):
        return compact.replace(":", "-")
    return hashlib.sha256(str(class_iri).encode("utf-8")).hexdigest()[:16]


def void_description(
    knowledge: Graph, version: str, files: dict[str, bytes], ontology: Graph
) -> Graph:
    """Describe a release in VoID and DCAT: counts per class and per source, distributions."""
    void = new_graph()
    dataset = release_iri(version, "dataset")
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add((dataset, RDF.type, DCAT.Dataset))
    void.add((dataset, DCTERMS.title, Literal(f"diplomacy-kg {version}", lang="en")))
    void.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "A knowledge graph of diplomatic relations between states: dated relations, "
                "the events that make and break them, and the sources of every fact.",
                lang="en",
            ),
        )
    )
    void.add((dataset, URIRef(f"{DCAT}version"), Literal(version)))  # DCAT 3 term
    void.add((dataset, OWL.versionInfo, Literal(version)))
    for licence in set(ontology.objects(None, DCTERMS.license)):
        void.add((dataset, DCTERMS.license, licence))
    void.add((dataset, VOID.vocabulary, URIRef(str(DIP))))
    void.add((dataset, VOID.uriSpace, Literal(str(ID))))
    for source in set(knowledge.objects(None, PROV.wasDerivedFrom)):
        void.add((dataset, DCTERMS.source, source))
    _add_count(void, dataset, VOID.triples, len(knowledge))
    _add_count(void, dataset, VOID.distinctSubjects, len(set(knowledge.subjects())))
    _add_count(void, dataset, VOID.properties, len(set(knowledge.predicates())))
    _add_count(void, dataset, VOID.distinctObjects, len(set(knowledge.objects())))
    typed = set(knowledge.subjects(RDF.type, None))
    _add_count(void, dataset, VOID.entities, len(typed))
    classes = Counter(knowledge.objects(None, RDF.type))
    _add_count(void, dataset, VOID.classes, len(classes))
    triples_per_subject = Counter(subject for subject, _, _ in knowledge)
    for class_iri, entities in classes.items():
        partition = release_iri(version, f"dataset/class/{_partition_slug(class_iri)}")
        void.add((dataset, VOID.classPartition, partition))
        void.add((partition, VOID["class"], class_iri))
        _add_count(void, partition, VOID.entities, entities)
        members = knowledge.subjects(RDF.type, class_iri)
        _add_count(void, partition, VOID.triples, sum(triples_per_subject[m] for m in members))
    sources = set(knowledge.objects(None, PROV.wasDerivedFrom))
    source_of_graph = {export.source_graph_iri(source): source for source in sources}
    for name, part in export.split_by_source(knowledge).items():
        void.add((dataset, VOID.subset, name))
        void.add((name, RDF.type, VOID.Dataset))
        _add_count(void, name, VOID.triples, len(part))
        if name in source_of_graph:
            void.add((name, DCTERMS.source, source_of_graph[name]))
    for file_name, content in sorted(files.items()):
        distribution = release_iri(version, file_name)
        void.add((dataset, DCAT.distribution, distribution))
        void.add((distribution, RDF.type, DCAT.Distribution))
        void.add((distribution, DCAT.downloadURL, distribution))
        void.add((distribution, DCTERMS.title, Literal(file_name)))
        void.add((distribution, DCAT.byteSize, Literal(len(content), datatype=XSD.integer)))
        media_type = _media_type(file_name)
        if media_type:
            void.add((distribution, DCTERMS["format"], Literal(media_type)))
        if file_name.startswith(GRAPH_STEM):
            void.add((dataset, VOID.dataDump, distribution))
    return void


def _add_count(void: Graph, subject: URIRef, predicate: URIRef, count: int) -> None:
    void.add((subject, predicate, Literal(count, datatype=XSD.integer)))


def _media_type(file_name: str) -> str | None:
    suffix = file_name.rsplit(".", 1)[-1]
    for fmt, extension in export.EXTENSIONS.items():
        if suffix == extension:
            return export.MEDIA_TYPES[fmt]
    return {"md": "text/markdown", "json": "application/json"}.get(suffix)


# --- the release ------------------------------------------------------------------------------


def checksums(files: dict[str, bytes]) -> bytes:
    """Return `SHA256SUMS` text for the given files, sorted by name."""
    lines = [
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    ]
    return "".join(lines).encode("utf-8")


def release_files(
    knowledge: Graph, version: str, previous: Path | None
) -> tuple[dict[str, bytes], GraphDiff]:
    """Produce every file of a release in memory, with the diff against `previous`."""
    ontology = graph.parse_turtle_file(paths.ONTOLOGY_FILE)
    files: dict[str, bytes] = {}
    for fmt in export.FORMATS:
        files[f"{GRAPH_STEM}.{export.EXTENSIONS[fmt]}"] = export.serialize(knowledge, fmt)
    files["ontology.ttl"] = paths.ONTOLOGY_FILE.read_bytes()
    files["shapes.ttl"] = export.serialize_turtle(graph.load_shapes())
    files["context.jsonld"] = export.context_document(ontology)
    old = read_release_graph(previous) if previous is not None else Graph()
    diff = diff_graphs(old, knowledge)
    previous_version = previous.name if previous is not None else None
    files["diff.json"] = export.dump_json(diff.to_json(previous_version, version))
    files["CHANGES.md"] = changes_markdown(diff, previous_version, version).encode("utf-8")
    files["void.ttl"] = export.serialize_turtle(
        void_description(knowledge, version, dict(files), ontology)
    )
    files[CHECKSUMS_FILE] = checksums(files)
    return files, diff


def build_release(
    knowledge: Graph | None = None,
    *,
    version: str | None = None,
    release_root: Path | None = None,
    previous: Path | None = None,
    force: bool = False,
    include_enrichment: bool = False,
) -> Release:
    """Write `<release_root>/<version>/` whole, or nothing; refuse to overwrite unless forced."""
    version = version or __version__
    if not _VERSION.match(version):
        raise ReleaseError(f"{version!r} is not a version number")
    root = release_root if release_root is not None else paths.release_dir()
    target = root / version
    if target.exists() and not force:
        raise ReleaseError(f"{target} exists already; pass force=True to replace it")
    if previous is None:
        previous = previous_release(root, version)
    elif not (previous / NTRIPLES_FILE).is_file():
        raise ReleaseError(f"{previous}: not a release folder (no {NTRIPLES_FILE})")
    if knowledge is None:
        knowledge = graph.load_graph(include_enrichment=include_enrichment)
    files, diff = release_files(knowledge, version, previous)
    _write_folder(target, files)
    return Release(target, version, previous, sorted(files), diff)


def _write_folder(target: Path, files: dict[str, bytes]) -> None:
    # Built whole beside the target, then swapped in: a kill leaves the old folder or the new.
    staging = staging_directory(target)
    try:
        for name, content in files.items():
            atomic_write_bytes(staging / name, content)
            (staging / name).chmod(0o644)  # published files: readable by all
        staging.chmod(0o755)
        replace_directory(target, staging)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
        raise


def summary_json(release: Release) -> str:
    """Return a short JSON summary of a release build (for scripts)."""
    return json.dumps(
        {
            "folder": str(release.folder),
            "version": release.version,
            "previous": release.previous.name if release.previous else None,
            "files": release.files,
            "added": len(release.diff.added),
            "removed": len(release.diff.removed),
        },
        indent=2,
        sort_keys=True,
    )
