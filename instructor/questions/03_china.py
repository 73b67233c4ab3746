"""Question contract for 03_china: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields. The k-th
alternatives (and the k-th wrong answers, and the k-th shortcuts) of all questions run together as one
submission, so each builds on the same-position answers of the questions before it.
"""

from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_usa_trade",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
text = pd.read_csv(data.raw_path("trade_usa_china"), sep=";", dtype=str)
usa_trade = text.assign(**{c: text[c].str.replace(",", "", regex=False).astype(float) for c in ["Exports", "Imports", "Balance"]})
usa_trade["Month"] = pd.to_datetime("1 " + text["Month"], format="%d %B %Y")
""",
            """
usa_trade = pd.read_csv(data.raw_path("trade_usa_china"), sep=";", thousands=",", parse_dates=["Month"], date_format="%B %Y")
usa_trade = usa_trade.sort_values("Month", ascending=False).round(1)  # order and rounding to the checked precision
""",
        ),
        wrong=(
            Mistake("cleans the thousands marks of Exports and Imports but forgets Balance, which stays text", """
usa_trade = pd.read_csv(data.raw_path("trade_usa_china"), sep=";")
for column in ["Exports", "Imports"]:
    usa_trade[column] = usa_trade[column].str.replace(",", "", regex=False).astype(float)
usa_trade["Month"] = pd.to_datetime(usa_trade["Month"], format="%B %Y")
"""),
            Mistake("forgets thousands=\",\": \"1,187.5\" is not a number, and to_numeric(errors=\"coerce\") turns it into NaN", """
usa_trade = pd.read_csv(data.raw_path("trade_usa_china"), sep=";")
usa_trade["Month"] = pd.to_datetime(usa_trade["Month"], format="%B %Y")
for column in ["Exports", "Imports", "Balance"]:
    usa_trade[column] = pd.to_numeric(usa_trade[column], errors="coerce")
"""),
        ),
        shortcuts=(
            """
