"""Every student and solution notebook, run cell by cell in JupyterLab in Chromium (issue #10).

Student notebooks (notebooks/): every cell runs; the only errors are an unanswered answer cell's
NotImplementedError and a check cell's "`name` does not exist yet"; every widget renders and moving a
control redraws its output. Solution notebooks (solutions/): every cell runs without error, so every
visible (and hidden) test passes; the same widget checks. One screenshot per notebook goes to
test-artifacts/screenshots/. Set UPDATE_DOCS_SCREENSHOT=1 to refresh docs/images/notebook0-widget.png.

Accessibility (issue #25): axe-core on every student notebook right after run-all, before any explorer
is moved. The run test records what axe found on its own page, and the axe test reads it, so each
notebook runs in Lab once; the axe test runs the notebook itself when it runs alone.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

import axecheck
import labdriver
from course import paths

pytestmark = pytest.mark.browser

DOCS_IMAGE = paths.REPO_ROOT / "docs" / "images" / "notebook0-widget.png"


def _notebooks(kind: str) -> list[str]:
    folder = paths.notebooks_dir() if kind == "notebooks" else paths.solutions_dir()
    if not folder.is_dir():
        return []
    names = set(paths.assignments()) | {p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")}
    return sorted(nb.relative_to(folder).as_posix() for name in names for nb in (folder / name).glob("*.ipynb"))


# relative path of a student notebook -> what axe found on it after run-all in Lab (see the docstring)
AXE_AFTER_RUN: dict[str, dict] = {}


def _run_all_and_save(page, lab_server, kind: str, relative: str):
    path = lab_server.root / kind / relative
    cells = nbformat.read(str(path), 4).cells
    labdriver.open_notebook(page, lab_server, f"{kind}/{relative}")
    labdriver.run_cells_one_by_one(page)
    expected_code = sum(1 for c in cells if c.cell_type == "code" and c.source.strip())
    return labdriver.save_and_read(page, path, expected_code)


def _axe_after_run(page, relative: str) -> dict:
    """axe's findings on the open notebook, and each output image's alt text (and whether it is in an explorer)."""
    images = page.locator(f"{labdriver.PANEL} .jp-OutputArea-output img")
    alts = images.evaluate_all(
        "imgs => imgs.map(i => [i.getAttribute('alt') || '', !!i.closest('.jupyter-widgets')])")
    return {"found": axecheck.run_axe(page, f"lab-{Path(relative).stem}"), "alts": alts}


def _run_and_judge(page, lab_server, screenshots: Path, kind: str, relative: str) -> tuple[object, list[str]]:
    """Open, run every cell, save; return the saved notebook and the widget problems found."""
    nb = _run_all_and_save(page, lab_server, kind, relative)
    if kind == "notebooks":
        AXE_AFTER_RUN[relative] = _axe_after_run(page, relative)

    problems: list[str] = []
    unrun = labdriver.unrun_code_cells(nb)
    if unrun:
        problems.append(f"code cells that did not run: {unrun}")
    indices = labdriver.widget_cells(nb)
    problems += labdriver.check_widgets_render(page, indices)
    problems += labdriver.duplicated_widgets(nb)

    stem = Path(relative).stem
    shot = screenshots / f"{stem}-{'student' if kind == 'notebooks' else 'solution'}.png"
    cells = page.locator(labdriver.CELL)
    rendered = [i for i in indices if cells.nth(i).locator(".jp-OutputArea-output .jupyter-widgets").count()]
    if rendered:
        box = cells.nth(rendered[0]).locator(".jp-OutputArea-output .jupyter-widgets").first
        box.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(shot))
        if kind == "solutions" and stem.startswith("00"):
            widget_shot = screenshots / "notebook0-widget.png"
            box.screenshot(path=str(widget_shot))
            if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1" or not DOCS_IMAGE.exists():
                DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(widget_shot, DOCS_IMAGE)
        for index in rendered:
            report = labdriver.interact_with_explorer(page, index)
            if not report.had_plot:
                problems.append(f"cell {index}: the explorer shows no plot")
            if not report.interactions:
                problems.append(f"cell {index}: the explorer has no control this test knows how to move")
            for interaction in report.interactions:
                if not interaction.changed:
                    problems.append(f"cell {index}: moving the {interaction.control} ({interaction.detail}) did not change the output")
    else:
        page.screenshot(path=str(shot))
    errors = getattr(page, "browser_errors", [])
    problems += [e for e in errors if "widget" in e.lower()]
    return nb, problems


@pytest.mark.parametrize("relative", _notebooks("notebooks"))
def test_student_notebook_runs_in_lab(page, lab_server, screenshots, relative):
    nb, problems = _run_and_judge(page, lab_server, screenshots, "notebooks", relative)
    unexpected = labdriver.unexpected_student_errors(nb)
    problems += [f"unexpected error in {error}" for error in unexpected]
    answers = [i for i, c in enumerate(nb.cells) if labdriver.cell_role(c) == "answer"]
    not_implemented = [e.index for e in labdriver.errors_in(nb) if e.ename == labdriver.EXPECTED_ANSWER_ERROR]
    if answers and not not_implemented:
        problems.append("no answer cell raised NotImplementedError: is this really the generated student version?")
    assert not problems, f"notebooks/{relative} in JupyterLab:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("relative", _notebooks("solutions"))
def test_solution_notebook_runs_in_lab(page, lab_server, screenshots, relative):
    nb, problems = _run_and_judge(page, lab_server, screenshots, "solutions", relative)
    problems += [f"error in {error}" for error in labdriver.errors_in(nb)]
    checks = [i for i, c in enumerate(nb.cells) if labdriver.cell_role(c) == "check"]
    if not checks:
        problems.append("no test cells found")
    assert not problems, f"solutions/{relative} in JupyterLab:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("relative", _notebooks("notebooks"))
def test_student_notebook_content_has_no_serious_axe_violation(page, lab_server, relative):
    """No serious or critical axe violation in the course's own content, and alt text on every figure."""
    if relative not in AXE_AFTER_RUN:  # run alone (-k): run the notebook here
        _run_all_and_save(page, lab_server, "notebooks", relative)
        AXE_AFTER_RUN[relative] = _axe_after_run(page, relative)
    found, alts = AXE_AFTER_RUN[relative]["found"], AXE_AFTER_RUN[relative]["alts"]
    serious = [v for v in found["content"] if v["impact"] in axecheck.SERIOUS]
    problems = [f"{v['impact']} {v['rule']} at {v['target'][-80:]}: {v['html'][:120]}"
                for v in serious if not axecheck.known_in_widgets(v)]
    problems += [f"image {i} has no alt text" for i, (alt, in_widget) in enumerate(alts) if not alt.strip() and not in_widget]
    assert not problems, f"notebooks/{relative} after run-all in JupyterLab:\n  " + "\n  ".join(problems)
    known = sorted({v["rule"] for v in serious if axecheck.known_in_widgets(v)})
    if known:
        pytest.xfail(f"only violations known in course/widgets.py's explorer remain ({', '.join(known)}); "
                     f"see test-artifacts/axe-lab-{Path(relative).stem}.json")
