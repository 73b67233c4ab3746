"""Question contract for 05_north_korea: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields.
"""

from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_month_only",
        points=1,
        compare="TODO",
        alternatives=(
            """
n_month_only = int((tests["date"].str.len() < 10).sum())
""",
        ),
        wrong=(
            Mistake("format=\"mixed\" guesses a day for '1984-09', so nothing fails to parse", """
n_month_only = int(pd.to_datetime(tests["date"], format="mixed").isna().sum())
"""),
        ),
    ),
    Question(
        answer="q2_cns",
        points=1,
        compare="TODO",
        alternatives=(
            """
cns = tests.assign(year=tests["date"].str.slice(0, 4).astype("int64")).query("year <= 2024")
""",
        ),
        wrong=(
            Mistake("compares text with \"2024\": \"2024-01-14\" > \"2024\", so every 2024 test is lost", """
cns = tests[tests["date"] <= "2024"].copy()
cns["year"] = cns["date"].str[:4].astype(int)
"""),
        ),
    ),
    Question(
        answer="q3_tests_per_year",
        points=2,
        compare="TODO",
        alternatives=(
            """
counts = cns["year"].value_counts()
tests_per_year = pd.Series(0, index=range(1984, 2025)).add(counts, fill_value=0).astype(int)
""",
        ),
        wrong=(
            Mistake("forgets the years without a test (2018 disappears instead of being 0)", """
tests_per_year = cns["year"].value_counts().sort_index()
"""),
        ),
    ),
    Question(
        answer="q4_period_means",
        points=2,
        compare="TODO",
        alternatives=(
            """
bins = pd.cut(tests_per_year.index, bins=[2013, 2017, 2018, 2020, 2024],
              labels=["2014-2017", "2018", "2019-2020", "2021-2024"])
period_means = tests_per_year.groupby(bins, observed=True).mean()
period_means.index = period_means.index.astype(str)
""",
        ),
        wrong=(
            Mistake("adds up the missiles of each period instead of averaging per year", """
periods = {"2014-2017": (2014, 2017), "2018": (2018, 2018), "2019-2020": (2019, 2020), "2021-2024": (2021, 2024)}
period_means = pd.Series({label: tests_per_year.loc[first:last].sum() for label, (first, last) in periods.items()})
"""),
        ),
    ),
    Question(
        answer="q5_typed",
        points=2,
        compare="TODO",
        alternatives=(
            """
lookup = types.set_index("missile")
typed = cns.assign(name=cns["missile"].map(lookup["name"]), type=cns["missile"].map(lookup["type"]))
""",
        ),
        wrong=(
            Mistake("merges the whole record, preliminary rows included", """
typed = tests.merge(types, on="missile", how="left")
typed["year"] = typed["date"].str[:4].astype(int)
"""),
        ),
    ),
    Question(
        answer="q6_success_rate",
        points=2,
        compare="TODO",
        alternatives=(
            """
table = pd.crosstab(typed["type"], typed["outcome"])
success_rate = (100 * table["success"] / (table["success"] + table["failure"])).sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("divides by every test, unknown outcomes included", """
success_rate = typed.groupby("type")["outcome"].apply(lambda s: 100 * (s == "success").mean()).sort_values(ascending=False)
"""),
        ),
    ),
    Question(
        answer="q7_longest_by_year",
        points=2,
        compare="TODO",
        alternatives=(
            """
longest_by_year = (
    typed.query("year >= 2014")
    .dropna(subset=["distance"])
    .sort_values(["year", "distance"])
    .drop_duplicates("year", keep="last")
    .set_index("year")[["type", "distance"]]
)
""",
        ),
        wrong=(
            Mistake("takes the maximum of each column separately: the type is the alphabetically last, not that test's", """
recent = typed[typed["year"] >= 2014].dropna(subset=["distance"])
longest_by_year = recent.groupby("year")[["distance", "type"]].max()
"""),
        ),
    ),
    Question(
        answer="q8_top_facilities",
        points=1,
        compare="TODO",
        alternatives=(
            """
names = facilities.set_index("facility")["name"]
top_facilities = typed["facility"].map(names).value_counts().sort_values(ascending=False).iloc[:5]
""",
        ),
        wrong=(
            Mistake("counts by facility id instead of the facility's name", """
top_facilities = typed["facility"].value_counts().head(5)
"""),
        ),
    ),
    Question(
        answer="q9_icbm_years",
        points=1,
        compare="TODO",
        alternatives=(
            """
icbm_years = [2017, 2022, 2023, 2024]
""",
        ),
        wrong=(
            Mistake("misses the last, lone ICBM bar of 2024 when reading the explorer", """
icbm_years = [2017, 2022, 2023]
"""),
        ),
    ),
    Question(
        answer="q10_toward_japan",
        points=1,
        compare="TODO",
        alternatives=(
            """
shares = typed.loc[(typed["year"] >= 2014) & (typed["year"] <= 2024), "landing"].value_counts(normalize=True)
toward_japan_pct = float(shares.get("sea-of-japan", 0) + shares.get("pacific-ocean", 0)) * 100
""",
        ),
        wrong=(
            Mistake("counts only the Sea of Japan and forgets the missiles that flew beyond Japan", """
window = typed[typed["year"].between(2014, 2024)]
toward_japan_pct = 100 * (window["landing"] == "sea-of-japan").mean()
"""),
        ),
    ),
    Question(
        answer="q11_nk_warheads",
        points=1,
        compare="TODO",
        alternatives=(
            """
spaced = warheads["country_name"].str.replace(r"\\s+", " ", regex=True)
nk_warheads = (
    warheads[spaced.eq("North Korea")]
    .query("nuclear_weapons_stockpile > 0")
    .groupby("year")["nuclear_weapons_stockpile"].sum()
)
""",
        ),
        wrong=(
            Mistake("cleans the name but forgets to drop the years with a zero estimate", """
clean = warheads.assign(country_name=warheads["country_name"].str.split().str.join(" "))
nk_warheads = clean[clean["country_name"] == "North Korea"].set_index("year")["nuclear_weapons_stockpile"]
"""),
        ),
    ),
    Question(
        answer="q12_warhead_growth",
        points=1,
        compare="TODO",
        alternatives=(
            """
import numpy as np
yearly = nk_warheads.loc[2015:2020].pct_change().dropna()
warhead_growth_pct = 100 * (np.prod(1 + yearly) ** (1 / len(yearly)) - 1)
""",
        ),
        wrong=(
            Mistake("simple average growth (total change / years) instead of the compound rate", """
warhead_growth_pct = 100 * (nk_warheads.loc[2020] - nk_warheads.loc[2015]) / nk_warheads.loc[2015] / 5
"""),
        ),
    ),
    Question(
        answer="q13_road_map",
        points=2,
        compare="TODO",
        alternatives=(
            """
road_map = draft.set_index("step")
road_map.loc["trilateral_meeting", "requires"] = pd.NA
road_map.loc["reduce_frictions", "party"] = "United States; Japan; South Korea"
road_map = road_map.reindex(["trilateral_meeting", "concessions", "requests", "regular_consultations", "pacing",
                             "milestones", "consensus", "reduce_frictions"]).reset_index()
road_map["order"] = (road_map.index + 1) * 10
""",
        ),
        wrong=(
            Mistake("breaks the cycle at the wrong end: the consensus no longer waits for the trilateral meeting", """
road_map = draft.copy()
road_map["requires"] = road_map["requires"].astype(object)
road_map.loc[road_map["step"] == "consensus", "requires"] = "concessions; requests; pacing; milestones"
road_map.loc[road_map["step"] == "reduce_frictions", "party"] = "United States"
sequence = ["concessions", "requests", "pacing", "milestones", "consensus", "trilateral_meeting",
            "regular_consultations", "reduce_frictions"]
road_map["order"] = road_map["step"].map({step: i for i, step in enumerate(sequence, start=1)})
"""),
        ),
    ),
]
