"""The trusted checker (issue 17): test cells run outside the student's kernel, on exported plain data."""

from __future__ import annotations

import datetime as dt
import json
import math

import nbformat
import numpy as np
import pandas as pd
import pytest

from course import paths
from course import cells
from course.grading import checker, exchange, variants
from course.grading.isolation.execute import CheckerError
from grading_harness import autograde


# --------------------------------------------------------------------------------------------
# Reading a test cell


def test_reads_free_names_but_not_what_the_cell_assigns_or_builtins():
    source = (
        "checks.answered('x', globals())\n"
        "_t = frame.set_index('a')\n"
        "assert len(_t) == 3\n"
        "assert all(v > 0 for v in values)\n"
        "f = lambda q: q + offset\n"
        "def helper(z):\n    return z * scale\n"
        "for k, v in mapping.items():\n    assert k\n"
    )
    names = checker.reads(source)
    assert names[:3] == ["checks", "frame", "values"]
    assert {"offset", "scale", "mapping"} <= set(names)
    assert not {"_t", "len", "all", "v", "q", "z", "helper", "f"} & set(names)


def test_identifier_strings_are_exported_only_when_the_notebook_binds_them():
    source = "mine = [globals().get(n) for n in ['health_ratio', 'nk_ratio']]\nassert country == 'Japan'\n"
    names = checker.names_to_export(source, notebook_binds={"health_ratio", "nk_ratio", "country"})
    assert names == ["country", "health_ratio", "nk_ratio"]
    assert "Japan" not in checker.names_to_export(source, notebook_binds={"country"})
    assert "Japan" not in checker.export_source(names)


def test_a_cells_analysis_is_the_same_each_time_and_changing_what_it_returned_changes_nothing():
    """The analyses are kept per source (a worker meets the same test cells in every submission): each
    caller still gets its own list or set, as names_to_export extends the list `reads` returned."""
    test = "assert globals().get('share') == total\n"
    first = checker.names_to_export(test, notebook_binds={"share", "total"})
    assert first == ["total", "share"]
    first.append("leaked")
    checker.reads(test).append("leaked")
    checker.named_strings(test).append("leaked")
    checker.binds("share = 1\n").add("leaked")
    assert checker.names_to_export(test, notebook_binds={"share", "total"}) == ["total", "share"]
    assert checker.reads(test) == ["total"]
    assert "leaked" not in checker.named_strings(test)
    assert checker.binds("share = 1\n") == {"share"}


# --------------------------------------------------------------------------------------------
# Plain data only


def roundtrip(value):
    return exchange.decode(json.loads(json.dumps(exchange.encode(value))))


@pytest.mark.parametrize("value", [
    None, True, False, 0, -3, 2**70, 1.5, "Japan", [1, "a", None], (1, 2), {1, "x"}, {"a": [1, 2], 3: (4,)},
    pd.Timestamp("2021-01-11"), pd.Timestamp("2021-01-11 10:00", tz="Asia/Tokyo"), pd.Timedelta(days=3),
    dt.date(2020, 11, 1), np.int64(7), np.float64(0.25), np.bool_(True),
])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = roundtrip(value)
    assert type(back) is type(value)
    assert back == value


def test_nan_nat_and_arrays_come_back():
    assert math.isnan(roundtrip(float("nan")))
    assert roundtrip(pd.NaT) is pd.NaT
    array = np.arange(6, dtype="float64").reshape(2, 3)
    back = roundtrip(array)
    assert back.dtype == array.dtype and (back == array).all()


