"""Hostile and broken submissions for one assignment, each named by its scenario.

`write_class(course_dir, ...)` writes, into ``course_dir/submitted/<student>/<assignment>/``, one
submission per scenario (student id ``hostile-<scenario>``) plus normal ones (``normal-solution``,
``normal-blank``, ``normal-all-wrong``), and returns what each must end with.

Every "reads X" / "opens network" submission is built on the all-wrong answers and then *uses* what it
read: each answer cell ends by copying in the answers it stole, so a successful read would inflate the
score above the honest all-wrong score (0). Each prints `CHEAT <what>: ok|failed <error>`, which
shows up in the autograded notebook as evidence.

Run it by hand to look at the fixtures: python tests/hostile/make_fixtures.py DIR
"""

from __future__ import annotations

import copy
import json
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from course import paths  # noqa: E402
from course.grading import variants  # noqa: E402

ASSIGNMENT = "00_alliance"


@dataclass(frozen=True)
class Expect:
    """What a submission must end with.

    outcome: "graded", "failed" or "either" (graded or recorded as failed, both fine);
    max_score: upper bound on the autograded points when graded (no inflation);
    score: exact autograded points, for normal submissions.
    """

    outcome: str
    max_score: float | None = None
    score: float | None = None
    why: str = ""


# --- building blocks -----------------------------------------------------------------------------


def student_notebook(assignment: str = ASSIGNMENT) -> nbformat.NotebookNode:
    return nbformat.read(str(next((paths.notebooks_dir() / assignment).glob("*.ipynb"))), as_version=4)


def solution_answers(assignment: str = ASSIGNMENT) -> dict[str, str]:
    """grade_id -> the instructor's answer code (the solution region of each answer cell)."""
    answers = {}
    for cell in variants.read_solution(assignment).cells:
        if variants.is_answer_cell(cell):
            match = variants.SOLUTION_REGION.search(cell.source)
            code = match.group(0).split("\n", 1)[1].rsplit("### END SOLUTION", 1)[0]
            answers[variants.nbgrader_meta(cell)["grade_id"]] = code
    return answers