usa_trade = data.load("trade_usa_china")
""",
        ),
    ),
    Question(
        answer="q2_korea_trade",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
korea_trade = pd.read_csv(data.raw_path("trade_korea_china"), converters={"Date": str})
parts = korea_trade["Date"].str.split(".", expand=True).astype(int)
korea_trade["Date"] = pd.to_datetime(pd.DataFrame({"year": parts[0], "month": parts[1], "day": 1}))
""",
            """
korea_trade = pd.read_csv(data.raw_path("trade_korea_china"))  # Date read as a number: 2001.1 ...
korea_trade["Date"] = pd.to_datetime(korea_trade["Date"].map("{:.2f}".format), format="%Y.%m")  # ... written back as 2001.10
""",
        ),
        wrong=(
            Mistake("reads Date as a number: \"2001.10\" becomes 2001.1, i.e. January again", """
korea_trade = pd.read_csv(data.raw_path("trade_korea_china"))
korea_trade["Date"] = pd.to_datetime(korea_trade["Date"].astype(str), format="%Y.%m")
"""),
            Mistake("converts to million USD although the question keeps thousand USD", """
korea_trade = pd.read_csv(data.raw_path("trade_korea_china"), dtype={"Date": str})
korea_trade["Date"] = pd.to_datetime(korea_trade["Date"], format="%Y.%m")
korea_trade[["Exports", "Imports"]] = korea_trade[["Exports", "Imports"]] / 1000
"""),
        ),
        shortcuts=(
            """
korea_trade = data.load("trade_korea_china")
""",
        ),
    ),
    Question(
        answer="q3_jpy_monthly",
        points=2,
        compare="assert_series",
        alternatives=(
            """
rates = pd.read_csv(data.raw_path("exchange_rates"), sep=";", parse_dates=["Date"], date_format="%d-%b-%Y")
with_rate = rates.dropna(subset=["JPY"])
jpy_monthly = with_rate.groupby(with_rate["Date"].dt.to_period("M"))["JPY"].mean().to_timestamp()
""",
            """
rates = pd.read_csv(data.raw_path("exchange_rates"), sep=";")
rates["Date"] = pd.to_datetime(rates["Date"], format="%d-%b-%Y")
jpy_monthly = rates.groupby(pd.Grouper(key="Date", freq="MS"))["JPY"].mean().round(4).sort_index(ascending=False)
""",
        ),
        wrong=(
            Mistake("replaces the days without a rate by 0 before averaging", """
rates = pd.read_csv(data.raw_path("exchange_rates"), sep=";")
rates["Date"] = pd.to_datetime(rates["Date"], format="%d-%b-%Y")
jpy_monthly = rates.fillna(0).set_index("Date")["JPY"].resample("MS").mean()
"""),
            Mistake("takes each month's first published rate instead of the month's average", """
rates = pd.read_csv(data.raw_path("exchange_rates"), sep=";")
rates["Date"] = pd.to_datetime(rates["Date"], format="%d-%b-%Y")
jpy_monthly = rates.set_index("Date")["JPY"].resample("MS").first()
"""),
        ),
        shortcuts=(
            """
jpy_monthly = data.load("exchange_rates").set_index("Date")["JPY"].resample("MS").mean()
""",
        ),
    ),
    Question(
        answer="q4_japan_usd",
        points=2,
        compare="assert_frame",
        upstream=("q3_jpy_monthly",),
        alternatives=(
            """
japan = pd.read_csv(data.raw_path("trade_japan_china"), sep=";", dtype={"Date": str}).sort_values("Date")
dates = pd.to_datetime(japan["Date"].str.replace("/", "-") + "-01")
rate = jpy_monthly.sort_index().to_numpy()  # one rate per month, January 2001 to December 2019, as in the file
japan_usd = pd.DataFrame({
    "Date": dates,
    "Exports": japan["Exports"].to_numpy(),
    "Imports": japan["Imports"].to_numpy(),
    "exports_musd": japan["Exports"].to_numpy() / rate / 1_000,
    "imports_musd": japan["Imports"].to_numpy() / rate / 1_000,
})
""",
            """
japan_usd = pd.read_csv(data.raw_path("trade_japan_china"), sep=";")
japan_usd["Date"] = pd.to_datetime(japan_usd["Date"], format="%Y/%m")
japan_usd["jpy_per_usd"] = japan_usd["Date"].map(jpy_monthly)
japan_usd["exports_musd"] = (japan_usd["Exports"] / japan_usd["jpy_per_usd"] / 1_000).round(2)
japan_usd["imports_musd"] = (japan_usd["Imports"] / japan_usd["jpy_per_usd"] / 1_000).round(2)
japan_usd = japan_usd.sort_values("Date", ascending=False)  # newest month first: order is not checked
""",
        ),
        wrong=(
            Mistake("converts every month with the year's average rate instead of that month's own rate", """
japan = pd.read_csv(data.raw_path("trade_japan_china"), sep=";")
japan["Date"] = pd.to_datetime(japan["Date"], format="%Y/%m")
yearly_rate = jpy_monthly.groupby(jpy_monthly.index.year).mean()
rate = japan["Date"].dt.year.map(yearly_rate)
japan["exports_musd"] = japan["Exports"] * 1_000 / rate / 1e6
japan["imports_musd"] = japan["Imports"] * 1_000 / rate / 1e6
japan_usd = japan[["Date", "Exports", "Imports", "exports_musd", "imports_musd"]]
"""),
            Mistake("treats the file as yen, not thousand yen", """
japan = pd.read_csv(data.raw_path("trade_japan_china"), sep=";")
japan["Date"] = pd.to_datetime(japan["Date"], format="%Y/%m")
japan = japan.merge(jpy_monthly.rename("jpy_per_usd"), left_on="Date", right_index=True, how="left")
japan["exports_musd"] = japan["Exports"] / japan["jpy_per_usd"] / 1e6
japan["imports_musd"] = japan["Imports"] / japan["jpy_per_usd"] / 1e6
japan_usd = japan[["Date", "Exports", "Imports", "exports_musd", "imports_musd"]]
"""),
        ),
        shortcuts=(
            """
japan = data.load("trade_japan_china")
rate = japan["Date"].map(jpy_monthly)
japan_usd = japan.assign(exports_musd=japan["Exports"] / rate / 1_000, imports_musd=japan["Imports"] / rate / 1_000)
""",
        ),
    ),
    Question(
        answer="q5_trade_yearly",
        points=3,
        compare="assert_frame",
        upstream=("q1_usa_trade", "q2_korea_trade", "q4_japan_usd"),
        alternatives=(
            """
def yearly(frame, date, exports, imports, factor, name):
    out = frame.set_index(date)[[exports, imports]].resample("YS").sum() * factor
    out.columns = ["exports_bn", "imports_bn"]
    return out.assign(country=name, year=out.index.year).reset_index(drop=True)

trade_yearly = pd.concat([
    yearly(japan_usd, "Date", "exports_musd", "imports_musd", 1e-3, "Japan"),
    yearly(korea_trade, "Date", "Exports", "Imports", 1e-6, "South Korea"),
    yearly(usa_trade, "Month", "Exports", "Imports", 1e-3, "United States"),
], ignore_index=True)
""",
            """
japan_by_year = japan_usd
pieces = {
    "Japan": japan_by_year.groupby(japan_by_year["Date"].dt.year)[["exports_musd", "imports_musd"]].sum().set_axis(["exports_bn", "imports_bn"], axis=1) / 1e3,
    "South Korea": korea_trade.groupby(korea_trade["Date"].dt.year)[["Exports", "Imports"]].sum().set_axis(["exports_bn", "imports_bn"], axis=1) / 1e6,
    "United States": usa_trade.groupby(usa_trade["Month"].dt.year)[["Exports", "Imports"]].sum().set_axis(["exports_bn", "imports_bn"], axis=1) / 1e3,
}
trade_yearly = pd.concat(pieces, names=["country", "year"]).round(3).reset_index()
""",
        ),
        wrong=(
            Mistake("averages the months instead of adding them up", """
monthly = pd.concat([
    pd.DataFrame({"country": "Japan", "date": japan_usd["Date"],
                  "exports_bn": japan_usd["exports_musd"] / 1e3, "imports_bn": japan_usd["imports_musd"] / 1e3}),
    pd.DataFrame({"country": "South Korea", "date": korea_trade["Date"],
                  "exports_bn": korea_trade["Exports"] / 1e6, "imports_bn": korea_trade["Imports"] / 1e6}),
    pd.DataFrame({"country": "United States", "date": usa_trade["Month"],
                  "exports_bn": usa_trade["Exports"] / 1e3, "imports_bn": usa_trade["Imports"] / 1e3}),
])
monthly["year"] = monthly["date"].dt.year
trade_yearly = monthly.groupby(["country", "year"], as_index=False)[["exports_bn", "imports_bn"]].mean()
"""),
            Mistake("converts South Korea's thousand USD as if they were million USD", """
monthly = pd.concat([
    pd.DataFrame({"country": "Japan", "date": japan_usd["Date"],
                  "exports_bn": japan_usd["exports_musd"] / 1e3, "imports_bn": japan_usd["imports_musd"] / 1e3}),
    pd.DataFrame({"country": "South Korea", "date": korea_trade["Date"],
                  "exports_bn": korea_trade["Exports"] / 1e3, "imports_bn": korea_trade["Imports"] / 1e3}),
    pd.DataFrame({"country": "United States", "date": usa_trade["Month"],
                  "exports_bn": usa_trade["Exports"] / 1e3, "imports_bn": usa_trade["Imports"] / 1e3}),
])
monthly["year"] = monthly["date"].dt.year
trade_yearly = monthly.groupby(["country", "year"], as_index=False)[["exports_bn", "imports_bn"]].sum()
"""),
            Mistake("leaves South Korea out of the combined table", """
monthly = pd.concat([
    pd.DataFrame({"country": "Japan", "date": japan_usd["Date"],
                  "exports_bn": japan_usd["exports_musd"] / 1e3, "imports_bn": japan_usd["imports_musd"] / 1e3}),
    pd.DataFrame({"country": "United States", "date": usa_trade["Month"],
                  "exports_bn": usa_trade["Exports"] / 1e3, "imports_bn": usa_trade["Imports"] / 1e3}),
])
monthly["year"] = monthly["date"].dt.year
trade_yearly = monthly.groupby(["country", "year"], as_index=False)[["exports_bn", "imports_bn"]].sum()
"""),
        ),
        shortcuts=(
            """
trade_yearly = china.annual_trade_usd()[["country", "year", "exports_bn", "imports_bn"]]
""",
        ),
    ),
    Question(
        answer="q6_japan_export_change",
        points=2,
        compare="assert_series",
        upstream=("q4_japan_usd",),
        alternatives=(
            """
raw = pd.read_csv(data.raw_path("trade_japan_china"), sep=";")
raw["year"] = raw["Date"].str[:4].astype(int)
yen = raw.groupby("year")["Exports"].sum()
usd = japan_usd.groupby(japan_usd["Date"].dt.year)["exports_musd"].sum()
japan_export_change = pd.Series([yen[me.export_end] / yen[2011] * 100 - 100, usd[me.export_end] / usd[2011] * 100 - 100], index=["JPY", "USD"])
""",
            """
yearly_japan = japan_usd.set_index("Date").sort_index().resample("YS")[["Exports", "exports_musd"]].sum()
yearly_japan.index = yearly_japan.index.year
usd_from_table = trade_yearly.query("country == 'Japan'").set_index("year")["exports_bn"]
japan_export_change = pd.Series({
    "USD": round(usd_from_table.pct_change(periods=me.export_end - 2011)[me.export_end] * 100, 1),
    "JPY": round(yearly_japan["Exports"].pct_change(periods=me.export_end - 2011)[me.export_end] * 100, 1),
})
""",
        ),
        wrong=(
            Mistake("reports the ratio times 100 (102 = \"up 102 %\") instead of the percent change", """
by_year = japan_usd.groupby(japan_usd["Date"].dt.year)[["Exports", "exports_musd"]].sum()
japan_export_change = pd.Series({
    "JPY": by_year.loc[me.export_end, "Exports"] / by_year.loc[2011, "Exports"] * 100,
    "USD": by_year.loc[me.export_end, "exports_musd"] / by_year.loc[2011, "exports_musd"] * 100,
})
"""),
            Mistake("starts a year late: measures from 2012", """
by_year = japan_usd.groupby(japan_usd["Date"].dt.year)[["Exports", "exports_musd"]].sum()
change = (by_year.loc[me.export_end] / by_year.loc[2012] - 1) * 100
japan_export_change = pd.Series({"JPY": change["Exports"], "USD": change["exports_musd"]})
"""),
        ),
        shortcuts=(
            """
yen = data.load("trade_japan_china")
yen_by_year = yen.groupby(yen["Date"].dt.year)["Exports"].sum()
usd_by_year = trade_yearly[trade_yearly["country"] == "Japan"].set_index("year")["exports_bn"]
japan_export_change = pd.Series({
    "JPY": (yen_by_year[me.export_end] / yen_by_year[2011] - 1) * 100,
    "USD": (usd_by_year[me.export_end] / usd_by_year[2011] - 1) * 100,
})
""",
        ),
    ),
    Question(
        answer="q7_milex",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), na_values=[". .", "xxx"]).set_index("Country")
