"""Notebook 3 (the China challenge): reference tables and the two-country comparison explorer.

Everything here is built from the course data with ``course.data.load`` (never typed-in numbers):

* :func:`trade_formats` — how each raw trade file is written (a reading aid for the cleaning exercises);
* :func:`annual_trade_usd` — the three allies' trade with China converted to U.S. dollars and summed by year;
* :func:`military_spending` — SIPRI military expenditure (constant 2019 USD, index, share of GDP);
* :func:`comparison_table` — both, plus FAS warhead estimates, as one long table for the explorer;
* :func:`compare_two` — an explorer comparing two countries on one measure over a window of years.

Currency conversion (documented once, used everywhere): Japan's trade is published in thousands of
yen; each month is converted with the **average of that month's daily IMF JPY-per-USD rates** (days
without a published rate are skipped). South Korea's trade is in thousands of U.S. dollars and U.S.
trade in millions of U.S. dollars, so they only need rescaling. All values are nominal (current) dollars.
"""

from __future__ import annotations

import ipywidgets as ipw
import pandas as pd

from . import data, plots, widgets

ALLIES = ["Japan", "South Korea", "United States"]
COUNTRIES = ["China", "Japan", "South Korea", "United States"]

# SIPRI's spellings in the raw workbook sheets -> the names the course uses.
SIPRI_NAMES = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}

TRADE_FILES = {"Japan": "trade_japan_china", "South Korea": "trade_korea_china", "United States": "trade_usa_china"}


def trade_formats() -> pd.DataFrame:
    """One row per raw trade file: reporter, unit, separator, date style (as published)."""
    rows = [
        ("Japan", "trade_japan_china", "thousand JPY", ";", "2001/01", "none"),
        ("South Korea", "trade_korea_china", "thousand USD", ",", '"2001.01" (in quotes)', "none"),
        ("United States", "trade_usa_china", "million USD", ";", "January 2001", "comma (1,187.5)"),
        ("(exchange rates)", "exchange_rates", "currency units per USD, daily", ";", "02-Jan-2001", "none"),
    ]
    return pd.DataFrame(rows, columns=["reporter", "dataset", "unit", "separator", "date looks like", "thousands separator"])


def monthly_jpy_per_usd() -> pd.Series:
    """Average of the daily IMF JPY-per-USD rates in each month, indexed by the month's first day."""
    rates = data.load("exchange_rates")
    return rates.set_index("Date")["JPY"].resample("MS").mean()


def annual_trade_usd() -> pd.DataFrame:
    """Each ally's exports to and imports from China per year, in billions of current U.S. dollars.

    Columns: country, year, exports_bn, imports_bn, total_bn (exports + imports), balance_bn
    (exports - imports; negative = deficit with China). 3 countries x 2001-2019.
    """
    jpy = monthly_jpy_per_usd()
    japan = data.load("trade_japan_china")
    rate = japan["Date"].map(jpy)
    japan_usd = pd.DataFrame({
        "date": japan["Date"],
        "exports": japan["Exports"].astype("float64") * 1_000 / rate,
        "imports": japan["Imports"].astype("float64") * 1_000 / rate,
    })
    korea = data.load("trade_korea_china")
    korea_usd = pd.DataFrame({
        "date": korea["Date"],
        "exports": korea["Exports"].astype("float64") * 1_000,
        "imports": korea["Imports"].astype("float64") * 1_000,
    })
    usa = data.load("trade_usa_china")
    usa_usd = pd.DataFrame({"date": usa["Month"], "exports": usa["Exports"] * 1e6, "imports": usa["Imports"] * 1e6})
    parts = []
    for country, monthly in zip(ALLIES, [japan_usd, korea_usd, usa_usd]):
        yearly = monthly.groupby(monthly["date"].dt.year)[["exports", "imports"]].sum() / 1e9
        yearly = yearly.rename_axis("year").reset_index()
        yearly.insert(0, "country", country)
        parts.append(yearly)
    out = pd.concat(parts, ignore_index=True).rename(columns={"exports": "exports_bn", "imports": "imports_bn"})
    out["year"] = out["year"].astype(int)
    out["total_bn"] = out["exports_bn"] + out["imports_bn"]
    out["balance_bn"] = out["exports_bn"] - out["imports_bn"]
    return out


