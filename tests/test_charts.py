"""The charts: plotted data equals the graph's answers (not pixels); SVG is byte-identical."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from matplotlib import dates as mdates
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from diplomacy_kg import charts, queries
from diplomacy_kg.charts import draw
from diplomacy_kg.cli import main
from diplomacy_kg.engines import Engine
from diplomacy_kg.engines.factory import make_engine
from diplomacy_kg.namespaces import state_iri

KOR, CUB = state_iri("KOR"), state_iri("CUB")
DAYS = [
    date(1950, 6, 1),
    date(1992, 1, 30),
    date(2010, 1, 1),
    date(2019, 7, 29),
    date(2019, 7, 30),
    date(2024, 2, 13),
    date(2024, 2, 14),
    date(2025, 4, 9),
    date(2025, 4, 10),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return make_engine()


@pytest.fixture(scope="module")
def partners(engine: Engine) -> charts.Chart:
    return charts.partners_chart(engine, KOR, date(1948, 1, 1), date(2025, 12, 31))


def _artist(chart: charts.Chart, gid: str) -> object:
    found = [a for a in chart.figure.axes[0].get_children() if a.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0]


def _step_value(line: Line2D, day: date) -> float:
    x = mdates.date2num(day)
    value = None
    for xi, yi in zip(line.get_xdata(), line.get_ydata(), strict=True):
        if xi <= x:
            value = yi
    assert value is not None
    return float(value)


def test_the_plotted_bounds_are_the_stored_querys_minimum_and_maximum(
    engine: Engine, partners: charts.Chart
) -> None:
    lower = _artist(partners, "lower")
    upper = _artist(partners, "upper")
    assert isinstance(lower, Line2D) and isinstance(upper, Line2D)
    for day in DAYS:
        (row,) = queries.run_query("partner-count-on-date", engine, state="KOR", date=day).rows
        assert _step_value(lower, day) == row["minimum"], day
        # Where no coverage vouches for the day, the query gives no maximum ("at least"); the
        # chart's upper line is then only the relations the graph holds, as its legend says.
        if row["maximum"] is not None:
            assert _step_value(upper, day) == row["maximum"], day


def test_the_chart_says_what_its_upper_line_counts(partners: charts.Chart) -> None:
    legend = [t.get_text() for t in partners.figure.axes[0].get_legend().get_texts()]
    assert "active or unknown, of the relations the graph holds" in legend
    notes = " ".join(t.get_text() for t in partners.figure.texts)
    assert "the true count may be above the upper line" in notes


def test_the_26_undated_partners_are_a_band_not_a_jump(partners: charts.Chart) -> None:
    series = partners.series
    assert series is not None
    before, on = series.at(date(2019, 7, 29)), series.at(date(2019, 7, 30))
    assert before.upper - before.lower == 26
    assert on.lower == on.upper == before.upper
    band = _artist(partners, "band")
    assert isinstance(band, PolyCollection)
    at = series.at(date(2010, 1, 1))  # the step in force, from its own day on
    x = mdates.date2num(at.day)
    ys = {float(y) for xv, y in band.get_paths()[0].vertices if abs(xv - x) < 1e-6}
    assert {at.lower, at.upper} <= ys
    assert (at.lower, at.upper) == (164, 190)


def test_the_news_reported_changes_are_labelled(partners: charts.Chart) -> None:
    assert partners.series is not None
    labelled = {(m.label, m.when) for m in partners.series.markers}
    assert {("Cuba", "2024-02-14"), ("Syria", "2025-04-10")} <= labelled
    texts = {t.get_text() for t in partners.figure.axes[0].texts}
    assert {"Cuba 2024-02-14", "Syria 2025-04-10"} <= texts


def test_svg_is_byte_identical_for_the_same_data(engine: Engine) -> None:
    first = draw.render(charts.partners_chart(engine, KOR).figure, "svg")
    second = draw.render(charts.partners_chart(engine, KOR).figure, "svg")
    assert first == second
    assert b"<dc:date>" not in first
    assert b"Cuba 2024-02-14" in first
    assert draw.render(charts.partners_chart(engine, KOR).figure, "png").startswith(b"\x89PNG")


def test_the_timeline_draws_windows_events_and_sources(engine: Engine) -> None:
    chart = charts.timeline_chart(engine, CUB, KOR)
    bar = _artist(chart, "start window https://w3id.org/diplomacy-kg/id/relation/cub-kor-1949")
    assert isinstance(bar, Rectangle)
    assert mdates.num2date(bar.get_x()).date() == date(1949, 1, 1)
    assert mdates.num2date(bar.get_x() + bar.get_width()).date() == date(1950, 1, 1)
    assert chart.events is not None
    assert [str(e.when) for e in chart.events] == ["1959", "2024-02-14"]
    notes = "\n".join(t.get_text() for t in chart.figure.texts)
    assert "E2 2024-02-14: Exchange of diplomatic notes" in notes
    assert "https://english.news.cn/" in notes and "Sources:" in notes
    every = charts.timeline_chart(engine, CUB)
    assert every.periods is not None
    assert {p.partner_name for p in every.periods} == {"North Korea", "South Korea"}


def test_the_plot_command_writes_svg_and_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "kor.svg"
    assert main(["plot", "partners", "--state", "KOR", "--output", str(output)]) == 0
    assert output.read_bytes().startswith(b"<?xml")
    timeline = tmp_path / "cub.png"
    assert (
        main(["plot", "timeline", "--state", "CUB", "--other", "KOR", "--output", str(timeline)])
        == 0
    )
    assert timeline.read_bytes().startswith(b"\x89PNG")
    capsys.readouterr()
    for argv, message in (
        (
            ["plot", "partners", "--state", "KOR", "--output", str(tmp_path / "k.txt")],
            ".svg or .png",
        ),
        (
            [
                "plot",
                "partners",
                "--state",
                "KOR",
                "--from",
                "2000",
                "--to",
                "1990",
                "--output",
                str(output),
            ],
            "ends before it starts",
        ),
        (["plot", "partners", "--state", "Atlantis", "--output", str(output)], "matches no state"),
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.splitlines()) == 1
