"""Student-facing checks used in the public test cells of every notebook.

Each check raises :class:`CheckFailed` (an ``AssertionError``, so nbgrader scores the cell 0) with a
message in plain words that says what is wrong with the *shape* of an answer: its type, its columns,
its number of rows, its range. A check never prints the expected value itself: that is the job of
the hidden tests, which are stripped from the student version.

Typical test cell::

    from course import checks
    checks.answered("top_hosts", globals())
    checks.expect_frame(top_hosts, "top_hosts", columns=["countryname", "troops_ad"], n_rows=5)
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "CheckFailed",
    "answered",
    "expect_frame",
    "expect_series",
    "expect_number",
    "expect_integer",
    "expect_text",
    "expect_choice",
    "expect_date",
    "expect_sorted",
    "expect_no_missing",
    "expect_date_column",
    "expect_number_columns",
    "expect_unique",
    "expect_labels",
    "close",
    "same_values",
    "passed",
    "WrongAnswer",
    "GRADING_POLICY",
    "tolerance",
    "matches_number",
    "matches_values",
    "matches_series",
    "matches_frame",
    "matches_date",
    "matches_text",
    "assert_number",
    "assert_values",
    "assert_series",
    "assert_frame",
    "assert_date",
    "assert_text",
    "has_shape",
    "MistakeNamed",
    "canonical",
    "fingerprint",
    "diagnose",
    "naming_mistakes",
    "use_hints",
    "hint",
]


class CheckFailed(AssertionError):
    """A public check failed; the message tells the student what to fix.

    IPython shows an exception that has ``_render_traceback_`` by that method's lines alone, so the
    student sees one short message instead of a traceback through this module (in the notebook and
    in Validate). A real error in the student's own code keeps its full traceback.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"\u2718 {self}"]


class WrongAnswer(CheckFailed):
    """A hidden test found the answer's values wrong. Its message never holds an expected value."""


def _fail(message: str) -> None:
    raise CheckFailed(message)


def _kind(obj: Any) -> str:
    if isinstance(obj, pd.DataFrame):
        return "a pandas DataFrame"
    if isinstance(obj, pd.Series):
        return "a pandas Series"
    if obj is None:
        return "None (did your cell end with a print() or an assignment to another name?)"
    return f"a {type(obj).__name__}"


def answered(name: str, namespace: Mapping[str, Any]) -> Any:
    """Fail with "not answered yet" when the student has not created ``name``.

    Distinguishes "not attempted" from "wrong": a missing variable means the answer cell still
    raises NotImplementedError or was never run.
    """
    if name not in namespace:
        _fail(
            f"`{name}` does not exist yet. Write your answer in the cell above "
            f"(replace `raise NotImplementedError()`), run it, then run this check again."
        )
    return namespace[name]


def expect_frame(
    obj: Any,
    name: str,
    *,
    columns: Iterable[str] | None = None,
    n_rows: int | None = None,
    min_rows: int | None = None,
    max_rows: int | None = None,
    index_name: str | None = None,
) -> None:
    """Check that ``obj`` is a DataFrame with the given columns (any order) and number of rows."""
    if not isinstance(obj, pd.DataFrame):
        _fail(f"`{name}` should be a pandas DataFrame; yours is {_kind(obj)}.")
    if columns is not None:
        wanted = list(columns)
        missing = [c for c in wanted if c not in obj.columns]
        if missing:
            have = ", ".join(f"`{c}`" for c in obj.columns[:12])
            _fail(
                f"`{name}` is missing the column(s) {', '.join(f'`{c}`' for c in missing)}. "
                f"Its columns are: {have or 'none'}. (If a name became the index, use .reset_index().)"
            )
    _check_rows(obj, name, n_rows, min_rows, max_rows)
    if index_name is not None and obj.index.name != index_name:
        _fail(f"`{name}` should be indexed by `{index_name}`; its index is named `{obj.index.name}`.")


def expect_series(
    obj: Any,
    name: str,
    *,
    n_rows: int | None = None,
    min_rows: int | None = None,
    max_rows: int | None = None,
    index_name: str | None = None,
    numeric: bool = False,
) -> None:
    """Check that ``obj`` is a Series of the given length (and numeric, if asked)."""
    if isinstance(obj, pd.DataFrame) and obj.shape[1] == 1:
        _fail(
            f"`{name}` should be a pandas Series; yours is a DataFrame with one column. "
            f"Select the column with df['column'] (single brackets) to get a Series."
        )
    if not isinstance(obj, pd.Series):
        _fail(f"`{name}` should be a pandas Series; yours is {_kind(obj)}.")
    _check_rows(obj, name, n_rows, min_rows, max_rows)
    if index_name is not None and obj.index.name != index_name:
        _fail(f"`{name}` should be indexed by `{index_name}`; its index is named `{obj.index.name}`.")
    if numeric and not pd.api.types.is_numeric_dtype(obj.dtype):
        _fail(f"`{name}` should hold numbers; its values have type `{obj.dtype}`. Try pd.to_numeric().")


