"""Every control of every explorer of notebook 01, switched in JupyterLab in a fresh kernel (issue 19).

The notebook (the instructor version, so that every cell before the explorer has its answer) is opened in
a fresh kernel and run cell by cell. Then, in each explorer, the log scale is picked first (it used to fail
the first time in a fresh kernel), then every metric, every scale, a change of the countries and every
slider handle. After each switch the output must be redrawn without any error output, the old chart
must stay on screen until the new one replaces it (no page jump), no control label or readout may be
cut off (a label element whose text is wider than its box), and every label sits beside its control. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

import labdriver

pytestmark = pytest.mark.browser

NOTEBOOK = "solutions/01_health/01_health.ipynb"

# Text elements of a control: its description, a readout, a toggle button's caption.
TRUNCATED_LABELS = """root => Array.from(root.querySelectorAll(
        '.widget-label, .widget-label-basic, .widget-readout, .widget-toggle-button, .widget-inline-hbox > label'))
    .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
    .map(el => `${(el.textContent || '').trim()} (${el.scrollWidth} px of text in ${el.clientWidth} px)`)"""

ERRORS = """area => Array.from(area.querySelectorAll(
        '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"]'))
    .map(el => (el.textContent || '').trim().slice(0, 300))"""

# The rendered extent of each control text (a readout's text may spill out of its box into the next label,
# as "2021-01-2021-10" ran into "Scale"): any two that overlap or touch on one line are reported.
OVERLAPPING_TEXT = """root => {
    const els = Array.from(root.querySelectorAll(
        '.widget-label, .widget-label-basic, .widget-readout, .widget-toggle-button, .widget-inline-hbox > label'))
        .filter(el => el.offsetParent !== null && (el.textContent || '').trim());
    const rects = els.map(el => { const range = document.createRange(); range.selectNodeContents(el);
                                  return range.getBoundingClientRect(); });
    const found = [];
    for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
        const a = rects[i], b = rects[j];
        if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
        // texts on the same line closer than 3 px read as one word ("2020-01-2021-10Scale")
        if (a.left < b.right + 3 && b.left < a.right + 3 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            found.push(`"${els[i].textContent.trim()}" runs into "${els[j].textContent.trim()}"`);
    }
    return found; }"""

# Each control's description label must sit beside what it labels, on the same line and to its left, as
# "Metric" does, not above it (the "Scale" label sat over its two buttons: ipywidgets gives a ToggleButtons
# the class widget-toggle-buttons but not widget-inline-hbox, so it is a block unless the course lays it out).
LABEL_NOT_BESIDE = """root => Array.from(root.querySelectorAll('.widget-inline-hbox, .widget-toggle-buttons'))
    .filter(box => box.offsetParent !== null)
    .flatMap(box => {
        const label = Array.from(box.children).find(c => c.classList.contains('widget-label')
            && c.offsetParent !== null && (c.textContent || '').trim());
        if (!label) return [];
        const l = label.getBoundingClientRect();
        return Array.from(box.children)
            .filter(c => c !== label && c.offsetParent !== null && c.getBoundingClientRect().width > 0)
            .filter(c => { const r = c.getBoundingClientRect();
                           const sameLine = l.top < r.bottom - 1 && r.top < l.bottom - 1;
                           return !(sameLine && l.right <= r.left + 1); })
            .map(c => { const r = c.getBoundingClientRect();
                        return `"${label.textContent.trim()}" (x ${l.left.toFixed(0)}-${l.right.toFixed(0)}, ` +
                               `y ${l.top.toFixed(0)}-${l.bottom.toFixed(0)}) is not beside its control ` +
                               `(x ${r.left.toFixed(0)}-${r.right.toFixed(0)}, y ${r.top.toFixed(0)}-${r.bottom.toFixed(0)})`; });
    })"""

LABELS_SEEN = """root => root.querySelectorAll(
        '.widget-label, .widget-label-basic, .widget-readout, .widget-toggle-button, .widget-inline-hbox > label').length"""

# Sample the explorer's height on every animation frame while a redraw happens (the output area itself is
# replaced by the redraw, so the whole explorer is measured).
START_HEIGHTS = """root => { window.__heights = []; const tick = () => {
        window.__heights.push(root.getBoundingClientRect().height);
        if (window.__heights.length < 2000) window.__heightsFrame = requestAnimationFrame(tick); };
    tick(); }"""
STOP_HEIGHTS = "() => { cancelAnimationFrame(window.__heightsFrame); return window.__heights; }"


def _screenshot(page, path) -> None:
    """A screenshot once every chart image is decoded (a busy headless browser otherwise paints part of one)."""
    page.evaluate("() => Promise.all(Array.from(document.images).map(image => image.decode().catch(() => null)))")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path))


def _explorer_cells(page) -> list[int]:
    cells = page.locator(labdriver.CELL)
    return [i for i in range(cells.count()) if cells.nth(i).locator(".jp-OutputArea-output .widget-output").count()]


class Sweep:
    def __init__(self, page, index: int, screenshots):
        self.page = page
        self.index = index
        self.screenshots = screenshots
        self.widget = page.locator(labdriver.CELL).nth(index).locator(".jp-OutputArea-output .jupyter-widgets").first
        self.problems: list[str] = []
        self.steps = 0

    def area(self):
        return self.widget.locator(".widget-output").first

    def check_labels(self, when: str) -> None:
        if self.widget.evaluate(LABELS_SEEN) < 5:
            self.problems.append(f"cell {self.index}, {when}: fewer than 5 control labels found: is the selector stale?")
        for label in self.widget.evaluate(TRUNCATED_LABELS):
            self.problems.append(f"cell {self.index}, {when}: control text cut off: {label}")
        for overlap in self.widget.evaluate(OVERLAPPING_TEXT):
            self.problems.append(f"cell {self.index}, {when}: control text overlaps: {overlap}")
        for misplaced in self.widget.evaluate(LABEL_NOT_BESIDE):
            self.problems.append(f"cell {self.index}, {when}: control label misplaced: {misplaced}")

    def switch(self, what: str, action) -> None:
        """Do one switch; the output must change, show no error, and never shrink to less than half."""
        area = self.area()
        before = labdriver.output_fingerprint(area)
        height = self.widget.evaluate("el => el.getBoundingClientRect().height")
        self.widget.evaluate(START_HEIGHTS)
        action()
        changed = labdriver._wait_change(self.page, self.area(), before, timeout=60)
        heights = self.page.evaluate(STOP_HEIGHTS)
        self.steps += 1
        if not changed:
            self.problems.append(f"cell {self.index}: {what} did not redraw the output")
        for error in self.area().evaluate(ERRORS):
            self.problems.append(f"cell {self.index}: {what} shows an error: {error}")
        if heights and min(heights) < 0.75 * height:
            self.problems.append(f"cell {self.index}: {what}: the explorer shrank from {height:.0f} px to "
                                 f"{min(heights):.0f} px while redrawing (the page jumps)")
        self.check_labels(f"after {what}")

    def toggles(self, only: str | None = None) -> None:
        buttons = self.widget.locator(".widget-toggle-buttons button")
        labels = buttons.all_inner_texts()
        for i in range(len(labels)):
            button = buttons.nth(i)
            if "mod-active" in (button.get_attribute("class") or "") or (only and labels[i].strip() != only):
                continue
            self.switch(f"the '{labels[i].strip()}' button", button.click)

    def dropdowns(self) -> None:
        selects = self.widget.locator(".widget-dropdown select")
        for d in range(selects.count()):
            select = selects.nth(d)
            options = select.locator("option").all_inner_texts()
            for i, label in enumerate(options):
                if select.evaluate("el => el.selectedIndex") == i:
                    continue
                self.switch(f"metric '{label}'", lambda i=i: select.select_option(index=i))

    def multi_selects(self) -> None:
        selects = self.widget.locator(".widget-select-multiple select")
        for d in range(selects.count()):
            select = selects.nth(d)
            labels = select.locator("option").all_inner_texts()
            chosen = select.evaluate("el => Array.from(el.selectedOptions).map(o => o.text)")
            others = [label for label in labels if label not in chosen]
            if others:
                self.switch(f"adding {others[0]}", lambda: select.select_option(label=[*chosen, others[0]]))
                self.switch(f"{others[-1]} alone", lambda: select.select_option(label=[others[-1]]))

    def sliders(self) -> None:
        handles = self.widget.locator(".widget-slider .noUi-handle")
        for h in range(handles.count()):
            handle = handles.nth(h)

            def move(handle=handle):
                start = handle.get_attribute("aria-valuenow")
                handle.focus()
                for key in ("PageDown", "PageUp"):  # down, or up when the handle already sits at its minimum
                    for _ in range(3):
                        self.page.keyboard.press(key)
                    if handle.get_attribute("aria-valuenow") != start:
                        break
                handle.evaluate("el => el.blur()")

            self.switch(f"slider handle {h + 1}", move)


def test_every_control_of_every_health_explorer_in_a_fresh_kernel(page, lab_server, screenshots):
    labdriver.open_notebook(page, lab_server, NOTEBOOK)  # a fresh workspace and a fresh kernel
    # The execution indicator also reads "idle" while the kernel is still starting: wait for the kernel itself.
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
    labdriver.run_cells_one_by_one(page)
    page.locator(f"{labdriver.CELL} .jp-OutputArea-output .widget-output").first.wait_for(state="attached", timeout=60_000)
    indices = _explorer_cells(page)
    assert indices, "no explorer found in notebook 01"
    problems = []
    for index in indices:
        sweep = Sweep(page, index, screenshots)
        sweep.widget.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        sweep.check_labels("as first drawn")
        _screenshot(page, screenshots / f"01_health-explorer-{index}-before.png")
        sweep.toggles(only="log")  # the first log switch in this kernel
        _screenshot(page, screenshots / f"01_health-explorer-{index}-log.png")
        sweep.dropdowns()
        sweep.toggles()
        sweep.multi_selects()
        sweep.sliders()
        _screenshot(page, screenshots / f"01_health-explorer-{index}-after.png")
        if sweep.steps < 10:
            sweep.problems.append(f"cell {index}: only {sweep.steps} switches were made; the sweep missed controls")
        problems += sweep.problems
    problems += [e for e in getattr(page, "browser_errors", [])]
    assert not problems, "notebook 01's explorers in JupyterLab:\n  " + "\n  ".join(problems)
