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

import math
import numbers
from collections.abc import Iterable, Mapping
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
]


class CheckFailed(AssertionError):
    """A public check failed; the message tells the student what to fix."""


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

