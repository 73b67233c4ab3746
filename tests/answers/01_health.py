"""Plausible wrong answers and alternative correct answers for every question of 01_health.

Each WRONG answer is a mistake a student is likely to make; each ALTERNATIVE is a different valid
pandas approach. tests/test_grading.py substitutes them for the solutions and autogrades.
"""

WRONG = {
    # flips the condition: the last day *below* 50 million, one day early
    "q1_date_50m": 'date_50m = world.loc[world["Confirmed"] < 50_000_000, "Date"].max()',
    # counts from the first day of the data instead of from the 50-million day
    "q2_days_50m_to_100m": """
date_100m = world.loc[world["Confirmed"] >= 100_000_000, "Date"].min()
days_50m_to_100m = (date_100m - world["Date"].min()).days
""",
    # divides by the 2018 value instead of the 2015 (starting) value
    "q3_pop_growth": """
wide = owid[owid["country"].isin(health.FOCUS)].pivot(index="country", columns="year", values="population")
pop_growth = (wide[2018] - wide[2015]) / wide[2018] * 100
""",
    # forgets to translate the JHU names, so the merge keeps only Japan
    "q4_per_million": """
last = covid[covid["Date"] == covid["Date"].max()]
last = last.merge(population.rename("population"), left_on="Country", right_index=True)
last = last[last["Country"].isin(health.FOCUS)]
per_million = pd.DataFrame({
    "country": last["Country"],
    "cases_per_million": last["Confirmed"] / last["population"] * 1_000_000,
    "deaths_per_million": last["Deaths"] / last["population"] * 1_000_000,
}).sort_values("cases_per_million", ascending=False)
""",
    # a 7-day total, not an average
    "q5_japan_7day": """
japan = covid[covid["Country"] == "Japan"].set_index("Date")
japan_7day = japan["Confirmed"].diff().rolling(7).sum()
""",
    # takes the peak of the raw daily series instead of the 7-day average
    "q6_peaks": """
focus_rows = daily[daily["country"].isin(health.FOCUS)]
top = focus_rows.loc[focus_rows.groupby("country")["new_cases_per_million"].idxmax()]
peaks = top.rename(columns={"Date": "peak_date", "new_cases_per_million": "peak_per_million"})[
    ["country", "peak_date", "peak_per_million"]].sort_values("peak_per_million", ascending=False)
""",
    # sums the cumulative columns over every day before dividing
    "q7_cfr": """
four = covid[covid["Country"].isin(["US", "Japan", "Korea, South", "Taiwan*"])]
totals = four.groupby("Country")[["Deaths", "Confirmed"]].sum()
cfr = (totals["Deaths"] / totals["Confirmed"] * 100).sort_values(ascending=False)
""",
    # reads off the month of Japan's highest *case* wave instead of deaths
    "q8_explore_death_peak": 'japan_death_peak_month = "2021-08"',
    # subtracts the wrong way round (United States minus Japan)
    "q9_oda_gni_wide": """
two = oda[oda["name"].isin(["United States", "Japan"]) & oda["year"].between(2000, 2024)]
oda_gni_wide = two.pivot(index="year", columns="name", values="ODA/GNI (right-axis)")
oda_gni_wide["gap"] = oda_gni_wide["United States"] - oda_gni_wide["Japan"]
""",
    # pandas ranks ascending by default: 1 = the smallest donor
    "q10_donor_ranks": """
in_2020 = oda[(oda["year"] == 2020) & ~oda["name"].isin(["DAC countries", "EU Institutions"])].copy()
in_2020["oda_rank"] = in_2020["ODA (left-axis)"].rank(method="min")
in_2020["share_rank"] = in_2020["ODA/GNI (right-axis)"].rank(method="min")
donor_ranks_2020 = in_2020[["name", "oda_rank", "share_rank"]]
""",
    # averages the three yearly percentages instead of dividing the three-year sums
    "q11_covid_oda": """
years = oda_covid[oda_covid["Donor"].isin(["United States", "Japan"]) & oda_covid["Year"].between(2020, 2022)].copy()
years["share"] = years["COVID ODA"] / years["Total ODA"] * 100
covid_oda = years.groupby("Donor").agg(covid_oda_bn=("COVID ODA", "sum"), covid_share=("share", "mean")).reset_index()
covid_oda = covid_oda.rename(columns={"Donor": "donor"})
covid_oda["covid_oda_bn"] = covid_oda["covid_oda_bn"] / 1000
""",
}

ALTERNATIVE = {
    "q1_date_50m": """
date_50m = world.set_index("Date")["Confirmed"].ge(50e6).idxmax()
""",
    "q2_days_50m_to_100m": """
days_50m_to_100m = int(world["Confirmed"].between(50e6, 100e6, inclusive="left").sum())
""",
    "q3_pop_growth": """
wide = owid[owid["country"].isin(health.FOCUS) & owid["year"].isin([2015, 2018])].pivot_table(
    index="year", columns="country", values="population")
pop_growth = wide.pct_change().iloc[-1] * 100
""",
    "q4_per_million": """
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
    "q5_japan_7day": """
cumulative = covid.query("Country == 'Japan'").set_index("Date")["Confirmed"]
japan_7day = ((cumulative - cumulative.shift(7)) / 7).dropna()
""",
    "q6_peaks": """
peaks = (
    daily[daily["country"].isin(health.FOCUS)]
    .dropna(subset=["new_cases_per_million_7d"])
    .sort_values("new_cases_per_million_7d", ascending=False)
    .drop_duplicates("country")
    .rename(columns={"Date": "peak_date", "new_cases_per_million_7d": "peak_per_million"})
    .loc[:, ["peak_per_million", "peak_date", "country"]]
)
""",
    "q7_cfr": """
final = covid.sort_values("Date").groupby("Country").last()
final = final.loc[["US", "Japan", "Korea, South", "Taiwan*"]]
cfr = final["Deaths"].div(final["Confirmed"]).mul(100).sort_values(ascending=False)
""",
    "q8_explore_death_peak": """
japan_deaths = daily.query("country == 'Japan'").set_index("Date")["new_deaths_per_million_7d"]
japan_death_peak_month = japan_deaths.idxmax().strftime("%Y-%m")
""",
    "q9_oda_gni_wide": """
share = oda.set_index(["year", "name"])["ODA/GNI (right-axis)"]
us = share.xs("United States", level="name").loc[2000:2024]
jp = share.xs("Japan", level="name").loc[2000:2024]
oda_gni_wide = pd.concat({"Japan": jp, "United States": us, "gap": jp - us}, axis=1)
""",
    "q10_donor_ranks": """
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
    "q11_covid_oda": """
table = oda_covid.pivot_table(index="Year", columns="Donor", values=["COVID ODA", "Total ODA"], aggfunc="sum")
window = table.loc[2020:2022].sum()
donors = ["United States", "Japan"]
covid_oda = pd.DataFrame({
    "donor": donors,
    "covid_oda_bn": [window[("COVID ODA", d)] / 1e3 for d in donors],
    "covid_share": [100 * window[("COVID ODA", d)] / window[("Total ODA", d)] for d in donors],
})
""",
}
