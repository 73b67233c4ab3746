import pandas as pd
import pytest

from course import capstone

RATIOS = pd.Series({"A": 1.0, "B": 3.0, "C": 2.0})


def test_minmax_and_rank_scale():
    assert capstone.minmax(RATIOS).tolist() == [0.0, 1.0, 0.5]
    assert capstone.rank_scale(pd.Series({"A": 1.0, "B": 30.0, "C": 2.0})).tolist() == [0.0, 1.0, 0.5]
    assert capstone.minmax(pd.Series({"A": 2.0, "B": 2.0})).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="unknown scaling"):
        capstone.scale(RATIOS, "z-score")


def test_min_max_lets_an_outlier_squeeze_the_rest_but_rank_does_not():
    skewed = pd.Series({"A": 1.0, "B": 1.1, "C": 10.0})
    assert capstone.minmax(skewed)["B"] < 0.02
    assert capstone.rank_scale(skewed)["B"] == 0.5


def test_weighted_scores_and_top_priority():
    scaled = capstone.minmax(RATIOS)
    scores = capstone.weighted_scores(scaled, {"A": 3, "B": 1, "C": 3})
    assert scores.index.tolist() == ["C", "B", "A"]
    assert scores["C"] == 1.5
    assert capstone.top_priority(scaled, {"B": 0, "C": 1}) == "C"
    assert capstone.top_priority(scaled, {"B": 1, "C": 2}) is None  # 1.0 vs 1.0: a tie
    assert capstone.top_priority(scaled, {}) is None


def test_sensitivity_counts_every_nonzero_combination_once():
    shares = capstone.sensitivity(capstone.minmax(RATIOS), levels=(0, 1))
    # 2**3 - 1 = 7 combinations: B alone on top in {B}, {A,B}, {B,C}, {A,B,C}; C in {C}, {A,C}; {A} scores 0 -> tie
    assert shares["B"] == pytest.approx(4 / 7)
    assert shares["C"] == pytest.approx(2 / 7)
    assert shares["A"] == 0
    assert shares["tie"] == pytest.approx(1 / 7)
    assert shares.sum() == pytest.approx(1)