def test_frames_series_and_indexes_come_back_through_parquet():
    frame = pd.DataFrame({"country": ["Japan", "Korea"], "value": [1.5, np.nan], 2020: [1, 2]},
                         index=pd.Index([2006, 2007], name="year"))
    pd.testing.assert_frame_equal(roundtrip(frame), frame)
    series = pd.Series([32, 35], index=pd.Index([2006, 2007], name="year"), name="Japan")
    pd.testing.assert_series_equal(roundtrip(series), series)
    unnamed = pd.Series(pd.to_datetime(["2021-01-01", "2021-02-01"]))
    pd.testing.assert_series_equal(roundtrip(unnamed), unnamed)
    multi = pd.MultiIndex.from_tuples([("Japan", 2002), ("Korea", 2003)], names=["country", "year"])
    pd.testing.assert_index_equal(roundtrip(multi), multi)
    assert roundtrip({"frame": frame})["frame"].equals(frame)


class AlwaysEqual(float):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [lambda: 1, object(), type("Custom", (), {})(), pd.DataFrame({"a": [object()]})])
def test_anything_with_behaviour_is_not_exported(value):
    with pytest.raises(exchange.Unexportable):
        exchange.encode(value)


def test_a_subclass_loses_its_behaviour():
    back = roundtrip(AlwaysEqual(3.0))
    assert type(back) is float and back != 4.0


def test_modules_travel_by_name_and_only_allowed_ones_are_imported():
    assert roundtrip(pd) is pd
    assert roundtrip(math) is math
    import course.checks
    assert roundtrip(course.checks) is course.checks
    for name in ["os", "course.grading.sandbox", "subprocess", "course..x", ""]:
        with pytest.raises(exchange.Invalid):
            exchange.decode({"t": "module", "name": name})


def test_forged_payloads_are_refused_without_running_anything():
    bad = [{"t": "pickle", "v": "gASV"}, {"t": "frame", "parquet": "not base64!"}, {"t": "np", "dtype": "object", "v": "1"},
           {"t": "int", "v": "9" * 10_000}, {"t": "list", "v": "abc"}, "plain string", None]
    values, problems = exchange.decode_values({"values": {f"n{i}": b for i, b in enumerate(bad)}},
                                              [f"n{i}" for i in range(len(bad))])
    assert values == {} and len(problems) == len(bad)


def test_only_the_names_a_test_reads_are_taken():
    payload = {"values": {"x": exchange.encode(1), "__builtins__": exchange.encode(None), "other": exchange.encode(2)}}
    values, _ = exchange.decode_values(payload, ["x"])
    assert values == {"x": 1}


# --------------------------------------------------------------------------------------------
# Running test cells


def run(source, **values):
    payload = {"values": {k: exchange.encode(v) for k, v in values.items()}}
    request = {"cells": [{"index": 0, "source": source, "execution_count": 7, "names": checker.reads(source),
                          "payload": payload}]}
    return checker.run(request)[0]["outputs"]


def test_a_failed_hidden_assert_names_its_line_but_never_quotes_it():
    outputs = run("from course import checks\nchecks.passed()\n### BEGIN HIDDEN TESTS\nassert checks.close(x, 123.456)\n", x=1.0)
    error = outputs[-1]
    assert error["output_type"] == "error" and error["ename"] == "AssertionError"
    text = "\n".join(error["traceback"])
    assert "In[7], line 4" in text
    assert "123.456" not in text and "checks.close(x" not in text
    assert outputs[0] == {"output_type": "stream", "name": "stdout", "text": outputs[0]["text"]}


def test_an_exception_with_its_own_rendering_keeps_it():
    source = ("class Short(AssertionError):\n    def _render_traceback_(self):\n        return ['short message']\n"
              "raise Short('x')\n")
    assert run(source)[-1]["traceback"] == ["short message"]


def test_a_passing_cell_has_no_error_and_a_missing_answer_fails():
    assert all(o["output_type"] != "error" for o in run("assert answer == 3\n", answer=3))
    assert run("assert answer == 3\n")[-1]["ename"] == "NameError"


def test_checker_uses_its_own_builtins_and_modules():
    # What a student could patch in the kernel is not what the checker uses.
    outputs = run("import math\nassert math.isclose(x, 1.0)\nassert len([1, 2]) == 2\n", x=2.0)
    assert outputs[-1]["ename"] == "AssertionError"


