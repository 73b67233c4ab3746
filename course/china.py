"""Notebook 3 (the China challenge): a reading aid for the raw trade files and the comparison explorer.

Nothing here computes a graded answer. The explorer draws trade from the student's own ``trade_yearly``
(Question 5); military spending and warheads come from course files that no question asks the student
to compute from (SIPRI via Our World in Data, FAS), read by private helpers.

* :func:`trade_formats` — how each raw trade file is written (what the cleaning questions must handle);
* :func:`source_line` — one short citation line for a figure built from several datasets;
* :func:`compare_two` — an explorer comparing two countries on one measure over a window of years.
"""

from __future__ import annotations

import ipywidgets as ipw
import pandas as pd

from . import data, plots, widgets

ALLIES = ["Japan", "South Korea", "United States"]
COUNTRIES = ["China", "Japan", "South Korea", "United States"]

TRADE_DATASETS = ["trade_japan_china", "trade_korea_china", "trade_usa_china", "exchange_rates"]
TRADE_COLUMNS = ["country", "year", "exports_bn", "imports_bn"]

# label shown to the student -> (column of the explorer's table, unit, datasets behind it)
MEASURES = {
    "Exports to China": ("exports_bn", "billion current USD", TRADE_DATASETS),
    "Imports from China": ("imports_bn", "billion current USD", TRADE_DATASETS),
    "Total trade with China": ("total_bn", "billion current USD", TRADE_DATASETS),
    "Trade balance with China": ("balance_bn", "billion current USD", TRADE_DATASETS),
    "Military spending": ("milex_bn", "billion USD, constant 2019 prices", ["sipri_milex"]),
    "Military spending share of GDP": ("milex_share_gdp", "percent of GDP", ["sipri_milex"]),
    "Nuclear warheads": ("warheads", "warheads", ["fas_warheads"]),
}
_TRADE_MEASURE_COLUMNS = {"exports_bn", "imports_bn", "total_bn", "balance_bn"}

# Short publisher names for plot footers that combine several datasets. Anything not listed falls
# back to its full citation.
SHORT_SOURCES = {
    "trade_japan_china": "Ministry of Finance Japan",
    "trade_korea_china": "KOSIS (Korea)",
    "trade_usa_china": "U.S. Census Bureau",
    "exchange_rates": "IMF exchange rates",
}
TRADE_VIA = "via github mizydorczyk/relationship-between-trade-and-the-exchange-rate"


def trade_formats() -> pd.DataFrame:
    """One row per raw trade file: reporter, unit, separator, date style (as published)."""
    rows = [
        ("Japan", "trade_japan_china", "thousand JPY", ";", "2001/01", "none"),
        ("South Korea", "trade_korea_china", "thousand USD", ",", '"2001.01" (in quotes)', "none"),
        ("United States", "trade_usa_china", "million USD", ";", "January 2001", "comma (1,187.5)"),
        ("(exchange rates)", "exchange_rates", "currency units per USD, daily", ";", "02-Jan-2001", "none"),
    ]
    return pd.DataFrame(rows, columns=["reporter", "dataset", "unit", "separator", "date looks like", "thousands separator"])


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


# --- the explorer's table (private: no notebook names these) ------------------------------------


def _usable_trade(trade) -> pd.DataFrame | None:
    """The student's trade_yearly as the explorer needs it, or None when it cannot be used."""
    if not isinstance(trade, pd.DataFrame) or any(c not in trade.columns for c in TRADE_COLUMNS):
        return None
    part = trade[TRADE_COLUMNS].copy()
    part["country"] = part["country"].astype(str)
    part["year"] = pd.to_numeric(part["year"], errors="coerce")
    for column in ("exports_bn", "imports_bn"):
        part[column] = pd.to_numeric(part[column], errors="coerce")
    part = part.dropna(subset=["year"])
    if part.empty:
        return None
    part["year"] = part["year"].astype(int)
    part["total_bn"] = part["exports_bn"] + part["imports_bn"]
    part["balance_bn"] = part["exports_bn"] - part["imports_bn"]
    return part


def _military_table() -> pd.DataFrame:
    """SIPRI spending of the four countries, 1990-2020, from Our World in Data's copy of the database."""
    sipri = data._parse("sipri_milex")
    part = sipri[sipri["Entity"].isin(COUNTRIES)]
    return pd.DataFrame({
        "country": part["Entity"].astype(str).to_numpy(),
        "year": part["Year"].astype(int).to_numpy(),
        "milex_bn": (part["military_expenditure"] / 1e9).to_numpy(),
        "milex_share_gdp": part["military_expenditure_share_gdp"].to_numpy(),
    })


