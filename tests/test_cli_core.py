"""The core commands from the command line: build, validate, stats, tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from diplomacy_kg import paths
from diplomacy_kg.cli import main
from diplomacy_kg.namespaces import turtle_prefix_block


def test_build_validates_summarises_and_writes_the_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--output-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "dip:DiplomaticRelation" in out and "Entities without a Wikidata link" in out
    assert "0 violations" in out
    built = tmp_path / "diplomacy-kg.ttl"
    assert built.read_text(encoding="utf-8").startswith(turtle_prefix_block())


def test_build_of_unparsable_data_exits_2_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    broken = data / "seed-story.ttl"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines[29] = lines[29] + ' "unterminated'
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(paths, "DATA_DIR", data)
    output = tmp_path / "build"
    assert main(["build", "--output-dir", str(output)]) == 2
    error = capsys.readouterr().err
    assert f"{broken}:30:" in error
    assert not output.exists()


def test_validate_reports_a_violation_with_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(
        turtle_prefix_block()
        + "\n<https://w3id.org/diplomacy-kg/id/relation/x> a dip:DiplomaticRelation ;\n"
        + '    rdfs:label "a relation with one party"@en ;\n'
        + "    dip:party <https://w3id.org/diplomacy-kg/id/state/kor> .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(data)]) == 1
    out = capsys.readouterr().out
    assert f"{data}:21" in out and "Violation" in out


def test_validate_json_lists_the_same_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(
        turtle_prefix_block()
        + '\n<https://w3id.org/diplomacy-kg/id/state/zzz> a dip:State ; rdfs:label "Z"@en ;\n'
        + '    dip:iso3166Alpha3 "zz" .\n',
        encoding="utf-8",
    )
    assert main(["validate", "--format", "json", str(data)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False
    assert any(r["line"] == 21 and "iso3166Alpha3" in r["path"] for r in report["results"])


def test_validate_of_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no-such-file.ttl"]) == 2
    assert "no-such-file.ttl: no such file" in capsys.readouterr().err


def test_stats_counts_classes_and_unlinked_entities(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["classes"]["dip:State"] >= 193
    assert any(e["iri"].endswith("/person/kim-jong-un") for e in stats["unlinked"])
    assert not any(e["iri"].endswith("/state/kor") for e in stats["unlinked"])


def test_tables_check_passes_on_the_committed_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tables", "--check"]) == 0


def test_an_unknown_command_is_a_usage_error() -> None:
    assert main(["no-such-command"]) == 2
