"""Question contract for 00_alliance: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields.
"""

from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_japan_confidence",
        points=1,
        compare="TODO",
        alternatives=(
            """
japan_confidence = pres.loc[pres["Japan"].notna(), ["year", "Japan"]].set_index("year")["Japan"]
""",
        ),
        wrong=(
            Mistake("forgets dropna(): keeps the years Japan was not surveyed", """
japan_confidence = pres.set_index("year")["Japan"]
"""),
        ),
    ),
    Question(
        answer="q2_confidence_change",
        points=1,
        compare="TODO",
        alternatives=(
            """
confidence_change = float(japan_confidence.diff().iloc[-1])
""",
        ),
        wrong=(
            Mistake("subtracts the wrong way round", """
confidence_change = japan_confidence.loc[2016] - japan_confidence.loc[2017]
"""),
        ),
    ),
    Question(
        answer="q3_article_gap",
        points=1,
        compare="TODO",
        alternatives=(
            """
article_trump = article.query("unit == 'percent'").loc[lambda d: d["figure"].str.contains("Trump"), "value"].item()
pew_2017 = pres.loc[pres["year"] == 2017, "Japan"].item()
article_minus_pew = article_trump - pew_2017
""",
        ),
        wrong=(
            Mistake("uses Obama's 78 percent instead of Trump's 25", """
obama_row = article[article["figure"].str.contains("Obama")]
article_minus_pew = obama_row["value"].iloc[0] - japan_confidence.loc[2017]
"""),
        ),
    ),
    Question(
        answer="q4_change_by_country",
        points=2,
        compare="TODO",
        alternatives=(
            """
countries = pres.drop(columns=["year", "avg"]).set_index(pres["year"])
a = countries.loc[2016].rename("confidence_2016")
b = countries.loc[2017].rename("confidence_2017")
change_2016_2017 = pd.concat([a, b], axis=1).dropna().rename_axis("country").reset_index()
change_2016_2017["change"] = change_2016_2017["confidence_2017"] - change_2016_2017["confidence_2016"]
change_2016_2017 = change_2016_2017.sort_values(["change", "country"])
""",
        ),
        wrong=(
            Mistake("keeps countries surveyed in only one of the two years (NaN change), sorted the other way", """
long = pres.melt(id_vars=["year", "avg"], var_name="country", value_name="confidence")
wide = long[long["year"].isin([2016, 2017])].pivot(index="country", columns="year", values="confidence")
change_2016_2017 = pd.DataFrame({"country": wide.index, "confidence_2016": wide[2016].to_numpy(),
                                 "confidence_2017": wide[2017].to_numpy()})
change_2016_2017["change"] = change_2016_2017["confidence_2017"] - change_2016_2017["confidence_2016"]
change_2016_2017 = change_2016_2017.sort_values("change", ascending=False).reset_index(drop=True)
"""),
        ),
    ),
    Question(
        answer="q5_japan_position",
        points=1,
        compare="TODO",
        alternatives=(
            """
ranks = change_2016_2017["change"].rank(method="first")
japan_fall_position = int(ranks[change_2016_2017["country"] == "Japan"].iloc[0])
""",
        ),
        wrong=(
            Mistake("off by one: uses the 0-based index as the position", """
japan_fall_position = int(change_2016_2017.index[change_2016_2017["country"] == "Japan"][0])
"""),
        ),
    ),
    Question(
        answer="q6_top_hosts",
        points=2,
        compare="TODO",
        alternatives=(
            """
top_hosts_2020 = troops.query("year == 2020").nlargest(5, "troops_ad")[["troops_ad", "countryname"]]
""",
        ),
        wrong=(
            Mistake("takes the five largest over all years, not 2020", """
top_hosts_2020 = troops[["countryname", "troops_ad"]].sort_values("troops_ad", ascending=False).head(5)
"""),
        ),
    ),
    Question(
        answer="q7_japan_share",
        points=1,
        compare="TODO",
        alternatives=(
            """
totals = troops[troops["year"] == 2020].groupby("countryname")["troops_ad"].sum()
japan_share_2020 = float(totals["Japan"] / totals.sum() * 100)
""",
        ),
        wrong=(
            Mistake("a fraction, not a percentage... of the wrong total (all years)", """
japan_share_2020 = 100 * troops.loc[(troops["countryname"] == "Japan") & (troops["year"] == 2020), "troops_ad"].sum() / troops["troops_ad"].sum()
"""),
        ),
    ),
    Question(
        answer="q8_decade_means",
        points=2,
        compare="TODO",
        alternatives=(
            """
decade_means = (
    troops[troops["countryname"].isin(["Japan", "South Korea"])]
    .assign(decade=lambda d: d["year"] // 10 * 10)
    .groupby(["decade", "countryname"])["troops_ad"].mean()
    .unstack()
)
""",
        ),
        wrong=(
            Mistake("sums instead of averaging", """
two = troops[troops["countryname"].isin(["Japan", "South Korea"])].copy()
two["decade"] = two["year"] // 10 * 10
decade_means = two.pivot_table(index="decade", columns="countryname", values="troops_ad", aggfunc="sum")
"""),
        ),
    ),
    Question(
        answer="q9_explore_years",
        points=1,
        compare="TODO",
        alternatives=(
            """
korea_above_japan = [2003, 2004]
""",
        ),
        wrong=(
            Mistake("looks at the whole series, including the Korean War years", """
by_year = troops.pivot_table(index="year", columns="countryname", values="troops_ad")
korea_above_japan = [int(y) for y in by_year.index[by_year["South Korea"] > by_year["Japan"]]]
"""),
        ),
    ),
    Question(
        answer="q10_demand_per_troop",
        points=1,
        compare="TODO",
        alternatives=(
            """
demand = 8_000_000_000
in_japan = troops.set_index(["countryname", "year"]).loc[("Japan", 2020), "troops_ad"]
demand_per_troop = demand / in_japan
""",
        ),
        wrong=(
            Mistake("forgets to convert billions to dollars", """
troops_japan_2020 = troops.loc[(troops["countryname"] == "Japan") & (troops["year"] == 2020), "troops_ad"].iloc[0]
demand_per_troop = 8 / troops_japan_2020 * 1e6
"""),
        ),
    ),
]
