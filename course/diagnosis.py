"""Named mistakes and hints, from the question contract into the generated notebooks.

Two halves:

* **Fingerprints** (`refresh`, run by `course build`): each question's declared mistakes
  (instructor/questions/<assignment>.py, each Mistake with a ``message``) are run on the solution's own
  inputs, in a kernel, right after the solution's answer cell; the mistaken value is written in the
  canonical form of `course.checks.canonical` at the question's stated precision (read from its hidden
  test) and kept as a SHA-256 digest in ``instructor/diagnosis/<assignment>.json`` (instructor
  material, never released). The file records a digest of the solution and the contract it was made
  from, so an unchanged assignment is not run again.
* **Injection** (`InjectDiagnosis`, the first step of nbgrader's GenerateAssignment, so the student
  version *and* the gradebook's copy of each test cell get it): every test cell's hidden test is wrapped
  in ``with checks.naming_mistakes(value, table):`` (a failed comparison whose value matches a mistake
  raises MistakeNamed with the mistake's message; only failures are renamed); for answers with at
  least `PUBLIC_MIN_VALUES` numbers the public part also gets ``checks.diagnose(value, name, table)``
  right after the "not answered" checks, so the student learns it while working; for the others the same
  call sits there in a hidden region of its own, so the grader names the mistake even when a public
  plausibility check fails before the hidden test runs. Tables hold salted PBKDF2 hashes
  of the digests, never a value. The setup cell gets ``checks.use_hints(...)`` with the contract's hints.

A fingerprint is made for one parameter set. In an assignment with per-student variants
(course/personal.py) the solution runs once per variant, as a student of that variant; a mistake whose
value depends on the parameters keeps one hash per variant and is matched only against the student's
own variant. A mistake whose value equals the right answer's canonical form cannot be told apart and is
left out (test_mistakes fails on it).
"""

from __future__ import annotations

import ast
import base64
import copy
import hashlib
import io
import json
import re
import textwrap
import tokenize
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from . import contract, paths
from .cells import is_answer_cell, is_test_cell, nbgrader_meta

FORMAT = 5  # of the table (5: per-variant hashes)
PROBE_FORMAT = 3  # of what the probe records (a change runs the solutions again)
PROBE_MARKER = "COURSE-DIAGNOSIS-PROBE "
HIDDEN = re.compile(r"(### BEGIN HIDDEN TESTS\n)(.*?)(### END HIDDEN TESTS)", re.DOTALL)
# Numbers an answer must hold before its mistakes' hashes are shipped in the public check: guessing a
# mistaken value of one number (or a short list) by brute force is quick, and a mistake such as "one day
# early" would then give the right answer away. Fewer: the hidden test names the mistake in feedback only.
PUBLIC_MIN_VALUES = 4
ITERATIONS = 20_000  # = course.checks.HASH_ITERATIONS


def diagnosis_dir() -> Path:
    return contract.questions_dir().parent / "diagnosis"


def table_path(assignment: str) -> Path:
    return diagnosis_dir() / f"{assignment}.json"


# --------------------------------------------------------------------------------------------
# Reading a hidden test


def hidden_spec(test_source: str) -> dict | None:
    """What the hidden test compares: the student's variable, its stated precision, order, comparator."""
    match = HIDDEN.search(test_source)
    if not match:
        return None
    try:
        tree = ast.parse(match.group(2))
    except SyntaxError:
        return None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr.startswith("assert_")]
    calls.sort(key=lambda n: (n.lineno, n.col_offset))
    if not calls:
        return None
    first = calls[0]
    keywords = {k.arg: k.value for k in first.keywords if k.arg}
    name = keywords.get("name")
    variable = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else None
    if not (variable and variable.isidentifier()):
        variable = first.args[0].id if first.args and isinstance(first.args[0], ast.Name) else None
    if not variable or variable.startswith("_"):
        return None
    variables = [variable]
    for call in calls[1:]:  # a question may check two answers (a table and a number): fingerprint both
        other = next((k.value.value for k in call.keywords if k.arg == "name" and isinstance(k.value, ast.Constant)), None)
        if isinstance(other, str) and other.isidentifier() and not other.startswith("_") and other not in variables:
            variables.append(other)
    decimals = next((k.value.value for c in calls for k in c.keywords
                     if k.arg == "decimals" and isinstance(k.value, ast.Constant)), None)
    exact = any(k.arg == "exact_columns" and isinstance(k.value, ast.Constant) and k.value.value is True
                for c in calls for k in c.keywords)
    ordered = any(k.arg == "ordered" and isinstance(k.value, ast.Constant) and k.value.value is True
                  for c in calls for k in c.keywords)
    return {"variable": variable, "variables": variables, "decimals": decimals, "ordered": ordered,
            "exact_columns": exact,
            "compare": first.func.attr}