block = sheet.loc[["China", "Japan", "Korea, South", "USA"], [str(y) for y in range(me.milex_from, 2021)]]
block = block.rename(index={"USA": "United States", "Korea, South": "South Korea"})
milex = block.stack(future_stack=True).rename("milex_musd").rename_axis(["country", "year"]).reset_index()
milex["year"] = pd.to_numeric(milex["year"])
""",
            """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), dtype=str)
sheet["country"] = sheet["Country"].replace({"USA": "United States", "Korea, South": "South Korea"})
four = sheet[sheet["country"].isin(["China", "Japan", "South Korea", "United States"])]
milex = four.melt(id_vars="country", value_vars=[str(y) for y in range(me.milex_from, 2021)], var_name="year", value_name="milex_musd")
milex["milex_musd"] = pd.to_numeric(milex["milex_musd"], errors="coerce").round(1)  # ". ." and "xxx" become NaN
milex["year"] = milex["year"].astype(float)
milex = milex.sort_values(["year", "country"], ascending=False)
""",
        ),
        wrong=(
            Mistake("turns the '. .' markers into 0 instead of missing values", """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"))
names = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
four = sheet[sheet["Country"].isin(names)].assign(country=lambda d: d["Country"].map(names))
milex = four.melt(id_vars="country", value_vars=[str(y) for y in range(me.milex_from, 2021)], var_name="year", value_name="milex_musd")
milex["milex_musd"] = pd.to_numeric(milex["milex_musd"], errors="coerce").fillna(0)
milex["year"] = milex["year"].astype(int)
"""),
            Mistake("converts to billion USD although the question keeps million USD", """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), na_values=[". .", "xxx"])
names = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
four = sheet[sheet["Country"].isin(names)].assign(country=lambda d: d["Country"].map(names))
milex = four.melt(id_vars="country", value_vars=[str(y) for y in range(me.milex_from, 2021)], var_name="year", value_name="milex_musd")
milex["year"] = milex["year"].astype(int)
milex["milex_musd"] = milex["milex_musd"] / 1000
"""),
            Mistake("drops the years without an estimate instead of keeping them as missing values", """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), na_values=[". .", "xxx"])
names = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
four = sheet[sheet["Country"].isin(names)].assign(country=lambda d: d["Country"].map(names))
milex = four.melt(id_vars="country", value_vars=[str(y) for y in range(me.milex_from, 2021)], var_name="year", value_name="milex_musd").dropna()
milex["year"] = milex["year"].astype(int)
"""),
        ),
        shortcuts=(
            """
sheet = data.load("sipri_milex_constant_usd_raw")
names = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
four = sheet[sheet["Country"].isin(names)].assign(country=lambda d: d["Country"].map(names))
milex = four.melt(id_vars="country", value_vars=[str(y) for y in range(me.milex_from, 2021)], var_name="year", value_name="milex_musd")
milex["year"] = milex["year"].astype(int)
""",
            """
owid = data.load("sipri_milex")  # the same SIPRI values, but only from 1990
four = owid[owid["Entity"].isin(["China", "Japan", "South Korea", "United States"])]
milex = pd.DataFrame({"country": four["Entity"], "year": four["Year"], "milex_musd": four["military_expenditure"] / 1e6})
""",
        ),
    ),
    Question(
        answer="q8_milex_index",
        points=2,
        compare="assert_frame",
        upstream=("q7_milex",),
        alternatives=(
            """
