"""The question contract: every autograded question declared once, with the answers that test it.

Each assignment has ``instructor/questions/<assignment>.py`` (instructor material: never released,
never read from tests/) defining ``QUESTIONS``, a list of :class:`Question`::

    Question(
        answer="q6_trade_growth",        # grade_id of the answer cell; its test cell is <answer>_test
        points=2,                        # must equal the test cell's points and the heading's
        compare="assert_series",         # the course.checks comparator its hidden test uses
        upstream=("q5_trade_yearly",),   # earlier answers it builds on (graded with error carried forward)
        alternatives=(CODE, CODE),       # >= 2 correct answers written another way: keep the points
        wrong=(Mistake("divides by the final year", CODE), ...),  # >= 2 plausible mistakes: lose them
        shortcuts=(CODE,),               # >= 1 attempts that skip the work (a helper, a cleaned file): lose them
        hints=("nudge", "method"),       # shown one at a time by checks.hint("q6"); never code or a value
        visibility="hidden",             # what feedback shows of this test (VISIBILITY)
    )

A Mistake's ``message`` is shown to the student whose answer equals that mistake's value (course build
fingerprints each mistake's value; see course/diagnosis.py).

Code strings replace the solution region of the answer cell. The alternatives with the same position
are written to work together (the grading tests run "every first alternative" as one submission), and
so are the wrong answers and the shortcuts.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import paths


@dataclass(frozen=True)
class Mistake:
    """A plausible wrong answer and the mistake it represents.

    ``mistake`` says what the code does wrong (for instructors and the class report); ``message`` is what
    the student is told when their answer matches this mistake: it names the mistake and points to the
    method, never the answer (no expected value, no "one day too early" that gives it away).
    """

    mistake: str
    code: str
    message: str = ""


# Who sees what of a test in the feedback (course feedback; see feedback.clean_test_cell).
VISIBILITY = (
    "visible",      # the public checks, the hidden check's verdict and its failure message, the points
    "hidden",       # the public checks, the verdict, the named mistake (if recognised), the points
    "after_due",    # nothing about the test before the due date; after it, as "hidden"
    "points_only",  # only the verdict and the points
)


@dataclass(frozen=True)
class Question:
    answer: str
    points: float
    compare: str
    alternatives: tuple[str, ...]
    wrong: tuple[Mistake, ...]
    shortcuts: tuple[str, ...] = ()
    upstream: tuple[str, ...] = field(default=())
    hints: tuple[str, ...] = ()  # checks.hint(): nudge first, then the method; never code, never a value
    visibility: str = "hidden"   # one of VISIBILITY

    @property
    def test_id(self) -> str:
        return f"{self.answer}_test"


class ContractError(ValueError):
    """An assignment's question contract is missing or malformed."""


def questions_dir() -> Path:
    """Where the contracts live: ``$COURSE_QUESTIONS_DIR`` or ``<repo>/instructor/questions``."""
    return Path(os.environ.get("COURSE_QUESTIONS_DIR", paths.REPO_ROOT / "instructor" / "questions"))


def contract_path(assignment: str) -> Path:
    return questions_dir() / f"{assignment}.py"


def load(assignment: str) -> list[Question]:
    """The assignment's questions, in notebook order. Raises ContractError naming the file."""
    path = contract_path(assignment)
    if not path.is_file():
        raise ContractError(f"{path}: no question contract for {assignment} (every assignment needs one)")
    spec = importlib.util.spec_from_file_location(f"course_contract_{assignment}", path)
    if spec is None or spec.loader is None:
        raise ContractError(f"{path}: cannot be read as Python")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 - report any failure as one line naming the file
        raise ContractError(f"{path}: {type(error).__name__}: {error}") from None
    questions = getattr(module, "QUESTIONS", None)
    if not isinstance(questions, list) or not all(isinstance(q, Question) for q in questions):
        raise ContractError(f"{path}: QUESTIONS must be a list of course.contract.Question")
    for q in questions:
        for field_name in ("alternatives", "wrong", "shortcuts", "upstream", "hints"):
            if not isinstance(getattr(q, field_name), tuple):
                # a missing comma turns ("code") into a string: say so instead of iterating its characters
                raise ContractError(f"{path}: {q.answer}.{field_name} must be a tuple (a missing comma after one item?)")
        if not all(isinstance(m, Mistake) for m in q.wrong):
            raise ContractError(f"{path}: {q.answer}.wrong must hold Mistake(...) items")
        if q.visibility not in VISIBILITY:
            raise ContractError(f"{path}: {q.answer}.visibility is {q.visibility!r}; use one of {', '.join(VISIBILITY)}")
    names = [q.answer for q in questions]
    if len(set(names)) != len(names):
        raise ContractError(f"{path}: a question is declared twice")
    return questions


def by_answer(assignment: str) -> dict[str, Question]:
    return {q.answer: q for q in load(assignment)}


def round_of(questions: list[Question], kind: str, index: int) -> dict[str, str]:
    """{answer: code} of the index-th alternative / wrong answer / shortcut of every question that has one."""
    chosen = {}
    for q in questions:
        options = {"alternative": q.alternatives, "wrong": tuple(m.code for m in q.wrong), "shortcut": q.shortcuts}[kind]
        if index < len(options):
            chosen[q.answer] = options[index]
    return chosen


def cascade_rounds(questions: list[Question]) -> list[set[str]]:
    """Sets of questions to answer wrongly so that every question with an upstream is graded once with
    a wrong upstream and its own step right (error carried forward). Greedy: a question joins the
    first round where it is not itself wrong and its upstreams can be wrong."""
    rounds: list[tuple[set[str], set[str]]] = []  # (wrong, must be right)
    for q in questions:
        if not q.upstream:
            continue
        ups = set(q.upstream)
        for wrong, right in rounds:
            if q.answer not in wrong and not (ups & right):
                wrong |= ups
                right.add(q.answer)
                break
        else:
            rounds.append((set(ups), {q.answer}))
    return [wrong for wrong, _ in rounds]
