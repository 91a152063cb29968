"""Drawing the charts with matplotlib (Agg, no display), byte-identical SVG for the same data.

Each function returns a `Figure` whose artists carry a `gid` (`lower`, `upper`, `band`, a
marker's label), so tests read the plotted data back from the figure, not from pixels.
`render` writes SVG (text kept as text, fixed hash salt, no date in the metadata) or PNG.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates
from matplotlib.figure import Figure

from diplomacy_kg.charts.data import Event, PartnerSeries, Period

STYLE = {
    "svg.hashsalt": "diplomacy-kg",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
LINE = "#1f5a8a"


def _style() -> contextlib.AbstractContextManager[None]:
    # matplotlib types rc keys as a Literal of every known key; STYLE's keys are all known.
    return matplotlib.rc_context(STYLE)  # type: ignore[arg-type]


BAND = "#f0a030"
EVENT = "#b22222"


def _x(day: date) -> float:
    return float(mdates.date2num(day))


def partners_figure(series: PartnerSeries, title: str) -> Figure:
    """Draw the partner count as steps: a line where exact, a band between lower and upper."""
    with _style():
        figure = Figure(figsize=(9, 4.8), dpi=100)
        axes = figure.add_subplot()
        xs = [_x(step.day) for step in series.steps] + [_x(series.last)]
        lower = [step.lower for step in series.steps]
        upper = [step.upper for step in series.steps]
        lower.append(lower[-1])
        upper.append(upper[-1])
        axes.fill_between(
            xs,
            lower,
            upper,
            step="post",
            color=BAND,
            alpha=0.35,
            linewidth=0,
            gid="band",
            label="unknown: active or not (imprecise or undated starts and ends)",
        )
        axes.step(
            xs,
            upper,
            where="post",
            color=BAND,
            linewidth=1,
            gid="upper",
            label="active or unknown, of the relations the graph holds",
        )
        axes.step(
            xs,
            lower,
            where="post",
            color=LINE,
            linewidth=1.6,
            gid="lower",
            label="certainly active",
        )
        for marker in series.markers:
            value = series.at(marker.day).upper
            axes.plot(
                [_x(marker.day)],
                [value],
                "o",
                color=EVENT,
                markersize=4,
                gid=f"marker {marker.label} {marker.when}",
            )
            axes.annotate(
                f"{marker.label} {marker.when}",
                (_x(marker.day), value),
                xytext=(-8, 10 + 14 * (series.markers.index(marker) % 2)),
                textcoords="offset points",
                ha="right",
                fontsize=8,
                color=EVENT,
                arrowprops={"arrowstyle": "-", "color": EVENT, "linewidth": 0.6},
            )
        axes.set_xlim(_x(series.first), _x(series.last))
        axes.set_ylim(0, max(upper) * 1.12 + 1)
        axes.xaxis.set_major_locator(mdates.YearLocator(base=10))
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        axes.set_ylabel("diplomatic partners")
        axes.set_title(title, loc="left", fontsize=11)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.legend(loc="upper left", frameon=False, fontsize=8)
        figure.text(
            0.01,
            0.01,
            "Counts only the relations the graph holds: where no coverage statement vouches "
            "for a day, the true count may be above the upper line; the band is what the "
            "dates leave open.",
            fontsize=7,
            color="#555555",
        )
        figure.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.12)
        return figure


def timeline_figure(
    periods: list[Period],
    events: list[Event],
    sources: list[tuple[str, str, str]],
    title: str,
    first: date,
    last: date,
) -> Figure:
    """Draw each relation period as a bar, imprecise bounds as a faded whisker, events as marks."""
    partners = sorted({p.partner_name for p in periods})
    rows = {name: index for index, name in enumerate(partners)}
    notes = [
        "Solid: active. Faded, with a whisker: the start or end falls somewhere in that window "
        "(its precision), or the relation is known only from a later day.",
        *(f"E{n} {event.when}: {event.label}" for n, event in enumerate(events, start=1)),
        "Sources:",
        *(
            f"[{n}] {label}" + (f" — {url}" if url else "")
            for n, (_, label, url) in enumerate(sources, start=1)
        ),
    ]
    lines = [part for note in notes for part in textwrap.wrap(note, 150) or [""]]
    plot_height = max(1.1, 0.3 * len(partners))
    text_height = 0.13 * len(lines) + 0.2
    height = 0.45 + plot_height + 0.45 + text_height
    with _style():
        figure = Figure(figsize=(9, height), dpi=100)
        axes = figure.add_subplot()
        for period in periods:
            _draw_period(axes, period, rows[period.partner_name], first, last)
        for number, event in enumerate(events, start=1):
            row = rows.get(_other_name(event, partners), 0) if len(partners) > 1 else 0
            day = _x(event.when.value)
            if event.when.precision != "day":
                spread = (_x(event.when.latest) - day) / 2
                axes.errorbar(
                    [day + spread],
                    [row - 0.42],
                    xerr=[spread],
                    fmt="none",
                    ecolor=EVENT,
                    elinewidth=0.8,
                    capsize=2,
                )
                day += spread
            axes.plot([day], [row - 0.42], "D", color=EVENT, markersize=5, gid=f"event {event.iri}")
            axes.annotate(
                f"E{number}",
                (day, row - 0.42),
                xytext=(0, 5),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                color=EVENT,
            )
        axes.set_yticks(range(len(partners)), partners)
        axes.set_ylim(len(partners) - 0.4, -1.0)
        axes.set_xlim(_x(first), _x(last))
        axes.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        axes.set_title(title, loc="left", fontsize=11)
        axes.grid(axis="x", color="#eeeeee", linewidth=0.6)
        axes.set_axisbelow(True)
        figure.text(
            0.01,
            0.1 / height,
            "\n".join(lines),
            fontsize=7,
            color="#333333",
            va="bottom",
            linespacing=1.25,
        )
        figure.subplots_adjust(
            left=0.2, right=0.98, top=1 - 0.45 / height, bottom=(0.45 + text_height) / height
        )
        return figure


def _other_name(event: Event, partners: list[str]) -> str:
    return partners[0] if partners else ""


def _draw_period(axes: object, period: Period, row: int, first: date, last: date) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    if period.start is not None:
        solid_from = period.start.latest + timedelta(days=1)
        if period.start.precision != "day":
            _faded(axes, row, period.start.earliest, solid_from, f"start window {period.relation}")
        else:
            solid_from = period.start.value
    elif period.known_active_on is not None:
        solid_from = period.known_active_on
        _faded(axes, row, first, solid_from, f"undated start {period.relation}")
    else:
        return
    solid_to = last
    if period.end is not None:
        solid_to = period.end.earliest
        if period.end.precision != "day":
            _faded(axes, row, solid_to, period.end.latest, f"end window {period.relation}")
    axes.barh(
        row,
        _x(solid_to) - _x(solid_from),
        left=_x(solid_from),
        height=0.55,
        color=LINE,
        gid=f"active {period.relation}",
    )


def _faded(axes: object, row: int, start: date, stop: date, gid: str) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    axes.barh(
        row, _x(stop) - _x(start), left=_x(start), height=0.55, color=LINE, alpha=0.3, gid=gid
    )
    axes.errorbar(
        [(_x(start) + _x(stop)) / 2],
        [row],
        xerr=[(_x(stop) - _x(start)) / 2],
        fmt="none",
        ecolor=LINE,
        elinewidth=0.8,
        capsize=3,
    )


def render(figure: Figure, fmt: str) -> bytes:
    """Return the figure as SVG (deterministic) or PNG bytes."""
    buffer = io.BytesIO()
    with _style():
        if fmt == "svg":
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        elif fmt == "png":
            figure.savefig(buffer, format="png", metadata={"Software": None})
        else:
            raise ValueError(f"unknown chart format {fmt!r}: use svg or png")
    return buffer.getvalue()
