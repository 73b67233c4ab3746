"""Question contract for 05_north_korea: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/contract.py for the fields. The k-th alternative
(wrong answer, shortcut) of every question runs in one submission, so they are written to work together.
The first wrong answer of a question that later questions build on keeps the shape those questions need,
so that the cascade rounds test error carried forward.
"""

from course.contract import Mistake, Question

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
""", message="`format='mixed'` guesses a day for month-only dates: give the exact full format and `errors='coerce'`."),
            Mistake("counts the rows that did parse instead of those that did not", """
n_month_only = int(pd.to_datetime(tests["date"], format="%Y-%m-%d", errors="coerce").notna().sum())
""", message='You counted the rows that parsed; the question asks for those that did not (`isna()`).'),
            Mistake('counts the distinct month-only dates instead of the rows that have one', """
n_month_only = tests.loc[pd.to_datetime(tests["date"], format="%Y-%m-%d", errors="coerce").isna(), "date"].nunique()
""", message='You counted distinct dates, but several launches share a month-only date: count the rows whose date does not parse.'),
        ),
        shortcuts=(
            """
n_month_only = int(tests["description"].isna().sum())  # guesses from another column instead of parsing
""",
        ),
        hints=(
            'Let `pd.to_datetime` tell you which values do not fit a full date.',
            "Parse with `format='%Y-%m-%d'` and `errors='coerce'`, then count the `NaT` values with `isna().sum()`.",
        )
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
""", message="Comparing text with '2024' drops the 2024 launches ('2024-01-14' sorts after '2024'): compare real dates with `north_korea.CNS_CUTOFF`."),
            Mistake("parses with the full-date format only: the month-only dates become NaT and the comparison drops them", """
cns = tests.copy()
cns["date"] = pd.to_datetime(cns["date"], format="%Y-%m-%d", errors="coerce")
cns = cns[cns["date"] <= pd.Timestamp(north_korea.CNS_CUTOFF)]
cns["year"] = cns["date"].dt.year
""", message="Your table lost the launches with a month-only date: they did not parse, and a missing date is never on or before the cut-off. Parse with `format='mixed'`."),
            Mistake('forgets the cut-off and keeps every row of the record', """
cns = tests.copy()
cns["year"] = cns["date"].str[:4].astype(int)
""", message='Your table still has launches after the cut-off: keep only the rows on or before the stated date.'),
        ),
        shortcuts=(
            """
# drops the 'unknown' outcomes instead of cutting at the stated date
cns = tests[tests["outcome"] != "unknown"].assign(year=tests["date"].str[:4].astype(int))
""",
        ),
        hints=(
            'Turn the text dates into real dates before you compare them with the cut-off.',
            "Parse with `pd.to_datetime(..., format='mixed')`, keep the rows `<= north_korea.CNS_CUTOFF`, and make `year` from the first four characters of `date`.",
        )
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
""", message='`count()` skips missing values of the column it counts: count rows with `size()`.'),
            Mistake("forgets the years without a test (2018 disappears instead of being 0)", """
tests_per_year = cns["year"].value_counts().sort_index()
""", message='Include the years without a test, as 0 (`reindex(..., fill_value=0)`).'),
            Mistake('counts launch days instead of missiles', """
tests_per_year = cns.groupby("year")["date"].nunique().reindex(range(1984, 2025), fill_value=0)
""", message='You counted launch days; this question counts missiles (rows).'),
        ),
        shortcuts=(
            """
# the old public helper that returned exactly this answer (now private): must not be callable
tests_per_year = north_korea.per_year(cns.merge(types, on="missile"), types["type"].unique(), (1984, 2024),
                                      "Missiles launched")
