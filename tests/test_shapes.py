"""The SHACL shapes: every class has one, every rule has a failing fixture, every path is declared.

Fixtures live in tests/fixtures/shapes/<Class>/: `valid.ttl` must give no result at all;
`invalid-<property>[-<case>].ttl` must give results only from `dipsh:<Class>Shape-<property>`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from diplomacy_kg import paths
from diplomacy_kg.graph import load_shapes, parse_turtle_file
from diplomacy_kg.namespaces import DIP, DIPSH, turtle_prefix_block
from diplomacy_kg.validation import validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
VALID = sorted(FIXTURES.glob("*/valid.ttl"))
INVALID = sorted(FIXTURES.glob("*/invalid-*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def ontology(ontology_graph: Graph) -> Graph:
    return ontology_graph


def _fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _expected_shape(path: Path) -> URIRef:
    case = path.stem.removeprefix("invalid-")
    return DIPSH[f"{path.parent.name}Shape-{case.split('-')[0]}"]


def _named_property_shapes(shapes: Graph) -> set[URIRef]:
    return {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}


def _ontology_classes(ontology: Graph) -> set[URIRef]:
    """The ontology's own classes and the reused ones it declares (prov:Derivation)."""
    return {
        c
        for c in ontology.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef)
        and (str(c).startswith(str(DIP)) or (c, RDFS.isDefinedBy, None) in ontology)
    }


def _local_name(cls: URIRef) -> str:
    return str(cls).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _path_iris(shapes: Graph, path: Node) -> list[Node]:
    """Every property IRI in a SHACL path, however nested."""
    if isinstance(path, URIRef):
        return [path]
    if isinstance(path, BNode):
        if (path, RDF.first, None) in shapes:
            return [iri for item in Collection(shapes, path) for iri in _path_iris(shapes, item)]
        iris: list[Node] = []
        for key in (
            SH.alternativePath,
            SH.inversePath,
            SH.zeroOrMorePath,
            SH.oneOrMorePath,
            SH.zeroOrOnePath,
        ):
            for inner in shapes.objects(path, key):
                iris += _path_iris(shapes, inner)
        return iris
    return []


def test_fixtures_are_found() -> None:
    assert VALID, f"no valid.ttl fixtures under {FIXTURES}"
    assert INVALID, f"no invalid-*.ttl fixtures under {FIXTURES}"


@pytest.mark.parametrize("path", VALID, ids=_fixture_id)
def test_valid_fixture_gives_no_result(path: Path, shapes: Graph) -> None:
    report = validate(parse_turtle_file(path), shapes)
    assert report.results == [], f"{path} should conform:\n" + "\n".join(
        f"{r.source_shape}: {r.focus} {r.path} = {r.value}: {r.message}" for r in report.results
    )


@pytest.mark.parametrize("path", INVALID, ids=_fixture_id)
def test_invalid_fixture_fails_only_its_shape(path: Path, shapes: Graph) -> None:
    expected = _expected_shape(path)
    assert expected in _named_property_shapes(shapes), (
        f"{path.name} names {expected}, which is no named property shape; rename the fixture"
    )
    report = validate(parse_turtle_file(path), shapes)
    found = {r.source_shape for r in report.results}
    curie = expected.replace(str(DIPSH), "dipsh:")
    assert found == {curie}, (
        f"{path} should fail {curie} and nothing else; got {sorted(found) or 'no result'}"
    )


def test_every_ontology_class_has_a_node_shape_in_its_file(shapes: Graph, ontology: Graph) -> None:
    classes = _ontology_classes(ontology)
    assert classes, "no dip: classes found in the ontology"
    missing = []
    for cls in sorted(classes):
        name = _local_name(cls)
        shape = DIPSH[f"{name}Shape"]
        shape_file = paths.SHAPES_DIR / f"{name}.ttl"
        in_file = shape_file.is_file() and (
            (shape, SH.targetClass, cls) in parse_turtle_file(shape_file)
        )
        if (shape, RDF.type, SH.NodeShape) not in shapes or not in_file:
            missing.append(f"{shape_file.name}: dipsh:{name}Shape sh:targetClass <{cls}>")
    assert not missing, "add a node shape per class:\n" + "\n".join(missing)


