"""The charts page: a state's partner count and relation timeline, drawn as SVG on request."""

from __future__ import annotations

from diplomacy_kg import charts, queries
from diplomacy_kg.charts import draw
from diplomacy_kg.engines import Engine
from diplomacy_kg.namespaces import last_segment
from diplomacy_kg.site.html import e, page, query_string

KINDS = ("partners", "timeline")


def chart_svg(engine: Engine, kind: str, state: str, other: str = "") -> bytes | None:
    """Draw one chart as SVG, or None when the state or the chart is unknown."""
    if kind not in KINDS:
        return None
    try:
        subject = queries.resolve_entity(state, "state", engine)
        partner = queries.resolve_entity(other, "state", engine) if other else None
        if kind == "partners":
            chart = charts.partners_chart(engine, subject)
        else:
            chart = charts.timeline_chart(engine, subject, partner)
    except (queries.ParameterError, charts.ChartError):
        return None
    return draw.render(chart.figure, "svg")


def static_name(kind: str, state: str, other: str = "") -> str:
    """Return a chart's file name in the static site (`partners-kor.svg`)."""
    return "-".join(p.lower() for p in (kind, state, other) if p) + ".svg"


def charts_page(
    engine: Engine, state: str, other: str = "", *, static: bool = False
) -> tuple[int, str]:
    """Render the charts page for a state: a form, the partner chart and the timeline."""
    form = (
        '<form class="query" method="get" action="/charts">'
        f'<label>state <input name="state" value="{e(state)}"></label> '
        f'<label>other (timeline) <input name="other" value="{e(other)}"></label> '
        '<button type="submit">draw</button></form>'
    )
    try:
        subject = queries.resolve_entity(state, "state", engine)
        if other:
            queries.resolve_entity(other, "state", engine)
    except queries.ParameterError as error:
        return 400, page("Charts", f'{form}<p class="error" role="alert">{e(error)}</p>')
    params = {"state": state} | ({"other": other} if other else {})
    name = last_segment(subject).upper()
    partners_src = f"/charts/partners.svg?{query_string({'state': state})}"
    timeline_src = f"/charts/timeline.svg?{query_string(params)}"
    if static:
        form = ""
        partners_src = "/charts/" + static_name("partners", state)
        timeline_src = "/charts/" + static_name("timeline", state, other)
    body = (
        form + f'<figure><img src="{e(partners_src)}" '
        f'alt="Diplomatic partners of {e(name)} over time"><figcaption>The number of '
        "partners: the line where it is known to the day, the band between what is certain "
        "and what is possible where dates are imprecise or unknown.</figcaption></figure>"
        + f'<figure><img src="{e(timeline_src)}" '
        f'alt="Relation timeline of {e(name)}"><figcaption>Each relation period; faded where '
        "its start or end is known only to the year or month.</figcaption></figure>"
    )
    return 200, page("Charts", body)
