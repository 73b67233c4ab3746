"""`course report`: one self-contained HTML page about the class (inline CSS and SVG, no network).

Per assignment: the score distribution; per question: the pass rate (full marks) and the
point-biserial discrimination, i.e. the correlation between passing the question (0/1) and the
total score on the *other* questions (corrected, so a question does not correlate with itself).
A question with a low or negative discrimination is worth a second look: strong students fail it
as often as weak ones, which usually means an ambiguous question or a fragile test.
"""

from __future__ import annotations

import html
import io
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
from nbgrader.api import Gradebook

from .. import paths
from .discover import CourseWork
from .export import grades_table

LOW_DISCRIMINATION = 0.2

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ccc}h3{font-size:1.1rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}th,td{border:1px solid #bbb;padding:.25rem .55rem;text-align:left}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}tr.warn td{background:#fff4d6}
.note{color:#444;font-size:.9rem}figure{margin:.5rem 0}
"""


def point_biserial(passed: pd.Series, rest_total: pd.Series) -> float | None:
    """Pearson correlation of a 0/1 variable with a continuous one; None when either is constant."""
    x = passed.astype(float).to_numpy()
    y = rest_total.astype(float).to_numpy()
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def question_maxima(work: CourseWork) -> dict[str, dict[str, tuple[float, bool]]]:
    """assignment -> {grade_id: (max points, autograded?)} in notebook order."""
    result: dict[str, dict[str, tuple[float, bool]]] = {}
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        for assignment in gb.assignments:
            cells: dict[str, tuple[float, bool]] = {}
            for notebook in assignment.notebooks:
                for cell in notebook.grade_cells:
                    cells[cell.name] = (float(cell.max_score), cell.cell_type == "code")
            result[assignment.name] = cells
    return result


def question_statistics(scores: pd.DataFrame, maxima: dict[str, tuple[float, bool]]) -> pd.DataFrame:
    """One row per question: pass rate, mean score and corrected point-biserial discrimination."""
    rows = []
    total = scores[list(maxima)].sum(axis=1)
    for question, (max_points, autograded) in maxima.items():
        points = scores[question].astype(float)
        passed = points >= max_points - 1e-9
        rows.append({
            "question": question, "autograded": autograded, "max_points": max_points,
            "pass_rate": float(passed.mean()) if len(points) else math.nan,
            "mean_score": float(points.mean()) if len(points) else math.nan,
            "discrimination": point_biserial(passed, total - points),
        })
    return pd.DataFrame(rows)


def _histogram_svg(values: pd.Series, max_score: float, title: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 2.6), dpi=100)
    bins = np.linspace(0, max_score, min(int(max_score), 20) + 1) if max_score > 0 else 10
    ax.hist(values, bins=bins, color="#2b6cb0", edgecolor="white")
    ax.set_xlabel("Total score (points)")
    ax.set_ylabel("Students")
    ax.set_title(title, fontsize=10)
    ax.set_xlim(0, max_score if max_score > 0 else None)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog: the SVG is inline


def _fmt(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}"


def build_report(work: CourseWork) -> str:
    table = grades_table(work)
    maxima = question_maxima(work)
    failures = work.read_failures()
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Class report · {esc(paths.COURSE_ID)}</title><style>{CSS}</style></head><body>",
        f"<h1>Class report · {esc(paths.COURSE_ID)}</h1>",
        f"<p class='note'>Generated {time.strftime('%Y-%m-%d %H:%M')} from {esc(work.db_url)}. "
        f"Pass = full marks on the question. Discrimination = point-biserial correlation between passing a "
        f"question and the total of the other questions; below {LOW_DISCRIMINATION} is highlighted.</p>",
    ]
    parts.append("<h2 id='scores'>Score distribution per assignment</h2>")
    graded = table[table["status"] == "graded"] if not table.empty else table
    if graded.empty:
        parts.append("<p>No graded submissions yet: run <code>course autograde</code>.</p>")
    for assignment in sorted(graded["assignment"].unique()) if not graded.empty else []:
        rows = graded[graded["assignment"] == assignment]
        max_score = float(rows["max_score"].iloc[0])
        totals = rows["score"].astype(float)
        n_all = int((table["assignment"] == assignment).sum())
        parts.append(f"<h3>{esc(assignment)}</h3>")
        parts.append(
            "<table><tr><th>graded</th><th>registered</th><th>mean</th><th>median</th><th>min</th><th>max</th>"
            f"<th>max possible</th></tr><tr><td class='num'>{len(rows)}</td><td class='num'>{n_all}</td>"
            f"<td class='num'>{_fmt(totals.mean())}</td><td class='num'>{_fmt(totals.median())}</td>"
            f"<td class='num'>{_fmt(totals.min())}</td><td class='num'>{_fmt(totals.max())}</td>"
            f"<td class='num'>{_fmt(max_score)}</td></tr></table>"
        )
        parts.append(f"<figure role='img' aria-label='Histogram of total scores for {esc(assignment)}'>"
                     f"{_histogram_svg(totals, max_score, f'{assignment}: total scores of {len(rows)} students')}</figure>")
    parts.append("<h2 id='questions'>Questions: pass rates and discrimination</h2>")
    for assignment in sorted(graded["assignment"].unique()) if not graded.empty else []:
        rows = graded[graded["assignment"] == assignment]
        cells = {q: v for q, v in maxima.get(assignment, {}).items() if q in rows.columns}
        stats = question_statistics(rows.fillna({q: 0.0 for q in cells}), cells)
        parts.append(f"<h3>{esc(assignment)}</h3><table><tr><th>question</th><th>graded by</th><th>points</th>"
                     "<th>pass rate</th><th>mean score</th><th>discrimination</th></tr>")
        for _, q in stats.iterrows():
            low = q["discrimination"] is not None and not pd.isna(q["discrimination"]) and q["discrimination"] < LOW_DISCRIMINATION
            parts.append(
                f"<tr class='{'warn' if low else ''}'><td>{esc(q['question'])}</td>"
                f"<td>{'tests' if q['autograded'] else 'instructor'}</td><td class='num'>{_fmt(q['max_points'], 0)}</td>"
                f"<td class='num'>{_fmt(100 * q['pass_rate'], 0)}%</td><td class='num'>{_fmt(q['mean_score'])}</td>"
                f"<td class='num'>{_fmt(q['discrimination'])}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h2 id='failures'>Submissions that failed to grade</h2>")
    if failures:
        parts.append("<table><tr><th>student</th><th>assignment</th><th>reason</th><th>when</th></tr>")
        for key, failure in sorted(failures.items()):
            parts.append(f"<tr><td>{esc(failure.get('student', key))}</td><td>{esc(failure.get('assignment', ''))}</td>"
                         f"<td>{esc(failure.get('reason', ''))}</td><td>{esc(failure.get('when', ''))}</td></tr>")
        parts.append("</table><p class='note'>Fix the file (or ask for a resubmission) and run <code>course autograde</code> again.</p>")
    else:
        parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(work: CourseWork, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(work), encoding="utf-8")
    return out