def value_expression(spec: dict) -> str:
    """The expression a generated check fingerprints: the answer, or a tuple of the answers."""
    names = spec["variables"]
    return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"


# --------------------------------------------------------------------------------------------
# Probing (in the kernel that runs the solution)


def _digest(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _count_numbers(value: Any) -> int:
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return int(sum(pd.api.types.is_numeric_dtype(t) for t in value.dtypes) * len(value))
    if isinstance(value, pd.Series):
        return len(value) if pd.api.types.is_numeric_dtype(value.dtype) else 0
    if isinstance(value, tuple):
        return sum(_count_numbers(v) for v in value)
    return 0


def _scalars(value: Any, decimals, limit: int = 400) -> list[str]:
    """Distinct values of an answer in canonical form (numbers, dates, text): what a scan for leaked
    expected values looks for (tests/test_mistakes.py). Instructor material, like the whole table."""
    import pandas as pd

    from course import checks

    if isinstance(value, tuple):
        items = [v for part in value for v in _scalars(part, decimals, limit)]
    elif isinstance(value, pd.DataFrame):
        items = [checks._canonical_scalar(v, decimals) for col in value.columns for v in value[col].tolist()]
    elif isinstance(value, pd.Series):
        items = [checks._canonical_scalar(v, decimals) for v in value.tolist()]
    elif isinstance(value, (list, set)):
        items = [checks._canonical_scalar(v, decimals) for v in value]
    else:
        items = [checks._canonical_scalar(value, decimals)]
    return sorted(set(items) - {"nan", "nat"})[:limit]


def probe(namespace: dict, spec: dict) -> None:
    """Run each mistake's code on a copy of the solution's namespace; print digests of the results.

    Runs in the kernel that executes the solution (course build), right after the answer cell.
    """
    import pandas as pd

    from course import checks

    names = spec["variables"]

    def answer_of(space):
        return space.get(names[0]) if len(names) == 1 else tuple(space.get(n) for n in names)

    expected = answer_of(namespace)
    # the solution's columns (other columns a student keeps do not matter), or all when the test says so
    columns = ([str(c) for c in expected.columns] if isinstance(expected, pd.DataFrame) and not spec.get("exact_columns")
               else None)
    how = {"decimals": spec["decimals"], "columns": columns}

    def forms(value):
        return {"unordered": _digest(checks.canonical(value, ordered=False, **how)),
                "ordered": _digest(checks.canonical(value, ordered=True, **how))}

    result = {"answer": spec["answer"], "columns": columns, "solution": forms(expected),
              "numbers": _count_numbers(expected), "values": _scalars(expected, spec["decimals"]), "mistakes": []}
    for index, code in enumerate(spec["codes"]):
        scratch = {k: (v.copy() if isinstance(v, (pd.DataFrame, pd.Series)) else v) for k, v in namespace.items()}
        entry: dict[str, Any] = {"index": index}
        try:
            with io.StringIO() as sink:
                import contextlib

                with contextlib.redirect_stdout(sink):
                    exec(textwrap.dedent(code), scratch)  # noqa: S102 - the instructor's contract
            entry.update(forms(answer_of(scratch)))
        except Exception as error:  # noqa: BLE001 - reported to the instructor by `course build`
            entry["error"] = f"{type(error).__name__}: {error}"
        result["mistakes"].append(entry)
    print(PROBE_MARKER + json.dumps(result))


def _probe_cell(spec: dict) -> nbformat.NotebookNode:
    source = (f"__import__('course.diagnosis', fromlist=['probe']).probe(globals(), "
              f"__import__('json').loads({json.dumps(json.dumps(spec))}))")
    return nbformat.v4.new_code_cell(source)


def source_digest(assignment: str) -> str:
    """Digest of what the probes depend on: the solution notebook, the mistakes' code, the probe's format
    (not the messages: rewording a message remakes the table without running the solution again)."""
    h = hashlib.sha256()
    h.update(paths.solution_notebook_path(assignment).read_bytes())
    codes = [[q.answer, [m.code for m in q.wrong]] for q in contract.load(assignment)]
    h.update(json.dumps(codes, sort_keys=True).encode("utf-8"))
    h.update(str(PROBE_FORMAT).encode())
    from . import personal

    if assignment in personal.VARIANTS:  # the parameters the solution runs with, one run per variant
        h.update(json.dumps(personal.VARIANTS[assignment], sort_keys=True).encode("utf-8"))
    return h.hexdigest()


def probe_students(assignment: str) -> dict[str, str | None]:
    """{variant key: the student id the solution runs as}: one id per variant of an assignment with
    per-student variants (course/personal.py), else {"": None} (one run, no id needed)."""
    from . import personal

    if assignment not in personal.VARIANTS:
        return {"": None}
    found: dict[str, str | None] = {}
    for n in range(10_000):
        student = f"diagnosis-probe-{n}"
        found.setdefault(str(personal.variant_of(assignment, student)), student)
        if len(found) == len(personal.VARIANTS[assignment]):
            return dict(sorted(found.items()))
    raise contract.ContractError(f"{assignment}: no probe id found for every variant")


def run_probes(assignment: str, timeout: int = 240, student: str | None = None) -> dict[str, dict]:
    """Execute the solution with a probe after each answer cell, as ``student`` (their variant's
    parameters, course/personal.py) when given; {answer: probe result}."""
    import os

    from nbclient import NotebookClient

    questions = contract.by_answer(assignment)
    nb = nbformat.read(str(paths.solution_notebook_path(assignment)), as_version=4)
    tests = {nbgrader_meta(c).get("grade_id"): c for c in nb.cells if is_test_cell(c)}
    cells = []
    for cell in nb.cells:
        if is_test_cell(cell):
            continue  # hidden tests are not needed to compute the mistakes
        cell = copy.deepcopy(cell)
        if cell.cell_type == "code":
            cell.source = cell.source.replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION\n", "")
        cells.append(cell)
        grade_id = nbgrader_meta(cell).get("grade_id")
        question = questions.get(grade_id)
        if question is None or not is_answer_cell(cell):
            continue
        spec = hidden_spec(tests.get(question.test_id, {}).get("source", ""))
        if spec is None:
            continue
        spec.update(answer=question.answer, codes=[m.code for m in question.wrong])
        cells.append(_probe_cell(spec))
    nb.cells = cells
    paths.ensure_venv_on_path()
    for attempt in (1, 2, 3):  # a kernel that dies or stalls on a loaded machine gets more chances
        client = NotebookClient(nb, timeout=timeout, startup_timeout=120, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(paths.solution_notebook_path(assignment).parent)}})
        env = {k: v for k, v in os.environ.items() if k not in ("COURSE_STUDENT_ID", "JUPYTERHUB_USER")}
        if student is not None:
            env["COURSE_STUDENT_ID"] = student
        try:
            client.execute(env=env)
            break
        except Exception as error:  # noqa: BLE001 - e.g. DeadKernelError, a start-up timeout
            if attempt == 3:
                raise contract.ContractError(f"solutions/{assignment}: the named-mistake probe failed: {error}") from None
    found: dict[str, dict] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            for line in text.splitlines():
                if line.startswith(PROBE_MARKER):
                    result = json.loads(line[len(PROBE_MARKER):])
                    found[result["answer"]] = result
    return found


