"""What crosses between the grading controller and its workers: tasks one way, results the other.

Plain frozen dataclasses of strings, numbers and dicts of them, so they pickle across a
multiprocessing pipe (course/grading/pool.py) or to another machine's worker alike. Paths travel
as strings: a worker elsewhere resolves them in its own file system.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TemplateTask:
    """Generate one assignment into a small template gradebook, copied for each of its submissions."""

    assignment: str
    revision: str  # the alembic revision to stamp the new database with (so nbgrader need not ask alembic)
    folder: str
    template_db: str
    release_dir: str
    duedate: str | None  # ISO timestamp an instructor set in the main gradebook, or None


@dataclass(frozen=True)
class GradeTask:
    """Grade one submission into a private work folder holding a copy of its assignment's template."""

    student: str
    assignment: str
    submission_dir: str
    workdir: str
    template_db: str
    release_dir: str
    cell_timeout: int
    course_dir: str

    @property
    def key(self) -> str:
        return f"{self.student}/{self.assignment}"


Task = TemplateTask | GradeTask


@dataclass(frozen=True)
class TemplateResult:
    assignment: str
    ok: bool
    reason: str = ""


@dataclass(frozen=True)
class CellScore:
    auto_score: float | None
    needs_manual_grade: bool


@dataclass(frozen=True)
class NotebookScores:
    """What nbgrader wrote for one notebook in the worker's private gradebook, keyed by cell name."""

    flagged: bool
    late_submission_penalty: float | None
    grades: dict[str, CellScore]
    comments: dict[str, str | None]


@dataclass(frozen=True)
class GradeResult:
    """One submission graded (``ok``) or not (``reason`` says why, for the instructor)."""

    student: str
    assignment: str
    ok: bool
    reason: str = ""
    isolation: str = "unknown"  # "bwrap", "rlimits-only", "not run" or "unknown"
    kernels: str = ""  # "forked" or "plain" (isolation/execute.SandboxedExecute.kernel_mode as it ran)
    autograded_dir: str | None = None
    timestamp: str | None = None  # ISO
    notebooks: dict[str, NotebookScores] = field(default_factory=dict)
    findings: dict[str, list[str]] = field(default_factory=dict)  # notebook -> integrity findings
    seconds: float = 0.0

    @property
    def key(self) -> str:
        return f"{self.student}/{self.assignment}"


Result = TemplateResult | GradeResult
