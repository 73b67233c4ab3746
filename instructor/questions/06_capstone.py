"""Question contract for 06_capstone: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/contract.py for the fields. The k-th alternative
(wrong answer, shortcut) of every question runs in one submission, so each is written to work after the
k-th variants of the questions before it.
"""

from course.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_new_cases",
        points=1,
        compare="assert_number",
        alternatives=(
            """
start = world.loc[world["Date"] == "2020-11-07", "Confirmed"].item()
end = world.loc[world["Date"] == "2020-12-07", "Confirmed"].item()
new_cases_month = round((end - start) / 1e6, 2)
""",
            """
daily = world.assign(Date=pd.to_datetime(world["Date"])).set_index("Date")["Confirmed"].diff()
new_cases_month = daily["2020-11-08":"2020-12-07"].sum() / 10**6
""",
        ),
        wrong=(
            Mistake("stops one day short (2020-12-06)", """
confirmed = world.set_index("Date")["Confirmed"]
new_cases_month = (confirmed["2020-12-06"] - confirmed["2020-11-07"]) / 1_000_000
"""),
            Mistake("starts one day early (2020-11-06)", """
confirmed = world.set_index("Date")["Confirmed"]
new_cases_month = (confirmed["2020-12-07"] - confirmed["2020-11-06"]) / 1_000_000
"""),
        ),
        shortcuts=(
            """
# takes the article's round 50 million instead of the data's count on 2020-11-07
confirmed = world.set_index("Date")["Confirmed"]
new_cases_month = (confirmed["2020-12-07"] - 50_000_000) / 1_000_000
""",
        ),
    ),
    Question(
        answer="q2_emission_factors",
        points=2,
        compare="assert_series",
        alternatives=(
            """
table = gcp[gcp["Country"].isin(["USA", "Japan", "China"])].pivot_table(index="Year", columns="Country", values="Total")
emission_factors = (table.loc[2017:2020].mean() / table.loc[2013:2016].mean()).round(3)
""",
            """
rows = gcp[gcp["Country"].isin(["China", "Japan", "USA"]) & gcp["Year"].between(2013, 2020)].copy()
rows["period"] = (rows["Year"] >= 2017).map({True: "after", False: "before"})
means = rows.groupby(["Country", "period"])["Total"].mean().unstack()
emission_factors = (means["after"] / means["before"]).sort_values()
""",
        ),
        wrong=(
            Mistake("shifts both windows a year early (2016-2019 against 2012-2015)", """
three = gcp[gcp["Country"].isin(["USA", "Japan", "China"])]
after = three[three["Year"].between(2016, 2019)].groupby("Country")["Total"].mean()
before = three[three["Year"].between(2012, 2015)].groupby("Country")["Total"].mean()
emission_factors = after / before
"""),
            Mistake("uses per-capita emissions instead of the total", """
three = gcp[gcp["Country"].isin(["USA", "Japan", "China"])]
after = three[three["Year"].between(2017, 2020)].groupby("Country")["Per Capita"].mean()
before = three[three["Year"].between(2013, 2016)].groupby("Country")["Per Capita"].mean()
emission_factors = after / before
"""),
        ),
        shortcuts=(
            """
# types in rough values instead of computing them
emission_factors = pd.Series({"USA": 1.0, "Japan": 0.9, "China": 1.1})
""",
        ),
    ),
    Question(
        answer="q3_allies_climate",
        points=1,
        compare="assert_number",
        alternatives=(
            """
wide = gcp.pivot_table(index="Year", columns="Country", values="Total")
both = wide["USA"] + wide["Japan"]
allies_climate_factor = round(both.loc[2017:2020].mean() / both.loc[2013:2016].mean(), 3)
""",
            """
rows = gcp[gcp["Country"].isin(["USA", "Japan"])]
allies_climate_factor = (rows.loc[rows["Year"].between(2017, 2020), "Total"].sum()
                         / rows.loc[rows["Year"].between(2013, 2016), "Total"].sum())
""",
        ),
        wrong=(
            Mistake("averages the two countries' factors instead of combining their emissions", """
wide = gcp.pivot_table(index="Year", columns="Country", values="Total")
factors = wide.loc[2017:2020].mean() / wide.loc[2013:2016].mean()
allies_climate_factor = (factors["USA"] + factors["Japan"]) / 2
"""),
            Mistake("stops in 2019, leaving the pandemic year out of the later period", """
allies = gcp[gcp["Country"].isin(["USA", "Japan"])].groupby("Year")["Total"].sum()
allies_climate_factor = allies.loc[2017:2019].mean() / allies.loc[2013:2016].mean()
"""),
        ),
        shortcuts=(
            """
# calls the explorer's private helper (it also includes China)
allies_climate_factor = capstone._climate_factor_with_china()
""",
        ),
    ),
    Question(
        answer="q4_milex",
        points=1,
        compare="assert_number",
        alternatives=(
            """
rows = milex.query("Entity == 'China' and 2013 <= Year <= 2020")
milex_factor = (rows.loc[rows["Year"] >= 2017, "military_expenditure"].mean()
                / rows.loc[rows["Year"] <= 2016, "military_expenditure"].mean())
""",
            """
china = milex[milex["Entity"] == "China"].set_index("Year")["military_expenditure"]
milex_factor = round(china[[2017, 2018, 2019, 2020]].sum() / china[[2013, 2014, 2015, 2016]].sum(), 3)
""",
        ),
        wrong=(
            Mistake("compares the single years 2020 and 2016 instead of the two four-year means", """
china = milex[milex["Entity"] == "China"].set_index("Year")["military_expenditure"]
milex_factor = china[2020] / china[2016]
"""),
            Mistake("uses spending as a share of GDP instead of constant dollars", """
china = milex[milex["Entity"] == "China"].set_index("Year")["military_expenditure_share_gdp"]
milex_factor = china.loc[2017:2020].mean() / china.loc[2013:2016].mean()
"""),
        ),
        shortcuts=(
            """
# types in a number remembered from notebook 3 instead of computing it
milex_factor = 1.2
""",
        ),
    ),
    Question(
        answer="q5_eas",
        points=1,
        compare="assert_number",
        alternatives=(
            """
recent = eas[eas["year"].between(2013, 2020)]
share_missed = recent.groupby("us_president")["president_attended_eas_plenary"].apply(lambda s: (s == "no").mean())
eas_factor = share_missed["Donald Trump"] / share_missed["Barack Obama"]
""",
            """
misses = eas.loc[eas["president_attended_eas_plenary"] == "no", "year"]
eas_factor = int(misses.between(2017, 2020).sum()) / int(misses.between(2013, 2016).sum())
""",
        ),
        wrong=(
            Mistake("uses the whole Obama record, 2011-2016, as the baseline", """
missed = eas.set_index("year")["president_attended_eas_plenary"].eq("no")
eas_factor = missed.loc[2017:2020].mean() / missed.loc[2011:2016].mean()
"""),
            Mistake("divides attendance shares instead of absence shares", """
attended = eas.set_index("year")["president_attended_eas_plenary"].eq("yes")
eas_factor = attended.loc[2017:2020].mean() / attended.loc[2013:2016].mean()
"""),
        ),
        shortcuts=(
            """
# types in the article's count of three absences instead of reading the table
eas_factor = 3 / 1
""",
        ),
    ),
    Question(
        answer="q6_nk",
        points=2,
        compare="assert_number",
        alternatives=(
            """
counts = missiles.assign(year=missiles["date"].str.slice(0, 4).astype(int)).groupby("year").size()
counts = counts.reindex(range(2013, 2021), fill_value=0)
nk_factor = counts[counts.index >= 2017].mean() / counts[counts.index <= 2016].mean()
""",
            """
year = pd.to_numeric(missiles["date"].str[:4])
nk_factor = round(year.between(2017, 2020).sum() / year.between(2013, 2016).sum(), 3)
""",
        ),
        wrong=(
            Mistake("averages only the years that have rows, so 2018 (no launches) drops out", """
per_year = missiles["date"].str[:4].astype(int).value_counts().sort_index()
nk_factor = per_year.loc[2017:2020].mean() / per_year.loc[2013:2016].mean()
"""),
            Mistake("keeps the old two-year windows (2019-2020 against 2017-2018)", """
year = missiles["date"].str[:4].astype(int)
nk_factor = year.isin([2019, 2020]).sum() / year.isin([2017, 2018]).sum()
"""),
        ),
        shortcuts=(
            """
# types in a rough value read off notebook 5's chart
nk_factor = 0.9
""",
        ),
    ),
    Question(
        answer="q7_indicators",
        points=1,
        compare="assert_frame",
        upstream=("q3_allies_climate", "q4_milex", "q5_eas", "q6_nk"),
        alternatives=(
            """
values = dict(zip(PRIORITIES, [allies_climate_factor, milex_factor, eas_factor, nk_factor]))
indicators = pd.Series(values, name="factor").rename_axis("priority").reset_index()
""",
            """
indicators = pd.DataFrame(
    [("North Korea", nk_factor), ("Regional institutions", eas_factor),
     ("China challenge", milex_factor), ("Climate change", allies_climate_factor)],
    columns=["priority", "factor"],
)
""",
        ),
        wrong=(
            Mistake("sorts the priority names alphabetically, so the factors land on the wrong rows", """
indicators = pd.DataFrame({
    "priority": sorted(PRIORITIES),
    "factor": [allies_climate_factor, milex_factor, eas_factor, nk_factor],
})
"""),
            Mistake("puts the U.S. factor alone in the climate row instead of the allies' combined factor", """
indicators = pd.DataFrame({
    "priority": PRIORITIES,
    "factor": [emission_factors["USA"], milex_factor, eas_factor, nk_factor],
})
"""),
        ),
        shortcuts=(
            """
# types in rounded numbers instead of using the computed factors
indicators = pd.DataFrame({"priority": PRIORITIES, "factor": [0.9, 1.3, 4.0, 0.9]})
""",
        ),
    ),
    Question(
        answer="q8_minmax",
        points=2,
        compare="assert_frame",
        upstream=("q7_indicators",),
        alternatives=(
            """
low, high = indicators["factor"].min(), indicators["factor"].max()
indicators = indicators.assign(minmax=((indicators["factor"] - low) / (high - low)).round(3))
""",
            """
span = indicators["factor"].max() - indicators["factor"].min()
indicators["minmax"] = indicators["factor"].apply(lambda x: (x - indicators["factor"].min()) / span)
""",
        ),
        wrong=(
            Mistake("divides by the maximum instead of scaling min to 0 and max to 1", """
indicators["minmax"] = indicators["factor"] / indicators["factor"].max()
"""),
            Mistake("uses rank scaling instead of min-max", """
indicators["minmax"] = (indicators["factor"].rank() - 1) / 3
"""),
        ),
        shortcuts=(
            """
# calls the course helper the old capstone offered
indicators["minmax"] = capstone.minmax(indicators["factor"])
""",
        ),
    ),
    Question(
        answer="q9_china_first",
        points=1,
        compare="assert_text",
        upstream=("q7_indicators",),
        alternatives=(
            """
china_first_weights = {"Climate change": 0, "China challenge": 2, "Regional institutions": 1, "North Korea": 0}
""",
            """
china_first_weights = dict.fromkeys(PRIORITIES, 0)
china_first_weights.update({"China challenge": 3, "Regional institutions": 1, "Climate change": 3})
""",
        ),
        wrong=(
            Mistake("equal weights: Regional institutions stays on top", """
china_first_weights = {"Climate change": 1, "China challenge": 1, "Regional institutions": 1, "North Korea": 1}
"""),
            Mistake("misses a tie at the top: China challenge scores 2 and so does another priority", """
china_first_weights = {"Climate change": 0, "China challenge": 3, "Regional institutions": 2, "North Korea": 2}
"""),
        ),
        shortcuts=(
            """
# skips the explorer: puts all the weight on China and drops the condition on Regional institutions
china_first_weights = {"Climate change": 0, "China challenge": 3, "Regional institutions": 0, "North Korea": 0}
""",
        ),
    ),
    Question(
        answer="q10_top_share",
        points=3,
        compare="assert_series",
        upstream=("q8_minmax",),
        alternatives=(
            """
scaled = indicators.set_index("priority")["minmax"]
leaders = []
for combo in itertools.product(range(4), repeat=4):
    if sum(combo) == 0:
        continue
    scores = scaled * list(combo)
    best = scores[scores == scores.max()]
    leaders.append(best.index[0] if len(best) == 1 and scores.max() > 0 else "tie")
top_share = pd.Series(leaders).value_counts().reindex(scaled.index, fill_value=0) / len(leaders)
""",
            """
names = list(indicators["priority"])
values = list(indicators["minmax"])
counts = {name: 0 for name in names}
total = 0
for weights in itertools.product([0, 1, 2, 3], repeat=len(names)):
    if max(weights) == 0:
        continue
    total += 1
    scores = [v * w for v, w in zip(values, weights)]
    if scores.count(max(scores)) == 1 and max(scores) > 0:
        counts[names[scores.index(max(scores))]] += 1
top_share = pd.Series(counts).div(total).round(3)
""",
        ),
        wrong=(
            Mistake("divides by 256, counting the all-zero combination", """
scaled = indicators.set_index("priority")["minmax"]
wins = pd.Series(0.0, index=scaled.index)
for combo in itertools.product([0, 1, 2, 3], repeat=4):
    scores = scaled * pd.Series(combo, index=scaled.index)
    top = scores.max()
    if top > 0 and (scores == top).sum() == 1:
        wins[scores.idxmax()] += 1
top_share = wins / 4**4
"""),
            Mistake("gives a tied combination to the first priority at the top (idxmax) instead of to none", """
scaled = indicators.set_index("priority")["minmax"]
wins = pd.Series(0.0, index=scaled.index)
combos = [c for c in itertools.product([0, 1, 2, 3], repeat=4) if any(c)]
for combo in combos:
    scores = scaled * pd.Series(combo, index=scaled.index)
    wins[scores.idxmax()] += 1
top_share = wins / len(combos)
"""),
        ),
        shortcuts=(
            """
# calls the course helper the old capstone offered
top_share = capstone.sensitivity(indicators.set_index("priority")["minmax"]).drop("tie")
""",
        ),
    ),
]
