"""Numbers notebook 0 (00_alliance) states in its prose and model answers, recomputed from data/.

Notebook 0 has no topic module; these tests keep its text true when the data change (issue 16).
"""

from __future__ import annotations

import pandas as pd

from course import checks, data


def _troops() -> pd.DataFrame:
    return data._parse("us_troops_by_host_country")


def _by_year(host: str) -> pd.DataFrame:
    troops = _troops()
    return troops[troops["countryname"] == host].set_index("year")


SERVICES = ["army_ad", "navy_ad", "air_force_ad", "marine_corps_ad"]


def test_2003_2004_miss_the_service_breakdown_for_every_host_not_the_totals():
    troops = _troops()
    hosts = troops[troops["year"].isin([2003, 2004]) & (troops["troops_ad"] > 0)]
    assert {"Japan", "South Korea", "Guam"} <= set(hosts["countryname"])
    assert (hosts[SERVICES] == 0).all().all()
    japan, korea = _by_year("Japan")["troops_ad"], _by_year("South Korea")["troops_ad"]
    assert japan.loc[2002:2005].tolist() == [41848, 40519, 36365, 37271]
    assert korea.loc[2002:2005].tolist() == [37743, 41145, 40840, 31283]
    # the crossing is narrow: about 600 troops in 2003
    assert 600 <= korea.loc[2003] - japan.loc[2003] <= 650


def test_the_real_artefacts_the_written_response_names():
    japan = _by_year("Japan")
    assert japan.loc[2008, "troops_ad"] == 79296 and japan.loc[2015, "troops_ad"] == 71652
    assert 45000 <= japan.loc[2009, "troops_ad"] <= 50000 and 45000 <= japan.loc[2016, "troops_ad"] <= 50000
    assert (japan.loc[2008, "navy_ad"], japan.loc[2009, "navy_ad"]) == (4345, 41)
    assert _by_year("South Korea").loc[2008, "troops_ad"] == 50975


def test_guam_is_in_the_2020_denominator_and_the_share_checked_to_three_decimals():
    in_2020 = _troops().query("year == 2020").set_index("countryname")["troops_ad"]
    assert "Guam" in in_2020.index and in_2020.sum() == 151056
    share = 100 * in_2020["Japan"] / in_2020.sum()
    assert checks.matches_number(round(share, 3), share, decimals=3)
    # "leaving out even the smallest host, Brunei, shows": the question's precision catches that mistake
    assert in_2020.idxmin() == "Brunei"
    without_brunei = 100 * in_2020["Japan"] / (in_2020.sum() - in_2020["Brunei"])
    assert not checks.matches_number(without_brunei, share, decimals=3)


def test_japans_fall_among_all_countries_and_among_the_treaty_allies():
    wide = data._parse("pew_confidence_us_president").drop(columns="avg").set_index("year")
    change = (wide.loc[2017] - wide.loc[2016]).dropna().astype(float).sort_values()
    assert len(change) == 17 and int((change < change["Japan"]).sum()) + 1 == 9
    assert (change["Australia"], change["Japan"], change["Italy"]) == (-55, -54, -43)
    not_allies = ["Sweden", "India", "Kenya", "Nigeria", "South Africa"]
    allies = change.drop(index=not_allies)
    assert len(allies) == 12 and int((allies < allies["Japan"]).sum()) + 1 == 8
    assert "South Korea" not in change.index


def test_the_article_figures_notebook_zero_quotes():
    article = data._parse("article_figures").set_index("unit")["value"]
    assert article["billion US dollars"] == 8 and article["times (more than)"] == 4
    # "more than four times the current amount": the current amount is under 8 / 4 = 2 billion
    assert article["billion US dollars"] / article["times (more than)"] == 2
