"""`course lab`: Formgrader reads the course directory of the `course` verbs, students get no instructor tools."""

from __future__ import annotations

import json

from traitlets.config.loader import PyFileConfigLoader

from course import lab, paths
from course.nbgrader_config import default_db_url
from course.grading.rubrics import ShowRubrics


def _root_config(monkeypatch, **env):
    for key in ("COURSE_DIR", "COURSE_DB_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader("nbgrader_config.py", path=str(paths.REPO_ROOT)).load_config()


def test_root_nbgrader_config_is_the_course_verbs_config(monkeypatch, tmp_path):
    config = _root_config(monkeypatch, COURSE_DIR=str(tmp_path / "demo-out"))
    assert config.CourseDirectory.root == str((tmp_path / "demo-out").resolve())
    assert config.CourseDirectory.db_url == default_db_url(tmp_path / "demo-out")
    assert config.CourseDirectory.source_directory == str(paths.solutions_dir().resolve())
    assert ShowRubrics in config.Autograde.autograde_preprocessors  # graders see the rubric
    config = _root_config(monkeypatch, COURSE_DIR=str(tmp_path), COURSE_DB_URL="postgresql+psycopg://u@h/gradebook")
    assert config.CourseDirectory.db_url == "postgresql+psycopg://u@h/gradebook"
    assert _root_config(monkeypatch).CourseDirectory.root == str(paths.REPO_ROOT / "course-work")


def test_instructor_environment_names_the_course_dir_and_the_root_holds_it(tmp_path):
    env = lab.lab_environment("instructor", tmp_path / "course", "sqlite:///x.db")
    assert env["COURSE_DIR"] == str((tmp_path / "course").resolve()) and env["COURSE_DB_URL"] == "sqlite:///x.db"
    root = lab.server_root(tmp_path / "course")
    assert (tmp_path / "course").resolve().is_relative_to(root) and paths.REPO_ROOT.resolve().is_relative_to(root)
    assert lab.server_root(paths.REPO_ROOT / "demo-out") == paths.REPO_ROOT.resolve()
    command = lab.lab_command("instructor", 9999, root=root)
    start = paths.REPO_ROOT.resolve().relative_to(root) / "solutions"
    assert f"--LabApp.default_url=/lab/tree/{start.as_posix()}" in command


def test_student_environment_switches_off_nbgrader_instructor_extensions():
    env = lab.lab_environment("student")
    first = env["JUPYTER_CONFIG_PATH"].split(":")[0]
    assert first == str(lab.STUDENT_CONFIG_DIR)
    server = json.loads((lab.STUDENT_CONFIG_DIR / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    page = json.loads((lab.STUDENT_CONFIG_DIR / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    assert page["disabledExtensions"]["@jupyter/nbgrader:create-assignment"] is True
