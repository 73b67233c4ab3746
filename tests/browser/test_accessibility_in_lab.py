"""Accessibility in the browser (issue #25): axe-core on one feedback page per notebook and on the class
report, and one explorer used with the keyboard only. (axe on every student notebook after run-all in
JupyterLab runs in test_notebooks_in_lab.py, on the page the notebook's run test left.)

A serious or critical axe violation in the course's own content fails; violations in JupyterLab's own
interface are written to test-artifacts/axe-*.json (see the README's accessibility section).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import axecheck
import tiny_course
import labdriver
from course import paths

pytestmark = pytest.mark.browser


# axe on every student notebook after run-all in JupyterLab is in test_notebooks_in_lab.py
# (test_student_notebook_content_has_no_serious_axe_violation), on the page its run test already ran.


@pytest.fixture(scope="session")
def graded_class(real_class, tmp_path_factory):
    """The session's simulated class (tests/conftest.py), with feedback pages and the class report."""
    from course.grading.feedback import generate as generate_feedback
    from course.grading.report import write_report

    work, _summary = real_class
    with pytest.MonkeyPatch.context() as mp:
        for name in tiny_course.TINY_COURSE_VARIABLES:
            mp.delenv(name, raising=False)
        generate_feedback(work)
        write_report(work, work.root / "report.html")
    return work


def _one_feedback_page_per_notebook(work) -> dict[str, Path]:
    pages: dict[str, Path] = {}
    for html in sorted(work.feedback.glob("*/*/*.html")):
        pages.setdefault(html.parent.name, html)
    return pages


# The feedback pages used nbgrader's template, whose link colours, Pygments colours and missing <html lang>
# failed axe; course/grading/templates/course_feedback/ replaces it, and nothing serious may remain.


def _axe_problems(browser_context, targets: dict[str, Path]) -> list[str]:
    """The serious or critical axe violations, and the images without alt text, of each page."""
    problems: list[str] = []
    page = browser_context.new_page()
    try:
        for name, html in targets.items():
            page.goto(html.as_uri())
            found = axecheck.run_axe(page, name, content_selector=None)
            for violation in found["content"]:
                if violation["impact"] in axecheck.SERIOUS:
                    problems.append(f"{name}: {violation['impact']} {violation['rule']} at {violation['target'][-80:]}: "
                                    f"{violation['summary'][:200]}")
            alts = page.locator("img").evaluate_all("imgs => imgs.map(i => i.getAttribute('alt') || '')")
            problems += [f"{name}: image {i} has no alt text" for i, alt in enumerate(alts) if not alt.strip()]
    finally:
        page.close()
    return problems


def test_class_report_has_no_serious_axe_violation(browser_context, graded_class):
    problems = _axe_problems(browser_context, {"report": graded_class.root / "report.html"})
    assert not problems, "class report:\n  " + "\n  ".join(problems)


def test_feedback_pages_have_no_serious_axe_violation(browser_context, graded_class):
    pages = _one_feedback_page_per_notebook(graded_class)
    assert set(pages) == set(paths.assignments()), f"feedback pages found only for {sorted(pages)}"
    problems = _axe_problems(browser_context, {f"feedback-{name}": html for name, html in pages.items()})
    assert not problems, "feedback pages:\n  " + "\n  ".join(problems)


# --- keyboard only ---------------------------------------------------------------------------------

EXPLORER_NOTEBOOK = "06_capstone/06_capstone.ipynb"
# JupyterLab's command mode binds ArrowUp/ArrowDown to "move to the next cell" on any focused element
# that is not a text field, so a focused <select> lost the key and the focus (experience review, finding
# 10). `course lab` (and so this test's server) leaves a focused <select>'s arrow keys to it
# (course/jupyter_lab_settings/overrides.json); the dropdown is changed with ArrowDown here.


