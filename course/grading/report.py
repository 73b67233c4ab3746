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
from ..checks import NAMED_MARKER
from .discover import CourseWork
from .export import grades_table

LOW_DISCRIMINATION = 0.2
LOW_PASS_RATE = 0.3  # fewer than 3 in 10 students got full marks: too hard, unclear, or a fragile test
LOWEST_QUARTILE = 0.25
# A variant whose students score this much lower (percentage points, on the varied questions) than the
# rest of the class is flagged: per-student variants must be of the same difficulty.
HARDER_VARIANT = 15.0

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ccc}h3{font-size:1.1rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}th,td{border:1px solid #bbb;padding:.25rem .55rem;text-align:left}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}tr.warn td{background:#fff4d6}
tr.help td{background:#fde8e6}.flag{font-weight:600;color:#7a2e00}.note{color:#444;font-size:.9rem}figure{margin:.5rem 0}
nav ul{padding-left:1.2rem}
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
    """One row per question: pass rate, mean score and corrected point-biserial discrimination.

    A score of NaN is an answer that awaits a grader: it is left out of that question's figures (it is
    not a fail) and counted in ``awaiting``.
    """
    rows = []
    total = scores[list(maxima)].fillna(0.0).sum(axis=1)
    for question, (max_points, autograded) in maxima.items():
        points = scores[question].astype(float)
        known = points.notna()
        passed = points[known] >= max_points - 1e-9
        rows.append({
            "question": question, "autograded": autograded, "max_points": max_points,
            "graded": int(known.sum()), "awaiting": int((~known).sum()),
            "pass_rate": float(passed.mean()) if known.any() else math.nan,
            "mean_score": float(points[known].mean()) if known.any() else math.nan,
            "discrimination": point_biserial(passed, (total - points.fillna(0.0))[known]),
        })
    return pd.DataFrame(rows)


def question_scores(rows: pd.DataFrame, questions: list[str]) -> pd.DataFrame:
    """Per-question scores of graded submissions, with NaN where the answer awaits a grader."""
    scores = rows.copy()
    for question in questions:
        scores[question] = scores[question].astype(float).fillna(0.0)
        waiting = scores["awaiting_grader"].fillna("").str.split().apply(lambda ids, q=question: q in ids)
        scores.loc[waiting, question] = math.nan
    return scores


def student_view(table: pd.DataFrame) -> pd.DataFrame:
    """One row per student across assignments: points, percentage, missing, failed and provisional ones.

    The lowest quartile is by percentage of the points possible in the assignments the gradebook has
    (a missing submission counts 0, a failed one is left out until it is graded).
    """
    rows = []
    for student, own in table.groupby("student_id"):
        counted = own[own["status"] != "failed to grade"]
        possible = float(counted["max_score"].sum())
        points = float(counted["score"].fillna(0.0).sum())
        rows.append({
            "student": student, "points": points, "possible": possible,
            "percent": 100 * points / possible if possible else math.nan,
            "missing": sorted(own.loc[own["status"] == "not submitted", "assignment"]),
            "failed": sorted(own.loc[own["status"] == "failed to grade", "assignment"]),
            "awaiting": int(own["awaiting_grader"].fillna("").str.split().str.len().sum()),
        })
    view = pd.DataFrame(rows)
    if view.empty:
        return view
    cut = view["percent"].quantile(LOWEST_QUARTILE)
    view["lowest_quartile"] = view["percent"] <= cut
    return view.sort_values(["percent", "student"]).reset_index(drop=True)


def _histogram_svg(values: pd.Series, max_score: float, title: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, ax = plt.subplots(figsize=(6.5, 2.6), dpi=100)
    bins = np.linspace(0, max_score, min(int(max_score), 20) + 1) if max_score > 0 else 10
    ax.hist(values, bins=bins, color="#2b6cb0", edgecolor="white")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # students are whole
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


def variant_view(rows: pd.DataFrame, assignment: str, maxima: dict[str, tuple[float, bool]]) -> pd.DataFrame:
    """One row per variant of an assignment with per-student variants (course/personal.py): its
    parameters, students, mean total and mean percentage on the varied questions, and a flag when that
    percentage is far below the rest of the class's. Empty for an assignment without variants."""
    from .. import personal
    from .variants import read_solution, varied_answers

    if assignment not in personal.VARIANTS or rows.empty:
        return pd.DataFrame()
    varied = [f"{answer}_test" for answer in varied_answers(read_solution(assignment)) if f"{answer}_test" in rows.columns]
    possible = sum(maxima[q][0] for q in varied if q in maxima) or math.nan
    frame = pd.DataFrame({
        "variant": [personal.variant_of(assignment, str(s)) for s in rows["student_id"]],
        "total": rows["score"].astype(float).to_numpy(),
        "varied_percent": (100 * rows[varied].astype(float).fillna(0.0).sum(axis=1) / possible).to_numpy(),
    })
    out = []
    for number, bundle in enumerate(personal.VARIANTS[assignment], start=1):
        own = frame[frame["variant"] == number]
        rest = frame[frame["variant"] != number]
        mean_pct = float(own["varied_percent"].mean()) if len(own) else math.nan
        rest_pct = float(rest["varied_percent"].mean()) if len(rest) else math.nan
        out.append({
            "variant": number, "parameters": "; ".join(f"{k} {personal._show(v)}" for k, v in bundle.items()),
            "students": len(own), "mean_total": float(own["total"].mean()) if len(own) else math.nan,
            "varied_percent": mean_pct,
            "harder": bool(len(own) and len(rest) and mean_pct < rest_pct - HARDER_VARIANT),
        })
    return pd.DataFrame(out)


def _variant_section(graded: pd.DataFrame, maxima: dict, esc) -> list[str]:
    parts = ["<h2 id='variants'>Per-student variants: results per variant</h2>",
             "<p class='note'>Some questions are answered by each student for their own parameters (course/personal.py). "
             "A variant whose students score much lower on those questions than the rest of the class "
             f"(by more than {HARDER_VARIANT:.0f} percentage points) is highlighted: variants must be of the same "
             "difficulty, and a harder one is a defect to fix.</p>"]
    shown = False
    for assignment in sorted(graded["assignment"].unique()) if not graded.empty else []:
        view = variant_view(graded[graded["assignment"] == assignment], assignment, maxima.get(assignment, {}))
        if view.empty:
            continue
        shown = True
        parts.append(f"<h3>{esc(assignment)}</h3><table><tr><th>variant</th><th>parameters</th><th>students</th>"
                     "<th>mean total</th><th>mean on the varied questions (%)</th><th>look at it</th></tr>")
        for _, row in view.iterrows():
            parts.append(f"<tr class='{'warn' if row['harder'] else ''}'><td class='num'>{row['variant']}</td>"
                         f"<td>{esc(row['parameters'])}</td><td class='num'>{row['students']}</td>"
                         f"<td class='num'>{_fmt(row['mean_total'])}</td><td class='num'>{_fmt(row['varied_percent'], 0)}</td>"
                         f"<td class='flag'>{'harder than the others' if row['harder'] else ''}</td></tr>")
        parts.append("</table>")
    if not shown:
        parts.append("<p>No graded assignment has per-student variants.</p>")
    return parts


def _student_section(table: pd.DataFrame, esc) -> list[str]:
    view = student_view(table)
    parts = ["<h2 id='students'>Students: who may need help</h2>"]
    if view.empty:
        return parts + ["<p>No students in the gradebook yet.</p>"]
    n_help = int((view["lowest_quartile"] | view["missing"].str.len().gt(0) | view["failed"].str.len().gt(0)).sum())
    parts.append(
        f"<p class='note'>Totals across every assignment in the gradebook, lowest first. Highlighted: the lowest "
        f"quarter of the class by percentage, and anyone with a missing submission or one that failed to grade "
        f"({n_help} of {len(view)} students). A missing submission counts 0; one that failed to grade is left out "
        f"until it is graded. Provisional totals still count ungraded written answers as 0.</p>"
    )
    parts.append("<table><tr><th>student</th><th>points</th><th>of</th><th>%</th><th>missing</th>"
                 "<th>failed to grade</th><th>written answers awaiting a grader</th><th>why highlighted</th></tr>")
    for _, row in view.iterrows():
        why = [label for label, flag in (("lowest quarter", row["lowest_quartile"]), ("missing work", bool(row["missing"])),
                                         ("failed to grade", bool(row["failed"]))) if flag]
        parts.append(
            f"<tr class='{'help' if why else ''}'><td>{esc(str(row['student']))}</td>"
            f"<td class='num'>{_fmt(row['points'], 1)}</td><td class='num'>{_fmt(row['possible'], 0)}</td>"
            f"<td class='num'>{_fmt(row['percent'], 0)}</td><td>{esc(', '.join(row['missing'])) or '—'}</td>"
            f"<td>{esc(', '.join(row['failed'])) or '—'}</td><td class='num'>{row['awaiting'] or '—'}</td>"
            f"<td class='flag'>{esc(', '.join(why))}</td></tr>"
        )
    parts.append("</table>")
    return parts


def _test_cells(path: Path):
    """(grade_id, cell) of every autograded test cell of a notebook file; nothing if it cannot be read."""
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook is reported elsewhere (failed to grade)
        return []
    return nb.cells


def _notebooks(root: Path):
    """(student, assignment, notebook path) under root/<student>/<assignment>/."""
    if not root.is_dir():
        return
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for assignment_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            for notebook in sorted(assignment_dir.glob("*.ipynb")):
                yield student_dir.name, assignment_dir.name, notebook


def mistake_table(work: CourseWork) -> pd.DataFrame:
    """One row per (assignment, question, what went wrong) with the number of students.

    From the autograded notebooks: a hidden test that recognised a declared mistake raised MistakeNamed
    with that mistake's message (course/diagnosis.py); the contract gives its instructor-side
    description. Other failures are counted as "a public check failed" or "not a declared mistake".
    """
    from .. import contract

    described: dict[tuple[str, str], str] = {}
    rows = []
    for student, assignment, notebook in _notebooks(work.autograded):
        if (assignment, "") not in described:
            described[(assignment, "")] = ""
            if contract.contract_path(assignment).is_file():
                for q in contract.load(assignment):
                    for m in q.wrong:
                        if m.message:
                            described[(assignment, m.message)] = m.mistake
        for cell in _test_cells(notebook):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if not errors:
                continue
            error = errors[0]
            printed = [line[len(NAMED_MARKER):] for o in cell.get("outputs", []) if o.get("output_type") == "stream"
                       for line in str(o.get("text", "")).splitlines() if line.startswith(NAMED_MARKER)]
            if error.get("ename") == "MistakeNamed" or printed:
                named = printed[0] if printed else str(error.get("evalue", ""))
                message = named.split(": ", 1)[-1]
                what = described.get((assignment, message), message)
                error = {"ename": "MistakeNamed"}
            elif error.get("ename") == "WrongAnswer":
                what = "wrong, not a declared mistake"
            else:
                what = "a public check failed (or the answer is missing)"
            rows.append({"assignment": assignment, "question": meta.get("grade_id", ""), "mistake": what,
                         "named": error.get("ename") == "MistakeNamed", "student": student})
    if not rows:
        return pd.DataFrame(columns=["assignment", "question", "mistake", "named", "students"])
    frame = pd.DataFrame(rows)
    table = (frame.groupby(["assignment", "question", "mistake", "named"])["student"].nunique()
             .rename("students").reset_index())
    return table.sort_values(["assignment", "question", "named", "students"], ascending=[True, True, False, False])


def hint_table(work: CourseWork) -> pd.DataFrame:
    """Hints used per question, from the submitted notebooks (each hint's output carries ``course_hint``)."""
    rows = []
    for student, assignment, notebook in _notebooks(work.submitted):
        for cell in _test_cells(notebook):
            for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                used = output.get("metadata", {}).get("course_hint")
                if isinstance(used, dict) and isinstance(used.get("question"), str):
                    try:
                        level = int(used.get("level", 1))
                    except (TypeError, ValueError):
                        continue
                    rows.append({"assignment": assignment, "question": used["question"], "student": student,
                                 "level": level})
    if not rows:
        return pd.DataFrame(columns=["assignment", "question", "students", "hints_shown", "deepest_level"])
    frame = pd.DataFrame(rows).groupby(["assignment", "question", "student"])["level"].max().reset_index()
    return (frame.groupby(["assignment", "question"])
            .agg(students=("student", "nunique"), hints_shown=("level", "sum"), deepest_level=("level", "max"))
            .reset_index())


def _mistake_section(work: CourseWork, esc) -> list[str]:
    table = mistake_table(work)
    parts = ["<h2 id='mistakes'>Failures by named mistake</h2>",
             "<p class='note'>For each autograded question, how many students' answers matched each mistake declared "
             "in the question contract (the hidden test recognised the mistaken value), and how many failed in another "
             "way. The most common misconceptions come first within each question.</p>"]
    if table.empty:
        return parts + ["<p>No failed autograded checks.</p>"]
    for assignment in sorted(table["assignment"].unique()):
        rows = table[table["assignment"] == assignment]
        parts.append(f"<h3>{esc(assignment)}</h3><table><tr><th>question</th><th>what went wrong</th>"
                     "<th>students</th></tr>")
        for _, row in rows.iterrows():
            label = esc(str(row["mistake"])) if row["named"] else f"<em>{esc(str(row['mistake']))}</em>"
            parts.append(f"<tr><td>{esc(str(row['question']))}</td><td>{label}</td>"
                         f"<td class='num'>{int(row['students'])}</td></tr>")
        parts.append("</table>")
    return parts


def _hint_section(work: CourseWork, esc) -> list[str]:
    table = hint_table(work)
    parts = ["<h2 id='hints'>Hints used</h2>",
             "<p class='note'>From the submitted notebooks: each hint shown by <code>checks.hint()</code> is saved in "
             "the notebook with its question and level. A student who clears the outputs removes the record, so these "
             "are lower bounds.</p>"]
    if table.empty:
        return parts + ["<p>No hints recorded in the submissions.</p>"]
    parts.append("<table><tr><th>assignment</th><th>question</th><th>students who asked</th>"
                 "<th>hints shown</th><th>deepest level</th></tr>")
    for _, row in table.iterrows():
        parts.append(f"<tr><td>{esc(str(row['assignment']))}</td><td>{esc(str(row['question']))}</td>"
                     f"<td class='num'>{int(row['students'])}</td><td class='num'>{int(row['hints_shown'])}</td>"
                     f"<td class='num'>{int(row['deepest_level'])}</td></tr>")
    parts.append("</table>")
    return parts


def build_report(work: CourseWork) -> str:
    """The whole page. Every name from the gradebook or a submission (student ids, assignment and
    question names, failure reasons) is HTML-escaped: student-controlled text never becomes markup."""
    table = grades_table(work)
    maxima = question_maxima(work)
    failures = work.read_failures()
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Class report · {esc(paths.COURSE_ID)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>Class report · {esc(paths.COURSE_ID)}</h1>",
        f"<p class='note'>Generated {time.strftime('%Y-%m-%d %H:%M')} from {esc(work.db_url)}. "
        f"Pass = full marks on the question. Discrimination = point-biserial correlation between passing a "
        f"question and the total of the other questions. Highlighted questions: a pass rate below "
        f"{100 * LOW_PASS_RATE:.0f}% or a discrimination below {LOW_DISCRIMINATION}. Written answers that await "
        f"a grader are left out of pass rates, means and discrimination, and count 0 in provisional totals.</p>",
        "<nav aria-label='Sections'><ul><li><a href='#students'>Students who may need help</a></li>"
        "<li><a href='#scores'>Score distribution per assignment</a></li><li><a href='#questions'>Questions</a></li>"
        "<li><a href='#variants'>Results per variant</a></li>"
        "<li><a href='#mistakes'>Failures by named mistake</a></li><li><a href='#hints'>Hints used</a></li>"
        "<li><a href='#failures'>Submissions that failed to grade</a></li></ul></nav>",
    ]
    parts += _student_section(table, esc)
    parts.append("<h2 id='scores'>Score distribution per assignment</h2>")
    graded = table[table["status"] == "graded"] if not table.empty else table
    if graded.empty:
        parts.append("<p>No graded submissions yet: run <code>course autograde</code>.</p>")
    for assignment in sorted(graded["assignment"].unique()) if not graded.empty else []:
        rows = graded[graded["assignment"] == assignment]
        max_score = float(rows["max_score"].iloc[0])
        totals = rows["score"].astype(float)
        n_all = int((table["assignment"] == assignment).sum())
        n_provisional = int((rows["awaiting_grader"].fillna("") != "").sum())
        parts.append(f"<h3>{esc(assignment)}</h3>")
        parts.append(
            "<table><tr><th>graded</th><th>registered</th><th>provisional</th><th>mean</th><th>median</th><th>min</th>"
            f"<th>max</th><th>max possible</th></tr><tr><td class='num'>{len(rows)}</td><td class='num'>{n_all}</td>"
            f"<td class='num'>{n_provisional}</td>"
            f"<td class='num'>{_fmt(totals.mean())}</td><td class='num'>{_fmt(totals.median())}</td>"
            f"<td class='num'>{_fmt(totals.min())}</td><td class='num'>{_fmt(totals.max())}</td>"
            f"<td class='num'>{_fmt(max_score)}</td></tr></table>"
        )
        if n_provisional:
            parts.append(f"<p class='note'>{n_provisional} of {len(rows)} totals are provisional: written answers await "
                         f"a grader (Formgrader) and count 0 until graded.</p>")
        title = f"{assignment}: total scores of {len(rows)} students" + (" (provisional)" if n_provisional else "")
        parts.append(f"<figure role='img' aria-label='Histogram of total scores for {esc(assignment)}'>"
                     f"{_histogram_svg(totals, max_score, title)}</figure>")
    parts.append("<h2 id='questions'>Questions: pass rates and discrimination</h2>")
    for assignment in sorted(graded["assignment"].unique()) if not graded.empty else []:
        rows = graded[graded["assignment"] == assignment]
        cells = {q: v for q, v in maxima.get(assignment, {}).items() if q in rows.columns}
        stats = question_statistics(question_scores(rows, list(cells)), cells)
        parts.append(f"<h3>{esc(assignment)}</h3><table><tr><th>question</th><th>graded by</th><th>points</th>"
                     "<th>graded</th><th>awaiting a grader</th><th>pass rate</th><th>mean score</th>"
                     "<th>discrimination</th><th>look at it</th></tr>")
        for _, q in stats.iterrows():
            discrimination = q["discrimination"]
            low_d = discrimination is not None and not pd.isna(discrimination) and discrimination < LOW_DISCRIMINATION
            low_p = not pd.isna(q["pass_rate"]) and q["pass_rate"] < LOW_PASS_RATE
            why = ", ".join(label for label, flag in (("low pass rate", low_p), ("low discrimination", low_d)) if flag)
            pass_rate = "pending" if pd.isna(q["pass_rate"]) and q["awaiting"] else f"{_fmt(100 * q['pass_rate'], 0)}%"
            parts.append(
                f"<tr class='{'warn' if why else ''}'><td>{esc(q['question'])}</td>"
                f"<td>{'tests' if q['autograded'] else 'instructor'}</td><td class='num'>{_fmt(q['max_points'], 0)}</td>"
                f"<td class='num'>{q['graded']}</td><td class='num'>{q['awaiting'] or '—'}</td>"
                f"<td class='num'>{pass_rate}</td><td class='num'>{_fmt(q['mean_score'])}</td>"
                f"<td class='num'>{_fmt(discrimination)}</td><td class='flag'>{why}</td></tr>"
            )
        parts.append("</table>")
    parts += _variant_section(graded, maxima, esc)
    parts += _mistake_section(work, esc)
    parts += _hint_section(work, esc)
    parts.append("<h2 id='failures'>Submissions that failed to grade</h2>")
    if failures:
        parts.append("<table><tr><th>student</th><th>assignment</th><th>reason</th><th>when</th></tr>")
        for key, failure in sorted(failures.items()):
            parts.append(f"<tr><td>{esc(str(failure.get('student', key)))}</td><td>{esc(str(failure.get('assignment', '')))}</td>"
                         f"<td>{esc(str(failure.get('reason', '')))}</td><td>{esc(str(failure.get('when', '')))}</td></tr>")
        parts.append("</table><p class='note'>Fix the file (or ask for a resubmission) and run <code>course autograde</code> again.</p>")
    else:
        parts.append("<p>None.</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def write_report(work: CourseWork, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(work), encoding="utf-8")
    return out
