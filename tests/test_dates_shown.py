"""Dates are shown at their precision: the API returns partial dates, every output prints them.

A date known only to the year is `1949`, not 1949-01-01; one known to the month is `1992-03`.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from diplomacy_kg import queries
from diplomacy_kg.cli import main
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.engines import Engine
from diplomacy_kg.namespaces import ID

HISTORY = ("query", "relation-history", "-p", "state=CUB", "-p", "other=KOR")
RELATION_1949 = ID["relation/cub-kor-1949"]


def _history(engine: Engine) -> list[dict[str, queries.Value]]:
    return queries.run_query("relation-history", engine, state="CUB", other="KOR").rows


@pytest.mark.parametrize("name", ["rdflib", "oxigraph"])
def test_the_api_returns_a_year_precision_date_as_a_partial_date(
    curated_engines: dict[str, Engine], name: str
) -> None:
    row = next(r for r in _history(curated_engines[name]) if r["item"] == RELATION_1949)
    assert row["when"] == PartialDate(date(1949, 1, 1), "year")
    assert row["until"] == PartialDate(date(1959, 1, 1), "year")
    assert (str(row["when"]), str(row["until"])) == ("1949", "1959")


def test_a_day_precision_date_stays_a_day(curated_engines: dict[str, Engine]) -> None:
    rows = queries.run_query(
        "partners-on-date", curated_engines["oxigraph"], state="KOR", date="2024-02-15"
    ).rows
    cuba = next(r for r in rows if r["partner"] == ID["state/cub"])
    assert cuba["since"] == PartialDate(date(2024, 2, 14), "day")


def test_a_date_without_a_precision_column_is_a_day() -> None:
    from rdflib import Literal
    from rdflib.namespace import XSD

    value = queries.to_value(Literal("2019-07-30", datatype=XSD.date))
    assert value == PartialDate(date(2019, 7, 30), "day")
    assert queries.json_value(value) == "2019-07-30"


def test_every_precision_column_belongs_to_a_date_role() -> None:
    # A column holding a precision that no role pairs with its date would leave that date
    # printed as its first day: every such column must be declared in `#+ roles`.
    catalogue = queries.catalogue()
    checked = 0
    for query in catalogue.values():
        declared = set(queries.precision_columns(query.roles).values())
        for column in query.columns:
            if column == "precision" or column.endswith("_precision"):
                checked += 1
                assert column in declared, f"{query.path}: {column!r} pairs with no date role"
    assert checked >= 10


def test_the_table_csv_tsv_and_json_print_the_year_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    outputs = {}
    for form in ("table", "csv", "tsv", "json"):
        assert main([*HISTORY, "--format", form]) == 0
        outputs[form] = capsys.readouterr().out
    for form, text in outputs.items():
        assert "1949-01-01" not in text and "1959-01-01" not in text, form
    table_line = next(line for line in outputs["table"].splitlines() if "cub-kor-1949" in line)
    assert table_line.split()[:1] == ["1949"]
    row = next(r for r in csv.DictReader(io.StringIO(outputs["csv"])) if "1949" in r["item"])
    assert (row["when"], row["until"]) == ("1949", "1959")
    document = json.loads(outputs["json"])
    first = next(r for r in document["rows"] if r["item"] == str(RELATION_1949))
    assert (first["when"], first["until"]) == ("1949", "1959")


# ---------------------------------------------------------------------------------------------
# relation-history: each row says how certain its place in time is
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["rdflib", "oxigraph"])
def test_relation_history_rows_carry_how_certain_their_dating_is(
    curated_engines: dict[str, Engine], name: str
) -> None:
    rows = _history(curated_engines[name])
    status = {(str(r["item"]).rsplit("/", 1)[-1], r["status"]) for r in rows}
    assert ("cub-kor-1949", "imprecise") in status
    assert ("cub-kor-severance-1959", "imprecise") in status
    assert ("cub-kor-2024", "exact") in status
    assert {r["status"] for r in rows} <= {"exact", "imprecise", "start unknown", "undated"}


def test_an_undated_relation_is_start_unknown_and_the_line_says_so(
    curated_engines: dict[str, Engine],
) -> None:
    result = queries.run_query(
        "relation-history", curated_engines["oxigraph"], state="KOR", other="CHL"
    )
    assert [r["status"] for r in result.rows] == ["start unknown"]
    assert not result.completeness.complete
    assert result.completeness.line.endswith(
        "; of 1 row, 1 start unknown (their order in time is not certain)"
    )


def test_the_history_line_counts_the_imprecise_rows(curated_engines: dict[str, Engine]) -> None:
    result = queries.run_query(
        "relation-history", curated_engines["oxigraph"], state="CUB", other="KOR"
    )
    imprecise = sum(1 for r in result.rows if r["status"] == "imprecise")
    assert imprecise >= 5
    assert f"of {len(result.rows)} rows, {imprecise} imprecise" in result.completeness.line