base = milex[milex["year"] == me.base_year].set_index("country")["milex_musd"]
window = milex[milex["year"].between(2001, 2020)].assign(idx=lambda d: d["milex_musd"] / d["country"].map(base) * 100)
milex_index = window.pivot_table(index="year", columns="country", values="idx")
""",
            """
wide = milex.query("2001 <= year <= 2020").pivot(index="year", columns="country", values="milex_musd").sort_index()
milex_index = wide.div(wide.loc[me.base_year], axis=1).mul(100).round(1).sort_index(ascending=False)
milex_index.index = milex_index.index.astype(int)
""",
        ),
        wrong=(
            Mistake("divides by the first row of the table (its first year), not by the base year", """
wide_milex = milex.pivot(index="year", columns="country", values="milex_musd")
milex_index = (wide_milex / wide_milex.iloc[0] * 100).loc[2001:2020]
"""),
            Mistake("forgets to multiply by 100: the base year = 1, not 100", """
wide_milex = milex.pivot(index="year", columns="country", values="milex_musd").loc[2001:2020]
milex_index = wide_milex / wide_milex.loc[me.base_year]
"""),
        ),
        shortcuts=(
            """
spending = china.military_spending()
milex_index = spending[spending["year"] >= 2001].pivot(index="year", columns="country", values="milex_index")
""",
        ),
    ),
    Question(
        answer="q9_trade_to_gdp",
        points=3,
        compare="assert_series",
        upstream=("q5_trade_yearly", "q7_milex"),
        alternatives=(
            """
shares = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), na_values=[". .", "xxx"])
shares = shares.melt(id_vars=["Country", "Notes"], var_name="year", value_name="share")
shares = shares[shares["year"] == "2019"].replace({"USA": "United States", "Korea, South": "South Korea"})
merged = (
    trade_yearly[trade_yearly["year"] == 2019]
    .merge(milex[milex["year"] == 2019], on=["country", "year"])
    .merge(shares[["Country", "share"]], left_on="country", right_on="Country")
)
merged["gdp_bn"] = merged["milex_musd"] / merged["share"] / 1_000
trade_to_gdp_2019 = pd.Series((100 * (merged["exports_bn"] + merged["imports_bn"]) / merged["gdp_bn"]).to_numpy(), index=merged["country"])
""",
            """
