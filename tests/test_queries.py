"""The stored query catalogue: headers, parameters, expected rows, as-of edges, injection."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rdflib import Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from diplomacy_kg import paths, queries
from diplomacy_kg.dates import PartialDate
from diplomacy_kg.dates.sparql import DERIVED_SUFFIXES, drift, rule_count
from diplomacy_kg.engines import Engine
from diplomacy_kg.namespaces import ID, WD
from edges import CUBA_1949_EDGES

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
REQUIRED = {
    "partners-on-date",
    "partner-count-on-date",
    "un-members-without-relations",
    "relation-history",
    "relations-established-between",
    "visits",
    "boycotts",
    "quotes",
    "ally-partners",
    "sources-of",
    "unlinked-entities",
}
CATALOGUE = queries.catalogue()
EXPECTED_FILES = sorted(FIXTURES.glob("*.csv"))


def state(slug: str) -> str:
    return str(ID[f"state/{slug}"])


# ---------------------------------------------------------------------------------------------
# engines over the fixture world (`world_engines`) and the real data, from conftest.py
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_engines(curated_engines: dict[str, Engine]) -> dict[str, Engine]:
    return curated_engines


# ---------------------------------------------------------------------------------------------
# catalogue and headers
# ---------------------------------------------------------------------------------------------


def test_the_catalogue_is_discovered_and_holds_the_required_queries() -> None:
    assert paths.query_files(), f"no stored query found in {paths.QUERIES_DIR}"
    missing = REQUIRED - set(CATALOGUE)
    assert not missing, f"write queries/{sorted(missing)[0]}.rq"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_query_has_a_summary_columns_and_typed_parameters(name: str) -> None:
    query = CATALOGUE[name]
    assert query.summary.endswith("."), f"{query.path}: end the summary with a full stop"
    assert query.columns, f"{query.path}: declare the result columns"
    for parameter in query.params:
        assert parameter.type in queries.PARAMETER_TYPES


def _variables_in_text(text: str) -> set[str]:
    code = re.sub(r'"[^"\n]*"|<[^\s<>"]*>|#[^\n]*', " ", text)
    return set(re.findall(r"[?$]([A-Za-z_]\w*)", code))


def _walk(node: object) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)


def _bound_by_the_query(text: str) -> set[str]:
    """Variables a pattern, BIND, VALUES or projection of the query itself can bind."""
    bound: set[str] = set()
    for node in _walk(prepareQuery(text).algebra):
        if node.name in ("BGP", "TriplesBlock"):  # a TriplesBlock is an untranslated BGP
            bound |= {str(t) for triple in node.triples for t in triple if isinstance(t, Variable)}
        elif node.name == "Extend":
            bound.add(str(node.var))
        elif node.name == "values":
            bound |= {str(v) for row in node.res for v in row}
        elif node.name == "Project":
            bound |= {str(v) for v in node.PV}
    return bound


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_declared_parameters_are_used_and_free_variables_are_declared(name: str) -> None:
    query = CATALOGUE[name]
    used = _variables_in_text(query.text)
    declared = {p.name for p in query.params}
    unused = {
        name
        for name in declared - used
        if not any(f"{name}{suffix}" in used for suffix in DERIVED_SUFFIXES)
    }
    assert not unused, f"{query.path}: parameter(s) {sorted(unused)} never appear in the query"
    derived = {
        f"{p.name}{suffix}" for p in query.params if p.type == "date" for suffix in DERIVED_SUFFIXES
    }
    free = used - _bound_by_the_query(query.text) - declared - derived
    assert not free, (
        f"{query.path}: ?{sorted(free)[0]} is never bound by the query; "
        "declare it under `#+ params` or bind it"
    )


def test_the_free_variable_check_catches_an_undeclared_parameter() -> None:
    text = (
        "PREFIX dip: <https://w3id.org/diplomacy-kg/ontology/>\n"
        "SELECT ?r WHERE { ?r dip:startDate ?s FILTER(?s < ?date) }"
    )
    assert "date" in _variables_in_text(text) - _bound_by_the_query(text)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_as_of_query_states_the_same_rule(name: str) -> None:
    query = CATALOGUE[name]
    if not any(p.type == "date" for p in query.params):
        return
    stated = " ".join(query.notes.get("as-of", "").split())
    assert stated == queries.AS_OF_RULE, (
        f"{query.path}: the `as-of` header must state queries.AS_OF_RULE word for word"
    )


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_query_declares_its_own_prefixes(name: str) -> None:
    prepareQuery(CATALOGUE[name].text, initNs={})  # raises on an undeclared prefix


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_role_names_a_declared_column(name: str) -> None:
    query = CATALOGUE[name]
    for role, column in query.roles.items():
        assert role in queries.COLUMN_ROLES, f"{query.path}: unknown role {role!r}"
        assert column in query.columns, f"{query.path}: role {role!r} names no column {column!r}"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_precision_and_source_column_declares_its_role(name: str) -> None:
    query = CATALOGUE[name]
    given = set(query.roles.values())
    for column in query.columns:
        if column.endswith("precision") or column == "source" or column.endswith("_source"):
            assert column in given, f"{query.path}: give {column!r} its part under `#+ roles`"


def test_the_dated_queries_declare_when_and_source() -> None:
    roles = CATALOGUE["partners-on-date"].roles
    assert roles["when"] == "since" and roles["when_precision"] == "since_precision"
    assert roles["source"] == "source" and roles["known_active_on"] == "known_active_on"
    assert CATALOGUE["relation-history"].roles["when_type"] == "when_type"


@pytest.mark.parametrize(
    ("roles", "wrong"),
    [
        ("{when: since}", r":2: the role 'when' names 'since', not one of the columns"),
        ("{start: a}", r":2: unknown role 'start'; known roles: when, "),
        ("[a]", r":2: roles must be a mapping"),
    ],
)
def test_a_bad_role_names_the_file_and_line(tmp_path: Path, roles: str, wrong: str) -> None:
    broken = tmp_path / "roles.rq"
    broken.write_text(
        f"#+ summary: Roles.\n#+ roles: {roles}\n#+ params: {{}}\n#+ columns: [a]\n"
        "SELECT ?a WHERE {}\n"
    )
    with pytest.raises(queries.CatalogueError, match=re.escape(str(broken)) + wrong):
        queries.load_query(broken)


def test_a_malformed_header_names_the_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text(
        "#+ summary: Broken.\n#+ params:\n#+   state: {type: country, example: X}\n"
        "#+ columns: [a]\nSELECT ?a WHERE {}\n"
    )
    with pytest.raises(queries.CatalogueError, match=rf"{re.escape(str(broken))}:3: .*'country'"):
        queries.load_query(broken)
    headless = tmp_path / "headless.rq"
    headless.write_text("SELECT ?a WHERE {}\n")
    with pytest.raises(queries.CatalogueError, match=r"headless\.rq:1: no `#\+` header"):
        queries.load_query(headless)


# ---------------------------------------------------------------------------------------------
# expected rows on the fixture world, on both engines
# ---------------------------------------------------------------------------------------------


def test_every_query_has_expected_rows_on_the_fixture_world() -> None:
    assert EXPECTED_FILES, f"no expected results in {FIXTURES}"
    missing = [n for n in CATALOGUE if not (FIXTURES / f"{n}.csv").is_file()]
    assert not missing, f"add {FIXTURES}/{missing[0]}.csv (first line: `# params: k=v ...`)"


def _expected(path: Path) -> tuple[dict[str, str], str]:
    first, _, rest = path.read_text(encoding="utf-8").partition("\n")
    assert first.startswith("# params:"), f"{path}: first line must be `# params: k=v ...`"
    params = dict(pair.split("=", 1) for pair in first.removeprefix("# params:").split())
    return params, rest


def _as_csv(result: queries.QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(
            [
                ""
                if row[c] is None
                else str(row[c]).lower()
                if isinstance(row[c], bool)
                else str(row[c])
                for c in result.columns
            ]
        )
    return buffer.getvalue()


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_a_query_gives_its_expected_rows(
    path: Path, engine_name: str, world_engines: dict[str, Engine]
) -> None:
    params, expected = _expected(path)
    name = path.stem.split(".")[0]
    result = queries.run_query(name, world_engines[engine_name], **params)
    assert _as_csv(result) == expected


# ---------------------------------------------------------------------------------------------
# the as-of rule at its edges, the same in every as-of query
# ---------------------------------------------------------------------------------------------

# (day asked, partner, its status on that day); "not active" partners are not listed.
EDGES = [
    # day-precision start 2024-02-14 (Carpania, second period)
    ("2024-02-13", "xca", "not active"),
    ("2024-02-14", "xca", "active"),
    ("2024-02-15", "xca", "active"),
    # year-precision period 1949-1959 (Carpania, first period): 1949-01-01…1959-12-31 windows
    ("1948-12-31", "xca", "not active"),
    ("1949-01-01", "xca", "unknown"),
    ("1949", "xca", "unknown"),
    ("1949-06", "xca", "unknown"),
    ("1949-12-30", "xca", "unknown"),
    ("1949-12-31", "xca", "active"),
    ("1950-01-01", "xca", "active"),
    ("1958-12-31", "xca", "active"),
    ("1959-01-01", "xca", "unknown"),
    ("1959", "xca", "unknown"),
    ("1959-12-30", "xca", "unknown"),
    ("1959-12-31", "xca", "not active"),
    ("1960-01-01", "xca", "not active"),
    # month-precision start 1992-03 and day-precision end 2005-08-20 (Estoria)
    ("1992-02-29", "xes", "not active"),
    ("1992-02", "xes", "not active"),
    ("1992-03", "xes", "unknown"),
    ("1992-03-01", "xes", "unknown"),
    ("1992-03-30", "xes", "unknown"),
    ("1992-03-31", "xes", "active"),
    ("1992-04", "xes", "active"),
    ("2005-08-19", "xes", "active"),
    ("2005-08-20", "xes", "not active"),
    ("2005-08-21", "xes", "not active"),
    # no start, known active on 2019-07-30 (Duria): unknown before, never claimed absent
    ("2019-07-29", "xdu", "unknown"),
    ("2019-07-30", "xdu", "active"),
    ("2019-07-31", "xdu", "active"),
    ("2019", "xdu", "unknown"),
    # day-precision start 1960-05-10 (Borduria)
    ("1960-05-09", "xbo", "not active"),
    ("1960-05-10", "xbo", "active"),
    ("1960-05-11", "xbo", "active"),
]


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
@pytest.mark.parametrize(("day", "partner", "status"), EDGES)
def test_the_as_of_rule_holds_at_the_edges_in_every_as_of_query(
    day: str, partner: str, status: str, engine_name: str, world_engines: dict[str, Engine]
) -> None:
    engine = world_engines[engine_name]
    rows = queries.run_query("partners-on-date", engine, state="XSA", date=day).rows
    statuses = {str(r["partner"]): r["status"] for r in rows}
    assert statuses.get(state(partner), "not active") == status
    assert {str(r["status"]) for r in rows} <= {"active", "unknown"}
    active = {p for p, s in statuses.items() if s == "active"}
    [count] = queries.run_query("partner-count-on-date", engine, state="XSA", date=day).rows
    assert (count["minimum"], count["maximum"]) == (len(active), len(statuses))
    assert count["count"] == (len(active) if len(active) == len(statuses) else None)
    members = {str(r["member"]) for r in queries.run_query("un-members-on-date", engine, date=day)}
    without = {
        str(r["member"]): r["status"]
        for r in queries.run_query("un-members-without-relations", engine, state="XSA", date=day)
    }
    if state(partner) in members and state("xsa") in members:
        assert (
            without.get(state(partner), "active")
            == {
                "active": "active",
                "unknown": "unknown",
                "not active": "not active",
            }[status]
        )
    assert state("xna") not in without  # the special relationship counts as a tie


def test_every_rule_in_a_stored_query_is_the_generated_one() -> None:
    ruled = [query for query in CATALOGUE.values() if rule_count(query.text)]
    assert len(ruled) >= 6, "the date-bound queries must use the generated rule"
    for query in ruled:
        stale = drift(query.text)
        assert not stale, (
            f"{query.path}: a rule block differs from what diplomacy_kg.dates.sparql generates; "
            f"expected:\n{stale[0]}"
        )


def test_every_rule_in_a_shape_is_the_generated_one() -> None:
    ruled = [path for path in paths.shape_files() if rule_count(path.read_text(encoding="utf-8"))]
    assert ruled, "the coverage shapes must use the generated rule"
    for path in ruled:
        stale = drift(path.read_text(encoding="utf-8"))
        assert not stale, f"{path}: a rule block differs from the generated one:\n{stale[0]}"


def test_the_drift_check_catches_an_edited_rule() -> None:
    text = CATALOGUE["partners-on-date"].text
    assert not drift(text)
    assert drift(text.replace("?date_last < ?since", "?date < ?since", 1))


def test_un_membership_follows_the_same_rule(world_engines: dict[str, Engine]) -> None:
    engine = world_engines["oxigraph"]

    def members(day: str) -> set[str]:
        return {str(r["member"]) for r in queries.run_query("un-members-on-date", engine, date=day)}

    assert state("xes") not in members("2000-06-14")
    assert state("xes") in members("2000-06-15")
    assert state("xes") in members("2010-06-14")
    assert state("xes") not in members("2010-06-15")
    assert state("xbo") in members("1950") and state("xbo") not in members("1949-12-31")


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
def test_windows_read_each_bound_as_its_whole_period(
    engine_name: str, world_engines: dict[str, Engine]
) -> None:
    engine = world_engines[engine_name]

    def established(start: str, end: str) -> dict[str, str]:
        return {
            str(r["partner"]): str(r["status"])
            for r in queries.run_query(
                "relations-established-between", engine, state="XSA", start=start, end=end
            )
        }

    def ended(start: str, end: str) -> dict[str, str]:
        return {
            str(r["partner"]): str(r["status"])
            for r in queries.run_query(
                "relations-ended-between", engine, state="XSA", start=start, end=end
            )
        }

    assert established("2024-02-14", "2024-02-15") == {state("xca"): "in window"}
    assert established("2024-02-15", "2025") == {}
    # The end is read as all its days (it was exclusive before issue 10).
    assert established("2024-01", "2024-02-14") == {state("xca"): "in window"}
    assert established("2024-02-14", "2024-02-14") == {state("xca"): "in window"}
    # Estoria's start is known only as 1992-03: in any window holding March 1992 ...
    assert established("1992", "1992") == {state("xes"): "in window"}
    assert established("1992-03", "1992-03") == {state("xes"): "in window"}
    # ... and possibly in one whose bound cuts March 1992.
    assert established("1992-03-15", "1993") == {state("xes"): "possibly in window"}
    assert established("1990", "1992-03-15") == {state("xes"): "possibly in window"}
    assert established("1992-04", "1993") == {}
    assert established("1990", "1992-02") == {}
    assert state("xdu") not in established("1900", "2100")  # no known start
    # Carpania's first period ended in 1959 (year precision).
    assert ended("1959", "1959") == {state("xca"): "in window"}
    assert ended("1959-06", "1960") == {state("xca"): "possibly in window"}
    assert ended("1960", "1970") == {}


@pytest.mark.parametrize("name", ["relations-established-between", "relations-ended-between"])
def test_a_reversed_window_is_a_parameter_error(
    name: str, world_engines: dict[str, Engine]
) -> None:
    with pytest.raises(queries.ParameterError, match="ends before it starts"):
        queries.run_query(name, world_engines["rdflib"], state="XSA", start="1993", end="1992")
    # A window of one period is not reversed.
    queries.run_query(name, world_engines["rdflib"], state="XSA", start="1992", end="1992-06")


# ---------------------------------------------------------------------------------------------
# parameter values
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "XSA",
        "xsa",
        "XS",
        "xs",
        "South Arcadia",
        "south ARCADIA",
        "Republic of Arcadia",
        "Q9900001",
        "wd:Q9900001",
        str(WD["Q9900001"]),
        "id:state/xsa",
        f"<{state('xsa')}>",
        state("xsa"),
    ],
)
def test_a_state_is_found_by_code_qid_curie_iri_or_name(
    value: str, world_engines: dict[str, Engine]
) -> None:
    assert queries.resolve_entity(value, "state", world_engines["rdflib"]) == ID["state/xsa"]


def test_a_person_is_found_by_name_qid_or_iri(world_engines: dict[str, Engine]) -> None:
    engine = world_engines["oxigraph"]
    for value in ("alex carpan", "Q9900010", "id:person/alex-carpan"):
        assert queries.resolve_entity(value, "person", engine) == ID["person/alex-carpan"]
    with pytest.raises(queries.ParameterError, match="no person"):
        queries.resolve_entity("XSA", "person", engine)  # a state is not a person


def test_an_ambiguous_name_lists_every_match(world_engines: dict[str, Engine]) -> None:
    with pytest.raises(queries.ParameterError, match="ambiguous") as caught:
        queries.resolve_entity("arcadia", "state", world_engines["rdflib"])
    assert "North Arcadia" in str(caught.value) and "South Arcadia" in str(caught.value)


def test_an_unknown_name_lists_the_closest_matches(world_engines: dict[str, Engine]) -> None:
    with pytest.raises(queries.ParameterError, match="closest matches") as caught:
        queries.resolve_entity("Bordurya", "state", world_engines["rdflib"])
    assert "Borduria" in str(caught.value)
    with pytest.raises(queries.ParameterError, match="not a known state"):
        queries.resolve_entity("id:state/zzz", "state", world_engines["rdflib"])


@pytest.mark.parametrize(
    "value",
    [
        "24",
        "2024-2",
        "2024-02-1",
        "2024/02/15",
        "15.02.2024",
        "2024-02-15T00:00:00",
        " 2024",
        "2024\n",
        "2024-13",
        "2024-02-30",
        "",
        "yesterday",
    ],
)
def test_a_date_is_yyyy_yyyy_mm_or_yyyy_mm_dd_only(value: str) -> None:
    with pytest.raises(queries.ParameterError):
        queries.parse_date(value)


@pytest.mark.parametrize(
    ("value", "first_day"),
    [("2024", "2024-01-01"), ("2024-02", "2024-02-01"), ("2024-02-15", "2024-02-15")],
)
def test_a_partial_date_means_the_first_day_of_its_period(value: str, first_day: str) -> None:
    assert queries.parse_date(value).value.isoformat() == first_day


def test_missing_and_unknown_parameters_name_the_query_parameters(
    world_engines: dict[str, Engine],
) -> None:
    engine = world_engines["rdflib"]
    with pytest.raises(queries.ParameterError, match=r"needs date; its parameters: state .*date"):
        queries.run_query("partners-on-date", engine, state="XSA")
    with pytest.raises(queries.ParameterError, match=r"no parameter 'day'; its parameters"):
        queries.run_query("partners-on-date", engine, state="XSA", date="2024", day="1")
    with pytest.raises(queries.ParameterError, match="no stored query named 'partners'"):
        queries.run_query("partners", engine)


INJECTIONS = [
    "'\"} DROP ALL {'",
    "<http://x> } ; DROP ALL ; {",
    "http://x>} DROP ALL {<http://y",
    "id:state/xsa> } DROP ALL { <x",
    'XSA" } ; DROP ALL ; { "',
    "?state",
]


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_shaped_entities_are_rejected(
    value: str, engine_name: str, world_engines: dict[str, Engine]
) -> None:
    engine = world_engines[engine_name]
    with pytest.raises(queries.ParameterError):
        queries.run_query("partners-on-date", engine, state=value, date="2024-02-15")
    with pytest.raises(queries.ParameterError):
        queries.run_query("partners-on-date", engine, state="XSA", date=value)
    assert (
        len(queries.run_query("partners-on-date", engine, state="XSA", date="2024-02-15")) == 4
    )  # the graph is untouched


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_shaped_text_stays_an_inert_literal(
    value: str, engine_name: str, world_engines: dict[str, Engine], tmp_path: Path
) -> None:
    echo = tmp_path / "echo.rq"
    echo.write_text(
        "#+ summary: Labels equal to a text.\n#+ params:\n#+   text: {type: string, example: x}\n"
        "#+ columns: [entity, text]\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?entity ?text WHERE { OPTIONAL { ?entity rdfs:label ?label "
        "FILTER(STR(?label) = ?text) } }\n"
    )
    query = queries.load_query(echo)
    result = queries.run_stored(query, world_engines[engine_name], {"text": value})
    assert result.rows == [{"entity": None, "text": value}]


# ---------------------------------------------------------------------------------------------
# the real data
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_query_runs_on_the_real_data_with_the_same_rows_on_both_engines(
    name: str, real_engines: dict[str, Engine]
) -> None:
    query = CATALOGUE[name]
    reference = queries.run_stored(query, real_engines["rdflib"], query.examples)
    default = queries.run_stored(query, real_engines["oxigraph"], query.examples)
    assert reference.terms == default.terms
    assert reference.rows, f"{query.path}: the header's example finds nothing in the real data"


def test_south_korea_had_193_partners_on_15_february_2024(real_engines: dict[str, Engine]) -> None:
    for engine in real_engines.values():
        result = queries.run_query("partner-count-on-date", engine, state="KOR", date="2024-02-15")
        assert result.rows[0]["count"] == 193
        before = queries.run_query("partner-count-on-date", engine, state="KOR", date="2024-02-13")
        assert before.rows[0]["count"] == 192  # Cuba from 2024-02-14


# The edges on the real Cuba-South Korea relation of 1949-1959 (`tests/edges.py`).


@pytest.mark.parametrize(("day", "status"), CUBA_1949_EDGES)
def test_cuba_and_south_korea_1949_1959_at_its_edges(
    day: str, status: str, real_engines: dict[str, Engine]
) -> None:
    relation = ID["relation/cub-kor-1949"]
    for engine in real_engines.values():
        rows = queries.run_query("partners-on-date", engine, state="KOR", date=day).rows
        found = {r["status"] for r in rows if r["relation"] == relation}
        assert found == ({status} if status != "not active" else set())


def test_syria_alone_had_no_ties_with_seoul_on_15_february_2024(
    real_engines: dict[str, Engine],
) -> None:
    for engine in real_engines.values():
        result = queries.run_query(
            "un-members-without-relations", engine, state="South Korea", date="2024-02-15"
        )
        assert [str(r["member"]) for r in result] == [state("syr")]
        after = queries.run_query(
            "un-members-without-relations", engine, state="KR", date="2025-04-10"
        )
        assert len(after) == 0  # Syria from 2025-04-10; North Korea is a special relationship


def test_the_history_of_cuba_and_south_korea_has_both_periods_and_the_events(
    real_engines: dict[str, Engine],
) -> None:
    result = queries.run_query(
        "relation-history", real_engines["oxigraph"], state="Cuba", other="KOR"
    )
    items = [str(r["item"]) for r in result]
    periods = [i for i in dict.fromkeys(items) if "/relation/" in i]
    assert periods == [str(ID["relation/cub-kor-1949"]), str(ID["relation/cub-kor-2024"])]
    events = set(items)
    for event in (
        "cub-recognizes-kor-1949",
        "cub-kor-severance-1959",
        "cub-boycott-seoul-olympics-1988",
        "cub-kor-exchange-of-notes-2024",
    ):
        assert str(ID[f"event/{event}"]) in events
    dates = [r["when"] for r in result if r["when"] is not None]
    assert dates == sorted(dates)  # time order


def test_north_korea_allies_with_ties_to_seoul_include_cuba(
    real_engines: dict[str, Engine],
) -> None:
    result = queries.run_query("ally-partners", real_engines["rdflib"], state="PRK", other="KOR")
    assert state("cub") in {str(r["ally"]) for r in result}


def test_typed_rows_hold_python_values(real_engines: dict[str, Engine]) -> None:
    row = next(
        r
        for r in queries.run_query(
            "partners-on-date", real_engines["oxigraph"], state="KOR", date="2024-02-15"
        )
        if str(r["partner"]) == state("cub")
    )
    assert row["since"] == PartialDate(date(2024, 2, 14), "day")  # a partial date, not a day
    assert row["source_count"] == 4 and row["partner_label"] == "Cuba"


def test_typed_rows_put_each_date_at_its_rows_precision() -> None:
    from diplomacy_kg.dates import PRECISION_IRIS
    from diplomacy_kg.queries.results import typed_rows

    day = PartialDate(date(2024, 2, 14), "day")
    month = PartialDate(date(2024, 2, 1), "month")
    roles = {"when": "when", "when_precision": "held"}
    rows = typed_rows(
        ["when", "held"],
        [
            (day, PRECISION_IRIS["day"]),
            (day, None),
            (day, PRECISION_IRIS["year"]),
            (month, PRECISION_IRIS["month"]),
            (month, PRECISION_IRIS["day"]),
            (None, PRECISION_IRIS["year"]),
        ],
        roles,
    )
    assert [row["when"] for row in rows] == [
        day,
        day,
        PartialDate(date(2024, 1, 1), "year"),
        month,
        PartialDate(date(2024, 2, 1), "day"),
        None,
    ]
    assert [str(row["when"]) for row in rows[:5]] == [
        "2024-02-14",
        "2024-02-14",
        "2024",
        "2024-02",
        "2024-02-01",
    ]


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_sparqlwrapper_reads_every_query_as_a_select(name: str) -> None:
    # SPARQLWrapper guesses the form from the text and strips only every other comment line,
    # so a header word such as "straddles" (ADD) would send the query as an update.
    from SPARQLWrapper import SPARQLWrapper

    wrapper = SPARQLWrapper("http://127.0.0.1/")
    wrapper.setQuery(CATALOGUE[name].text)
    assert wrapper.queryType in ("SELECT", "ASK"), f"{CATALOGUE[name].path}: {wrapper.queryType}"


# ---------------------------------------------------------------------------------------------
# answers that know what they don't know (issue 10): coverage on the real data
# ---------------------------------------------------------------------------------------------


def test_north_koreas_count_is_at_least_one_and_incomplete(
    real_engines: dict[str, Engine],
) -> None:
    for engine in real_engines.values():
        result = queries.run_query("partner-count-on-date", engine, state="PRK", date="2024-06-01")
        assert result.rows == [{"count": None, "minimum": 1, "maximum": None, "status": "at least"}]
        assert not result.completeness.complete
        assert result.completeness.line == (
            "incomplete: no coverage statement for North Korea on 2024-06-01; at least 1 partner"
        )
        assert result.completeness.as_dict()["complete"] is False


def test_chinas_un_members_without_relations_claim_no_absence(
    real_engines: dict[str, Engine],
) -> None:
    for engine in real_engines.values():
        result = queries.run_query(
            "un-members-without-relations", engine, state="China", date="2024-06-01"
        )
        assert len(result) == 191
        assert {row["status"] for row in result} == {"unknown"}
        assert not result.completeness.complete
        assert "no coverage statement for People's Republic of China" in result.completeness.line


@pytest.mark.parametrize(
    ("day", "members"),
    [("2024-02-10", {"cub", "syr"}), ("2024-02-15", {"syr"}), ("2025-04-10", set())],
)
def test_south_koreas_answers_on_covered_days_are_complete_and_unchanged(
    day: str, members: set[str], real_engines: dict[str, Engine]
) -> None:
    for engine in real_engines.values():
        result = queries.run_query("un-members-without-relations", engine, state="KOR", date=day)
        assert {str(row["member"]) for row in result} == {state(m) for m in members}
        assert {row["status"] for row in result} <= {"not active"}
        assert result.completeness.complete, result.completeness.line
        assert result.completeness.sources


def test_on_2010_01_01_the_26_undated_partners_are_unknown_not_absent(
    real_engines: dict[str, Engine],
) -> None:
    for engine in real_engines.values():
        partners = queries.run_query("partners-on-date", engine, state="KOR", date="2010-01-01")
        undated = [row for row in partners if row["since"] is None]
        assert len(undated) == 26
        assert {row["status"] for row in undated} == {"unknown"}
        assert not partners.completeness.complete
        without = queries.run_query(
            "un-members-without-relations", engine, state="KOR", date="2010-01-01"
        )
        undated_members = {str(row["partner"]) for row in undated}
        statuses = {str(r["member"]): r["status"] for r in without}
        assert {m for m in undated_members if m in statuses}
        assert all(statuses[m] == "unknown" for m in undated_members if m in statuses)
        assert "not active" not in statuses.values()  # no coverage on 2010-01-01
        [count] = queries.run_query(
            "partner-count-on-date", engine, state="KOR", date="2010-01-01"
        ).rows
        assert count["status"] == "at least" and count["count"] is None


def test_relations_established_from_1990_to_1992_include_1992(
    real_engines: dict[str, Engine],
) -> None:
    for engine in real_engines.values():
        result = queries.run_query(
            "relations-established-between", engine, state="KOR", start="1990", end="1992"
        )
        assert {str(row["partner"]) for row in result} >= {state("chn"), state("vnm")}
        assert not result.completeness.complete  # no coverage statement for those years


def test_the_coverage_statements_of_the_data_are_read(real_engines: dict[str, Engine]) -> None:
    from diplomacy_kg import coverage

    held = coverage.statements(real_engines["oxigraph"], ID["state/kor"])
    assert [(str(s.first), str(s.last), s.count) for s in held] == [
        ("2019-07-30", "2024-02-13", None),
        ("2024-02-15", "2024-02-15", 193),
        ("2025-04-10", "2025-04-11", None),
    ]
    assert all(s.sources for s in held)
    assert coverage.covering(held, ID["state/kor"], date(2024, 2, 10), date(2024, 2, 10))
    assert coverage.covering(held, ID["state/kor"], date(2024, 2, 14), date(2024, 2, 14)) is None
    un = ID["organization/united-nations"]
    assert coverage.covering(held, ID["state/kor"], date(2025, 4, 10), date(2025, 4, 10)) is None
    assert coverage.covering(held, ID["state/kor"], date(2025, 4, 10), date(2025, 4, 11), un)
