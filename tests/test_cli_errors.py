"""Every verb ends in one clear line for the course's own errors."""

from __future__ import annotations


def test_a_verbs_error_ends_in_one_line_not_a_traceback(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from course.cli import main
    from course.grading import feedback

    def fail(work, assignments=None):
        raise feedback.FeedbackError("nbgrader could not generate feedback for 00_alliance:\n[ERROR] a long log")

    monkeypatch.setattr(feedback, "generate", fail)
    result = CliRunner().invoke(main, ["feedback", "--course-dir", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1] == "Error: nbgrader could not generate feedback for 00_alliance (details above)"
