"""Hostile student output never becomes markup: feedback pages are sanitised and load nothing remote,
the autograde summary and the class report print student-controlled text as text (issue 17, item 5).
Also: graders' rubric notes stay out of what students see, and provisional grades say so (issue 19)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import nbformat
import pandas as pd
from rich.console import Console

from course.grading import safe_html
from course.grading.autograde import Summary
from course.grading.discover import CourseWork
from course.grading.feedback import clean_notebook
from course.grading.report import build_report, question_statistics, student_view
from course.grading.rubrics import add_grader_notes, is_grader_note, rubric_of
from course.grading.summary import print_summary

SCRIPT = "<script>alert('pwned')</script>"
ONERROR = "<img src=x onerror=\"alert('pwned')\">"
REMOTE = "<img src='https://tracker.example/pixel.png'>"
MARKUP = "[bold red]boom[/bold red]"


class _Elements(HTMLParser):
    """Every element of an HTML text, as a browser would parse it (escaped text is not an element)."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _no_active_content(html: str) -> None:
    for tag, attrs in _Elements(html).elements:
        assert tag not in ("script", "iframe", "object", "embed", "link"), (tag, attrs)
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)  # no event handler
        for attribute in ("src", "href", "srcset"):
            value = (attrs.get(attribute) or "").strip().lower()
            assert not value.startswith("javascript:"), (tag, attrs)
            if attribute != "href":
                assert value == "" or value.startswith("data:image/"), (tag, attrs)  # nothing fetched


def test_clean_removes_scripts_handlers_and_remote_resources_but_keeps_tables():
    page = safe_html.clean(f"<table class='dataframe'><tr><th>a</th></tr><tr><td>1</td></tr></table>{SCRIPT}{ONERROR}{REMOTE}"
                           "<img src='data:image/png;base64,iVBORw0KGgo='><a href='javascript:alert(1)'>x</a>")
    _no_active_content(page)
    assert "javascript:" not in page and "tracker.example" not in page
    assert "<th>a</th>" in page and "class=\"dataframe\"" in page
    assert "data:image/png;base64,iVBORw0KGgo=" in page  # embedded images stay


def test_clean_output_drops_javascript_and_neutralises_svg():
    output = nbformat.v4.new_output("display_data", data={
        "application/javascript": "alert('pwned')", "text/html": SCRIPT + "<b>ok</b>", "text/plain": "ok"})
    safe_html.clean_output(output)
    assert "application/javascript" not in output["data"] and output["data"]["text/html"] == "<b>ok</b>"
    svg = nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg><script>alert('pwned')</script></svg>"})
    safe_html.clean_output(svg)
    assert svg["data"]["text/html"].startswith('<img src="data:image/svg+xml;base64,')  # an <img> runs no script


def test_markdown_is_sanitised_and_formulas_become_mathml():
    page = safe_html.markdown_cell_html(f"My answer {SCRIPT} {ONERROR}\n\n{REMOTE}\n\nThe rate is $r = \\frac{{a}}{{b}}$, "
                                        "`x < 3`, and it cost $5 or $6.")
    _no_active_content(page)
    assert "tracker.example" not in page and "alert(" not in page
    assert "<math" in page and "<mfrac>" in page and "$5 or $6" in page
    assert "<code>x &lt; 3</code>" in page
    assert "\n\n" not in page  # one HTML block: the template's markdown renderer passes it unchanged


def _written_cell(grade_id: str, source: str):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": grade_id, "points": 3, "locked": False,
                                 "schema_version": 3}
    return cell


def test_feedback_copy_is_safe_marks_pending_answers_and_drops_grader_notes():
    hostile = nbformat.v4.new_code_cell("print(...)")
    hostile.outputs = [nbformat.v4.new_output("display_data", data={"text/html": SCRIPT + ONERROR + REMOTE, "text/plain": "x"})]
    nb = nbformat.v4.new_notebook(cells=[hostile, _written_cell("w1", f"My essay {SCRIPT}")])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells.insert(2, nbformat.from_dict({**nbformat.v4.new_markdown_cell("**Rubric** secret rubric"),
                                           "metadata": {"course": {"grader_note": "w1"}}}))
    cleaned = clean_notebook(nb, {"w1": (0.0, 3.0)}, pending={"w1": 3.0})
    text = json.dumps(cleaned)
    for cell in cleaned.cells:
        _no_active_content(cell.source)
        for output in cell.get("outputs", []):
            _no_active_content(output["data"].get("text/html", ""))
    assert "tracker.example" not in text and "alert(" not in text
    assert "secret rubric" not in text and "widgets" not in cleaned.metadata
    essay = cleaned.cells[1].source
    assert "Not graded yet" in essay and "My essay" in essay
    assert cleaned.metadata["course"] == {"pending": ["w1"], "pending_points": 3.0}


