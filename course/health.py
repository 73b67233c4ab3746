"""Health notebook (01_health): country names, the focus places and the COVID-19 explorer.

The module hands students what no question asks them to compute: the JHU -> OWID name table, the four
places the article names, the population year the notebook uses, and the explorer. Every number a
question asks for is the student's own work: the daily series, 7-day averages and per-million values
the explorer draws are computed by private code here (``_explorer_table``) that no notebook names.

Three data facts shape the code:

* **Country names differ between sources.** Johns Hopkins (JHU CSSE) writes ``US``, ``Korea, South``,
  ``Taiwan*`` and ``Burma``; Our World in Data writes ``United States``, ``South Korea``, ``Taiwan`` and
  ``Myanmar``. :data:`JHU_TO_OWID` translates, so the two tables can be merged.
* **The population series ends in 2018** (the course's OWID CO2 file stops there). The per-million
  figures for 2020-2021 therefore divide by the 2018 population (:data:`POPULATION_YEAR`); notebook 1
  (Question 3) measures how little that changes.
* **The COVID-19 series are cumulative** and are sometimes revised downwards, so a daily difference can
  be negative. Those negative days are kept as published: never smoothed away or replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from . import widgets

__all__ = ["JHU_TO_OWID", "FOCUS", "POPULATION_YEAR", "EXPLORER_METRICS", "explorer"]

#: JHU CSSE country spellings that differ from Our World in Data's (the others are the same).
JHU_TO_OWID = {"US": "United States", "Korea, South": "South Korea", "Taiwan*": "Taiwan", "Burma": "Myanmar"}

#: The four places the article names as partners in the health response (OWID spellings).
FOCUS = ("United States", "Japan", "South Korea", "Taiwan")

#: Latest year with population in the course's OWID file (see the module docstring for why it is used).
POPULATION_YEAR = 2018

#: Explorer metric label -> (column of the explorer's table, unit shown on the axis).
EXPLORER_METRICS = {
    "New cases per million": ("new_cases_per_million", "people per million per day"),
    "New deaths per million": ("new_deaths_per_million", "people per million per day"),
    "New cases": ("new_cases", "people per day"),
    "New deaths": ("new_deaths", "people per day"),
    "Cumulative cases per million": ("cases_per_million", "people per million"),
    "Cumulative deaths per million": ("deaths_per_million", "people per million"),
}


def _explorer_table(covid: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    """One row per country and day: daily and cumulative cases and deaths, in people and per million.

    ``covid`` is the JHU table (``Date``, ``Country``, cumulative ``Confirmed`` and ``Deaths``);
    ``population`` a Series indexed by OWID country name. Countries without a population are left out.
    No moving average here: the explorer's smoothing slider applies it when it draws.
    """
    frame = covid[["Date", "Country", "Confirmed", "Deaths"]].copy()
    frame["country"] = frame["Country"].astype("string").replace(JHU_TO_OWID)
    frame = frame[frame["country"].isin(population.index)]
    if frame.empty:
        raise ValueError("none of the COVID-19 countries has a population in `population`")
    frame = frame.sort_values(["country", "Date"]).reset_index(drop=True)
    per_million = 1e6 / frame["country"].map(population).astype("float64")
    grouped = frame.groupby("country", sort=False)
    out = pd.DataFrame({"Date": frame["Date"], "country": frame["country"].astype(str)})
    out["new_cases"] = grouped["Confirmed"].diff().astype("float64")
    out["new_deaths"] = grouped["Deaths"].diff().astype("float64")
    out["new_cases_per_million"] = out["new_cases"] * per_million
    out["new_deaths_per_million"] = out["new_deaths"] * per_million
    out["cases_per_million"] = frame["Confirmed"].astype("float64") * per_million
    out["deaths_per_million"] = frame["Deaths"].astype("float64") * per_million
    return out


def explorer(covid: pd.DataFrame, population: pd.Series, *, source: str, default: Sequence[str] = FOCUS[:2]):
    """Country and metric explorer over the COVID-19 table: per capita or not, log or linear, smoothing.

    A thin wrapper around :func:`course.widgets.series_explorer` (static output during autograding).
    The smoothing slider is a trailing moving average in days (1 = no smoothing; it starts at 7).
    """
    return widgets.series_explorer(
        _explorer_table(covid, population),
        x="Date",
        by="country",
        by_label="Countries",
        metrics={label: column for label, (column, _unit) in EXPLORER_METRICS.items()},
        units={label: unit for label, (_column, unit) in EXPLORER_METRICS.items()},
        default=list(default),
        title="COVID-19 by country, January 2020 to 10 October 2021 (JHU CSSE)",
        source=source,
        xlabel="Date",
        log_option=True,
        smoothing=True,
    )
