"""The `claims` commands end to end: check (table, JSON, JSON-LD), add, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld

from diplomacy_kg.cli import main
from diplomacy_kg.namespaces import SCHEMA, turtle_prefix_block

PLANTED = Path(__file__).parent / "fixtures" / "claims" / "planted-false-claim.ttl"


def _refusing_loader(url: str, options: object = None) -> dict[str, object]:
    raise AssertionError(f"pyld tried to load {url}")


def test_check_passes_on_the_story_claims(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "check", "--source", "seed-story-2024-02"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("CLAIM")
    assert "3 supported, 2 asserted, 0 contradicted, 0 undetermined (5 claims checked)" in out
    assert "not checked (no dip:check)" in out


def test_check_as_of_may_2025_fails_the_syria_claim(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "claims",
            "check",
            "--as-of",
            "2025-05-01",
            "--claim",
            "syria-only-un-member-without-kor-ties",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "contradicted" in out and "kbs-world-2025-04" in out
    assert "contradicting: Syria; since 2025-04-10" in out


def test_check_with_a_planted_claim_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "claims",
            "check",
            "--data",
            str(PLANTED),
            "--format",
            "json",
            "--claim",
            "cub-1988-boycott-in-support-of-usa",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [c["verdict"] for c in report["claims"]] == ["contradicted"]
    # The other planted claim rests on an absence no coverage statement vouches for (it was
    # contradicted before issue 10): undetermined, and still not a pass.
    args = ["claims", "check", "--data", str(PLANTED), "--format", "json"]
    code = main([*args, "--claim", "cub-kor-relations-established-1990"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [c["verdict"] for c in report["claims"]] == ["undetermined"]


def test_check_writes_claimreview_jsonld_that_pyld_expands(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "reviews.jsonld"
    code = main(
        [
            "claims",
            "check",
            "--format",
            "jsonld",
            "--output",
            str(target),
            "--published",
            "2025-05-02",
        ]
    )
    assert code == 0
    assert "wrote" in capsys.readouterr().err
    document = json.loads(target.read_text(encoding="utf-8"))
    expanded = jsonld.expand(document, {"documentLoader": _refusing_loader})
    reviews = [n for n in expanded if f"{SCHEMA}ClaimReview" in n.get("@type", [])]
    assert len(reviews) == 5


@pytest.mark.parametrize(
    "arguments",
    [
        ["--as-of", "2024-13"],
        ["--source", "no-such-source"],
        ["--claim", "no-such-claim"],
        ["--data", "no-such-file.ttl"],
    ],
    ids=["bad date", "unknown source", "unknown claim", "missing data file"],
)
def test_check_refuses_bad_input_with_exit_2(
    arguments: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["claims", "check", *arguments]) == 2
    assert capsys.readouterr().err.startswith("diplomacy-kg: error: ")


ADD = [
    "claims",
    "add",
    "--text",
    "Cuba boycotted the 1988 Seoul Olympics.",
    "--claimant",
    "id:organization/seed-story-newsroom",
    "--source",
    "https://example.org/olympics-article",
    "--date",
    "2024-03-01",
    "--query",
    "boycotts",
    "--param",
    "subject=CUB",
    "--expect",
    "includes",
    "--column",
    "target",
    "--value",
    "id:event/seoul-olympics-1988",
]


def test_add_appends_a_claim_that_check_then_reviews(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "claims.ttl"
    assert main([*ADD, "--data", str(target)]) == 0
    assert (
        "added <https://w3id.org/diplomacy-kg/id/claim/cuba-boycotted-the-1988-seoul"
        in capsys.readouterr().out
    )
    assert target.read_text(encoding="utf-8").startswith(turtle_prefix_block())
    code = main(
        [
            "claims",
            "check",
            "--data",
            str(target),
            "--source",
            "https://example.org/olympics-article",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "cuba-boycotted-the-1988-seoul-olympics" in out and "supported" in out


def test_add_refuses_an_invalid_check_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "claims.ttl"
    arguments = [*ADD, "--data", str(target)]
    arguments[arguments.index("includes")] = "count-equals"
    arguments[arguments.index("id:event/seoul-olympics-1988")] = "several"
    assert main(arguments) == 2
    assert "does not conform to the shapes" in capsys.readouterr().err
    assert not target.exists()
