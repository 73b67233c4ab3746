"""Question contract for 06_capstone: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields.
"""

from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_health_ratio",
        points=1,
        compare="TODO",
        alternatives=(
            """
start = world.loc[world["Date"] == "2020-11-07", "Confirmed"].item()
end = world.loc[world["Date"] == "2020-12-07", "Confirmed"].item()
health_ratio = end / start
""",
        ),
        wrong=(
            Mistake("divides the wrong way round (baseline / latest)", """
confirmed = world.set_index("Date")["Confirmed"]
health_ratio = confirmed[pd.Timestamp("2020-11-07")] / confirmed[pd.Timestamp("2020-12-07")]
"""),
        ),
    ),
    Question(
        answer="q2_climate_ratio",
        points=1,
        compare="TODO",
        alternatives=(
            """
table = gcp.query("Country in ['USA', 'Japan', 'China'] and Year in [2015, 2019]").pivot_table(index="Year", values="Total", aggfunc="sum")
climate_ratio = float(table.loc[2019, "Total"] / table.loc[2015, "Total"])
""",
        ),
        wrong=(
            Mistake("uses per-capita emissions summed over the three countries", """
three = gcp[gcp["Country"].isin(["USA", "Japan", "China"])].groupby("Year")["Per Capita"].sum()
climate_ratio = three[2019] / three[2015]
"""),
        ),
    ),
    Question(
        answer="q3_china_ratio",
        points=1,
        compare="TODO",
        alternatives=(
            """
rows = milex.query("Entity == 'China' and Year in [2016, 2020]").sort_values("Year")
china_ratio = rows["military_expenditure"].iloc[-1] / rows["military_expenditure"].iloc[0]
""",
        ),
        wrong=(
            Mistake("uses spending as a share of GDP instead of constant dollars", """
china = milex[milex["Entity"] == "China"].set_index("Year")["military_expenditure_share_gdp"]
china_ratio = china[2020] / china[2016]
"""),
        ),
    ),
    Question(
        answer="q4_eas_ratio",
        points=2,
        compare="TODO",
        alternatives=(
            """
eas["period"] = eas["year"].apply(lambda y: "trump" if y >= 2017 else "before")
absence = 1 - eas.groupby("period")["president_attended_eas_plenary"].mean()
eas_ratio = absence["trump"] / absence["before"]
""",
        ),
        wrong=(
            Mistake("counts absences instead of comparing rates (4 vs 1)", """
missed = ~eas["president_attended_eas_plenary"]
eas_ratio = missed[eas["year"] >= 2017].sum() / missed[eas["year"] <= 2016].sum()
"""),
        ),
    ),
    Question(
        answer="q5_nk_ratio",
        points=2,
        compare="TODO",
        alternatives=(
            """
per_year = pd.to_numeric(missiles["date"].str.slice(0, 4)).value_counts()
nk_ratio = (per_year.get(2019, 0) + per_year.get(2020, 0)) / (per_year.get(2017, 0) + per_year.get(2018, 0))
""",
        ),
        wrong=(
            Mistake("counts launch days (events), not missiles", """
days = missiles.drop_duplicates("date")
year = days["date"].str[:4].astype(int)
nk_ratio = year.isin([2019, 2020]).sum() / year.isin([2017, 2018]).sum()
"""),
        ),
    ),
    Question(
        answer="q6_indicators",
        points=1,
        compare="TODO",
        alternatives=(
            """
values = dict(zip(PRIORITIES, [health_ratio, climate_ratio, china_ratio, eas_ratio, nk_ratio]))
indicators = pd.Series(values, name="ratio").rename_axis("priority").reset_index()
""",
        ),
        wrong=(
            Mistake("puts the priorities in alphabetical order, mismatching the ratios", """
indicators = pd.DataFrame({
    "priority": sorted(PRIORITIES),
    "ratio": [health_ratio, climate_ratio, china_ratio, eas_ratio, nk_ratio],
})
"""),
        ),
    ),
    Question(
        answer="q7_scaled",
        points=2,
        compare="TODO",
        alternatives=(
            """
low, high = indicators["ratio"].min(), indicators["ratio"].max()
indicators = indicators.assign(
    minmax=lambda d: (d["ratio"] - low) / (high - low),
    rank=lambda d: d["ratio"].rank(method="min").sub(1).div(4),
)
""",
        ),
        wrong=(
            Mistake("divides by the max instead of min-max; ranks without rescaling", """
r = indicators["ratio"]
indicators["minmax"] = r / r.max()
indicators["rank"] = r.rank() / len(r)
"""),
        ),
    ),
    Question(
        answer="q8_scores",
        points=1,
        compare="TODO",
        alternatives=(
            """
weighted = indicators.assign(score=lambda d: d["rank"] * d["priority"].map(example_weights))
my_scores = weighted.set_index("priority")["score"].sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("uses min-max instead of rank", """
my_scores = (indicators.set_index("priority")["minmax"] * pd.Series(example_weights)).sort_values(ascending=False)
"""),
        ),
    ),
    Question(
        answer="q9_nk_first",
        points=1,
        compare="TODO",
        alternatives=(
            """
nk_first_weights = dict.fromkeys(PRIORITIES, 0)
nk_first_weights["North Korea"] = 1
""",
        ),
        wrong=(
            Mistake("equal weights: institutions stays on top", """
nk_first_weights = {"Global health": 1, "Climate change": 1, "China challenge": 1, "Regional institutions": 1, "North Korea": 1}
"""),
        ),
    ),
    Question(
        answer="q10_sensitivity",
        points=2,
        compare="TODO",
        alternatives=(
            """
ranked = indicators.set_index("priority")["rank"]
combos = [dict(zip(PRIORITIES, c)) for c in itertools.product(range(4), repeat=5) if sum(c) > 0]
leaders = pd.Series([capstone.top_priority(ranked, w) for w in combos])
top_share = leaders.value_counts().reindex(PRIORITIES, fill_value=0) / len(combos)
""",
        ),
        wrong=(
            Mistake("counts ties as wins for the first listed priority", """
scaled = indicators.set_index("priority")["rank"]
wins = pd.Series(0.0, index=PRIORITIES)
combos = [c for c in itertools.product([0, 1, 2, 3], repeat=5) if any(c)]
for combo in combos:
    scores = scaled * pd.Series(dict(zip(PRIORITIES, combo)))
    wins[scores.idxmax()] += 1
top_share = wins / len(combos)
"""),
        ),
    ),
]
