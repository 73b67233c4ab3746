"""Scoring the five priorities against each other (capstone notebook, 06_capstone).

Each priority gets one indicator: a *growth factor against a stated baseline* (latest / baseline), so
every indicator is unitless and ">1 means the problem grew". Two ways to put them on a 0-1 scale:
min-max (keeps distances, but one large value squeezes the others) and rank (keeps only the order).
Weights then combine them; `sensitivity` counts how often each priority comes first over a grid of weights.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import ipywidgets
import matplotlib.pyplot as plt
import pandas as pd

from . import plots, widgets

PRIORITIES = ["Global health", "Climate change", "China challenge", "Regional institutions", "North Korea"]
SCALINGS = ("min-max", "rank")
WEIGHT_LEVELS = (0, 1, 2, 3)


def minmax(values: pd.Series) -> pd.Series:
    """(x - min) / (max - min): smallest -> 0, largest -> 1."""
    spread = values.max() - values.min()
    if spread == 0:
        return values * 0.0
    return (values - values.min()) / spread


def rank_scale(values: pd.Series) -> pd.Series:
    """Ranks mapped to 0..1 (smallest -> 0, largest -> 1); ties share the average rank."""
    ranks = values.rank(method="average")
    if len(values) < 2:
        return ranks * 0.0
    return (ranks - 1) / (len(values) - 1)


def scale(values: pd.Series, method: str) -> pd.Series:
    if method == "min-max":
        return minmax(values)
    if method == "rank":
        return rank_scale(values)
    raise ValueError(f"unknown scaling {method!r}; use one of {SCALINGS}")


def weighted_scores(scaled: pd.Series, weights: Mapping[str, float]) -> pd.Series:
    """Weighted score per priority (scaled value x weight), highest first.

    Priorities missing from ``weights`` get weight 0. Ties keep the order of ``scaled``.
    """
    weight = pd.Series({name: float(weights.get(name, 0)) for name in scaled.index})
    return (scaled.astype(float) * weight).sort_values(ascending=False, kind="stable")


def top_priority(scaled: pd.Series, weights: Mapping[str, float]) -> str | None:
    """The single highest-scoring priority, or None when the top is tied or every score is 0."""
    scores = weighted_scores(scaled, weights)
    if scores.iloc[0] <= 0 or (len(scores) > 1 and scores.iloc[0] == scores.iloc[1]):
        return None
    return str(scores.index[0])


def sensitivity(scaled: pd.Series, levels: Sequence[float] = WEIGHT_LEVELS) -> pd.Series:
    """Share of weight combinations (each weight one of ``levels``) in which each priority is alone on top.

    Combinations with a tie at the top, or with all weights 0, count for no priority, so the shares
    can add up to less than 1; the share of ties is returned under the label "tie".
    """
    names = list(scaled.index)
    wins = dict.fromkeys(names, 0)
    wins["tie"] = 0
    total = 0
    for combo in itertools.product(levels, repeat=len(names)):
        if not any(combo):
            continue
        total += 1
        winner = top_priority(scaled, dict(zip(names, combo)))
        wins[winner if winner is not None else "tie"] += 1
    return pd.Series(wins, dtype=float) / total


def weights_explorer(indicators: pd.DataFrame | None, *, source: str):
    """Sliders for the five weights and a choice of scaling; draws the weighted ranking of ``indicators``."""
    if indicators is None or "ratio" not in getattr(indicators, "columns", []):
        print("Build the `indicators` table first (Questions 1-7), then run this cell again.")
        return None
    ratios = indicators.set_index("priority")["ratio"].astype(float)
    controls = {
        "scaling": ipywidgets.ToggleButtons(options=list(SCALINGS), value="rank", description="Scaling"),
        **{
            name: ipywidgets.IntSlider(value=1, min=0, max=3, description=name[:14], continuous_update=False)
            for name in ratios.index
        },
    }

    def draw(scaling, **weights):
        scores = weighted_scores(scale(ratios, scaling), weights)
        fig = plots.bar(
            scores.index, scores.to_numpy(), title=f"Weighted priority scores ({scaling} scaling)",
            xlabel="Weighted score (scaled indicator x weight)", ylabel="Priority", source=source,
            highlight=[scores.index[0]],
        )
        plt.show()
        plt.close(fig)

    return widgets.explore(draw, controls, "Weigh the five priorities")
