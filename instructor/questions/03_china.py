"""Question contract for 03_china: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/contract.py for the fields. The k-th
alternatives (and the k-th wrong answers, and the k-th shortcuts) of all questions run together as one
submission, so each builds on the same-position answers of the questions before it.
"""

from course.contract import Mistake, Question

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
""", message='`Balance` uses the same thousands mark as the other columns: let `read_csv` read all of them as numbers (`thousands=`).'),
            Mistake("forgets thousands=\",\": \"1,187.5\" is not a number, and to_numeric(errors=\"coerce\") turns it into NaN", """
usa_trade = pd.read_csv(data.raw_path("trade_usa_china"), sep=";")
usa_trade["Month"] = pd.to_datetime(usa_trade["Month"], format="%B %Y")
for column in ["Exports", "Imports", "Balance"]:
    usa_trade[column] = pd.to_numeric(usa_trade[column], errors="coerce")
""", message='Values written like `1,187.5` became missing: tell `read_csv` which character groups thousands instead of coercing errors away.'),
            Mistake('converts the values to billion USD although the question keeps million USD', """
usa_trade = pd.read_csv(data.raw_path("trade_usa_china"), sep=";", thousands=",")
usa_trade["Month"] = pd.to_datetime(usa_trade["Month"], format="%B %Y")
usa_trade[["Exports", "Imports", "Balance"]] = usa_trade[["Exports", "Imports", "Balance"]] / 1_000
""", message='Your values look like billions: keep them in million USD, as in the file.'),
        ),
        shortcuts=(
            """
usa_trade = data.load("trade_usa_china")
""",
        ),
        hints=(
            'Open the raw file: which character separates the columns, and which one groups thousands?',
            "`pd.read_csv(..., sep=..., thousands=...)` reads the numbers; then convert `Month` with `pd.to_datetime(..., format='%B %Y')`.",
        )
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
""", message="Your dates were read as numbers, so October became January: read `Date` as text (`dtype={'Date': str}`) before converting it."),
            Mistake("converts to million USD although the question keeps thousand USD", """
korea_trade = pd.read_csv(data.raw_path("trade_korea_china"), dtype={"Date": str})
korea_trade["Date"] = pd.to_datetime(korea_trade["Date"], format="%Y.%m")
korea_trade[["Exports", "Imports"]] = korea_trade[["Exports", "Imports"]] / 1000
""", message='Keep the values in thousand USD, as in the file.'),
            Mistake('reads Date as text but never converts it to dates', """
korea_trade = pd.read_csv(data.raw_path("trade_korea_china"), dtype={"Date": str})
""", message='`Date` is still text: convert it to dates with `pd.to_datetime(..., format=...)`.'),
        ),
        shortcuts=(
            """
korea_trade = data.load("trade_korea_china")
""",
        ),
        hints=(
            'Look at how October 2001 is written in the file, and what that becomes if pandas reads it as a number.',
            "Read the file with `dtype={'Date': str}`, then convert the text with `pd.to_datetime(..., format='%Y.%m')`.",
        )
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
""", message="Days without a rate are missing, not 0: leave them out of the average (pandas' `mean` skips missing values)."),
            Mistake("takes each month's first published rate instead of the month's average", """
rates = pd.read_csv(data.raw_path("exchange_rates"), sep=";")
rates["Date"] = pd.to_datetime(rates["Date"], format="%d-%b-%Y")
jpy_monthly = rates.set_index("Date")["JPY"].resample("MS").first()
""", message="A month's rate is the average of all its daily rates, not its first rate."),
            Mistake('labels each month by its last day instead of its first', """
rates = pd.read_csv(data.raw_path("exchange_rates"), sep=";")
rates["Date"] = pd.to_datetime(rates["Date"], format="%d-%b-%Y")
jpy_monthly = rates.set_index("Date")["JPY"].resample("ME").mean()
""", message="Your index holds the last day of each month: label each month by its first day, so that it matches the trade files' dates."),
        ),
        shortcuts=(
            """