""",
        ),
        hints=(
            'Count the rows of each year, then make sure every year from 1984 to 2024 is there.',
            "`groupby('year').size()`, then `.reindex(range(1984, 2025), fill_value=0)`.",
        )
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
""", message="An average per year divides each period's total by its number of years."),
            Mistake("treats the last year of each period as excluded, as range() does", PERIODS + """
period_means = pd.Series({label: tests_per_year.reindex(range(first, max(last, first + 1))).mean()
                          for label, (first, last) in periods.items()})
""", message='Each period includes its last year (`.loc[first:last]` includes both ends).'),
            Mistake('averages only the years with at least one test', """
periods = {"2014-2017": (2014, 2017), "2018": (2018, 2018), "2019-2020": (2019, 2020), "2021-2024": (2021, 2024)}
period_means = pd.Series({label: tests_per_year.loc[first:last][lambda s: s > 0].mean()
                          for label, (first, last) in periods.items()})
""", message='Average over every year of the period, the years without a test included (as 0).'),
        ),
        shortcuts=(
            """
period_means = pd.Series({"2014-2017": 20, "2018": 0, "2019-2020": 18, "2021-2024": 37})  # read off the chart
""",
        ),
        hints=(
            "Each period's average = its missiles ÷ its number of years, years without a test included.",
            "Select each period's years from `tests_per_year` with `.loc[first:last]` and take the mean; build a Series with the four labels.",
        )
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
""", message='A salvo is one launch day: count the distinct dates per year (`nunique`), not the rows.'),
            Mistake("counts the rows with series 1 as launches, but `series` is empty for many launches", PERIODS + """
firsts = cns[cns["series"] == 1].groupby("year").size().reindex(range(1984, 2025), fill_value=0)
launch_day_means = pd.Series({label: firsts.loc[first:last].mean() for label, (first, last) in periods.items()})
""", message='`series` is empty for many launches: count the distinct dates instead.'),
            Mistake('forgets the years without a launch before averaging', """
days_per_year = cns.groupby("year")["date"].nunique()
periods = {"2014-2017": (2014, 2017), "2018": (2018, 2018), "2019-2020": (2019, 2020), "2021-2024": (2021, 2024)}
launch_day_means = pd.Series({label: days_per_year.loc[first:last].mean() for label, (first, last) in periods.items()})
""", message='Years without a launch count as 0: give every year a value before averaging.'),
        ),
        shortcuts=(
            """
launch_day_means = period_means / 2  # assumes two missiles per launch instead of counting
""",
        ),
        hints=(
            'Count launch days per year first, then average as in Question 4.',
            "`groupby('year')['date'].nunique()`, reindex to every year with 0, then average each period.",
        )
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
""", message='An outer merge adds missile types that were never launched: keep the rows of `cns` (a left merge).'),
            Mistake("merges the whole record, preliminary rows included", """
typed = tests.merge(types, on="missile", how="left")
typed["year"] = typed["date"].str[:4].astype(int)
""", message='Start from `cns`, not from the whole record.'),
            Mistake('drops the repeated missile ids of cns before merging, to make the merge one-to-one', """
typed = cns.drop_duplicates("missile").merge(types, on="missile", how="left", validate="one_to_one")
""", message='Each row of `cns` is one missile launched: keep every row, even when the same missile type was launched many times.'),
        ),
        shortcuts=(
            """
# pastes the two tables side by side by row position instead of merging on the key
typed = pd.concat([cns.reset_index(drop=True), types[["name", "type"]]], axis=1).dropna(subset=["year"])
""",
        ),
        hints=(
            'The two tables share one column; each row of `cns` needs the matching row of `types`.',
            "`cns.merge(types, on=..., how='left', validate='many_to_one')` keeps every row of `cns`.",
        )
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
""", message='Leave out the unknown outcomes before dividing.'),
            Mistake("sorts from the lowest rate to the highest", """
known = typed[typed["outcome"].isin(["success", "failure"])]
success_rate = (known["outcome"] == "success").groupby(known["type"]).mean().mul(100).sort_values()
""", message='Check the order: the highest rate first.'),
            Mistake('computes the failure rate instead of the success rate', """
known = typed[typed["outcome"].isin(["success", "failure"])]
success_rate = (known["outcome"] == "failure").groupby(known["type"]).mean().mul(100).sort_values(ascending=False)
""", message='You computed the share of failures; the question asks for the share of successes.'),
        ),
        shortcuts=(
            """
