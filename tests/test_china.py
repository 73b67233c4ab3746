"""Unit tests of course/china.py (notebook 3, the China challenge)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import china, data, widgets


@pytest.fixture(scope="module")
def trade():
    return china.annual_trade_usd()


@pytest.fixture(scope="module")
def table():
    return china.comparison_table()


def test_trade_formats_lists_every_raw_file():
    formats = china.trade_formats()
    assert set(formats["dataset"]) == {"trade_japan_china", "trade_korea_china", "trade_usa_china", "exchange_rates"}
    for name in formats["dataset"]:
        assert data.raw_path(name).exists()


def test_monthly_rate_is_the_mean_of_the_days_with_a_rate():
    jpy = china.monthly_jpy_per_usd()
    assert len(jpy) == 228 and jpy.notna().all()
    daily = data.load("exchange_rates")
    january = daily[(daily["Date"] >= "2001-01-01") & (daily["Date"] < "2001-02-01")]["JPY"]
    assert january.isna().any(), "January 2001 has days without a rate: the test needs them"
    assert math.isclose(jpy.iloc[0], january.dropna().mean())


def test_annual_trade_has_one_row_per_country_and_year(trade):
    assert len(trade) == 57
    assert sorted(trade["country"].unique()) == china.ALLIES
    assert trade.groupby("country")["year"].agg(["min", "max", "count"]).eq([2001, 2019, 19]).all().all()
    assert not trade[["exports_bn", "imports_bn"]].isna().any().any()


def test_usa_and_korea_are_only_rescaled(trade):
    usa = data.load("trade_usa_china")
    us = trade[trade["country"] == "United States"].set_index("year")
    assert math.isclose(us.loc[2019, "imports_bn"], usa.loc[usa["Month"].dt.year == 2019, "Imports"].sum() / 1000)
    korea = data.load("trade_korea_china")
    kr = trade[trade["country"] == "South Korea"].set_index("year")
    assert math.isclose(kr.loc[2001, "exports_bn"], korea.loc[korea["Date"].dt.year == 2001, "Exports"].sum() / 1e6)


def test_japan_is_converted_month_by_month(trade):
    japan = data.load("trade_japan_china")
    jpy = china.monthly_jpy_per_usd()
    months = japan[japan["Date"].dt.year == 2002]
    expected = (months["Exports"].astype(float) * 1000 / months["Date"].map(jpy)).sum() / 1e9
    got = trade.set_index(["country", "year"]).loc[("Japan", 2002), "exports_bn"]
    assert math.isclose(got, expected)
    # converting the year's total with the yearly average rate gives a visibly different number
    yearly = months["Exports"].sum() * 1000 / jpy[jpy.index.year == 2002].mean() / 1e9
    assert not math.isclose(got, yearly, rel_tol=1e-3)


def test_totals_and_balances_are_consistent(trade):
    assert (trade["total_bn"] - trade["exports_bn"] - trade["imports_bn"]).abs().max() < 1e-9
    assert (trade["balance_bn"] - trade["exports_bn"] + trade["imports_bn"]).abs().max() < 1e-9
    # the Census Bureau's own balance column agrees with exports - imports
    usa = data.load("trade_usa_china")
    assert (usa["Exports"] - usa["Imports"] - usa["Balance"]).abs().max() < 0.2


def test_military_spending_matches_the_raw_sipri_sheet():
    spending = china.military_spending()
    assert sorted(spending["country"].unique()) == china.COUNTRIES
    raw = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), na_values=[". .", "xxx"]).set_index("Country")
    for sipri_name, name in china.SIPRI_NAMES.items():
        ours = spending[(spending["country"] == name) & (spending["year"] == 2019)]["milex_bn"].item()
        assert math.isclose(ours * 1000, raw.loc[sipri_name, "2019"], rel_tol=1e-6)
    base = spending[spending["year"] == 2001]["milex_index"]
    assert all(math.isclose(v, 100) for v in base)


def test_comparison_table_has_every_measure(table):
    for column, _unit, names in china.MEASURES.values():
        assert column in table.columns
        assert names and all(data.cite(n) for n in names)
    assert table.duplicated(["country", "year"]).sum() == 0
    assert table.loc[table["country"] == "China", "total_bn"].isna().all()  # China is the partner, not a reporter
    assert table.loc[table["country"] == "Japan", "warheads"].isna().all()


def test_change_table_reports_first_last_and_percent(table):
    out = china.change_table(table, ["Japan", "China"], "total_bn", (2001, 2019))
    japan = out.set_index("country").loc["Japan"]
    assert japan["first year"] == 2001 and japan["last year"] == 2019
    assert math.isclose(japan["change (%)"], round((japan["last value"] / japan["first value"] - 1) * 100, 1), abs_tol=0.2)
    assert pd.isna(out.set_index("country").loc["China", "first value"])


def test_draw_comparison_cites_and_describes(table, capsys):
    fig = china.draw_comparison(table, "China", "Japan", "Military spending index", (2001, 2020))
    ax = fig.axes[0]
    assert ax.get_title().startswith("Military spending index") and "2001 = 100" in ax.get_ylabel()
    assert any("SIPRI" in t.get_text() for t in fig.texts)
    assert "Figure:" in capsys.readouterr().out
    plt.close(fig)


def test_draw_comparison_explains_missing_trade_for_china(table, capsys):
    china.draw_comparison(table, "China", "Japan", "Exports to China", (2001, 2019))
    assert "China is the partner" in capsys.readouterr().out
    plt.close("all")
    assert china.draw_comparison(table, "China", "China", "Exports to China", (2001, 2019)) is None


def test_explorer_is_static_during_autograding(table, monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert china.compare_two(table) is None
    assert widgets.STATIC_NOTE in capsys.readouterr().out
    plt.close("all")


def test_explorer_redraws_when_a_control_moves(table, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    explorer = china.compare_two(table)
    assert isinstance(explorer, widgets.Explorer)
    before = explorer.draw_count
    explorer.controls["measure"].value = "Exports to China"
    explorer.controls["window"].value = (2010, 2019)
    assert explorer.draw_count == before + 2
    plt.close("all")
