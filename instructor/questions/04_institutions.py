"""Question contract for 04_institutions: each autograded question, its comparator and the answers that test it.

Instructor material (never released). See course/contract.py for the fields.
"""

from course.contract import Mistake, Question

QUESTIONS = [
    Question(
        answer="q1_attendance_rate",
        points=1,
        compare="assert_series",
        alternatives=(
            """
attendance_rate = pd.crosstab(eas["us_president"], eas["president_attended_eas_plenary"], normalize="index")[True] * 100
""",
            """
# rounded to the one decimal the question checks
attendance_rate = eas.groupby("us_president")["president_attended_eas_plenary"].apply(lambda s: round(100 * s.sum() / len(s), 1))
""",
        ),
        wrong=(
            Mistake("counts the summits attended instead of the percentage attended", """
attendance_rate = eas.groupby("us_president")["president_attended_eas_plenary"].sum()
""", message="You counted the summits attended; the question asks for the *percentage* of each president's summits."),
            Mistake("divides by all ten summits instead of the summits in each president's years", """
attendance_rate = eas.groupby("us_president")["president_attended_eas_plenary"].sum() / len(eas) * 100
""", message="Divide by the summits in each president's own years, not by all the summits in the table."),
            Mistake('gives a share between 0 and 1 instead of a percentage', """
attendance_rate = eas.groupby("us_president")["president_attended_eas_plenary"].mean()
""", message='Your values look like shares between 0 and 1: the question asks for a percentage (× 100).'),
        ),
        shortcuts=(
            """
# types whole-number percentages instead of computing them (coarser than one decimal)
attendance_rate = pd.Series({"Barack Obama": 83, "Donald Trump": 0})
""",
        ),
        hints=(
            '`True` counts as 1 and `False` as 0, so the mean of a True/False column is a share.',
            'Group by `us_president`, take the mean of `president_attended_eas_plenary` and multiply by 100.',
        )
    ),
    Question(
        answer="q2_trump_absences",
        points=1,
        compare="assert_number",
        alternatives=(
            """
trump_attendance = eas.loc[eas["us_president"].eq("Donald Trump"), "president_attended_eas_plenary"]
trump_absences = int(trump_attendance.value_counts()[False])
""",
            """
trump_rows = eas.query("us_president == 'Donald Trump'")
trump_absences = float(len(trump_rows) - trump_rows["president_attended_eas_plenary"].sum())
""",
        ),
        wrong=(
            Mistake("counts every absence in the table, including Obama's in 2013", """
trump_absences = int((~eas["president_attended_eas_plenary"]).sum())
""", message="Count only the rows of Trump's years."),
            Mistake("counts the years someone was sent instead (the 2020 row names no representative)", """
trump_absences = int(eas.loc[eas["us_president"] == "Donald Trump", "us_representative"].notna().sum())
""", message='Count the plenaries the president missed (`president_attended_eas_plenary` is False), not the rows that name someone sent.'),
            Mistake('counts the summits Trump attended instead of those he missed', """
trump_absences = int(eas.loc[eas["us_president"] == "Donald Trump", "president_attended_eas_plenary"].sum())
""", message='You counted the summits he attended; the question asks for the ones he missed.'),
        ),
        shortcuts=(
            """
# takes the article's count instead of counting the table
trump_absences = int(article.loc[article["figure"].str.contains("East Asia Summit"), "value"].iloc[0])
""",
        ),
        hints=(
            "Keep Trump's rows first.",
            'Within those rows, count the False values of `president_attended_eas_plenary` (`~` turns them into True, and `sum` counts them).',
        )
    ),
    Question(
        answer="q3_disputed_year",
        points=1,
        compare="assert_number",
        alternatives=(
            """
notes = eas.set_index("year")["note"].dropna()
disputed_year = int(notes[notes.str.contains("plenary")].index[0])
""",
            """
disputed_year = int(eas[eas["note"].fillna("").str.contains("left before")]["year"].item())
""",
        ),
        wrong=(
            Mistake("takes the year the article talks about (2020) instead of the one that explains the gap", """
disputed_year = int(eas.loc[eas["note"].str.contains("third", na=False), "year"].iloc[0])
""", message='That is the year the article talks about: find the row whose `note` says the president left before the plenary.'),
            Mistake("searches for 'attend' and takes the first match (a note from 2011)", """
disputed_year = int(eas.loc[eas["note"].str.contains("attend", na=False), "year"].iloc[0])
""", message="Your search also matches another note: search for words that only the 'left before the plenary' note has."),
            Mistake("takes the row's index label instead of its year", """
disputed_year = int(eas[eas["note"].str.contains("left before", na=False)].index[0])
""", message="That is the row's label in the table's index, not its year: take the `year` column of that row."),
        ),
        shortcuts=(
            """
# guesses from the representatives column instead of reading the notes
disputed_year = int(eas.loc[eas["us_representative"].notna(), "year"].max())
""",
        ),
        hints=(
            'The `note` column explains the unusual rows; some notes are missing.',
            "Use `eas['note'].str.contains('...', na=False)` to find the row, then take its `year`.",
        )
    ),
    Question(
        answer="q4_article_rule",
        points=1,
        compare="assert_number",
        upstream=("q3_disputed_year",),
        alternatives=(
            """
recount = eas.copy()
recount.loc[recount["year"] == disputed_year, "president_attended_eas_plenary"] = True
trump = recount[recount["us_president"] == "Donald Trump"]
absences_article_rule = len(trump) - int(trump["president_attended_eas_plenary"].sum())
""",
            """
missed = eas.query("us_president == 'Donald Trump' and not president_attended_eas_plenary")["year"]
absences_article_rule = int((missed != disputed_year).sum())
""",
        ),
        wrong=(
            Mistake("drops the disputed year but forgets to keep only Trump's rows (Obama's 2013 creeps back in)", """
absences_article_rule = int(((~eas["president_attended_eas_plenary"]) & (eas["year"] != disputed_year)).sum())
""", message="Keep only Trump's rows: another president's absence crept back into your count."),
            Mistake("joins the conditions with | instead of &", """
article_rule = ((eas["us_president"] == "Donald Trump") & (~eas["president_attended_eas_plenary"])) | (eas["year"] != disputed_year)
absences_article_rule = int(article_rule.sum())
""", message='All three conditions must hold at once: join them with `&`, not `|`.'),
            Mistake('keeps only the disputed year (==) instead of leaving it out (!=)', """
only_disputed = (
    (eas["us_president"] == "Donald Trump")
    & (~eas["president_attended_eas_plenary"])
    & (eas["year"] == disputed_year)
)
absences_article_rule = int(only_disputed.sum())
""", message='Check your condition on the year: leave the disputed year *out* of the count (`!=`) instead of counting only that year.'),
        ),
        shortcuts=(
            """
# counts the rows whose note mentions the article instead of recounting
absences_article_rule = int(eas["note"].str.contains("article", na=False).sum())
""",
        ),
        hints=(
            'Count as in Question 2, with one more condition on the year.',
            "Combine three conditions with `&`: Trump's rows, not attended, and `year != disputed_year`; then `sum()`.",
        )
    ),
    Question(
        answer="q5_fav_long",
        points=2,
        compare="assert_frame",
        alternatives=(
            """
fav_long = (
    pew.drop(columns="avg").set_index("year").rename_axis(columns="country")
    .stack().dropna().rename("favourable").reset_index()
)
""",
            """
# another column order, float values, sorted by country
fav_long = (pew.melt(id_vars=["year", "avg"], var_name="country", value_name="favourable")
            .drop(columns="avg").dropna()[["country", "favourable", "year"]]
            .astype({"favourable": float}).sort_values(["country", "year"]))
""",
        ),
        wrong=(
            Mistake("melts everything, so FiveThirtyEight's `avg` becomes a \"country\"", """
fav_long = pew.melt(id_vars="year", var_name="country", value_name="favourable").dropna(subset=["favourable"])
""", message="`avg` is FiveThirtyEight's average, not a country: drop it before melting."),
            Mistake("keeps avg as an id column, so fav_long has a fourth column the question did not ask for", """
fav_long = pew.melt(id_vars=["year", "avg"], var_name="country", value_name="favourable").dropna(subset=["favourable"])
""", message='`fav_long` should have exactly the columns `year`, `country` and `favourable`: leave `avg` out.'),
            Mistake('forgets to drop the rows with no value', """
fav_long = pew.drop(columns="avg").melt(id_vars="year", var_name="country", value_name="favourable")
""", message='Leave out the rows with no value (`dropna`).'),
        ),
        shortcuts=(
            """
# calls the course's old private reshaping helper (removed: nothing a student imports builds fav_long)
fav_long = institutions._to_long(pew)
""",
        ),
        hints=(
            'A long table has one row per country and year. Which pandas method turns columns into rows?',
            "Drop `avg`, `melt` with `id_vars='year'`, `var_name='country'` and `value_name='favourable'`, then `dropna`.",
        )
    ),
    Question(
        answer="q6_asean_in_pew",
        points=1,
        compare="assert_values",
        alternatives=(
            """
asean_in_pew = pew.columns.intersection(pd.Index(eas["host_country"].unique())).sort_values().tolist()
""",
            """
asean_in_pew = list(pd.Series(eas["host_country"].unique()).loc[lambda s: s.isin(pew.columns)].sort_values())
""",
        ),
        wrong=(
            Mistake("works on eas.head() (the first five summits) and misses the later hosts", """
asean_in_pew = sorted(country for country in eas["host_country"].head() if country in pew.columns)
""", message="Use every summit's host (the whole column), not only the first rows."),
            Mistake("confuses ASEAN with \"Asia-Pacific countries in the table\"", """
asean_in_pew = sorted(c for c in ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
                      if c in pew.columns)
""", message="ASEAN's members are the summit hosts in `eas['host_country']`, not every Asia-Pacific country in the table."),
            Mistake('lists every host, also those without a column in pew', """
asean_in_pew = sorted(eas["host_country"].unique())
""", message='Keep only the members that have a column in `pew`.'),
        ),
        shortcuts=(
            """
# copies the Asian columns printed under the Pew table instead of matching ASEAN's members
asean_in_pew = ["Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
""",
        ),
        hints=(
            'The ten summit hosts of 2011-2020 are the ten ASEAN members.',
            "Go through `eas['host_country']`, keep the names that are columns of `pew`, and sort the result.",
        )
    ),
    Question(
        answer="q7_asean_coverage",
        points=2,
        compare="assert_series",
        upstream=("q5_fav_long",),
        alternatives=(
            """
members = [c for c in pew.columns if c in set(eas["host_country"])]
surveyed = pew.set_index("year")[members].notna().sum(axis=1)
asean_coverage = surveyed[surveyed > 0]
""",
            """
asean_coverage = fav_long[fav_long["country"].isin(set(eas["host_country"]))]["year"].value_counts()
""",
        ),
        wrong=(
            Mistake("counts Asia-Pacific countries surveyed (Japan, South Korea, India, Australia too), not ASEAN members", """
asia_pacific = ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
asean_coverage = fav_long[fav_long["country"].isin(asia_pacific)].groupby("year").size()
""", message='Count only the ASEAN members (the summit hosts), not every Asia-Pacific country.'),
            Mistake("keeps the years with no ASEAN member (a count of 0)", """
members = [c for c in pew.columns if c in set(eas["host_country"])]
asean_coverage = pew.set_index("year")[members].notna().sum(axis=1)
""", message='Keep only the years with at least one member.'),
            Mistake('groups by country instead of by year', """
asean_coverage = fav_long[fav_long["country"].isin(eas["host_country"])].groupby("country").size()
""", message='Your counts are per country; the question asks, for each year, how many members have a value (group by year).'),
        ),
        shortcuts=(
            """
# counts the attendance table's rows per year instead of the survey's members
asean_coverage = eas.groupby("year").size()
""",
        ),
        hints=(
            'Having a value in a year means having a row in `fav_long` for that year.',
            "Keep the rows of `fav_long` whose country is an ASEAN member, then count the rows per year with `groupby('year').size()`.",
        )
    ),
    Question(
        answer="q8_admin_means",
        points=2,
        compare="assert_frame",
        upstream=("q5_fav_long",),
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
            """
president_of = dict(zip(presidents["year"].astype(int), presidents["president"]))
admin_means = (fav_long.assign(president=fav_long["year"].astype(int).map(president_of))
               .groupby(["country", "president"])["favourable"].mean().round(1).unstack())
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
""", message='Check which years belong to each president: a term starts the year after the election.'),
            Mistake("takes the median instead of the mean", """
with_president = fav_long.merge(presidents, on="year", how="left")
admin_means = with_president.pivot_table(index="country", columns="president", values="favourable", aggfunc="median")
""", message='Take the mean, not the median.'),
            Mistake('pivots the wrong way round: presidents as rows, countries as columns', """
with_president = fav_long.merge(presidents, on="year", how="left")
admin_means = with_president.pivot_table(index="president", columns="country", values="favourable", aggfunc="mean")
""", message='Your table is the wrong way round: one row per country and one column per president.'),
        ),
        shortcuts=(
            """
# reads one year per president (2000, 2008, 2016, 2017) off the wide table instead of averaging
one_year = pew.drop(columns="avg").set_index("year").loc[[2000, 2008, 2016, 2017]].T
one_year.columns = ["Bill Clinton", "George W. Bush", "Barack Obama", "Donald Trump"]
admin_means = one_year.rename_axis("country")
""",
        ),
        hints=(
            'Each year belongs to one president: bring that information into `fav_long` first.',
            "`merge` `fav_long` with `presidents` on `year`, then `pivot_table(index='country', columns='president', values='favourable', aggfunc='mean')`.",
        )
    ),
    Question(
        answer="q9_asia_change",
        points=1,
        compare="assert_series",
        upstream=("q6_asean_in_pew",),
        alternatives=(
            """
asia = admin_means.loc[["Japan"] + list(asean_in_pew)]
asia_change = (asia["Donald Trump"] - asia["Barack Obama"]).astype(float).sort_values()
""",
            """
wide = pew.set_index("year")
asia_change = pd.Series({c: float(wide.loc[2017, c]) - wide.loc[2009:2016, c].astype(float).mean()
                         for c in ["Japan"] + list(asean_in_pew)}).round(1).sort_values()
""",
        ),
        wrong=(
            Mistake("the \"Obama\" mean also includes 2017, Trump's first year", """
wide = pew.set_index("year")[["Japan"] + list(asean_in_pew)].astype(float)
asia_change = (wide.loc[2017] - wide.loc[2009:2017].mean()).sort_values()
""", message='The Obama years are 2009 to 2016: leave 2017 out of the mean.'),
            Mistake("compares 2017 with 2015 (the last year with values for all of them) instead of the Obama-years mean", """
wide = pew.set_index("year")[["Japan"] + list(asean_in_pew)].astype(float)
asia_change = (wide.loc[2017] - wide.loc[2015]).sort_values()
""", message='Compare 2017 with the mean of the Obama years, not with a single year.'),
            Mistake('sorts from the largest rise to the largest fall', """
by_year = pew.set_index("year")[["Japan"] + list(asean_in_pew)].astype(float)
asia_change = (by_year.loc[2017] - by_year.loc[2009:2016].mean()).sort_values(ascending=False)
""", message='Check the order: from the largest fall to the largest rise.'),
        ),
        shortcuts=(
            """
# subtracts FiveThirtyEight's Obama-years average (all countries) instead of each country's own mean
wide = pew.set_index("year")
asia_change = (wide.loc[2017, ["Japan"] + list(asean_in_pew)].astype(float) - wide.loc[2009:2016, "avg"].mean()).sort_values()
""",
        ),
        hints=(
            'For each country you need two numbers: its 2017 value and its mean over 2009-2016.',
            'Index `pew` by year, keep Japan and the members in `asean_in_pew`, subtract the 2009-2016 mean from the 2017 row, then sort from the largest fall.',
        )
    ),
    Question(
        answer="q10_japan_rank",
        points=1,
        compare="assert_number",
        alternatives=(
            """
in_2017 = fav_long[fav_long["year"] == 2017].set_index("country")["favourable"]
japan_rank_2017 = int((in_2017 > in_2017["Japan"]).sum()) + 1
""",
            """
ranked = fav_long[fav_long["year"] == 2017].assign(r=lambda d: d["favourable"].rank(ascending=False, method="min"))
japan_rank_2017 = float(ranked.set_index("country").loc["Japan", "r"])
""",
        ),
        wrong=(
            Mistake("ranks from the least favourable (ascending=True is rank()'s default)", """
in_2017 = pew.loc[pew["year"] == 2017].drop(columns=["year", "avg"]).iloc[0].astype(float)
japan_rank_2017 = int(in_2017.rank(method="min")["Japan"])
""", message='`rank()` ranks from the smallest value by default: 1 should be the most favourable (`ascending=False`).'),
            Mistake("gives a tie the worse rank (method='max'): Tanzania ties Japan", """
in_2017 = pew.loc[pew["year"] == 2017].drop(columns=["year", "avg"]).iloc[0].astype(float)
japan_rank_2017 = int(in_2017.rank(ascending=False, method="max")["Japan"])
""", message="Countries with equal values share the *better* rank (`method='min'`)."),
            Mistake("ranks every country-year of the table instead of the countries in 2017", """
ranked = fav_long.assign(rank=fav_long["favourable"].rank(ascending=False, method="min"))
japan_rank_2017 = int(ranked.loc[(ranked["country"] == "Japan") & (ranked["year"] == 2017), "rank"].iloc[0])
""", message="Rank the countries within 2017 only: you ranked every country and year of the table together."),
        ),
        shortcuts=(
            """
# reads Japan's place in the table's column order instead of ranking
japan_rank_2017 = list(pew.columns).index("Japan")
""",
        ),
        hints=(
            'Take the 2017 row of `pew`, without `year` and `avg`.',
            "Use `rank(ascending=False, method='min')` on that row and read Japan's rank.",
        )
    ),
    Question(
        answer="q11_indonesia_gap",
        points=2,
        compare="assert_number",
        alternatives=(
            """
indonesia = pew.set_index("year")["Indonesia"].dropna()
indonesia_pew_year = int(indonesia.index[-1])
quoted = article.set_index("figure").loc["US favorability rating in Indonesia", "value"]
article_minus_pew_indonesia = quoted - indonesia.iloc[-1]
""",
            """
indonesia = fav_long[fav_long["country"] == "Indonesia"].sort_values("year")
indonesia_pew_year = indonesia["year"].max()
in_article = article[article["figure"].str.contains("Indonesia") & (article["unit"] == "percent")]
article_minus_pew_indonesia = round(float(in_article["value"].item()) - float(indonesia["favourable"].iloc[-1]))
""",
        ),
        wrong=(
            Mistake("takes the FIRST survey of Indonesia in the file instead of the nearest (latest) one", """
indonesia = pew.set_index("year")["Indonesia"].dropna()
indonesia_pew_year = int(indonesia.index.min())
article_minus_pew_indonesia = 42 - float(indonesia.loc[indonesia_pew_year])
""", message="Use Pew's *latest* survey of Indonesia, the one nearest the article's time."),
            Mistake("filters the article table too loosely and takes the 84% row (Japan's reliability)", """
indonesia = pew.set_index("year")["Indonesia"].dropna()
indonesia_pew_year = int(indonesia.index.max())
percent_rows = article[(article["notebook_topic"] == "institutions") & (article["unit"] == "percent")]
article_minus_pew_indonesia = float(percent_rows["value"].iloc[0] - indonesia.iloc[-1])
""", message="That article row is about Japan's reliability: pick the row about the United States in Indonesia."),
            Mistake("averages all of Pew's Indonesia surveys instead of taking the latest one", """
indonesia = pew.loc[pew["Indonesia"].notna(), ["year", "Indonesia"]]
indonesia_pew_year = int(indonesia["year"].max())
pew_value = indonesia["Indonesia"].mean()
indonesia_figure = article["figure"].str.contains("Indonesia") & (article["unit"] == "percent")
article_value = article.loc[indonesia_figure, "value"].iloc[0]
article_minus_pew_indonesia = float(article_value - pew_value)
""", message="Compare with one survey, the latest: you averaged all of Indonesia's surveys."),
        ),
        shortcuts=(
            """
# compares with FiveThirtyEight's 2017 average instead of Indonesia's value
indonesia_pew_year = 2017
article_minus_pew_indonesia = 42 - float(pew.loc[pew["year"] == 2017, "avg"].iloc[0])
""",
        ),
        hints=(
            "Find the years in which Pew has a value for Indonesia, and the article's row about Indonesia.",
            "The latest year is the `max` of the years with a value; subtract Pew's value in that year from the article's percent figure for Indonesia.",
        )
    ),
    Question(
        answer="q12_explore_low",
        points=1,
        compare="assert_values",
        alternatives=(
            """
lowest_in_2017 = ["Philippines", "India"]
""",
            """
# another spelling case and a tuple
lowest_in_2017 = ("india", "philippines ")
""",
        ),
        wrong=(
            Mistake("misses India (reads only the ASEAN members and Japan)", """
lowest_in_2017 = ["Philippines"]
""", message='Check every one of the seven countries, India too.'),
            Mistake("lists the countries whose 2017 value is below their Obama-years mean, not their lowest", """
seven = ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
wide = pew.set_index("year")[seven].astype(float)
lowest_in_2017 = [c for c in seven if wide.loc[2017, c] < wide.loc[2009:2016, c].mean()]
""", message="The question asks where 2017 is a country's *lowest* value, not where it is below the Obama-years mean."),
            Mistake('lists the countries whose 2017 value is their highest instead of their lowest', """
asia_pacific = ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
by_country = pew.set_index("year")[asia_pacific].astype(float)
lowest_in_2017 = [c for c in asia_pacific if by_country[c].idxmax() == 2017]
""", message='You listed the countries whose 2017 value is their *highest*; the question asks for the lowest.'),
        ),
        shortcuts=(
            """
# every country in the file whose low is 2017, not the seven asked about
wide = pew.drop(columns="avg").set_index("year").astype(float)
lowest_in_2017 = [c for c in wide.columns if wide[c].idxmin() == 2017]
""",
        ),
        hints=(
            'For each of the seven countries, find its lowest marker and check whether it is in 2017.',
            'In code: index `pew` by year and, for each country, check whether `idxmin()` of its column is 2017.',
        )
    ),
]