def test_every_shape_file_is_named_after_an_ontology_class(ontology: Graph) -> None:
    names = {_local_name(c) for c in _ontology_classes(ontology)}
    files = paths.shape_files()
    assert files, f"no shape files under {paths.SHAPES_DIR}"
    strays = [f.name for f in files if f.stem not in names]
    assert not strays, f"shape files must be named <Class>.ttl after an ontology class: {strays}"


def test_every_node_shape_has_a_valid_fixture(shapes: Graph) -> None:
    node_shapes = sorted(
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)
    )
    assert node_shapes, "no node shapes found"
    class_names = [str(s).removeprefix(str(DIPSH)).removesuffix("Shape") for s in node_shapes]
    missing = [name for name in class_names if not (FIXTURES / name / "valid.ttl").is_file()]
    assert not missing, f"write tests/fixtures/shapes/<Class>/valid.ttl for: {missing}"


def test_every_named_property_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    property_shapes = _named_property_shapes(shapes)
    assert property_shapes, "no named property shapes found"
    covered = {_expected_shape(path) for path in INVALID}
    missing = sorted(
        f"{str(s).removeprefix(str(DIPSH)).split('Shape-')[0]}/invalid-"
        f"{str(s).split('Shape-')[1]}.ttl"
        for s in property_shapes - covered
    )
    assert not missing, "write a failing fixture for each property shape:\n" + "\n".join(missing)


def test_every_property_shape_is_named_and_referenced_by_its_node_shape(shapes: Graph) -> None:
    referenced = set(shapes.objects(None, SH.property))
    assert referenced, "no sh:property links found"
    anonymous = [s for s in referenced if not isinstance(s, URIRef)]
    assert not anonymous, "property shapes must be named dipsh:<Class>Shape-<property>"
    for shape in referenced:
        owner = next(shapes.subjects(SH.property, shape))
        assert str(shape).startswith(f"{owner}-"), f"{shape} is not named after {owner}"
    orphans = _named_property_shapes(shapes) - referenced
    assert not orphans, f"property shapes no node shape uses: {sorted(orphans)}"


def test_every_property_shape_has_an_english_message_and_a_severity(shapes: Graph) -> None:
    property_shapes = _named_property_shapes(shapes)
    assert property_shapes
    for shape in property_shapes:
        messages = [
            m for m in shapes.objects(shape, SH.message) if getattr(m, "language", None) == "en"
        ]
        assert len(messages) == 1, f'{shape} needs exactly one sh:message "…"@en'
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), (
            f"{shape} needs sh:severity sh:Violation, sh:Warning or sh:Info"
        )


def test_simple_path_matches_the_shape_name(shapes: Graph) -> None:
    checked = 0
    for shape in _named_property_shapes(shapes):
        path = shapes.value(shape, SH.path)
        if isinstance(path, URIRef):
            local = str(path).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            assert str(shape).endswith(f"Shape-{local}"), f"{shape} has sh:path {path}"
            checked += 1
    assert checked


def test_every_path_is_declared_in_the_ontology(shapes: Graph, ontology: Graph) -> None:
    declared_types = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    paths_found = list(shapes.objects(None, SH.path))
    assert paths_found, "no sh:path found in the shapes"
    undeclared = sorted(
        {
            str(iri)
            for path in paths_found
            for iri in _path_iris(shapes, path)
            if not any((iri, RDF.type, kind) in ontology for kind in declared_types)
        }
    )
    assert not undeclared, f"declare these properties in ontology/diplomacy.ttl: {undeclared}"


@pytest.mark.parametrize("path", [*paths.shape_files(), *VALID, *INVALID], ids=_fixture_id)
def test_file_starts_with_the_prefix_block(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith(turtle_prefix_block()), (
        f"{path} must start with exactly turtle_prefix_block()"
    )
