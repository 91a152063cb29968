"""The tabular sources and the Turtle made from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF, XSD

from diplomacy_kg import paths, tables
from diplomacy_kg.namespaces import DIP, ID, SCHEMA, state_iri
from diplomacy_kg.provenance import Evidence, evidence_of
from isomorphism import isomorphic


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


def test_every_table_of_the_folder_is_declared_with_its_source() -> None:
    specs = tables.load_specs(paths.TABLES_DIR)
    declared = {spec.file for spec in specs.tables}
    on_disk = {path.name for path in paths.TABLES_DIR.glob("*.csv")}
    assert on_disk and declared == on_disk, "declare every CSV of data/tables/ in tables.toml"
    for spec in specs.tables:
        if spec.kind in ("un-members", "non-members"):
            assert spec.source is not None, f"{spec.file}: name its source"
    assert {s.slug for s in specs.sources} >= {"un-member-states", "wikipedia-kor-relations-2019"}


def test_the_sources_titles_licences_and_urls_come_from_the_declarations(
    conversion: tables.Conversion,
) -> None:
    graph = conversion.graphs["table-sources.ttl"]
    for source in tables.load_specs(paths.TABLES_DIR).sources:
        assert graph.value(source.iri, SCHEMA.name) == Literal(source.title, lang="en")
        assert graph.value(source.iri, SCHEMA.license) == source.licence
        url = graph.value(source.iri, SCHEMA.url)
        assert (None if url is None else str(url)) == source.url


_SECOND_COUNTRY = """
[[table]]
file = "prk_test_relations.csv"
kind = "relations"
country = "PRK"
output = "prk-relations.ttl"
sources = { test_table = "test-prk-table" }

[source.test-prk-table]
title = "A made-up relations table for the test"
description = "Rows written for tests/test_tables.py; no fact of the graph comes from it."
licence = "CC0-1.0"
no_url_reason = "Written for the test; it is not published anywhere."
"""
_SECOND_COUNTRY_ROWS = (
    "country,partner_name,partner_iso3,is_un_member,partner_qid,status,start_date,"
    "start_precision,end_date,date_as_in_source,source,source_as_of,source_ref,note\n"
    "PRK,Cuba,CUB,yes,,established,2000,year,,2000,test_table,2001-01-01,test line 1,\n"
    "PRK,Niue,NIU,yes,,established,,,,,test_table,2001-01-01,test line 2,\n"
)


def test_a_second_countrys_relations_table_is_a_new_spec_not_new_code(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    (folder / "prk_test_relations.csv").write_text(_SECOND_COUNTRY_ROWS, encoding="utf-8")
    with (folder / "tables.toml").open("a", encoding="utf-8") as stream:
        stream.write(_SECOND_COUNTRY)
    conversion = tables.generate(folder)
    assert list(conversion.graphs)[-2:] == ["prk-relations.ttl", "table-sources.ttl"]
    relations = conversion.graphs["prk-relations.ttl"]
    cuba = ID["relation/cub-prk-2000"]
    assert set(relations.objects(cuba, DIP.party)) == {state_iri("CUB"), state_iri("PRK")}
    assert relations.value(cuba, DIP.startPrecision) == DIP.YearPrecision
    assert relations.value(cuba, PROV.wasDerivedFrom) == ID["source/test-prk-table"]
    niue = ID["relation/niu-prk"]
    assert relations.value(niue, DIP.knownActiveOn) == Literal("2001-01-01", datatype=XSD.date)
    assert (ID["source/test-prk-table"], RDF.type, DIP.SourceDocument) in conversion.graphs[
        "table-sources.ttl"
    ]
    assert isomorphic(  # blank derivation nodes: equal up to their labels
        conversion.graphs["kor-relations.ttl"], tables.generate().graphs["kor-relations.ttl"]
    )


def test_a_row_of_another_country_names_the_tables_state(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    line = _replace_in(folder / "kor_diplomatic_relations.csv", "KOR,Argentina", "PRK,Argentina")
    with pytest.raises(tables.TableError, match=rf":{line}: .*holds South Korea's rows"):
        tables.generate(folder)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('kind = "relations"', 'kind = "treaties"', "kind 'treaties' is not one of"),
        ('licence = "CC-BY-SA-3.0"', 'licence = "GPL"', "licence 'GPL' is not one of"),
        ('source = "non-member-entities"', 'source = "nowhere"', "source 'nowhere' is not"),
        ('country = "KOR"', 'country = "Korea"', "not an ISO 3166 alpha-3 code"),
        ('kind = "news-sources"', "kind = news-sources", "Invalid value"),
    ],
)
def test_a_bad_declaration_names_the_file_and_line(
    tmp_path: Path, old: str, new: str, reason: str
) -> None:
    folder = _copy_tables(tmp_path)
    line = _replace_in(folder / "tables.toml", old, new)
    with pytest.raises(tables.TableError) as caught:
        tables.generate(folder)
    assert caught.value.path == folder / "tables.toml"
    assert caught.value.line == line
    assert reason in str(caught.value)


def test_each_news_page_keeps_its_own_words_for_a_relation(conversion: tables.Conversion) -> None:
    relations = conversion.graphs["kor-relations.ttl"]
    found = {
        str(e.source).rsplit("/", 1)[-1]: str(e.quote)
        for e in evidence_of(relations, ID["relation/cub-kor-2024"])
    }
    assert set(found) == {
        "xinhua-2024-02-14",
        "telesur-2024-02-14",
        "afp-club-of-mozambique-2024-02-14",
    }
    assert "February 14, 2024" in found["afp-club-of-mozambique-2024-02-14"]
    assert "February 14, 2024" not in found["xinhua-2024-02-14"]
    assert len(set(found.values())) == 3, "no page is given another page's words"
    assert (ID["relation/cub-kor-2024"], DIP.evidenceQuote, None) not in relations


def test_a_document_row_keeps_its_date_as_written_and_its_line(
    conversion: tables.Conversion,
) -> None:
    relations = conversion.graphs["kor-relations.ttl"]
    assert evidence_of(relations, ID["relation/cyp-kor-1995"]) == [
        Evidence(
            ID["source/wikipedia-kor-relations-2019"],
            Literal("1995-12-28", lang="en"),
            "Page/Foreign_relations_of_South_Korea.md line 951",
        )
    ]
    memberships = conversion.graphs["un-memberships.ttl"]
    [membership] = evidence_of(memberships, ID["membership/un-kor"])
    assert membership.locator is not None and membership.locator.startswith(
        "un_member_states.csv line "
    )


def test_a_news_row_without_its_pages_words_is_an_error(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    line = _replace_in(
        folder / "news_evidence.csv",
        "telesur-2024-02-14,CUB,2024-02-14,",
        "telesur-2024-02-14,CUB,2024-02-15,",
    )
    assert line > 1
    with pytest.raises(
        tables.TableError, match=r"kor_diplomatic_relations.csv:208: no quote of .*telesur"
    ):
        tables.generate(folder)


def test_a_source_without_url_must_say_why(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    line = _replace_in(folder / "tables.toml", "no_url_reason = ", "no_reason = ")
    with pytest.raises(
        tables.TableError, match=r"tables.toml:\d+: source 'non-member-entities'.*no_url_reason"
    ):
        tables.generate(folder)
    assert line > 1
