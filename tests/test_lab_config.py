"""`course lab`: Formgrader reads the course directory of the `course` verbs, students get no instructor tools."""

from __future__ import annotations

import json
import sys
from pathlib import Path

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


def test_formgrader_grading_page_loads_mathjax_from_the_server_not_a_cdn(monkeypatch):
    """The page Formgrader renders for grading (nbgrader's "formgrade" template) under the instructor's
    environment: MathJax comes from jupyter-server-mathjax on the same server, nothing from the network."""
    import nbformat
    from nbconvert import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    from offline_html import remote_resources

    env = lab.lab_environment("instructor")
    monkeypatch.setenv("JUPYTER_PATH", env["JUPYTER_PATH"])
    config = Config({"HTMLExporter": {"template_name": "formgrade", "extra_template_basedirs": [handlers.template_path]}})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("A formula: $x^2$")])
    resources = {"assignment_id": "a", "notebook_id": "n", "submission_id": "s", "index": 0, "total": 1,
                 "base_url": "", "student": "st", "last_name": "L", "first_name": "F", "notebook_path": "p"}
    html, _ = HTMLExporter(config=config).from_notebook_node(nb, resources=resources)
    assert remote_resources(html) == []
    assert '<script src="../../../static/jupyter_server_mathjax/MathJax.js?config=' in html
    import jupyter_server_mathjax

    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    assert (static / "MathJax.js").is_file() and (static / "config" / "TeX-AMS-MML_HTMLorMML-full.js").is_file()


def test_lab_leaves_the_keys_of_a_focused_dropdown_to_the_dropdown():
    """Every command-mode shortcut JupyterLab's notebook binds to a plain key on any focused element
    (ArrowDown: next cell, X: cut the cell, D D: delete it, ...) is switched off for a focused <select>
    and kept everywhere else: a student choosing "Japan" in a list by typing J or by the arrow keys
    changes the list, not the notebook."""
    command = lab.lab_command("student", 9999)
    assert f"--LabApp.app_settings_dir={lab.LAB_SETTINGS_DIR}" in command
    overrides = json.loads((lab.LAB_SETTINGS_DIR / "overrides.json").read_text())
    shortcuts = overrides["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    schema = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab" / "notebook-extension" / "tracker.json"
    declared = json.loads(schema.read_text())["jupyter.lab.shortcuts"]
    any_focus = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
    modifiers = {"Ctrl", "Alt", "Accel", "Cmd", "Meta"}
    plain = [s for s in declared if s["selector"] == any_focus and s["keys"]
             and all(k and not modifiers & set(k.split(" ")[:-1]) for k in s["keys"])]
    assert {"ArrowDown", "ArrowUp", "X", "D"} <= {s["keys"][0] for s in plain}
    for original in plain:
        same = [s for s in shortcuts if s["keys"] == original["keys"] and s["command"] == original["command"]]
        assert [(s["selector"], s.get("disabled", False)) for s in same] == [
            (any_focus, True), (any_focus + ":not(select)", False)], original
    assert len(shortcuts) == 2 * len(plain)
