"""Who is this student, and which variant of a notebook is theirs.

Some questions of notebooks 01, 03 and 05 are *varied*: every student answers them for their own
parameters (a country, a year, a window of years) with the same method, so that answers do not travel
between students. This module returns those parameters and nothing else: no graded answer is computed
here.

Who the student is, in this order:

1. ``COURSE_STUDENT_ID`` (the grader sets it to the submission's folder name, which is the student id
   nbgrader records; the notebook's own claim is never used for grading);
2. ``JUPYTERHUB_USER`` (JupyterHub sets it in every student's server);
3. the id stored in ``course-student-id.txt`` in the notebook's folder, asked for once (``input``) and
   written there.

The variant is chosen from the id and :data:`TERM_KEY` with HMAC-SHA256, so it is the same at every run
and regrade, and it changes when the instructor changes the key for a new term. What the key can and
cannot protect is written in docs/instructor-guide.md ("Per-student variants"): every student's
notebook must derive its own parameters offline, so the key ships with the course. It stops no student
who reads this file from working out another student's variant; it only makes the assignment of
variants new each term.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["VARIANTS", "Variant", "whoami", "assigned", "student_id", "variant_of", "for_student"]

#: Change once per term, before the notebooks are released (see the module docstring for its limits).
TERM_KEY = "cap-us-japan-alliance-2021:term-1"

ENV_ID = "COURSE_STUDENT_ID"
HUB_ID = "JUPYTERHUB_USER"
ID_FILE = "course-student-id.txt"
#: The line the setup cell prints; `course validate` reads it back from the saved notebook.
ID_LINE = re.compile(r"^Student id: (?P<id>\S+) \(from ", re.MULTILINE)

#: Each assignment's variants: one bundle of parameters per variant. Every parameter differs between
#: any two variants, so the values one variant computes are wrong for every other on every varied
#: question. Every value is in the course data (tests/test_personal.py checks each one has data).
VARIANTS: dict[str, tuple[dict, ...]] = {
    "01_health": (
        {"country": "Japan", "rank_year": 2019, "aid_years": (2020, 2021)},
        {"country": "Philippines", "rank_year": 2020, "aid_years": (2020, 2022)},
        {"country": "Indonesia", "rank_year": 2021, "aid_years": (2021, 2022)},
        {"country": "Malaysia", "rank_year": 2022, "aid_years": (2021, 2023)},
    ),
    "03_china": (
        {"export_end": 2015, "milex_from": 1980, "base_year": 2001},
        {"export_end": 2013, "milex_from": 1983, "base_year": 2003},
        {"export_end": 2014, "milex_from": 1986, "base_year": 2005},
        {"export_end": 2016, "milex_from": 1988, "base_year": 2007},
    ),
    "05_north_korea": (
        {"longest_from": 2014, "landing_years": (2014, 2024), "warhead_years": (2015, 2020)},
        {"longest_from": 2012, "landing_years": (2013, 2020), "warhead_years": (2016, 2020)},
        {"longest_from": 2015, "landing_years": (2015, 2022), "warhead_years": (2015, 2019)},
        {"longest_from": 2016, "landing_years": (2017, 2024), "warhead_years": (2017, 2020)},
    ),
}

#: How each parameter is named in the notebook's text.
LABELS = {
    "01_health": {"country": "country for Question 5", "rank_year": "year for Question 10",
                  "aid_years": "years for Question 11"},
    "03_china": {"export_end": "last year for Question 6 (from 2011)", "milex_from": "first year for Question 7",
                 "base_year": "base year for Question 8"},
    "05_north_korea": {"longest_from": "first year for Question 8 (to 2024)", "landing_years": "years for Question 10",
                       "warhead_years": "years for Question 12"},
}


def _show(value) -> str:
    if isinstance(value, tuple) and len(value) == 2:
        return f"{value[0]}-{value[1]}"
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value))
    return str(value)


@dataclass(frozen=True)
class Variant:
    """One student's parameters for one assignment (read them as attributes: ``me.country``)."""

    assignment: str
    student: str
    source: str
    number: int  # 1-based, as shown to the student
    params: dict = field(repr=False)

    def __getattr__(self, name: str):
        params = object.__getattribute__(self, "params")
        if name in params:
            return params[name]
        raise AttributeError(f"variant of {self.assignment} has no parameter {name!r} (it has {', '.join(params)})")

    @property
    def label(self) -> str:
        return f"{self.number} of {len(VARIANTS[self.assignment])}"

    def describe(self) -> str:
        lines = [f"Student id: {self.student} (from {self.source})",
                 f"Your variant of {self.assignment}: {self.label}"]
        labels = LABELS.get(self.assignment, {})
        lines += [f"  your {labels.get(k, k)}: {_show(v)}" for k, v in self.params.items()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


def variant_number(assignment: str, student: str, key: str = TERM_KEY) -> int:
    """1-based variant of ``student`` in ``assignment``: HMAC-SHA256(key, assignment + id) mod n."""
    if assignment not in VARIANTS:
        raise KeyError(f"{assignment} has no per-student variants (course/personal.py VARIANTS)")
    digest = hmac.new(key.encode(), f"{assignment}\n{student}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % len(VARIANTS[assignment]) + 1


def for_student(assignment: str, student: str, source: str = "given") -> Variant:
    """The variant of a given id (the grader and the instructor's tools use this)."""
    student = str(student).strip()
    if not student:
        raise ValueError("a student id cannot be empty")
    number = variant_number(assignment, student)
    return Variant(assignment, student, source, number, dict(VARIANTS[assignment][number - 1]))


def variant_of(assignment: str, student: str) -> int:
    return for_student(assignment, student).number


def environment_id() -> tuple[str, str] | None:
    """(id, where it came from) from the environment, or None."""
    for name in (ENV_ID, HUB_ID):
        value = os.environ.get(name, "").strip()
        if value:
            return value, name
    return None


def stored_id(folder: Path | None = None) -> str | None:
    path = Path(folder or Path.cwd()) / ID_FILE
    try:
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value.split()[0] if value else None


def student_id(folder: Path | None = None, *, ask: bool = False) -> tuple[str, str]:
    """(id, source): the environment first, then the id stored in ``folder``; ask once if ``ask``."""
    found = environment_id()
    if found:
        return found
    folder = Path(folder or Path.cwd())
    stored = stored_id(folder)
    if stored:
        return stored, ID_FILE
    if not ask:
        raise LookupError(f"no student id: set {ENV_ID}, or run the notebook's first code cell to enter your id "
                          f"(it is kept in {folder / ID_FILE})")
    try:
        typed = input("Your student id (your university login; asked once, kept in this folder): ").strip()
    except Exception as error:  # noqa: BLE001 - no stdin (a batch run): say what to do instead
        raise LookupError(f"no student id and no way to ask for one ({type(error).__name__}): set {ENV_ID} "
                          f"or write your id in {folder / ID_FILE}") from None
    if not typed or len(typed.split()) != 1:
        raise ValueError("a student id is one word without spaces; run the cell again")
    (folder / ID_FILE).write_text(typed + "\n", encoding="utf-8")
    return typed, ID_FILE


def whoami(assignment: str) -> Variant:
    """The notebook's first cell: find (or ask for) the student's id and print their variant."""
    student, source = student_id(ask=True)
    me = for_student(assignment, student, source)
    print(me.describe())
    return me


def assigned(assignment: str) -> Variant:
    """The variant a test cell checks against: the grader's ``COURSE_STUDENT_ID`` when grading."""
    student, source = student_id()
    return for_student(assignment, student, source)


def claimed_ids(notebook) -> list[str]:
    """The ids a saved notebook's outputs show (the setup cell prints ``Student id: ...``)."""
    found: list[str] = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = output.get("text", "")
            text = "".join(text) if isinstance(text, list) else str(text)
            for match in ID_LINE.finditer(text):
                if match["id"] not in found:
                    found.append(match["id"])
    return found