# --------------------------------------------------------------------------------------------
# Tables


def salt_for(assignment: str, answer: str) -> str:
    """Per question, so one hash says nothing about another question; deterministic, so builds are too."""
    from course.checks import without_digits

    return without_digits(hashlib.sha256(f"course-mistake:{assignment}:{answer}".encode()).hexdigest()[:16])


def salted(digest_hex: str, salt: str) -> str:
    from course.checks import without_digits

    return without_digits(hashlib.pbkdf2_hmac("sha256", bytes.fromhex(digest_hex), salt.encode("utf-8"), ITERATIONS).hex()[:32])


def _mistake_entry(probe_entry: dict, solution: dict, salt: str) -> dict:
    """One mistake's hash for one parameter set, or why it has none."""
    if "error" in probe_entry:
        return {"skipped": f"the mistake's code fails on the solution's inputs: {probe_entry['error']}"}
    if probe_entry["unordered"] is None:
        return {"skipped": "the mistaken value has no canonical form"}
    if probe_entry["unordered"] != solution["unordered"]:
        return {"ordered": False, "hashes": [salted(probe_entry["unordered"], salt)]}
    if probe_entry["ordered"] != solution["ordered"]:
        return {"ordered": True, "hashes": [salted(probe_entry["ordered"], salt)]}
    return {"skipped": "the mistaken value equals the solution's at the stated precision"}