def _focused(page) -> dict:
    """What has the keyboard focus: its kind of control, its label and value."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const box = el && el.closest('.widget-slider, .widget-dropdown, .widget-toggle-buttons, .jupyter-widgets');
        let kind = box ? ['widget-slider', 'widget-dropdown', 'widget-toggle-buttons'].find(k => box.classList.contains(k)) : null;
        // a slider's second Tab stop is its editable readout (a text field), not the handle
        if (kind === 'widget-slider' && !el.classList.contains('noUi-handle')) kind = 'slider-readout';
        const label = box && box.querySelector('.widget-label') ? box.querySelector('.widget-label').textContent.trim() : '';
        const inExplorer = !!(el && el.closest('.jp-OutputArea-output .jupyter-widgets'));
        return {kind: kind || el.tagName, label, inExplorer, text: (el.textContent || '').trim().slice(0, 40),
                value: el.getAttribute('aria-valuenow') || el.value || '', active: el.classList.contains('mod-active')};
    }""")


def test_weights_explorer_works_with_the_keyboard_only(page, lab_server):
    """Tab reaches every control of notebook 6's weights explorer; arrow keys (Space on a toggle
    button) change each; the chart redraws every time, and the control keeps the focus."""
    labdriver.open_notebook(page, lab_server, f"solutions/{EXPLORER_NOTEBOOK}")
    labdriver.run_cells_one_by_one(page)
    cells = page.locator(labdriver.CELL)
    page.locator(f"{labdriver.CELL} .jp-OutputArea-output .jupyter-widgets .widget-output").first.wait_for(
        state="attached", timeout=60_000)
    index = next(i for i in range(cells.count())
                 if cells.nth(i).locator(".jp-OutputArea-output .jupyter-widgets .widget-output").count())
    widget = cells.nth(index).locator(".jp-OutputArea-output .jupyter-widgets").first
    area = widget.locator(".widget-output").first
    area.locator("img").first.wait_for(state="visible", timeout=60_000)
    expected = widget.locator(".widget-label").evaluate_all("ls => ls.map(l => l.textContent.trim()).filter(t => t)")

    # Start just before the explorer's first control and move through it with Tab only.
    widget.evaluate("el => { el.tabIndex = -1; el.focus(); }")
    reached: list[dict] = []
    problems: list[str] = []
    for step in range(30):
        page.keyboard.press("Tab")
        now = _focused(page)
        if not now["inExplorer"]:
            break
        reached.append(now)
        page.evaluate(f"() => document.activeElement.setAttribute('data-kbd-step', '{step}')")
        key = {"widget-slider": "ArrowRight", "widget-dropdown": "ArrowDown"}.get(now["kind"])
        if now["kind"] == "widget-toggle-buttons":
            if now["active"]:
                continue
            key = "Space"  # a toggle button is a button: Space presses it (ipywidgets gives it no arrow keys)
        if key is None:
            continue
        name = now["label"] or now["kind"]
        before = labdriver.output_fingerprint(area)
        page.keyboard.press(key)
        after = _focused(page)
        stayed = page.evaluate(f"() => document.activeElement.getAttribute('data-kbd-step') === '{step}'")
        if not stayed:
            problems.append(f"{name}: {key} moved the focus out of the control (JupyterLab took the key)")
            # put the focus back (test plumbing only) so the remaining controls are still tried by keyboard
            page.evaluate(f"() => document.querySelector('[data-kbd-step=\"{step}\"]').focus()")
        elif now["kind"] == "widget-slider" and after["value"] == now["value"]:
            page.keyboard.press("ArrowLeft")  # at its maximum: down instead
        if stayed and now["kind"] != "widget-toggle-buttons" and _focused(page)["value"] == now["value"]:
            problems.append(f"{name}: {key} did not change its value")
        elif stayed and not labdriver._wait_change(page, area, before, 30):
            problems.append(f"{name}: the chart did not redraw after {key}")
        elif stayed and not page.evaluate(f"() => document.activeElement.getAttribute('data-kbd-step') === '{step}'"):
            problems.append(f"{name}: the redraw after {key} took the focus away from the control")
    labels = {r["label"] for r in reached}
    problems += [f"Tab never reached the control labelled {label!r}" for label in expected if label not in labels]
    kinds = {r["kind"] for r in reached}
    problems += [f"no {kind} reached by Tab" for kind in ("widget-slider", "widget-dropdown", "widget-toggle-buttons")
                 if kind not in kinds]
    assert not problems, "keyboard only in the weights explorer:\n  " + "\n  ".join(problems) + f"\n  reached: {reached}"
