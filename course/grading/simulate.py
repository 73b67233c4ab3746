"""`course simulate`: a plausible class in DIR/submitted/, to dry-run the tests before release.

Each simulated notebook is the student version (what students download) with its answer cells filled
from the question contract (instructor/questions/<assignment>.py): the solution, an alternative correct answer, a plausible wrong
answer, or nothing. The first students are the four fixed cases (complete, blank, all wrong, all
alternative); the others have an "ability" drawn from a seeded RNG that sets, per question, the
chance of a correct answer, so the class report shows a realistic spread and discrimination.
"""

from __future__ import annotations

import copy
import functools
import random
import tempfile
from pathlib import Path

import nbformat

from .. import paths
from . import variants

BLANK_CODE = "# YOUR CODE HERE\nraise NotImplementedError()"
FIXED_PROFILES = ("complete", "blank", "all-wrong", "all-alternative")


def release_notebook(assignment: str, notebook_name: str) -> nbformat.NotebookNode:
    """The student version from notebooks/, or freshly generated if it is not there."""
    path = paths.notebooks_dir() / assignment / notebook_name
    if path.is_file():
        return nbformat.read(str(path), as_version=4)
    return copy.deepcopy(_generated_release(str(paths.solutions_dir()), assignment, notebook_name))


@functools.lru_cache(maxsize=32)
def _generated_release(solutions_dir: str, assignment: str, notebook_name: str) -> nbformat.NotebookNode:
    from ..build import build

    with tempfile.TemporaryDirectory(prefix="course-simulate-") as scratch:
        build([assignment], Path(scratch))
        return nbformat.read(str(Path(scratch) / assignment / notebook_name), as_version=4)


def _written_answer(grade_id: str, quality: str) -> str:
    if quality == "blank":
        return "YOUR ANSWER HERE"
    return (f"(simulated {quality} written answer for {grade_id}) The data show a change over the period, "
            "but the comparison has limits that the article does not discuss.")


def student_notebook(solution, release, choices: dict[str, str], wrong: dict[str, str], alternative: dict[str, str]):
    """The release notebook with each answer cell filled as ``choices[grade_id]`` says
    (solution | alternative | wrong | blank)."""
    replacements = {}
    for grade_id in variants.answer_ids(solution):
        choice = choices.get(grade_id, "blank")
        if choice == "solution":
            continue  # substitute() leaves it; the markers are stripped below
        replacements[grade_id] = {"alternative": alternative.get(grade_id), "wrong": wrong.get(grade_id)}.get(choice) or BLANK_CODE
    filled = variants.substitute(solution, replacements)
    by_id = {variants.nbgrader_meta(c).get("grade_id"): c for c in filled.cells}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        meta = variants.nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if variants.is_answer_cell(cell) and grade_id in by_id:
            source = by_id[grade_id].source
            cell.source = source.replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION\n", "").replace("### END SOLUTION", "")
        elif cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
            cell.source = _written_answer(grade_id, _written_quality(choices))
    return nb


def _written_quality(choices: dict[str, str]) -> str:
    """Written responses follow the code answers: none if nothing was attempted, good if most were right."""
    attempted = [c for c in choices.values() if c != "blank"]
    if not attempted:
        return "blank"
    right = sum(c in ("solution", "alternative") for c in attempted)
    return "good" if right >= len(attempted) / 2 else "weak"


def _choices(profile: str, ids: list[str], rng: random.Random, ability: float) -> dict[str, str]:
    if profile == "complete":
        return {i: "solution" for i in ids}
    if profile == "blank":
        return {i: "blank" for i in ids}
    if profile == "all-wrong":
        return {i: "wrong" for i in ids}
    if profile == "all-alternative":
        return {i: "alternative" for i in ids}
    choices = {}
    for position, grade_id in enumerate(ids):
        # later questions are harder and more often left blank by weaker students
        difficulty = 0.15 + 0.5 * position / max(1, len(ids) - 1)
        draw = rng.random()
        if draw < ability * (1 - difficulty) + 0.1:
            choices[grade_id] = rng.choice(["solution", "solution", "alternative"])
        elif draw < 0.9 - 0.3 * ability:
            choices[grade_id] = "wrong"
        else:
            choices[grade_id] = "blank"
    return choices


def simulate_class(course_dir: Path, students: int, seed: int = 0, assignments: list[str] | None = None) -> list[Path]:
    """Write DIR/submitted/<student>/<assignment>/<notebook>.ipynb for ``students`` students."""
    rng = random.Random(seed)
    submitted = Path(course_dir) / "submitted"
    width = max(3, len(str(students)))
    student_ids = [f"student-{n:0{width}d}" for n in range(1, students + 1)]
    profiles = [FIXED_PROFILES[n] if n < len(FIXED_PROFILES) else "partial" for n in range(students)]
    abilities = [rng.betavariate(2.5, 1.6) for _ in range(students)]
    written: list[Path] = []
    for assignment in assignments or paths.assignments():
        solution_path = variants.solution_notebook_path(assignment)
        solution = nbformat.read(str(solution_path), as_version=4)
        release = release_notebook(assignment, solution_path.name)
        wrong, alternative = variants.load_answers(assignment)  # ContractError names a missing contract
        ids = variants.answer_ids(solution)
        for student, profile, ability in zip(student_ids, profiles, abilities):
            nb = student_notebook(solution, release, _choices(profile, ids, rng, ability), wrong, alternative)
            target = submitted / student / assignment / solution_path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(target))
            written.append(target)
    return written
