"""Question contract for 04_institutions: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/grading/contract.py for the fields.
"""

from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_attendance_rate",
        points=1,
        compare="TODO",
        alternatives=(
            """
attendance_rate = pd.crosstab(eas["us_president"], eas["president_attended_eas_plenary"], normalize="index")[True] * 100
""",
        ),
        wrong=(
            Mistake("counts the summits attended instead of the percentage attended", """
attendance_rate = eas.groupby("us_president")["president_attended_eas_plenary"].sum()
"""),
        ),
    ),
    Question(
        answer="q2_trump_absences",
        points=1,
        compare="TODO",
        alternatives=(
            """
trump_attendance = eas.loc[eas["us_president"].eq("Donald Trump"), "president_attended_eas_plenary"]
trump_absences = int(trump_attendance.value_counts()[False])
""",
        ),
        wrong=(
            Mistake("counts every absence in the table, including Obama's in 2013", """
trump_absences = int((~eas["president_attended_eas_plenary"]).sum())
"""),
        ),
    ),
    Question(
        answer="q3_disputed_year",
        points=1,
        compare="TODO",
        alternatives=(
            """
notes = eas.set_index("year")["note"].dropna()
disputed_year = int(notes[notes.str.contains("plenary")].index[0])
""",
        ),
        wrong=(
            Mistake("takes the year the article talks about (2020) instead of the one that explains the gap", """
disputed_year = int(eas.loc[eas["note"].str.contains("third", na=False), "year"].iloc[0])
"""),
        ),
    ),
    Question(
        answer="q4_article_rule",
        points=1,
        compare="TODO",
        alternatives=(
            """
recount = eas.copy()
recount.loc[recount["year"] == disputed_year, "president_attended_eas_plenary"] = True
trump = recount[recount["us_president"] == "Donald Trump"]
absences_article_rule = len(trump) - int(trump["president_attended_eas_plenary"].sum())
""",
        ),
        wrong=(
            Mistake("drops the disputed year but forgets to keep only Trump's rows (Obama's 2013 creeps back in)", """
absences_article_rule = int(((~eas["president_attended_eas_plenary"]) & (eas["year"] != disputed_year)).sum())
"""),
        ),
    ),
    Question(
        answer="q5_fav_long",
        points=2,
        compare="TODO",
        alternatives=(
            """
fav_long = (
    pew.drop(columns="avg").set_index("year").rename_axis(columns="country")
    .stack().dropna().rename("favourable").reset_index()
)
""",
        ),
        wrong=(
            Mistake("melts everything, so FiveThirtyEight's `avg` becomes a \"country\"", """
fav_long = pew.melt(id_vars="year", var_name="country", value_name="favourable").dropna(subset=["favourable"])
"""),
        ),
    ),
    Question(
        answer="q6_asean_in_pew",
        points=1,
        compare="TODO",
        alternatives=(
            """
asean_in_pew = pew.columns.intersection(pd.Index(eas["host_country"].unique())).sort_values().tolist()
""",
        ),
        wrong=(
            Mistake("confuses ASEAN with \"Asia-Pacific countries in the table\"", """
asean_in_pew = sorted(c for c in ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
                      if c in pew.columns)
"""),
        ),
    ),
    Question(
        answer="q7_asean_coverage",
        points=2,
        compare="TODO",
        alternatives=(
            """
members = [c for c in pew.columns if c in set(eas["host_country"])]
surveyed = pew.set_index("year")[members].notna().sum(axis=1)
asean_coverage = surveyed[surveyed > 0]
""",
        ),
        wrong=(
            Mistake("counts Asia-Pacific countries surveyed (Japan, South Korea, India, Australia too), not ASEAN members", """
asia_pacific = ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
asean_coverage = fav_long[fav_long["country"].isin(asia_pacific)].groupby("year").size()
"""),
        ),
    ),
    Question(
        answer="q8_admin_means",
        points=2,
        compare="TODO",
        alternatives=(
            """
terms = pd.cut(fav_long["year"].astype(int), bins=[1999, 2000, 2008, 2016, 2020],
               labels=["Bill Clinton", "George W. Bush", "Barack Obama", "Donald Trump"])
admin_means = (
    fav_long.assign(president=terms)
    .groupby(["country", "president"], observed=False)["favourable"].mean()
    .unstack("president")
)
""",
        ),
        wrong=(
            Mistake("election years instead of inauguration years: 2008 counted for Obama, 2016 for Trump", """
def elected(year):
    if year >= 2016:
        return "Donald Trump"
    if year >= 2008:
        return "Barack Obama"
    return "George W. Bush"
by_admin = fav_long.assign(president=fav_long["year"].map(elected))
admin_means = by_admin.pivot_table(index="country", columns="president", values="favourable", aggfunc="mean")
"""),
        ),
    ),
    Question(
        answer="q9_asia_change",
        points=1,
        compare="TODO",
        alternatives=(
            """
asia = admin_means.loc[["Japan"] + list(asean_in_pew)]
asia_change = (asia["Donald Trump"] - asia["Barack Obama"]).astype(float).sort_values()
""",
        ),
        wrong=(
            Mistake("the \"Obama\" mean also includes 2017, Trump's first year", """
wide = pew.set_index("year")[["Japan"] + list(asean_in_pew)].astype(float)
asia_change = (wide.loc[2017] - wide.loc[2009:2017].mean()).sort_values()
"""),
        ),
    ),
    Question(
        answer="q10_japan_rank",
        points=1,
        compare="TODO",
        alternatives=(
            """
in_2017 = fav_long[fav_long["year"] == 2017].set_index("country")["favourable"]
japan_rank_2017 = int((in_2017 > in_2017["Japan"]).sum()) + 1
""",
        ),
        wrong=(
            Mistake("ranks from the least favourable (ascending=True is rank()'s default)", """
in_2017 = pew.loc[pew["year"] == 2017].drop(columns=["year", "avg"]).iloc[0].astype(float)
japan_rank_2017 = int(in_2017.rank(method="min")["Japan"])
"""),
        ),
    ),
    Question(
        answer="q11_indonesia_gap",
        points=2,
        compare="TODO",
        alternatives=(
            """
indonesia = pew.set_index("year")["Indonesia"].dropna()
indonesia_pew_year = int(indonesia.index[-1])
quoted = article.set_index("figure").loc["US favorability rating in Indonesia", "value"]
article_minus_pew_indonesia = quoted - indonesia.iloc[-1]
""",
        ),
        wrong=(
            Mistake("takes the FIRST Pew survey of Indonesia instead of the nearest (latest) one", """
indonesia = pew.set_index("year")["Indonesia"].dropna()
indonesia_pew_year = int(indonesia.index.min())
article_minus_pew_indonesia = 42 - float(indonesia.loc[indonesia_pew_year])
"""),
        ),
    ),
    Question(
        answer="q12_explore_low",
        points=1,
        compare="TODO",
        alternatives=(
            """
indonesia_low_year = int(pew.loc[pew["Indonesia"].astype(float).idxmin(), "year"])
""",
        ),
        wrong=(
            Mistake("assumes the low point must be in the Trump year", """
indonesia_low_year = 2017
"""),
        ),
    ),
]
