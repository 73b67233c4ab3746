"""Drive a notebook in JupyterLab 4 the way a student does, and judge what it shows.

Selectors are JupyterLab 4's (docs/toolchain.md): cells `.jp-Notebook .jp-Cell`, input prompts
`.jp-InputArea-prompt` ("[ ]:", "[*]:", "[3]:"), kernel state `.jp-Notebook-ExecutionIndicator[data-status]`,
widgets `.jupyter-widgets`, an explorer's plot area `.widget-output`.

Cells run one at a time (select, Ctrl+Enter, wait for the execution count) rather than with Run All:
Run All stops at the first error, and a student notebook's first unanswered cell raises on purpose.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from playwright.sync_api import Locator, Page, expect

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the current tab
CELL = f"{PANEL} .jp-Notebook .jp-Cell"
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']"
DONE_PROMPT = re.compile(r"^\s*\[\d+\]:\s*$")
NOT_RUN_PROMPT = re.compile(r"^\s*\[ \]:\s*$")
ACTIVE = re.compile(r"\bjp-mod-active\b")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_ERROR = "Error displaying widget"

# What an unanswered student notebook may show, and nothing else:
#   an answer cell (nbgrader solution cell):  NotImplementedError (the generated `raise NotImplementedError()`)
#   any other cell (check cells):             CheckFailed from checks.answered: "`name` does not exist yet. ..."
EXPECTED_ANSWER_ERROR = "NotImplementedError"
EXPECTED_CHECK_ERROR = ("CheckFailed", "does not exist yet")


def open_notebook(page: Page, lab_server, relative: str, timeout: float = 60_000) -> None:
    """Open the notebook at ``relative`` (to the Lab server's root) and wait until its kernel is idle and
    Lab has made every one of its cells, each code cell with its editor. Lab adds cells a few at a time,
    and a code cell not made yet would be skipped as if it were empty (CI once ran no cell of a notebook)."""
    cells = len(nbformat.read(str(lab_server.root / relative), as_version=4).cells)
    page.goto(lab_server.tree_url(relative))
    page.locator(PANEL).first.wait_for(state="visible", timeout=timeout)
    page.locator(CELL).first.wait_for(state="visible", timeout=timeout)
    expect(page.locator(CELL)).to_have_count(cells, timeout=timeout)
    expect(page.locator(f"{CELL}.jp-CodeCell:not(:has(.cm-content))")).to_have_count(0, timeout=timeout)
    wait_idle(page, timeout)


def wait_idle(page: Page, timeout: float = 60_000) -> None:
    page.locator(IDLE).first.wait_for(state="attached", timeout=timeout)


def run_cells_one_by_one(page: Page, cell_timeout: float = 120_000) -> int:
    """Run every code cell in order as a student would (select, Ctrl+Enter, wait); return how many.

    Markdown cells are already rendered when Lab opens a notebook, so only code cells are run.
    """
    code_cells = page.locator(f"{CELL}.jp-CodeCell")
    empty = code_cells.evaluate_all(
        "cells => cells.map(c => !(c.querySelector('.cm-content')?.textContent || '').trim())")
    ran = 0
    for index, is_empty in enumerate(empty):
        if is_empty:
            continue
        cell = code_cells.nth(index)
        prompt = cell.locator(".jp-InputArea-prompt").first
        for _attempt in range(3):
            # Select the cell (command mode) by its prompt column, check it is the active one, run it.
            if ACTIVE.search(cell.get_attribute("class") or "") is None:
                cell.locator(".jp-InputPrompt").first.click()
                try:
                    expect(cell).to_have_class(ACTIVE, timeout=10_000)
                except AssertionError:
                    continue
            page.keyboard.press("Control+Enter")
            try:  # "[*]:" (queued or running) or "[n]:" (done): the run was requested
                expect(prompt).not_to_have_text(NOT_RUN_PROMPT, timeout=10_000)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError(f"code cell {index}: could not start it after 3 attempts (prompt {prompt.inner_text()!r})")
        expect(prompt).to_have_text(DONE_PROMPT, timeout=cell_timeout)
        ran += 1
    wait_idle(page)
    return ran


def save_and_read(page: Page, path: Path, expected_code_cells: int, timeout: float = 60.0) -> nbformat.NotebookNode:
    """Save with Ctrl+S and read the saved notebook (outputs with their error names) from disk."""
    deadline = time.monotonic() + timeout
    last = "nothing read"
    while time.monotonic() < deadline:
        page.locator(f"{PANEL} .jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        retry_at = time.monotonic() + 10
        while time.monotonic() < min(deadline, retry_at):
            try:
                nb = nbformat.read(str(path), as_version=4)
            except Exception as error:  # noqa: BLE001 - file being written
                last = f"unreadable: {error}"
            else:
                code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
                unrun = [i for i in code if not nb.cells[i].execution_count]
                if len(code) >= expected_code_cells and not unrun:
                    return nb
                last = f"{len(code)} code cells, without an execution count: {unrun}"
            time.sleep(0.3)
    raise AssertionError(f"{path}: Lab did not save the executed notebook within {timeout} s ({last})")


@dataclass
class CellError:
    index: int
    grade_id: str | None
    role: str
    ename: str
    evalue: str

    def __str__(self) -> str:
        return f"cell {self.index} ({self.role} {self.grade_id or ''}): {self.ename}: {self.evalue[:300]}"


def cell_role(cell) -> str:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("solution") and cell.cell_type == "code":
        return "answer"
    if meta.get("grade") and cell.cell_type == "code":
        return "check"
    return "cell"


def errors_in(nb) -> list[CellError]:
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(CellError(index, cell.metadata.get("nbgrader", {}).get("grade_id"), cell_role(cell),
                                       output.get("ename", ""), output.get("evalue", "")))
    return found


def unexpected_student_errors(nb) -> list[CellError]:
    """Errors other than an answer cell's NotImplementedError and a check's "does not exist yet"."""
    bad = []
    for error in errors_in(nb):
        if error.role == "answer" and error.ename == EXPECTED_ANSWER_ERROR:
            continue
        if error.role != "answer" and error.ename == EXPECTED_CHECK_ERROR[0] and EXPECTED_CHECK_ERROR[1] in error.evalue:
            continue
        bad.append(error)
    return bad


def unrun_code_cells(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip() and not c.execution_count]


def duplicated_widgets(nb) -> list[str]:
    """The same widget shown twice by one cell (for example displayed, then echoed as the cell's value)."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        ids = [o["data"][WIDGET_MIME].get("model_id") for o in cell.get("outputs", []) if WIDGET_MIME in o.get("data", {})]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            found.append(f"cell {index}: the same widget is displayed {max(ids.count(i) for i in repeated)} times "
                         f"(model {repeated[0]})")
    return found


def widget_cells(nb) -> list[int]:
    return [
        i for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))
    ]


