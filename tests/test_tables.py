"""The tabular sources and the Turtle made from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from diplomacy_kg import paths, tables
from diplomacy_kg.namespaces import DIP, ID, state_iri


@pytest.fixture(scope="module")
def conversion() -> tables.Conversion:
    return tables.generate()


def test_committed_turtle_matches_its_tables() -> None:
    stale = tables.drift()
    assert not stale, (
        f"{stale} differ from what data/tables/ converts to: run `diplomacy-kg tables` "
        "(or `make data`) and commit the result"
    )


def test_every_un_member_is_a_state_with_a_membership(conversion: tables.Conversion) -> None:
    states = conversion.graphs["states.ttl"]
    memberships = conversion.graphs["un-memberships.ttl"]
    members = set(memberships.objects(None, DIP.member))
    assert len(members) == 193
    assert all((member, RDF.type, DIP.State) in states for member in members)


def test_undated_rows_are_known_active_on_the_snapshot_date(
    conversion: tables.Conversion,
) -> None:
    relations = conversion.graphs["kor-relations.ttl"]
    niue = ID["relation/kor-niu"]
    assert (niue, DIP.knownActiveOn, Literal("2019-07-30", datatype=XSD.date)) in relations
    assert relations.value(niue, DIP.startDate) is None


def test_two_rows_for_one_partner_make_one_relation_with_both_dates(
    conversion: tables.Conversion,
) -> None:
    relations = conversion.graphs["kor-relations.ttl"]
    holy_see = [r for r in relations.subjects(DIP.party, state_iri("VAT"))]
    assert len(holy_see) == 1
    assertions = list(relations.objects(holy_see[0], DIP.dateAssertion))
    canonical = [a for a in assertions if relations.value(a, DIP.isCanonical) == Literal(True)]
    assert len(assertions) == 2 and len(canonical) == 1
    assert relations.value(holy_see[0], DIP.startDate) == relations.value(
        canonical[0], DIP.assertedDate
    )


def test_rows_about_non_states_are_listed_not_dropped_silently(
    conversion: tables.Conversion,
) -> None:
    skipped = "\n".join(conversion.skipped)
    assert "Hong Kong (HKG)" in skipped and "Macao (MAC)" in skipped


def test_an_ended_relation_keeps_both_ends(conversion: tables.Conversion) -> None:
    relations = conversion.graphs["kor-relations.ttl"]
    old = ID["relation/cub-kor-1949"]
    assert relations.value(old, DIP.startPrecision) == DIP.YearPrecision
    assert relations.value(old, DIP.endDate) == Literal("1959-01-01", datatype=XSD.date)


def _copy_tables(tmp_path: Path) -> Path:
    target = tmp_path / "tables"
    shutil.copytree(paths.TABLES_DIR, target)
    return target


def _replace_in(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    before = text[: text.index(old)]
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return before.count("\n") + 1


@pytest.mark.parametrize(
    ("table", "old", "new", "reason"),
    [
        ("kor_diplomatic_relations.csv", "1962-02-15,day", "1962-02-31,day", "not a calendar date"),
        ("kor_diplomatic_relations.csv", "1962-02-15,day", "1962-02,day", "month precision"),
        (
            "kor_diplomatic_relations.csv",
            "ARG,yes,Q414,established",
            "ARG,yes,Q414,frozen",
            "status 'frozen'",
        ),
        ("kor_diplomatic_relations.csv", "ARG,yes,Q414", "ARG,yes,Q999", "disagrees"),
        (
            "un_member_states.csv",
            "AFG,AF,004,Afghanistan,1946-11-19,Q889",
            "AFG,AF,004,Afghanistan,1946-11-19,889",
            "not a Wikidata QID",
        ),
        (
            "un_member_states.csv",
            "AGO,AO,024,Angola,1976-12-01",
            "AGO,AO,024,Angola,1976",
            "expected YYYY-MM-DD",
        ),
    ],
)
def test_a_bad_row_is_reported_with_file_and_line(
    tmp_path: Path, table: str, old: str, new: str, reason: str
) -> None:
    folder = _copy_tables(tmp_path)
    line = _replace_in(folder / table, old, new)
    with pytest.raises(tables.TableError) as caught:
        tables.generate(folder)
    assert caught.value.path == folder / table
    assert caught.value.line == line
    assert reason in str(caught.value)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    _replace_in(folder / "news_sources.csv", "slug,url,", "name,url,")
    with pytest.raises(tables.TableError, match=r"missing column.*slug"):
        tables.generate(folder)


def test_drift_is_detected_and_write_repairs_it(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    data = tmp_path / "data"
    tables.write(data, folder)
    assert tables.drift(data, folder) == []
    _replace_in(folder / "kor_diplomatic_relations.csv", "1962-02-15,day", "1962-02-16,day")
    assert tables.drift(data, folder) == ["kor-relations.ttl"]
    tables.write(data, folder)
    assert tables.drift(data, folder) == []
