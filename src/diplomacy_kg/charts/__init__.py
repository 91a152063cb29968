"""Charts of the graph: a state's partner count over time, and relation timelines.

`partners_chart` and `timeline_chart` read the graph through an engine (`charts.data`, using
the one "active on day D" rule of `diplomacy_kg.dates`) and draw with matplotlib
(`charts.draw`); `write_chart` writes SVG or PNG by the file's suffix, atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from matplotlib.figure import Figure
from rdflib import URIRef

from diplomacy_kg.charts import data, draw
from diplomacy_kg.engines import Engine
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.files import atomic_write_bytes

FORMATS = ("svg", "png")


class ChartError(DiplomacyKgError):
    """A chart cannot be drawn: nothing to draw, a bad window or output."""


@dataclass
class Chart:
    """A drawn chart and the data it shows."""

    figure: Figure
    title: str
    series: data.PartnerSeries | None = None
    periods: list[data.Period] | None = None
    events: list[data.Event] | None = None


def window(periods: list[data.Period], first: date | None, last: date | None) -> tuple[date, date]:
    """Return the window to draw: the given days, else the years the relations span."""
    days = sorted(d for p in periods for d in p.change_days())
    if not days and (first is None or last is None):
        raise ChartError("the graph holds no dated relation to draw")
    chosen_first = first or date(days[0].year, 1, 1)
    chosen_last = last or date(days[-1].year, 12, 31)
    if chosen_last < chosen_first:
        raise ChartError(f"the window {chosen_first} to {chosen_last} ends before it starts")
    return chosen_first, chosen_last


def _name(engine: Engine, iri: URIRef) -> str:
    return data.label_of(engine, iri)


def partners_chart(
    engine: Engine, state: URIRef, first: date | None = None, last: date | None = None
) -> Chart:
    """Draw a state's number of partners over time, with the band of what is unknown."""
    periods = data.periods(engine, state)
    if not periods:
        raise ChartError(f"the graph holds no diplomatic relation of {_name(engine, state)}")
    start, stop = window(periods, first, last)
    series = data.partner_series(periods, state, start, stop)
    title = f"Diplomatic partners of {_name(engine, state)}, {start.year}–{stop.year}"
    return Chart(draw.partners_figure(series, title), title, series=series, periods=periods)


def timeline_chart(
    engine: Engine,
    state: URIRef,
    other: URIRef | None = None,
    first: date | None = None,
    last: date | None = None,
) -> Chart:
    """Draw a state's relation periods (with one other state, or all), events and sources."""
    periods = data.periods(engine, state, other)
    if not periods:
        with_whom = f" with {_name(engine, other)}" if other is not None else ""
        raise ChartError(
            f"the graph holds no diplomatic relation of {_name(engine, state)}{with_whom}"
        )
    events = data.events_between(engine, state, other) if other is not None else []
    start, stop = window(periods, first, last)
    events = [e for e in events if start <= e.when.value <= stop]
    sources = data.source_list(
        engine, [s for p in periods for s in p.sources] + [s for e in events for s in e.sources]
    )
    name = _name(engine, state)
    title = (
        f"Diplomatic relations of {name} and {_name(engine, other)}"
        if other is not None
        else f"Diplomatic relations of {name}"
    )
    figure = draw.timeline_figure(periods, events, sources, title, start, stop)
    return Chart(figure, title, periods=periods, events=events)


def write_chart(chart: Chart, output: Path) -> int:
    """Write the chart as SVG or PNG, chosen by the file's suffix; return the bytes written."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ChartError(f"{output}: give a .svg or .png file name")
    content = draw.render(chart.figure, fmt)
    atomic_write_bytes(output, content)
    return len(content)