def test_a_name_gone_from_the_kernel_does_not_keep_an_earlier_value():
    payload = {"values": {"x": exchange.encode(1)}}
    cells = [{"index": 0, "source": "assert x == 1", "execution_count": 1, "names": ["x"], "payload": payload},
             {"index": 1, "source": "assert x == 1", "execution_count": 2, "names": ["x"], "payload": {"values": {}}}]
    first, second = checker.run({"cells": cells})
    assert first["outputs"] == [] and second["outputs"][-1]["ename"] == "NameError"


# --------------------------------------------------------------------------------------------
# Same scores as nbgrader's own way (test cells in the kernel)


def old_path(config):
    config.SandboxedExecute.use_checker = False


@pytest.mark.parametrize("assignment", ["00_alliance", "06_capstone"])
def test_checker_gives_the_same_scores_as_grading_in_the_kernel(assignment, tmp_path):
    solution = variants.read_solution(assignment)
    wrong, alternative = variants.load_answers(assignment)
    blank = nbformat.read(str(next((paths.notebooks_dir() / assignment).glob("*.ipynb"))), as_version=4)
    submissions = {"solution": solution, "blank": blank, "all-wrong": variants.substitute(solution, wrong),
                   "all-alternative": variants.substitute(solution, alternative)}
    (tmp_path / "checker").mkdir()
    (tmp_path / "kernel").mkdir()
    checked = autograde(assignment, submissions, tmp_path / "checker")
    in_kernel = autograde(assignment, submissions, tmp_path / "kernel", configure=old_path)
    assert checked == in_kernel
    points = variants.test_points(solution)
    assert {k: checked["solution"][k] for k in points} == points
    # The checker really ran: the kernel's notebook had no test cell, the autograded one has outputs.
    name = next((tmp_path / "checker" / "autograded" / "solution" / assignment).glob("*.ipynb"))
    graded = nbformat.read(str(name), as_version=4)
    assert not any(checker.EXPORT_MARKER in c.source for c in graded.cells)
    tests = [c for c in graded.cells if cells.is_test_cell(c)]
    assert tests and all(any(o.get("output_type") == "stream" for o in c.outputs) for c in tests)
    assert not any(exchange.MIME in json.dumps(c.get('outputs', [])) for c in graded.cells)


def forgeries(tmp_path):
    from hostile import make_fixtures

    everything = make_fixtures.scenarios(tmp_path, network_port=9, canaries={"existing": tmp_path / "existing.txt"})
    names = [*make_fixtures.IN_KERNEL_FORGERIES, "plants-links-in-work-folder"]
    return {name: everything[name][0] for name in names}


def test_in_kernel_forgeries_score_zero_through_the_checker(tmp_path):
    """Each hostile fixture of the in-kernel forgery classes (tests/hostile/) on all-wrong answers: 0."""
    from hostile.make_fixtures import ASSIGNMENT

    (tmp_path / "course").mkdir()
    (tmp_path / "existing.txt").write_text("original")
    scores = autograde(ASSIGNMENT, forgeries(tmp_path), tmp_path / "course")
    points = variants.test_points(variants.read_solution(ASSIGNMENT))
    inflated = {name: total for name, got in scores.items() if (total := sum(got[k] for k in points)) > 0}
    assert inflated == {}, f"forged points through the checker: {inflated}"
    assert (tmp_path / "existing.txt").read_text() == "original"
    for path in (tmp_path / "course" / "autograded").rglob("*"):
        assert not path.is_symlink(), f"a link the kernel planted reached the autograded folder: {path}"


# --------------------------------------------------------------------------------------------
# The warm checker: reused across submissions, a fresh child for each