def make_table(assignment: str, probes_by_variant: dict[str, dict[str, dict]]) -> dict:
    """The instructor-side table: per question, its spec and each mistake's salted hash (or why none).

    ``probes_by_variant``: {variant key: {answer: probe result}} ({"": ...} without variants). A mistake
    whose hash is the same for every variant gets ``hashes``; one whose value depends on the student's
    parameters gets ``by_variant`` {variant: {"ordered", "hashes"}}, matched against the student's own
    variant only (checks._matching_message), so another variant's mistake is never named.
    """
    questions = contract.by_answer(assignment)
    keys = list(probes_by_variant)
    out: dict[str, Any] = {}
    for answer in dict.fromkeys(a for probes in probes_by_variant.values() for a in probes):
        question = questions[answer]
        salt = salt_for(assignment, answer)
        results = {k: probes_by_variant[k][answer] for k in keys if answer in probes_by_variant[k]}
        first = next(iter(results.values()))
        entries = []
        for index, mistake in enumerate(question.wrong):
            entry: dict[str, Any] = {"mistake": mistake.mistake, "message": mistake.message}
            per_variant = {k: _mistake_entry(r["mistakes"][index], r["solution"], salt)
                           for k, r in results.items() if index < len(r["mistakes"])}
            distinct = {json.dumps(e, sort_keys=True) for e in per_variant.values()}
            if len(distinct) == 1 and len(per_variant) == len(keys):
                entry.update(next(iter(per_variant.values())))
            else:
                entry["by_variant"] = {k: e for k, e in per_variant.items() if "hashes" in e}
                skipped = {k: e["skipped"] for k, e in per_variant.items() if "skipped" in e}
                if skipped:
                    entry["skipped"] = "; ".join(f"variant {k}: {why}" for k, why in skipped.items())
            entries.append(entry)
        values = sorted({v for r in results.values() for v in r["values"]})
        out[answer] = {"salt": salt, "columns": first["columns"], "numbers": first["numbers"],
                       "solution_values": values,
                       "public": first["numbers"] >= PUBLIC_MIN_VALUES, "mistakes": entries}
    return out


def same_value_mistakes(questions_table: dict) -> list[tuple[str, str, str]]:
    """(answer, earlier mistake, later mistake) for declared mistakes of one question with the same value:
    the check names the first whenever either is made, so the second's message could never be shown."""
    found = []
    for answer, question in questions_table.items():
        seen: dict[tuple, str] = {}
        for mistake in question["mistakes"]:
            keys = {(None, mistake.get("ordered"), h) for h in mistake.get("hashes", ())}
            for variant, own in (mistake.get("by_variant") or {}).items():
                keys |= {(variant, own.get("ordered"), h) for h in own.get("hashes", ())}
            earlier = next((seen[k] for k in sorted(keys, key=str) if k in seen), None)
            if earlier is not None:
                found.append((answer, earlier, mistake["mistake"]))
            for key in keys:
                seen.setdefault(key, mistake["mistake"])
    return found


def refresh(assignment: str, *, force: bool = False) -> Path | None:
    """(Re)write instructor/diagnosis/<assignment>.json when the solution or contract changed."""
    if not contract.contract_path(assignment).is_file():
        return None
    if not any(m.message for q in contract.load(assignment) for m in q.wrong):
        return None  # no named mistakes declared: nothing to fingerprint
    path = table_path(assignment)
    digest = source_digest(assignment)
    old: dict = {}
    if path.is_file():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
    # The probes (runs of the solution) are kept: new messages or a new table format need no new run.
    fresh = not force and old.get("source_digest") == digest
    if fresh and "probes_by_variant" in old:
        probes = old["probes_by_variant"]
    elif fresh and "probes" in old:  # a table of format 4 (one parameter set)
        probes = {"": old["probes"]}
    else:
        probes = {key: run_probes(assignment, student=student) for key, student in probe_students(assignment).items()}
    data = {"assignment": assignment, "format": FORMAT, "source_digest": digest,
            "note": "generated by course build (course/diagnosis.py); instructor material",
            "questions": make_table(assignment, probes), "probes_by_variant": probes}
    if json.loads(json.dumps(data)) != old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_table(assignment: str) -> dict:
    path = table_path(assignment)
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("questions", {})
    except ValueError as error:
        raise contract.ContractError(f"{path}: not valid JSON ({error}); run course build") from None


