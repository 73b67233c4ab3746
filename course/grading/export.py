"""`course grades`: one row per student and assignment from the gradebook (CSV), per-question files, or an
LMS import file (Canvas, Moodle, Blackboard: course/grading/lms.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

from .. import paths
from .discover import CourseWork

BASE_COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "late_penalty", "needs_manual_grade",
                "awaiting_grader", "points_awaiting_grader"]


def grades_table(work: CourseWork) -> pd.DataFrame:
    """Every registered student x every assignment in the gradebook, with per-question scores.

    A student without a submission gets score 0 and status "not submitted" (as nbgrader's own export);
    one whose submission failed to grade gets status "failed to grade" so it is never silently a zero.
    ``awaiting_grader`` lists (space-separated) the answers a person has still to grade (written
    responses before Formgrader), ``points_awaiting_grader`` their points: until then ``score`` is
    provisional and counts them as 0.
    """
    failed = set(work.read_failures())
    rows: list[dict] = []
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for student in sorted(gb.students, key=lambda s: s.id):
                key = f"{student.id}/{assignment.name}"
                row = {"student_id": student.id, "assignment": assignment.name, "max_score": assignment.max_score}
                try:
                    submission = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    # A submission that failed to grade has no score yet (not a zero).
                    status = "failed to grade" if key in failed else "not submitted"
                    row.update(score=None if key in failed else 0.0, status=status, late_penalty=0.0, needs_manual_grade=0,
                               awaiting_grader="", points_awaiting_grader=0.0)
                    rows.append(row)
                    continue
                penalty = submission.late_submission_penalty or 0.0
                row.update(score=submission.score - penalty, status="graded", late_penalty=penalty,
                           needs_manual_grade=0)
                awaiting: list[str] = []
                awaiting_points = 0.0
                for nb in submission.notebooks:
                    for grade in nb.grades:
                        row[grade.name] = grade.score
                        row["needs_manual_grade"] += int(bool(grade.needs_manual_grade))
                        if awaits_grader(grade):
                            awaiting.append(grade.name)
                            awaiting_points += float(grade.max_score or 0)
                row.update(awaiting_grader=" ".join(sorted(awaiting)), points_awaiting_grader=awaiting_points)
                rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=BASE_COLUMNS)
    question_columns = [c for c in table.columns if c not in BASE_COLUMNS]
    return table[BASE_COLUMNS + question_columns]


def awaits_grader(grade) -> bool:
    """A grade (nbgrader Grade) a person has still to give: it needs manual grading and has no manual score."""
    return bool(grade.needs_manual_grade) and grade.manual_score is None


def provisional(table: pd.DataFrame) -> pd.Series:
    """Rows whose score is provisional: graded, with answers that await a grader."""
    if table.empty:
        return pd.Series([], dtype=bool)
    return (table["status"] == "graded") & (table["awaiting_grader"].fillna("") != "")


def question_tables(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One table per assignment: its students' rows with that assignment's questions only; an answer
    awaiting a grader is blank (no score yet), not the 0 nbgrader counts for it."""
    tables = {}
    for assignment, rows in table.groupby("assignment", sort=True):
        questions = [c for c in rows.columns if c not in BASE_COLUMNS and rows[c].notna().any()]
        rows = rows[BASE_COLUMNS + questions].reset_index(drop=True).astype({q: float for q in questions})
        for index, waiting in rows["awaiting_grader"].fillna("").items():
            for question in waiting.split():
                rows.loc[index, question] = None
        tables[assignment] = rows
    return tables


def questions_folder(out: Path) -> Path:
    """Where the per-question files of `grades.csv` go: `grades-questions/<assignment>.csv` beside it."""
    return Path(out).with_name(Path(out).stem + "-questions")


def _guarded(table: pd.DataFrame) -> pd.DataFrame:
    """The text columns with the formula guard (a student id is a folder name: it can start with =)."""
    from .lms import guard

    table = table.copy()
    for column in ("student_id", "assignment", "status", "awaiting_grader"):
        table[column] = table[column].map(lambda value: value if pd.isna(value) else guard(value))
    return table


def write_grades(work: CourseWork, out: Path, fmt: str = "csv", include_provisional: bool = False) -> Path:
    """csv: one row per student and assignment, and one per-question file per assignment beside it;
    canvas, moodle, blackboard: an import file (see lms.py; refused if a student cannot be matched)."""
    from . import lms

    table = grades_table(work)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        _guarded(table[BASE_COLUMNS]).to_csv(out, index=False)
        folder = questions_folder(out)
        folder.mkdir(exist_ok=True)
        for assignment, rows in question_tables(table).items():
            _guarded(rows).to_csv(folder / f"{assignment}.csv", index=False)
    elif fmt in lms.FORMATS:
        lms_file = lms.settle_unmatched(lms.build(work, fmt, table=table, include_provisional=include_provisional))
        lms.write(lms_file, out)
    else:
        raise ValueError(f"unknown format {fmt!r} (csv, {', '.join(lms.FORMATS)})")
    return out