sipri = data.load("sipri_milex")  # Our World in Data's copy of SIPRI: dollars, and the share in percent
g = sipri.query("Year == 2019")[["Entity", "military_expenditure", "military_expenditure_share_gdp"]]
g = g.assign(gdp=g["military_expenditure"] * 100 / g["military_expenditure_share_gdp"])
m = trade_yearly.query("year == 2019").merge(g, left_on="country", right_on="Entity")
trade_to_gdp_2019 = pd.Series(((m["exports_bn"] + m["imports_bn"]) * 1e9 / m["gdp"] * 100).round(1).to_numpy(), index=m["country"])
""",
        ),
        wrong=(
            Mistake("reads SIPRI's fractions as percent: GDP comes out 100 times too large", """
share_sheet = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), na_values=[". .", "xxx"])
ally_names = {"Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
share_2019 = share_sheet[share_sheet["Country"].isin(ally_names)].assign(country=lambda d: d["Country"].map(ally_names)).set_index("country")["2019"]
spending_2019 = milex[milex["year"] == 2019].set_index("country")["milex_musd"]
gdp_musd = spending_2019.loc[share_2019.index] / (share_2019 / 100)
t2019 = trade_yearly[trade_yearly["year"] == 2019].set_index("country")
trade_to_gdp_2019 = (t2019["exports_bn"] + t2019["imports_bn"]) * 1_000 / gdp_musd.loc[t2019.index] * 100
"""),
            Mistake("uses exports only, not total trade", """
share_sheet = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), na_values=[". .", "xxx"])
ally_names = {"Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
share_2019 = share_sheet[share_sheet["Country"].isin(ally_names)].assign(country=lambda d: d["Country"].map(ally_names)).set_index("country")["2019"]
spending_2019 = milex[milex["year"] == 2019].set_index("country")["milex_musd"]
gdp_musd = spending_2019.loc[share_2019.index] / share_2019
t2019 = trade_yearly[trade_yearly["year"] == 2019].set_index("country")
trade_to_gdp_2019 = t2019["exports_bn"] * 1_000 / gdp_musd.loc[t2019.index] * 100
"""),
            Mistake("takes GDP from SIPRI's latest year (2020) instead of 2019", """
share_sheet = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), na_values=[". .", "xxx"])
ally_names = {"Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
share_2020 = share_sheet[share_sheet["Country"].isin(ally_names)].assign(country=lambda d: d["Country"].map(ally_names)).set_index("country")["2020"]
spending_2020 = milex[milex["year"] == 2020].set_index("country")["milex_musd"]
gdp_musd = spending_2020.loc[share_2020.index] / share_2020
t2019 = trade_yearly[trade_yearly["year"] == 2019].set_index("country")
trade_to_gdp_2019 = (t2019["exports_bn"] + t2019["imports_bn"]) * 1_000 / gdp_musd.loc[t2019.index] * 100
"""),
        ),
        shortcuts=(
            """
share_sheet = data.load("sipri_milex_share_gdp_raw")
ally_names = {"Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
share_2019 = share_sheet[share_sheet["Country"].isin(ally_names)].assign(country=lambda d: d["Country"].map(ally_names)).set_index("country")["2019"]
spending_2019 = milex[milex["year"] == 2019].set_index("country")["milex_musd"]
t2019 = trade_yearly[trade_yearly["year"] == 2019].set_index("country")
trade_to_gdp_2019 = (t2019["exports_bn"] + t2019["imports_bn"]) * 1_000 / (spending_2019.loc[share_2019.index] / share_2019) * 100
""",
        ),
    ),
    Question(
        answer="q10_china_passes_japan",
        points=1,
        compare="assert_number",
        alternatives=(
            """
wide_spending = milex.pivot(index="year", columns="country", values="milex_musd")
china_passes_japan_year = int(wide_spending.index[wide_spending["China"] > wide_spending["Japan"]].min())
""",
            """
china_passes_japan_year = 2001.0  # read off the explorer, typed as a float
""",
        ),
        wrong=(
            Mistake("gives the last year Japan was still ahead, not the first year China was", """
china_passes_japan_year = 2000
"""),
            Mistake("compares the shares of GDP, not the spending: China's share is above Japan's from the start", """
china_passes_japan_year = 1990
"""),
        ),
        shortcuts=(
            """
spending = china.military_spending()
wide_spending = spending.pivot(index="year", columns="country", values="milex_bn")
china_passes_japan_year = int(wide_spending.index[wide_spending["China"] > wide_spending["Japan"]].min())
""",
        ),
    ),
]
