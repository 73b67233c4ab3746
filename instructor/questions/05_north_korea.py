"""Question contract for 05_north_korea: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields. The k-th alternative
(wrong answer, shortcut) of every question runs in one submission, so they are written to work together.
The first wrong answer of a question that later questions build on keeps the shape those questions need,
so that the cascade rounds test error carried forward.
"""

from course.grading.contract import Mistake, Question

PERIODS = '''periods = {"2014-2017": (2014, 2017), "2018": (2018, 2018), "2019-2020": (2019, 2020), "2021-2024": (2021, 2024)}
'''

QUESTIONS = [
    Question(
        answer="q1_month_only",
        points=1,
        compare="assert_number",
        alternatives=(
            """
n_month_only = int((tests["date"].str.len() < 10).sum())
""",
            """
n_month_only = len(tests) - tests["date"].str.fullmatch(r"\\d{4}-\\d{2}-\\d{2}").sum()
""",
        ),
        wrong=(
            Mistake("format=\"mixed\" guesses a day for '1984-09', so nothing fails to parse", """
n_month_only = int(pd.to_datetime(tests["date"], format="mixed").isna().sum())
"""),
            Mistake("counts the rows that did parse instead of those that did not", """
n_month_only = int(pd.to_datetime(tests["date"], format="%Y-%m-%d", errors="coerce").notna().sum())
"""),
        ),
        shortcuts=(
            """
n_month_only = int(tests["description"].isna().sum())  # guesses from another column instead of parsing
""",
        ),
    ),
    Question(
        answer="q2_cns",
        points=1,
        compare="assert_values",
        alternatives=(
            """
cns = tests.assign(year=tests["date"].str.slice(0, 4).astype("int64")).query("year <= 2024")
""",
            """
cns = tests.copy()
cns["date"] = pd.to_datetime(cns["date"], format="mixed")
cns = cns[cns["date"] <= pd.Timestamp("2024-12-31")]
cns["year"] = cns["date"].dt.year
""",
        ),
        wrong=(
            Mistake("compares text with \"2024\": \"2024-01-14\" > \"2024\", so every 2024 test is lost", """
cns = tests[tests["date"] <= "2024"].copy()
cns["year"] = cns["date"].str[:4].astype(int)
"""),
            Mistake("cuts before the stated day: `<` instead of `<=`, with the cut-off year as the limit", """
cns = tests.assign(year=tests["date"].str[:4].astype(int))
cns = cns[cns["year"] < 2024]
"""),
        ),
        shortcuts=(
            """
# drops the 'unknown' outcomes instead of cutting at the stated date
cns = tests[tests["outcome"] != "unknown"].assign(year=tests["date"].str[:4].astype(int))
""",
        ),
    ),
    Question(
        answer="q3_tests_per_year",
        points=2,
        compare="assert_series",
        upstream=("q2_cns",),
        alternatives=(
            """
counts = cns["year"].value_counts()
tests_per_year = pd.Series(0, index=range(1984, 2025)).add(counts, fill_value=0).astype(int)
""",
            """
tests_per_year = pd.crosstab(cns["year"], "n")["n"].reindex(range(1984, 2025)).fillna(0).sort_index(ascending=False)
""",
        ),
        wrong=(
            Mistake("uses count() on a column with gaps: rows without a known distance are not counted", """
tests_per_year = cns.groupby("year")["distance"].count().reindex(range(1984, 2025), fill_value=0)
"""),
            Mistake("forgets the years without a test (2018 disappears instead of being 0)", """
tests_per_year = cns["year"].value_counts().sort_index()
"""),
        ),
        shortcuts=(
            """
# the old public helper that returned exactly this answer (now private): must not be callable
tests_per_year = north_korea.per_year(cns.merge(types, on="missile"), types["type"].unique(), (1984, 2024),
                                      "Missiles launched")
""",
        ),
    ),
    Question(
        answer="q4_period_means",
        points=2,
        compare="assert_series",
        upstream=("q3_tests_per_year",),
        alternatives=(
            """
bins = pd.cut(tests_per_year.index, bins=[2013, 2017, 2018, 2020, 2024],
              labels=["2014-2017", "2018", "2019-2020", "2021-2024"])
period_means = tests_per_year.groupby(bins, observed=True).mean()
period_means.index = period_means.index.astype(str)
""",
            """
by_year = tests_per_year.sort_index()
period_means = pd.Series({
    "2021-2024": round(by_year.loc[2021:2024].sum() / 4, 2),
    "2019-2020": round(by_year.loc[2019:2020].sum() / 2, 2),
    "2018": float(by_year.loc[2018]),
    "2014-2017": round(by_year.loc[2014:2017].sum() / 4, 2),
})
""",
        ),
        wrong=(
            Mistake("adds up the missiles of each period instead of averaging per year", PERIODS + """
period_means = pd.Series({label: tests_per_year.loc[first:last].sum() for label, (first, last) in periods.items()})
"""),
            Mistake("treats the last year of each period as excluded, as range() does", PERIODS + """
period_means = pd.Series({label: tests_per_year.reindex(range(first, max(last, first + 1))).mean()
                          for label, (first, last) in periods.items()})
"""),
        ),
        shortcuts=(
            """
period_means = pd.Series({"2014-2017": 20, "2018": 0, "2019-2020": 18, "2021-2024": 37})  # read off the chart
""",
        ),
    ),
    Question(
        answer="q5_launch_days",
        points=2,
        compare="assert_series",
        upstream=("q2_cns",),
        alternatives=(
            """
days = cns.drop_duplicates("date")["year"].value_counts().reindex(range(2014, 2025), fill_value=0)
launch_day_means = pd.Series({"2014-2017": days.loc[2014:2017].mean(), "2018": days.loc[2018],
                              "2019-2020": days.loc[2019:2020].mean(), "2021-2024": days.loc[2021:2024].mean()})
""",
            """
days = cns.groupby(["year", "date"]).size().groupby(level="year").size()
days = days.reindex(range(1984, 2025), fill_value=0)
label = pd.Series(pd.NA, index=days.index, dtype="object")
for name, (first, last) in {"2014-2017": (2014, 2017), "2018": (2018, 2018),
                            "2019-2020": (2019, 2020), "2021-2024": (2021, 2024)}.items():
    label.loc[first:last] = name
launch_day_means = days.groupby(label).mean().round(2)
""",
        ),
        wrong=(
            Mistake("counts missiles again, not launch days", PERIODS + """
per_year = cns.groupby("year").size().reindex(range(1984, 2025), fill_value=0)
launch_day_means = pd.Series({label: per_year.loc[first:last].mean() for label, (first, last) in periods.items()})
"""),
            Mistake("counts the rows with series 1 as launches, but `series` is empty for many launches", PERIODS + """
firsts = cns[cns["series"] == 1].groupby("year").size().reindex(range(1984, 2025), fill_value=0)
launch_day_means = pd.Series({label: firsts.loc[first:last].mean() for label, (first, last) in periods.items()})
"""),
        ),
        shortcuts=(
            """
launch_day_means = period_means / 2  # assumes two missiles per launch instead of counting
""",
        ),
    ),
    Question(
        answer="q6_typed",
        points=2,
        compare="assert_frame",
        upstream=("q2_cns",),
        alternatives=(
            """
lookup = types.set_index("missile")
typed = cns.assign(name=cns["missile"].map(lookup["name"]), type=cns["missile"].map(lookup["type"]))
""",
            """
typed = types.merge(cns, on="missile", how="inner").sort_values("year", ascending=False)
""",
        ),
        wrong=(
            Mistake("uses an outer merge, which adds the missile types never launched as rows without a date", """
typed = cns.merge(types, on="missile", how="outer")
"""),
            Mistake("merges the whole record, preliminary rows included", """
typed = tests.merge(types, on="missile", how="left")
typed["year"] = typed["date"].str[:4].astype(int)
"""),
        ),
        shortcuts=(
            """
# pastes the two tables side by side by row position instead of merging on the key
typed = pd.concat([cns.reset_index(drop=True), types[["name", "type"]]], axis=1).dropna(subset=["year"])
""",
        ),
    ),
    Question(
        answer="q7_success_rate",
        points=2,
        compare="assert_series",
        upstream=("q6_typed",),
        alternatives=(
            """
table = pd.crosstab(typed["type"], typed["outcome"])
success_rate = (100 * table["success"] / (table["success"] + table["failure"])).sort_values(ascending=False)
""",
            """
known = typed.query("outcome != 'unknown'")
rates = known.groupby("type")["outcome"].apply(lambda s: (s == "success").sum() / len(s) * 100)
success_rate = rates.round(1).sort_values(ascending=False)
""",
        ),
        wrong=(
            Mistake("divides by every test, unknown outcomes included", """
success_rate = typed.groupby("type")["outcome"].apply(lambda s: 100 * (s == "success").mean()).sort_values(ascending=False)
"""),
            Mistake("sorts from the lowest rate to the highest", """
known = typed[typed["outcome"].isin(["success", "failure"])]
success_rate = (known["outcome"] == "success").groupby(known["type"]).mean().mul(100).sort_values()
"""),
        ),
        shortcuts=(
            """
# the share of each type among the successes, not each type's success rate
success_rate = typed.loc[typed["outcome"] == "success", "type"].value_counts(normalize=True).mul(100)
""",
        ),
    ),
    Question(
        answer="q8_longest_by_year",
        points=2,
        compare="assert_frame",
        upstream=("q6_typed",),
        alternatives=(
            """
longest_by_year = (
    typed.query("year >= @me.longest_from and year <= 2024")
    .dropna(subset=["distance"])
    .sort_values(["year", "distance"])
    .drop_duplicates("year", keep="last")
    .set_index("year")[["type", "distance"]]
)
""",
            """
recent = typed[(typed["year"] >= me.longest_from) & (typed["year"] <= 2024) & typed["distance"].notna()]
top = recent.sort_values("distance", ascending=False).groupby("year").head(1)
longest_by_year = top.set_index("year")[["distance", "type", "name"]].sort_index(ascending=False)
""",
        ),
        wrong=(
            Mistake("takes the maximum of each column separately: the type is the alphabetically last, not that test's", """
recent = typed[typed["year"].between(me.longest_from, 2024)].dropna(subset=["distance"])
longest_by_year = recent.groupby("year")[["distance", "type"]].max()
"""),
            Mistake("keeps the first row of each year after sorting by distance ascending: the shortest flight", """
recent = typed[typed["year"].between(me.longest_from, 2024)].dropna(subset=["distance"])
longest_by_year = recent.sort_values("distance").drop_duplicates("year").set_index("year")[["distance", "type"]]
"""),
        ),
        shortcuts=(
            """
# copies the distances of the apogee table without finding which test flew them
recent = typed[typed["year"].between(me.longest_from, 2024)]
longest_by_year = recent.groupby("year").agg(distance=("distance", "max"), type=("type", "first")).dropna()
""",
        ),
    ),
    Question(
        answer="q9_long_range_years",
        points=1,
        compare="assert_values",
        alternatives=(
            """
long_range_years = [2025, 2024, 2023, 2022, 2017, 2016]
""",
            """
everything = tests.merge(types, on="missile", how="left")
long_range_years = sorted(everything.loc[everything["type"].isin(["IRBM", "ICBM"]), "date"].str[:4].astype(int).unique())
""",
        ),
        wrong=(
            Mistake("selects only ICBM, forgetting the intermediate-range IRBMs", """
long_range_years = [2017, 2022, 2023, 2024]
"""),
            Mistake("selects only IRBM, forgetting the ICBMs of 2023", """
long_range_years = [2016, 2017, 2022, 2024, 2025]
"""),
        ),
        shortcuts=(
            """
# reuses `typed`, which stops at 2024, instead of the explorer's whole record
long_range_years = sorted(typed.loc[typed["type"].isin(["IRBM", "ICBM"]), "year"].unique().tolist())
""",
        ),
    ),
    Question(
        answer="q10_toward_japan",
        points=1,
        compare="assert_number",
        upstream=("q6_typed",),
        alternatives=(
            """
shares = typed.loc[(typed["year"] >= first_year) & (typed["year"] <= last_year), "landing"].value_counts(normalize=True)
toward_japan_pct = float(shares.get("sea-of-japan", 0) + shares.get("pacific-ocean", 0)) * 100
""",
            """
window = typed[typed["year"].between(*me.landing_years)]
toward_japan_pct = round(100 * window["landing"].str.contains("japan|pacific").sum() / len(window), 1)
""",
        ),
        wrong=(
            Mistake("counts only the Sea of Japan and forgets the missiles that flew beyond Japan", """
window = typed[typed["year"].between(*me.landing_years)]
toward_japan_pct = 100 * (window["landing"] == "sea-of-japan").mean()
"""),
            Mistake("divides only by the missiles with a known landing, not by all of them", """
window = typed[typed["year"].between(*me.landing_years)]
known = window[~window["landing"].isin(["unknown", "na"])]
toward_japan_pct = 100 * known["landing"].isin(["sea-of-japan", "pacific-ocean"]).mean()
"""),
        ),
        shortcuts=(
            """
toward_japan_pct = 88  # a rounded guess typed in, not the computed share
""",
        ),
    ),
    Question(
        answer="q11_nk_warheads",
        points=1,
        compare="assert_series",
        alternatives=(
            """
spaced = warheads["country_name"].str.replace(r"\\s+", " ", regex=True)
nk_warheads = (
    warheads[spaced.eq("North Korea")]
    .query("nuclear_weapons_stockpile > 0")
    .groupby("year")["nuclear_weapons_stockpile"].sum()
)
""",
            """
north = warheads[warheads["country_name"].str.contains("North") & warheads["nuclear_weapons_stockpile"].gt(0)]
nk_warheads = pd.Series(north["nuclear_weapons_stockpile"].astype(float).values, index=north["year"].astype(str))
""",
        ),
        wrong=(
            Mistake("cleans the name but forgets to drop the years with a zero estimate", """
clean = warheads.assign(country_name=warheads["country_name"].str.split().str.join(" "))
nk_warheads = clean[clean["country_name"] == "North Korea"].set_index("year")["nuclear_weapons_stockpile"]
"""),
            Mistake("cleans with .str.strip(), which removes spaces at the ends only: the double space stays", """
clean = warheads.assign(country_name=warheads["country_name"].str.strip())
north = clean[(clean["country_name"] == "North Korea") & (clean["nuclear_weapons_stockpile"] > 0)]
nk_warheads = north.set_index("year")["nuclear_weapons_stockpile"]
"""),
        ),
        shortcuts=(
            """
# types in the chart's values instead of filtering the file, and misses a year
nk_warheads = pd.Series([5, 10, 15, 20, 25, 35, 20, 25], index=range(2015, 2023))
""",
        ),
    ),
    Question(
        answer="q12_warhead_growth",
        points=1,
        compare="assert_number",
        upstream=("q11_nk_warheads",),
        alternatives=(
            """
import numpy as np
yearly = nk_warheads.loc[start_year:end_year].pct_change().dropna()
warhead_growth_pct = 100 * (np.prod(1 + yearly) ** (1 / len(yearly)) - 1)
""",
            """
import math
by_year = nk_warheads.rename(index=int)
warhead_growth_pct = round(100 * (math.exp(math.log(by_year[end_year] / by_year[start_year]) / (end_year - start_year)) - 1), 1)
""",
        ),
        wrong=(
            Mistake("simple average growth (total change / years) instead of the compound rate", """
warhead_growth_pct = 100 * (nk_warheads.loc[end_year] - nk_warheads.loc[start_year]) / nk_warheads.loc[start_year] / (end_year - start_year)
"""),
            Mistake("counts the years at both ends (one more than the steps between them)", """
warhead_growth_pct = 100 * ((nk_warheads.loc[end_year] / nk_warheads.loc[start_year]) ** (1 / (end_year - start_year + 1)) - 1)
"""),
        ),
        shortcuts=(
            """
warhead_growth_pct = 100 * (nk_warheads.iloc[-1] / nk_warheads.iloc[0]) ** (1 / len(nk_warheads)) - 100  # first and last rows over the row count, not your years
""",
        ),
    ),
    Question(
        answer="q13_road_map",
        points=2,
        compare="assert_values",
        alternatives=(
            """
road_map = draft.set_index("step")
road_map.loc["trilateral_meeting", "requires"] = pd.NA
road_map.loc["reduce_frictions", "party"] = "United States; Japan; South Korea"
road_map = road_map.reindex(["trilateral_meeting", "concessions", "requests", "regular_consultations", "pacing",
                             "milestones", "consensus", "reduce_frictions"]).reset_index()
road_map["order"] = (road_map.index + 1) * 10
""",
            """
road_map = draft.copy()
road_map["requires"] = road_map["requires"].replace({"consensus": ""})
road_map["party"] = road_map["party"].replace({"": "United States"})
road_map["order"] = road_map["step"].map({"trilateral_meeting": 1.0, "regular_consultations": 2.0, "concessions": 2.5,
                                           "requests": 2.7, "pacing": 3.0, "milestones": 6.0, "consensus": 7.0,
                                           "reduce_frictions": 8.0})
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
            Mistake("gives the bridging step to Japan and South Korea, not to the United States as the article says", """
road_map = draft.copy()
road_map.loc[road_map["step"] == "trilateral_meeting", "requires"] = ""
road_map.loc[road_map["step"] == "reduce_frictions", "party"] = "Japan; South Korea"
sequence = ["trilateral_meeting", "regular_consultations", "concessions", "requests", "pacing", "milestones",
            "consensus", "reduce_frictions"]
road_map["order"] = road_map["step"].map({step: i for i, step in enumerate(sequence, start=1)})
"""),
        ),
        shortcuts=(
            """
# deletes every link instead of fixing the one that is wrong
road_map = draft.assign(requires="", party=draft["party"].replace({"": "United States"}))
""",
        ),
    ),
]
