"""Question contract for 02_climate: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields.
"""

from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_per_capita",
        points=2,
        compare="TODO",
        alternatives=(
            """
pop = owid.pivot(index="country", columns="year", values="population")[2018]
co2 = owid.pivot(index="country", columns="year", values="co2")[2018]
per_capita_2018 = (co2 * 1e6 / pop).loc[["China", "Japan", "United States"]]
""",
        ),
        wrong=(
            Mistake("forgets that `co2` is in million tonnes: tonnes per person come out a million times too small", """
three = ["United States", "Japan", "China"]
in_2018 = owid[owid["country"].isin(three) & (owid["year"] == 2018)].set_index("country")
per_capita_2018 = in_2018["co2"] / in_2018["population"]
"""),
        ),
    ),
    Question(
        answer="q2_source_gap",
        points=2,
        compare="TODO",
        alternatives=(
            """
o = owid[owid["country"].isin(["China", "Japan", "United States"])].pivot(index="year", columns="country", values="co2")
g = (gcp.assign(Country=gcp["Country"].str.replace("USA", "United States"))
        .pivot(index="Year", columns="Country", values="Total"))
g = g.loc[o.index, o.columns]
max_gap = ((g.to_numpy() - o) / o * 100).abs().max()
""",
        ),
        wrong=(
            Mistake("forgets .abs(): the largest *signed* gap hides years where GCP is below OWID", """
gcp_named = gcp.replace({"Country": {"USA": "United States"}})
both = owid[["country", "year", "co2"]].merge(
    gcp_named[["Country", "Year", "Total"]], left_on=["country", "year"], right_on=["Country", "Year"]
)
both = both[both["country"].isin(["China", "Japan", "United States"])].copy()
both["gap_pct"] = 100 * (both["Total"] - both["co2"]) / both["co2"]
max_gap = both.groupby("country")["gap_pct"].max()
"""),
        ),
    ),
    Question(
        answer="q3_recent_trend",
        points=2,
        compare="TODO",
        alternatives=(
            """
recent_trend = pd.Series({
    name: climate.average_annual_change(gcp[gcp["Country"] == code].set_index("Year")["Total"], 2011, 2021)
    for name, code in [("Japan", "Japan"), ("United States", "USA")]
})
""",
        ),
        wrong=(
            Mistake("total change over the decade, not a yearly rate", """
totals = gcp.replace({"Country": {"USA": "United States"}}).pivot(index="Year", columns="Country", values="Total")
recent_trend = (100 * (totals.loc[2021] / totals.loc[2011] - 1))[["Japan", "United States"]]
"""),
        ),
    ),
    Question(
        answer="q4_net_zero_plan",
        points=2,
        compare="TODO",
        alternatives=(
            """
rows = []
for name, code in [("Japan", "Japan"), ("United States", "USA")]:
    e = gcp.set_index(["Country", "Year"]).loc[(code, 2021), "Total"]
    line = climate.straight_line_pathway(2021, e)
    rows.append({
        "country": name,
        "emissions_2021": e,
        "straight_line_cut": line.iloc[0] - line.iloc[1],
        "constant_cut_pct": climate.yearly_cut_needed(e, 0.1 * e, 2050 - 2021),
    })
net_zero_plan = pd.DataFrame(rows)
""",
        ),
        wrong=(
            Mistake("off by one: counts the years 2021..2050 inclusive (30) instead of the 29 yearly cuts between them", """
latest = gcp[(gcp["Year"] == 2021) & gcp["Country"].isin(["Japan", "USA"])]
net_zero_plan = pd.DataFrame({
    "country": latest["Country"].replace({"USA": "United States"}).to_numpy(),
    "emissions_2021": latest["Total"].to_numpy(),
})
years_left = len(range(2021, 2051))
net_zero_plan["straight_line_cut"] = net_zero_plan["emissions_2021"] / years_left
net_zero_plan["constant_cut_pct"] = 100 * (1 - 0.1 ** (1 / years_left))
"""),
        ),
    ),
    Question(
        answer="q5_japan_pace_cut",
        points=1,
        compare="TODO",
        alternatives=(
            """
japan = gcp[gcp["Country"] == "Japan"].set_index("Year")["Total"]
japan_pace_cut = min(range(0, 21), key=lambda c: abs(japan[2013] * (1 - c / 100) ** 8 - japan[2021]))
""",
        ),
        wrong=(
            Mistake("reads the 2.6 % trend and rounds down instead of picking the closest pathway", """
japan_pace_cut = 2
"""),
        ),
    ),
    Question(
        answer="q6_coal_elec",
        points=1,
        compare="TODO",
        alternatives=(
            """
coal_elec = electricity.set_index(["Year", "Entity"])["Coal (% electricity)"].unstack()[["Japan", "United States"]]
""",
        ),
        wrong=(
            Mistake("uses the generation column (TWh) instead of the share (%)", """
coal_elec = electricity[electricity["Entity"].isin(["Japan", "United States"])].pivot(
    index="Year", columns="Entity", values="Electricity from coal (TWh)"
)
"""),
        ),
    ),
    Question(
        answer="q7_crossover",
        points=1,
        compare="TODO",
        alternatives=(
            """
shares = electricity.pivot_table(index="Year", columns="Entity", values="Coal (% electricity)")
japan_above_us_year = (shares["Japan"] - shares["United States"]).gt(0).idxmax()
""",
        ),
        wrong=(
            Mistake("off by one: the last year the U.S. was above Japan, not the first year Japan was above", """
japan_above_us_year = int(coal_elec.index[coal_elec["United States"] > coal_elec["Japan"]].max())
"""),
        ),
    ),
    Question(
        answer="q8_coal_2020",
        points=2,
        compare="TODO",
        alternatives=(
            """
e = electricity.query("Year == 2020").set_index("Entity")["Coal (% electricity)"].rename("coal_electricity_pct")
p = energy.query("Year == 2020").set_index("Entity")["Coal (% sub energy)"].rename("coal_energy_pct")
coal_2020 = (pd.concat([e, p], axis=1, join="inner")
             .loc[["United States", "Japan", "China"]]
             .rename_axis("country").reset_index()
             .sort_values("coal_electricity_pct", ascending=False))
""",
        ),
        wrong=(
            Mistake("takes the direct-method share of primary energy instead of the substitution method asked for", """
names = ["China", "Japan", "United States"]
elec_2020 = electricity.loc[(electricity["Year"] == 2020) & electricity["Entity"].isin(names), ["Entity", "Coal (% electricity)"]]
energy_2020 = energy.loc[(energy["Year"] == 2020) & energy["Entity"].isin(names), ["Entity", "Coal (% primary direct energy)"]]
coal_2020 = (
    elec_2020.merge(energy_2020, on="Entity")
    .rename(columns={"Entity": "country", "Coal (% electricity)": "coal_electricity_pct",
                     "Coal (% primary direct energy)": "coal_energy_pct"})
    .sort_values("coal_electricity_pct", ascending=False)
)
"""),
        ),
    ),
    Question(
        answer="q9_sector_shares",
        points=2,
        compare="TODO",
        alternatives=(
            """
long = sectors.query("Entity == 'Japan' and Year == 2018").melt(
    id_vars=["Entity", "Year"], value_vars=climate.CAIT_SECTORS, var_name="sector", value_name="mt")
japan_sector_shares = long.set_index("sector")["mt"].pipe(lambda s: 100 * s / s.sum()).sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("divides by the total *including* land use (which the forest sink makes smaller)", """
japan_2018 = sectors[(sectors["Entity"] == "Japan") & (sectors["Year"] == 2018)].iloc[0]
japan_sector_shares = (
    100 * japan_2018[climate.CAIT_SECTORS].astype(float) / japan_2018["Total including LUCF"]
).sort_values(ascending=False)
"""),
        ),
    ),
    Question(
        answer="q10_sea_all",
        points=1,
        compare="TODO",
        alternatives=(
            """
sea = idmc.query("geo in @southeast_asia and 2008 <= t <= 2018 and cause != 'conflict'")
sea_all_disasters = float(sea.groupby("t")["n"].sum().sum()) / 1e6
""",
        ),
        wrong=(
            Mistake("range() stops before 2018: only 2008-2017", """
sea = idmc[idmc["geo"].isin(southeast_asia) & idmc["t"].isin(range(2008, 2018)) & (idmc["cause"] != "conflict")]
sea_all_disasters = sea["n"].sum() / 1_000_000
"""),
        ),
    ),
    Question(
        answer="q11_sea_by_cause",
        points=1,
        compare="TODO",
        alternatives=(
            """
sea_by_cause = sea.pivot_table(index="cause", values="n", aggfunc="sum")["n"].div(1e6).sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("counts rows (country-years) instead of adding up people", """
sea_by_cause = (sea.groupby("cause")["n"].count() / 1_000_000).sort_values(ascending=False)
"""),
        ),
    ),
    Question(
        answer="q12_sea_weather",
        points=1,
        compare="TODO",
        alternatives=(
            """
weather = ["storm", "flood", "extreme temperature", "drought", "wildfire", "wave action", "erosion"]
sea_weather_only = idmc[idmc["geo"].isin(southeast_asia) & idmc["t"].between(2008, 2018)
                        & idmc["cause"].isin(weather)]["n"].sum() / 1e6
""",
        ),
        wrong=(
            Mistake("leaves out earthquakes but forgets volcanic activity", """
sea_weather_only = sea.loc[sea["cause"] != "earthquake", "n"].sum() / 1_000_000
"""),
        ),
    ),
    Question(
        answer="q13_coastal_share",
        points=1,
        compare="TODO",
        alternatives=(
            """
values = article.query("notebook_topic == 'climate' and unit == 'million people'")["value"].tolist()
coastal_share = 100 * sorted(values)[1] / max(values)
""",
        ),
        wrong=(
            Mistake("types the article's rounded \"almost 80 percent\" instead of computing it", """
coastal_share = article.loc[article["unit"] == "percent (almost)", "value"].iloc[0]
"""),
        ),
    ),
    Question(
        answer="q14_population_share",
        points=1,
        compare="TODO",
        alternatives=(
            """
pop = owid.pivot_table(index="year", columns="country", values="population")
six_population_share = float(pop.loc[2018, ["China", "Bangladesh", "India", "Vietnam", "Indonesia", "Thailand"]].sum()
                             / pop.loc[2018, "World"] * 100)
""",
        ),
        wrong=(
            Mistake("divides by the sum of the countries in the table, not by the World row", """
six = ["China", "Bangladesh", "India", "Vietnam", "Indonesia", "Thailand"]
pop_2018 = owid[(owid["year"] == 2018) & (owid["country"] != "World")].set_index("country")["population"]
six_population_share = 100 * pop_2018[six].sum() / pop_2018.sum()
"""),
        ),
    ),
]
