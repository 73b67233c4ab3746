"""Run axe-core (WCAG 2.1 rules) on a page and sort its violations into the course's content and the rest.

axe-core comes with the pip package axe-playwright-python (axe.min.js, MPL-2.0), so the check runs
offline. A violation node is the course's own content when it sits inside something the course
wrote: inside a rendered markdown cell or a cell's output in JupyterLab (the container element itself
is Lab's: e.g. Lab makes a wide output scroll sideways without making it focusable), or anywhere on a page the course
generates (feedback, class report). Everything else is JupyterLab's own interface ("chrome"): it is
listed in test-artifacts/axe-<name>.json, never hidden, but it does not fail the course's tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import system_requirements

from course import paths

ARTIFACTS = paths.REPO_ROOT / "test-artifacts"
SERIOUS = {"serious", "critical"}
# Where the course's own content lives in JupyterLab 4's DOM.
LAB_CONTENT = ".jp-MarkdownOutput, .jp-OutputArea-output"


def axe_script() -> str:
    try:
        import axe_playwright_python
    except ImportError:  # skipped locally, a failure in CI
        system_requirements.require("the Python package axe-playwright-python is not installed (pip install -e '.[test]')",
                                    "the accessibility browser tests")

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def run_axe(page, name: str, content_selector: str | None = LAB_CONTENT) -> dict:
    """axe-core on the whole page; returns {"content": [...], "chrome": [...]} and writes the artifact.

    ``content_selector`` None means the whole page is course content (feedback, report).
    """
    page.evaluate(axe_script())
    found = page.evaluate(
        """async (contentSelector) => {
            const results = await axe.run(document, {resultTypes: ['violations'],
                                                     runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            const sorted = {content: [], chrome: []};
            for (const v of results.violations) {
                for (const node of v.nodes) {
                    const selector = node.target.flat().join(' ');
                    let element = null;
                    try { element = document.querySelector(node.target[node.target.length - 1]); } catch (e) {}
                    // strictly inside: the output or markdown container itself is JupyterLab's (its overflow and
                    // focus behaviour are Lab's), what it holds is the course's
                    const inContent = contentSelector === null
                        || (element && element.parentElement && element.parentElement.closest(contentSelector) !== null);
                    sorted[inContent ? 'content' : 'chrome'].push({
                        rule: v.id, impact: node.impact || v.impact, help: v.help, helpUrl: v.helpUrl,
                        target: selector, html: node.html.slice(0, 300), inWidget: !!(element && element.closest('.jupyter-widgets')), summary: (node.failureSummary || '').slice(0, 400),
                    });
                }
            }
            return sorted;
        }""",
        content_selector,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    return found


def serious(violations: list[dict]) -> list[str]:
    return [f"{v['impact']} {v['rule']} ({v['help']}) at {v['target']}: {v['html'][:120]}"
            for v in violations if v["impact"] in SERIOUS]


# Serious violations inside an ipywidgets explorer that course/widgets.py must fix (measured 2026-12-01):
# the slider handles have no accessible name (ipywidgets does not tie the description label to the
# noUi handle), and the explorer draws with plt.show(), so its image has no alt text (plots.show(fig)
# would give it the generated one). Known until fixed there; anything else fails.
KNOWN_IN_WIDGETS = {"aria-input-field-name", "image-alt"}


def known_in_widgets(violation: dict) -> bool:
    return violation.get("inWidget", False) and violation["rule"] in KNOWN_IN_WIDGETS
