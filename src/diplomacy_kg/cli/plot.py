"""The `plot` subcommand: a state's partner count over time, or its relation timeline."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from diplomacy_kg import charts, queries
from diplomacy_kg.cli.common import EXIT_OK, CliError
from diplomacy_kg.cli.options import add_engine_arguments, engine_from_arguments
from diplomacy_kg.dates import PartialDate


def register(subcommands: Any) -> None:
    """Add the plot subcommand and its two charts to the parser."""
    plot = subcommands.add_parser(
        "plot", help="draw a chart: partners (count over time) or timeline (relation periods)"
    )
    kinds = plot.add_subparsers(dest="chart", metavar="CHART", required=True)
    partners = kinds.add_parser(
        "partners",
        help="a state's number of diplomatic partners over time, with its uncertainty band",
    )
    timeline = kinds.add_parser(
        "timeline", help="a state's relation periods with one other state (or all), events, sources"
    )
    timeline.add_argument("--other", metavar="STATE", help="the other state (default: all)")
    for parser in (partners, timeline):
        parser.add_argument("--state", required=True, metavar="STATE", help="ISO code, QID, name")
        parser.add_argument(
            "--from", dest="first", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD"
        )
        parser.add_argument("--to", dest="last", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD")
        parser.add_argument(
            "--output", type=Path, required=True, metavar="FILE", help="FILE.svg or FILE.png"
        )
        add_engine_arguments(parser)
        parser.set_defaults(handler=run_plot)


def _day(text: str | None, flag: str, *, last: bool) -> date | None:
    if text is None:
        return None
    try:
        when = PartialDate.parse(text)
    except ValueError as error:
        raise CliError(f"{flag} {text!r}: {error}") from error
    return when.latest if last else when.earliest


def run_plot(arguments: argparse.Namespace) -> int:
    """Draw the chart and write it."""
    if arguments.output.suffix.lower() not in (".svg", ".png"):
        raise CliError(f"--output {arguments.output}: give a .svg or .png file name")
    first = _day(arguments.first, "--from", last=False)
    last = _day(arguments.last, "--to", last=True)
    engine = engine_from_arguments(arguments)
    state = queries.resolve_entity(arguments.state, "state", engine)
    if arguments.chart == "partners":
        chart = charts.partners_chart(engine, state, first, last)
    else:
        other = arguments.other and queries.resolve_entity(arguments.other, "state", engine)
        chart = charts.timeline_chart(engine, state, other or None, first, last)
    size = charts.write_chart(chart, arguments.output)
    print(f"wrote {arguments.output} ({size} bytes): {chart.title}")
    return EXIT_OK
