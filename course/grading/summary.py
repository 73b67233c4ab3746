"""The end-of-run summary of `course autograde` (always printed, TTY or not).

Student ids, notebook names and failure reasons come from student-controlled files, so they are
printed as text: rich markup in them ("[bold red]...") is escaped, never interpreted.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .autograde import Summary
from .discover import CourseWork


def pending_line(work: CourseWork) -> str | None:
    """One line on the written answers that await a grader in the gradebook, or None when there are none."""
    from .export import grades_table, provisional

    table = grades_table(work)
    waiting = table[provisional(table)]
    if waiting.empty:
        return None
    answers = sum(len(ids.split()) for ids in waiting["awaiting_grader"])
    return (f"provisional: {answers} written answer(s) in {len(waiting)} of {int((table['status'] == 'graded').sum())} "
            f"graded submission(s) await a grader (they count 0 until graded): grade them in Formgrader, "
            f"`course lab --role instructor --course-dir {work.root}`")


def print_summary(summary: Summary, work: CourseWork, console: Console | None = None) -> None:
    console = console or Console(soft_wrap=True)
    graded, failed, skipped = len(summary.graded), len(summary.failed), len(summary.skipped)
    per_submission = (sum(summary.graded.values()) / graded) if graded else 0.0
    console.print(
        f"[bold]autograde[/bold]: {graded} graded, {failed} failed, {skipped} already graded (skipped) "
        f"in {summary.seconds:.1f} s"
        + (f" with {summary.workers} worker(s), {per_submission:.1f} s per submission" if graded else "")
    )
    if summary.isolation:
        kernels = f"; kernels: {', '.join(sorted(summary.kernels))}" if summary.kernels else ""
        console.print(f"isolation of student code: {escape(', '.join(sorted(summary.isolation)) + kernels)}")
    if failed:
        table = Table(title="Submissions that could not be graded", title_justify="left")
        table.add_column("submission", no_wrap=True)
        table.add_column("reason")
        for key, reason in sorted(summary.failed.items()):
            table.add_row(escape(key), escape(str(reason)))
        console.print(table)
        console.print(f"recorded in {escape(str(work.failures_path))}; fix them and run `course autograde` again (graded ones are kept)")
    if summary.flagged:
        table = Table(title="Graded, but flagged for review (suspicious code; scores unchanged)", title_justify="left")
        table.add_column("submission", no_wrap=True)
        table.add_column("findings")
        for key, found in sorted(summary.flagged.items()):
            text = "\n".join(found[:5]) + (f"\n(+{len(found) - 5} more)" if len(found) > 5 else "")
            table.add_row(escape(key), escape(text))
        console.print(table)
    line = pending_line(work)
    if line:
        console.print(escape(line))
    console.print(f"gradebook: {escape(work.db_url)}")
