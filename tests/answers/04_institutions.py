"""Plausible wrong answers and alternative correct answers for every question of 04_institutions.

Each WRONG answer is a mistake a student is likely to make; each ALTERNATIVE is a different valid
pandas approach. tests/test_grading.py substitutes them for the solutions and autogrades.
"""

WRONG = {
    # counts the summits attended instead of the percentage attended
    "q1_attendance_rate": """
attendance_rate = eas.groupby("us_president")["president_attended_eas_plenary"].sum()
""",
    # counts every absence in the table, including Obama's in 2013
    "q2_trump_absences": """
trump_absences = int((~eas["president_attended_eas_plenary"]).sum())
""",
    # takes the year the article talks about (2020) instead of the one that explains the gap
    "q3_disputed_year": """
disputed_year = int(eas.loc[eas["note"].str.contains("third", na=False), "year"].iloc[0])
""",
    # drops the disputed year but forgets to keep only Trump's rows (Obama's 2013 creeps back in)
    "q4_article_rule": """
absences_article_rule = int(((~eas["president_attended_eas_plenary"]) & (eas["year"] != disputed_year)).sum())
""",
    # melts everything, so FiveThirtyEight's `avg` becomes a "country"
    "q5_fav_long": """
fav_long = pew.melt(id_vars="year", var_name="country", value_name="favourable").dropna(subset=["favourable"])
""",
    # confuses ASEAN with "Asia-Pacific countries in the table"
    "q6_asean_in_pew": """
asean_in_pew = sorted(c for c in ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
                      if c in pew.columns)
""",
    # counts Asia-Pacific countries surveyed (Japan, South Korea, India, Australia too), not ASEAN members
    "q7_asean_coverage": """
asia_pacific = ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
asean_coverage = fav_long[fav_long["country"].isin(asia_pacific)].groupby("year").size()
""",
    # election years instead of inauguration years: 2008 counted for Obama, 2016 for Trump
    "q8_admin_means": """
def elected(year):
    if year >= 2016:
        return "Donald Trump"
    if year >= 2008:
        return "Barack Obama"
    return "George W. Bush"
by_admin = fav_long.assign(president=fav_long["year"].map(elected))
admin_means = by_admin.pivot_table(index="country", columns="president", values="favourable", aggfunc="mean")
""",
    # the "Obama" mean also includes 2017, Trump's first year
    "q9_asia_change": """
wide = pew.set_index("year")[["Japan"] + list(asean_in_pew)].astype(float)
asia_change = (wide.loc[2017] - wide.loc[2009:2017].mean()).sort_values()
""",
    # ranks from the least favourable (ascending=True is rank()'s default)
    "q10_japan_rank": """
in_2017 = pew.loc[pew["year"] == 2017].drop(columns=["year", "avg"]).iloc[0].astype(float)
japan_rank_2017 = int(in_2017.rank(method="min")["Japan"])
""",
    # takes the FIRST Pew survey of Indonesia instead of the nearest (latest) one
    "q11_indonesia_gap": """
indonesia = pew.set_index("year")["Indonesia"].dropna()
indonesia_pew_year = int(indonesia.index.min())
article_minus_pew_indonesia = 42 - float(indonesia.loc[indonesia_pew_year])
""",
    # assumes the low point must be in the Trump year
    "q12_explore_low": """
indonesia_low_year = 2017
""",
}

ALTERNATIVE = {
    "q1_attendance_rate": """
attendance_rate = pd.crosstab(eas["us_president"], eas["president_attended_eas_plenary"], normalize="index")[True] * 100
""",
    "q2_trump_absences": """
trump_attendance = eas.loc[eas["us_president"].eq("Donald Trump"), "president_attended_eas_plenary"]
trump_absences = int(trump_attendance.value_counts()[False])
""",
    "q3_disputed_year": """
notes = eas.set_index("year")["note"].dropna()
disputed_year = int(notes[notes.str.contains("plenary")].index[0])
""",
    "q4_article_rule": """
recount = eas.copy()
recount.loc[recount["year"] == disputed_year, "president_attended_eas_plenary"] = True
trump = recount[recount["us_president"] == "Donald Trump"]
absences_article_rule = len(trump) - int(trump["president_attended_eas_plenary"].sum())
""",
    "q5_fav_long": """
fav_long = (
    pew.drop(columns="avg").set_index("year").rename_axis(columns="country")
    .stack().dropna().rename("favourable").reset_index()
)
""",
    "q6_asean_in_pew": """
asean_in_pew = pew.columns.intersection(pd.Index(eas["host_country"].unique())).sort_values().tolist()
""",
    "q7_asean_coverage": """
members = [c for c in pew.columns if c in set(eas["host_country"])]
surveyed = pew.set_index("year")[members].notna().sum(axis=1)
asean_coverage = surveyed[surveyed > 0]
""",
    "q8_admin_means": """
terms = pd.cut(fav_long["year"].astype(int), bins=[1999, 2000, 2008, 2016, 2020],
               labels=["Bill Clinton", "George W. Bush", "Barack Obama", "Donald Trump"])
admin_means = (
    fav_long.assign(president=terms)
    .groupby(["country", "president"], observed=False)["favourable"].mean()
    .unstack("president")
)
""",
    "q9_asia_change": """
asia = admin_means.loc[["Japan"] + list(asean_in_pew)]
asia_change = (asia["Donald Trump"] - asia["Barack Obama"]).astype(float).sort_values()
""",
    "q10_japan_rank": """
in_2017 = fav_long[fav_long["year"] == 2017].set_index("country")["favourable"]
japan_rank_2017 = int((in_2017 > in_2017["Japan"]).sum()) + 1
""",
    "q11_indonesia_gap": """
indonesia = pew.set_index("year")["Indonesia"].dropna()
indonesia_pew_year = int(indonesia.index[-1])
quoted = article.set_index("figure").loc["US favorability rating in Indonesia", "value"]
article_minus_pew_indonesia = quoted - indonesia.iloc[-1]
""",
    "q12_explore_low": """
indonesia_low_year = int(pew.loc[pew["Indonesia"].astype(float).idxmin(), "year"])
""",
}