def _check_rows(obj, name, n_rows, min_rows, max_rows) -> None:
    rows = len(obj)
    if n_rows is not None and rows != n_rows:
        _fail(f"`{name}` should have {n_rows} rows; yours has {rows}.")
    if min_rows is not None and rows < min_rows:
        _fail(f"`{name}` should have at least {min_rows} rows; yours has {rows}.")
    if max_rows is not None and rows > max_rows:
        _fail(f"`{name}` should have at most {max_rows} rows; yours has {rows}.")


def _as_number(obj: Any, name: str) -> float:
    if isinstance(obj, (pd.Series, pd.DataFrame)):
        if obj.size == 1:
            _fail(
                f"`{name}` should be a single number, but it is {_kind(obj)} holding one value. "
                f"Take the value out with .item() or .iloc[0]."
            )
        _fail(f"`{name}` should be a single number; yours is {_kind(obj)} with {obj.size} values.")
    if isinstance(obj, bool) or not isinstance(obj, numbers.Real):
        _fail(f"`{name}` should be a number; yours is {_kind(obj)}.")
    value = float(obj)
    if math.isnan(value):
        _fail(f"`{name}` is NaN (missing). Check for missing values before your calculation.")
    return value


def expect_number(
    obj: Any, name: str, *, low: float | None = None, high: float | None = None, unit: str = ""
) -> None:
    """Check that ``obj`` is one real number, optionally inside a plausible range.

    The range must be wide enough not to give the answer away (it states plausibility, e.g. "a
    percentage is between 0 and 100").
    """
    value = _as_number(obj, name)
    unit_text = f" {unit}" if unit else ""
    if low is not None and value < low:
        _fail(f"`{name}` is {value:g}{unit_text}, below the plausible range (at least {low:g}{unit_text}).")
    if high is not None and value > high:
        _fail(f"`{name}` is {value:g}{unit_text}, above the plausible range (at most {high:g}{unit_text}).")


def expect_integer(obj: Any, name: str, *, low: int | None = None, high: int | None = None) -> None:
    """Check that ``obj`` is a whole number (a count or a year)."""
    value = _as_number(obj, name)
    if value != int(value):
        _fail(f"`{name}` should be a whole number; yours is {value:g}.")
    expect_number(obj, name, low=low, high=high)


def expect_text(obj: Any, name: str, *, min_length: int = 1) -> None:
    """Check that ``obj`` is a non-empty string."""
    if not isinstance(obj, str):
        _fail(f"`{name}` should be text (a string in quotes); yours is {_kind(obj)}.")
    if len(obj.strip()) < min_length:
        _fail(f"`{name}` is empty; write your answer between the quotes.")


def expect_choice(obj: Any, name: str, options: Iterable[Any]) -> None:
    """Check that ``obj`` is one of the allowed options (for multiple-choice answers)."""
    options = list(options)
    if obj not in options:
        listed = ", ".join(repr(o) for o in options)
        _fail(f"`{name}` should be one of {listed}; yours is {obj!r}.")


def expect_date(obj: Any, name: str, *, low: str | None = None, high: str | None = None) -> None:
    """Check that ``obj`` is one date (a pandas Timestamp or something pd.Timestamp accepts)."""
    if isinstance(obj, (pd.Series, pd.DataFrame, pd.Index)):
        _fail(f"`{name}` should be a single date; yours is {_kind(obj)}. Take one value with .iloc[0].")
    try:
        stamp = pd.Timestamp(obj)
    except (TypeError, ValueError):
        _fail(f"`{name}` should be a date such as pd.Timestamp('2020-01-31'); yours is {obj!r}.")
    if pd.isna(stamp):
        _fail(f"`{name}` is a missing date (NaT).")
    if low is not None and stamp < pd.Timestamp(low):
        _fail(f"`{name}` ({stamp.date()}) is before {low}, outside the data's range.")
    if high is not None and stamp > pd.Timestamp(high):
        _fail(f"`{name}` ({stamp.date()}) is after {high}, outside the data's range.")