def fill(nb, answers: dict[str, str], suffix: str = ""):
    """A copy of the student notebook with each answer cell's code replaced (plus ``suffix``)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        grade_id = variants.nbgrader_meta(cell).get("grade_id")
        if variants.is_answer_cell(cell) and grade_id in answers:
            cell.source = textwrap.dedent(answers[grade_id]).strip("\n") + "\n" + suffix
    return nb


def insert_after(nb, grade_id: str, code: str):
    """A copy with a new plain code cell (no nbgrader metadata) after the cell ``grade_id``."""
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb.cells) if variants.nbgrader_meta(c).get("grade_id") == grade_id)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(textwrap.dedent(code).strip("\n")))
    return nb


def first_answer_id(nb) -> str:
    return next(variants.nbgrader_meta(c)["grade_id"] for c in nb.cells if variants.is_answer_cell(c))


# Every answer cell of a cheating submission ends with this: it takes whatever was stolen.
USE_STOLEN = "globals().update({k: v for k, v in globals().get('_stolen', {}).items() if not k.startswith('_')})\n"


def cheat_cell(what: str, *parts: str) -> str:
    """A cell that tries ``parts`` (code that fills the dict ``_stolen``) and prints the evidence."""
    body = "\n".join(textwrap.dedent(part).strip("\n") for part in parts)
    return (
        "_stolen = {}\n"
        "try:\n"
        + textwrap.indent(body, "    ") + "\n"
        f"    print('CHEAT {what}: ok', len(_stolen), 'values')\n"
        "except Exception as _error:\n"
        f"    print('CHEAT {what}: failed', type(_error).__name__, _error)\n"
    )


RUN_NOTEBOOK_CODE = """
def _run_code_cells(path):
    import json as _json
    namespace = {}
    for cell in _json.load(open(path))["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            if "BEGIN HIDDEN TESTS" in source or "checks." in source.split("\\n")[0]:
                continue  # test cells: not needed to get the answers
            try:
                exec(source, namespace)
            except Exception:
                pass
    return namespace
"""


# Code that would make every test cell pass if the tests ran in the student's kernel.
ALWAYS_TRUE = """
class _Anything:
    def __getattr__(self, name):
        return lambda *args, **kwargs: True
"""
IN_KERNEL_FORGERIES = {
    "ast-transformer": """
        import ast
        class _Swallow(ast.NodeTransformer):
            def visit_Module(self, node):
                handler = ast.ExceptHandler(type=None, name=None, body=[ast.Pass()])
                node.body = [ast.Try(body=[s], handlers=[handler], orelse=[], finalbody=[]) for s in node.body]
                return ast.fix_missing_locations(node)
        get_ipython().ast_transformers.append(_Swallow())
        """,
    "input-transformer": """
        def _skip_tests(lines):
            return ['pass\\n'] if any('checks' in line or 'assert' in line for line in lines) else lines
        get_ipython().input_transformers_post.append(_skip_tests)
        get_ipython().input_transformers_cleanup.append(_skip_tests)
        """,
    "pre-run-cell-hook": ALWAYS_TRUE + """
def _rebind(*_args):
    get_ipython().user_ns['checks'] = _Anything()
get_ipython().events.register('pre_run_cell', _rebind)
get_ipython().events.register('post_run_cell', _rebind)
""",
    "settrace": ALWAYS_TRUE + """
import sys, threading
def _tracer(frame, event, arg):
    if frame.f_globals.get('__name__') == '__main__':
        frame.f_globals['checks'] = _Anything()
    return _tracer
sys.settrace(_tracer)
threading.settrace(_tracer)
""",
    "checks-name-rebound": ALWAYS_TRUE + """
checks = _Anything()
""",
    "always-equal-answers": """
        class _Yes(float):
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            __lt__ = __le__ = __gt__ = __ge__ = __eq__
            def __hash__(self): return 0
            def __len__(self): return 12
        _kept = {k for k in globals() if not k.startswith('_')}
        def _replace_answers(*_args):
            import pandas as pd
            for _k, _v in list(globals().items()):
                if not _k.startswith('_') and isinstance(_v, (int, float, pd.Series, pd.DataFrame, list)) and not isinstance(_v, bool):
                    globals()[_k] = _Yes(0)
        get_ipython().events.register('post_run_cell', _replace_answers)
        """,
    "patched-isclose": """
        import math, operator
        math.isclose = lambda *args, **kwargs: True
        import course.checks as _checks
        _checks.close.__defaults__ = (1e300, 1e300)
        _checks.close.__kwdefaults__ = {'rel': 1e300, 'abs_tol': 1e300}
        """,
    "do-execute-replaced": """
        _kernel = get_ipython().kernel
        _original = type(_kernel).do_execute
        async def _do_execute(self, code, *args, **kwargs):
            if 'checks' in code or 'assert' in code:
                return {'status': 'ok', 'execution_count': self.execution_count, 'payload': [], 'user_expressions': {}}
            result = _original(self, code, *args, **kwargs)
            return (await result) if hasattr(result, '__await__') else result
        type(_kernel).do_execute = _do_execute
        """,
    "session-send-replaced": """
        from jupyter_client.session import Session
        _send = Session.send
        def _quiet(self, stream, msg_or_type, content=None, *args, **kwargs):
            kind = msg_or_type if isinstance(msg_or_type, str) else msg_or_type.get('header', {}).get('msg_type')
            if kind == 'error':
                return None
            if kind == 'execute_reply' and isinstance(content, dict) and content.get('status') == 'error':
                content = {'status': 'ok', 'execution_count': content.get('execution_count'), 'payload': [], 'user_expressions': {}}
            return _send(self, stream, msg_or_type, content, *args, **kwargs)
        Session.send = _quiet
        """,
    "thread-repatches": """
        import threading, time
        import course.checks as _checks
        def _repatch():
            while True:
                _checks.close = lambda *args, **kwargs: True
                _checks.same_values = lambda *args, **kwargs: True
                for _name in dir(_checks):
                    if _name.startswith('expect_') or _name == 'answered':
                        setattr(_checks, _name, lambda *args, **kwargs: None)
                time.sleep(0.0005)
        threading.Thread(target=_repatch, daemon=True).start()
        """,
}


# --- scenarios -------------------------------------------------------------------------------------


def scenarios(course_dir: Path, *, network_port: int, canaries: dict[str, Path], assignment: str = ASSIGNMENT):
    """{scenario: (notebook-or-bytes-or-callable, Expect)}."""
    blank = student_notebook(assignment)
    solution = variants.read_solution(assignment)
    points = variants.test_points(solution)
    full = sum(points.values())
    wrong_answers, _ = variants.load_answers(assignment)
    right = fill(blank, solution_answers(assignment))
    wrong = fill(blank, wrong_answers)
    cheating = fill(blank, wrong_answers, suffix=USE_STOLEN)
    after_setup = "setup"  # first locked code cell of every notebook: imports the course package
    first = first_answer_id(blank)
    nb_name = next((paths.notebooks_dir() / assignment).glob("*.ipynb")).name
    honest_wrong = 0.0  # tests/test_grading.py: every WRONG answer loses its points

    out: dict[str, tuple[object, Expect]] = {}

    # Tampering with the notebook's structure: nbgrader restores test cells from the gradebook.
    edited = copy.deepcopy(wrong)
    for cell in edited.cells:
        if variants.is_test_cell(cell):
            cell.source = "assert True\n"
    out["edited-test-cell"] = (edited, Expect("graded", max_score=honest_wrong, why="tests are restored from the gradebook"))

    deleted = copy.deepcopy(wrong)
    deleted.cells = [c for c in deleted.cells if not variants.is_test_cell(c)]
    out["deleted-test-cell"] = (deleted, Expect("either", max_score=honest_wrong))

    no_answer = copy.deepcopy(right)
    q5 = [gid for gid in variants.answer_ids(solution) if "q5" in gid] or [variants.answer_ids(solution)[-1]]
    no_answer.cells = [c for c in no_answer.cells if variants.nbgrader_meta(c).get("grade_id") != q5[0]]
    out["deleted-answer-cell"] = (no_answer, Expect("either", max_score=full - points[f"{q5[0]}_test"]))

    duplicated = copy.deepcopy(wrong)
    index = next(i for i, c in enumerate(duplicated.cells) if variants.nbgrader_meta(c).get("grade_id") == first)
    duplicated.cells.insert(index + 1, copy.deepcopy(duplicated.cells[index]))
    out["duplicated-answer-cell"] = (duplicated, Expect("either", max_score=honest_wrong))

    renamed = copy.deepcopy(wrong)
    for cell in renamed.cells:
        meta = variants.nbgrader_meta(cell)
        if meta.get("grade_id"):
            meta["grade_id"] = meta["grade_id"] + "-renamed"
            if "points" in meta:
                meta["points"] = 100
    out["changed-grade-ids"] = (renamed, Expect("either", max_score=honest_wrong))

    # Denial of service: each must end (timeouts, limits) with no more than the honest score.
    out["infinite-loop"] = (insert_after(right, first, "while True:\n    pass"), Expect("either", max_score=full))
    out["memory-bomb"] = (insert_after(right, after_setup, """
        def _bomb():
            blocks = []
            while True:
                blocks.append(bytearray(100 * 1024 * 1024))
        try:
            _bomb()
        except MemoryError:
            print('memory bomb stopped by MemoryError')
        """), Expect("either", max_score=full))
    out["fork-bomb"] = (insert_after(right, after_setup, "import os\nwhile True:\n    os.fork()"), Expect("either", max_score=full))
    # Memory spread over processes (issue 17): each child stays below its own address-space limit, all
    # together are above the submission's one budget (a cgroup), so the largest are killed.
    out["memory-across-processes"] = (insert_after(right, after_setup, """
        import os, time
        _children = []
        for _ in range(8):
            _pid = os.fork()
            if _pid == 0:
                _block = b'x' * (400 * 1024 * 1024)
                time.sleep(5)
                os._exit(0)
            _children.append(_pid)
        _ends = [os.waitpid(_pid, 0)[1] for _pid in _children]
        print('memory across processes:', sum(os.WIFSIGNALED(_e) for _e in _ends), 'of 8 children killed')
        """), Expect("either", max_score=full, why="one memory budget for all processes of a submission"))
    # Root or a capability in the sandbox (issue 17: the launcher ran as root): with either it could read
    # what the grader hides; it tries to get one and would then use the solutions.
    out["becomes-root-in-sandbox"] = (insert_after(cheating, after_setup, cheat_cell("become root", """
        import os, subprocess
        _status = dict(_line.split(':', 1) for _line in open('/proc/self/status'))
        try:
            os.setuid(0)
        except PermissionError:
            pass
        _namespace = subprocess.run(['unshare', '-r', 'id', '-u'], capture_output=True, text=True)
        if os.getuid() != 0 and int(_status['CapEff'], 16) == 0 and _namespace.returncode != 0:
            raise PermissionError('not root, no capability, no user namespace: ' + _namespace.stderr.strip())
        """, RUN_NOTEBOOK_CODE, f"""
        _stolen.update(_run_code_cells({str(paths.solutions_dir() / assignment / nb_name)!r}))
        """)), Expect("graded", max_score=honest_wrong, why="no process of the sandbox is root or holds a capability"))
    out["sys-exit"] = (insert_after(right, first, "import sys\nsys.exit('leaving early')"), Expect("either", max_score=full))
    out["os-exit"] = (insert_after(right, first, "import os\nos._exit(3)"), Expect("either", max_score=full))
    out["kernel-crash"] = (insert_after(right, first, "import ctypes\nctypes.string_at(0)"), Expect("either", max_score=full))
    out["huge-output"] = (insert_after(right, first, "for _ in range(100):\n    print('x' * 1_000_000)"),
                          Expect("graded", max_score=full, why="output is truncated, grading goes on"))

    # Reading what a student must never see, then using it.
    gradebook_reader = cheat_cell("read gradebook", f"""
        import glob, re, sqlite3
        candidates = [{str(course_dir / 'gradebook.db')!r}, '../../../gradebook.db', '../../../../gradebook.db']
        candidates += glob.glob({str(course_dir)!r} + '/**/*.db', recursive=True)
        sources = []
        for path in candidates:
            try:
                sources += [row[0] for row in sqlite3.connect(f'file:{{path}}?mode=ro', uri=True).execute('select source from source_cells')]
            except Exception as error:
                print('cannot read', path, error)
        if not sources:
            raise FileNotFoundError('no readable gradebook')
        for source in sources:
            for name, value in re.findall(r'checks\\.close\\((\\w+), *(-?[0-9.e]+)', source):
                _stolen[name] = float(value)
            for name, value in re.findall(r'assert (\\w+) == (-?[0-9]+)', source):
                _stolen[name] = int(value)
        """)
    out["reads-gradebook"] = (insert_after(cheating, after_setup, gradebook_reader), Expect("graded", max_score=honest_wrong))

    solutions_reader = cheat_cell("read solutions", RUN_NOTEBOOK_CODE, f"""
        _stolen = _run_code_cells({str(paths.solutions_dir() / assignment / nb_name)!r})
        """)
    out["reads-solutions"] = (insert_after(cheating, after_setup, solutions_reader), Expect("graded", max_score=honest_wrong))

    other_reader = cheat_cell("read other student", RUN_NOTEBOOK_CODE, f"""
        import glob
        found = glob.glob({str(course_dir)!r} + '/*/normal-solution/{assignment}/*.ipynb')
        found += glob.glob({str(course_dir)!r} + '/**/normal-solution/**/*.ipynb', recursive=True)
        found += glob.glob('../normal-solution/*/*.ipynb') + glob.glob('../../*/normal-solution/*/*.ipynb')
        if not found:
            raise FileNotFoundError('no other submission visible')
        _stolen = _run_code_cells(found[0])
        """)
    out["reads-other-student"] = (insert_after(cheating, after_setup, other_reader), Expect("graded", max_score=honest_wrong))

    network = cheat_cell("network", f"""
        import json, socket, urllib.request
        try:
            urllib.request.urlopen('http://example.com', timeout=3).read(100)
            print('internet reachable')
        except Exception as error:
            print('internet unreachable:', error)
        with socket.create_connection(('127.0.0.1', {network_port}), timeout=3) as connection:
            _stolen = json.loads(connection.makefile().readline())
        """)
    out["opens-network"] = (insert_after(cheating, after_setup, network), Expect("graded", max_score=honest_wrong))

    writes = cheat_cell("write outside", f"""
        import sqlite3
        for path in {[str(p) for p in canaries.values()]!r}:
            try:
                open(path, 'w').write('written by a student')
                print('WROTE', path)
            except Exception as error:
                print('cannot write', path, error)
        db = sqlite3.connect({str(course_dir / 'gradebook.db')!r})
        db.execute('update grade set auto_score = 100')
        db.commit()
        """)
    out["writes-outside"] = (insert_after(wrong, after_setup, writes), Expect("graded", max_score=honest_wrong))

    # Patching what the tests rely on (undone by the sandbox's guard before every cell).
    builtins_patch = """
        import builtins
        builtins.sorted = lambda *args, **kwargs: [2003, 2004]
        builtins.any = lambda *args, **kwargs: False
        builtins.len = lambda *args, **kwargs: 12
        builtins.AssertionError = type('Swallowed', (Exception,), {})
        sorted = lambda *args, **kwargs: [2003, 2004]
        len = lambda *args, **kwargs: 12
        """
    out["monkeypatches-builtins"] = (insert_after(wrong, after_setup, builtins_patch), Expect("graded", max_score=honest_wrong))

    checks_patch = """
        from course import checks
        import sys
        always = lambda *args, **kwargs: True
        for _name in ['close', 'same_values']:
            setattr(checks, _name, always)
        for _name in dir(checks):
            if _name.startswith('expect_') or _name == 'answered':
                setattr(checks, _name, lambda *args, **kwargs: None)
        checks.CheckFailed = type('Ignored', (Exception,), {})
        sys.modules['course.checks'].close = always
        """
    out["monkeypatches-checks"] = (insert_after(wrong, after_setup, checks_patch), Expect("graded", max_score=honest_wrong))

    # Forging the result from inside the kernel (issue 17): each worked while the tests ran in the
    # student's interpreter; the checker runs them in a process the kernel never touches.
    for scenario, code in IN_KERNEL_FORGERIES.items():
        out[scenario] = (insert_after(wrong, after_setup, code), Expect("graded", max_score=honest_wrong,
                                                                       why="tests run in the grader's checker"))

    # Files that are not (this assignment's) notebooks.
    out["corrupt-json"] = (b'{"cells": [ {"cell_type": "code", "source": "x = 1"', Expect("failed"))
    out["empty-file"] = (b"", Expect("failed"))
    other = nbformat.v4.new_notebook()
    other.metadata["kernelspec"] = blank.metadata.get("kernelspec", {})
    other.cells = [
        nbformat.v4.new_markdown_cell("# Another course's homework"),
        nbformat.v4.new_code_cell("other_answer = 1", metadata={"nbgrader": {
            "schema_version": 3, "grade": False, "solution": True, "locked": False, "grade_id": "other_q1"}}),
    ]
    out["other-assignment"] = (other, Expect("failed"))

    def extra_files(folder: Path) -> None:
        nbformat.write(right, str(folder / nb_name))
        (folder / "notes.txt").write_text("my notes\n")
        (folder / "my_data.csv").write_text("a,b\n1,2\n")
        (folder / "scratch").mkdir()
        (folder / "scratch" / "big.bin").write_bytes(b"\0" * 1_000_000)
        nbformat.write(wrong, str(folder / "scratch.ipynb"))

    out["extra-files"] = (extra_files, Expect("graded", score=full))

    # A student id nbgrader would read as a glob pattern: graded under a safe alias, recorded as itself.
    out["id-with-glob[1]*"] = (right, Expect("graded", score=full, why="any student id grades"))

    # Python beside the notebook (issue 17): it would run as the course's own code (as root in the
    # launcher) if the working folder were on sys.path. Refused with a reason.
    cheat_module = "import os\nopen(os.path.join(os.getcwd(), 'SHIPPED-CODE-RAN'), 'w').write('yes')\n"

    def ships(relative: str):
        def write(folder: Path) -> None:
            nbformat.write(wrong, str(folder / nb_name))
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(cheat_module)
        return write

    out["ships-course-package"] = (ships("course/__init__.py"), Expect("failed", why="submitted packages are refused"))
    out["ships-ipykernel-launcher"] = (ships("ipykernel_launcher.py"), Expect("failed", why="submitted .py is refused"))
    out["ships-pth-file"] = (ships("course-cheat.pth"), Expect("failed", why="submitted .pth is refused"))

    # Links and special files in the submission (issue 17): the grader, outside the sandbox, would
    # follow them. Refused with a reason, before anything copies the folder.
    solution_nb = paths.solutions_dir() / assignment / nb_name

    def notebook_link(folder: Path) -> None:
        (folder / nb_name).symlink_to(solution_nb)

    def folder_link(folder: Path) -> None:
        folder.rmdir()
        folder.symlink_to(course_dir / "submitted" / "normal-solution" / assignment, target_is_directory=True)

    def hard_link(folder: Path) -> None:
        nbformat.write(wrong, str(folder / nb_name))
        outside = course_dir.parent / "outside-the-course.txt"
        outside.write_text("a file outside the course\n")
        os.link(outside, folder / "notes.txt")

    def fifo(folder: Path) -> None:
        nbformat.write(wrong, str(folder / nb_name))
        os.mkfifo(folder / "pipe")

    def dir_link(folder: Path) -> None:
        nbformat.write(wrong, str(folder / nb_name))
        (folder / "everything").symlink_to("/", target_is_directory=True)

    out["notebook-links-to-solution"] = (notebook_link, Expect("failed", why="links are refused"))
    out["folder-links-to-other-student"] = (folder_link, Expect("failed", why="links are refused"))
    out["hard-link-outside"] = (hard_link, Expect("failed", why="hard links are refused"))
    out["fifo-in-submission"] = (fifo, Expect("failed", why="special files are refused"))
    out["link-to-root-in-submission"] = (dir_link, Expect("failed", why="links are refused"))

    # Links the kernel plants in its working folder, for the grader to follow afterwards: the
    # kernel works in a throw-away folder and nothing of it is taken back.
    target = str(canaries.get("existing", course_dir / "gradebook.db"))
    out["plants-links-in-work-folder"] = (insert_after(wrong, after_setup, f"""
        import os
        for _name, _target in [({nb_name!r}, {target!r}), ('notes.txt', {str(course_dir / 'gradebook.db')!r}),
                               ('everything', '/')]:
            try:
                os.symlink(_target, _name)
            except OSError as _error:
                print('cannot link', _name, _error)
        os.mkfifo('pipe')
        """), Expect("graded", max_score=honest_wrong, why="nothing of the work folder is taken back"))
    return out


def normal(assignment: str = ASSIGNMENT):
    blank = student_notebook(assignment)
    solution = variants.read_solution(assignment)
    full = sum(variants.test_points(solution).values())
    wrong_answers, _ = variants.load_answers(assignment)
    return {
        "normal-solution": (fill(blank, solution_answers(assignment)), Expect("graded", score=full)),
        "normal-blank": (blank, Expect("graded", score=0.0)),
        "normal-all-wrong": (fill(blank, wrong_answers), Expect("graded", score=0.0)),
    }


def write_submission(course_dir: Path, student: str, content, assignment: str = ASSIGNMENT) -> Path:
    folder = Path(course_dir) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nb_name = next((paths.notebooks_dir() / assignment).glob("*.ipynb")).name
    if callable(content):
        content(folder)
    elif isinstance(content, bytes):
        (folder / nb_name).write_bytes(content)
    else:
        nbformat.write(content, str(folder / nb_name))
    return folder


def write_class(course_dir: Path, *, network_port: int, canaries: dict[str, Path], assignment: str = ASSIGNMENT) -> dict[str, Expect]:
    """Write every hostile scenario and the normal submissions; return {student: Expect}."""
    expected: dict[str, Expect] = {}
    for student, (content, expect) in normal(assignment).items():
        write_submission(course_dir, student, content, assignment)
        expected[student] = expect
    for scenario, (content, expect) in scenarios(Path(course_dir), network_port=network_port, canaries=canaries,
                                                 assignment=assignment).items():
        write_submission(course_dir, f"hostile-{scenario}", content, assignment)
        expected[f"hostile-{scenario}"] = expect
    return expected


SCENARIOS = [
    "edited-test-cell", "deleted-test-cell", "deleted-answer-cell", "duplicated-answer-cell", "changed-grade-ids",
    "infinite-loop", "memory-bomb", "fork-bomb", "memory-across-processes", "becomes-root-in-sandbox",
    "sys-exit", "os-exit", "kernel-crash", "huge-output",
    "reads-gradebook", "reads-solutions", "reads-other-student", "opens-network", "writes-outside",
    "monkeypatches-builtins", "monkeypatches-checks", "corrupt-json", "empty-file", "other-assignment", "extra-files",
    *IN_KERNEL_FORGERIES,
    "ships-course-package", "ships-ipykernel-launcher", "ships-pth-file",
    "notebook-links-to-solution", "folder-links-to-other-student", "hard-link-outside", "fifo-in-submission",
    "link-to-root-in-submission", "plants-links-in-work-folder", "id-with-glob[1]*",
]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-class").resolve()
    result = write_class(target, network_port=9, canaries={"course dir": target / "CANARY-written-by-student"})
    print(json.dumps({k: v.outcome for k, v in result.items()}, indent=2))