# the share of each type among the successes, not each type's success rate
success_rate = typed.loc[typed["outcome"] == "success", "type"].value_counts(normalize=True).mul(100)
""",
        ),
        hints=(
            'Keep only the tests whose outcome is known: a success or a failure.',
            "For those rows, the mean of `outcome == 'success'` per `type`, times 100, is the rate; sort from highest to lowest.",
        )
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
""", message="Taking each column's maximum separately mixes missiles: take the whole row of the longest flight (`idxmax`)."),
            Mistake("keeps the first row of each year after sorting by distance ascending: the shortest flight", """
recent = typed[typed["year"].between(me.longest_from, 2024)].dropna(subset=["distance"])
longest_by_year = recent.sort_values("distance").drop_duplicates("year").set_index("year")[["distance", "type"]]
""", message='You kept the shortest flight of each year: sort the other way, or use `idxmax`.'),
            Mistake('forgets the year window and keeps the earlier years too', """
recent = typed.dropna(subset=["distance"])
longest_by_year = recent.loc[recent.groupby("year")["distance"].idxmax(), ["year", "distance", "type"]].set_index("year")
""", message='Keep only the years from your first year for this question (`me.longest_from`) to 2024.'),
        ),
        shortcuts=(
            """
# copies the distances of the apogee table without finding which test flew them
recent = typed[typed["year"].between(me.longest_from, 2024)]
longest_by_year = recent.groupby("year").agg(distance=("distance", "max"), type=("type", "first")).dropna()
""",
        ),
        hints=(
            'For each year you need the whole row of the test that flew farthest, not separate maxima.',
            "Keep the rows from your first year to 2024 that have a distance, find the rows with `groupby('year')['distance'].idxmax()`, select them with `.loc` and index by year.",
        )
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
""", message='Select both long-range types: the intermediate-range IRBMs count too.'),
            Mistake("selects only IRBM, forgetting the ICBMs of 2023", """
long_range_years = [2016, 2017, 2022, 2024, 2025]
""", message='Select both long-range types: the ICBMs count too.'),
            Mistake('leaves out the preliminary rows', """
long_range_years = [2016, 2017, 2022, 2023, 2024]
""", message='Include the preliminary rows, as the question says.'),
        ),
        shortcuts=(
            """
# reuses `typed`, which stops at 2024, instead of the explorer's whole record
long_range_years = sorted(typed.loc[typed["type"].isin(["IRBM", "ICBM"]), "year"].unique().tolist())
""",
        ),
        hints=(
            'Set the explorer exactly as the question says: both types, the full range of years, preliminary rows included.',
            'Read off each year in which at least one marker of either type appears, and list those years.',
        )
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
""", message='Count both landings towards Japan: the Sea of Japan *and* the Pacific beyond Japan.'),
            Mistake("divides only by the missiles with a known landing, not by all of them", """
window = typed[typed["year"].between(*me.landing_years)]
known = window[~window["landing"].isin(["unknown", "na"])]
toward_japan_pct = 100 * known["landing"].isin(["sea-of-japan", "pacific-ocean"]).mean()
""", message='Divide by all the missiles of those years, whatever their landing.'),
            Mistake('gives a share between 0 and 1 instead of a percentage', """
window = typed[typed["year"].between(*me.landing_years)]
toward_japan_pct = window["landing"].isin(["sea-of-japan", "pacific-ocean"]).mean()
""", message='Your value looks like a share between 0 and 1: the question asks for a percentage.'),
        ),
        shortcuts=(
            """
toward_japan_pct = 88  # a rounded guess typed in, not the computed share
""",
        ),
        hints=(
            'Keep the launches of your years (`me.landing_years`); then ask, for each, whether it landed in one of the two places.',
            "`isin(['sea-of-japan', 'pacific-ocean'])` gives True/False; its mean times 100 is the percentage.",
        )
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
""", message='Keep only the years with an estimate above zero.'),
            Mistake("cleans with .str.strip(), which removes spaces at the ends only: the double space stays", """
