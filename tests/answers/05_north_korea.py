"""Plausible wrong answers and alternative correct answers for every question of 05_north_korea.

Each WRONG answer is a mistake a student is likely to make; each ALTERNATIVE is a different valid
pandas approach. tests/test_grading.py substitutes them for the solutions and autogrades.
"""

WRONG = {
    # format="mixed" guesses a day for '1984-09', so nothing fails to parse
    "q1_month_only": """
n_month_only = int(pd.to_datetime(tests["date"], format="mixed").isna().sum())
""",
    # compares text with "2024": "2024-01-14" > "2024", so every 2024 test is lost
    "q2_cns": """
cns = tests[tests["date"] <= "2024"].copy()
cns["year"] = cns["date"].str[:4].astype(int)
""",
    # forgets the years without a test (2018 disappears instead of being 0)
    "q3_tests_per_year": """
tests_per_year = cns["year"].value_counts().sort_index()
""",
    # adds up the missiles of each period instead of averaging per year
    "q4_period_means": """
periods = {"2014-2017": (2014, 2017), "2018": (2018, 2018), "2019-2020": (2019, 2020), "2021-2024": (2021, 2024)}
period_means = pd.Series({label: tests_per_year.loc[first:last].sum() for label, (first, last) in periods.items()})
""",
    # merges the whole record, preliminary rows included
    "q5_typed": """
typed = tests.merge(types, on="missile", how="left")
typed["year"] = typed["date"].str[:4].astype(int)
""",
    # divides by every test, unknown outcomes included
    "q6_success_rate": """
success_rate = typed.groupby("type")["outcome"].apply(lambda s: 100 * (s == "success").mean()).sort_values(ascending=False)
""",
    # takes the maximum of each column separately: the type is the alphabetically last, not that test's
    "q7_longest_by_year": """
recent = typed[typed["year"] >= 2014].dropna(subset=["distance"])
longest_by_year = recent.groupby("year")[["distance", "type"]].max()
""",
    # counts by facility id instead of the facility's name
    "q8_top_facilities": """
top_facilities = typed["facility"].value_counts().head(5)
""",
    # misses the last, lone ICBM bar of 2024 when reading the explorer
    "q9_icbm_years": """
icbm_years = [2017, 2022, 2023]
""",
    # counts only the Sea of Japan and forgets the missiles that flew beyond Japan
    "q10_toward_japan": """
window = typed[typed["year"].between(2014, 2024)]
toward_japan_pct = 100 * (window["landing"] == "sea-of-japan").mean()
""",
    # cleans the name but forgets to drop the years with a zero estimate
    "q11_nk_warheads": """
clean = warheads.assign(country_name=warheads["country_name"].str.split().str.join(" "))
nk_warheads = clean[clean["country_name"] == "North Korea"].set_index("year")["nuclear_weapons_stockpile"]
""",
    # simple average growth (total change / years) instead of the compound rate
    "q12_warhead_growth": """
warhead_growth_pct = 100 * (nk_warheads.loc[2020] - nk_warheads.loc[2015]) / nk_warheads.loc[2015] / 5
""",
    # breaks the cycle at the wrong end: the consensus no longer waits for the trilateral meeting
    "q13_road_map": """
road_map = draft.copy()
road_map["requires"] = road_map["requires"].astype(object)
road_map.loc[road_map["step"] == "consensus", "requires"] = "concessions; requests; pacing; milestones"
road_map.loc[road_map["step"] == "reduce_frictions", "party"] = "United States"
sequence = ["concessions", "requests", "pacing", "milestones", "consensus", "trilateral_meeting",
            "regular_consultations", "reduce_frictions"]
road_map["order"] = road_map["step"].map({step: i for i, step in enumerate(sequence, start=1)})
""",
}

ALTERNATIVE = {
    "q1_month_only": """
n_month_only = int((tests["date"].str.len() < 10).sum())
""",
    "q2_cns": """
cns = tests.assign(year=tests["date"].str.slice(0, 4).astype("int64")).query("year <= 2024")
""",
    "q3_tests_per_year": """
counts = cns["year"].value_counts()
tests_per_year = pd.Series(0, index=range(1984, 2025)).add(counts, fill_value=0).astype(int)
""",
    "q4_period_means": """
bins = pd.cut(tests_per_year.index, bins=[2013, 2017, 2018, 2020, 2024],
              labels=["2014-2017", "2018", "2019-2020", "2021-2024"])
period_means = tests_per_year.groupby(bins, observed=True).mean()
period_means.index = period_means.index.astype(str)
""",
    "q5_typed": """
lookup = types.set_index("missile")
typed = cns.assign(name=cns["missile"].map(lookup["name"]), type=cns["missile"].map(lookup["type"]))
""",
    "q6_success_rate": """
table = pd.crosstab(typed["type"], typed["outcome"])
success_rate = (100 * table["success"] / (table["success"] + table["failure"])).sort_values(ascending=False)
""",
    "q7_longest_by_year": """
longest_by_year = (
    typed.query("year >= 2014")
    .dropna(subset=["distance"])
    .sort_values(["year", "distance"])
    .drop_duplicates("year", keep="last")
    .set_index("year")[["type", "distance"]]
)
""",
    "q8_top_facilities": """
names = facilities.set_index("facility")["name"]
top_facilities = typed["facility"].map(names).value_counts().sort_values(ascending=False).iloc[:5]
""",
    "q9_icbm_years": """
icbm_years = [2017, 2022, 2023, 2024]
""",
    "q10_toward_japan": """
shares = typed.loc[(typed["year"] >= 2014) & (typed["year"] <= 2024), "landing"].value_counts(normalize=True)
toward_japan_pct = float(shares.get("sea-of-japan", 0) + shares.get("pacific-ocean", 0)) * 100
""",
    "q11_nk_warheads": """
spaced = warheads["country_name"].str.replace(r"\\s+", " ", regex=True)
nk_warheads = (
    warheads[spaced.eq("North Korea")]
    .query("nuclear_weapons_stockpile > 0")
    .groupby("year")["nuclear_weapons_stockpile"].sum()
)
""",
    "q12_warhead_growth": """
import numpy as np
yearly = nk_warheads.loc[2015:2020].pct_change().dropna()
warhead_growth_pct = 100 * (np.prod(1 + yearly) ** (1 / len(yearly)) - 1)
""",
    "q13_road_map": """
road_map = draft.set_index("step")
road_map.loc["trilateral_meeting", "requires"] = pd.NA
road_map.loc["reduce_frictions", "party"] = "United States; Japan; South Korea"
road_map = road_map.reindex(["trilateral_meeting", "concessions", "requests", "regular_consultations", "pacing",
                             "milestones", "consensus", "reduce_frictions"]).reset_index()
road_map["order"] = (road_map.index + 1) * 10
""",
}