# --------------------------------------------------------------------------------------------
# Injection (nbgrader preprocessor)


def shipped_table(question_table: dict, decimals, assignment: str) -> dict:
    """The part of a question's table a test cell carries: salt, precision, columns, hashes, messages
    (and the assignment, when a mistake's hashes are per variant: the check finds the student's variant)."""
    mistakes = []
    for m in question_table["mistakes"]:
        if not m.get("message"):
            continue
        if m.get("hashes"):
            mistakes.append({"ordered": m["ordered"], "hashes": m["hashes"], "message": m["message"]})
        elif m.get("by_variant"):
            mistakes.append({"by_variant": m["by_variant"], "message": m["message"]})
    table = {"salt": question_table["salt"], "decimals": decimals, "columns": question_table["columns"],
             "mistakes": mistakes}
    if any("by_variant" in m for m in mistakes):
        table["assignment"] = assignment
    return table


def _has_multiline_string(code: str) -> bool:
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.STRING and "\n" in token.string:
                return True
    except (tokenize.TokenError, SyntaxError):
        return True
    return False


def inject_test_cell(source: str, question_table: dict, assignment: str = "") -> str:
    """A test cell's source with the named-mistake wrapper (hidden) and, if public, the diagnose call."""
    spec = hidden_spec(source)
    if spec is None:
        return source
    table = shipped_table(question_table, spec["decimals"], assignment)
    if not table["mistakes"]:
        return source
    variable = value_expression(spec)
    literal = repr(table)  # plain str, bool, None and lists: a Python literal
    match = HIDDEN.search(source)
    hidden = match.group(2)
    if not _has_multiline_string(hidden):
        wrapped = f"with checks.naming_mistakes({variable}, {literal}):\n" + textwrap.indent(hidden, "    ")
        source = source[:match.start(2)] + wrapped + source[match.end(2):]
    call = f"checks.diagnose({variable}, {spec['variable']!r}, {literal})"
    if not question_table.get("public"):
        # Too few numbers to ship the hashes to students: the call goes in a hidden region of its own, so
        # only the grader runs it (where it only prints the name). It must come before the public checks,
        # since a mistaken value often fails a plausibility check (a year out of range) before the hidden
        # test could name it.
        call = f"### BEGIN HIDDEN TESTS\n{call}\n### END HIDDEN TESTS"
    # Right after the "not answered yet" checks, before the shape checks: a mistake that also breaks
    # the shape (a missing row) is better named than described.
    lines = source.split("\n")
    answered = [i for i, text in enumerate(lines) if text.startswith("checks.answered(")]
    lines.insert(answered[-1] + 1 if answered else 0, call)
    return "\n".join(lines)


def hints_line(assignment: str, questions: list[contract.Question]) -> str | None:
    hints = {q.answer: list(q.hints) for q in questions if q.hints}
    if not hints:
        return None
    packed = base64.b64encode(json.dumps(hints, sort_keys=True, ensure_ascii=False).encode("utf-8")).decode("ascii")
    return f"checks.use_hints({assignment!r}, {packed!r})  # checks.hint(\"q1\") shows the next hint"


def inject_notebook(nb, assignment: str) -> None:
    """Add hints and named-mistake checks to an instructor notebook (in place)."""
    if not contract.contract_path(assignment).is_file():
        return
    questions = contract.load(assignment)
    by_test = {q.test_id: q for q in questions}
    table = load_table(assignment)
    line = hints_line(assignment, questions)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if line and grade_id == "setup" and cell.cell_type == "code":
            lines = cell.source.split("\n")
            at = next((i for i, text in enumerate(lines) if text.startswith("from course import") and "checks" in text), None)
            if at is not None:
                lines.insert(at + 1, line)
                cell.source = "\n".join(lines)
                line = None
        elif is_test_cell(cell) and grade_id in by_test and by_test[grade_id].answer in table:
            cell.source = inject_test_cell(cell.source, table[by_test[grade_id].answer], assignment)


class InjectDiagnosis(NbGraderPreprocessor):
    """nbgrader GenerateAssignment step: named mistakes and hints from the contract (see module doc)."""

    def preprocess(self, nb, resources):
        assignment = resources.get("nbgrader", {}).get("assignment")
        if assignment:
            inject_notebook(nb, assignment)
        return nb, resources