jpy_monthly = data.load("exchange_rates").set_index("Date")["JPY"].resample("MS").mean()
""",
        ),
        hints=(
            'The daily rates must become one value per month. Which pandas tool groups a date index by month?',
            "Index the rates by date and use `.resample('MS').mean()`: 'MS' labels each month by its first day, and `mean` skips days without a rate.",
        )
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
""", message="Convert each month with that month's own rate from `jpy_monthly`, not with a yearly average."),
            Mistake("treats the file as yen, not thousand yen", """
japan = pd.read_csv(data.raw_path("trade_japan_china"), sep=";")
japan["Date"] = pd.to_datetime(japan["Date"], format="%Y/%m")
japan = japan.merge(jpy_monthly.rename("jpy_per_usd"), left_on="Date", right_index=True, how="left")
japan["exports_musd"] = japan["Exports"] / japan["jpy_per_usd"] / 1e6
japan["imports_musd"] = japan["Imports"] / japan["jpy_per_usd"] / 1e6
japan_usd = japan[["Date", "Exports", "Imports", "exports_musd", "imports_musd"]]
""", message='The file is in *thousand* yen: multiply by 1,000 to get yen before dividing by the rate.'),
            Mistake('multiplies by the yen-per-dollar rate instead of dividing', """
japan = pd.read_csv(data.raw_path("trade_japan_china"), sep=";")
japan["Date"] = pd.to_datetime(japan["Date"], format="%Y/%m")
japan = japan.merge(jpy_monthly.rename("jpy_per_usd"), left_on="Date", right_index=True, how="left")
japan["exports_musd"] = japan["Exports"] * 1_000 * japan["jpy_per_usd"] / 1e6
japan["imports_musd"] = japan["Imports"] * 1_000 * japan["jpy_per_usd"] / 1e6
japan_usd = japan[["Date", "Exports", "Imports", "exports_musd", "imports_musd"]]
""", message='Check the direction of the conversion: yen ÷ (yen per dollar) = dollars; you multiplied by the rate.'),
        ),
        shortcuts=(
            """
japan = data.load("trade_japan_china")
rate = japan["Date"].map(jpy_monthly)
japan_usd = japan.assign(exports_musd=japan["Exports"] / rate / 1_000, imports_musd=japan["Imports"] / rate / 1_000)
""",
        ),
        hints=(
            'Each month needs its own rate beside it: match the trade rows with `jpy_monthly` on the date.',
            'Merge (or `map`) `jpy_monthly` onto the trade rows by date; thousand yen × 1,000 ÷ rate ÷ 1,000,000 gives million dollars.',
        )
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
""", message='A yearly total adds up the 12 months; you averaged them.'),
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
""", message="South Korea's file is in *thousand* USD: divide by 1,000,000 for billions (the United States and Japan are in millions)."),
            Mistake("leaves South Korea out of the combined table", """
monthly = pd.concat([
    pd.DataFrame({"country": "Japan", "date": japan_usd["Date"],
                  "exports_bn": japan_usd["exports_musd"] / 1e3, "imports_bn": japan_usd["imports_musd"] / 1e3}),
    pd.DataFrame({"country": "United States", "date": usa_trade["Month"],
                  "exports_bn": usa_trade["Exports"] / 1e3, "imports_bn": usa_trade["Imports"] / 1e3}),
])
monthly["year"] = monthly["date"].dt.year
trade_yearly = monthly.groupby(["country", "year"], as_index=False)[["exports_bn", "imports_bn"]].sum()
""", message='Your table has no South Korea: combine all three countries.'),
        ),
        shortcuts=(
            """
trade_yearly = china.annual_trade_usd()[["country", "year", "exports_bn", "imports_bn"]]
""",
        ),
        hints=(
            "Put the three countries' monthly values in one unit (billion USD) and the same columns, then stack them.",
            "`pd.concat` the three monthly tables with a `country` column, add `year` from the date, then `groupby(['country', 'year'])` and `sum()`.",
        )
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
""", message='A percent change is (new ÷ old − 1) × 100; you reported the ratio times 100.'),
            Mistake("starts a year late: measures from 2012", """
by_year = japan_usd.groupby(japan_usd["Date"].dt.year)[["Exports", "exports_musd"]].sum()
change = (by_year.loc[me.export_end] / by_year.loc[2012] - 1) * 100
japan_export_change = pd.Series({"JPY": change["Exports"], "USD": change["exports_musd"]})
""", message='Check the years: the change runs from 2011 to your last year (`me.export_end`).'),
            Mistake("swaps the labels: the change in dollars stored under 'JPY' and the change in yen under 'USD'", """
by_year = japan_usd.groupby(japan_usd["Date"].dt.year)[["Exports", "exports_musd"]].sum()
change = (by_year.loc[me.export_end] / by_year.loc[2011] - 1) * 100
japan_export_change = pd.Series([change["exports_musd"], change["Exports"]], index=["JPY", "USD"])
""", message="Check the labels: `Exports` is in yen, so its change belongs under 'JPY', and the change of `exports_musd` under 'USD'."),
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
        hints=(
            "Add up each year's exports first, in yen and in dollars, then compare your last year with 2011.",
            "Group `japan_usd` by year, sum `Exports` and `exports_musd`, then take (last year ÷ 2011 − 1) × 100 for each and store both in a Series indexed ['JPY', 'USD'].",
        )
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
""", message="The markers mean 'no estimate': make them missing values (`na_values=`), not 0."),
            Mistake("converts to billion USD although the question keeps million USD", """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), na_values=[". .", "xxx"])
names = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
four = sheet[sheet["Country"].isin(names)].assign(country=lambda d: d["Country"].map(names))
milex = four.melt(id_vars="country", value_vars=[str(y) for y in range(me.milex_from, 2021)], var_name="year", value_name="milex_musd")
milex["year"] = milex["year"].astype(int)
milex["milex_musd"] = milex["milex_musd"] / 1000
""", message='Keep the values in million USD, as in the sheet.'),
            Mistake("drops the years without an estimate instead of keeping them as missing values", """
sheet = pd.read_csv(data.raw_path("sipri_milex_constant_usd_raw"), na_values=[". .", "xxx"])
names = {"China": "China", "Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
four = sheet[sheet["Country"].isin(names)].assign(country=lambda d: d["Country"].map(names))
milex = four.melt(id_vars="country", value_vars=[str(y) for y in range(me.milex_from, 2021)], var_name="year", value_name="milex_musd").dropna()
milex["year"] = milex["year"].astype(int)
""", message='Keep the years without an estimate as rows with a missing value; do not drop them.'),
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
        hints=(
            'Look at how the sheet marks a missing estimate, and tell `read_csv` about both markers.',
            'Read with `na_values=[...]`, keep and rename the four countries, then `melt` the year columns into `year` and `milex_musd` and make `year` a whole number.',
        )
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
""", message="Divide every year by its value in your base year (`me.base_year`), not by the table's first row."),
            Mistake("forgets to multiply by 100: the base year = 1, not 100", """