# --- widgets ---------------------------------------------------------------------------------------


def check_widgets_render(page: Page, indices: list[int], timeout: float = 30_000) -> list[str]:
    """Every cell that displayed a widget shows it; nothing says "Error displaying widget"."""
    problems = []
    cells = page.locator(CELL)
    for index in indices:
        cell = cells.nth(index)
        try:
            cell.locator(".jp-OutputArea-output .jupyter-widgets").first.wait_for(state="visible", timeout=timeout)
        except Exception as error:  # noqa: BLE001 - reported below
            problems.append(f"cell {index}: no rendered widget ({type(error).__name__})")
    notebook_text = page.locator(f"{PANEL} .jp-Notebook").first.inner_text()
    if WIDGET_ERROR in notebook_text:
        line = next((l for l in notebook_text.splitlines() if WIDGET_ERROR in l), WIDGET_ERROR)
        problems.append(f"the notebook shows: {line.strip()}")
    return problems


def output_fingerprint(area: Locator) -> str:
    html = area.evaluate("el => el.innerHTML")
    return hashlib.sha1(html.encode()).hexdigest()


def has_plot(area: Locator) -> bool:
    return area.locator("img, svg").count() > 0


@dataclass
class Interaction:
    control: str
    changed: bool
    detail: str = ""