def expect_sorted(obj: Any, name: str, *, by: str | None = None, ascending: bool = True) -> None:
    """Check that a Series (or a DataFrame column ``by``) is sorted."""
    values = obj[by] if by is not None else obj
    label = f"`{name}`" + (f" (column `{by}`)" if by else "")
    ok = values.is_monotonic_increasing if ascending else values.is_monotonic_decreasing
    if not ok:
        order = "smallest to largest" if ascending else "largest to smallest"
        _fail(f"{label} should be sorted from {order}.")


def expect_no_missing(obj: Any, name: str) -> None:
    """Check that a Series or DataFrame has no missing values."""
    count = int(pd.isna(obj).to_numpy().sum())
    if count:
        _fail(f"`{name}` still has {count} missing value(s); drop or fill them as the question asks.")


def _column(frame: Any, name: str, column: str) -> pd.Series:
    if not isinstance(frame, pd.DataFrame):
        _fail(f"`{name}` should be a pandas DataFrame; yours is {_kind(frame)}.")
    if column not in frame.columns:
        _fail(f"`{name}` has no column `{column}` (if it became the index, use .reset_index()).")
    return frame[column]


def expect_date_column(frame: Any, name: str, column: str) -> None:
    """Check that ``frame[column]`` holds dates (datetime64)."""
    values = _column(frame, name, column)
    if not pd.api.types.is_datetime64_any_dtype(values):
        _fail(
            f"`{name}['{column}']` should hold dates (datetime64); its type is `{values.dtype}`. "
            f"Convert it with pd.to_datetime(..., format=...)."
        )


def expect_number_columns(frame: Any, name: str, columns: Iterable[str]) -> None:
    """Check that every listed column of ``frame`` holds numbers."""
    for column in columns:
        values = _column(frame, name, column)
        if not pd.api.types.is_numeric_dtype(values):
            _fail(
                f"`{name}['{column}']` should hold numbers; its type is `{values.dtype}`. "
                f"Look at the raw file: is something (a separator, a marker) stopping pandas from reading numbers?"
            )


def expect_unique(frame: Any, name: str, column: str, *, what: str = "value") -> None:
    """Check that a column meant to identify rows (a date, a country) has no repeats."""
    repeats = int(_column(frame, name, column).duplicated().sum())
    if repeats:
        _fail(f"`{name}['{column}']` repeats {repeats} {what}(s); each {what} should appear once.")


def expect_labels(obj: Any, name: str, labels: Iterable[Any], *, where: str = "index") -> None:
    """Check that the index (or the column ``where``) of ``obj`` contains every label in ``labels``."""
    labels = list(labels)
    if not isinstance(obj, (pd.Series, pd.DataFrame)):
        _fail(f"`{name}` should be a pandas Series or DataFrame; yours is {_kind(obj)}.")
    if where == "index":
        have, place = set(map(str, obj.index)), "index"
    else:
        have, place = set(map(str, _column(obj, name, where))), f"column `{where}`"
    missing = [label for label in labels if str(label) not in have]
    if missing:
        _fail(
            f"The {place} of `{name}` should contain {', '.join(map(repr, labels))}; "
            f"missing: {', '.join(map(repr, missing))}."
        )


# --- helpers for hidden tests (comparisons that accept every valid pandas approach) -------------


def close(actual: Any, expected: float, *, rel: float = 1e-6, abs_tol: float = 1e-9) -> bool:
    """True when ``actual`` is one number equal to ``expected`` within tolerance."""
    try:
        value = float(actual)
    except (TypeError, ValueError):
        return False
    return math.isclose(value, expected, rel_tol=rel, abs_tol=abs_tol)


def same_values(actual: Any, expected: Iterable[Any], *, rel: float = 1e-6, ordered: bool = True) -> bool:
    """True when ``actual`` holds the same values as ``expected``, ignoring index, name and dtype.

    Lets a hidden test accept ``sort_values().head()`` and ``nlargest()`` alike, ints and floats
    alike, and a Series or a list alike.
    """
    try:
        got = list(pd.Series(actual).tolist()) if not isinstance(actual, list) else list(actual)
    except (TypeError, ValueError):
        return False
    want = list(expected)
    if len(got) != len(want):
        return False
    if not ordered:
        got, want = sorted(got, key=repr), sorted(want, key=repr)
    for g, w in zip(got, want):
        if isinstance(w, numbers.Real) and not isinstance(w, bool):
            if not close(g, float(w), rel=rel):
                return False
        elif isinstance(w, pd.Timestamp) or isinstance(g, pd.Timestamp):
            try:
                if pd.Timestamp(g) != pd.Timestamp(w):
                    return False
            except (TypeError, ValueError):
                return False
        elif g != w:
            return False
    return True


