"""Tests of the course data layer: data/datapackage.json, the CSV files, and course.data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from course import data

DATA = Path(__file__).resolve().parent.parent / "data"
PKG = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
NAMES = [r["name"] for r in PKG["resources"]]

is_dt = pd.api.types.is_datetime64_any_dtype
is_float = pd.api.types.is_float_dtype


def is_int(s):
    return str(s.dtype) == "Int64"


def is_str(s):
    return isinstance(s.dtype, pd.StringDtype)


# name -> (rows, {column: dtype check})
EXPECTED = {
    "pew_confidence_us_president": (15, {"year": is_int, "avg": is_float, "Japan": is_int}),
    "pew_trade_withdrawal_approval": (37, {"country": is_str, "net_approval": is_int, "Approve": is_int}),
    "us_troops_by_host_country": (1236, {"countryname": is_str, "year": is_int, "troops_ad": is_int}),
    "article_figures": (15, {"figure": is_str, "value": is_float, "article_section": is_str, "context": is_str}),
    "covid_by_country": (10676, {"Date": is_dt, "Country": is_str, "Confirmed": is_int, "Deaths": is_int}),
    "covid_worldwide": (816, {"Date": is_dt, "Confirmed": is_int, "Increase rate": is_float}),
    "oda_gni": (891, {"name": is_str, "year": is_int, "ODA (left-axis)": is_float, "ODA/GNI (right-axis)": is_float}),
    "oda_covid": (374, {"Year": is_int, "Donor": is_str, "COVID ODA": is_float, "Total ODA": is_float}),
    "health_oda": (217, {"year": is_int, "donor_name": is_str, "Health ODA": is_float}),
    "owid_co2": (551, {"iso_code": is_str, "year": is_int, "co2": is_float, "population": is_float}),
    "owid_co2_codebook": (38, {"column": is_str, "description": is_str}),
    "gcp_fossil_co2": (608, {"Country": is_str, "Year": is_int, "Total": is_float, "Per Capita": is_float}),
    "energy_mix": (465, {"Entity": is_str, "Year": is_int, "Coal (% sub energy)": is_float}),
    "electricity_mix": (582, {"Entity": is_str, "Year": is_int, "Coal (% electricity)": is_float}),
    "ghg_by_sector": (522, {"Entity": is_str, "Year": is_int, "Transport": is_float}),
    "idmc_displacement": (4071, {"geo": is_str, "t": is_int, "cause": is_str, "n": is_int}),
    "trade_japan_china": (228, {"Date": is_dt, "Exports": is_int, "Imports": is_int}),
    "trade_usa_china": (228, {"Month": is_dt, "Exports": is_float, "Balance": is_float}),
    "trade_korea_china": (228, {"Country": is_str, "Date": is_dt, "Exports": is_int}),
    "exchange_rates": (4840, {"Date": is_dt, "CNY": is_float, "JPY": is_float, "KRW": is_float}),
    "sipri_milex": (564, {"Entity": is_str, "Year": is_int, "military_expenditure": is_float}),
    "sipri_milex_constant_usd_raw": (18, {"Country": is_str, "Notes": is_str, "1949": is_float, "2020 Current": is_float}),
    "sipri_milex_share_gdp_raw": (18, {"Country": is_str, "Notes": is_str, "1949": is_float, "2020": is_float}),
    "pew_favourable_us": (17, {"year": is_int, "avg": is_float, "Indonesia": is_int}),
    "eas_attendance": (10, {"year": is_int, "president_attended_eas_plenary": lambda s: str(s.dtype) == "boolean"}),
    "nk_missile_tests": (339, {"date": is_str, "series": is_int, "apogee": is_float, "distance": is_int,
                               "landing": is_str}),
    "nk_missile_types": (37, {"missile": is_str, "type": is_str}),
    "nk_launch_facilities": (56, {"facility": is_str, "lat": is_float, "lon": is_float}),
    "fas_warheads": (869, {"country_name": is_str, "year": is_int, "nuclear_weapons_stockpile": is_int}),
}


def test_package_is_valid_frictionless():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors][:10]
    assert report.valid, "\n".join(errors)
    assert len(report.tasks) == len(EXPECTED)


def test_every_csv_listed_and_every_listed_file_exists():
    on_disk = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.csv")}
    listed = {r["path"] for r in PKG["resources"]}
    assert on_disk == listed
    assert all((DATA / p).is_file() for p in listed)


def test_expected_resource_names():
    assert sorted(NAMES) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_resource_metadata_complete(name):
    res = next(r for r in PKG["resources"] if r["name"] == name)
    for key in ("name", "path", "title", "description", "format", "encoding", "sources", "licenses",
                "schema", "citation", "topic"):
        assert res.get(key), f"{name}: missing {key}"
    assert res["path"].startswith(res["topic"] + "/")
    assert "rocessing" in res["description"], f"{name}: description must state the processing"
    for src in res["sources"]:
        assert src["title"]
        if "github.com" in src.get("path", ""):
            assert src["path"].startswith("https://github.com/") and f"/blob/{src['commit']}/" in src["path"]
            assert len(src["commit"]) == 40 and len(src["blob"]) == 40
    for f in res["schema"]["fields"]:
        assert f.get("description") and f.get("unit"), f"{name}.{f['name']}: description and unit needed"
        if f["type"] == "date":
            assert f.get("format"), f"{name}.{f['name']}: date without format"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_rows_and_dtypes(name):
    rows, checks = EXPECTED[name]
    df = data._parse(name)  # load's schema parsing itself (READ_BY_HAND datasets are refused by load)
    assert len(df) == rows, f"{name}: expected {rows} rows, got {len(df)}"
    assert list(df.columns) == [f["name"] for f in data._resource(name)["schema"]["fields"]]
    for col, check in checks.items():
        assert check(df[col]), f"{name}.{col}: unexpected dtype {df[col].dtype}"
    for col in df.columns:
        assert df[col].dtype != object, f"{name}.{col}: object dtype (should follow the schema)"


def test_usa_trade_thousands_separator():
    df = data._parse("trade_usa_china")
    jan = df[df["Month"] == pd.Timestamp("2001-01-01")].iloc[0]
    assert jan["Exports"] == 1187.5
    assert jan["Imports"] == 8427.5
    assert jan["Balance"] == -7240.0
    assert df["Month"].max() == pd.Timestamp("2019-12-01")
    # the raw file keeps its published format for the cleaning exercise
    text = data.raw_path("trade_usa_china").read_text(encoding="utf-8")
    assert text.startswith("Month;Exports;Imports;Balance") and "January 2001;1,187.5;8,427.5;-7,240.0" in text


def test_korea_trade_october_is_not_january():
    df = data._parse("trade_korea_china")
    assert df["Date"].iloc[9] == pd.Timestamp("2001-10-01")
    assert df["Date"].is_unique and df["Date"].dt.year.between(2001, 2019).all()
    assert df["Exports"].iloc[0] == 1239083


def test_japan_trade_and_exchange_rates_dates():
    jp = data._parse("trade_japan_china")
    assert jp["Date"].iloc[0] == pd.Timestamp("2001-01-01") and jp["Exports"].iloc[0] == 231700220
    fx = data._parse("exchange_rates")
    assert fx["Date"].iloc[0] == pd.Timestamp("2001-01-02")
    assert fx["Date"].iloc[-1] == pd.Timestamp("2019-12-30")
    assert pd.isna(fx["JPY"].iloc[0]) and fx["JPY"].iloc[2] == 113.85
    assert (fx["USD"] == 1).all()


def test_sipri_raw_markers_are_na_and_shares_are_fractions():
    share = data._parse("sipri_milex_share_gdp_raw")
    raw = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), dtype=str, keep_default_na=False)
    years = [c for c in share.columns if c.isdigit()]
    assert len(years) == 72
    markers = raw[years].isin([". .", "xxx"])
    assert markers.to_numpy().sum() > 100
    assert share[years].isna().to_numpy()[markers.to_numpy()].all()
    values = share[years].stack().dropna()
    assert len(values) > 500 and (values > 0).all() and (values < 1).all()
    usa = share.set_index("Country").loc["USA"]
    assert abs(usa["1949"] - 0.05272020054522639) < 1e-15
    const = data._parse("sipri_milex_constant_usd_raw").set_index("Country")
    assert abs(const.loc["USA", "1949"] - 147593.4573695121) < 1e-6
    assert pd.isna(const.loc["China", "1949"])


def test_nk_missile_tests_missing_values():
    df = data.load("nk_missile_tests")
    raw = pd.read_csv(data.raw_path("nk_missile_tests"), dtype=str, keep_default_na=False)
    marked = raw["distance"].isin(["unknown", "na"])
    assert marked.sum() == 79
    assert df.loc[marked, "distance"].isna().all() and df.loc[~marked, "distance"].notna().all()
    # in text columns "na" / "unknown" are meaningful categories and stay
    assert set(df["landing"].dropna()) >= {"na", "unknown", "sea-of-japan"}
    assert (df["outcome"] == "unknown").any()
    assert df["series"].isna().sum() == 90
    assert df["date"].iloc[0] == "1984-04-09"


def test_known_values():
    ww = data.load("covid_worldwide")
    first = ww.loc[ww["Confirmed"] > 50_000_000, "Date"].min()
    assert first == pd.Timestamp("2020-11-07")
    assert pd.isna(ww["Increase rate"].iloc[0])
    pres = data.load("pew_confidence_us_president").set_index("year")
    assert pres.loc[2016, "Japan"] == 78 and pres.loc[2017, "Japan"] == 24
    assert pd.isna(pres.loc[2001, "Canada"])
    fav = data.load("pew_favourable_us")
    assert fav["year"].tolist()[:2] == [2000, 2002]
    fig = data.load("article_figures")
    assert "exact_quote_from_article" not in fig.columns and "source" not in fig.columns
    assert fig.loc[fig["unit"] == "billion US dollars", "value"].tolist() == [8.0]
    assert set(fig["article_section"]) == {
        "Introduction", "Global health and pandemic preparedness and response", "Climate change",
        "Strengthening multilateral institutions in Asia"}
    eas = data.load("eas_attendance").set_index("year")
    assert eas.loc[2013, "president_attended_eas_plenary"] == False  # noqa: E712
    assert eas["president_attended_eas_plenary"].sum() == 5
    fas = data.load("fas_warheads")
    assert "North  Korea" in set(fas["country_name"])  # two spaces, as published
    elec = data.load("electricity_mix")
    assert elec.shape[1] == 20
    energy = data.load("energy_mix")
    assert energy.shape[1] == 20
    co2 = data.load("owid_co2")
    assert co2["year"].max() == 2018 and "World" in set(co2["country"])


def test_article_figures_do_not_copy_article_sentences():
    # shared/ sits beside the repository (locally and in CI); the check is skipped without it
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_251f95268dc7180b.txt"
    text = data.raw_path("article_figures").read_text(encoding="utf-8")
    assert "exact_quote" not in text
    if seed.exists():
        article = seed.read_text(encoding="utf-8")
        for ctx in data.load("article_figures")["context"]:
            assert ctx not in article


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cite_and_describe(name):
    c = data.cite(name)
    assert c.startswith("Source: ") and f"data/{data._resource(name)['path']}" in c
    d = data.describe(name)
    assert data._resource(name)["title"] in d and "Columns:" in d
    f = data.fields(name)
    assert list(f.columns) == ["name", "type", "unit", "format", "description"]
    assert len(f) == len(data._parse(name).columns)


def test_catalog():
    cat = data.catalog()
    assert len(cat) == len(EXPECTED)
    assert {"name", "topic", "title", "path", "licence", "source"} <= set(cat.columns)
    assert set(cat["topic"]) == {"alliance", "health", "climate", "china", "institutions", "north_korea"}


def test_unknown_name_raises_keyerror_with_close_matches():
    with pytest.raises(KeyError) as exc:
        data.load("covid_world")
    msg = str(exc.value)
    assert "covid_worldwide" in msg and "catalog()" in msg
    with pytest.raises(KeyError):
        data.cite("no_such_dataset_xyz")
    with pytest.raises(KeyError):
        data.raw_path("sipri")


def test_load_returns_a_fresh_copy():
    a = data.load("covid_worldwide")
    a.loc[0, "Confirmed"] = -1
    del a["Deaths"]
    b = data.load("covid_worldwide")
    assert b.loc[0, "Confirmed"] == 557 and "Deaths" in b.columns


def test_raw_path_points_into_data_dir():
    p = data.raw_path("exchange_rates")
    assert p.is_file() and p.parent.parent == data.data_dir()


def test_data_dir_env_override(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert data.data_dir() == tmp_path
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert (data.data_dir() / "datapackage.json").is_file()


def test_parsed_copies_read_as_fresh_parses_and_a_change_never_reaches_the_next_read(monkeypatch):
    """The warm checker and the template kernel parse data/ once and hand out copies (data.keep_parsed_copies)."""
    import pandas as pd

    from course import data

    name = data.catalog()["name"].iloc[0]
    fresh = data.load(name)
    monkeypatch.setattr(data, "_parse", data._parse)  # put the parsing function back after the test
    data.keep_parsed_copies()
    first = data.load(name)
    pd.testing.assert_frame_equal(first, fresh)
    first.iloc[0, 0] = None
    first["added"] = 1
    pd.testing.assert_frame_equal(data.load(name), fresh)
