"""Climate notebook (02_climate): the course's definitions, country lists and the net-zero pathway explorer.

Public: the constants a question names (the target year from the article, the course's definition of
"net zero" for a percentage pathway, the ASEAN codes, the geophysical hazards, the CAIT sectors) and
``pathway_explorer``. The explorer's arithmetic is private: no public function here computes an answer
that a question grades (the student computes those; the hidden tests hold the reference computations).

Two ways to get from a start year's emissions to net zero in 2050, as the explorer draws them:

* **straight line**: cut the *same tonnage* every year, reaching exactly zero in the target year;
* **constant percentage**: cut the *same share* of the previous year's emissions every year. A constant
  percentage cut shrinks emissions towards zero but never reaches it, so the course defines "net zero"
  for this pathway as reaching :data:`RESIDUAL_SHARE` (10 %) of the start-year level; the remaining
  emissions would have to be balanced by removals (forests, carbon capture) to be *net* zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd

from . import plots

__all__ = [
    "NET_ZERO_YEAR",
    "RESIDUAL_SHARE",
    "ASEAN_ISO3",
    "TIMOR_LESTE_ISO3",
    "GEOPHYSICAL_HAZARDS",
    "CAIT_SECTORS",
    "pathway_explorer",
]

#: Target year of the net-zero pledges the article describes (Biden and Suga).
NET_ZERO_YEAR = 2050

#: The course's definition of "net zero" for a constant-percentage pathway: emissions down to this
#: share of the start-year level (a percentage cut alone never reaches exactly zero).
RESIDUAL_SHARE = 0.10

#: The ten ASEAN members, ISO-3 code -> name (the codes the IDMC data use).
ASEAN_ISO3 = {
    "BRN": "Brunei", "KHM": "Cambodia", "IDN": "Indonesia", "LAO": "Laos", "MYS": "Malaysia",
    "MMR": "Myanmar", "PHL": "Philippines", "SGP": "Singapore", "THA": "Thailand", "VNM": "Vietnam",
}

#: Timor-Leste: geographically Southeast Asian, not an ASEAN member in 2020.
TIMOR_LESTE_ISO3 = "TLS"

#: IDMC hazard types that are geophysical, not weather-related.
GEOPHYSICAL_HAZARDS = ("earthquake", "volcanic activity")

#: The CAIT sectors that add up to "Total excluding LUCF" (no overlaps: "Energy" is the sum of the first
#: six; "Aviation and shipping" is international bunker fuel, outside national totals).
CAIT_SECTORS = [
    "Electricity and heat", "Transport", "Manufacturing and construction", "Buildings",
    "Fugitive emissions", "Other fuel combustion", "Agriculture", "Industry", "Waste",
]


# --- the explorer's arithmetic (private: no notebook names it; the graded answers are the student's own) ---


def _yearly_cut_needed(start_value: float, end_value: float, years: int) -> float:
    """Constant yearly cut, in percent, that takes ``start_value`` to ``end_value`` in ``years`` steps."""
    if years <= 0:
        raise ValueError("years must be positive")
    if start_value <= 0 or end_value <= 0:
        raise ValueError("a percentage pathway needs positive start and end values (it never reaches zero)")
    return 100 * (1 - (end_value / start_value) ** (1 / years))


def _constant_cut_pathway(start_year: int, start_value: float, cut_pct: float, end_year: int = NET_ZERO_YEAR) -> pd.Series:
    """Emissions each year from ``start_year`` to ``end_year`` when cut by ``cut_pct`` percent a year."""
    years = range(int(start_year), int(end_year) + 1)
    factor = 1 - cut_pct / 100
    return pd.Series([start_value * factor ** (y - start_year) for y in years], index=pd.Index(years, name="year"),
                     name="constant cut")


def _straight_line_pathway(start_year: int, start_value: float, end_year: int = NET_ZERO_YEAR) -> pd.Series:
    """Emissions each year when cut by the same tonnage every year, from ``start_value`` to zero."""
    if end_year <= start_year:
        raise ValueError("end_year must be after start_year")
    step = start_value / (end_year - start_year)
    years = range(int(start_year), int(end_year) + 1)
    return pd.Series([start_value - step * (y - start_year) for y in years], index=pd.Index(years, name="year"),
                     name="straight line")


def _pathway_summary(actual: pd.Series, start_year: int, cut_pct: float, *, target_year: int = NET_ZERO_YEAR,
                     residual_share: float = RESIDUAL_SHARE) -> dict:
    """Numbers the explorer prints: the pathway against the actual series and against the 2050 target."""
    actual = actual.dropna()
    start_value = float(actual.loc[start_year])
    path = _constant_cut_pathway(start_year, start_value, cut_pct, target_year)
    last_year = int(actual.index.max())
    summary = {
        "start_year": int(start_year),
        "start_value": start_value,
        "cut_pct": float(cut_pct),
        "last_actual_year": last_year,
        "actual_last": float(actual.loc[last_year]),
        "pathway_last": float(path.loc[last_year]) if last_year in path.index else None,
        "pathway_target_year": float(path.loc[target_year]),
        "target_value": residual_share * start_value,
        "share_left_pct": 100 * float(path.loc[target_year]) / start_value,
        "cut_needed_pct": _yearly_cut_needed(start_value, residual_share * start_value, target_year - start_year),
    }
    summary["meets_target"] = summary["pathway_target_year"] <= summary["target_value"] * (1 + 1e-9)
    return summary


def _draw_pathway(actual: pd.Series, label: str, start_year: int, cut_pct: float, *, source: str,
                  unit: str = "Mt CO2 per year", target_year: int = NET_ZERO_YEAR,
                  residual_share: float = RESIDUAL_SHARE):
    """Plot the actual series, a constant-cut pathway, the straight line to zero and the target point.

    Prints (above the chart) the pathway's value in the last year of data next to the actual one, and
    what is left in the target year, so a student can read the numbers as well as the chart.
    """
    actual = actual.dropna().astype(float)
    info = _pathway_summary(actual, start_year, cut_pct, target_year=target_year, residual_share=residual_share)
    constant = _constant_cut_pathway(start_year, info["start_value"], cut_pct, target_year)
    straight = _straight_line_pathway(start_year, info["start_value"], target_year)
    names = [f"{label}, actual", f"Cut {cut_pct:g}% a year from {start_year}", f"Straight line to zero from {start_year}"]
    frame = pd.concat([
        pd.DataFrame({"year": actual.index.astype(int), "value": actual.to_numpy(), "series": names[0]}),
        pd.DataFrame({"year": constant.index, "value": constant.to_numpy(), "series": names[1]}),
        pd.DataFrame({"year": straight.index, "value": straight.to_numpy(), "series": names[2]}),
    ], ignore_index=True)
    # keep the legend in this order (plots.line sorts the groups by name)
    frame["series"] = pd.Categorical(frame["series"], categories=names, ordered=True)
    plots.use_course_style()
    fig, ax = plt.subplots()
    ax.plot([target_year], [info["target_value"]], marker="*", markersize=14, linestyle="none",
            color=plots.PALETTE[3], label=f"Target: {int(residual_share * 100)}% of the {start_year} level in {target_year}")
    plots.line(frame, x="year", y="value", hue="series", ax=ax,
               title=f"{label}: a net-zero pathway from {start_year}", xlabel="Year", ylabel=f"Emissions ({unit})",
               source=source)
    if info["pathway_last"] is not None and info["last_actual_year"] > start_year:
        print(f"In {info['last_actual_year']}: pathway {info['pathway_last']:,.0f}, actual {info['actual_last']:,.0f} ({unit}).")
    print(f"In {target_year}: pathway {info['pathway_target_year']:,.0f} = {info['share_left_pct']:.1f}% of the "
          f"{start_year} level; target {info['target_value']:,.0f}. Cut needed from {start_year}: "
          f"{info['cut_needed_pct']:.2f}% a year.")
    return fig


def pathway_explorer(frame: pd.DataFrame, *, country: str, year: str, value: str, countries: Sequence[str],
                     source: str, default_country: str | None = None, default_start: int | None = None,
                     default_cut: float = 5.0, unit: str = "Mt CO2 per year", title: str = "Net-zero pathway explorer"):
    """Sliders for start year and yearly cut (and a country menu) over long data; static when autograding."""
    import ipywidgets as w

    from . import widgets

    part = frame[frame[country].isin(countries)]
    series = {name: group.set_index(year)[value].astype(float).sort_index() for name, group in part.groupby(country)}
    first = int(part[year].min())
    last = int(part[year].max())
    # Full labels and room for the readout: a control must never show "Yearly cut..." (issue 19).
    style = {"description_width": "initial"}
    controls = {
        "which": w.Dropdown(options=list(countries), value=default_country or list(countries)[0], description="Country",
                            style=style, layout=w.Layout(width="260px")),
        "start_year": w.IntSlider(value=default_start or last, min=first, max=last, description="Start year",
                                  continuous_update=False, style=style, layout=w.Layout(width="380px")),
        "cut_pct": w.FloatSlider(value=default_cut, min=0, max=20, step=0.5, description="Yearly cut (%)",
                                 readout_format=".1f", continuous_update=False, style=style,
                                 layout=w.Layout(width="380px")),
    }

    def draw(which, start_year, cut_pct):
        _draw_pathway(series[which], which, start_year, cut_pct, source=source, unit=unit)

    return widgets.explore(draw, controls, title)
