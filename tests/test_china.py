"""Unit tests of course/china.py (notebook 3, the China challenge) and of the numbers its prose states."""

from __future__ import annotations

import inspect
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import china, data, widgets

# The datasets notebook 3 teaches to read from their raw files.
READ_BY_HAND_HERE = ["trade_usa_china", "trade_korea_china", "exchange_rates", "trade_japan_china",
                     "sipri_milex_constant_usd_raw", "sipri_milex_share_gdp_raw"]


def _annual_trade_usd() -> pd.DataFrame:
    """The reference trade_yearly (notebook 3, Question 5), computed here from the course files."""
    rates = data._parse("exchange_rates").set_index("Date")["JPY"].resample("MS").mean()
    japan = data._parse("trade_japan_china")
    rate = japan["Date"].map(rates)
    korea = data._parse("trade_korea_china")
    usa = data._parse("trade_usa_china")
    monthly = {
        "Japan": (japan["Date"], japan["Exports"] * 1e3 / rate / 1e9, japan["Imports"] * 1e3 / rate / 1e9),
        "South Korea": (korea["Date"], korea["Exports"] / 1e6, korea["Imports"] / 1e6),
        "United States": (usa["Month"], usa["Exports"] / 1e3, usa["Imports"] / 1e3),
    }
    parts = []
    for country, (dates, exports, imports) in monthly.items():
        frame = pd.DataFrame({"year": dates.dt.year, "exports_bn": exports, "imports_bn": imports})
        parts.append(frame.groupby("year", as_index=False).sum().assign(country=country))
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def trade():
    return _annual_trade_usd()


@pytest.fixture(scope="module")
def table(trade):
    return china._explorer_table(trade)


def test_public_api_computes_no_graded_answer():
    # Only the reading aid, the citation line and the explorer are public: nothing a student can call
    # returns a converted, aggregated or indexed table (those are the questions).
    public = {name for name, obj in vars(china).items()
              if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == china.__name__}
    assert public == {"trade_formats", "source_line", "compare_two"}
    for removed in ("monthly_jpy_per_usd", "annual_trade_usd", "military_spending", "comparison_table", "change_table"):
        assert not hasattr(china, removed)


@pytest.mark.parametrize("name", READ_BY_HAND_HERE)
def test_raw_datasets_are_read_by_hand(name):
    assert data.READ_BY_HAND[name].startswith("notebook 3, Question")
    with pytest.raises(data.ReadItYourself, match="notebook 3"):
        data.load(name)
    assert data.raw_path(name).exists()


def test_trade_formats_lists_every_raw_file():
    formats = china.trade_formats()
    assert set(formats["dataset"]) == {"trade_japan_china", "trade_korea_china", "trade_usa_china", "exchange_rates"}
    for name in formats["dataset"]:
        assert data.raw_path(name).exists()


def test_explorer_takes_trade_only_from_the_students_table(trade):
    mine = trade.assign(exports_bn=trade["exports_bn"] * 2)
    table = china._explorer_table(mine)
    row = table[(table["country"] == "Japan") & (table["year"] == 2010)].iloc[0]
    want = trade[(trade["country"] == "Japan") & (trade["year"] == 2010)].iloc[0]
    assert math.isclose(row["exports_bn"], 2 * want["exports_bn"])
    assert math.isclose(row["balance_bn"], 2 * want["exports_bn"] - want["imports_bn"])
    assert math.isclose(row["total_bn"], 2 * want["exports_bn"] + want["imports_bn"])
    empty = china._explorer_table(None)
    assert empty["exports_bn"].isna().all() and empty["milex_bn"].notna().any()
    # a table without the columns asked for is not used (the explorer still draws spending and warheads)
    assert china._explorer_table(trade.rename(columns={"exports_bn": "exports"}))["total_bn"].isna().all()


def test_explorer_spending_matches_the_raw_sipri_sheet(table):
    raw = data._parse("sipri_milex_constant_usd_raw").set_index("Country")
    names = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
    for sipri_name, name in names.items():
        ours = table[(table["country"] == name) & (table["year"] == 2019)]["milex_bn"].item()
        assert math.isclose(ours * 1000, raw.loc[sipri_name, "2019"], rel_tol=1e-6)
    assert table["year"].min() == 1990
    assert table.duplicated(["country", "year"]).sum() == 0
    assert table.loc[table["country"] == "China", "total_bn"].isna().all()  # China is the partner, not a reporter
    assert table.loc[table["country"] == "Japan", "warheads"].isna().all()


def test_window_table_reports_first_and_last(table):
    out = china._window_table(table, ["Japan", "China"], "total_bn", (2001, 2019)).set_index("country")
    assert out.loc["Japan", "first year"] == 2001 and out.loc["Japan", "last year"] == 2019
    assert pd.isna(out.loc["China", "first value"])


