"""Nothing a student can import computes a graded answer.

For each notebook, the solution is run in a kernel; then every public function of course.data and of
the topic modules the notebook imports is called with what a student could pass it (nothing; each
table or series in the notebook's namespace; arguments filled by name from the namespace), and every result
(and every column of a resulting table) is put in place of each question's answer and run through that
question's whole test cell, public checks and hidden tests. No result may pass any hidden test.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from course import paths
from course.grading import variants

# plots, widgets and checks draw or check; they return figures, explorers or None, never an answer.
TOPIC_MODULES = {"health", "climate", "china", "institutions", "north_korea", "capstone", "personal"}

PROBE = r'''
import contextlib, importlib, inspect, io, json, re, warnings
import pandas as _pd
import matplotlib.pyplot as _plt
from course import data as _data

_TESTS = json.loads(%(tests)r)
_MODULES = %(modules)r
_names = {k: v for k, v in globals().items() if not k.startswith("_")}
_tables = [(k, v) for k, v in _names.items() if isinstance(v, (_pd.DataFrame, _pd.Series))][:60]

def _calls(function):
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return
    required = [p for p in signature.parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not required:
        yield "()", ()
    if len(required) == 1:
        for label, value in _tables:
            yield f"({label})", (value,)
    if required and all(p.name in _names for p in required):
        yield "(by name)", tuple(_names[p.name] for p in required)

def _results():
    for module_name in _MODULES:
        module = importlib.import_module(f"course.{module_name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            for label, args in _calls(function):
                try:
                    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        result = function(*args)
                except BaseException:
                    continue
                finally:
                    _plt.close("all")
                where = f"course.{module_name}.{name}{label}"
                yield where, result
                if isinstance(result, _pd.DataFrame):
                    for column in list(result.columns)[:20]:
                        yield f"{where}[{column!r}]", result[column]

_found = []
_candidates = list(_results())
for _test in _TESTS:
    _saved = {n: globals().get(n) for n in _test["answers"]}
    for _where, _value in _candidates:
        for _answer in _test["answers"]:
            globals()[_answer] = _value
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(_test["source"], _test["grade_id"], "exec"), globals())
                _found.append(f"{_test['grade_id']}: {_answer} = {_where}")
            except BaseException:
                pass
            finally:
                globals()[_answer] = _saved[_answer]
                _plt.close("all")
print("SHORTCUTS=" + json.dumps(_found))
'''


def _tests_of(solution):
    tests = []
    for cell in solution.cells:
        if variants.is_test_cell(cell):
            answers = sorted(set(re.findall(r"checks\.answered\(\s*[\"'](\w+)[\"']", cell.source)))
            source = cell.source.replace("### BEGIN HIDDEN TESTS", "").replace("### END HIDDEN TESTS", "")
            tests.append({"grade_id": cell.metadata.nbgrader.grade_id, "answers": answers, "source": source})
    return tests


@pytest.mark.slow
@pytest.mark.parametrize("assignment", paths.assignments())
def test_no_public_course_function_passes_a_hidden_test(assignment):
    solution = variants.read_solution(assignment)
    tests = [t for t in _tests_of(solution) if t["answers"]]
    imported = set(re.findall(r"from course import ([\w, ]+)", "\n".join(c.source for c in solution.cells)))
    modules = ["data"] + sorted(TOPIC_MODULES & {m.strip() for line in imported for m in line.split(",")})
    probe = nbformat.v4.new_code_cell(PROBE % {"tests": json.dumps(tests), "modules": modules})
    nb = nbformat.v4.new_notebook(cells=[*solution.cells, probe], metadata=solution.metadata)
    folder = paths.solutions_dir() / assignment
    NotebookClient(nb, timeout=600, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    errors = [o for o in nb.cells[-1].outputs if o.get("output_type") == "error"]
    assert not errors, f"the probe failed: {errors[0]['ename']}: {errors[0]['evalue']}"
    found = json.loads(text.split("SHORTCUTS=", 1)[1].strip().splitlines()[0])
    assert found == [], f"{assignment}: course functions a student can call pass hidden tests:\n" + "\n".join(found)
