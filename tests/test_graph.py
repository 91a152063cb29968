"""Loading Turtle: the graph, and errors that name file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from diplomacy_kg import paths
from diplomacy_kg.graph import RdfParseError, parse_turtle_file, subject_locations
from diplomacy_kg.namespaces import DIP, ID, turtle_prefix_block


def test_the_graph_holds_the_ontology_and_the_data(curated_graph: Graph) -> None:
    graph = curated_graph
    assert (DIP.DiplomaticRelation, RDF.type, None) in graph
    assert (ID["relation/cub-kor-2024"], RDF.type, DIP.DiplomaticRelation) in graph


def _without_leading_comments(text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)  # generated files say so in a comment first
    return "".join(lines)


# Suites copied unchanged from elsewhere (their README says from where): not the project's files.
THIRD_PARTY_FIXTURES = Path(__file__).parent / "fixtures" / "w3c-shacl"


def test_every_rdf_file_opens_with_the_shared_prefix_block() -> None:
    files = [
        paths.ONTOLOGY_FILE,
        *paths.curated_files(),
        *paths.shape_files(),
        *sorted(
            path
            for path in (Path(__file__).parent / "fixtures").rglob("*.ttl")
            if not path.is_relative_to(THIRD_PARTY_FIXTURES)
        ),
    ]
    assert len(files) > 5
    block = turtle_prefix_block()
    wrong = [
        str(f)
        for f in files
        if not _without_leading_comments(f.read_text(encoding="utf-8")).startswith(block)
    ]
    assert not wrong, f"paste the output of namespaces.turtle_prefix_block() atop {wrong}"


def test_unparsable_turtle_names_file_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(turtle_prefix_block() + '\n<urn:a> dip:party "unterminated .\n')
    with pytest.raises(RdfParseError) as caught:
        parse_turtle_file(broken)
    error = caught.value
    assert (error.path, error.line) == (broken, 21)
    assert error.column is not None and error.column > 1
    assert str(error).startswith(f"{broken}:21:")


def test_an_unreadable_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(RdfParseError, match="cannot read"):
        parse_turtle_file(tmp_path / "missing.ttl")


def test_subjects_are_located_where_their_description_starts(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(
        turtle_prefix_block()
        + "\n<https://w3id.org/diplomacy-kg/id/state/kor> a dip:State .\n"
        + "dip:Example a dip:State ;\n"
        + "    dip:party <https://w3id.org/diplomacy-kg/id/state/kor> .\n"
    )
    located = subject_locations([data])
    assert located[ID["state/kor"]].line == 21
    assert located[DIP.Example].line == 22