def test_draw_comparison_puts_the_table_under_the_chart(table, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(china.plots, "show", lambda fig: (shown.append("chart"), plt.close(fig)))
    monkeypatch.setattr(china, "_display", lambda obj: shown.append("table"))
    fig = china._draw_comparison(table, "China", "Japan", "Military spending", 1990, 2020)
    assert shown == ["chart", "table"]
    ax = fig.axes[0]
    assert ax.get_title().startswith("Military spending") and "constant 2019" in ax.get_ylabel()
    assert any("SIPRI" in t.get_text() for t in fig.texts)
    out = capsys.readouterr().out
    assert "Figure:" in out and "Source:" not in out  # the figure carries its citation; no repeated lines


def test_draw_comparison_explains_what_is_missing(table, capsys):
    china._draw_comparison(table, "China", "Japan", "Exports to China", 2001, 2019)
    assert "China is the partner" in capsys.readouterr().out
    plt.close("all")
    assert china._draw_comparison(table, "China", "China", "Exports to China", 2001, 2019) is None
    no_trade = china._explorer_table(None)
    china._draw_comparison(no_trade, "Japan", "South Korea", "Total trade with China", 2001, 2019)
    assert "Question 5" in capsys.readouterr().out
    assert china._draw_comparison(table, "Japan", "China", "Military spending", 2010, 2000) is None
    assert "before the end year" in capsys.readouterr().out
    plt.close("all")


def test_explorer_is_static_during_autograding(trade, monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert china.compare_two(trade) is None
    assert widgets.STATIC_NOTE in capsys.readouterr().out
    plt.close("all")


def test_explorer_controls_are_readable_and_redraw(trade, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    explorer = china.compare_two(trade)
    assert isinstance(explorer, widgets.Explorer)
    for control in explorer.controls.values():
        # labels are never cut off (issue 19): the description takes the width it needs
        assert control.style.description_width == "initial" and control.layout.width
    # years are picked from lists, so no slider readout can be clipped
    assert explorer.controls["start"].options[0] == 1990 and explorer.controls["end"].options[-1] >= 2020
    before = explorer.draw_count
    explorer.controls["measure"].value = "Exports to China"
    explorer.controls["start"].value = 2010
    assert explorer.draw_count == before + 2
    plt.close("all")


# --- numbers the notebook's prose states (solutions/03_china), recomputed from data/ ---------------


def test_us_trade_dips_in_2009_2016_and_2019(trade):
    us = trade[trade["country"] == "United States"].set_index("year")
    total = us["exports_bn"] + us["imports_bn"]
    falls = [year for year in total.index[1:] if total[year] < total[year - 1]]
    assert falls == [2009, 2016, 2019]
    assert round(total[2015]) == 599 and round(total[2016]) == 578


def test_japan_trade_peaks_in_2011(trade):
    japan = trade[trade["country"] == "Japan"].set_index("year")
    total = japan["exports_bn"] + japan["imports_bn"]
    assert total.idxmax() == 2011
    assert (total.loc[2011:2015].diff().dropna() < 0).all()  # "falls for several years after it"


def test_model_answer_numbers(trade):
    # Written responses 1 and 2 (instructor version) quote these.
    t2019 = trade[trade["year"] == 2019].set_index("country")
    total = t2019["exports_bn"] + t2019["imports_bn"]
    balance = t2019["exports_bn"] - t2019["imports_bn"]
    assert [round(total[c]) for c in china.ALLIES] == [304, 243, 556]
    assert [round(balance[c]) for c in china.ALLIES] == [-35, 29, -343]
    japan = trade[trade["country"] == "Japan"].set_index("year")["exports_bn"]
    assert round(japan[2016]) == 114 and round(japan[2018]) == 144
    raw = data._parse("sipri_milex_constant_usd_raw").set_index("Country")
    index_2020 = raw["2020"] / raw["2001"] * 100
    assert round(index_2020["China"]) == 502 and round(index_2020["Korea, South"]) == 212
    assert 95 < index_2020["Japan"] < 105


def test_china_first_outspends_japan_in_2001():
    raw = data._parse("sipri_milex_constant_usd_raw").set_index("Country")
    years = [y for y in range(1980, 2021) if raw.loc["China", str(y)] > raw.loc["Japan", str(y)]]
    assert years[0] == 2001 and all(y in years for y in range(2001, 2021))
    # China has no SIPRI estimate before 1989: Question 7 keeps those years as missing values
    assert raw.loc["China", [str(y) for y in range(1980, 1989)]].isna().all() and pd.notna(raw.loc["China", "1989"])
