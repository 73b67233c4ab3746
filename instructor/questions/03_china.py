"""Question contract for 03_china: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields.
"""

from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_usa_trade",
        points=2,
        compare="TODO",
        alternatives=(
            """
text = pd.read_csv(data.raw_path("trade_usa_china"), sep=";", dtype=str)
usa_trade = text.assign(**{c: text[c].str.replace(",", "", regex=False).astype(float) for c in ["Exports", "Imports", "Balance"]})
usa_trade["Month"] = pd.to_datetime("1 " + text["Month"], format="%d %B %Y")
""",
        ),
        wrong=(
            Mistake("forgets thousands=\",\": \"1,187.5\" is not a number, and to_numeric(errors=\"coerce\") turns it into NaN", """
usa_trade = pd.read_csv(data.raw_path("trade_usa_china"), sep=";")
usa_trade["Month"] = pd.to_datetime(usa_trade["Month"], format="%B %Y")
for column in ["Exports", "Imports", "Balance"]:
    usa_trade[column] = pd.to_numeric(usa_trade[column], errors="coerce")
"""),
        ),
    ),
    Question(
        answer="q2_korea_trade",
        points=2,
        compare="TODO",
        alternatives=(
            """
korea_trade = pd.read_csv(data.raw_path("trade_korea_china"), converters={"Date": str})
parts = korea_trade["Date"].str.split(".", expand=True).astype(int)
korea_trade["Date"] = pd.to_datetime(pd.DataFrame({"year": parts[0], "month": parts[1], "day": 1}))
""",
        ),
        wrong=(
            Mistake("reads Date as a number: \"2001.10\" becomes 2001.1, i.e. January again", """
korea_trade = pd.read_csv(data.raw_path("trade_korea_china"))
korea_trade["Date"] = pd.to_datetime(korea_trade["Date"].astype(str), format="%Y.%m")
"""),
        ),
    ),
    Question(
        answer="q3_jpy_monthly",
        points=2,
        compare="TODO",
        alternatives=(
            """
rates = pd.read_csv(data.raw_path("exchange_rates"), sep=";", parse_dates=["Date"], date_format="%d-%b-%Y")
with_rate = rates.dropna(subset=["JPY"])
jpy_monthly = with_rate.groupby(with_rate["Date"].dt.to_period("M"))["JPY"].mean().to_timestamp()
""",
        ),
        wrong=(
            Mistake("replaces the days without a rate by 0 before averaging", """
rates = pd.read_csv(data.raw_path("exchange_rates"), sep=";")
rates["Date"] = pd.to_datetime(rates["Date"], format="%d-%b-%Y")
jpy_monthly = rates.fillna(0).set_index("Date")["JPY"].resample("MS").mean()
"""),
        ),
    ),
    Question(
        answer="q4_japan_usd",
        points=2,
        compare="TODO",
        alternatives=(
            """
japan = pd.read_csv(data.raw_path("trade_japan_china"), sep=";", dtype={"Date": str}).sort_values("Date")
dates = pd.to_datetime(japan["Date"].str.replace("/", "-") + "-01")
rate = jpy_monthly.sort_index().to_numpy()  # one rate per month, January 2001 to December 2019, as in the file
japan_usd = pd.DataFrame({
    "Date": dates,
    "exports_musd": japan["Exports"].to_numpy() / rate / 1_000,
    "imports_musd": japan["Imports"].to_numpy() / rate / 1_000,
})
""",
        ),
        wrong=(
            Mistake("treats the file as yen, not thousand yen", """
japan = pd.read_csv(data.raw_path("trade_japan_china"), sep=";")
japan["Date"] = pd.to_datetime(japan["Date"], format="%Y/%m")
japan = japan.merge(jpy_monthly.rename("jpy_per_usd"), left_on="Date", right_index=True, how="left")
japan["exports_musd"] = japan["Exports"] / japan["jpy_per_usd"] / 1e6
japan["imports_musd"] = japan["Imports"] / japan["jpy_per_usd"] / 1e6
japan_usd = japan[["Date", "exports_musd", "imports_musd"]]
"""),
        ),
    ),
    Question(
        answer="q5_trade_yearly",
        points=3,
        compare="TODO",
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
        ),
    ),
    Question(
        answer="q6_trade_growth",
        points=2,
        compare="TODO",
        alternatives=(
            """
ordered = trade_yearly.assign(total=trade_yearly["exports_bn"] + trade_yearly["imports_bn"]).sort_values("year")
by_country = ordered.groupby("country")["total"]
trade_growth = (by_country.last() / by_country.first() - 1) * 100
""",
        ),
        wrong=(
            Mistake("divides the change by the final year instead of the base year", """
total = trade_yearly.assign(total=trade_yearly["exports_bn"] + trade_yearly["imports_bn"])
wide = total.pivot(index="year", columns="country", values="total")
trade_growth = (wide.loc[2019] - wide.loc[2001]) / wide.loc[2019] * 100
"""),
        ),
    ),
    Question(
        answer="q7_balance_2019",
        points=1,
        compare="TODO",
        alternatives=(
            """
balance_2019 = (
    trade_yearly.query("year == 2019")
    .pivot_table(index="country", values=["exports_bn", "imports_bn"], aggfunc="sum")
    .eval("exports_bn - imports_bn")
)
""",
        ),
        wrong=(
            Mistake("imports minus exports: the sign of every balance is flipped", """
in_2019 = trade_yearly[trade_yearly["year"] == 2019].set_index("country")
balance_2019 = in_2019["imports_bn"] - in_2019["exports_bn"]
"""),
        ),
    ),
    Question(
        answer="q8_japan_export_change",
        points=2,
        compare="TODO",
        alternatives=(
            """
raw = pd.read_csv(data.raw_path("trade_japan_china"), sep=";")
raw["year"] = raw["Date"].str[:4].astype(int)
yen = raw.groupby("year")["Exports"].sum()
usd = japan_usd.groupby(japan_usd["Date"].dt.year)["exports_musd"].sum()
japan_export_change = pd.Series([yen[2015] / yen[2011] * 100 - 100, usd[2015] / usd[2011] * 100 - 100], index=["JPY", "USD"])
""",
        ),
        wrong=(
            Mistake("reports the ratio times 100 (102 = \"up 102 %\") instead of the percent change", """
yen = data.load("trade_japan_china")
yen_by_year = yen.groupby(yen["Date"].dt.year)["Exports"].sum()
usd_by_year = trade_yearly[trade_yearly["country"] == "Japan"].set_index("year")["exports_bn"]
japan_export_change = pd.Series({
    "JPY": yen_by_year[2015] / yen_by_year[2011] * 100,
    "USD": usd_by_year[2015] / usd_by_year[2011] * 100,
})
"""),
        ),
    ),
    Question(
        answer="q9_milex",
        points=2,
        compare="TODO",
        alternatives=(
            """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), na_values=[". .", "xxx"]).set_index("Country")
block = sheet.loc[["China", "Japan", "Korea, South", "USA"], [str(y) for y in range(1990, 2021)]]
block = block.rename(index={"USA": "United States", "Korea, South": "South Korea"})
milex = block.stack().rename("milex_musd").rename_axis(["country", "year"]).reset_index()
milex["year"] = pd.to_numeric(milex["year"])
""",
        ),
        wrong=(
            Mistake("keeps SIPRI's spellings (\"USA\", \"Korea, South\")", """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), na_values=[". .", "xxx"])
four = sheet[sheet["Country"].isin(["China", "Japan", "Korea, South", "USA"])].rename(columns={"Country": "country"})
milex = four.melt(id_vars="country", value_vars=[str(y) for y in range(1990, 2021)], var_name="year", value_name="milex_musd")
milex["year"] = milex["year"].astype(int)
"""),
        ),
    ),
    Question(
        answer="q10_milex_index",
        points=2,
        compare="TODO",
        alternatives=(
            """
base = milex[milex["year"] == 2001].set_index("country")["milex_musd"]
window = milex[milex["year"].between(2001, 2020)].assign(idx=lambda d: d["milex_musd"] / d["country"].map(base) * 100)
milex_index = window.pivot_table(index="year", columns="country", values="idx")
""",
        ),
        wrong=(
            Mistake("divides by the first row of the table (1990), not by 2001", """
wide_milex = milex.pivot(index="year", columns="country", values="milex_musd")
milex_index = (wide_milex / wide_milex.iloc[0] * 100).loc[2001:2020]
"""),
        ),
    ),
    Question(
        answer="q11_share_gdp_2020",
        points=1,
        compare="TODO",
        alternatives=(
            """
share_sheet = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), na_values=[". .", "xxx"])
long_share = share_sheet.melt(id_vars=["Country", "Notes"], var_name="year", value_name="share")
pick = long_share[(long_share["year"] == "2020") & long_share["Country"].isin(["USA", "China", "Japan", "Korea, South"])]
share_gdp_2020 = (
    (pick.set_index("Country")["share"] * 100)
    .rename({"USA": "United States", "Korea, South": "South Korea"})
    .sort_values(ascending=False)
)
""",
        ),
        wrong=(
            Mistake("forgets that SIPRI's shares are fractions", """
share_sheet = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), na_values=[". .", "xxx"])
sipri_names = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
share_gdp_2020 = (
    share_sheet[share_sheet["Country"].isin(sipri_names)]
    .assign(country=lambda d: d["Country"].map(sipri_names))
    .set_index("country")["2020"]
    .sort_values(ascending=False)
)
"""),
        ),
    ),
    Question(
        answer="q12_trade_to_gdp",
        points=2,
        compare="TODO",
        alternatives=(
            """
g = sipri.query("Year == 2019")[["Entity", "military_expenditure", "military_expenditure_share_gdp"]]
g = g.assign(gdp=g["military_expenditure"] * 100 / g["military_expenditure_share_gdp"])
m = trade_yearly.query("year == 2019").merge(g, left_on="country", right_on="Entity")
trade_to_gdp_2019 = pd.Series(((m["exports_bn"] + m["imports_bn"]) * 1e9 / m["gdp"] * 100).to_numpy(), index=m["country"])
""",
        ),
        wrong=(
            Mistake("uses exports only, not total trade", """
s2019 = sipri[sipri["Year"] == 2019].set_index("Entity")
gdp_bn = s2019["military_expenditure"] / (s2019["military_expenditure_share_gdp"] / 100) / 1e9
t2019 = trade_yearly[trade_yearly["year"] == 2019].set_index("country")
trade_to_gdp_2019 = t2019["exports_bn"] / gdp_bn.loc[t2019.index] * 100
"""),
        ),
    ),
    Question(
        answer="q13_warhead_ratio",
        points=1,
        compare="TODO",
        alternatives=(
            """
us = warheads.query("country_name == 'United States' and year >= 2000").set_index("year")["nuclear_weapons_stockpile"]
cn = warheads.query("country_name == 'China' and year >= 2000").set_index("year")["nuclear_weapons_stockpile"]
warhead_ratio = us.astype(float).div(cn.astype(float))
""",
        ),
        wrong=(
            Mistake("divides the other way round: Chinese warheads per U.S. warhead", """
two = warheads[warheads["country_name"].isin(["China", "United States"]) & (warheads["year"] >= 2000)]
wide_w = two.pivot(index="year", columns="country_name", values="nuclear_weapons_stockpile")
warhead_ratio = wide_w["China"] / wide_w["United States"]
"""),
        ),
    ),
    Question(
        answer="q14_korea_overtakes",
        points=1,
        compare="TODO",
        alternatives=(
            """
korea_overtakes_year = 2013
""",
        ),
        wrong=(
            Mistake("compares single months, not yearly totals: Korea first beats Japan in January 2012", """
japan_m = japan_usd.set_index("Date")["exports_musd"]
korea_m = korea_trade.set_index("Date")["Exports"] / 1e3
ahead = korea_m > japan_m
korea_overtakes_year = int(ahead[ahead].index.min().year)
"""),
        ),
    ),
]
