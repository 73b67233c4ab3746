"""The grading wing's parts that need no kernel: the scheduler's decisions and the gradebook merge."""

from __future__ import annotations

import pickle

import pytest
from nbgrader.api import Gradebook

from course import paths
from course.grading import gradebook
from course.grading.gradebook import GradingError
from course.grading.pool import TEMPLATE_TIMEOUT, Scheduler
from course.grading.tasks import CellScore, GradeResult, GradeTask, NotebookScores, TemplateResult, TemplateTask


def template(assignment: str) -> TemplateTask:
    return TemplateTask(assignment, "rev", f"/t/{assignment}", f"/t/{assignment}/template.db", f"/t/{assignment}/release", None)


def grade(student: str, assignment: str) -> GradeTask:
    return GradeTask(student, assignment, f"/s/{student}/{assignment}", f"/w/{student}", f"/t/{assignment}/template.db",
                     f"/t/{assignment}/release", 30, "/course")


def drain(scheduler: Scheduler) -> list:
    handed = []
    while (chosen := scheduler.next_task()) is not None:
        handed.append(chosen)
    return handed


def test_templates_go_first_and_a_submission_waits_for_its_own_template():
    scheduler = Scheduler([template("a"), template("b")], [grade("s1", "b"), grade("s2", "a"), grade("s3", "b")],
                          {"a": 300.0, "b": 600.0})
    assert [task for task, _ in drain(scheduler)] == [template("a"), template("b")]
    assert scheduler.busy and not scheduler.exhausted
    assert scheduler.complete(template("b"), TemplateResult("b", ok=True)) is None
    first = drain(scheduler)
    assert first == [(grade("s1", "b"), 600.0), (grade("s3", "b"), 600.0)]
    scheduler.complete(template("a"), TemplateResult("a", ok=True))
    assert drain(scheduler) == [(grade("s2", "a"), 300.0)]
    assert scheduler.exhausted and scheduler.busy  # three submissions still running
    for task, _ in [*first, (grade("s2", "a"), 300.0)]:
        result = GradeResult(task.student, task.assignment, ok=True)
        assert scheduler.complete(task, result) is result
    assert not scheduler.busy


def test_a_failed_or_lost_template_stops_the_run_with_the_assignment_named():
    scheduler = Scheduler([template("a"), template("b")], [grade("s1", "a")], {"a": 300.0})
    (task, limit), (other, _) = drain(scheduler)
    assert limit == TEMPLATE_TIMEOUT
    with pytest.raises(GradingError, match="could not generate a for grading: broken"):
        scheduler.complete(task, TemplateResult("a", ok=False, reason="broken"))
    with pytest.raises(GradingError, match="could not generate b for grading: took longer than 120 s"):
        scheduler.overran(other)


def test_a_lost_submission_becomes_a_failed_result_and_the_others_go_on():
    scheduler = Scheduler([template("a")], [grade("s1", "a"), grade("s2", "a")], {"a": 300.0})
    ((made, _),) = drain(scheduler)
    scheduler.complete(made, TemplateResult("a", ok=True))
    (first, _), (second, _) = drain(scheduler)
    overran = scheduler.overran(first)
    assert (overran.student, overran.ok, overran.isolation) == ("s1", False, "unknown")
    assert overran.reason.startswith("took longer than 300 s in total")
    died = scheduler.died(second)
    assert died.key == "s2/a" and "grading process died" in died.reason
    assert not scheduler.busy


def test_tasks_and_results_survive_the_pipe():
    result = GradeResult("s1", "a", ok=True, notebooks={"nb": NotebookScores(False, 0.0, {"q1": CellScore(1.0, False)}, {})})
    for message in (template("a"), grade("s1", "a"), TemplateResult("a", ok=True), result):
        assert pickle.loads(pickle.dumps(message)) == message


@pytest.fixture
def main_gradebook(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url, paths.COURSE_ID) as gb:
        gb.add_assignment("a")
        gb.add_notebook("nb", "a")
        gb.add_grade_cell("q1", "nb", "a", max_score=2, cell_type="code")
        gb.add_solution_cell("q1", "nb", "a")
        gb.add_grade_cell("w1", "nb", "a", max_score=3, cell_type="markdown")
        gb.add_solution_cell("w1", "nb", "a")
        gb.add_student("s1")
    return url