def test_grader_notes_go_under_each_written_answer_once():
    solution = nbformat.v4.new_notebook(cells=[
        _written_cell("w1", "### BEGIN SOLUTION\n**Model answer.** Yes.\n\n**Rubric (3 points)** 1 pt each\n### END SOLUTION")])
    assert rubric_of(solution.cells[0]).startswith("**Model answer.** Yes.") and "1 pt each" in rubric_of(solution.cells[0])
    submitted = nbformat.v4.new_notebook(cells=[_written_cell("w1", "The student's essay"), nbformat.v4.new_code_cell("x = 1")])
    import course.grading.rubrics as rubrics

    original = rubrics.rubrics
    rubrics.rubrics = lambda assignment, notebook: {"w1": rubric_of(solution.cells[0])}
    try:
        add_grader_notes(submitted, "a", "nb")
        add_grader_notes(submitted, "a", "nb")  # Autograde may run twice (--force): still one note
    finally:
        rubrics.rubrics = original
    assert [is_grader_note(c) for c in submitted.cells] == [False, True, False]
    assert "1 pt each" in submitted.cells[1].source and "not shown to students" in submitted.cells[1].source


def test_summary_prints_student_names_and_reasons_as_text():
    console = Console(record=True, width=200)
    work = CourseWork.at("/nonexistent-course-dir")
    summary = Summary(failed={f"{MARKUP}/00_alliance": f"no notebook named {MARKUP}.ipynb"},
                      flagged={f"{MARKUP}/01_health": [f"found {MARKUP}"]}, isolation={"bwrap"}, workers=1)
    import course.grading.summary as summary_module

    original = summary_module.pending_line
    summary_module.pending_line = lambda work: None  # no gradebook here
    try:
        print_summary(summary, work, console)
    finally:
        summary_module.pending_line = original
    out = console.export_text()
    assert out.count(MARKUP) >= 3, out  # shown literally, not swallowed as style tags


def test_report_escapes_student_controlled_text(tmp_path):
    work = CourseWork.at(tmp_path / "course")
    work.write_failures({f"{SCRIPT}/00_alliance": {"student": SCRIPT, "assignment": "00_alliance",
                                                    "reason": f"no notebook named {ONERROR}", "when": "now"}})
    page = build_report(work)
    _no_active_content(page)
    assert "&lt;script&gt;" in page


def test_pending_answers_are_left_out_of_pass_rates():
    scores = pd.DataFrame({"q1": [1.0, 0.0, 1.0, 1.0], "w1": [3.0, float("nan"), float("nan"), 0.0]})
    stats = question_statistics(scores, {"q1": (1.0, True), "w1": (3.0, False)}).set_index("question")
    assert stats.loc["w1", "pass_rate"] == 0.5 and stats.loc["w1", "graded"] == 2 and stats.loc["w1", "awaiting"] == 2
    assert stats.loc["q1", "pass_rate"] == 0.75


def test_student_view_finds_the_lowest_quartile_missing_and_failed():
    rows = []
    for student, score, status in (("a", 10, "graded"), ("b", 2, "graded"), ("c", 8, "graded"), ("d", 9, "graded")):
        rows.append({"student_id": student, "assignment": "x", "score": score, "max_score": 10, "status": status,
                     "awaiting_grader": ""})
    rows.append({"student_id": "a", "assignment": "y", "score": 0.0, "max_score": 10, "status": "not submitted", "awaiting_grader": ""})
    rows.append({"student_id": "c", "assignment": "y", "score": None, "max_score": 10, "status": "failed to grade", "awaiting_grader": ""})
    rows.append({"student_id": "b", "assignment": "y", "score": 5, "max_score": 10, "status": "graded", "awaiting_grader": "w1 w2"})
    rows.append({"student_id": "d", "assignment": "y", "score": 9, "max_score": 10, "status": "graded", "awaiting_grader": ""})
    view = student_view(pd.DataFrame(rows)).set_index("student")
    assert view.loc["a", "missing"] == ["y"] and view.loc["c", "failed"] == ["y"]
    assert view.loc["c", "possible"] == 10  # a failed submission is left out, not a zero
    assert view.loc["b", "awaiting"] == 2
    assert view["lowest_quartile"].tolist().count(True) == 1 and view.loc["b", "lowest_quartile"]
