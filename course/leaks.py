"""Find instructor-only text (solutions, rubrics, hidden tests) in anything a student receives."""

from __future__ import annotations

import re

import nbformat

REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.DOTALL)
MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "Model answer (instructor version only)", "**Rubric (")

# Lines too generic to prove a leak (they also occur in the student version's own code).
MIN_LINE_LENGTH = 12


def secret_lines(instructor_nb: nbformat.NotebookNode, kinds: tuple[str, ...] = ("SOLUTION", "HIDDEN TESTS")) -> set[str]:
    """Distinctive lines found only inside the instructor version's solution or hidden-test regions."""
    inside: set[str] = set()
    outside: set[str] = set()
    for cell in instructor_nb.cells:
        source = cell.source
        for match in REGION.finditer(source):
            if match.group(1) in kinds:
                inside.update(line.strip() for line in match.group(2).splitlines())
        outside.update(line.strip() for line in REGION.sub("", source).splitlines())
    return {line for line in inside - outside if len(line) >= MIN_LINE_LENGTH and not line.startswith("#")}


def find_leaks(text: str, secrets: set[str]) -> list[str]:
    """Markers and secret lines that occur in ``text`` (a student notebook or a feedback page)."""
    found = [marker for marker in MARKERS if marker in text]
    found += sorted(line for line in secrets if line in text)
    return found
