"""`course distribute`: the one thing students receive, built and checked for instructor material.

The distribution is a folder (and a zip of it) with:

    notebooks/<assignment>/<notebook>.ipynb   the student versions, generated afresh by nbgrader
    wheels/course-<version>-py3-none-any.whl  the package students import, with the data inside (course/_data)
    README.md                                 how to install and start (offline once installed)

Before it is written out, every file (and every member of the wheel) is scanned for instructor
material: nbgrader's solution and hidden-test markers, rubrics, distinctive lines of the solutions'
solution and hidden-test regions, the code of the question contracts (alternative and wrong
answers), and the reference numbers written in hidden tests. Anything found stops the build with one
line per finding and nothing is written to the output folder.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import leaks, paths

HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
CONTRACT_MARKERS = ("from course.contract import", "from course.grading.contract import", "QUESTIONS = [", "Mistake(")
# A reference number is distinctive when it is written with this many significant digits or more.
REFERENCE_DIGITS = 5
# The course's own authoring and release tools name nbgrader's markers to find them; they hold no answer.
MARKER_TOOLS = {"course/cells.py", "course/leaks.py", "course/distribute.py", "course/contract.py",
                "course/diagnosis.py", "course/grading/simulate.py", "course/grading/variants.py",
                "course/grading/rubrics.py"}
# Control-flow lines ("except (TypeError, ValueError):") are Python, not an answer.
GENERIC_STARTS = ("except", "try:", "else:", "finally:", "return", "pass", "break", "continue", "raise ",
                  "import ", "from ", "with ", "for _", "if not isinstance(")
# A line proves a leak only if it is a whole statement of some length, not a fragment such as
# ".reset_index(drop=True)" or "rows.append({" that any pandas code may contain.
MIN_DISTINCTIVE = 20
TEXT_SUFFIXES = {".ipynb", ".py", ".md", ".txt", ".json", ".csv", ".html", ".cfg", ".toml", ".pth"}

STUDENT_README = """\
# Five priorities for the U.S.-Japan alliance: student copy

1. Install the course package (once, with Python 3.11 or 3.12):

       python -m venv .venv && . .venv/bin/activate
       pip install wheels/course-*.whl

   The data is inside the package: after this step everything works offline.
2. Start JupyterLab and open a notebook: `jupyter lab notebooks/`
3. Replace each `raise NotImplementedError()` with your answer and run the check cell under it.
4. Before you submit, run `course validate notebooks/<assignment>/<notebook>.ipynb` (or press Validate).
"""


class DistributionError(RuntimeError):
    """The distribution could not be built, or it would carry instructor material."""


@dataclass(frozen=True)
class Finding:
    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def _distinctive(line: str) -> bool:
    line = line.strip()
    return (len(line) >= MIN_DISTINCTIVE and not line.startswith(("#", ".", ")", "]", "}", "+", "-", "*", "/", "|", "&"))
            and not line.startswith(GENERIC_STARTS))


def instructor_secrets(assignments: list[str] | None = None) -> tuple[set[str], set[str]]:
    """(distinctive lines, reference numbers) that must never reach a student."""
    from . import contract

    lines: set[str] = set()
    numbers: set[str] = set()
    for assignment in assignments or paths.assignments():
        notebook = next((paths.solutions_dir() / assignment).glob("*.ipynb"))
        solution = nbformat.read(str(notebook), as_version=4)
        lines |= {line for line in leaks.secret_lines(solution) if _distinctive(line)}
        visible = "\n".join(leaks.REGION.sub("", cell.source) for cell in solution.cells)
        for cell in solution.cells:
            for hidden in HIDDEN_REGION.findall(cell.source):
                numbers |= {n for n in _number_literals(hidden) if n not in visible}
        try:
            questions = contract.load(assignment)
        except contract.ContractError:
            continue
        for question in questions:
            codes = [*question.alternatives, *(m.code for m in question.wrong), *question.shortcuts]
            for code in codes:
                lines |= {line.strip() for line in code.splitlines()
                          if _distinctive(line) and line.strip() not in visible}
    return lines, numbers


def _number_literals(code: str) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, float | int) and not isinstance(node.value, bool):
            text = ast.get_source_segment(code, node) or repr(node.value)
            digits = re.sub(r"[^0-9]", "", text.split("e")[0].split("E")[0]).lstrip("0")
            if len(digits) >= REFERENCE_DIGITS:
                found.add(text)
    return found


def scan(folder: Path, secrets: tuple[set[str], set[str]] | None = None) -> list[Finding]:
    """Instructor material found in any file below ``folder`` (wheels are opened and read too)."""
    lines, numbers = secrets if secrets is not None else instructor_secrets()
    findings: list[Finding] = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        relative = str(path.relative_to(folder))
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                for member in wheel.namelist():
                    if Path(member).suffix in TEXT_SUFFIXES:
                        text = wheel.read(member).decode("utf-8", errors="replace")
                        findings += _scan_text(f"{relative}!{member}", text, lines, numbers)
        elif path.suffix in TEXT_SUFFIXES:
            findings += _scan_text(relative, path.read_text(encoding="utf-8", errors="replace"), lines, numbers)
    return findings


def _scan_text(where: str, text: str, lines: set[str], numbers: set[str]) -> list[Finding]:
    hits = leaks.find_leaks(text, lines)
    if where.split("!")[-1] in MARKER_TOOLS:
        hits = [hit for hit in hits if hit not in leaks.MARKERS]
    else:
        hits += [f"contract code {marker!r}" for marker in CONTRACT_MARKERS if marker in text]
    found = [Finding(where, f"instructor text {hit!r}") for hit in hits]
    if not where.endswith(".csv"):  # the data itself holds long numbers; reference values are derived
        found += [Finding(where, f"a hidden test's reference number {n}") for n in sorted(numbers)
                  if re.search(rf"(?<![0-9.]){re.escape(n)}(?![0-9])", text)]
    return found


def build_wheel(out_dir: Path) -> Path:
    """The course package as a wheel (with the data inside), built by pip from the repository."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out_dir), str(paths.REPO_ROOT)],
        capture_output=True, text=True,
    )
    wheels = sorted(out_dir.glob("course-*.whl"))
    if result.returncode != 0 or not wheels:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise DistributionError(f"{paths.REPO_ROOT / 'pyproject.toml'}: pip could not build the course wheel: {last}")
    return wheels[-1]


def distribute(out: Path, assignments: list[str] | None = None) -> tuple[Path, Path]:
    """Build, scan and write the distribution to ``out/course-student`` and ``out/course-student.zip``."""
    from .build import build

    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="course-dist-") as scratch:
        staged = Path(scratch) / "course-student"
        build(assignments, staged / "notebooks")
        build_wheel(staged / "wheels")
        (staged / "README.md").write_text(STUDENT_README, encoding="utf-8")
        findings = scan(staged, instructor_secrets(assignments))
        if findings:
            listed = "\n".join(f"  {f}" for f in findings[:20])
            raise DistributionError(f"the student distribution would carry instructor material:\n{listed}")
        out.mkdir(parents=True, exist_ok=True)
        target = out / "course-student"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(staged, target)
    archive = shutil.make_archive(str(out / "course-student"), "zip", root_dir=out, base_dir="course-student")
    return target, Path(archive)