wide_milex = milex.pivot(index="year", columns="country", values="milex_musd").loc[2001:2020]
milex_index = wide_milex / wide_milex.loc[me.base_year]
""", message='An index is a ratio times 100: every country should be 100 in the base year.'),
            Mistake('keeps the years before 2001 in the index table', """
wide_milex = milex.pivot(index="year", columns="country", values="milex_musd")
milex_index = wide_milex / wide_milex.loc[me.base_year] * 100
""", message='Keep only the years 2001 to 2020 in the table.'),
        ),
        shortcuts=(
            """
spending = china.military_spending()
milex_index = spending[spending["year"] >= 2001].pivot(index="year", columns="country", values="milex_index")
""",
        ),
        hints=(
            'Make one column per country with the years as the index, then relate each year to your base year.',
            "`pivot` `milex` to years × countries, keep 2001-2020, divide by your base year's row (`.loc[me.base_year]`) and multiply by 100.",
        )
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
""", message="Check the unit of SIPRI's share of GDP: it is a fraction (0.01 is 1 %), so GDP = spending ÷ that fraction, with no division by 100."),
            Mistake("uses exports only, not total trade", """
share_sheet = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), na_values=[". .", "xxx"])
ally_names = {"Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
share_2019 = share_sheet[share_sheet["Country"].isin(ally_names)].assign(country=lambda d: d["Country"].map(ally_names)).set_index("country")["2019"]
spending_2019 = milex[milex["year"] == 2019].set_index("country")["milex_musd"]
gdp_musd = spending_2019.loc[share_2019.index] / share_2019
t2019 = trade_yearly[trade_yearly["year"] == 2019].set_index("country")
trade_to_gdp_2019 = t2019["exports_bn"] * 1_000 / gdp_musd.loc[t2019.index] * 100
""", message='Trade is exports *plus* imports.'),
            Mistake("takes GDP from SIPRI's latest year (2020) instead of 2019", """
share_sheet = pd.read_csv(data.raw_path("sipri_milex_share_gdp_raw"), na_values=[". .", "xxx"])
ally_names = {"Japan": "Japan", "Korea, South": "South Korea", "USA": "United States"}
share_2020 = share_sheet[share_sheet["Country"].isin(ally_names)].assign(country=lambda d: d["Country"].map(ally_names)).set_index("country")["2020"]
spending_2020 = milex[milex["year"] == 2020].set_index("country")["milex_musd"]
gdp_musd = spending_2020.loc[share_2020.index] / share_2020
t2019 = trade_yearly[trade_yearly["year"] == 2019].set_index("country")
trade_to_gdp_2019 = (t2019["exports_bn"] + t2019["imports_bn"]) * 1_000 / gdp_musd.loc[t2019.index] * 100
""", message='Use the share of GDP for 2019, the same year as the trade.'),
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
        hints=(
            'GDP is not in the data, but military spending and its share of GDP are: GDP = spending ÷ share.',
            'Take 2019 spending from `milex` and the 2019 share from the sheet, compute GDP, then (exports + imports) in million USD ÷ GDP × 100 from `trade_yearly`.',
        )
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
""", message='That is the last year Japan was still ahead: the question asks for the first year China spent more.'),
            Mistake("compares the shares of GDP, not the spending: China's share is above Japan's from the start", """
china_passes_japan_year = 1990
""", message='Compare the spending in constant dollars, not the shares of GDP.'),
            Mistake("takes the latest year in which China spent more, not the first", """
wide_spending = milex.pivot(index="year", columns="country", values="milex_musd")
china_passes_japan_year = int(wide_spending.index[wide_spending["China"] > wide_spending["Japan"]].max())
""", message="That is the latest year in which China spent more than Japan; the question asks for the first such year."),
        ),
        shortcuts=(
            """
spending = china.military_spending()
wide_spending = spending.pivot(index="year", columns="country", values="milex_bn")
china_passes_japan_year = int(wide_spending.index[wide_spending["China"] > wide_spending["Japan"]].min())
""",
        ),
        hints=(
            "Narrow the explorer's window around the place where the two lines cross.",
            "Read the table under the chart: find the first year in which China's value is larger than Japan's.",
        )
    ),
]