def _warheads_table() -> pd.DataFrame:
    warheads = data._parse("fas_warheads")
    part = warheads[warheads["country_name"].isin(COUNTRIES)]
    return pd.DataFrame({
        "country": part["country_name"].astype(str).to_numpy(),
        "year": part["year"].astype(int).to_numpy(),
        "warheads": part["nuclear_weapons_stockpile"].astype("float64").to_numpy(),
    })


def _explorer_table(trade=None) -> pd.DataFrame:
    """Long table (country, year, one column per measure) from 1990 on; trade only from ``trade``."""
    table = _military_table().merge(_warheads_table(), on=["country", "year"], how="outer")
    usable = _usable_trade(trade)
    if usable is not None:
        table = table.merge(usable.drop_duplicates(["country", "year"]), on=["country", "year"], how="outer")
    else:
        for column in _TRADE_MEASURE_COLUMNS:
            table[column] = float("nan")
    table = table[table["year"] >= 1990]
    return table.sort_values(["country", "year"]).reset_index(drop=True)


def _window_table(table: pd.DataFrame, countries, column: str, window: tuple[int, int]) -> pd.DataFrame:
    """First and last available value of ``column`` in the window for each country."""
    rows = []
    for country in countries:
        part = table[(table["country"] == country) & table["year"].between(*window)].dropna(subset=[column])
        if part.empty:
            rows.append({"country": country, "first year": None, "first value": None, "last year": None, "last value": None})
            continue
        first, last = part.iloc[0], part.iloc[-1]
        rows.append({"country": country, "first year": int(first["year"]), "first value": round(float(first[column]), 2),
                     "last year": int(last["year"]), "last value": round(float(last[column]), 2)})
    out = pd.DataFrame(rows)
    for column_name in ("first year", "last year"):
        out[column_name] = out[column_name].astype("Int64")
    return out


def _draw_comparison(table: pd.DataFrame, first: str, second: str, measure: str, start: int, end: int):
    """Draw one measure for two countries over a window of years, then the table of first and last values."""
    column, unit, names = MEASURES[measure]
    if start > end:
        print(f"'From' ({start}) is after 'To' ({end}): pick a start year before the end year.")
        return None
    chosen = [first] if first == second else [first, second]
    part = table[table["country"].isin(chosen) & table["year"].between(start, end)].dropna(subset=[column])
    missing = [c for c in chosen if c not in set(part["country"])]
    if missing:
        if column in _TRADE_MEASURE_COLUMNS and "China" in missing:
            why = " (China is the partner in the trade files, not a reporter)"
        elif column in _TRADE_MEASURE_COLUMNS and table[column].isna().all():
            why = " (trade appears once your `trade_yearly` from Question 5 is ready: run that cell, then this one)"
        else:
            why = ""
        print(f"No data for {', '.join(missing)} on '{measure}' in {start}-{end}{why}.")
    if part.empty:
        print("Nothing to draw: pick other countries, another measure or a wider window.")
        return None
    from_student = " (from your trade_yearly)" if column in _TRADE_MEASURE_COLUMNS else ""
    fig = plots.line(
        part, x="year", y=column, hue="country",
        title=f"{measure}{from_student}: {' vs '.join(chosen)}, {start}-{end}",
        xlabel="Year", ylabel=f"{measure} ({unit})", source=source_line(names),
    )
    plots.show(fig)
    # The table comes under the chart, as the notebook's text says.
    _display(_window_table(table, chosen, column, (start, end)))
    return fig


def _display(obj) -> None:
    try:
        from IPython.display import display

        display(obj)
    except ImportError:  # pragma: no cover - IPython is always installed with the course
        print(obj)


def compare_two(trade=None, *, first: str = "Japan", second: str = "South Korea",
                measure: str = "Military spending share of GDP", start: int = 1990, end: int = 2020):
    """Explorer: two countries, one measure, a window of years (static drawing when autograding).

    ``trade`` is the student's ``trade_yearly`` (columns country, year, exports_bn, imports_bn); without
    it the trade measures say what to do instead of drawing.
    """
    table = _explorer_table(trade)
    countries = sorted(table["country"].unique().tolist())
    years = list(range(int(table["year"].min()), int(table["year"].max()) + 1))
    wide = {"style": {"description_width": "initial"}}
    controls = {
        "first": ipw.Dropdown(options=countries, value=first, description="Country 1", layout=ipw.Layout(width="240px"), **wide),
        "second": ipw.Dropdown(options=countries, value=second, description="Country 2", layout=ipw.Layout(width="240px"), **wide),
        "measure": ipw.Dropdown(options=list(MEASURES), value=measure, description="Measure", layout=ipw.Layout(width="380px"), **wide),
        "start": ipw.Dropdown(options=years, value=start, description="From", layout=ipw.Layout(width="140px"), **wide),
        "end": ipw.Dropdown(options=years, value=end, description="To", layout=ipw.Layout(width="140px"), **wide),
    }
    return widgets.explore(lambda **v: _draw_comparison(table, **v), controls, title="Compare two countries")
