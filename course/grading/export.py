"""`course grades`: one row per student and assignment from the gradebook, as CSV or a Canvas import file."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

from .. import paths
from .discover import CourseWork

BASE_COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "late_penalty", "needs_manual_grade",
                "awaiting_grader", "points_awaiting_grader"]
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
# Optional DIR/canvas-assignments.csv maps our assignment names to Canvas assignment ids (columns: assignment,canvas_id).
CANVAS_IDS_FILE = "canvas-assignments.csv"


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


def _canvas_ids(work: CourseWork) -> dict[str, str]:
    path = work.root / CANVAS_IDS_FILE
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {row["assignment"].strip(): row["canvas_id"].strip() for row in csv.DictReader(handle) if row.get("canvas_id")}


def canvas_rows(work: CourseWork, table: pd.DataFrame, include_provisional: bool = False) -> tuple[list[str], list[list]]:
    """Header and rows of a Canvas gradebook import file.

    Canvas matches a row to a student by ID, SIS User ID or SIS Login ID (from roster.csv columns
    lms_user_id, sis_user_id, sis_login_id), and an assignment column by the Canvas id in brackets;
    a column without an id creates a new assignment. The "Points Possible" row is the one Canvas's
    own export writes under the header. A provisional score (written answers await a grader) is left
    blank, so Canvas keeps what it had, unless ``include_provisional``: Canvas has no column to flag it.
    """
    ids = _canvas_ids(work)
    roster = {row["id"]: row for row in work.roster()}
    assignments = sorted(table["assignment"].unique()) if not table.empty else []
    header = CANVAS_STUDENT_COLUMNS + [f"{a} ({ids[a]})" if a in ids else a for a in assignments]
    max_scores = table.groupby("assignment")["max_score"].first().to_dict() if not table.empty else {}
    rows: list[list] = [["    Points Possible", "", "", "", ""] + [max_scores[a] for a in assignments]]
    shown = table.copy()
    if not include_provisional and not shown.empty:
        shown.loc[provisional(shown), "score"] = None
    scores = shown.pivot(index="student_id", columns="assignment", values="score") if not shown.empty else pd.DataFrame()
    for student_id in scores.index:
        info = roster.get(student_id, {})
        name = ", ".join(part for part in (info.get("last_name"), info.get("first_name")) if part) or student_id
        rows.append([
            name, info.get("lms_user_id", ""), info.get("sis_user_id", student_id), info.get("sis_login_id", ""),
            info.get("section", ""), *[_canvas_score(scores.loc[student_id, a]) for a in assignments],
        ])
    return header, rows


def _canvas_score(value) -> str | float:
    """Blank (Canvas leaves the grade alone) when there is no score, e.g. a submission that failed to grade."""
    return "" if pd.isna(value) else round(float(value), 2)


def write_grades(work: CourseWork, out: Path, fmt: str = "csv", include_provisional: bool = False) -> Path:
    table = grades_table(work)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        table.to_csv(out, index=False)
    elif fmt == "canvas":
        header, rows = canvas_rows(work, table, include_provisional)
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    else:
        raise ValueError(f"unknown format {fmt!r} (csv or canvas)")
    return out
