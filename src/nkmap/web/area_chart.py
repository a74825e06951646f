"""The chart of the area each side held (`area_series`), for the classroom page.

Clicking a point selects its date (a Vega-Lite point selection named `SELECTION`), which the classroom page
turns into the map's date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd

from nkmap.data.dataset import Dataset
from nkmap.model.area_series import area_series
from nkmap.text import style
from nkmap.text.chart_locale import vega_locale
from nkmap.text.messages import messages_for
from nkmap.text.state_text import side_name

SELECTION = "pick"


def area_chart(
    ds: Dataset,
    start: dt.date | None,
    end: dt.date | None,
    current: dt.date | None,
    palette: str = "default",
    height: int = 420,
    lang: str = "en",
):
    """An Altair chart: km² per side as steps, a point per change date (click one to pick its date) and a
    vertical rule at `current`, the date the map shows. Colours are the map's, in the chosen palette."""
    m = messages_for(lang)
    frame = area_series(ds, start, end)
    frame["iso"] = [d.isoformat() for d in frame["date"]]
    frame["when"] = [f"{d.day} {d:%B %Y}" if lang == "en" else m.day(d) for d in frame["date"]]
    sides = [s for s in ds.sides if (frame.loc[frame["side"] == s, "km2"] > 0).any()]
    frame = frame[frame["side"].isin(sides)].drop(columns=["date"])
    labels = [ds.sides[s].get("short_en", s) if lang == "en" else side_name(ds, s, lang) for s in sides]
    if lang != "en":  # the series names its sides in English: the legend and tooltips take the language's labels
        frame["label"] = frame["side"].map(dict(zip(sides, labels)))
    colors = alt.Scale(domain=labels, range=[style.side_color(ds, s, palette) for s in sides])
    axis = alt.Axis(format="%b %Y", labelFontSize=15, labelOverlap=True, grid=False)
    x = alt.X("iso:T", title=None, axis=axis)
    y_title = m._("km² held (modelled)")
    y = alt.Y("km2:Q", title=y_title, axis=alt.Axis(labelFontSize=15, titleFontSize=15, format=",.0f"))
    color = alt.Color(
        "label:N",
        scale=colors,
        title=None,
        legend=alt.Legend(orient="top", columns=2, labelFontSize=15, symbolStrokeWidth=4, labelLimit=400),
    )
    pick = alt.selection_point(name=SELECTION, fields=["iso"], nearest=True, on="click", empty=False, clear="dblclick")
    base = alt.Chart(frame)
    lines = base.mark_line(interpolate="step-after", strokeWidth=4).encode(x=x, y=y, color=color)
    points = (
        base.mark_point(filled=True, size=90, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("label:N", scale=colors, legend=None),
            tooltip=[
                alt.Tooltip("when:N", title=m._("Date")),
                alt.Tooltip("label:N", title=m._("Held by")),
                alt.Tooltip("km2:Q", title="km²", format=",.0f"),
            ],
        )
        .add_params(pick)
    )
    layers = [lines, points]
    if current is not None:
        shown = f"{current.day} {current:%b %Y}" if lang == "en" else m.short_day(current)
        marker = pd.DataFrame({"iso": [current.isoformat()], "text": [shown]})
        rule = alt.Chart(marker).mark_rule(color="#000000", strokeWidth=3, strokeDash=[6, 3]).encode(x="iso:T")
        span = max((end or ds.end) - (start or ds.start), dt.timedelta(days=1))
        late = current - (start or ds.start) > span * 0.75  # write the date left of the rule near the right edge
        text = (
            alt.Chart(marker)
            .mark_text(
                align="right" if late else "left",
                dx=-6 if late else 6,
                dy=-4,
                fontSize=16,
                fontWeight="bold",
                color="#000000",
                baseline="top",
            )
            .encode(x="iso:T", y=alt.value(0), text="text:N")
        )
        layers += [rule, text]
    chart = alt.layer(*layers).properties(height=height)
    if lang != "en":  # Vega writes numbers and months as en-US does; the language's own come from CLDR (Babel)
        chart = chart.configure(locale=vega_locale(lang))
    return chart.configure_view(strokeWidth=0)


def picked_date(state: Any) -> dt.date | None:
    """The date chosen on the chart, from Streamlit's selection state (`{"selection": {"pick": [{"iso": ...}]}}`);
    None when nothing is chosen. Vega reports a temporal field as epoch milliseconds or as text."""
    try:
        chosen = state["selection"][SELECTION]
    except (KeyError, TypeError, IndexError):
        return None
    if isinstance(chosen, dict):  # some versions give {"iso": [value, ...]}
        values = chosen.get("iso")
        chosen = [{"iso": v} for v in values] if isinstance(values, list) else [chosen]
    if not isinstance(chosen, list) or not chosen or not isinstance(chosen[0], dict):
        return None
    value = chosen[0].get("iso")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.timezone.utc).date()
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