def warm_request(source, **values):
    payload = {"values": {k: exchange.encode(v) for k, v in values.items()}}
    return {"timeout": 20, "cells": [{"index": 0, "source": source, "execution_count": 1,
                                      "names": checker.reads(source), "payload": payload}]}


def stdout_of(results):
    outputs = results[0]["outputs"]
    assert not [o for o in outputs if o["output_type"] == "error"], outputs
    return "".join(o["text"] for o in outputs if o["output_type"] == "stream")


# A test cell that, given a student's value, changes everything a reused process could keep:
# a module attribute, builtins, the course's checks, a file in the work folder, a running process.
POISON = (
    "import builtins, math, os, subprocess, sys\n"
    "from course import checks\n"
    "math.pi = answer\n"
    "builtins.sorted = lambda *a, **k: [answer]\n"
    "checks.close = lambda *a, **k: True\n"
    "open('planted.txt', 'w').write(str(answer))\n"
    "left = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
    "print(os.getpid(), os.getppid(), left.pid)\n"
)
FRESH = (
    "import math, os\n"
    "from course import checks\n"
    "assert math.pi > 3.14, math.pi\n"
    "assert sorted([2, 1]) == [1, 2]\n"
    "assert not checks.close(1.0, 2.0)\n"
    "assert os.listdir('.') == [], os.listdir('.')\n"
    "print(os.getpid(), os.getppid())\n"
)


def gone(pid):
    """The process ended (SIGKILL is delivered asynchronously: allow it a moment)."""
    import time

    import psutil

    for _ in range(50):
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_a_reused_warm_checker_gives_each_submission_a_fresh_child(tmp_path):
    warm = checker.warm_checker(None, str(tmp_path / "job-a"))
    child_a, warm_a, left = map(int, stdout_of(warm.run(warm_request(POISON, answer=3))).split())
    assert checker.warm_checker(None, str(tmp_path / "job-b")) is warm  # reused for the next submission
    child_b, warm_b = map(int, stdout_of(warm.run(warm_request(FRESH))).split())
    assert warm_a == warm_b == warm.process.pid and child_a != child_b
    assert gone(left), "a process the first submission's checker started outlived it"


def test_a_crashed_child_or_a_killed_warm_checker_does_not_fail_the_next_submission(tmp_path):
    warm = checker.warm_checker(None, str(tmp_path / "job"))
    with pytest.raises(CheckerError, match="exit -9"):
        warm.run(warm_request("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"))
    assert stdout_of(warm.run(warm_request("print(answer)\n", answer=5))) == "5\n"
    with pytest.raises(CheckerError):
        warm.run(warm_request("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"))
    again = checker.warm_checker(None, str(tmp_path / "job"))
    assert again is not warm and stdout_of(again.run(warm_request(FRESH)))


@pytest.mark.sandbox
@pytest.mark.timeout(300)
def test_in_the_sandbox_nothing_a_child_left_reaches_the_next_one(tmp_path):
    """Two submissions, one warm checker in bwrap: processes, /tmp, /dev/shm and files of the first are gone."""
    from test_sandbox import Course, require_bwrap

    require_bwrap()
    course = Course(tmp_path / "course")
    first = course.run("answer = 3", ("test", POISON + (
        "subprocess.Popen(['sleep', '120'], start_new_session=True)\n"  # out of the child's process group
        "open('/tmp/planted', 'w').write('x'); open('/dev/shm/planted', 'w').write('x')\n")))
    _child, warm_first, _left = map(int, first[1].splitlines()[0].split())
    second = course.run("answer = 4", ("test", FRESH + (
        "others = sorted(int(p) for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid(), os.getppid()))\n"
        "print(others, 'planted' in os.listdir('/tmp'), os.listdir('/dev/shm'))\n")))
    lines = second[1].strip().splitlines()
    assert lines[-1] == "[] False []", lines  # no process, no file in /tmp or /dev/shm
    assert int(lines[0].split()[1]) == warm_first  # the same warm checker served both