clean = warheads.assign(country_name=warheads["country_name"].str.strip())
north = clean[(clean["country_name"] == "North Korea") & (clean["nuclear_weapons_stockpile"] > 0)]
nk_warheads = north.set_index("year")["nuclear_weapons_stockpile"]
""", message='`.str.strip()` removes spaces at the ends only, so the double space inside the name stays: split the name into words and join them again.'),
            Mistake('forgets to index the estimates by year', """
clean = warheads.assign(country_name=warheads["country_name"].str.split().str.join(" "))
north = clean[(clean["country_name"] == "North Korea") & (clean["nuclear_weapons_stockpile"] > 0)]
nk_warheads = north["nuclear_weapons_stockpile"]
""", message="Index your Series by year (`set_index('year')` before you take the column)."),
        ),
        shortcuts=(
            """
# types in the chart's values instead of filtering the file, and misses a year
nk_warheads = pd.Series([5, 10, 15, 20, 25, 35, 20, 25], index=range(2015, 2023))
""",
        ),
        hints=(
            'Look closely at how FAS spells the country: how many spaces?',
            "Normalise the spaces (`.str.split().str.join(' ')`), keep North Korea's rows with an estimate above 0, and index the estimates by year.",
        )
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
""", message='Use the compound rate (the yearly rate that, repeated, links the two values), not the total change divided by the years.'),
            Mistake("counts the years at both ends (one more than the steps between them)", """
warhead_growth_pct = 100 * ((nk_warheads.loc[end_year] / nk_warheads.loc[start_year]) ** (1 / (end_year - start_year + 1)) - 1)
""", message='Count the yearly steps between your two years, not the years themselves: the first year is the starting point, not a step.'),
            Mistake('gives the total growth over the years, not a yearly rate', """
warhead_growth_pct = 100 * (nk_warheads.loc[end_year] / nk_warheads.loc[start_year] - 1)
""", message='That is the growth over all your years together; the question asks for the average *yearly* rate.'),
        ),
        shortcuts=(
            """
warhead_growth_pct = 100 * (nk_warheads.iloc[-1] / nk_warheads.iloc[0]) ** (1 / len(nk_warheads)) - 100  # first and last rows over the row count, not your years
""",
        ),
        hints=(
            'Find the one yearly growth rate that, repeated once for each year after your first, turns the value of your first year into that of your last.',
            'Divide the estimate of your last year by that of your first, take the power 1 / (the number of yearly steps), subtract 1 and multiply by 100.',
        )
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
""", message='Re-read the article on which of the two steps in the cycle comes first: the link you removed is the one it supports.'),
            Mistake("gives the bridging step to Japan and South Korea, not to the United States as the article says", """
road_map = draft.copy()
road_map.loc[road_map["step"] == "trilateral_meeting", "requires"] = ""
road_map.loc[road_map["step"] == "reduce_frictions", "party"] = "Japan; South Korea"
sequence = ["trilateral_meeting", "regular_consultations", "concessions", "requests", "pacing", "milestones",
            "consensus", "reduce_frictions"]
road_map["order"] = road_map["step"].map({step: i for i, step in enumerate(sequence, start=1)})
""", message='Re-read who the article says should take the bridging step: not Japan and South Korea themselves.'),
            Mistake('fixes the cycle and the order but leaves the step without a party', """
road_map = draft.copy()
road_map.loc[road_map["step"] == "trilateral_meeting", "requires"] = ""
sequence = ["trilateral_meeting", "regular_consultations", "concessions", "requests", "pacing", "milestones",
            "consensus", "reduce_frictions"]
road_map["order"] = road_map["step"].map({step: position for position, step in enumerate(sequence, start=1)})
road_map = road_map.sort_values("order").reset_index(drop=True)
""", message='One step still has no party: give it the party the article names.'),
        ),
        shortcuts=(
            """
# deletes every link instead of fixing the one that is wrong
road_map = draft.assign(requires="", party=draft["party"].replace({"": "United States"}))
""",
        ),
        hints=(
            'Run `north_korea.report_road_map(road_map)` after each change to see what is left to fix.',
            'Remove exactly one `requires` link to break the cycle, fill in the missing party from the article, then renumber `order` so that each step comes after the steps it requires.',
        )
    ),
]
