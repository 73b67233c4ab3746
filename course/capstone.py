"""The capstone's weights explorer and its constants (06_capstone).

Nothing here computes a graded answer: the notebook's questions (the change factors, the 0-1 scaling,
the share of weight combinations each priority wins) are the student's own work, and their reference
values live in the hidden tests. The explorer draws from the student's own ``indicators`` table; the
only number it computes from the data itself is the alternative climate indicator that includes China,
which no question asks for.
"""

from __future__ import annotations

import ipywidgets
import pandas as pd

from . import data, plots, widgets

# The four priorities that can be measured over the same two periods (health cannot: the pandemic has
# no 2013-2016 baseline; the notebook says why).
PRIORITIES = ["Climate change", "China challenge", "Regional institutions", "North Korea"]
BEFORE = (2013, 2016)  # the four years before the Trump term
AFTER = (2017, 2020)  # the Trump term; 2020 is the last year that every indicator's data cover
SCALINGS = ("min-max", "rank")
CLIMATE_CHOICES = ("U.S. + Japan (your table)", "U.S. + Japan + China")

_LABEL_STYLE = {"description_width": "initial"}


def _period_mean(values: pd.Series, years: tuple[int, int]) -> float:
    """Mean of a Series indexed by year over the inclusive span ``years``."""
    return float(values.loc[years[0] : years[1]].mean())


def _climate_factor_with_china() -> float:
    """Combined fossil CO2 of the U.S., Japan and China: AFTER mean / BEFORE mean (explorer's alternative)."""
    gcp = data._parse("gcp_fossil_co2")
    yearly = gcp[gcp["Country"].isin(["USA", "Japan", "China"])].groupby("Year")["Total"].sum()
    return _period_mean(yearly, AFTER) / _period_mean(yearly, BEFORE)


def _scaled(factors: pd.Series, scaling: str) -> pd.Series:
    """The factors on a 0-1 scale: by distance (min-max) or by position (rank)."""
    if scaling == "min-max":
        spread = factors.max() - factors.min()
        return factors * 0.0 if spread == 0 else (factors - factors.min()) / spread
    if scaling == "rank":
        return (factors.rank() - 1) / max(len(factors) - 1, 1)
    raise ValueError(f"unknown scaling {scaling!r}; use one of {SCALINGS}")


def _leader(scores: pd.Series) -> str | None:
    """The one priority with the highest score, or None when the top is shared or every score is 0."""
    top = scores.max()
    if top <= 0 or (scores == top).sum() > 1:
        return None
    return str(scores.idxmax())


def _factors_from(indicators) -> pd.Series | None:
    """The student's factors by priority, or None when ``indicators`` is not usable yet."""
    if not isinstance(indicators, pd.DataFrame) or not {"priority", "factor"} <= set(indicators.columns):
        return None
    factors = pd.to_numeric(indicators.set_index("priority")["factor"], errors="coerce")
    if sorted(map(str, factors.index)) != sorted(PRIORITIES) or factors.isna().any():
        return None
    return factors.reindex(PRIORITIES).astype(float)


def weights_explorer(indicators, *, source: str):
    """Weight sliders, a scaling choice and a climate-indicator choice over the student's ``indicators``."""
    factors = _factors_from(indicators)
    if factors is None:
        print("Build the `indicators` table first (Question 7: one row per priority, columns `priority` and "
              "`factor`), then run this cell again.")
        return None
    with_china = _climate_factor_with_china()
    wide = ipywidgets.Layout(width="420px")
    controls = {
        "scaling": ipywidgets.ToggleButtons(options=list(SCALINGS), value="min-max", description="Scaling",
                                            style=_LABEL_STYLE),
        "climate": ipywidgets.Dropdown(options=list(CLIMATE_CHOICES), value=CLIMATE_CHOICES[0],
                                       description="Climate indicator", style=_LABEL_STYLE, layout=wide),
        **{
            name: ipywidgets.IntSlider(value=1, min=0, max=3, description=f"Weight: {name}", continuous_update=False,
                                       style=_LABEL_STYLE, layout=wide)
            for name in PRIORITIES
        },
    }

    def draw(scaling, climate, **weights):
        chosen = factors.copy()
        if climate == CLIMATE_CHOICES[1]:
            chosen["Climate change"] = with_china
        scores = (_scaled(chosen, scaling) * pd.Series(weights, dtype=float)).sort_values(ascending=False)
        leader = _leader(scores)
        # Each bar names its weight: a priority whose scaled factor is 0 (the lowest, under either scaling)
        # scores 0 whatever its weight, and its slider must still visibly do something.
        labels = [f"{name} (weight {weights[name]})" for name in scores.index]
        fig = plots.bar(
            labels, scores.to_numpy(),
            # The climate choice is named so that every change of a control shows, even when it leaves
            # the order (and so the bars under rank scaling) as it was.
            title=f"Weighted scores, {scaling} scaling: " + (f"{leader} first" if leader else "no single leader")
            + f"\nClimate indicator: {climate}",
            xlabel="Weighted score (scaled factor x weight)", ylabel="Priority", source=source,
        )
        plots.show(fig)

    return widgets.explore(draw, controls, "Weigh the four measured priorities")


def source_line() -> str:
    """One citation line for a chart built from the four indicators' data sets."""
    names = ["gcp_fossil_co2", "sipri_milex", "eas_attendance", "nk_missile_tests"]
    return "Sources: " + "; ".join(data.cite(n).removeprefix("Source: ").split(" Course file")[0].rstrip(".")
                                   for n in names) + "."
