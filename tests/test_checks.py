import pandas as pd
import pytest

from course import checks


def test_answered_distinguishes_not_attempted():
    with pytest.raises(checks.CheckFailed, match="does not exist yet"):
        checks.answered("top", {})
    assert checks.answered("top", {"top": 3}) == 3


def test_expect_frame_names_missing_columns_and_row_count():
    frame = pd.DataFrame({"a": [1, 2, 3]})
    with pytest.raises(checks.CheckFailed, match=r"missing the column\(s\) `b`"):
        checks.expect_frame(frame, "df", columns=["a", "b"])
    with pytest.raises(checks.CheckFailed, match="should have 5 rows; yours has 3"):
        checks.expect_frame(frame, "df", n_rows=5)
    with pytest.raises(checks.CheckFailed, match="should be a pandas DataFrame; yours is a list"):
        checks.expect_frame([1], "df")
    checks.expect_frame(frame, "df", columns=["a"], n_rows=3)


def test_expect_series_explains_one_column_frames():
    with pytest.raises(checks.CheckFailed, match="single brackets"):
        checks.expect_series(pd.DataFrame({"a": [1]}), "s")
    with pytest.raises(checks.CheckFailed, match="should hold numbers"):
        checks.expect_series(pd.Series(["x"]), "s", numeric=True)
    checks.expect_series(pd.Series([1.0, 2.0]), "s", numeric=True, n_rows=2)


def test_expect_number_rejects_series_nan_and_out_of_range_without_revealing():
    with pytest.raises(checks.CheckFailed, match=r"\.item\(\)"):
        checks.expect_number(pd.Series([4.0]), "x")
    with pytest.raises(checks.CheckFailed, match="NaN"):
        checks.expect_number(float("nan"), "x")
    with pytest.raises(checks.CheckFailed, match="above the plausible range"):
        checks.expect_number(120, "share", low=0, high=100)
    with pytest.raises(checks.CheckFailed, match="should be a number"):
        checks.expect_number("12", "x")
    with pytest.raises(checks.CheckFailed):
        checks.expect_number(True, "x")
    checks.expect_number(pd.Series([4.0]).iloc[0], "x", low=0)


def test_expect_integer_and_choice_and_text():
    with pytest.raises(checks.CheckFailed, match="whole number"):
        checks.expect_integer(2.5, "n")
    checks.expect_integer(2.0, "n")
    with pytest.raises(checks.CheckFailed, match="one of"):
        checks.expect_choice("c", "pick", ["a", "b"])
    with pytest.raises(checks.CheckFailed, match="empty"):
        checks.expect_text("  ", "t")


def test_expect_date_and_sorted_and_missing():
    checks.expect_date("2020-11-07", "d", low="2020-01-22", high="2022-04-16")
    with pytest.raises(checks.CheckFailed, match="before"):
        checks.expect_date("2019-12-31", "d", low="2020-01-22")
    with pytest.raises(checks.CheckFailed, match="single date"):
        checks.expect_date(pd.Series(pd.to_datetime(["2020-01-01"])), "d")
    with pytest.raises(checks.CheckFailed, match="largest to smallest"):
        checks.expect_sorted(pd.DataFrame({"v": [1, 2]}), "df", by="v", ascending=False)
    with pytest.raises(checks.CheckFailed, match="1 missing"):
        checks.expect_no_missing(pd.Series([1, None]), "s")


def test_same_values_accepts_valid_variants_and_rejects_wrong_ones():
    assert checks.same_values(pd.Series([1, 2], index=[5, 9]), [1.0, 2.0])
    assert checks.same_values([2, 1], [1, 2], ordered=False)
    assert not checks.same_values([2, 1], [1, 2])
    assert not checks.same_values([1, 2, 3], [1, 2])
    assert checks.same_values(pd.Series(["a", "b"]), ["a", "b"])
    assert checks.same_values(pd.to_datetime(pd.Series(["2020-11-07"])), [pd.Timestamp("2020-11-07")])
    assert checks.close(0.1 + 0.2, 0.3)
    assert not checks.close("x", 1.0)