def passed(message: str = "Looks right so far. (Hidden tests check the values when your work is graded.)") -> None:
    """Print a short success line at the end of a public test cell."""
    print("✔ " + message)



# --- the course's grading policy and the comparators every hidden test uses --------------------------
#
# Hidden tests compare with these functions only, so that one policy holds in every notebook:
# * a number counts as right when it equals the expected value to the precision the question states
#   (``decimals``); an answer rounded to that precision, or kept at full precision, passes;
# * order, index, column order, int/float and list/Series/array differences never matter unless the
#   question asks for them (``ordered=True``, ``by_label=True``, ``exact_columns=True``);
# * text is compared without regard to case or surrounding spaces;
# * a failure message names the answer and what kind of thing is wrong, never the expected value.
# Each comparator returns False (``matches_*``) or raises WrongAnswer (``assert_*``) for any input it
# cannot read, instead of crashing: an odd but valid answer must reach the comparison, not an error.

GRADING_POLICY = """\
How answers are compared (the same rule in every notebook):
- Numbers: each question says how precisely it is checked (for example "to one decimal"). An answer
  rounded to that precision, or not rounded at all, is right; rounding more coarsely is not. Where no
  precision is stated, answers are compared to six significant figures (keep full precision).
- Order does not matter unless the question says "sorted" or "in order": then the order you were asked
  for is checked, largest first when it says "largest first". Index labels, column order, whole numbers
  written as 1 or 1.0, and a list versus a Series never matter unless the question asks for them.
- Text answers are compared without regard to upper/lower case or spaces around them.
- A question that builds on an earlier answer is checked on its own step: it is graded with your own
  earlier result when that result has the right shape, so one early slip costs only its own points.
- Checks under each answer tell you what looks wrong; hidden tests decide the points and never show
  the expected value.
"""


def tolerance(expected: float, decimals: int | None) -> float:
    """The largest difference from ``expected`` that still counts as right under the policy."""
    if decimals is None:
        return max(abs(expected) * 5e-6, 1e-12)
    # half a unit in the last stated place, plus float noise
    return 0.5 * 10.0 ** (-decimals) * (1 + 1e-9) + 1e-12


def _float_or_none(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (numbers.Real,)) or (hasattr(value, "dtype") and getattr(value, "shape", None) == ()):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            return None
        return number
    if isinstance(value, str):
        return None
    try:
        if pd.isna(value):
            return float("nan")
    except (TypeError, ValueError):
        return None
    return None


def matches_number(actual: Any, expected: float, *, decimals: int | None = None) -> bool:
    """True when ``actual`` is one number equal to ``expected`` to the stated precision."""
    value = _float_or_none(actual)
    if value is None and isinstance(actual, (pd.Series, pd.DataFrame, pd.Index, list, tuple)):
        return False
    if value is None:
        return False
    if math.isnan(expected):
        return math.isnan(value)
    if math.isnan(value) or math.isinf(value):
        return False
    return abs(value - expected) <= tolerance(expected, decimals)


def _same_scalar(got: Any, want: Any, decimals: int | None) -> bool:
    if isinstance(want, pd.Timestamp):
        return matches_date(got, want)
    if isinstance(want, numbers.Real) and not isinstance(want, bool):
        return matches_number(got, float(want), decimals=decimals)
    try:
        if pd.isna(want):
            return bool(pd.isna(got)) if not isinstance(got, (list, tuple)) else False
    except (TypeError, ValueError):
        pass
    if isinstance(want, str):
        return isinstance(got, str) and got.strip().casefold() == want.strip().casefold()
    try:
        return bool(got == want)
    except Exception:  # noqa: BLE001 - an odd object is simply not equal
        return False


def _as_list(actual: Any) -> list | None:
    if isinstance(actual, pd.DataFrame):
        if actual.shape[1] != 1:
            return None
        actual = actual.iloc[:, 0]
    if isinstance(actual, (pd.Series, pd.Index)):
        return actual.tolist()
    if isinstance(actual, (list, tuple)):
        return list(actual)
    if hasattr(actual, "tolist") and getattr(actual, "ndim", 0) == 1:
        return list(actual.tolist())
    return None


