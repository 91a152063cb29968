"""The `queries` and `query` subcommands, on the real data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from diplomacy_kg.cli import main
from diplomacy_kg.namespaces import ID


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_queries_lists_every_query_with_its_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "queries")
    assert code == 0
    assert "partners-on-date  state=KOR date=2024-02-15" in out
    code, out, _ = run(capsys, "queries", "--format", "json")
    listed = {q["name"]: q for q in json.loads(out)}
    assert listed["relation-history"]["params"][0] == {
        "name": "state",
        "type": "state",
        "example": "CUB",
    }


def test_the_partner_count_on_the_story_day_is_193(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "query",
        "partner-count-on-date",
        "--param",
        "state=KOR",
        "--param",
        "date=2024-02-15",
    )
    assert code == 0
    assert out.splitlines()[0].split() == ["count", "minimum", "maximum", "status"]
    assert out.splitlines()[2].split() == ["193", "193", "193", "exact"]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_syria_alone_as_csv_tsv_and_json(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    args = (
        "query",
        "un-members-without-relations",
        "-p",
        "state=south korea",
        "-p",
        "date=2024-02-15",
        "--engine",
        engine,
    )
    code, out, _ = run(capsys, *args, "--format", "csv")
    assert code == 0
    assert next(iter(csv.DictReader(io.StringIO(out))))["member_label"] == "Syria"
    assert len(out.splitlines()) == 2
    _, out, _ = run(capsys, *args, "--format", "tsv")
    assert out.splitlines()[1].split("\t")[1] == "Syria"
    _, out, _ = run(capsys, *args, "--format", "json")
    document = json.loads(out)
    assert document["rows"] == [
        {
            "member": "https://w3id.org/diplomacy-kg/id/state/syr",
            "member_label": "Syria",
            "admitted": "1945-10-24",
            "status": "not active",
        }
    ]
    # The JSON carries the completeness as fields (issue 10: before, a bare list of rows).
    assert document["completeness"]["complete"] is True
    assert document["completeness"]["line"].startswith("complete: all of South Korea's")
    assert str(ID["source/seed-story-2024-02"]) in document["completeness"]["sources"]


def test_the_table_shows_compact_iris_and_a_row_count(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "ally-partners", "-p", "state=PRK", "-p", "other=KR")
    assert code == 0
    assert "id:state/cub" in out and "dip:Ally" in out
    *_, count, certainty = out.rstrip().splitlines()
    assert count == "(3 rows)"
    assert certainty.startswith("incomplete: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-p", "state=Korea", "-p", "date=2024"], "closest matches: North Korea"),
        (["-p", "state=KOR", "-p", "date=15/02/2024"], "not a date"),
        (["-p", "state=KOR"], "needs date; its parameters: state"),
        (["-p", "state=KOR", "-p", "date=2024", "-p", "when=1"], "no parameter 'when'"),
        (["-p", "state"], "expected KEY=VALUE"),
        (["-p", "state=<http://x> } ; DROP ALL ; {", "-p", "date=2024"], "is not a valid IRI"),
    ],
)
def test_bad_parameters_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "query", "partners-on-date", *argv)
    assert code == 2 and out == ""
    assert err.startswith("diplomacy-kg: error: ") and message in err
    assert len(err.splitlines()) == 1


def test_an_unknown_query_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "partner-count")
    assert code == 2 and "did you mean partner-count-on-date" in err


def test_explain_prints_the_query_with_bound_terms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "query", "partners-on-date", "-p", "state=Q884", "-p", "date=2024-02", "--explain"
    )
    assert code == 0
    # The month is bound as its first day, with the days the rule derives from it (its last).
    assert (
        "VALUES (?date ?date_after_day ?date_after_month ?date_after_year ?date_last ?state)"
    ) in out
    xsd_date = "^^<http://www.w3.org/2001/XMLSchema#date>"
    assert (
        f'("2024-02-01"{xsd_date} "2024-02-02"{xsd_date} "2024-02-01"{xsd_date} '
        f'"2024-01-01"{xsd_date} "2024-02-29"{xsd_date} '
        "<https://w3id.org/diplomacy-kg/id/state/kor>)"
    ) in out
    code, out, _ = run(
        capsys,
        "query",
        "partners-on-date",
        "-p",
        "state=KOR",
        "-p",
        "date=2024",
        "--explain",
        "--engine",
        "rdflib",
    )
    assert "# initBindings: ?state = <https://w3id.org/diplomacy-kg/id/state/kor>" in out


def test_a_window_includes_its_last_year(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "relations-established-between", "-p", "state=KOR", "-p", "start=1990"]
    code, out, _ = run(capsys, *args, "-p", "end=1992", "--format", "json")
    assert code == 0
    rows = json.loads(out)["rows"]
    in_1992 = {row["partner_label"] for row in rows if row["since"].startswith("1992")}
    assert {"People's Republic of China", "Vietnam", "Kyrgyzstan", "Georgia"} <= in_1992


def test_a_reversed_window_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "relations-established-between", "-p", "state=KOR", "-p", "start=1992"]
    code, out, err = run(capsys, *args, "-p", "end=1990")
    assert code == 2 and out == ""
    assert "ends before it starts" in err and len(err.splitlines()) == 1


def test_every_table_ends_with_whether_it_is_complete(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "partner-count-on-date", "-p", "state=PRK", "-p", "date=2024-06-01"]
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert out.splitlines()[2].split() == ["1", "at", "least"]  # count and maximum left empty
    assert out.splitlines()[-1] == (
        "incomplete: no coverage statement for North Korea on 2024-06-01; at least 1 partner"
    )
    code, _, _ = run(capsys, *args, "--require-complete")
    assert code == 1
    args = ["query", "partner-count-on-date", "-p", "state=KOR", "-p", "date=2024-02-15"]
    code, out, _ = run(capsys, *args, "--require-complete")
    assert code == 0
    assert out.splitlines()[-1] == (
        "complete: all of South Korea's relations on 2024-02-15 are declared "
        "(sources: seed-story-2024-02)"
    )


def test_csv_keeps_its_rows_and_says_its_completeness_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["query", "un-members-without-relations", "-p", "state=CHN", "-p", "date=2024-06-01"]
    code, out, err = run(capsys, *args, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 191 and {row["status"] for row in rows} == {"unknown"}
    assert err.startswith("# incomplete: no coverage statement for People's Republic of China")


def test_coverage_lists_what_is_covered_for_which_days_by_which_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "coverage", "KOR")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["state", "partners", "days"]
    assert any("2019-07-30 to 2024-02-13" in line for line in lines)
    assert any("2024-02-15" in line and "193" in line for line in lines)
    assert any("members of United Nations" in line and "id:state/prk" in line for line in lines)
    assert lines[-1] == "(3 coverage statements)"
    code, out, _ = run(capsys, "coverage", "PRK")
    assert code == 0 and "no coverage statement for PRK" in out
    code, out, _ = run(capsys, "coverage", "--format", "json")
    listed = json.loads(out)
    assert {s["statement"].rsplit("/", 1)[-1] for s in listed} == {
        "kor-2019-07-30-to-2024-02-13",
        "kor-2024-02-15",
        "kor-un-members-2025-04-10-to-2025-04-11",
    }
    assert all(s["sources"] for s in listed)
