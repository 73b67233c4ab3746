"""Question contract for 00_alliance: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/contract.py for the fields.
Notebook 0 has no topic module, so its shortcuts are the ways a student skips the work with what the
notebook shows: a precomputed column (FiveThirtyEight's `avg`), the article's figures instead of the data,
or the rows a cell happens to print.
"""

from course.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_japan_confidence",
        points=1,
        compare="assert_series",
        alternatives=(
            """
japan_confidence = pres.loc[pres["Japan"].notna(), ["year", "Japan"]].set_index("year")["Japan"]
""",
            """
# newest year first, as floats: order and int/float do not matter
japan_confidence = pres.set_index("year")["Japan"].dropna().astype(float).sort_index(ascending=False)
""",
        ),
        wrong=(
            Mistake("forgets dropna(): keeps the years Japan was not surveyed", """
japan_confidence = pres.set_index("year")["Japan"]
"""),
            Mistake("keeps a two-column DataFrame (year and Japan) instead of a Series indexed by year", """
japan_confidence = pres[["year", "Japan"]].dropna()
"""),
        ),
        shortcuts=(
            """
# reads FiveThirtyEight's precomputed average instead of Japan's column
japan_confidence = pres.set_index("year")["avg"].dropna()
""",
        ),
    ),
    Question(
        answer="q2_confidence_change",
        points=1,
        compare="assert_number",
        upstream=("q1_japan_confidence",),
        alternatives=(
            """
confidence_change = float(japan_confidence.diff().loc[2017])
""",
            """
by_year = pres.set_index("year")
confidence_change = int(by_year.loc[2017, "Japan"]) - int(by_year.loc[2016, "Japan"])
""",
        ),
        wrong=(
            Mistake("subtracts the wrong way round", """
confidence_change = japan_confidence.loc[2016] - japan_confidence.loc[2017]
"""),
            Mistake("compares 2017 with the first year Japan was surveyed, not with 2016", """
confidence_change = japan_confidence.loc[2017] - japan_confidence.sort_index().iloc[0]
"""),
        ),
        shortcuts=(
            """
# takes the article's two figures (25 and 78) instead of Pew's data
confidence_change = article["value"].iloc[0] - article["value"].iloc[1]
""",
        ),
    ),
    Question(
        answer="q3_article_gap",
        points=1,
        compare="assert_number",
        upstream=("q1_japan_confidence",),
        alternatives=(
            """
article_trump = article.query("unit == 'percent'").loc[lambda d: d["figure"].str.contains("Trump"), "value"].item()
pew_2017 = pres.loc[pres["year"] == 2017, "Japan"].item()
article_minus_pew = article_trump - pew_2017
""",
            """
quoted = article.set_index("figure").loc["Japanese public with confidence in President Trump", "value"]
article_minus_pew = float(quoted) - float(japan_confidence[2017])
""",
        ),
        wrong=(
            Mistake("uses Obama's 78 percent instead of Trump's 25", """
obama_row = article[article["figure"].str.contains("Obama")]
article_minus_pew = obama_row["value"].iloc[0] - japan_confidence.loc[2017]
"""),
            Mistake("subtracts the wrong way round (Pew minus the article)", """
trump_row = article[article["figure"].str.contains("Trump") & (article["unit"] == "percent")]
article_minus_pew = japan_confidence.loc[2017] - trump_row["value"].iloc[0]
"""),
        ),
        shortcuts=(
            """
# reads the wide table's second-to-last row by position (2016, Obama's last year) instead of finding 2017
article_minus_pew = article["value"].iloc[0] - pres["Japan"].iloc[-2]
""",
        ),
    ),
    Question(
        answer="q4_change_by_country",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
countries = pres.drop(columns=["year", "avg"]).set_index(pres["year"])
a = countries.loc[2016].rename("confidence_2016")
b = countries.loc[2017].rename("confidence_2017")
change_2016_2017 = pd.concat([a, b], axis=1).dropna().rename_axis("country").reset_index()
change_2016_2017["change"] = change_2016_2017["confidence_2017"] - change_2016_2017["confidence_2016"]
change_2016_2017 = change_2016_2017.sort_values(["change", "country"])
""",
            """
long = pres.drop(columns="avg").melt(id_vars="year", var_name="country", value_name="confidence").dropna()
first = long[long["year"] == 2016][["country", "confidence"]].rename(columns={"confidence": "confidence_2016"})
second = long[long["year"] == 2017][["country", "confidence"]].rename(columns={"confidence": "confidence_2017"})
change_2016_2017 = first.merge(second, on="country")
change_2016_2017["change"] = (change_2016_2017["confidence_2017"] - change_2016_2017["confidence_2016"]).astype(float)
change_2016_2017 = change_2016_2017.sort_values("change", kind="stable")
""",
        ),
        wrong=(
            Mistake("melts with id_vars='year' only, so FiveThirtyEight's avg becomes a \"country\"", """
long = pres.melt(id_vars="year", var_name="country", value_name="confidence")
two_years = long[long["year"].isin([2016, 2017])].pivot(index="country", columns="year", values="confidence").dropna()
change_2016_2017 = pd.DataFrame({"country": two_years.index, "confidence_2016": two_years[2016].to_numpy(),
                                 "confidence_2017": two_years[2017].to_numpy()})
change_2016_2017["change"] = change_2016_2017["confidence_2017"] - change_2016_2017["confidence_2016"]
change_2016_2017 = change_2016_2017.sort_values("change").reset_index(drop=True)
"""),
            Mistake("sorts the other way round (largest rise first)", """
long = pres.melt(id_vars=["year", "avg"], var_name="country", value_name="confidence")
two_years = long[long["year"].isin([2016, 2017])].pivot(index="country", columns="year", values="confidence").dropna()
change_2016_2017 = pd.DataFrame({"country": two_years.index, "confidence_2016": two_years[2016].to_numpy(),
                                 "confidence_2017": two_years[2017].to_numpy()})
change_2016_2017["change"] = change_2016_2017["confidence_2017"] - change_2016_2017["confidence_2016"]
change_2016_2017 = change_2016_2017.sort_values("change", ascending=False).reset_index(drop=True)
"""),
        ),
        shortcuts=(
            """
# subtracts the last two rows of the wide table as they are, avg and all, without checking the years
diffs = pres.drop(columns="year").iloc[-1] - pres.drop(columns="year").iloc[-2]
change_2016_2017 = pd.DataFrame({"country": diffs.index, "confidence_2016": pres.drop(columns="year").iloc[-2].to_numpy(),
                                 "confidence_2017": pres.drop(columns="year").iloc[-1].to_numpy(),
                                 "change": diffs.to_numpy()}).dropna().sort_values("change")
""",
        ),
    ),
    Question(
        answer="q5_japan_position",
        points=1,
        compare="assert_number",
        upstream=("q4_change_by_country",),
        alternatives=(
            """
ranks = change_2016_2017["change"].rank(method="first")
japan_fall_position = int(ranks[change_2016_2017["country"] == "Japan"].iloc[0])
""",
            """
japan_change = change_2016_2017.set_index("country").loc["Japan", "change"]
japan_fall_position = int((change_2016_2017["change"] < japan_change).sum()) + 1
""",
        ),
        wrong=(
            Mistake("off by one: uses the 0-based row number as the position", """
ordered = change_2016_2017.sort_values("change").reset_index(drop=True)
japan_fall_position = int(ordered.index[ordered["country"] == "Japan"][0])
"""),
            Mistake("ranks the 2017 level instead of the change", """
ordered = change_2016_2017.sort_values("confidence_2017").reset_index(drop=True)
japan_fall_position = int(ordered.index[ordered["country"] == "Japan"][0]) + 1
"""),
        ),
        shortcuts=(
            """
# reads Japan's place in the wide table's column order instead of ranking the falls
japan_fall_position = list(pres.columns).index("Japan")
""",
        ),
    ),
    Question(
        answer="q6_top_hosts",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
top_hosts_2020 = troops.query("year == 2020").nlargest(5, "troops_ad")[["troops_ad", "countryname"]]
""",
            """
top_hosts_2020 = (troops.loc[troops["year"].eq(2020), ["countryname", "troops_ad"]]
                  .sort_values("troops_ad").tail(5).iloc[::-1].astype({"troops_ad": float}))
""",
        ),
        wrong=(
            Mistake("takes the five largest over all years, not 2020", """
top_hosts_2020 = troops[["countryname", "troops_ad"]].sort_values("troops_ad", ascending=False).head(5)
"""),
            Mistake("sorts from fewest to most", """
top_hosts_2020 = troops[troops["year"] == 2020][["countryname", "troops_ad"]].sort_values("troops_ad").tail(5)
"""),
        ),
        shortcuts=(
            """
# copies the last rows the load cell printed (the table's tail), not 2020's largest hosts
top_hosts_2020 = troops[["countryname", "troops_ad"]].tail(5).sort_values("troops_ad", ascending=False)
""",
        ),
    ),
    Question(
        answer="q7_japan_share",
        points=1,
        compare="assert_number",
        alternatives=(
            """
totals = troops[troops["year"] == 2020].groupby("countryname")["troops_ad"].sum()
japan_share_2020 = float(totals["Japan"] / totals.sum() * 100)
""",
            """
in_2020 = troops.query("year == 2020").set_index("countryname")["troops_ad"]
japan_share_2020 = round(100 * in_2020["Japan"] / in_2020.sum(), 3)
""",
        ),
        wrong=(
            Mistake("divides by the top five hosts only (top_hosts_2020), not every host in the table", """
japan_share_2020 = 100 * top_hosts_2020["troops_ad"].iloc[0] / top_hosts_2020["troops_ad"].sum()
"""),
            Mistake("leaves out Brunei, the smallest host (4 troops), as negligible", """
in_2020 = troops[(troops["year"] == 2020) & (troops["countryname"] != "Brunei")]
japan_share_2020 = 100 * in_2020.loc[in_2020["countryname"] == "Japan", "troops_ad"].sum() / in_2020["troops_ad"].sum()
"""),
        ),
        shortcuts=(
            """
# rounds to a whole percent before storing it: coarser than the three decimals asked for
in_2020 = troops[troops["year"] == 2020]
japan_share_2020 = round(100 * in_2020.loc[in_2020["countryname"] == "Japan", "troops_ad"].sum() / in_2020["troops_ad"].sum())
""",
        ),
    ),
    Question(
        answer="q8_decade_means",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
decade_means = (
    troops[troops["countryname"].isin(["Japan", "South Korea"])]
    .assign(decade=lambda d: d["year"] // 10 * 10)
    .groupby(["decade", "countryname"])["troops_ad"].mean()
    .unstack()
)
""",
            """
# index named "year" (grouped by year // 10 * 10), rounded to one decimal
two = troops[troops["countryname"].isin(["Japan", "South Korea"])]
decade_means = two.groupby([two["year"] // 10 * 10, "countryname"])["troops_ad"].mean().unstack().round(1)
""",
        ),
        wrong=(
            Mistake("sums instead of averaging", """
two = troops[troops["countryname"].isin(["Japan", "South Korea"])].copy()
two["decade"] = two["year"] // 10 * 10
decade_means = two.pivot_table(index="decade", columns="countryname", values="troops_ad", aggfunc="sum")
"""),
            Mistake("rounds years to the nearest ten instead of flooring them (1956 counted in the 1960s)", """
two = troops[troops["countryname"].isin(["Japan", "South Korea"])].copy()
two["decade"] = ((two["year"] + 5) // 10 * 10).clip(upper=2020)
decade_means = two.pivot_table(index="decade", columns="countryname", values="troops_ad", aggfunc="mean")
"""),
        ),
        shortcuts=(
            """
# one year per decade (1950, 1960, ...) read off the table instead of the decade's mean
two = troops[troops["countryname"].isin(["Japan", "South Korea"]) & (troops["year"] % 10 == 0)]
decade_means = two.pivot_table(index="year", columns="countryname", values="troops_ad").rename_axis("decade")
""",
        ),
    ),
    Question(
        answer="q9_explore_years",
        points=1,
        compare="assert_values",
        alternatives=(
            """
korea_above_japan = [2003, 2004]
""",
            """
wide = troops.pivot_table(index="year", columns="countryname", values="troops_ad").loc[1990:]
korea_above_japan = tuple(wide.index[wide["South Korea"].gt(wide["Japan"])][::-1])
""",
        ),
        wrong=(
            Mistake("reads only the clearer of the two years off the chart", """
korea_above_japan = [2004]
"""),
            Mistake("leaves the metric on Army (Korea hosts more U.S. Army troops than Japan in most years)", """
by_year = troops[troops["year"] >= 1990].pivot_table(index="year", columns="countryname", values="army_ad")
korea_above_japan = [int(y) for y in by_year.index[by_year["South Korea"] > by_year["Japan"]]]
"""),
        ),
        shortcuts=(
            """
# reads the decade means of Question 8 instead of comparing the years
korea_above_japan = [int(d) for d in decade_means.index[decade_means["South Korea"] > decade_means["Japan"]] if d >= 1990]
""",
        ),
    ),
    Question(
        answer="q10_demand_per_troop",
        points=1,
        compare="assert_number",
        alternatives=(
            """
demand = article.set_index("unit").loc["billion US dollars", "value"] * 1_000_000_000
in_japan = troops.set_index(["countryname", "year"]).loc[("Japan", 2020), "troops_ad"]
demand_per_troop = demand / in_japan
""",
            """
row = article[article["figure"].str.startswith("Increase Trump")]
japan = troops.query("countryname == 'Japan' and year == 2020")["troops_ad"].item()
demand_per_troop = round(float(row["value"].item()) * 1e9 / japan)
""",
        ),
        wrong=(
            Mistake("converts billions with a million (1e6) instead of a thousand million (1e9)", """
troops_japan_2020 = troops.loc[(troops["countryname"] == "Japan") & (troops["year"] == 2020), "troops_ad"].iloc[0]
demand_per_troop = article.loc[article["unit"] == "billion US dollars", "value"].iloc[0] * 1e6 / troops_japan_2020
"""),
            Mistake("divides by the troops of every host in 2020, not Japan's", """
demand_per_troop = 8e9 / troops.loc[troops["year"] == 2020, "troops_ad"].sum()
"""),
        ),
        shortcuts=(
            """
# uses the "more than four times" row as if it were the amount
multiple = article.loc[article["unit"] == "times (more than)", "value"].iloc[0]
demand_per_troop = multiple * 1e9 / troops.loc[(troops["countryname"] == "Japan") & (troops["year"] == 2020), "troops_ad"].iloc[0]
""",
        ),
    ),
]