def _sort_key(value: Any):
    number = _float_or_none(value)
    if number is not None and not math.isnan(number):
        return (0, number, "")
    return (1, 0.0, str(value).strip().casefold())


def matches_values(actual: Any, expected: Iterable[Any], *, decimals: int | None = None, ordered: bool = False) -> bool:
    """True when ``actual`` (a Series, list, array or one-column frame) holds the expected values.

    Index and name are ignored; with ``ordered=False`` (the default) so is the order.
    """
    got = _as_list(actual)
    want = list(expected)
    if got is None or len(got) != len(want):
        return False
    if not ordered:
        got, want = sorted(got, key=_sort_key), sorted(want, key=_sort_key)
    return all(_same_scalar(g, w, decimals) for g, w in zip(got, want))


def _label(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return str(value.date()) if value == value.normalize() else str(value)
    number = _float_or_none(value)
    if number is not None and not math.isnan(number) and number == int(number):
        return str(int(number))
    return str(value).strip().casefold()


def matches_series(actual: Any, expected: Mapping[Any, Any] | pd.Series, *, decimals: int | None = None,
                   ordered: bool = False) -> bool:
    """True when ``actual`` maps the same labels to the same values (a Series, a dict, or a frame with one column).

    Labels are compared as text (so 2019 and "2019", or "Japan " and "japan", match); order matters only
    with ``ordered=True``.
    """
    if isinstance(actual, pd.DataFrame) and actual.shape[1] == 1:
        actual = actual.iloc[:, 0]
    if isinstance(actual, Mapping):
        actual = pd.Series(dict(actual))
    if not isinstance(actual, pd.Series):
        return False
    want = expected if isinstance(expected, pd.Series) else pd.Series(dict(expected))
    got_labels = [_label(v) for v in actual.index]
    want_labels = [_label(v) for v in want.index]
    if len(set(got_labels)) != len(got_labels) or sorted(got_labels) != sorted(want_labels):
        return False
    if ordered and got_labels != want_labels:
        return False
    got_by_label = dict(zip(got_labels, actual.tolist()))
    return all(_same_scalar(got_by_label[label], value, decimals) for label, value in zip(want_labels, want.tolist()))


def matches_frame(actual: Any, expected: pd.DataFrame, *, keys: Sequence[str] = (), decimals: int | None = None,
                  exact_columns: bool = False, ordered: bool = False) -> bool:
    """True when ``actual`` holds ``expected``'s rows: matched on the ``keys`` columns, any row order.

    ``actual`` may carry the keys in its index (it is reset first); extra columns are allowed unless
    ``exact_columns``. Without ``keys`` the rows are compared in a sorted order of all columns (or as
    given, with ``ordered=True``).
    """
    if not isinstance(actual, pd.DataFrame):
        return False
    frame = actual
    if any(k not in frame.columns for k in keys) or any(c not in frame.columns for c in expected.columns):
        frame = frame.reset_index()
    columns = list(expected.columns)
    if any(c not in frame.columns for c in columns):
        return False
    if exact_columns and sorted(map(str, actual.columns)) != sorted(map(str, expected.columns)):
        return False
    if len(frame) != len(expected):
        return False
    try:
        got_rows = [tuple(row) for row in frame[columns].itertuples(index=False, name=None)]
    except Exception:  # noqa: BLE001
        return False
    want_rows = [tuple(row) for row in expected[columns].itertuples(index=False, name=None)]
    if keys:
        key_at = [columns.index(k) for k in keys]
        def key(row):
            return tuple(_label(row[i]) for i in key_at)
        got_by_key = {}
        for row in got_rows:
            got_by_key.setdefault(key(row), []).append(row)
        if any(len(v) != 1 for v in got_by_key.values()):
            return False
        pairs = []
        # key columns already matched by label (2017 and "2017" alike); compare the other columns
        value_at = [i for i in range(len(columns)) if i not in key_at]
        for row in want_rows:
            match = got_by_key.get(key(row))
            if match is None:
                return False
            pairs.append((tuple(match[0][i] for i in value_at), tuple(row[i] for i in value_at)))
    else:
        if not ordered:
            got_rows = sorted(got_rows, key=lambda r: [_sort_key(v) for v in r])
            want_rows = sorted(want_rows, key=lambda r: [_sort_key(v) for v in r])
        pairs = list(zip(got_rows, want_rows))
    return all(_same_scalar(g, w, decimals) for got, want in pairs for g, w in zip(got, want))


def matches_date(actual: Any, expected: Any) -> bool:
    """True when ``actual`` is one date equal to ``expected`` (any type pd.Timestamp accepts)."""
    if isinstance(actual, (pd.Series, pd.DataFrame, pd.Index, list, tuple)):
        return False
    try:
        got, want = pd.Timestamp(actual), pd.Timestamp(expected)
    except (TypeError, ValueError, OverflowError):
        return False
    if pd.isna(got) or pd.isna(want):
        return False
    return got.tz_localize(None) == want.tz_localize(None) if got.tzinfo else got == want


def matches_text(actual: Any, expected: str | Iterable[str]) -> bool:
    """True when ``actual`` is text equal to ``expected`` (or to one of several accepted spellings)."""
    if not isinstance(actual, str):
        return False
    accepted = [expected] if isinstance(expected, str) else list(expected)
    return actual.strip().casefold() in {a.strip().casefold() for a in accepted}


def has_shape(obj: Any, *, columns: Iterable[str] = (), n_rows: int | None = None, series: bool = False) -> bool:
    """True when an earlier answer can be used to grade a later step (error carried forward).

    A hidden test recomputes a later question's expected value from the student's own earlier answer
    when that answer has this shape, so one slip costs only its own question.
    """
    if series:
        if not isinstance(obj, pd.Series):
            return False
    elif not isinstance(obj, pd.DataFrame) or any(c not in obj.columns for c in columns):
        return False
    return n_rows is None or len(obj) == n_rows


def _judge(ok_function, actual, *args, name: str, what: str, **kwargs) -> None:
    try:
        ok = ok_function(actual, *args, **kwargs)
    except Exception:  # noqa: BLE001 - a comparison that cannot read the answer means "not right"
        ok = False
    if not ok:
        raise WrongAnswer(f"`{name}`: {what}")


def assert_number(actual: Any, expected: float, *, name: str, decimals: int | None = None,
                  what: str = "the value is not right.") -> None:
    """Raise WrongAnswer unless ``actual`` matches ``expected`` to the stated precision."""
    _judge(matches_number, actual, expected, name=name, what=what, decimals=decimals)


def assert_values(actual: Any, expected: Iterable[Any], *, name: str, decimals: int | None = None,
                  ordered: bool = False, what: str = "the values are not right.") -> None:
    _judge(matches_values, actual, list(expected), name=name, what=what, decimals=decimals, ordered=ordered)


def assert_series(actual: Any, expected: Mapping[Any, Any] | pd.Series, *, name: str, decimals: int | None = None,
                  ordered: bool = False, what: str = "the values (or the labels they belong to) are not right.") -> None:
    _judge(matches_series, actual, expected, name=name, what=what, decimals=decimals, ordered=ordered)


def assert_frame(actual: Any, expected: pd.DataFrame, *, name: str, keys: Sequence[str] = (),
                 decimals: int | None = None, exact_columns: bool = False, ordered: bool = False,
                 what: str = "the table's rows or values are not right.") -> None:
    _judge(matches_frame, actual, expected, name=name, what=what, keys=keys, decimals=decimals,
           exact_columns=exact_columns, ordered=ordered)


def assert_date(actual: Any, expected: Any, *, name: str, what: str = "the date is not right.") -> None:
    _judge(matches_date, actual, expected, name=name, what=what)


def assert_text(actual: Any, expected: str | Iterable[str], *, name: str, what: str = "the answer is not right.") -> None:
    _judge(matches_text, actual, expected, name=name, what=what)



# --- named mistakes: recognising a declared mistake from the student's value ------------------------
#
# `course build` runs each question's declared mistakes (instructor/questions/<assignment>.py) on the
# solution's inputs and keeps a salted, slow hash of each mistaken value written in a canonical form at
# the question's stated precision (course/diagnosis.py). A check then hashes the student's value
# the same way: equal hashes mean the student made that mistake. The hash tells nothing about the right
# answer; what a student can learn from it is discussed in course/grading/THREAT_MODEL.md.

HASH_ITERATIONS = 20_000  # PBKDF2 rounds: makes guessing a mistaken value by brute force slow


class MistakeNamed(WrongAnswer):
    """A hidden test failed and the answer matches a declared mistake; the message names the mistake."""


def _canonical_scalar(value: Any, decimals: int | None) -> str:
    import numpy as np

    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return "nat" if pd.isna(stamp) else (str(stamp.date()) if stamp == stamp.normalize() else stamp.isoformat())
    number = _float_or_none(value)
    if number is not None:
        if math.isnan(number):
            return "nan"
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        text = f"{round(number, decimals):.{decimals}f}" if decimals is not None else f"{number:.4g}"
        return text.lstrip("-") if float(text) == 0 else text  # -0.00 and 0.00 alike
    if isinstance(value, str):
        return "s:" + value.strip().casefold()
    return "?:" + str(value).strip().casefold()


def canonical(value: Any, *, decimals: int | None = None, columns: Sequence[str] | None = None,
              ordered: bool = False) -> str | None:
    """``value`` written so that answers equal under the grading policy are written alike.

    Numbers at the stated precision (``decimals``; four significant figures when none is stated), text
    without case or surrounding spaces, dates as dates, labels as text; rows and items sorted unless
    ``ordered``. A frame keeps only ``columns`` (its index is reset when they are not all columns).
    None when the value has no canonical form (a function, a frame without those columns).
    """
    def cell(v):
        return _canonical_scalar(v, decimals)

    try:
        if isinstance(value, pd.DataFrame):
            frame = value
            wanted = list(columns) if columns is not None else list(frame.columns)
            if any(c not in frame.columns for c in wanted):
                frame = frame.reset_index()
            if any(c not in frame.columns for c in wanted):
                wanted = list(frame.columns)  # another table altogether: written whole, so it can still be named
            wanted = sorted(wanted, key=str)
            rows = ["|".join(cell(v) for v in row) for row in frame[wanted].itertuples(index=False, name=None)]
            return "F:" + ",".join(map(str, wanted)) + "\n" + "\n".join(rows if ordered else sorted(rows))
        if isinstance(value, pd.Series):
            items = [f"{_label(k)}={cell(v)}" for k, v in zip(value.index, value.tolist())]
            return "S:\n" + "\n".join(items if ordered else sorted(items))
        if isinstance(value, tuple):  # several answers checked together (a table and a number)
            parts = [canonical(v, decimals=decimals, ordered=ordered) for v in value]
            return None if None in parts else "T:\n" + "\n#\n".join(parts)
        if isinstance(value, Mapping):
            return canonical(pd.Series(dict(value)), decimals=decimals, ordered=ordered)
        listed = _as_list(value) if not isinstance(value, str) else None
        if listed is not None:
            items = [cell(v) for v in listed]
            return "L:\n" + "\n".join(items if ordered else sorted(items))
        return "V:" + cell(value)
    except Exception:  # noqa: BLE001 - an odd value simply has no canonical form
        return None


def fingerprint(value: Any, salt: str, **how: Any) -> str | None:
    """Salted slow hash of ``canonical(value, **how)`` (hex), or None."""
    import hashlib

    text = canonical(value, **how)
    if text is None:
        return None
    return _slow_hash(hashlib.sha256(text.encode("utf-8")).digest(), salt)


@functools.lru_cache(maxsize=256)
def _slow_hash(inner: bytes, salt: str) -> str:
    """PBKDF2 of one value's digest. Kept: a test cell names a mistake twice for the same value (its
    public check, then the hidden test's failure), and each PBKDF2 is slow by design."""
    import hashlib

    return without_digits(hashlib.pbkdf2_hmac("sha256", inner, salt.encode("utf-8"), HASH_ITERATIONS).hex()[:32])


def without_digits(hex_text: str) -> str:
    """Hex written with the letters g-p for 0-9: a hash in a notebook never looks like a number (the
    distribution scan looks for hidden tests' reference numbers in everything students receive)."""
    return hex_text.translate(str.maketrans("0123456789", "ghijklmnop"))


def _student_variant(assignment: Any) -> str | None:
    """The student's variant number of ``assignment`` (course/personal.py), as text; None if unknown.

    In the grader's checker the id is the one the grader set (COURSE_STUDENT_ID), as the hidden tests use.
    """
    from . import personal

    try:
        return str(personal.assigned(str(assignment)).number)
    except Exception:  # noqa: BLE001 - no id yet, or no variants: such a mistake is simply not named
        return None


def _matching_message(value: Any, table: Mapping[str, Any]) -> str | None:
    """The message of the first declared mistake whose fingerprint equals ``value``'s, or None.

    A mistake with ``by_variant`` hashes (its value depends on the student's parameters) is matched
    against the hashes of the student's own variant only.
    """
    how = {"decimals": table.get("decimals"), "columns": table.get("columns")}
    prints: dict[bool, str | None] = {}
    variant: list[str | None] = []  # looked up once, and only when a mistake needs it
    for mistake in table.get("mistakes", ()):
        if "by_variant" in mistake:
            if not variant:
                variant.append(_student_variant(table.get("assignment")))
            own = mistake["by_variant"].get(variant[0]) if variant[0] is not None else None
            if not own:
                continue
            ordered, hashes = bool(own.get("ordered")), own.get("hashes", ())
        else:
            ordered, hashes = bool(mistake.get("ordered")), mistake.get("hashes", ())
        if ordered not in prints:
            prints[ordered] = fingerprint(value, table["salt"], ordered=ordered, **how)
        if prints[ordered] is not None and prints[ordered] in hashes:
            return mistake["message"]
    return None


def _in_grader() -> bool:
    """True inside the grader's checker process (it runs course/grading/checker.py; a student's kernel
    never loads that module, and one that does only turns its own advice into printed lines)."""
    import sys

    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == "course.grading.checker" or "course.grading.checker" in sys.modules


def diagnose(value: Any, name: str, table: Mapping[str, Any]) -> None:
    """Public check: fail with the mistake's message when ``value`` matches a declared mistake.

    Generated by `course build` into the public part of a test cell, right after the "not answered"
    check. It is advice and never decides points: in the grader's checker it only prints the message
    (``NAMED_MARKER``; feedback and the class report read it) and the other checks and the hidden test
    decide, so a fingerprint can never cost a right answer its points.
    """
    message = _matching_message(value, table)
    if not message:
        return
    if _in_grader():
        print(f"{NAMED_MARKER}`{name}`: {message}")
        return
    _fail(f"`{name}`: {message}")


NAMED_MARKER = "✘ Named mistake: "


class naming_mistakes:  # noqa: N801 - used as a context manager in generated hidden tests
    """Hidden test: when the comparison inside fails and the value matches a declared mistake, say which.

    Only a failure is renamed, so a right answer can never be marked wrong by a mistake's fingerprint.
    """

    def __init__(self, value: Any, table: Mapping[str, Any]) -> None:
        self.value, self.table = value, table

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _traceback) -> bool:
        if kind is not None and issubclass(kind, WrongAnswer) and not isinstance(error, MistakeNamed):
            message = _matching_message(self.value, self.table)
            if message:
                raise MistakeNamed(f"{str(error).split(':', 1)[0]}: {message}") from None
        return False


