"""Helpers for notebook 4, strengthening multilateral institutions in Asia.

The notebook stays thin: its cells call into this module for the pieces that are longer than a few
lines and are not the student's exercise.

* :func:`presidents_by_year` - which U.S. president was in office in each survey year (a lookup table
  students merge with the Pew data);
* :func:`favourability_explorer` - the notebook's widget: favourable views of the U.S. by country and
  year, with the presidential terms shaded and, optionally, a figure quoted in the article drawn as a
  reference point.

No numbers live here: the only facts are the years each president took office (January of the first
year), which are general knowledge and stated in the notebook.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as ipw
import pandas as pd

from . import plots, widgets

__all__ = ["TERMS", "presidents_by_year", "draw_favourability", "favourability_explorer"]

# (president, first calendar year in office, last calendar year in office). A president inaugurated on
# 20 January is counted for the whole year, which suits Pew's surveys (fielded in spring).
TERMS: list[tuple[str, int, int]] = [
    ("Bill Clinton", 1993, 2000),
    ("George W. Bush", 2001, 2008),
    ("Barack Obama", 2009, 2016),
    ("Donald Trump", 2017, 2020),
]

# Colour-blind-safe light fills for the shaded terms (from the Okabe-Ito palette, used faintly).
_TERM_FILLS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7"]


def presidents_by_year(first: int = 2000, last: int = 2020) -> pd.DataFrame:
    """One row per calendar year from ``first`` to ``last``: columns ``year`` and ``president``."""
    rows = [
        {"year": year, "president": name}
        for name, start, end in TERMS
        for year in range(max(start, first), min(end, last) + 1)
    ]
    if not rows:
        raise ValueError(f"no president known for {first}-{last}; TERMS covers {TERMS[0][1]}-{TERMS[-1][2]}")
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    frame["president"] = frame["president"].astype("string")
    return frame


def draw_favourability(
    long: pd.DataFrame,
    selected: Sequence[str],
    window: tuple[int, int],
    show_terms: bool = True,
    *,
    source: str,
    reference: dict | None = None,
    country: str = "country",
    value: str = "favourable",
):
    """Draw favourable views of the U.S. for ``selected`` countries over ``window`` (years).

    ``long`` has one row per country and survey year (columns ``year``, ``country``, ``favourable``).
    Each survey year is marked, so gaps between surveys are visible. ``reference`` (optional) is
    ``{"country": ..., "value": ..., "label": ...}``: a figure quoted elsewhere (e.g. in the article),
    drawn as a hollow marker at the right edge when its country is selected. Returns the figure, or
    None (with a message) when there is nothing to draw.
    """
    selected = list(selected)
    part = long[long[country].isin(selected) & long["year"].between(window[0], window[1])].dropna(subset=[value])
    if part.empty:
        print("No survey data for this choice: pick other countries or a wider window of years.")
        return None
    part = part.assign(year=part["year"].astype(int), **{value: part[value].astype(float)})
    fig = plots.line(
        part, x="year", y=value, hue=country,
        title="Favourable view of the United States",
        xlabel="Survey year", ylabel="Respondents with a favourable view (%)",
        source=source,
    )
    ax = fig.axes[0]
    for i, line in enumerate(ax.get_lines()):
        line.set_marker(plots.MARKERS[i % len(plots.MARKERS)])
    ax.set_ylim(0, 100)
    ax.set_xlim(window[0] - 0.5, window[1] + 0.5)
    if show_terms:
        for i, (name, start, end) in enumerate(TERMS):
            left, right = max(start, window[0]) - 0.5, min(end, window[1]) + 0.5
            if left < right:
                ax.axvspan(left, right, color=_TERM_FILLS[i % len(_TERM_FILLS)], alpha=0.12, linewidth=0)
                ax.text((left + right) / 2, 97, name.split()[-1], ha="center", va="top", fontsize=8, color="#444444")
    if reference and reference.get("country") in selected:
        ax.plot([window[1] + 0.3], [reference["value"]], marker="o", markersize=9, markerfacecolor="none",
                markeredgecolor="#000000", linestyle="none", label=reference.get("label", "reference"))
        print(f"Hollow marker: {reference.get('label', 'reference')} = {reference['value']:g}% "
              "(not a Pew value; drawn at the right edge because its survey year is later than the data).")
    ax.legend(loc="lower left", fontsize=8)
    return fig


def _to_long(wide: pd.DataFrame, *, id_column: str = "year", drop: Sequence[str] = ("avg",),
            var_name: str = "country", value_name: str = "favourable") -> pd.DataFrame:
    """Wide survey table (one column per country) -> long (``year``, ``country``, ``favourable``), no gaps."""
    kept = wide.drop(columns=[c for c in drop if c in wide.columns])
    long = kept.melt(id_vars=id_column, var_name=var_name, value_name=value_name)
    return long.dropna(subset=[value_name]).reset_index(drop=True)


def favourability_explorer(
    wide: pd.DataFrame,
    *,
    source: str,
    default: Sequence[str] = ("Japan",),
    reference: dict | None = None,
    title: str = "Favourable view of the U.S. by country (Pew)",
):
    """The notebook's widget: pick countries and a window of years; terms shaded; optional reference.

    ``wide`` is the Pew table as loaded (``year``, ``avg`` and one column per country). Static (one
    drawing with the defaults) during autograding, like every course explorer.
    """
    long = _to_long(wide)
    countries = sorted(long["country"].dropna().unique().tolist())
    years = long["year"].dropna().astype(int)
    low, high = int(years.min()), int(years.max())
    controls = {
        "selected": ipw.SelectMultiple(
            options=countries, value=tuple(c for c in default if c in countries) or tuple(countries[:1]),
            description="Countries", rows=8,
        ),
        "window": ipw.IntRangeSlider(value=(low, high), min=low, max=high, description="Years",
                                     continuous_update=False),
        "show_terms": ipw.Checkbox(value=True, description="Shade presidential terms"),
    }

    def draw(selected, window, show_terms):
        draw_favourability(long, selected, window, show_terms, source=source, reference=reference)

    return widgets.explore(draw, controls, title)
