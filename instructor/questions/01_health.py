"""Question contract for 01_health: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields.
"""

from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_date_50m",
        points=1,
        compare="TODO",
        alternatives=(
            """
date_50m = world.set_index("Date")["Confirmed"].ge(50e6).idxmax()
""",
        ),
        wrong=(
            Mistake("flips the condition: the last day *below* 50 million, one day early", """
date_50m = world.loc[world["Confirmed"] < 50_000_000, "Date"].max()
"""),
        ),
    ),
    Question(
        answer="q2_days_50m_to_100m",
        points=1,
        compare="TODO",
        alternatives=(
            """
days_50m_to_100m = int(world["Confirmed"].between(50e6, 100e6, inclusive="left").sum())
""",
        ),
        wrong=(
            Mistake("counts from the first day of the data instead of from the 50-million day", """
date_100m = world.loc[world["Confirmed"] >= 100_000_000, "Date"].min()
days_50m_to_100m = (date_100m - world["Date"].min()).days
"""),
        ),
    ),
    Question(
        answer="q3_pop_growth",
        points=1,
        compare="TODO",
        alternatives=(
            """
wide = owid[owid["country"].isin(health.FOCUS) & owid["year"].isin([2015, 2018])].pivot_table(
    index="year", columns="country", values="population")
pop_growth = wide.pct_change().iloc[-1] * 100
""",
        ),
        wrong=(
            Mistake("divides by the 2018 value instead of the 2015 (starting) value", """
wide = owid[owid["country"].isin(health.FOCUS)].pivot(index="country", columns="year", values="population")
pop_growth = (wide[2018] - wide[2015]) / wide[2018] * 100
"""),
        ),
    ),
    Question(
        answer="q4_per_million",
        points=2,
        compare="TODO",
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
"""),
        ),
    ),
    Question(
        answer="q5_japan_7day",
        points=2,
        compare="TODO",
        alternatives=(
            """
cumulative = covid.query("Country == 'Japan'").set_index("Date")["Confirmed"]
japan_7day = ((cumulative - cumulative.shift(7)) / 7).dropna()
""",
        ),
        wrong=(
            Mistake("a 7-day total, not an average", """
japan = covid[covid["Country"] == "Japan"].set_index("Date")
japan_7day = japan["Confirmed"].diff().rolling(7).sum()
"""),
        ),
    ),
    Question(
        answer="q6_peaks",
        points=2,
        compare="TODO",
        alternatives=(
            """
peaks = (
    daily[daily["country"].isin(health.FOCUS)]
    .dropna(subset=["new_cases_per_million_7d"])
    .sort_values("new_cases_per_million_7d", ascending=False)
    .drop_duplicates("country")
    .rename(columns={"Date": "peak_date", "new_cases_per_million_7d": "peak_per_million"})
    .loc[:, ["peak_per_million", "peak_date", "country"]]
)
""",
        ),
        wrong=(
            Mistake("takes the peak of the raw daily series instead of the 7-day average", """
focus_rows = daily[daily["country"].isin(health.FOCUS)]
top = focus_rows.loc[focus_rows.groupby("country")["new_cases_per_million"].idxmax()]
peaks = top.rename(columns={"Date": "peak_date", "new_cases_per_million": "peak_per_million"})[
    ["country", "peak_date", "peak_per_million"]].sort_values("peak_per_million", ascending=False)
"""),
        ),
    ),
    Question(
        answer="q7_cfr",
        points=1,
        compare="TODO",
        alternatives=(
            """
final = covid.sort_values("Date").groupby("Country").last()
final = final.loc[["US", "Japan", "Korea, South", "Taiwan*"]]
cfr = final["Deaths"].div(final["Confirmed"]).mul(100).sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("sums the cumulative columns over every day before dividing", """
four = covid[covid["Country"].isin(["US", "Japan", "Korea, South", "Taiwan*"])]
totals = four.groupby("Country")[["Deaths", "Confirmed"]].sum()
cfr = (totals["Deaths"] / totals["Confirmed"] * 100).sort_values(ascending=False)
"""),
        ),
    ),
    Question(
        answer="q8_explore_death_peak",
        points=1,
        compare="TODO",
        alternatives=(
            """
japan_deaths = daily.query("country == 'Japan'").set_index("Date")["new_deaths_per_million_7d"]
japan_death_peak_month = japan_deaths.idxmax().strftime("%Y-%m")
""",
        ),
        wrong=(
            Mistake("reads off the month of Japan's highest *case* wave instead of deaths", """
japan_death_peak_month = "2021-08"
"""),
        ),
    ),
    Question(
        answer="q9_oda_gni_wide",
        points=2,
        compare="TODO",
        alternatives=(
            """
share = oda.set_index(["year", "name"])["ODA/GNI (right-axis)"]
us = share.xs("United States", level="name").loc[2000:2024]
jp = share.xs("Japan", level="name").loc[2000:2024]
oda_gni_wide = pd.concat({"Japan": jp, "United States": us, "gap": jp - us}, axis=1)
""",
        ),
        wrong=(
            Mistake("subtracts the wrong way round (United States minus Japan)", """
two = oda[oda["name"].isin(["United States", "Japan"]) & oda["year"].between(2000, 2024)]
oda_gni_wide = two.pivot(index="year", columns="name", values="ODA/GNI (right-axis)")
oda_gni_wide["gap"] = oda_gni_wide["United States"] - oda_gni_wide["Japan"]
"""),
        ),
    ),
    Question(
        answer="q10_donor_ranks",
        points=2,
        compare="TODO",
        alternatives=(
            """
donors = oda.query("year == 2020 and name not in ['DAC countries', 'EU Institutions']")
def rank_desc(values):
    v = values.to_numpy()
    return [int((v > x).sum()) + 1 for x in v]
donor_ranks_2020 = pd.DataFrame({
    "name": donors["name"].to_numpy(),
    "oda_rank": rank_desc(donors["ODA (left-axis)"]),
    "share_rank": rank_desc(donors["ODA/GNI (right-axis)"]),
})
""",
        ),
        wrong=(
            Mistake("pandas ranks ascending by default: 1 = the smallest donor", """
in_2020 = oda[(oda["year"] == 2020) & ~oda["name"].isin(["DAC countries", "EU Institutions"])].copy()
in_2020["oda_rank"] = in_2020["ODA (left-axis)"].rank(method="min")
in_2020["share_rank"] = in_2020["ODA/GNI (right-axis)"].rank(method="min")
donor_ranks_2020 = in_2020[["name", "oda_rank", "share_rank"]]
"""),
        ),
    ),
    Question(
        answer="q11_covid_oda",
        points=2,
        compare="TODO",
        alternatives=(
            """
table = oda_covid.pivot_table(index="Year", columns="Donor", values=["COVID ODA", "Total ODA"], aggfunc="sum")
window = table.loc[2020:2022].sum()
donors = ["United States", "Japan"]
covid_oda = pd.DataFrame({
    "donor": donors,
    "covid_oda_bn": [window[("COVID ODA", d)] / 1e3 for d in donors],
    "covid_share": [100 * window[("COVID ODA", d)] / window[("Total ODA", d)] for d in donors],
})
""",
        ),
        wrong=(
            Mistake("averages the three yearly percentages instead of dividing the three-year sums", """
years = oda_covid[oda_covid["Donor"].isin(["United States", "Japan"]) & oda_covid["Year"].between(2020, 2022)].copy()
years["share"] = years["COVID ODA"] / years["Total ODA"] * 100
covid_oda = years.groupby("Donor").agg(covid_oda_bn=("COVID ODA", "sum"), covid_share=("share", "mean")).reset_index()
covid_oda = covid_oda.rename(columns={"Donor": "donor"})
covid_oda["covid_oda_bn"] = covid_oda["covid_oda_bn"] / 1000
"""),
        ),
    ),
]