def test_column_checks_fail_in_plain_words():
    frame = pd.DataFrame({"Date": ["2001.1", "2001.1"], "Exports": ["1,0", "2"]})
    with pytest.raises(checks.CheckFailed, match="should hold dates"):
        checks.expect_date_column(frame, "korea_trade", "Date")
    with pytest.raises(checks.CheckFailed, match="use .reset_index"):
        checks.expect_date_column(frame.set_index("Date"), "korea_trade", "Date")
    with pytest.raises(checks.CheckFailed, match="should hold numbers"):
        checks.expect_number_columns(frame, "korea_trade", ["Exports"])
    with pytest.raises(checks.CheckFailed, match="repeats 1 month"):
        checks.expect_unique(frame, "korea_trade", "Date", what="month")
    with pytest.raises(checks.CheckFailed, match="should be a pandas DataFrame"):
        checks.expect_number_columns([1, 2], "korea_trade", ["Exports"])
    fixed = frame.assign(Date=pd.to_datetime(["2001-01-01", "2001-02-01"]), Exports=[1.0, 2.0])
    checks.expect_date_column(fixed, "korea_trade", "Date")
    checks.expect_number_columns(fixed, "korea_trade", ["Exports"])
    checks.expect_unique(fixed, "korea_trade", "Date", what="month")


def test_expect_labels_looks_in_the_index_or_a_column():
    with pytest.raises(checks.CheckFailed, match="missing: 'Japan'"):
        checks.expect_labels(pd.Series([1], index=["Korea"]), "s", ["Japan"])
    with pytest.raises(checks.CheckFailed, match="column `country`"):
        checks.expect_labels(pd.DataFrame({"country": ["Korea"]}), "f", ["Japan"], where="country")
    checks.expect_labels(pd.DataFrame({"country": ["Japan", "Korea"]}), "f", ["Japan"], where="country")
    checks.expect_labels(pd.Series([1, 2], index=["Japan", "Korea"]), "s", ["Japan", "Korea"])


def test_policy_comparators_accept_other_forms_and_reject_wrong_values():
    import pandas as pd

    from course import checks

    assert checks.matches_number(83.3, 83.3333, decimals=1) and not checks.matches_number(83.0, 83.3333, decimals=1)
    assert not checks.matches_number("83.3", 83.3333, decimals=1)  # text is not a number
    expected = pd.DataFrame({"year": [2016, 2017], "value": [1.5, 2.5]})
    # rows in another order, the key in the index, the key written as text: all the same table
    assert checks.matches_frame(expected.iloc[::-1].set_index("year"), expected, keys=["year"])
    assert checks.matches_frame(expected.assign(year=["2016", "2017"]), expected, keys=["year"])
    assert not checks.matches_frame(expected.assign(value=[1.5, 2.6]), expected, keys=["year"], decimals=1)
    assert not checks.matches_frame(expected.iloc[:1], expected, keys=["year"])  # a row left out
    assert checks.matches_series({"Japan": 1.04, "Korea": 2.0}, pd.Series({"Korea": 2.0, "Japan": 1.0449}), decimals=1)
    assert not checks.matches_series(pd.Series({"Japan": 1.0}), {"Japan": 1.0, "Korea": 2.0})
    # mixed types and missing values never crash a comparison
    assert not checks.matches_frame(pd.DataFrame({"year": [None, "x"], "value": ["a", None]}), expected, keys=["year"])


def test_wrong_answer_renders_one_line_without_the_expected_value():
    from course import checks

    try:
        checks.assert_number(12.0, 242.650771, name="growth", decimals=1)
    except checks.WrongAnswer as error:
        lines = error._render_traceback_()
    assert len(lines) == 1 and "242" not in lines[0] and "growth" in lines[0]
