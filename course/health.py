"""Health notebook (01_health): country names, population, daily COVID-19 series and the explorer.

The notebook cells stay thin and call into this module. Everything here is arithmetic on real series
from ``data/``; the module supplies no number of its own except the choices documented below (the
population year and the smoothing window).

Three data facts shape the code:

* **Country names differ between sources.** Johns Hopkins (JHU CSSE) writes ``US``, ``Korea, South``,
  ``Taiwan*`` and ``Burma``; Our World in Data writes ``United States``, ``South Korea``, ``Taiwan`` and
  ``Myanmar``. :data:`JHU_TO_OWID` translates, so the two tables can be merged.
* **The population series ends in 2018** (the course's OWID CO2 file stops there). The per-million
  figures for 2020-2021 therefore divide by the 2018 population (:data:`POPULATION_YEAR`). For the
  countries in the course, population changes by well under 1 % a year, so this shifts a per-million
  figure by a few percent at most: small next to the differences between countries.
* **The COVID-19 series are cumulative** and are sometimes revised downwards, so a daily difference can
  be negative. The module keeps those negative days as published: it never smooths them away or
  replaces them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from . import widgets

__all__ = [
    "JHU_TO_OWID",
    "FOCUS",
    "POPULATION_YEAR",
    "WINDOW",
    "to_owid_names",
    "population",
    "daily_table",
    "EXPLORER_METRICS",
    "explorer",
]

#: JHU CSSE country spellings that differ from Our World in Data's (the others are the same).
JHU_TO_OWID = {"US": "United States", "Korea, South": "South Korea", "Taiwan*": "Taiwan", "Burma": "Myanmar"}

#: The four places the article names as partners in the health response (OWID spellings).
FOCUS = ("United States", "Japan", "South Korea", "Taiwan")

#: Latest year with population in the course's OWID file (see the module docstring for why it is used).
POPULATION_YEAR = 2018

#: Days in the moving average used for "7-day average" columns.
WINDOW = 7


def to_owid_names(names: pd.Series) -> pd.Series:
    """Translate JHU country names to OWID ones; names that already agree are kept unchanged."""
    return names.astype("string").replace(JHU_TO_OWID)


def population(owid: pd.DataFrame, year: int = POPULATION_YEAR) -> pd.Series:
    """Population (people) of every country in ``owid`` in ``year``, a Series indexed by country name."""
    rows = owid[owid["year"] == year]
    if rows.empty:
        raise ValueError(f"no population for {year}: the OWID file covers {owid['year'].min()}-{owid['year'].max()}")
    return rows.set_index("country")["population"].astype("float64").rename(f"population_{year}")


def daily_table(covid: pd.DataFrame, pop: pd.Series, window: int = WINDOW) -> pd.DataFrame:
    """Daily new cases and deaths, per million and as ``window``-day averages, one row per country and day.

    ``covid`` is the JHU table (``Date``, ``Country``, cumulative ``Confirmed`` and ``Deaths``); ``pop``
    a population Series indexed by OWID country name (:func:`population`). Countries without a
    population are dropped (and listed in the error if none is left). Columns of the result:

    ``Date``, ``country`` (OWID name), ``new_cases``, ``new_deaths`` (people per day; the first day of each
    country is empty, revisions make some days negative), ``new_cases_per_million``,
    ``new_deaths_per_million``, ``new_cases_per_million_7d``, ``new_deaths_per_million_7d`` (trailing
    ``window``-day means; empty until a full window exists), ``cases_per_million`` and
    ``deaths_per_million`` (cumulative).
    """
    frame = covid[["Date", "Country", "Confirmed", "Deaths"]].copy()
    frame["country"] = to_owid_names(frame["Country"])
    frame = frame[frame["country"].isin(pop.index)]
    if frame.empty:
        raise ValueError("none of the COVID-19 countries has a population in `pop`")
    frame = frame.sort_values(["country", "Date"]).reset_index(drop=True)
    per_million = 1e6 / frame["country"].map(pop).astype("float64")
    grouped = frame.groupby("country", sort=False)
    out = pd.DataFrame({"Date": frame["Date"], "country": frame["country"]})
    out["new_cases"] = grouped["Confirmed"].diff().astype("float64")
    out["new_deaths"] = grouped["Deaths"].diff().astype("float64")
    for what in ("cases", "deaths"):
        out[f"new_{what}_per_million"] = out[f"new_{what}"] * per_million
        out[f"new_{what}_per_million_7d"] = out.groupby("country", sort=False)[f"new_{what}_per_million"].transform(
            lambda s: s.rolling(window).mean()
        )
    out["cases_per_million"] = frame["Confirmed"].astype("float64") * per_million
    out["deaths_per_million"] = frame["Deaths"].astype("float64") * per_million
    return out


#: Explorer metric label -> (column of :func:`daily_table`, unit shown on the axis).
EXPLORER_METRICS = {
    "New cases per million": ("new_cases_per_million", "people per million per day"),
    "New deaths per million": ("new_deaths_per_million", "people per million per day"),
    "New cases": ("new_cases", "people per day"),
    "New deaths": ("new_deaths", "people per day"),
    "Cumulative cases per million": ("cases_per_million", "people per million"),
    "Cumulative deaths per million": ("deaths_per_million", "people per million"),
}


def explorer(daily: pd.DataFrame, *, source: str, default: Sequence[str] = FOCUS[:2]):
    """Country and metric explorer over :func:`daily_table`: per capita or not, log or linear, smoothing.

    A thin wrapper around :func:`course.widgets.series_explorer` (static output during autograding).
    The smoothing slider is a trailing moving average in days (1 = no smoothing; it starts at 7).
    """
    return widgets.series_explorer(
        daily,
        x="Date",
        by="country",
        metrics={label: column for label, (column, _unit) in EXPLORER_METRICS.items()},
        units={label: unit for label, (_column, unit) in EXPLORER_METRICS.items()},
        default=list(default),
        title="COVID-19 by country, January 2020 to 10 October 2021 (JHU CSSE)",
        source=source,
        xlabel="Date",
        log_option=True,
        smoothing=True,
    )
