"""`diplomacy-kg ingest`: a story in, candidates out as a table, as JSON and as a review file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diplomacy_kg.cli import main

SEED = Path(__file__).parent / "fixtures" / "ingest-seed-story.txt"


def test_ingest_writes_the_review_file_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = tmp_path / "review.json"
    code = main(
        [
            "ingest",
            str(SEED),
            "--date",
            "2024-02-15",
            "--title",
            "Seed story",
            "--format",
            "json",
            "--output",
            str(review),
        ]
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(review.read_text(encoding="utf-8"))
    assert printed["source"]["date"] == "2024-02-15"
    text = SEED.read_text(encoding="utf-8")
    kinds = {c["kind"] for c in printed["candidates"]}
    assert {"establishment", "exchange_of_notes", "recognition", "boycott", "quote"} <= kinds
    for candidate in printed["candidates"]:
        evidence = candidate["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert candidate["status"] == "proposed"


def test_ingest_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(SEED), "--date", "2024-02-15"]) == 0
    out = capsys.readouterr().out
    assert "establishment" in out and "evidence [" in out


def test_a_bad_date_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(SEED), "--date", "15 Feb"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--date" in err


def test_a_missing_story_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(tmp_path / "none.txt"), "--date", "2024-02-15"]) == 2
    assert "none.txt" in capsys.readouterr().err


def test_ingest_reads_the_story_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    text = "Cuba officially recognized South Korea in 1949."
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["ingest", "-", "--date", "2024-02-15", "--format", "json"]) == 0
    (candidate,) = json.loads(capsys.readouterr().out)["candidates"]
    assert candidate["kind"] == "recognition"
    assert candidate["evidence"]["text"] == text
