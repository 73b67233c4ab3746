"""Question contract for 02_climate: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/contract.py for the fields. The k-th alternatives
(and the k-th wrong answers, and the k-th shortcuts) of all questions run together as one submission.
"""

from course.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_per_capita",
        points=2,
        compare="assert_series",
        alternatives=(
            """
pop = owid.pivot(index="country", columns="year", values="population")[2018]
co2_tonnes = owid.pivot(index="country", columns="year", values="co2")[2018] * 1e6
per_capita_2018 = (co2_tonnes / pop).loc[["China", "Japan", "United States"]]
per_capita_2018.loc["Japan and United States"] = co2_tonnes[["Japan", "United States"]].sum() / pop[["Japan", "United States"]].sum()
""",
            # the pair as a population-weighted average of the two per-person values, rounded to the stated precision
            """
rows = owid.query("year == 2018").set_index("country")
each = rows["co2"] * 1e6 / rows["population"]
weights = rows.loc[["Japan", "United States"], "population"]
pair = (each[["Japan", "United States"]] * weights).sum() / weights.sum()
per_capita_2018 = pd.Series({"United States": each["United States"], "Japan and United States": pair,
                             "Japan": each["Japan"], "China": each["China"]}).round(2)
""",
        ),
        wrong=(
            Mistake("forgets that `co2` is in million tonnes: tonnes per person come out a million times too small", """
in_2018 = owid[owid["year"] == 2018].set_index("country")
three = ["China", "Japan", "United States"]
per_capita_2018 = in_2018.loc[three, "co2"] / in_2018.loc[three, "population"]
per_capita_2018["Japan and United States"] = in_2018.loc[["Japan", "United States"], "co2"].sum() / in_2018.loc[["Japan", "United States"], "population"].sum()
""", message='Check the unit of `co2`: it is in *million* tonnes, so convert it to tonnes before dividing by the population.'),
            Mistake("takes the pair's value as the plain average of Japan's and the United States' per-person values", """
in_2018 = owid[owid["year"] == 2018].set_index("country")
three = ["China", "Japan", "United States"]
per_capita_2018 = in_2018.loc[three, "co2"] * 1e6 / in_2018.loc[three, "population"]
per_capita_2018["Japan and United States"] = per_capita_2018[["Japan", "United States"]].mean()
""", message="For the pair, 'per person' means the two countries' emissions together divided by their people together, not the average of two per-person values."),
            Mistake("filters the wrong year (2017, the last full year the student remembers)", """
in_2017 = owid[owid["year"] == 2017].set_index("country")
tonnes = in_2017["co2"] * 1e6
per_capita_2018 = tonnes[["China", "Japan", "United States"]] / in_2017.loc[["China", "Japan", "United States"], "population"]
per_capita_2018["Japan and United States"] = tonnes[["Japan", "United States"]].sum() / in_2017.loc[["Japan", "United States"], "population"].sum()
""", message='Check the year: the question asks for 2018.'),
        ),
        shortcuts=(
            # OWID's own per-capita column for the three, and the average of two of them for the pair
            """
in_2018 = owid[owid["year"] == 2018].set_index("country")
per_capita_2018 = in_2018.loc[["China", "Japan", "United States"], "co2_per_capita"]
per_capita_2018["Japan and United States"] = per_capita_2018[["Japan", "United States"]].mean()
""",
            # GCP's own per-capita column
            """
g = gcp[gcp["Year"] == 2018].replace({"Country": {"USA": "United States"}}).set_index("Country")["Per Capita"]
per_capita_2018 = g[["China", "Japan", "United States"]]
per_capita_2018["Japan and United States"] = g[["Japan", "United States"]].mean()
""",
        ),
        hints=(
            'Per person = emissions ÷ people, in the same year, with emissions in tonnes.',
            "Filter 2018, index by country, turn `co2` into tonnes (× 1,000,000) and divide by `population`; for the pair, add up both countries' tonnes and both populations before dividing.",
        )
    ),
    Question(
        answer="q2_source_gap",
        points=2,
        compare="assert_series",
        alternatives=(
            """
o = owid[owid["country"].isin(["China", "Japan", "United States"])].pivot(index="year", columns="country", values="co2")
g = (gcp.assign(Country=gcp["Country"].str.replace("USA", "United States"))
        .pivot(index="Year", columns="Country", values="Total"))
g = g.loc[o.index, o.columns]
max_gap = ((g - o) / o * 100).abs().max()
""",
            """
rows = {}
for name, code in [("China", "China"), ("Japan", "Japan"), ("United States", "USA")]:
    o = owid[owid["country"] == name].set_index("year")["co2"]
    g = gcp[gcp["Country"] == code].set_index("Year")["Total"]
    common = o.index.intersection(g.index)
    rows[name] = round(float((100 * (g[common] - o[common]).abs() / o[common]).max()), 2)
max_gap = pd.Series(rows)
""",
        ),
        wrong=(
            Mistake("forgets the absolute value: the largest signed gap hides years where GCP is below OWID", """
gcp_named = gcp.replace({"Country": {"USA": "United States"}})
both = owid[["country", "year", "co2"]].merge(
    gcp_named[["Country", "Year", "Total"]], left_on=["country", "year"], right_on=["Country", "Year"]
)
both = both[both["country"].isin(["China", "Japan", "United States"])].copy()
both["gap_pct"] = 100 * (both["Total"] - both["co2"]) / both["co2"]
max_gap = both.groupby("country")["gap_pct"].max()
""", message='The gap is an absolute difference: without `abs()` the years in which GCP is below OWID are hidden.'),
            Mistake("finds the year with the largest gap in Mt and gives that year's percentage (the second reading)", """
gcp_named = gcp.replace({"Country": {"USA": "United States"}})
both = owid[["country", "year", "co2"]].merge(
    gcp_named[["Country", "Year", "Total"]], left_on=["country", "year"], right_on=["Country", "Year"]
)
both = both[both["country"].isin(["China", "Japan", "United States"])].copy()
both["gap_mt"] = (both["Total"] - both["co2"]).abs()
at = both.groupby("country")["gap_mt"].idxmax()
max_gap = pd.Series((100 * both.loc[at, "gap_mt"] / both.loc[at, "co2"]).to_numpy(), index=both.loc[at, "country"])
""", message='Take the largest *percentage* gap over all years; you picked the year with the largest gap in Mt first.'),
            Mistake("divides by the GCP value instead of the OWID value", """
gcp_named = gcp.replace({"Country": {"USA": "United States"}})
both = owid[["country", "year", "co2"]].merge(
    gcp_named[["Country", "Year", "Total"]], left_on=["country", "year"], right_on=["Country", "Year"]
)
both = both[both["country"].isin(["China", "Japan", "United States"])].copy()
max_gap = (100 * (both["Total"] - both["co2"]).abs() / both["Total"]).groupby(both["country"]).max()
""", message="The gap is a percentage of the OWID value: divide by OWID's `co2`, not by GCP's `Total`."),
        ),
        shortcuts=(
            # skips the merge and subtracts the two columns position by position
            """
o = owid[owid["country"].isin(["China", "Japan", "United States"])].sort_values(["country", "year"])
g = gcp[gcp["Country"].isin(["China", "Japan", "USA"])].sort_values(["Country", "Year"])
gap = 100 * (g["Total"].to_numpy()[: len(o)] - o["co2"].to_numpy()) / o["co2"].to_numpy()
max_gap = pd.Series(gap).abs().groupby(o["country"].to_numpy()).max()
""",
        ),
        hints=(
            'Put the two sources side by side for the same country and year, then compute one gap per row.',
            "Merge OWID and GCP on country and year (GCP writes 'USA'), compute 100 × |GCP − OWID| ÷ OWID, then take each country's maximum with `groupby`.",
        )
    ),
    Question(
        answer="q3_recent_trend",
        points=2,
        compare="assert_series",
        alternatives=(
            """
series = {name: gcp[gcp["Country"] == code].set_index("Year")["Total"] for name, code in [("Japan", "Japan"), ("United States", "USA")]}
recent_trend = pd.Series({name: 100 * ((s.loc[2021] / s.loc[2011]) ** 0.1 - 1) for name, s in series.items()})
""",
            """
import numpy as np
ends = gcp[gcp["Year"].isin([2011, 2021]) & gcp["Country"].isin(["Japan", "USA"])].pivot(index="Country", columns="Year", values="Total")
recent_trend = (100 * np.expm1(np.log(ends[2021] / ends[2011]) / 10)).rename({"USA": "United States"}).round(2)
""",
        ),
        wrong=(
            Mistake("gives the total change over the decade, not a yearly rate", """
totals = gcp.replace({"Country": {"USA": "United States"}}).pivot(index="Year", columns="Country", values="Total")
recent_trend = (100 * (totals.loc[2021] / totals.loc[2011] - 1))[["Japan", "United States"]]
""", message='The question asks for a *yearly* rate: you gave the total change over the decade.'),
            Mistake("divides the total change by ten (a simple average, not the compound rate)", """
totals = gcp.replace({"Country": {"USA": "United States"}}).pivot(index="Year", columns="Country", values="Total")
recent_trend = (100 * (totals.loc[2021] / totals.loc[2011] - 1) / 10)[["Japan", "United States"]]
""", message='Dividing the total change by ten is a simple average, not the compound rate in the formula: use the tenth root.'),
            Mistake("counts eleven years from 2011 to 2021 inclusive in the exponent", """
totals = gcp.replace({"Country": {"USA": "United States"}}).pivot(index="Year", columns="Country", values="Total")
recent_trend = (100 * ((totals.loc[2021] / totals.loc[2011]) ** (1 / 11) - 1))[["Japan", "United States"]]
""", message='From 2011 to 2021 there are ten yearly steps, not eleven: check the exponent.'),
        ),
        shortcuts=(
            # the course helper that used to compute this (no longer public)
            """
recent_trend = pd.Series({
    name: climate.average_annual_change(gcp[gcp["Country"] == code].set_index("Year")["Total"], 2011, 2021)
    for name, code in [("Japan", "Japan"), ("United States", "USA")]
})
""",
        ),
        hints=(
            'With one column per country and one row per year, the formula is one line of arithmetic.',
            "Pivot GCP's `Total` to years × countries, divide the 2021 row by the 2011 row, take the power 1/10, subtract 1 and multiply by 100.",
        )
    ),
    Question(
        answer="q4_net_zero_plan",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
rows = []
for name, code in [("Japan", "Japan"), ("United States", "USA")]:
    e = float(gcp.set_index(["Country", "Year"]).loc[(code, 2021), "Total"])
    rows.append({"country": name, "emissions_2021": e, "straight_line_cut": e / 29,
                 "constant_cut_pct": 100 * (1 - 0.1 ** (1 / 29))})
net_zero_plan = pd.DataFrame(rows)
""",
            """
plan = (gcp.query("Year == 2021 and Country in ['Japan', 'USA']").set_index("Country")[["Total"]]
        .rename(index={"USA": "United States"}, columns={"Total": "emissions_2021"}))
plan["straight_line_cut"] = plan["emissions_2021"] / (2050 - 2021)
plan["constant_cut_pct"] = 100 * (1 - 0.1 ** (1 / (2050 - 2021)))
plan["share_left_each_year"] = 1 - plan["constant_cut_pct"] / 100
net_zero_plan = plan.rename_axis("country").reset_index().round(1).iloc[::-1]
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
""", message='Count the yearly cuts between 2021 and the net-zero year: they are one fewer than the years from 2021 to 2050 inclusive.'),
            Mistake("draws the straight line down to the 10 % residual instead of to zero", """
latest = gcp[(gcp["Year"] == 2021) & gcp["Country"].isin(["Japan", "USA"])]
net_zero_plan = pd.DataFrame({
    "country": latest["Country"].replace({"USA": "United States"}).to_numpy(),
    "emissions_2021": latest["Total"].to_numpy(),
})
net_zero_plan["straight_line_cut"] = 0.9 * net_zero_plan["emissions_2021"] / 29
net_zero_plan["constant_cut_pct"] = 100 * (1 - 0.1 ** (1 / 29))
""", message='The straight line goes down to zero; only the constant-rate pathway keeps the residual share.'),
            Mistake('uses the constant-rate formula without the residual: it keeps 1 % of emissions instead of the residual share', """
latest = gcp[(gcp["Year"] == 2021) & gcp["Country"].isin(["Japan", "USA"])]
net_zero_plan = pd.DataFrame({
    "country": latest["Country"].replace({"USA": "United States"}).to_numpy(),
    "emissions_2021": latest["Total"].to_numpy(),
})
years_left = climate.NET_ZERO_YEAR - 2021
net_zero_plan["straight_line_cut"] = net_zero_plan["emissions_2021"] / years_left
net_zero_plan["constant_cut_pct"] = 100 * (1 - 0.01 ** (1 / years_left))
""", message='The constant-rate pathway ends at the residual share `climate.RESIDUAL_SHARE`, not at another value you typed in.'),
        ),
        shortcuts=(
            # the course helpers that used to compute this (no longer public)
            """
rows = []
for name, code in [("Japan", "Japan"), ("United States", "USA")]:
    e = gcp.set_index(["Country", "Year"]).loc[(code, 2021), "Total"]
    line = climate.straight_line_pathway(2021, e)
    rows.append({"country": name, "emissions_2021": e, "straight_line_cut": line.iloc[0] - line.iloc[1],
                 "constant_cut_pct": climate.yearly_cut_needed(e, 0.1 * e, 2050 - 2021)})
net_zero_plan = pd.DataFrame(rows)
""",
        ),
        hints=(
            "Both pathways start from 2021's emissions and end in the net-zero year; count the yearly steps between them.",
            'Straight line: 2021 emissions ÷ the number of steps. Constant rate: 100 × (1 − residual share ** (1 ÷ steps)).',
        )
    ),
    Question(
        answer="q5_japan_pace_cut",
        points=1,
        compare="assert_number",
        alternatives=(
            """
japan_pace_cut = 3.0
""",
            """
japan = gcp[gcp["Country"] == "Japan"].set_index("Year")["Total"]
japan_pace_cut = min(range(0, 21), key=lambda c: abs(japan[2013] * (1 - c / 100) ** 8 - japan[2021]))
""",
        ),
        wrong=(
            Mistake("uses the 2011-2021 trend from Question 3, rounded, instead of the 2013 pathway", """
japan_pace_cut = 2
""", message="That is the trend of Question 3, not the 2013 pathway: set the explorer's start year to 2013 and compare its 2021 value with the actual one."),
            Mistake("reads the explorer's \"cut needed from 2013\" (to reach the 2050 target) instead of the pace that matches 2021", """
japan_pace_cut = 6
""", message='That is the cut *needed* to reach the 2050 target; the question asks for the pace that matches what Japan actually emitted in 2021.'),
            Mistake("gives the whole cut from 2013 to 2021 in percent, not the yearly pace", """
japan = gcp[gcp["Country"] == "Japan"].set_index("Year")["Total"]
japan_pace_cut = round(100 * (1 - japan[2021] / japan[2013]))
""", message="That is the whole cut from 2013 to 2021; the question asks for the cut each year, the same every year, that leads from 2013's emissions to 2021's."),
        ),
        shortcuts=(
            # leaves the explorer's default yearly cut
            """
japan_pace_cut = 5
""",
        ),
        hints=(
            'Set Japan and the start year 2013 first; then move only the yearly cut.',
            "For each whole-number cut, compare the pathway's 2021 value with the actual 2021 value shown above the chart and keep the closest.",
        )
    ),
    Question(
        answer="q6_crossover",
        points=2,
        compare="assert_number",
        alternatives=(
            """
shares = electricity.pivot_table(index="Year", columns="Entity", values="Coal (% electricity)")
japan_above_us_year = (shares["Japan"] - shares["United States"]).gt(0).idxmax()
""",
            """
japan_coal = electricity[electricity["Entity"] == "Japan"][["Year", "Coal (% electricity)"]]
us_coal = electricity[electricity["Entity"] == "United States"][["Year", "Coal (% electricity)"]]
paired = japan_coal.merge(us_coal, on="Year", suffixes=("_japan", "_us")).sort_values("Year")
japan_above_us_year = int(paired.loc[paired["Coal (% electricity)_japan"] > paired["Coal (% electricity)_us"], "Year"].iloc[0])
""",
        ),
        wrong=(
            Mistake("off by one: the last year the United States was above Japan, not the first year Japan was above", """
coal_elec = electricity[electricity["Entity"].isin(["Japan", "United States"])].pivot(index="Year", columns="Entity", values="Coal (% electricity)")
japan_above_us_year = int(coal_elec.index[coal_elec["United States"] > coal_elec["Japan"]].max())
""", message='That is the last year the United States was still above Japan: the question asks for the first year Japan was above.'),
            Mistake("compares coal's share of all primary energy (energy_mix) instead of electricity", """
coal_energy = energy[energy["Entity"].isin(["Japan", "United States"])].pivot(index="Year", columns="Entity", values="Coal (% sub energy)")
japan_above_us_year = int(coal_energy.index[coal_energy["Japan"] > coal_energy["United States"]].min())
""", message="Use coal's share of *electricity* (`electricity_mix`), not of all primary energy."),
            Mistake("takes the latest year in which Japan's share was larger, not the first", """
coal_elec = electricity[electricity["Entity"].isin(["Japan", "United States"])].pivot(
    index="Year", columns="Entity", values="Coal (% electricity)"
)
japan_above_us_year = int(coal_elec.index[coal_elec["Japan"] > coal_elec["United States"]].max())
""", message="You found the latest year in which Japan's share was larger; the question asks for the first."),
        ),
        shortcuts=(
            # skips the comparison: the year of Japan's highest coal share
            """
japan_above_us_year = int(electricity[electricity["Entity"] == "Japan"].set_index("Year")["Coal (% electricity)"].idxmax())
""",
        ),
        hints=(
            'Put the two countries side by side: one row per year, one column per country.',
            "Pivot the coal share to years × countries, keep the years in which Japan's column is larger than the United States', and take the smallest year.",
        )
    ),
    Question(
        answer="q7_coal_2020",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
e = electricity.query("Year == 2020").set_index("Entity")["Coal (% electricity)"].rename("coal_electricity_pct")
p = energy.query("Year == 2020").set_index("Entity")["Coal (% sub energy)"].rename("coal_energy_pct")
coal_2020 = (pd.concat([e, p], axis=1, join="inner")
             .loc[["United States", "Japan", "China"]]
             .rename_axis("country").reset_index()
             .sort_values("coal_electricity_pct", ascending=False))
""",
            """
e = electricity[electricity["Year"] == 2020].set_index("Entity")["Coal (% electricity)"]
p = energy[energy["Year"] == 2020].set_index("Entity")["Coal (% sub energy)"]
coal_2020 = pd.DataFrame({"coal_electricity_pct": e, "coal_energy_pct": p}).loc[["China", "Japan", "United States"]].round(1)
coal_2020 = coal_2020.sort_values("coal_electricity_pct", ascending=False).rename_axis("country").reset_index()
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
""", message="Use the substitution method's share of energy (`Coal (% sub energy)`), as the question asks."),
            Mistake("sorts from smallest to largest", """
names = ["China", "Japan", "United States"]
elec_2020 = electricity.loc[(electricity["Year"] == 2020) & electricity["Entity"].isin(names), ["Entity", "Coal (% electricity)"]]
energy_2020 = energy.loc[(energy["Year"] == 2020) & energy["Entity"].isin(names), ["Entity", "Coal (% sub energy)"]]
coal_2020 = (
    elec_2020.merge(energy_2020, on="Entity")
    .rename(columns={"Entity": "country", "Coal (% electricity)": "coal_electricity_pct",
                     "Coal (% sub energy)": "coal_energy_pct"})
    .sort_values("coal_electricity_pct")
)
""", message='Check the order: largest share of electricity first.'),
            Mistake("takes electricity in 2021 (its last year) and energy in 2020", """
names = ["China", "Japan", "United States"]
elec = electricity.loc[(electricity["Year"] == 2021) & electricity["Entity"].isin(names), ["Entity", "Coal (% electricity)"]]
energy_2020 = energy.loc[(energy["Year"] == 2020) & energy["Entity"].isin(names), ["Entity", "Coal (% sub energy)"]]
coal_2020 = (
    elec.merge(energy_2020, on="Entity")
    .rename(columns={"Entity": "country", "Coal (% electricity)": "coal_electricity_pct",
                     "Coal (% sub energy)": "coal_energy_pct"})
    .sort_values("coal_electricity_pct", ascending=False)
)
""", message='Take both shares for 2020.'),
        ),
        shortcuts=(
            # skips the second table: electricity's share in both columns
            """
e = electricity[(electricity["Year"] == 2020) & electricity["Entity"].isin(["China", "Japan", "United States"])]
coal_2020 = pd.DataFrame({"country": e["Entity"].to_numpy(), "coal_electricity_pct": e["Coal (% electricity)"].to_numpy(),
                          "coal_energy_pct": e["Coal (% electricity)"].to_numpy()}).sort_values("coal_electricity_pct", ascending=False)
""",
        ),
        hints=(
            'Filter each table to 2020 and the three countries, then combine them on the country.',
            '`merge` the two filtered tables on `Entity`, rename the columns and sort by `coal_electricity_pct`, largest first.',
        )
    ),
    Question(
        answer="q8_sector_shares",
        points=2,
        compare="assert_series",
        alternatives=(
            """
long = sectors.query("Entity == 'Japan' and Year == 2018").melt(
    id_vars=["Entity", "Year"], value_vars=climate.CAIT_SECTORS, var_name="sector", value_name="mt")
japan_sector_shares = long.set_index("sector")["mt"].pipe(lambda s: 100 * s / s.sum()).sort_values(ascending=False)
""",
            # divides by the sum of the nine sectors (equal to the total) and rounds to the stated precision
            """
row = sectors.query("Entity == 'Japan' and Year == 2018")[climate.CAIT_SECTORS].iloc[0].astype(float)
japan_sector_shares = (row / row.sum() * 100).round(1).sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("divides by the total *including* land use (which the forest sink makes smaller)", """
japan_2018 = sectors[(sectors["Entity"] == "Japan") & (sectors["Year"] == 2018)].iloc[0]
japan_sector_shares = (
    100 * japan_2018[climate.CAIT_SECTORS].astype(float) / japan_2018["Total including LUCF"]
).sort_values(ascending=False)
""", message='Divide by `Total excluding LUCF`: the total including land use is smaller because of the forest sink.'),
            Mistake("sorts from smallest to largest", """
japan_2018 = sectors[(sectors["Entity"] == "Japan") & (sectors["Year"] == 2018)].iloc[0]
japan_sector_shares = (100 * japan_2018[climate.CAIT_SECTORS].astype(float) / japan_2018["Total excluding LUCF"]).sort_values()
""", message='Check the order: the largest share first.'),
            Mistake("takes the year 2017", """
japan_2017 = sectors[(sectors["Entity"] == "Japan") & (sectors["Year"] == 2017)].iloc[0]
japan_sector_shares = (
    100 * japan_2017[climate.CAIT_SECTORS].astype(float) / japan_2017["Total excluding LUCF"]
).sort_values(ascending=False)
""", message='Check the year: the question asks for 2018.'),
        ),
        shortcuts=(
            # ranks the sectors by Mt and skips the percentage
            """
japan_sector_shares = sectors[(sectors["Entity"] == "Japan") & (sectors["Year"] == 2018)].iloc[0][climate.CAIT_SECTORS].astype(float).sort_values(ascending=False)
""",
        ),
        hints=(
            "Take Japan's row for 2018 and only the nine sectors of `climate.CAIT_SECTORS`.",
            'Divide those nine values by `Total excluding LUCF`, multiply by 100 and sort from largest to smallest.',
        )
    ),
    Question(
        answer="q9_sea_by_cause",
        points=2,
        compare="assert_series",
        alternatives=(
            """
sea = idmc.query("geo in @southeast_asia and 2008 <= t <= 2018 and cause != 'conflict'")
sea_by_cause = sea.pivot_table(index="cause", values="n", aggfunc="sum")["n"].div(1e6).sort_values(ascending=False)
""",
            """
in_region = idmc[idmc["geo"].isin(southeast_asia)]
sea = in_region[in_region["t"].isin(range(2008, 2019)) & in_region["cause"].ne("conflict")].copy()
sea_by_cause = sea.groupby("cause")["n"].sum().div(1_000_000).round(2).sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("keeps the conflict rows", """
sea = idmc[idmc["geo"].isin(southeast_asia) & idmc["t"].between(2008, 2018)]
sea_by_cause = (sea.groupby("cause")["n"].sum() / 1_000_000).sort_values(ascending=False)
""", message='Leave out the `conflict` rows: the question is about disasters.'),
            Mistake("range() stops before 2018: only 2008-2017", """
sea = idmc[idmc["geo"].isin(southeast_asia) & idmc["t"].isin(range(2008, 2018)) & (idmc["cause"] != "conflict")]
sea_by_cause = (sea.groupby("cause")["n"].sum() / 1_000_000).sort_values(ascending=False)
""", message='Check the years: 2008 to 2018 *inclusive* (a `range` stops before its end).'),
            Mistake("leaves out Timor-Leste, a small country in the list (ASEAN's ten only)", """
sea = idmc[idmc["geo"].isin(list(climate.ASEAN_ISO3)) & idmc["t"].between(2008, 2018) & (idmc["cause"] != "conflict")]
sea_by_cause = (sea.groupby("cause")["n"].sum() / 1_000_000).sort_values(ascending=False)
""", message='Use every country in `southeast_asia`, including the small ones.'),
            Mistake("counts rows (country-years) instead of adding up people", """
sea = idmc[idmc["geo"].isin(southeast_asia) & idmc["t"].between(2008, 2018) & (idmc["cause"] != "conflict")]
sea_by_cause = (sea.groupby("cause")["n"].count() / 1_000_000).sort_values(ascending=False)
""", message='Add up the people displaced (`n`), do not count rows.'),
        ),
        shortcuts=(
            # reuses the value_counts printed above instead of filtering and adding up people
            """
sea = idmc
sea_by_cause = idmc["cause"].value_counts() / 1_000_000
""",
        ),
        hints=(
            'Build `sea` with three conditions at once: the countries, the years and the cause.',
            "Combine `isin(southeast_asia)`, `between(2008, 2018)` and `cause != 'conflict'`; then `groupby('cause')['n'].sum()`, divide by 1,000,000 and sort.",
        )
    ),
    Question(
        answer="q10_sea_weather",
        points=1,
        compare="assert_number",
        upstream=("q9_sea_by_cause",),
        alternatives=(
            """
weather = ["storm", "flood", "extreme temperature", "drought", "wildfire", "wave action", "erosion"]
sea_weather_only = idmc[idmc["geo"].isin(southeast_asia) & idmc["t"].between(2008, 2018)
                        & idmc["cause"].isin(weather)]["n"].sum() / 1e6
""",
            """
sea_weather_only = float(sea_by_cause.drop(["earthquake", "volcanic activity"]).sum())
""",
        ),
        wrong=(
            Mistake("leaves out earthquakes but forgets volcanic activity", """
sea_weather_only = sea.loc[sea["cause"] != "earthquake", "n"].sum() / 1_000_000
""", message='Leave out every hazard listed in `climate.GEOPHYSICAL_HAZARDS`, not only earthquakes.'),
            Mistake("starts again from the whole table and forgets to leave out conflict", """
rows = idmc[idmc["geo"].isin(southeast_asia) & idmc["t"].between(2008, 2018)]
sea_weather_only = rows.loc[~rows["cause"].isin(climate.GEOPHYSICAL_HAZARDS), "n"].sum() / 1_000_000
""", message='Start from your `sea`: the whole table still has the conflict rows.'),
            Mistake('keeps the geophysical hazards and leaves out the weather ones', """
sea_weather_only = sea.loc[sea["cause"].isin(climate.GEOPHYSICAL_HAZARDS), "n"].sum() / 1_000_000
""", message='Check the direction of your filter: you kept the geophysical hazards and left out the weather-related ones.'),
        ),
        shortcuts=(
            # types the article's figure
            """
sea_weather_only = 54.4
""",
        ),
        hints=(
            'Start from your `sea` and remove the hazards that are not weather.',
            'Keep the rows whose `cause` is not in `climate.GEOPHYSICAL_HAZARDS` (`~...isin(...)`), add up `n` and divide by 1,000,000.',
        )
    ),
]