def military_spending(base_year: int = 2001) -> pd.DataFrame:
    """SIPRI military expenditure of China, Japan, South Korea and the United States, 1990-2020.

    Columns: country, year, milex_bn (billion USD, constant 2019 prices), milex_index (base_year = 100),
    milex_share_gdp (percent of GDP). From the OWID copy of the SIPRI database (``sipri_milex``), whose
    values match the raw SIPRI sheets.
    """
    sipri = data.load("sipri_milex")
    part = sipri[sipri["Entity"].isin(COUNTRIES)]
    out = pd.DataFrame({
        "country": part["Entity"].astype(str).to_numpy(),
        "year": part["Year"].astype(int).to_numpy(),
        "milex_bn": (part["military_expenditure"] / 1e9).to_numpy(),
        "milex_share_gdp": part["military_expenditure_share_gdp"].to_numpy(),
    })
    base = out[out["year"] == base_year].set_index("country")["milex_bn"]
    out["milex_index"] = out["milex_bn"] / out["country"].map(base) * 100
    return out.sort_values(["country", "year"]).reset_index(drop=True)


def comparison_table() -> pd.DataFrame:
    """Long table (country, year, one column per measure) for :func:`compare_two`."""
    trade = annual_trade_usd()
    spending = military_spending()
    warheads = data.load("fas_warheads")
    warheads = warheads[warheads["country_name"].isin(COUNTRIES)]
    warheads = pd.DataFrame({
        "country": warheads["country_name"].astype(str).to_numpy(),
        "year": warheads["year"].astype(int).to_numpy(),
        "warheads": warheads["nuclear_weapons_stockpile"].astype("float64").to_numpy(),
    })
    table = spending.merge(trade, on=["country", "year"], how="outer").merge(warheads, on=["country", "year"], how="outer")
    table = table[table["year"] >= 1990]
    return table.sort_values(["country", "year"]).reset_index(drop=True)


# label shown to the student -> (column, unit, datasets behind it)
MEASURES = {
    "Exports to China": ("exports_bn", "billion current USD", ["trade_japan_china", "trade_korea_china", "trade_usa_china", "exchange_rates"]),
    "Imports from China": ("imports_bn", "billion current USD", ["trade_japan_china", "trade_korea_china", "trade_usa_china", "exchange_rates"]),
    "Total trade with China": ("total_bn", "billion current USD", ["trade_japan_china", "trade_korea_china", "trade_usa_china", "exchange_rates"]),
    "Trade balance with China": ("balance_bn", "billion current USD", ["trade_japan_china", "trade_korea_china", "trade_usa_china", "exchange_rates"]),
    "Military spending": ("milex_bn", "billion USD, constant 2019 prices", ["sipri_milex"]),
    "Military spending index": ("milex_index", "2001 = 100", ["sipri_milex"]),
    "Military spending share of GDP": ("milex_share_gdp", "percent of GDP", ["sipri_milex"]),
    "Nuclear warheads": ("warheads", "warheads", ["fas_warheads"]),
}


TRADE_COLUMNS = {"exports_bn", "imports_bn", "total_bn", "balance_bn"}


# Short publisher names for plot footers that combine several datasets (full citations are printed
# under each figure with data.cite). Anything not listed falls back to its full citation.
SHORT_SOURCES = {
    "trade_japan_china": "Ministry of Finance Japan",
    "trade_korea_china": "KOSIS (Korea)",
    "trade_usa_china": "U.S. Census Bureau",
    "exchange_rates": "IMF exchange rates",
}
TRADE_VIA = "via github mizydorczyk/relationship-between-trade-and-the-exchange-rate"


