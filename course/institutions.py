"""Helpers for notebook 4, strengthening multilateral institutions in Asia.

The notebook stays thin: its cells call into this module for the pieces that are longer than a few
lines and are not the student's exercise.

* :func:`presidents_by_year` - which U.S. president was in office in each survey year (a lookup table
  students merge with the Pew data);
* :func:`favourability_explorer` - the notebook's widget: favourable views of the U.S. by country and
  year, with the presidential terms shaded and, optionally, a figure quoted in the article drawn as a
  reference point;
* :func:`change_chart` - draws the student's own table of changes, with a legend for the highlight.

No numbers live here: the only facts are the years each president took office (January of the first
year), which are general knowledge and stated in the notebook. Nothing here computes a graded answer:
the explorer reshapes only the countries it is asked to draw, inside the drawing function.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as ipw
import pandas as pd

from . import plots, widgets

__all__ = ["TERMS", "presidents_by_year", "draw_favourability", "favourability_explorer", "change_chart"]

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
    wide: pd.DataFrame,
    selected: Sequence[str],
    window: tuple[int, int],
    show_terms: bool = True,
    *,
    source: str,
    reference: dict | None = None,
):
    """Draw favourable views of the U.S. for ``selected`` countries over ``window`` (years).

    ``wide`` is the Pew table as loaded (``year`` and one column per country). Each survey year is
    marked, so gaps between surveys are visible. ``reference`` (optional) is ``{"country": ...,
    "value": ..., "label": ...}``: a figure quoted elsewhere (e.g. in the article) from a later survey,
    drawn as a hollow marker just right of the last survey year when its country is selected and the
    window reaches that year. Returns the figure, or None (with a message) when there is nothing to draw.
    """
    selected = [c for c in selected if c in wide.columns and c not in ("year", "avg")]
    years = wide["year"].astype(int)
    in_window = wide[years.between(window[0], window[1])]
    rows = [
        {"year": int(year), "country": country, "favourable": float(value)}
        for country in selected
        for year, value in zip(in_window["year"], in_window[country])
        if not pd.isna(value)
    ]
    if not rows:
        print("No survey data for this choice: pick other countries or a wider window of years.")
        return None
    part = pd.DataFrame(rows)
    fig = plots.line(
        part, x="year", y="favourable", hue="country",
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
    last_survey = int(years.max())
    if reference and reference.get("country") in selected:
        if window[1] >= last_survey:
            ax.plot([window[1] + 0.3], [reference["value"]], marker="o", markersize=9, markerfacecolor="none",
                    markeredgecolor="#000000", linestyle="none", label=reference.get("label", "reference"))
            print(f"Hollow marker: {reference.get('label', 'reference')} = {reference['value']:g}% "
                  f"(a later poll the article does not name; drawn at the right edge because it is later "
                  f"than the last survey year here, {last_survey}).")
        else:
            print(f"The article's later figure for {reference['country']} is drawn only when the window "
                  f"reaches {last_survey}.")
    ax.legend(loc="lower left", fontsize=8)
    return fig


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
    countries = sorted(c for c in wide.columns if c not in ("year", "avg") and wide[c].notna().any())
    years = wide["year"].dropna().astype(int)
    low, high = int(years.min()), int(years.max())
    # Labels and readouts must be readable in full (no "Shade presid..." or "2000 - 201").
    label_style = {"description_width": "initial"}
    controls = {
        "selected": ipw.SelectMultiple(
            options=countries, value=tuple(c for c in default if c in countries) or tuple(countries[:1]),
            description="Countries", rows=8, style=label_style, layout=ipw.Layout(width="260px"),
        ),
        "window": ipw.IntRangeSlider(value=(low, high), min=low, max=high, description="Survey years",
                                     continuous_update=False, style=label_style, layout=ipw.Layout(width="460px")),
        "show_terms": ipw.Checkbox(value=True, description="Shade presidential terms", indent=False,
                                   style=label_style, layout=ipw.Layout(width="240px")),
    }

    def draw(selected, window, show_terms):
        draw_favourability(wide, selected, window, show_terms, source=source, reference=reference)

    return widgets.explore(draw, controls, title)


def change_chart(change: pd.Series, *, highlight: Sequence[str], highlight_label: str, source: str,
                 title: str, xlabel: str):
    """Horizontal bars of ``change`` (the student's own Series, by country), highlighted bars explained
    in a legend, in a figure short enough to see its title and axis together (about 8 x 8 inches)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    change = change.astype(float).dropna().sort_values()
    plots.use_course_style()
    fig, ax = plt.subplots(figsize=(8, min(8.0, 1.5 + 0.17 * len(change))))
    plots.bar(change.index, change.to_numpy(), title=title, xlabel=xlabel, ylabel="Country",
              source=source, highlight=highlight, ax=ax)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(handles=[Patch(color=plots.PALETTE[1], label=highlight_label),
                       Patch(color=plots.PALETTE[0], label="Other countries")], loc="lower left", fontsize=8)
    return fig
