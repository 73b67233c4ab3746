"""The end-of-run summary of `course autograde` (always printed, TTY or not)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .autograde import Summary
from .discover import CourseWork


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
        console.print(f"isolation of student code: {', '.join(sorted(summary.isolation))}")
    if failed:
        table = Table(title="Submissions that could not be graded", title_justify="left")
        table.add_column("submission", no_wrap=True)
        table.add_column("reason")
        for key, reason in sorted(summary.failed.items()):
            table.add_row(key, reason)
        console.print(table)
        console.print(f"recorded in {work.failures_path}; fix them and run `course autograde` again (graded ones are kept)")
    if summary.flagged:
        table = Table(title="Graded, but flagged for review (suspicious code; scores unchanged)", title_justify="left")
        table.add_column("submission", no_wrap=True)
        table.add_column("findings")
        for key, found in sorted(summary.flagged.items()):
            table.add_row(key, "\n".join(found[:5]) + (f"\n(+{len(found) - 5} more)" if len(found) > 5 else ""))
        console.print(table)
    console.print(f"gradebook: {work.db_url}")