def source_line(names: list[str]) -> str:
    """One short citation line for a figure built from one or several datasets."""
    if len(names) == 1:
        return data.cite(names[0])
    parts, via = [], []
    for name in names:
        if name in SHORT_SOURCES:
            parts.append(SHORT_SOURCES[name])
            if TRADE_VIA not in via:
                via.append(TRADE_VIA)
        else:
            parts.append(data.cite(name).split(" Course file")[0].removeprefix("Source: ").rstrip("."))
    return "Sources: " + "; ".join(parts) + (f" ({'; '.join(via)})" if via else "") + "."


def change_table(table: pd.DataFrame, countries, column: str, window: tuple[int, int]) -> pd.DataFrame:
    """First and last available value of ``column`` in the window for each country, and the change."""
    rows = []
    for country in countries:
        part = table[(table["country"] == country) & table["year"].between(*window)].dropna(subset=[column])
        if part.empty:
            rows.append({"country": country, "first year": None, "first value": None, "last year": None,
                         "last value": None, "change (%)": None})
            continue
        first, last = part.iloc[0], part.iloc[-1]
        change = (last[column] / first[column] - 1) * 100 if first[column] > 0 else None
        rows.append({"country": country, "first year": int(first["year"]), "first value": round(float(first[column]), 2),
                     "last year": int(last["year"]), "last value": round(float(last[column]), 2),
                     "change (%)": None if change is None else round(change, 1)})
    out = pd.DataFrame(rows)
    for column_name in ("first year", "last year"):
        out[column_name] = out[column_name].astype("Int64")
    return out


def draw_comparison(table: pd.DataFrame, first: str, second: str, measure: str, window: tuple[int, int]):
    """Draw one measure for two countries over a window of years and print the change table."""
    column, unit, names = MEASURES[measure]
    chosen = [first] if first == second else [first, second]
    part = table[table["country"].isin(chosen) & table["year"].between(*window)].dropna(subset=[column])
    missing = [c for c in chosen if c not in set(part["country"])]
    if missing:
        why = " (China is the partner in the trade files, not a reporter)" if column in TRADE_COLUMNS and "China" in missing else ""
        print(f"No data for {', '.join(missing)} on '{measure}' in {window[0]}-{window[1]}{why}.")
    if part.empty:
        print("Nothing to draw: pick other countries, another measure or a wider window.")
        return None
    fig = plots.line(
        part, x="year", y=column, hue="country",
        title=f"{measure}: {' vs '.join(chosen)}, {window[0]}-{window[1]}",
        xlabel="Year", ylabel=f"{measure} ({unit})", source=source_line(names),
    )
    widgets_display(change_table(table, chosen, column, window))
    for name in names:
        print(data.cite(name))
    return fig


def widgets_display(obj) -> None:
    """Show a table under the plot (plain print outside IPython)."""
    try:
        from IPython.display import display

        display(obj)
    except ImportError:  # pragma: no cover - IPython is always installed with the course
        print(obj)


def compare_two(table: pd.DataFrame | None = None, *, first: str = "China", second: str = "Japan",
                measure: str = "Military spending", window: tuple[int, int] = (1990, 2020)):
    """Explorer: two countries, one measure, a window of years (static drawing when autograding)."""
    table = comparison_table() if table is None else table
    countries = sorted(table["country"].unique().tolist())
    low, high = int(table["year"].min()), int(table["year"].max())
    controls = {
        "first": ipw.Dropdown(options=countries, value=first, description="Country 1"),
        "second": ipw.Dropdown(options=countries, value=second, description="Country 2"),
        "measure": ipw.Dropdown(options=list(MEASURES), value=measure, description="Measure"),
        "window": ipw.IntRangeSlider(value=window, min=low, max=high, description="Years", continuous_update=False),
    }
    return widgets.explore(lambda **v: draw_comparison(table, **v), controls, title="Compare two countries")
