"""`course demo`: the whole instructor pipeline on a simulated class, in one folder (nothing else touched)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .autograde import autograde
from .discover import CourseWork
from .export import grades_table, provisional, write_grades
from .feedback import generate as generate_feedback
from .report import write_report
from .similarity import find_similar, write_similarity_report
from .simulate import simulate_class
from .summary import print_summary


def run_demo(out: Path, *, students: int = 12, workers: int | None = None, seed: int = 0, console: Console | None = None) -> dict[str, Path]:
    console = console or Console()
    work = CourseWork.at(out)
    console.rule("[bold]1/5 simulate")
    written = simulate_class(work.root, students, seed=seed)
    console.print(f"{len(written)} simulated submission(s) from {students} students in {work.submitted}")
    console.rule("[bold]2/5 autograde")
    # The demo grades only its own simulated class: it may fall back to resource limits, with a warning.
    summary = autograde(work, workers=workers, allow_reduced_isolation=True)
    print_summary(summary, work, console)
    console.print(summary.sandbox, markup=False)
    console.rule("[bold]3/5 feedback")
    feedback = generate_feedback(work)
    console.print(f"{len(feedback.written)} feedback page(s), hidden tests removed")
    console.rule("[bold]4/5 grades")
    outputs = {
        "submissions": work.submitted,
        "autograded notebooks": work.autograded,
        "feedback pages": work.feedback,
        "gradebook": work.root / "gradebook.db",
        "grades (csv)": write_grades(work, work.root / "grades.csv", "csv"),
        "grades (Canvas import)": write_grades(work, work.root / "grades-canvas.csv", "canvas"),
    }
    table = grades_table(work)
    table["provisional"] = provisional(table)
    scores = Table(title="Scores (points; * = provisional, written answers await a grader)", title_justify="left")
    scores.add_column("student")
    assignments = sorted(table["assignment"].unique()) if not table.empty else []
    for assignment in assignments:
        maximum = table.loc[table["assignment"] == assignment, "max_score"].iloc[0]
        scores.add_column(f"{assignment} (/{maximum:g})", justify="right")
    for student, rows in table.groupby("student_id"):
        by_assignment = rows.set_index("assignment")
        cells = []
        for assignment in assignments:
            row = by_assignment.loc[assignment]
            if row["status"] == "failed to grade":
                cells.append("failed")
            else:
                cells.append(f"{row['score']:g}" + ("*" if row["provisional"] else ""))
        scores.add_row(escape(str(student)), *cells)
    console.print(scores)
    if table["provisional"].any():
        console.print(f"{int(table['provisional'].sum())} score(s) are provisional: the Canvas file leaves them blank "
                      f"until the written answers are graded in Formgrader "
                      f"(`course lab --role instructor --course-dir {escape(str(work.root))}`).")
    console.rule("[bold]5/5 report")
    outputs["class report"] = write_report(work, work.root / "report.html")
    outputs["similarity report"] = write_similarity_report(find_similar(work), work.root / "similarity.html")
    for label, path in outputs.items():
        console.print(f"{label:>24}: {escape(str(path))}")
    console.print("Open the class report in a browser; feedback pages are per student under feedback/.")
    return outputs