# --- hints on request -------------------------------------------------------------------------------

HINT_MIME = "text/markdown"
_HINTS: dict[str, Any] = {"assignment": None, "questions": {}, "shown": {}}


def use_hints(assignment: str, packed: str) -> None:
    """Set up this notebook's hints (generated by `course build` into the setup cell).

    ``packed`` is base64 JSON {question id: [hint, ...]}: not secret (hints never hold a value or
    code), only kept out of sight until asked for.
    """
    import base64
    import json

    _HINTS["assignment"] = assignment
    _HINTS["questions"] = json.loads(base64.b64decode(packed).decode("utf-8"))
    _HINTS["shown"] = {}


def _question_id(question: str) -> str | None:
    questions = _HINTS["questions"]
    if question in questions:
        return question
    number = str(question).strip().lower().lstrip("q").split("_")[0]
    matches = [q for q in questions if q.split("_")[0] == f"q{number}"]
    return matches[0] if len(matches) == 1 else None


def hint(question: str) -> None:
    """Show the next hint for a question ("q3" or its full id): a nudge first, then the method.

    Each hint's output carries metadata (``course_hint``: question and level), so the saved notebook
    records how many hints were used; the class report counts them.
    """
    from IPython.display import display

    qid = _question_id(question)
    if qid is None:
        known = ", ".join(q.split("_")[0] for q in _HINTS["questions"]) or "none (run the setup cell first)"
        _fail(f"No hints for {question!r}. Questions with hints: {known}.")
    levels = _HINTS["questions"][qid]
    level = min(_HINTS["shown"].get(qid, 0) + 1, len(levels))
    _HINTS["shown"][qid] = level
    more = f" Run `checks.hint(\"{qid.split('_')[0]}\")` again for the next one." if level < len(levels) else " That was the last hint."
    text = f"**Hint {level} of {len(levels)}** for {qid.split('_')[0]}: {levels[level - 1]}{more}"
    display({HINT_MIME: text, "text/plain": text.replace("**", "")}, raw=True,
            metadata={"course_hint": {"assignment": _HINTS["assignment"], "question": qid, "level": level}})