def scored(q1: float, w1_manual: bool = True, findings=None) -> GradeResult:
    notebook = NotebookScores(flagged=False, late_submission_penalty=0.5,
                              grades={"q1": CellScore(q1, False), "w1": CellScore(None, w1_manual)},
                              comments={"q1": "auto comment", "w1": None})
    return GradeResult("s1", "a", ok=True, timestamp="2026-03-01T17:00:00", notebooks={"nb": notebook},
                       findings=findings or {})


def test_merge_writes_auto_scores_and_keeps_a_graders_manual_score(main_gradebook):
    with Gradebook(main_gradebook, paths.COURSE_ID) as gb:
        gradebook.merge(gb, scored(2.0))
        nb = gb.find_submission_notebook("nb", "a", "s1")
        assert gb.find_grade("q1", "nb", "a", "s1").auto_score == 2.0
        assert nb.late_submission_penalty == 0.5 and not nb.flagged
        assert gb.find_comment("q1", "nb", "a", "s1").auto_comment == "auto comment"
        q1 = gb.find_grade("q1", "nb", "a", "s1")
        q1.manual_score = 1.5
        gb.db.commit()
        gradebook.merge(gb, scored(0.0, findings={"nb": ["redefines =="]}))
        q1 = gb.find_grade("q1", "nb", "a", "s1")
        assert (q1.auto_score, q1.manual_score, q1.needs_manual_grade) == (0.0, 1.5, True)
        assert gb.find_submission_notebook("nb", "a", "s1").flagged  # integrity findings flag it
        assert len(gb.find_assignment("a").submissions) == 1


def test_a_merge_that_fails_writes_nothing(main_gradebook):
    with Gradebook(main_gradebook, paths.COURSE_ID) as gb:
        with pytest.raises(Exception):
            gradebook.merge(gb, GradeResult("nobody", "a", ok=True))
        assert gb.find_assignment("a").submissions == []


def test_only_the_workers_scratch_gradebooks_are_written_without_fsync(tmp_path):
    """A template gradebook and each job's copy are scratch (a crash regrades the submission), so they
    skip fsync; any other database, such as the main gradebook, keeps SQLite's durable default."""
    from sqlalchemy import create_engine, text

    scratch = gradebook.scratch_database(tmp_path / "gradebook.db")
    other = f"sqlite:///{tmp_path / 'main.db'}"
    found = {}
    for name, url in (("scratch", scratch), ("main", other)):
        engine = create_engine(url)
        with engine.connect() as connection:
            found[name] = (connection.execute(text("PRAGMA synchronous")).scalar(),
                           connection.execute(text("PRAGMA journal_mode")).scalar())
        engine.dispose()
    assert found == {"scratch": (0, "memory"), "main": (2, "delete")}


def test_the_gradebooks_of_one_scratch_file_share_an_engine_and_a_new_file_gets_a_new_one(tmp_path):
    """nbgrader opens about ten Gradebooks per submission; on a scratch file they share one engine (its
    compiled statements), closing one leaves the next working, and a file registered again (a regraded
    submission's job folder) is read through a new engine, never through connections to the old file."""
    path = tmp_path / "gradebook.db"
    url = gradebook.scratch_database(path)
    gradebook.stamp_if_new(url)
    with Gradebook(url, paths.COURSE_ID) as first:
        first.add_assignment("a")
        engine = first.engine
    with Gradebook(url, paths.COURSE_ID) as second:
        assert second.engine is engine
        assert [a.name for a in second.assignments] == ["a"]
    main = f"sqlite:///{tmp_path / 'main.db'}"
    gradebook.stamp_if_new(main)
    with Gradebook(main, paths.COURSE_ID) as one, Gradebook(main, paths.COURSE_ID) as two:
        assert one.engine is not two.engine  # only scratch files share
    path.unlink()
    assert gradebook.scratch_database(path) == url  # the same path, a new file
    gradebook.stamp_if_new(url)
    with Gradebook(url, paths.COURSE_ID) as third:
        assert third.engine is not engine
        assert third.assignments == []
