"""`course similarity`: planted copies rank above independent work; shared starter code, obvious
one-liners and blank submissions are never flagged; the report escapes what students wrote.

The classes are simulated like `course simulate` does (the student version with its answer cells
filled from the question contract), on 06_capstone, whose contract has two alternatives per question:
with the solution that makes three correct variants, so three students can answer every question
differently. Copies are disguised by hand-written edits: variables renamed, independent lines swapped,
comments removed and added, numbers and strings changed.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from course.cli import main
from course import contract
from course.grading import similarity, variants
from course.grading.discover import CourseWork
from course.grading.simulate import release_notebook, student_notebook

import nbformat

ASSIGNMENT = "06_capstone"

# Written responses in three students' own words (w1_choose, w2_memo). Not course material: test input.
WRITTEN = {
    "indep-1": {
        "w1_choose": "I would keep the allies-only climate indicator, because the question asks what Washington and "
                     "Tokyo do themselves, and folding China in would let one country's trend decide the picture. "
                     "Min-max scaling stretches the summit factor to one and pushes everything else near zero.",
        "w2_memo": "My two priorities are the pandemic and North Korea. The case counts climbed steeply in the month "
                   "I measured, and the launches pause and then return, which an average hides. The article wants "
                   "all five at once; a memo has to choose because attention runs out.",
    },
    "indep-2": {
        "w1_choose": "Including China in the emissions measure makes sense to me since the atmosphere does not care "
                     "whose factory burned the coal. Still, the ranking mostly reflects how scaling treats an outlier: "
                     "the East Asia Summit series is tiny, so one absence swings it.",
        "w2_memo": "Dear Secretary, start with military spending and institutions. Beijing's budget grew between the "
                   "two windows while presidential attendance at regional summits collapsed. Our data cannot show "
                   "vaccination progress or incidents near the Senkakus, so treat those gaps with caution.",
    },
    "indep-3": {
        "w1_choose": "Weights are a judgement call. I gave climate and North Korea equal weight and checked that the "
                     "leader did not change when the climate indicator was swapped; it stayed the same. Rank scaling "
                     "would tell a different story than min-max does.",
        "w2_memo": "Climate should come first, followed by the China challenge. Allied emissions fell a little while "
                   "Chinese spending rose. Sequencing matters because officials have limited bandwidth, and the "
                   "course tables end before some recent events, which limits any firm conclusion.",
    },
}


def solution_code(solution, grade_id: str) -> str:
    cell = next(c for c in solution.cells if variants.nbgrader_meta(c).get("grade_id") == grade_id)
    region = variants.SOLUTION_REGION.search(cell.source).group(0)
    return region.replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION", "").strip("\n") + "\n"


def correct_variants(solution, question: contract.Question) -> list[str]:
    return [solution_code(solution, question.answer), *question.alternatives]


def disguise(code: str) -> str:
    """What a student does to hide a copy: swap independent lines, rename variables, change comments and literals."""
    lines = code.strip("\n").splitlines()
    tree = ast.parse(code.strip("\n"))
    statements = tree.body
    for first, second in zip(statements, statements[1:]):
        stores = {n.id for n in ast.walk(first) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        loads = {n.id for n in ast.walk(second) if isinstance(n, ast.Name)}
        stores2 = {n.id for n in ast.walk(second) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        loads1 = {n.id for n in ast.walk(first) if isinstance(n, ast.Name)}
        if not (stores & loads) and not (stores2 & loads1):
            a = lines[first.lineno - 1:first.end_lineno]
            b = lines[second.lineno - 1:second.end_lineno]
            lines[first.lineno - 1:second.end_lineno] = b + a
            break
    code = "\n".join(line for line in lines if not line.strip().startswith("#"))
    stored = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)})
    for number, name in enumerate(stored):
        code = re.sub(rf"(?<![.\w\"']){re.escape(name)}\b", f"my_value_{number}", code)
    code = re.sub(r"(?<![\w.])(\d+)(?![\w.])", lambda m: str(int(m.group(1)) + 1), code)
    code = re.sub(r'"([^"\n]*)"', lambda m: f"'{m.group(1)} '", code)
    return "# worked this out myself\n" + code + "\n# done\n"


def write(course_dir, student: str, codes: dict[str, str], written: dict[str, str]) -> None:
    """A submission whose answer cells hold ``codes`` (missing: left blank) and written responses ``written``."""
    solution = variants.read_solution(ASSIGNMENT)
    name = variants.solution_notebook_path(ASSIGNMENT).name
    release = release_notebook(ASSIGNMENT, name)
    choices = {grade_id: "alternative" if grade_id in codes else "blank" for grade_id in variants.answer_ids(solution)}
    nb = student_notebook(solution, release, choices, {}, codes)
    for cell in nb.cells:
        meta = variants.nbgrader_meta(cell)
        if cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):  # a written response
            cell.source = written.get(meta["grade_id"], "YOUR ANSWER HERE")
    target = course_dir / "submitted" / student / ASSIGNMENT / name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(target))


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("similarity-class")
    return root, plant_class(root)


def plant_class(root):
    """Three independent students (pairwise a different correct variant on every question), a disguised
    copy of the first one's code, a copy of the second one's memo, and two blank submissions."""
    solution = variants.read_solution(ASSIGNMENT)
    questions = contract.load(ASSIGNMENT)
    assert all(len(q.alternatives) >= 2 for q in questions), "the test needs three correct variants per question"
    codes = {}
    for n in range(3):
        student = f"indep-{n + 1}"
        codes[student] = {q.answer: correct_variants(solution, q)[(i + n) % 3] for i, q in enumerate(questions)}
        write(root, student, codes[student], WRITTEN[student])
    write(root, "copies-code", {gid: disguise(code) for gid, code in codes["indep-1"].items()}, {})
    memo = WRITTEN["indep-2"]["w2_memo"].replace("Dear Secretary, start", "To the Secretary: begin").replace("grew", "rose")
    write(root, "copies-memo", {}, {"w2_memo": memo.upper()})
    write(root, "blank-1", {}, {})
    write(root, "blank-2", {}, {})
    return codes


def scores(result) -> dict[frozenset, float]:
    return {frozenset((p.a, p.b)): p.score for p in result.pairs}


def test_disguise_changes_every_answer(planted):
    _, codes = planted
    for grade_id, code in codes["indep-1"].items():
        assert disguise(code) != code
    swapped = sum(disguise(code).count("my_value") > 0 for code in codes["indep-1"].values())
    assert swapped == len(codes["indep-1"])


def test_planted_copies_rank_above_every_independent_pair(planted):
    root, _ = planted
    result = similarity.find_similar(CourseWork.at(root), [ASSIGNMENT], threshold=0)
    found = scores(result)
    independent = [found.get(frozenset(p), 0.0) for p in [("indep-1", "indep-2"), ("indep-1", "indep-3"), ("indep-2", "indep-3")]]
    copied_code = found[frozenset(("indep-1", "copies-code"))]
    copied_memo = found[frozenset(("indep-2", "copies-memo"))]
    assert min(copied_code, copied_memo) > max(independent), (copied_code, copied_memo, independent)
    assert copied_code >= similarity.DEFAULT_THRESHOLD and copied_memo >= similarity.DEFAULT_THRESHOLD
    assert max(independent) < similarity.DEFAULT_THRESHOLD
    code_pair = next(p for p in result.pairs if {p.a, p.b} == {"indep-1", "copies-code"})
    assert code_pair.compared == len(contract.load(ASSIGNMENT))  # every code question; the copier wrote no response
    top_two = {frozenset((p.a, p.b)) for p in result.pairs[:2]}
    assert top_two == {frozenset(("indep-1", "copies-code")), frozenset(("indep-2", "copies-memo"))}


def test_blank_submissions_are_never_flagged(planted):
    root, _ = planted
    result = similarity.find_similar(CourseWork.at(root), [ASSIGNMENT], threshold=0)
    assert result.submissions[ASSIGNMENT] == 7
    assert not [p for p in result.pairs if {"blank-1", "blank-2"} & {p.a, p.b}]


def test_shared_starter_and_obvious_one_liners_are_not_flagged(tmp_path):
    """Two students who wrote the same one-line answers (the solution's) and differ everywhere else."""
    solution = variants.read_solution(ASSIGNMENT)
    questions = contract.load(ASSIGNMENT)
    one_liners = [q.answer for q in questions if len(solution_code(solution, q.answer).strip().splitlines()) == 1]
    assert one_liners
    for n, student in enumerate(["one-liner-1", "one-liner-2"]):
        write(tmp_path, student, {q.answer: correct_variants(solution, q)[0 if q.answer in one_liners else n + 1]
                                  for q in questions}, WRITTEN[f"indep-{n + 1}"])
    result = similarity.find_similar(CourseWork.at(tmp_path), [ASSIGNMENT], threshold=0)
    pair = next(p for p in result.pairs if {p.a, p.b} == {"one-liner-1", "one-liner-2"})
    assert {m.question.grade_id: m.score for m in pair.matches}[one_liners[0]] == pytest.approx(1.0)  # they do share it
    assert pair.score < similarity.DEFAULT_THRESHOLD
    # the same two students handing in the same full answers would be flagged
    write(tmp_path, "one-liner-2", {q.answer: correct_variants(solution, q)[0 if q.answer in one_liners else 1]
                                    for q in questions}, WRITTEN["indep-2"])
    result = similarity.find_similar(CourseWork.at(tmp_path), [ASSIGNMENT], threshold=0)
    assert scores(result)[frozenset(("one-liner-1", "one-liner-2"))] >= similarity.DEFAULT_THRESHOLD


def test_json_and_report(planted, tmp_path):
    root, _ = planted
    out = tmp_path / "similarity.html"
    runner = CliRunner()
    listed = runner.invoke(main, ["similarity", ASSIGNMENT, "--course-dir", str(root), "--json"])
    assert listed.exit_code == 0, listed.output
    pairs = json.loads(listed.output)
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    assert {frozenset((p["a"], p["b"])) for p in pairs} == {frozenset(("indep-1", "copies-code")),
                                                           frozenset(("indep-2", "copies-memo"))}
    assert set(pairs[0]) == {"a", "b", "assignment", "score", "questions"} and pairs[0]["assignment"] == ASSIGNMENT
    written = runner.invoke(main, ["similarity", "--course-dir", str(root), "-o", str(out)])
    assert written.exit_code == 0, written.output
    page = out.read_text(encoding="utf-8")
    assert "never proof" in page and "<caption>" in page and "<mark>" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the report must load nothing remote"


def test_scores_are_the_same_in_every_run(planted):
    """copydetect hashes with Python's salted hash(); the course replaces it so that a rerun agrees."""
    root, _ = planted
    here = similarity.find_similar(CourseWork.at(root), [ASSIGNMENT], threshold=0)
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"  # a salt other than this process's
    run = subprocess.run([sys.executable, "-m", "course.cli", "similarity", ASSIGNMENT, "--course-dir", str(root),
                          "--json", "--threshold", "0"], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONHASHSEED": seed})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == json.loads(similarity.to_json(here)) and len(here.pairs) >= 3


def test_student_text_is_escaped_in_the_report(tmp_path):
    hostile = "<script>alert(1)</script> the allies cut their emissions while China raised its own by a wide margin"
    code = "note = '</code><script>alert(2)</script>'\nchina_first_weights = {'a': note, 'b': 2, 'c': 3, 'd': 4}\n"
    for student in ("s1", "s2"):
        write(tmp_path, student, {"q9_china_first": code}, {"w1_choose": hostile})
    result = similarity.find_similar(CourseWork.at(tmp_path), [ASSIGNMENT])
    page = similarity.render_html(result, threshold=similarity.DEFAULT_THRESHOLD)
    assert {m.question.grade_id for m in result.pairs[0].matches} == {"q9_china_first", "w1_choose"}
    assert "<script" not in page and "</code><script" not in page
    assert "&lt;<mark>script&gt;alert(1)&lt;/script&gt; the allies" in page
    assert "&lt;/code&gt;&lt;script&gt;alert(2)" in page


def test_unknown_assignment_and_missing_folder_are_one_line_errors(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["similarity", "--course-dir", str(tmp_path)])
    assert missing.exit_code != 0 and "submitted" in missing.output
    (tmp_path / "submitted").mkdir()
    unknown = runner.invoke(main, ["similarity", "99_nothing", "--course-dir", str(tmp_path)])
    assert unknown.exit_code != 0 and "99_nothing" in unknown.output


def test_unreadable_notebook_is_named_and_skipped(tmp_path):
    name = variants.solution_notebook_path(ASSIGNMENT).name
    broken = tmp_path / "submitted" / "s1" / ASSIGNMENT / name
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json", encoding="utf-8")
    result = similarity.find_similar(CourseWork.at(tmp_path), [ASSIGNMENT])
    assert str(broken) in result.skipped and str(broken) in result.skipped[str(broken)]
