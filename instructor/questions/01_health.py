"""Question contract for 01_health: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/contract.py for the fields. The k-th alternative
(wrong answer, shortcut) of every question runs in one submission, so they are written to work together:
alternative 1 of Question 7, for example, reads the `focus_7day` that alternative 1 of Question 6 builds.
"""

from course.contract import Mistake, Question

# A helper earlier versions of the course offered students; it computed Questions 4-7 in one call and is gone.
OLD_HELPER = 'daily = health.daily_table(covid, population)\n'

QUESTIONS = [
    Question(
        answer="q1_date_50m",
        points=1,
        compare="assert_date",
        alternatives=(
            """
date_50m = world.set_index("Date")["Confirmed"].ge(50e6).idxmax()
""",
            """
date_50m = world.sort_values("Date").query("Confirmed >= 50000000")["Date"].iloc[0].strftime("%Y-%m-%d")
""",
        ),
        wrong=(
            Mistake("flips the condition: the last day *below* 50 million, one day early", """
date_50m = world.loc[world["Confirmed"] < 50_000_000, "Date"].max()
""", message='Check the direction of your comparison: you want the days on which the total was *at least* 50 million, and the earliest of them.'),
            Mistake("writes 50 million with one zero too few (5 million)", """
date_50m = world.loc[world["Confirmed"] >= 5_000_000, "Date"].min()
""", message='Count the zeros in your threshold: write 50 million as `50_000_000`.'),
            Mistake('takes the last date at or above 50 million instead of the first', """
date_50m = world.loc[world["Confirmed"] >= 50_000_000, "Date"].max()
""", message='Your date is the *last* day at or above 50 million; the question asks for the first one (the smallest date).'),
        ),
        shortcuts=(
            """
date_50m = pd.Timestamp("2020-11-01")  # typed in: the article's month, not the data
""",
        ),
        hints=(
            'Only some rows have a cumulative total of at least 50 million. Which of those days comes first?',
            'Keep the rows where `Confirmed >= 50_000_000` with a boolean mask, then take the smallest value of their `Date` column.',
        )
    ),
    Question(
        answer="q2_days_50m_to_100m",
        points=1,
        compare="assert_number",
        upstream=("q1_date_50m",),
        alternatives=(
            """
days_50m_to_100m = int(world["Confirmed"].between(50e6, 100e6, inclusive="left").sum())
""",
            """
date_100m = world.set_index("Date")["Confirmed"].ge(100_000_000).idxmax()
days_50m_to_100m = (date_100m - pd.Timestamp(date_50m)) / pd.Timedelta(days=1)
""",
        ),
        wrong=(
            Mistake("counts from the first day of the data instead of from the 50-million day", """
date_100m = world.loc[world["Confirmed"] >= 100_000_000, "Date"].min()
days_50m_to_100m = (date_100m - world["Date"].min()).days
""", message='Count from your `date_50m`, not from the first day of the data.'),
            Mistake("counts both end days (one day too many)", """
date_100m = world.loc[world["Confirmed"] >= 100_000_000, "Date"].min()
days_50m_to_100m = (date_100m - pd.Timestamp(date_50m)).days + 1
""", message='The number of days between two dates is their difference (`.days`); counting both end days adds one too many.'),
            Mistake('counts every day with at least 50 million cases, including those after 100 million', """
days_50m_to_100m = int((world["Confirmed"] >= 50_000_000).sum())
""", message='You counted every day with at least 50 million cases, including the days after the total reached 100 million: stop at the first day with 100 million.'),
        ),
        shortcuts=(
            """
days_50m_to_100m = 2 * 30  # typed in: "about two months", from November to January
""",
        ),
        hints=(
            'Find the first day with at least 100 million cases the same way you found `date_50m`.',
            'Subtract `date_50m` from that date: the result is a `Timedelta`, and its `.days` is a whole number.',
        )
    ),
    Question(
        answer="q3_pop_growth",
        points=1,
        compare="assert_series",
        alternatives=(
            """
wide = owid[owid["country"].isin(health.FOCUS) & owid["year"].isin([2015, 2018])].pivot_table(
    index="year", columns="country", values="population")
pop_growth = wide.pct_change().iloc[-1] * 100
""",
            """
wide = owid[owid["country"].isin(health.FOCUS)].pivot(index="country", columns="year", values="population")
pop_growth = ((wide[2018] / wide[2015] - 1) * 100).round(2)
""",
        ),
        wrong=(
            Mistake("divides by the 2018 value instead of the 2015 (starting) value", """
wide = owid[owid["country"].isin(health.FOCUS)].pivot(index="country", columns="year", values="population")
pop_growth = (wide[2018] - wide[2015]) / wide[2018] * 100
""", message='A percentage change divides by the *starting* value: the 2015 population, not the 2018 one.'),
            Mistake("takes 2015 to 2017, one year short", """
wide = owid[owid["country"].isin(health.FOCUS)].pivot(index="country", columns="year", values="population")
pop_growth = (wide[2017] - wide[2015]) / wide[2015] * 100
""", message='Check your years: the change runs from 2015 to 2018.'),
            Mistake('gives the change in people, not a percentage', """
wide = owid[owid["country"].isin(health.FOCUS)].pivot(index="country", columns="year", values="population")
pop_growth = wide[2018] - wide[2015]
""", message='Your values look like changes in the number of people: divide by the 2015 population and multiply by 100 for a percentage.'),
        ),
        shortcuts=(
            """
pop_growth = pd.Series({"United States": 2.0, "Japan": -0.6, "South Korea": 0.7, "Taiwan": 0.7})  # from the prose
""",
        ),
        hints=(
            'A percentage change compares the later value with the starting one. Which year is the start?',
            'Make one value per country for 2015 and one for 2018 (with `pivot` or `xs`), then apply (2018 − 2015) / 2015 × 100.',
        )
    ),
    Question(
        answer="q4_per_million",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
wide = covid.pivot(index="Date", columns="Country", values=["Confirmed", "Deaths"]).iloc[-1].unstack(0)
wide.index = [health.JHU_TO_OWID.get(name, name) for name in wide.index]
wide = wide.loc[list(health.FOCUS)]
pop = population.reindex(wide.index)
per_million = (
    wide.assign(cases_per_million=wide["Confirmed"].astype(float) * 1e6 / pop,
                deaths_per_million=wide["Deaths"].astype(float) * 1e6 / pop)
    .rename_axis("country").reset_index()
    .nlargest(4, "cases_per_million")[["deaths_per_million", "country", "cases_per_million"]]
)
""",
            """
last = covid[covid["Date"] == "2021-10-10"].copy()
last["country"] = last["Country"].map(lambda name: health.JHU_TO_OWID.get(name, name))
last = last[last["country"].isin(health.FOCUS)].set_index("country")
pop = population.reindex(last.index)
per_million = pd.DataFrame({
    "cases_per_million": (last["Confirmed"] / pop * 1e6).round(1),
    "deaths_per_million": (last["Deaths"] / pop * 1e6).round(1),
}).sort_values("cases_per_million", ascending=False).reset_index()
""",
        ),
        wrong=(
            Mistake("forgets to translate the JHU names, so the merge keeps only Japan", """
last = covid[covid["Date"] == covid["Date"].max()]
last = last.merge(population.rename("population"), left_on="Country", right_index=True)
last = last[last["Country"].isin(health.FOCUS)]
per_million = pd.DataFrame({
    "country": last["Country"],
    "cases_per_million": last["Confirmed"] / last["population"] * 1_000_000,
    "deaths_per_million": last["Deaths"] / last["population"] * 1_000_000,
}).sort_values("cases_per_million", ascending=False)
""", message='Check the country names: JHU and OWID spell some places differently, so translate them with `health.JHU_TO_OWID` before you merge.'),
            Mistake("adds up the cumulative columns over every day instead of taking the last day", """
four = covid.assign(country=covid["Country"].replace(health.JHU_TO_OWID))
totals = four[four["country"].isin(health.FOCUS)].groupby("country")[["Confirmed", "Deaths"]].sum()
per_million = pd.DataFrame({
    "cases_per_million": totals["Confirmed"] / population.reindex(totals.index) * 1e6,
    "deaths_per_million": totals["Deaths"] / population.reindex(totals.index) * 1e6,
}).rename_axis("country").reset_index().sort_values("cases_per_million", ascending=False)
""", message='`Confirmed` and `Deaths` are already running totals: use the values of the last day instead of adding up every day.'),
            Mistake('multiplies by a thousand instead of a million (per thousand people)', """
last = covid[covid["Date"] == covid["Date"].max()].copy()
last["country"] = last["Country"].replace(health.JHU_TO_OWID)
last = last[last["country"].isin(health.FOCUS)]
last = last.merge(population.rename("population"), left_on="country", right_index=True)
per_million = pd.DataFrame({
    "country": last["country"],
    "cases_per_million": last["Confirmed"] / last["population"] * 1_000,
    "deaths_per_million": last["Deaths"] / last["population"] * 1_000,
}).sort_values("cases_per_million", ascending=False)
""", message='Your rates look like rates per *thousand* people: a rate per million multiplies by 1,000,000.'),
        ),
        shortcuts=(
            OLD_HELPER + """
per_million = daily[daily["Date"] == daily["Date"].max()][["country", "cases_per_million", "deaths_per_million"]]
""",
        ),
        hints=(
            'Start from the rows of the last date only: the columns are running totals, so nothing needs adding up.',
            'Translate the names with `health.JHU_TO_OWID`, bring in `population` with `merge` or `map`, divide each count by the population and multiply by 1,000,000, then sort largest first.',
        )
    ),
    Question(
        answer="q5_japan_7day",
        points=2,
        compare="assert_series",
        alternatives=(
            """
cumulative = covid.query("Country == @me.country").set_index("Date")["Confirmed"]
country_7day = ((cumulative - cumulative.shift(7)) / 7).dropna()
""",
            """
mine = covid[covid["Country"] == me.country].set_index("Date")["Confirmed"].sort_index()
country_7day = mine.diff().rolling("7D").mean().round(1)  # the first days average fewer than 7 days
""",
        ),
        wrong=(
            Mistake("a 7-day total, not an average", """
mine = covid[covid["Country"] == me.country].set_index("Date")
country_7day = mine["Confirmed"].diff().rolling(7).sum()
""", message='Your values look like 7-day totals: the question asks for the average per day over the 7 days.'),
            Mistake("a centred window (3 days either side) instead of the 7 days ending on each date", """
mine = covid[covid["Country"] == me.country].set_index("Date")
country_7day = mine["Confirmed"].diff().rolling(7, center=True).mean()
""", message='Your window is centred on each date: the average should use the 7 days *ending* on each date (leave out `center=True`).'),
            Mistake('averages the cumulative totals instead of the new cases', """
mine = covid[covid["Country"] == me.country].set_index("Date").sort_index()
country_7day = mine["Confirmed"].rolling(7).mean()
""", message="You averaged the running total: take each day's *new* cases first (`.diff()`), then average them."),
        ),
        shortcuts=(
            OLD_HELPER + """
country_7day = daily[daily["country"] == me.country].set_index("Date")["new_cases_per_million_7d"] * population[me.country] / 1e6
""",
        ),
        hints=(
            "`Confirmed` is a running total. How do you get each day's new cases from it?",
            "Select your country's rows (`me.country`), index them by date, take `.diff()` of `Confirmed`, then `.rolling(7).mean()`.",
        )
    ),
    Question(
        answer="q6_focus_7day",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
wide = covid.pivot(index="Date", columns="Country", values="Confirmed").rename(columns=health.JHU_TO_OWID)
wide = wide[list(health.FOCUS)].astype(float)
per_day = wide.diff().div(population[list(health.FOCUS)], axis=1) * 1e6
focus_7day = (per_day.rolling(7).mean().rename_axis(columns="country")
              .stack().rename("new_cases_per_million_7d").reset_index())
""",
            """
four = covid.assign(country=covid["Country"].replace(health.JHU_TO_OWID))
four = four[four["country"].isin(health.FOCUS)]
four = four.merge(population.rename("pop").reset_index(), on="country").sort_values(["country", "Date"])
four["new_pm"] = four.groupby("country")["Confirmed"].diff().astype(float) / four["pop"] * 1e6
focus_7day = (four.set_index("Date").groupby("country")["new_pm"].rolling("7D").mean().round(2)
              .rename("new_cases_per_million_7d").reset_index())
""",
        ),
        wrong=(
            Mistake("a 7-day total, not an average", """
four = covid.assign(country=covid["Country"].replace(health.JHU_TO_OWID))
four = four[four["country"].isin(health.FOCUS)].sort_values(["country", "Date"])
four["new_per_million"] = four.groupby("country")["Confirmed"].diff() / four["country"].map(population) * 1_000_000
four["new_cases_per_million_7d"] = four.groupby("country")["new_per_million"].transform(lambda s: s.rolling(7).sum())
focus_7day = four[["Date", "country", "new_cases_per_million_7d"]]
""", message='Your values look like 7-day totals: the question asks for the average per day over the 7 days.'),
            Mistake("divides by the population once too often (per million per million)", """
four = covid.assign(country=covid["Country"].replace(health.JHU_TO_OWID))
four = four[four["country"].isin(health.FOCUS)].sort_values(["country", "Date"])
four["new_per_million"] = four.groupby("country")["Confirmed"].diff() / (four["country"].map(population) / 1e6)
four["new_per_million"] = four["new_per_million"] / four["country"].map(population) * 1e6
four["new_cases_per_million_7d"] = four.groupby("country")["new_per_million"].transform(lambda s: s.rolling(7).mean())
focus_7day = four[["Date", "country", "new_cases_per_million_7d"]]
""", message='You divided by the population twice: divide the new cases by the population once, then multiply by 1,000,000.'),
            Mistake("multiplies by 100,000 instead of a million (per 100,000 people)", """
four = covid.assign(country=covid["Country"].replace(health.JHU_TO_OWID))
four = four[four["country"].isin(health.FOCUS)].sort_values(["country", "Date"])
four["new_per_100k"] = four.groupby("country")["Confirmed"].diff() / four["country"].map(population) * 100_000
four["new_cases_per_million_7d"] = four.groupby("country")["new_per_100k"].transform(lambda s: s.rolling(7).mean())
focus_7day = four[["Date", "country", "new_cases_per_million_7d"]]
""", message="Your rates look like rates per 100,000 people: a rate per million multiplies by 1,000,000."),
        ),
        shortcuts=(
            OLD_HELPER + """
focus_7day = daily[daily["country"].isin(health.FOCUS)][["Date", "country", "new_cases_per_million_7d"]]
""",
        ),
        hints=(
            'Do what Question 5 did, but every step (the difference and the average) must stay within one place.',
            "Translate the names, keep the four places, sort by country and date, then use `groupby('country')` for `.diff()` and for the rolling mean; divide by each place's population and multiply by 1,000,000.",
        )
    ),
    Question(
        answer="q7_peaks",
        points=1,
        compare="assert_frame",
        upstream=("q6_focus_7day",),
        alternatives=(
            """
peaks = (
    focus_7day.dropna(subset=["new_cases_per_million_7d"])
    .sort_values("new_cases_per_million_7d", ascending=False)
    .drop_duplicates("country")
    .rename(columns={"Date": "peak_date", "new_cases_per_million_7d": "peak_per_million"})
    .loc[:, ["peak_per_million", "peak_date", "country"]]
)
""",
            """
rows = []
for name, part in focus_7day.groupby("country"):
    part = part.reset_index(drop=True)
    best = part["new_cases_per_million_7d"].idxmax()
    rows.append({"country": name, "peak_date": str(part.loc[best, "Date"].date()),
                 "peak_per_million": round(part.loc[best, "new_cases_per_million_7d"], 2)})
peaks = pd.DataFrame(rows).sort_values("peak_per_million", ascending=False)
""",
        ),
        wrong=(
            Mistake("sorts smallest first", """
top = focus_7day.loc[focus_7day.groupby("country")["new_cases_per_million_7d"].idxmax()]
peaks = top.rename(columns={"Date": "peak_date", "new_cases_per_million_7d": "peak_per_million"})[
    ["country", "peak_date", "peak_per_million"]].sort_values("peak_per_million")
""", message='Check the order: the place with the highest peak comes first.'),
            Mistake("takes the maximum of each column separately, so the date is the last day, not the peak's day", """
by_country = focus_7day.groupby("country")
peaks = pd.DataFrame({
    "peak_date": by_country["Date"].max(),
    "peak_per_million": by_country["new_cases_per_million_7d"].max(),
}).reset_index().sort_values("peak_per_million", ascending=False)
""", message="Your `peak_date` is each place's last date, not the day of its peak: take the whole row where the value is highest (`idxmax`)."),
            Mistake('sorts by the peak date instead of by the peak value', """
top = focus_7day.loc[focus_7day.groupby("country")["new_cases_per_million_7d"].idxmax()]
peaks = top.rename(columns={"Date": "peak_date", "new_cases_per_million_7d": "peak_per_million"})[
    ["country", "peak_date", "peak_per_million"]].sort_values("peak_date")
""", message='Check which column you sorted by: the table is ordered by the peak value, largest first.'),
        ),
        shortcuts=(
            OLD_HELPER + """
top = daily.loc[daily[daily["country"].isin(health.FOCUS)].groupby("country")["new_cases_per_million_7d"].idxmax()]
peaks = top.rename(columns={"Date": "peak_date", "new_cases_per_million_7d": "peak_per_million"})
""",
        ),
        hints=(
            'For each place, find the row of `focus_7day` where `new_cases_per_million_7d` is highest: the date comes from that same row.',
            "`groupby('country')[...].idxmax()` gives the row labels of the highest values; select those rows with `.loc`, rename the columns, then sort by the peak value, largest first.",
        )
    ),
    Question(
        answer="q8_cfr",
        points=1,
        compare="assert_series",
        alternatives=(
            """
final = covid.sort_values("Date").groupby("Country").last()
final = final.loc[["US", "Japan", "Korea, South", "Taiwan*"]]
cfr = final["Deaths"].div(final["Confirmed"]).mul(100).sort_values(ascending=False)
""",
            """
last = covid[covid["Date"] == covid["Date"].max()].assign(country=lambda d: d["Country"].replace(health.JHU_TO_OWID))
last = last[last["country"].isin(health.FOCUS)]
cfr = pd.Series((last["Deaths"] / last["Confirmed"] * 100).round(2).to_numpy(), index=last["country"]).sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("sums the cumulative columns over every day before dividing", """
four = covid[covid["Country"].isin(["US", "Japan", "Korea, South", "Taiwan*"])]
totals = four.groupby("Country")[["Deaths", "Confirmed"]].sum()
cfr = (totals["Deaths"] / totals["Confirmed"] * 100).sort_values(ascending=False)
""", message='`Deaths` and `Confirmed` are running totals: divide the values of the last day, not sums over every day.'),
            Mistake("sorts from lowest to highest", """
on_last_day = covid[covid["Date"] == covid["Date"].max()].set_index("Country")
on_last_day = on_last_day.loc[["US", "Japan", "Korea, South", "Taiwan*"]]
cfr = (on_last_day["Deaths"] / on_last_day["Confirmed"] * 100).sort_values()
""", message='Check the order: highest first.'),
            Mistake('leaves the ratio as a fraction, not a percentage', """
on_last_day = covid[covid["Date"] == covid["Date"].max()].set_index("Country")
on_last_day = on_last_day.rename(index=health.JHU_TO_OWID).loc[list(health.FOCUS)]
cfr = (on_last_day["Deaths"] / on_last_day["Confirmed"]).sort_values(ascending=False)
""", message='Your values look like fractions: the question asks for percent (multiply by 100).'),
        ),
        shortcuts=(
            """
cfr = pd.Series({"Taiwan": 5.2, "United States": 1.6, "Japan": 1.0, "South Korea": 0.8})  # typed in, one decimal
""",
        ),
        hints=(
            'The ratio uses the two running totals on the last day of the data.',
            "Keep the last date's rows for the four places, divide `Deaths` by `Confirmed`, multiply by 100, then sort from highest to lowest.",
        )
    ),
    Question(
        answer="q9_explore_death_peak",
        points=1,
        compare="assert_text",
        alternatives=(
            """
japan = covid[covid["Country"] == "Japan"].set_index("Date")["Deaths"].astype(float)
japan_death_peak_month = japan.diff().rolling(7).mean().idxmax().strftime("%Y-%m")
""",
            """
japan_death_peak_month = " 2021-5 "
""",
        ),
        wrong=(
            Mistake("reads off the month of Japan's highest *case* wave instead of deaths", """
japan_death_peak_month = "2021-08"
""", message="That is the month of Japan's highest wave of *cases*: set the explorer's metric to new deaths per million."),
            Mistake("leaves the smoothing at 1 day and reads the single highest raw day", """
japan_death_peak_month = "2021-01"
""", message='With the smoothing at 1 day you read one noisy day: set the smoothing to 7 days, as the question says.'),
            Mistake('reads the month where the running total of deaths is highest (the end of the data)', """
japan_death_peak_month = "2021-10"
""", message='That is where a running total is highest (the end of the data): choose the metric of *new* deaths per million.'),
        ),
        shortcuts=(
            """
japan_death_peak_month = "2020-04"  # the example in the question
""",
        ),
        hints=(
            'Set every control as the question says before you read the chart: place, metric, smoothing, scale and window.',
            "Find the highest point of Japan's 7-day curve of new deaths per million and read its month on the horizontal axis.",
        )
    ),
    Question(
        answer="q10_donor_ranks",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
donors = oda.query("year == @me.rank_year and name not in ['DAC countries', 'EU Institutions']")
def rank_desc(values):
    v = values.to_numpy()
    return [int((v > x).sum()) + 1 for x in v]
donor_ranks = pd.DataFrame({
    "name": donors["name"].to_numpy(),
    "oda_rank": rank_desc(donors["ODA (left-axis)"]),
    "share_rank": rank_desc(donors["ODA/GNI (right-axis)"]),
})
""",
            """
in_year = oda[oda["year"] == me.rank_year]
in_year = in_year[~in_year["name"].isin(["DAC countries", "EU Institutions"])].set_index("name")
donor_ranks = pd.DataFrame({
    "share_rank": in_year["ODA/GNI (right-axis)"].rank(ascending=False, method="min").astype(int),
    "oda_rank": in_year["ODA (left-axis)"].rank(ascending=False, method="min").astype(int),
}).reset_index().sort_values("name")
""",
        ),
        wrong=(
            Mistake("pandas ranks ascending by default: 1 = the smallest donor", """
in_year = oda[(oda["year"] == me.rank_year) & ~oda["name"].isin(["DAC countries", "EU Institutions"])].copy()
in_year["oda_rank"] = in_year["ODA (left-axis)"].rank(method="min")
in_year["share_rank"] = in_year["ODA/GNI (right-axis)"].rank(method="min")
donor_ranks = in_year[["name", "oda_rank", "share_rank"]]
""", message='pandas ranks from the smallest value up by default: rank 1 should be the largest donor (`ascending=False`).'),
            Mistake("ranks the year before, one year early", """
earlier = oda[(oda["year"] == me.rank_year - 1) & ~oda["name"].isin(["DAC countries", "EU Institutions"])].copy()
earlier["oda_rank"] = earlier["ODA (left-axis)"].rank(ascending=False, method="min")
earlier["share_rank"] = earlier["ODA/GNI (right-axis)"].rank(ascending=False, method="min")
donor_ranks = earlier[["name", "oda_rank", "share_rank"]]
""", message='Check the year: rank the donors of your own year for this question (`me.rank_year`, printed above the question).'),
            Mistake("keeps the 'DAC countries' total and 'EU Institutions' rows when ranking", """
in_year = oda[oda["year"] == me.rank_year].copy()
in_year["oda_rank"] = in_year["ODA (left-axis)"].rank(ascending=False, method="min")
in_year["share_rank"] = in_year["ODA/GNI (right-axis)"].rank(ascending=False, method="min")
donor_ranks = in_year[["name", "oda_rank", "share_rank"]]
""", message="Your table ranks rows that are not single donors (a total and the EU's institutions): leave them out before ranking."),
        ),
        shortcuts=(
            """
donor_ranks = pd.DataFrame({"name": ["United States", "Japan"], "oda_rank": [1, 5], "share_rank": [23, 12]})
""",
        ),
        hints=(
            "Keep the rows of your year (`me.rank_year`) and only single donor countries, then rank two columns.",
            "`Series.rank(ascending=False, method='min')` gives 1 to the largest value and lets ties share the best rank.",
        )
    ),
    Question(
        answer="q11_covid_oda",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
table = oda_covid.pivot_table(index="Year", columns="Donor", values=["COVID ODA", "Total ODA"], aggfunc="sum")
window = table.loc[first_year:last_year].sum()
donors = ["United States", "Japan"]
covid_oda = pd.DataFrame({
    "donor": donors,
    "covid_oda_bn": [window[("COVID ODA", d)] / 1e3 for d in donors],
    "covid_share": [100 * window[("COVID ODA", d)] / window[("Total ODA", d)] for d in donors],
})
""",
            """
chosen = oda_covid.query("Donor in ['Japan', 'United States'] and @first_year <= Year <= @last_year")
sums = chosen.groupby("Donor").agg(covid=("COVID ODA", "sum"), total=("Total ODA", "sum"))
covid_oda = pd.DataFrame({"covid_share": (sums["covid"] / sums["total"] * 100).round(2),
                          "covid_oda_bn": (sums["covid"] / 1000).round(2)}).rename_axis("donor").reset_index()
""",
        ),
        wrong=(
            Mistake("averages the yearly percentages instead of dividing the sums over the years", """
years = oda_covid[oda_covid["Donor"].isin(["United States", "Japan"]) & oda_covid["Year"].between(*me.aid_years)].copy()
years["share"] = years["COVID ODA"] / years["Total ODA"] * 100
covid_oda = years.groupby("Donor").agg(covid_oda_bn=("COVID ODA", "sum"), covid_share=("share", "mean")).reset_index()
covid_oda = covid_oda.rename(columns={"Donor": "donor"})
covid_oda["covid_oda_bn"] = covid_oda["covid_oda_bn"] / 1000
""", message='Divide the sums over your years, not an average of yearly percentages: add up COVID ODA and total ODA over the years first.'),
            Mistake("the window ends one year early", """
years = oda_covid[oda_covid["Donor"].isin(["United States", "Japan"]) & oda_covid["Year"].between(first_year, last_year - 1)]
sums = years.groupby("Donor")[["COVID ODA", "Total ODA"]].sum()
covid_oda = pd.DataFrame({"donor": sums.index, "covid_oda_bn": (sums["COVID ODA"] / 1000).to_numpy(),
                          "covid_share": (sums["COVID ODA"] / sums["Total ODA"] * 100).to_numpy()})
""", message='Check the window: your years include both the first and the last one (`between` includes both ends).'),
            Mistake('forgets to convert millions of dollars to billions', """
years = oda_covid[oda_covid["Donor"].isin(["United States", "Japan"]) & oda_covid["Year"].between(first_year, last_year)]
sums = years.groupby("Donor")[["COVID ODA", "Total ODA"]].sum()
covid_oda = pd.DataFrame({"donor": sums.index, "covid_oda_bn": sums["COVID ODA"].to_numpy(),
                          "covid_share": (sums["COVID ODA"] / sums["Total ODA"] * 100).to_numpy()})
""", message='Your `covid_oda_bn` looks like millions: the table is in millions of dollars, so divide by 1,000 for billions.'),
        ),
        shortcuts=(
            """
ho = data.load("health_oda")
ho = ho[ho["donor_name"].isin(["United States", "Japan"]) & ho["year"].between(first_year, last_year)]
ho["covid"] = ho["Health ODA (including COVID-19)"] - ho["Health ODA"]
sums = ho.groupby("donor_name")[["covid", "Health ODA (including COVID-19)"]].sum()
covid_oda = pd.DataFrame({"donor": sums.index, "covid_oda_bn": (sums["covid"] / 1000).to_numpy(),
                          "covid_share": (sums["covid"] / sums["Health ODA (including COVID-19)"] * 100).to_numpy()})
""",
        ),
        hints=(
            "Add up each donor's COVID ODA and total ODA over your years before you divide.",
            "Keep the two donors and your years (`first_year` to `last_year`), `groupby('Donor')` and `sum()`; divide by 1,000 for billions and form the percentage from the two sums.",
        )
    ),
]