@dataclass
class ExplorerReport:
    index: int
    had_plot: bool
    interactions: list[Interaction] = field(default_factory=list)


def _wait_change(page: Page, area: Locator, before: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if output_fingerprint(area) != before:
            wait_idle(page)
            page.wait_for_timeout(300)  # let the redraw finish replacing the output
            return True
        page.wait_for_timeout(150)
    return False


def interact_with_explorer(page: Page, index: int, timeout: float = 30.0) -> ExplorerReport:
    """Move each kind of control of the explorer in cell ``index``; record whether its output changed."""
    cell = page.locator(CELL).nth(index)
    widget = cell.locator(".jp-OutputArea-output .jupyter-widgets").first
    area = widget.locator(".widget-output").first
    area.wait_for(state="attached")
    expect(area.locator("img, svg, pre").first).to_be_visible(timeout=timeout * 1000)
    report = ExplorerReport(index, has_plot(area))

    dropdowns = widget.locator(".widget-dropdown select")
    if dropdowns.count():
        select = dropdowns.first
        options = select.locator("option")
        current = select.evaluate("el => el.selectedIndex")
        target = (current + 1) % max(options.count(), 1)
        label = options.nth(target).inner_text()
        before = output_fingerprint(area)
        select.select_option(index=target)
        report.interactions.append(Interaction("dropdown", _wait_change(page, area, before, timeout), label))

    sliders = widget.locator(".widget-slider .noUi-handle")
    if sliders.count():
        handle = sliders.first
        before = output_fingerprint(area)
        start = handle.get_attribute("aria-valuenow")
        handle.focus()
        for key in ("PageUp", "PageDown"):  # up, or down when the handle already sits at its maximum
            for _ in range(3):
                page.keyboard.press(key)
            if handle.get_attribute("aria-valuenow") != start:
                break
        handle.evaluate("el => el.blur()")
        report.interactions.append(Interaction("slider (keyboard)", _wait_change(page, area, before, timeout),
                                               handle.get_attribute("aria-valuetext") or ""))

    multi = widget.locator(".widget-select-multiple select")
    if multi.count():
        select = multi.first
        labels = select.locator("option").all_inner_texts()
        chosen = select.evaluate("el => Array.from(el.selectedOptions).map(o => o.text)")
        others = [l for l in labels if l not in chosen]
        if others:
            before = output_fingerprint(area)
            select.select_option(label=[*chosen, others[0]])
            report.interactions.append(Interaction("select-multiple", _wait_change(page, area, before, timeout),
                                                   f"added {others[0]}"))

    toggles = widget.locator(".widget-toggle-buttons button:not(.mod-active)")
    if toggles.count():
        button = toggles.first
        label = button.inner_text()
        before = output_fingerprint(area)
        button.click()
        report.interactions.append(Interaction("toggle-buttons", _wait_change(page, area, before, timeout), label))
    return report


# --- notebooks on disk ---------------------------------------------------------------------------


def strip_solution_markers(source: str) -> str:
    lines = [l for l in source.splitlines() if l.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
    return "\n".join(lines)


def complete_from_solution(student: nbformat.NotebookNode, solution: nbformat.NotebookNode,
                           replace: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The student notebook with every answer cell filled in from the instructor's solution.

    ``replace`` maps a grade_id to another answer (for example a plausible wrong one).
    """
    answers = {
        c.metadata["nbgrader"]["grade_id"]: strip_solution_markers(c.source)
        for c in solution.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    answers.update(replace or {})
    done = nbformat.from_dict(student)
    for cell in done.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in answers:
            answer = answers[meta["grade_id"]]
            cell.source = answer
    return done
