"""Static scan of a submission for code that tries to game the autograder.

Test cells run in the same Python process as the student's answers, so an answer can patch what the
tests rely on. The sandbox's guard (course/grading/isolation/guard.py) undoes the common patches
before every cell; a determined student can still defeat it (e.g. with an object whose ``__eq__``
always returns True). This scan does not change any score: it lists what an instructor should look
at, and `course autograde` flags the submission in the gradebook.

Only the code a student wrote is scanned: lines that also occur in the instructor's version of the
notebook (setup cells, public checks) are ignored, so the course's own code never raises a flag.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from ... import cells, paths

# (pattern, what an instructor reads). Patterns match one line of a student's code cell.
SUSPICIOUS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bimport\s+builtins\b|\bfrom\s+builtins\s+import\b|__builtins__"), "changes Python's builtins"),
    (re.compile(r"\bchecks\s*\.\s*\w+\s*=(?!=)|setattr\s*\(\s*checks\b|\bchecks\s*\.\s*__dict__"),
     "replaces a course.checks helper used by the tests"),
    (re.compile(r"\bsys\s*\.\s*modules\b"), "edits sys.modules (can swap the modules tests import)"),
    (re.compile(r"\bAssertionError\s*=(?!=)|\bCheckFailed\s*=(?!=)"), "redefines the exception tests raise"),
    (re.compile(r"\b(get_ipython|input_transformers\w*|ast_transformers|events\s*\.\s*(register|unregister|callbacks)|"
                r"set_custom_exc|showtraceback|run_cell)\b"),
     "reaches into the IPython kernel (can hide or rewrite the test cells)"),
    (re.compile(r"\b__code__\b|\b__globals__\b|\bgc\s*\.\s*get_referrers\b|\bctypes\b"),
     "rewrites functions or memory at a low level"),
    (re.compile(r"def\s+__(eq|ne|lt|le|gt|ge|float|int|bool|len|contains)__\s*\("),
     "defines a class that controls comparisons (an answer that equals anything)"),
    (re.compile(r"^\s*(len|sorted|int|float|abs|round|sum|min|max|isinstance|all|any|list|set|str|type|print)\s*=(?!=)"),
     "shadows a builtin function the tests use"),
    (re.compile(r"\b(os\s*\.\s*_exit|sys\s*\.\s*exit|exit\s*\(|quit\s*\(|os\s*\.\s*kill|signal\s*\.)"),
     "stops or signals the kernel"),
    (re.compile(r"\bos\s*\.\s*fork\b|\bsubprocess\b|\bos\s*\.\s*(system|popen|exec\w*|spawn\w*)\b"),
     "starts other processes"),
    # module use, not the words: "requests" is also a step of notebook 5's road map
    (re.compile(r"\bimport\s+(socket|urllib|requests|http)\b|\bfrom\s+(socket|urllib|requests|http)\b|"
                r"\b(socket|urllib\w*|requests|http\.client)\s*\.\s*\w+\s*\("), "opens network connections"),
    (re.compile(r"gradebook|\.db\b|solutions?/|\bautograded\b|\bsubmitted\b|\.\./|/root|/home/|~/"),
     "reads files outside the assignment (gradebook, solutions, other submissions)"),
    # (?<!\.) leaves pandas' DataFrame.eval / .query-style methods alone
    (re.compile(r"(?<![.\w])(exec|eval|compile|__import__)\s*\(|\bimportlib\b|base64|codecs\s*\.\s*decode"),
     "runs code built at run time (can hide any of the above)"),
]


def _instructor_lines(notebook_path: Path) -> set[str]:
    """Every line of the instructor's version of this notebook, if it can be found."""
    lines: set[str] = set()
    for source in paths.solutions_dir().glob(f"*/{Path(notebook_path).name}"):
        try:
            nb = nbformat.read(str(source), as_version=4)
        except Exception:  # noqa: BLE001 - a broken source is reported elsewhere
            continue
        for cell in nb.cells:
            lines.update(line.strip() for line in cell.source.splitlines())
    return lines


def scan_submission(notebook_path: Path | str) -> list[str]:
    """Findings for an instructor, one per suspicious student line: "<cell>: <what> — `<code>`".

    An empty list means nothing suspicious was found (which is not a proof of honesty). A file that
    is not a readable notebook gives no findings: autograde reports it as unusable anyway.
    """
    notebook_path = Path(notebook_path)
    try:
        nb = nbformat.read(str(notebook_path), as_version=4)
    except Exception:  # noqa: BLE001 - corrupt or empty files are autograde's to report
        return []
    known = _instructor_lines(notebook_path)
    findings: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        label = cells.cell_grade_id(cell) or f"cell {index + 1}"
        for line in str(cell.get("source", "")).splitlines():
            code = line.split("#", 1)[0].rstrip() if "#" in line and not re.search(r"['\"].*#", line) else line.rstrip()
            stripped = code.strip()
            if not stripped or line.strip() in known:
                continue
            for pattern, meaning in SUSPICIOUS:
                if pattern.search(code):
                    findings.append(f"{label}: {meaning} — `{stripped[:120]}`")
                    break
    return findings
