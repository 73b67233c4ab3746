"""The course working directory (`--course-dir`): who submitted what, what is graded, what failed.

Layout (nbgrader's own):
    DIR/submitted/<student>/<assignment>/<notebook>.ipynb   in
    DIR/autograded/ DIR/feedback/ DIR/gradebook.db            out
    DIR/roster.csv               optional: id[,first_name,last_name,email,lms_user_id,sis_user_id,sis_login_id,section]
    DIR/grading-failures.json    submissions that could not be graded, with the reason
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from .. import paths
from ..nbgrader_config import default_db_url

DEFAULT_COURSE_DIR = Path("course-work")
FAILURES_FILE = "grading-failures.json"
ROSTER_FILE = "roster.csv"


@dataclass(frozen=True)
class Submission:
    student: str
    assignment: str
    directory: Path

    @property
    def key(self) -> str:
        return f"{self.student}/{self.assignment}"


@dataclass(frozen=True)
class CourseWork:
    """One course working directory and the gradebook it uses."""

    root: Path
    db_url: str

    @classmethod
    def at(cls, root: Path | str = DEFAULT_COURSE_DIR, db_url: str | None = None) -> "CourseWork":
        root = Path(root).resolve()
        return cls(root=root, db_url=db_url or default_db_url(root))

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def failures_path(self) -> Path:
        return self.root / FAILURES_FILE

    # --- what is there -------------------------------------------------------------------------

    def roster(self) -> list[dict[str, str]]:
        """Students from roster.csv if present, else one per folder in submitted/."""
        roster_path = self.root / ROSTER_FILE
        if roster_path.is_file():
            with roster_path.open(newline="", encoding="utf-8-sig") as handle:
                rows = [
                    {key.strip(): (value or "").strip() for key, value in row.items() if key}
                    for row in csv.DictReader(handle)
                ]
            for row in rows:
                row["id"] = row.get("id") or row.get("student_id") or ""
            return [row for row in rows if row["id"]]
        if not self.submitted.is_dir():
            return []
        return [{"id": p.name} for p in sorted(self.submitted.iterdir()) if p.is_dir() and not p.name.startswith(".")]

    def submissions(self, assignments: list[str] | None = None) -> list[Submission]:
        """Every submitted/<student>/<assignment>/ folder of a known assignment, in a stable order."""
        wanted = assignments or paths.assignments()
        found: list[Submission] = []
        if not self.submitted.is_dir():
            return found
        for student_dir in sorted(p for p in self.submitted.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for assignment in wanted:
                folder = student_dir / assignment
                if folder.is_dir():
                    found.append(Submission(student_dir.name, assignment, folder))
        return found

    def hidden_folders(self) -> list[str]:
        """Folders of submitted/ whose name starts with a dot: never graded, so reported."""
        if not self.submitted.is_dir():
            return []
        return sorted(p.name for p in self.submitted.iterdir() if p.is_dir() and p.name.startswith("."))

    def graded_keys(self) -> set[str]:
        """`student/assignment` of every submission the gradebook already holds.

        The merge writes a submission and all its grades in one transaction, so a submission in
        the gradebook is a complete grade.
        """
        keys: set[str] = set()
        if self.db_url.startswith("sqlite:///") and not Path(self.db_url.removeprefix("sqlite:///")).exists():
            return keys
        with Gradebook(self.db_url, paths.COURSE_ID) as gb:
            for assignment in gb.assignments:
                for submission in assignment.submissions:
                    keys.add(f"{submission.student.id}/{assignment.name}")
        return keys

    # --- grading failures ---------------------------------------------------------------------

    def read_failures(self) -> dict[str, dict]:
        if not self.failures_path.is_file():
            return {}
        try:
            return json.loads(self.failures_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return {}

    def write_failures(self, failures: dict[str, dict]) -> None:
        """Write atomically, so an interrupted run never leaves half a file."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".failures-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dict(sorted(failures.items())), handle, indent=2)
            handle.write("\n")
        os.replace(tmp, self.failures_path)
