"""Grade import files for Canvas, Moodle and Blackboard that their importers accept the first time (issue 27).

The importers' rules this module relies on (issue 27, from Canvas's own importer and exporter as
summarised with PrairieLearn's Canvas export; Moodle's and Blackboard's documented import behaviour):

- Canvas: identity columns are positional, the last is Section; a header `Title (12345)` updates the
  assignment with that Canvas id, a plain title the assignment with exactly that title, anything else
  creates a new assignment; a row whose first cell contains "Points Possible" sets points; `EX` means
  excused, blank or `-` no score; a row is matched to a student by ID, then SIS User ID, then SIS Login ID,
  then name.
- Moodle maps one identifier column (username, idnumber or email) and aborts the whole import on one
  unknown user.
- Blackboard keys rows by Username and columns by a `|columnID` at the end of the header.

Every export first builds a pre-flight report (who matched, who did not and why); students that are
unmatched or ambiguous are never dropped silently: by default nothing is written (`unmatched="refuse"`),
or they are left out and listed (`unmatched="drop"`). Every text cell is guarded against formula
injection; identifiers that the guard would alter cannot be matched by the LMS, so those students are
reported as unmatched instead.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook

from .. import paths
from .discover import ROSTER_FILE, CourseWork

FORMATS = ("canvas", "moodle", "blackboard")
MOODLE_IDENTIFIERS = ("username", "idnumber", "email")
UNMATCHED_POLICIES = ("refuse", "drop")
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_LABEL = "    Points Possible"  # as Canvas's own export writes it; the importer looks for "Points Possible"
CANVAS_EXCUSED = "EX"
# Optional DIR/canvas-assignments.csv maps our assignment names to Canvas assignment ids (columns: assignment,canvas_id).
CANVAS_IDS_FILE = "canvas-assignments.csv"
# roster.csv column listing the assignments a student is excused from (space, comma or semicolon separated; "all").
EXCUSED_COLUMN = "excused"
# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATE_SUFFIX = ".state.json"


class ExportError(Exception):
    """Bad input or a refused export: a one-line message naming the file and the problem."""


def guard(value) -> str:
    """A text cell a spreadsheet shows as text: a leading ' before = + - @ tab or CR (OWASP's advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def normalise_name(name: str) -> str:
    """Names compared without case, accents, punctuation or order: "Doe, Jane" == "jane DOE"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(re.sub(r"[\W_]+", " ", letters).split()))


def read_csv(path: Path, required: list[str], what: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV the instructor gave; ExportError (one line, naming the file) if it is not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ExportError(f"{path}: not UTF-8 text (save the {what} as CSV UTF-8)") from None
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        lines = [row for row in csv.reader(io.StringIO(text), strict=True)]
    except csv.Error as error:
        raise ExportError(f"{path}: not a readable CSV file ({error})") from None
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise ExportError(f"{path}: empty; expected a {what} with a header row")
    header = [cell.strip() for cell in lines[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise ExportError(f"{path}: not a {what}: no column {', '.join(repr(c) for c in missing)} in its header")
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise ExportError(f"{path}: line {number} has {len(cells)} cells, the header {len(header)}")
        rows.append({name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)})
    return header, rows


# --- who the students are ------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    """One student of the gradebook with the roster's extra columns."""

    id: str
    first_name: str
    last_name: str
    email: str
    roster: dict

    @property
    def name(self) -> str:
        """"Last, First" as Canvas's export writes names, or the id when the roster has no name."""
        return ", ".join(part for part in (self.last_name, self.first_name) if part) or self.id

    @property
    def has_name(self) -> bool:
        return bool(self.first_name or self.last_name)

    def get(self, column: str) -> str:
        return (self.roster.get(column) or "").strip()


def people(work: CourseWork) -> dict[str, Person]:
    roster = {row["id"]: row for row in work.roster()}
    found: dict[str, Person] = {}
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        for student in gb.students:
            row = roster.get(student.id, {})
            found[student.id] = Person(
                id=student.id,
                first_name=(row.get("first_name") or student.first_name or "").strip(),
                last_name=(row.get("last_name") or student.last_name or "").strip(),
                email=(row.get("email") or student.email or "").strip(),
                roster=row,
            )
    return found


def excused(work: CourseWork, everyone: dict[str, Person], assignments: list[str]) -> set[tuple[str, str]]:
    """(student, assignment) pairs the roster's `excused` column names; an unknown assignment is an error."""
    pairs: set[tuple[str, str]] = set()
    for person in everyone.values():
        for name in re.split(r"[\s,;]+", person.get(EXCUSED_COLUMN)):
            if not name:
                continue
            if name == "all":
                pairs.update((person.id, a) for a in assignments)
            elif name in assignments:
                pairs.add((person.id, name))
            else:
                raise ExportError(f"{work.root / ROSTER_FILE}: {person.id} is excused from {name!r}, which is not an "
                                  f"assignment in the gradebook ({', '.join(assignments) or 'none'})")
    return pairs


# --- the pre-flight report -----------------------------------------------------------------------

@dataclass
class Preflight:
    """Who the file will hold and who it cannot; printed before anything is written."""

    fmt: str
    source: str  # what students were matched against
    students: int = 0
    by_name: list[str] = field(default_factory=list)
    unmatched: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, str] = field(default_factory=dict)
    lms_only: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def problems(self) -> dict[str, str]:
        return {**self.unmatched, **self.ambiguous}

    def lines(self) -> list[str]:
        matched = self.students - len(self.problems)
        out = [f"pre-flight ({self.fmt}, students matched against {self.source}): {matched} of {self.students} "
               f"student(s) matched" + (f", {len(self.by_name)} by name ({', '.join(self.by_name)})" if self.by_name else "")]
        for student, reason in sorted(self.unmatched.items()):
            out.append(f"  unmatched {student}: {reason}")
        for student, reason in sorted(self.ambiguous.items()):
            out.append(f"  ambiguous {student}: {reason}")
        if self.lms_only:
            out.append(f"  in {self.source} but not in the gradebook (not in the file): {len(self.lms_only)} "
                       f"({'; '.join(self.lms_only[:10])}{'; ...' if len(self.lms_only) > 10 else ''})")
        if self.dropped:
            out.append(f"  left out of the file (--unmatched drop): {', '.join(sorted(self.dropped))}")
        out.extend(f"  {note}" for note in self.notes)
        return out


def match(persons: list[Person], users: list[dict], login_of_person, login_column: str, name_of_user, source: str,
          preflight: Preflight) -> dict[str, dict]:
    """Each person's LMS row: by login (exact, ignoring case), then by normalised name.

    Two LMS rows with the person's login or name, or one LMS row claimed by two persons, is ambiguous;
    no row is unmatched. Both go into the pre-flight report.
    """
    by_login: dict[str, list[dict]] = {}
    by_name: dict[str, list[dict]] = {}
    for user in users:
        if user.get(login_column, "").strip():
            by_login.setdefault(user[login_column].strip().casefold(), []).append(user)
        if normalise_name(name_of_user(user)):
            by_name.setdefault(normalise_name(name_of_user(user)), []).append(user)
    tentative: dict[str, tuple[dict, str]] = {}
    considered: set[int] = set()  # LMS rows some student matched, alone or ambiguously
    for person in persons:
        login = login_of_person(person)
        candidates = by_login.get(login.casefold(), []) if login else []
        considered.update(id(user) for user in candidates)
        if len(candidates) == 1:
            tentative[person.id] = (candidates[0], "login")
            continue
        if len(candidates) > 1:
            preflight.ambiguous[person.id] = f"{len(candidates)} rows of {source} have {login_column} {login!r}"
            continue
        name_candidates = by_name.get(normalise_name(person.name), []) if person.has_name else []
        considered.update(id(user) for user in name_candidates)
        if len(name_candidates) == 1:
            tentative[person.id] = (name_candidates[0], "name")
        elif len(name_candidates) > 1:
            preflight.ambiguous[person.id] = f"{len(name_candidates)} rows of {source} are named {person.name!r}"
        else:
            tried = f"no row with {login_column} {login!r}" if login else f"no {login_column} known for this student"
            preflight.unmatched[person.id] = tried + (f" or named {person.name!r}" if person.has_name else " (and no name in roster.csv)")
    claimed: dict[int, list[str]] = {}
    for student, (user, _) in tentative.items():
        claimed.setdefault(id(user), []).append(student)
    matched: dict[str, dict] = {}
    for student, (user, how) in tentative.items():
        rivals = claimed[id(user)]
        if len(rivals) > 1:
            preflight.ambiguous[student] = f"the row of {source} for {name_of_user(user)!r} matches {', '.join(sorted(rivals))}"
            continue
        matched[student] = user
        if how == "name":
            preflight.by_name.append(student)
    preflight.lms_only = [name_of_user(u) or u.get(login_column, "") for u in users if id(u) not in considered]
    return matched


# --- the file ------------------------------------------------------------------------------------

@dataclass
class Record:
    student: str  # our student id (the key of the changed-columns state)
    identity: list[str]
    cells: dict[str, str]  # assignment -> cell


@dataclass
class LmsFile:
    """What an import file will hold, before it is written (the pre-flight report is part of it)."""

    fmt: str
    identity_header: list[str]
    assignments: list[str]
    headers: dict[str, str]  # assignment -> column header
    records: list[Record]
    preflight: Preflight
    points: dict[str, str] | None = None  # Canvas's "Points Possible" row
    unmatched_records: list[Record] = field(default_factory=list)

    def table(self, assignments: list[str] | None = None) -> tuple[list[str], list[list[str]]]:
        columns = self.assignments if assignments is None else [a for a in self.assignments if a in assignments]
        header = self.identity_header + [self.headers[a] for a in columns]
        rows = []
        if self.points is not None:
            rows.append([CANVAS_POINTS_LABEL] + [""] * (len(self.identity_header) - 1) + [self.points[a] for a in columns])
        rows.extend(record.identity + [record.cells[a] for a in columns] for record in self.records)
        return header, rows


def _number(value) -> str:
    return f"{round(float(value), 2):g}"


def _cells(table: pd.DataFrame, assignments: list[str], excused_pairs: set, include_provisional: bool,
           excused_cell: str, preflight: Preflight) -> dict[str, dict[str, str]]:
    """student -> assignment -> cell. Blank where there is no final score: failed to grade, provisional
    (written answers await a grader) unless include_provisional; excused_cell for an excused student."""
    from .export import provisional

    waiting = provisional(table)
    cells: dict[str, dict[str, str]] = {}
    counts = {"excused": 0, "provisional": 0, "provisional_included": 0, "failed": 0}
    for index, row in table.iterrows():
        student, assignment = row["student_id"], row["assignment"]
        if (student, assignment) in excused_pairs:
            cell = excused_cell
            counts["excused"] += 1
        elif waiting[index] and not include_provisional:
            cell = ""
            counts["provisional"] += 1
        elif pd.isna(row["score"]):
            cell = ""
            counts["failed"] += 1
        else:
            cell = _number(max(float(row["score"]), 0.0))  # a late penalty never makes a negative (formula-like) cell
            counts["provisional_included"] += int(bool(waiting[index]))
        cells.setdefault(student, {})[assignment] = cell
    excused_word = f"written {excused_cell}" if excused_cell else "left blank"
    if counts["excused"]:
        preflight.notes.append(f"excused (roster.csv column {EXCUSED_COLUMN!r}): {counts['excused']} cell(s) {excused_word}")
    if counts["provisional"]:
        preflight.notes.append(f"incomplete: {counts['provisional']} submission(s) with written answers awaiting a grader left "
                               "blank (not a final score); --include-provisional exports them")
    if counts["provisional_included"]:
        preflight.notes.append(f"provisional: {counts['provisional_included']} score(s) exported with written answers "
                               "awaiting a grader counted 0 (--include-provisional)")
    if counts["failed"]:
        preflight.notes.append(f"failed to grade: {counts['failed']} cell(s) left blank (never a silent zero)")
    return cells


def _safe_identifier(value: str) -> bool:
    return guard(value) == value


def _canvas_ids_file(work: CourseWork) -> dict[str, str]:
    path = work.root / CANVAS_IDS_FILE
    if not path.is_file():
        return {}
    _, rows = read_csv(path, ["assignment", "canvas_id"], "table of Canvas assignment ids (assignment,canvas_id)")
    return {row["assignment"]: row["canvas_id"] for row in rows if row["canvas_id"]}


CANVAS_TITLE_ID = re.compile(r"^(?P<title>.*\S)\s*\((?P<id>\d+)\)$")


def canvas_file(work: CourseWork, table: pd.DataFrame, everyone: dict[str, Person], assignments: list[str],
                excused_pairs: set, include_provisional: bool, export: Path | None) -> LmsFile:
    source = str(export) if export else f"{ROSTER_FILE} only, not checked against Canvas (no --canvas-export)"
    preflight = Preflight("canvas", source, students=len(everyone))
    ids = {}
    users: list[dict] = []
    if export:
        header, rows = read_csv(export, ["Student", "ID"], "Canvas gradebook export")
        for column in header:
            found = CANVAS_TITLE_ID.match(column)
            if found and found["title"] in assignments:
                ids[found["title"]] = found["id"]
        users = [row for row in rows if "Points Possible" not in row["Student"] and row["ID"]]
        ignored = len(rows) - len(users) - sum("Points Possible" in row["Student"] for row in rows)
        if ignored:
            preflight.notes.append(f"{ignored} row(s) of {export} without an ID ignored")
    ids.update(_canvas_ids_file(work))
    persons = sorted(everyone.values(), key=lambda p: p.id)
    if export:
        matched = match(persons, users, lambda p: p.get("sis_login_id") or p.id, "SIS Login ID",
                        lambda u: u["Student"], str(export), preflight)
        identity = {sid: [guard(u["Student"]), guard(u["ID"]), guard(u.get("SIS User ID", "")),
                          guard(u.get("SIS Login ID", "")), guard(u.get("Section", ""))] for sid, u in matched.items()}
    else:
        identity = {}
        for person in persons:
            keys = [person.get("lms_user_id"), person.get("sis_user_id") or person.id, person.get("sis_login_id")]
            if not any(key and _safe_identifier(key) for key in keys) and not person.has_name:
                preflight.unmatched[person.id] = ("every identifier starts with a character spreadsheets execute "
                                                  "(= + - @); give lms_user_id in roster.csv or use --canvas-export")
                continue
            identity[person.id] = [guard(person.name), *(guard(key) for key in keys), guard(person.get("section"))]
            if any(key and not _safe_identifier(key) for key in keys):
                preflight.notes.append(f"{person.id}: an identifier starting with = + - @ is written with a leading ' "
                                       "(so no spreadsheet runs it); Canvas can then match this row only by the others or the name")
    headers = {a: guard(f"{a} ({ids[a]})" if a in ids else a) for a in assignments}
    plain = [a for a in assignments if a not in ids]
    if plain:
        preflight.notes.append(f"no Canvas id for {', '.join(plain)}: Canvas updates the assignment with exactly that "
                               "title, or creates a new one")
    cells = _cells(table, assignments, excused_pairs, include_provisional, CANVAS_EXCUSED, preflight)
    max_scores = table.groupby("assignment")["max_score"].first().to_dict() if not table.empty else {}
    records = [Record(sid, identity[sid], cells.get(sid, {a: "" for a in assignments})) for sid in sorted(identity)]
    unmatched = [Record(sid, [], cells.get(sid, {})) for sid in sorted(preflight.problems)]
    return LmsFile("canvas", list(CANVAS_IDENTITY), assignments, headers, records, preflight,
                   points={a: _number(max_scores.get(a, 0)) for a in assignments}, unmatched_records=unmatched)


def moodle_file(work: CourseWork, table: pd.DataFrame, everyone: dict[str, Person], assignments: list[str],
                excused_pairs: set, include_provisional: bool, identifier: str, known_users: Path | None) -> LmsFile:
    if identifier not in MOODLE_IDENTIFIERS:
        raise ExportError(f"moodle identifier {identifier!r}: use one of {', '.join(MOODLE_IDENTIFIERS)}")
    source = str(known_users) if known_users else f"{ROSTER_FILE} column {identifier!r}"
    preflight = Preflight("moodle", source, students=len(everyone))
    known: set[str] | None = None
    if known_users:
        _, rows = read_csv(known_users, [identifier], f"list of Moodle users (a column {identifier!r})")
        known = {row[identifier].casefold() for row in rows if row[identifier]}

    def value(person: Person) -> str:
        if identifier == "username":
            return person.get("username") or person.id
        if identifier == "email":
            return person.email
        return person.get("idnumber")

    values = {p.id: value(p) for p in everyone.values()}
    holders: dict[str, list[str]] = {}
    for student, key in values.items():
        if key:
            holders.setdefault(key.casefold(), []).append(student)
    for student, key in sorted(values.items()):
        if not key:
            preflight.unmatched[student] = f"no {identifier} in {ROSTER_FILE}"
        elif not _safe_identifier(key):
            preflight.unmatched[student] = (f"{identifier} {key!r} starts with a character spreadsheets execute; it cannot "
                                            "be written as it is")
        elif len(holders[key.casefold()]) > 1:
            preflight.ambiguous[student] = f"{identifier} {key!r} is also that of {', '.join(sorted(set(holders[key.casefold()]) - {student}))}"
        elif known is not None and key.casefold() not in known:
            preflight.unmatched[student] = f"{identifier} {key!r} is not in {known_users}"
    if known is not None:
        ours = {key.casefold() for key in values.values() if key}
        preflight.lms_only = sorted(known - ours)
    else:
        preflight.notes.append(f"no --moodle-users list given: only checked that every student has one {identifier}; "
                               "Moodle aborts the whole import if it does not know one of them")
    preflight.notes.append("excused students and incomplete submissions are left blank (Moodle has no excused value "
                           "we rely on)")
    cells = _cells(table, assignments, excused_pairs, include_provisional, "", preflight)
    good = sorted(s for s in values if s not in preflight.problems)
    records = [Record(s, [guard(values[s])], cells.get(s, {a: "" for a in assignments})) for s in good]
    unmatched = [Record(s, [], cells.get(s, {})) for s in sorted(preflight.problems)]
    return LmsFile("moodle", [identifier], assignments, {a: guard(a) for a in assignments}, records, preflight,
                   unmatched_records=unmatched)


def _blackboard_title(header: str) -> tuple[str, str] | None:
    """(title, column id) of a Blackboard header `Name |columnID`; the title without a trailing `[...]`."""
    if "|" not in header:
        return None
    title, column_id = header.rsplit("|", 1)
    if not column_id.strip():
        return None
    return re.sub(r"\s*\[[^\]]*\]\s*$", "", title).strip(), column_id.strip()


def blackboard_file(work: CourseWork, table: pd.DataFrame, everyone: dict[str, Person], assignments: list[str],
                    excused_pairs: set, include_provisional: bool, export: Path | None) -> LmsFile:
    source = str(export) if export else f"{ROSTER_FILE} only, not checked against Blackboard (no --blackboard-export)"
    preflight = Preflight("blackboard", source, students=len(everyone))
    persons = sorted(everyone.values(), key=lambda p: p.id)
    headers = {a: guard(a) for a in assignments}

    def username(person: Person) -> str:
        return person.get("username") or person.id

    if export:
        header, rows = read_csv(export, ["Username"], "Blackboard Grade Center export")
        for column in header:
            parsed = _blackboard_title(column)
            if parsed and parsed[0] in assignments:
                headers[parsed[0]] = guard(column)
        full_name = lambda u: " ".join(part for part in (u.get("First Name", ""), u.get("Last Name", "")) if part)  # noqa: E731
        matched = match(persons, [r for r in rows if r["Username"]], username, "Username", full_name, str(export), preflight)
        identity = {sid: u["Username"] for sid, u in matched.items()}
    else:
        identity = {p.id: username(p) for p in persons}
        preflight.notes.append("no --blackboard-export given: Usernames from roster.csv (column 'username', else the "
                               "student id) are not checked against Blackboard; columns are plain names")
    for sid, name in list(identity.items()):
        if not _safe_identifier(name):
            preflight.unmatched[sid] = f"Username {name!r} starts with a character spreadsheets execute; it cannot be written as it is"
            del identity[sid]
    plain = [a for a in assignments if "|" not in headers[a]]
    if export and plain:
        preflight.notes.append(f"no Blackboard column id for {', '.join(plain)} in {export}: plain column name")
    preflight.notes.append("excused students and incomplete submissions are left blank")
    cells = _cells(table, assignments, excused_pairs, include_provisional, "", preflight)
    records = [Record(s, [identity[s]], cells.get(s, {a: "" for a in assignments})) for s in sorted(identity)]
    unmatched = [Record(s, [], cells.get(s, {})) for s in sorted(preflight.problems)]
    return LmsFile("blackboard", ["Username"], assignments, headers, records, preflight, unmatched_records=unmatched)


def build(work: CourseWork, fmt: str, *, table: pd.DataFrame | None = None, include_provisional: bool = False,
          canvas_export: Path | None = None, blackboard_export: Path | None = None,
          moodle_identifier: str = "username", moodle_users: Path | None = None) -> LmsFile:
    """The import file for `fmt` with its pre-flight report; nothing is written yet."""
    from .export import grades_table

    if fmt not in FORMATS:
        raise ExportError(f"unknown LMS format {fmt!r} ({', '.join(FORMATS)})")
    table = grades_table(work) if table is None else table
    assignments = sorted(table["assignment"].unique()) if not table.empty else []
    everyone = people(work)
    excused_pairs = excused(work, everyone, assignments)
    if fmt == "canvas":
        return canvas_file(work, table, everyone, assignments, excused_pairs, include_provisional, canvas_export)
    if fmt == "moodle":
        return moodle_file(work, table, everyone, assignments, excused_pairs, include_provisional, moodle_identifier,
                           moodle_users)
    return blackboard_file(work, table, everyone, assignments, excused_pairs, include_provisional, blackboard_export)


def settle_unmatched(lms_file: LmsFile, policy: str = "refuse") -> LmsFile:
    """Refuse (ExportError, nothing written) when a student is unmatched or ambiguous, or leave them out and say so."""
    if policy not in UNMATCHED_POLICIES:
        raise ExportError(f"--unmatched {policy!r}: use refuse or drop")
    problems = lms_file.preflight.problems
    if problems and policy == "refuse":
        names = sorted(problems)
        raise ExportError(f"{len(names)} student(s) unmatched or ambiguous in {lms_file.preflight.source} "
                          f"({', '.join(names[:5])}{', ...' if len(names) > 5 else ''}): nothing written; fix the roster "
                          "or pass --unmatched drop to write the file without them")
    lms_file.preflight.dropped = sorted(problems)
    return lms_file


# --- writing, and only the columns that changed ----------------------------------------------------

def state_path(out: Path) -> Path:
    """The state file kept beside an import file: what each column held when it was last written."""
    return Path(out).with_name(Path(out).name + STATE_SUFFIX)


def _column_state(lms_file: LmsFile) -> dict[str, dict]:
    return {a: {"header": lms_file.headers[a], "points": (lms_file.points or {}).get(a),
                "cells": {r.student: r.cells[a] for r in lms_file.records}} for a in lms_file.assignments}


@dataclass
class Written:
    path: Path | None  # None: nothing changed, nothing written
    columns: list[str]
    unchanged: list[str]
    unmatched_path: Path | None = None


def write(lms_file: LmsFile, out: Path, changed_only: bool = False) -> Written:
    """Write the file (and its state file); with changed_only, only the assignment columns that differ
    from the state file's (a new column, a changed header, points or any cell), or nothing at all."""
    out = Path(out)
    current = _column_state(lms_file)
    columns = list(lms_file.assignments)
    if changed_only:
        before = {}
        if state_path(out).is_file():
            try:
                saved = json.loads(state_path(out).read_text(encoding="utf-8"))
                before = saved["columns"] if saved.get("format") == lms_file.fmt else {}
            except (json.JSONDecodeError, KeyError, TypeError):
                raise ExportError(f"{state_path(out)}: not a state file written by `course grades`; delete it to "
                                  "export every column") from None
        columns = [a for a in columns if before.get(a) != current[a]]
    unchanged = [a for a in lms_file.assignments if a not in columns]
    if not columns and lms_file.assignments:
        return Written(None, [], unchanged)
    out.parent.mkdir(parents=True, exist_ok=True)
    header, rows = lms_file.table(columns)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    previous = {}
    if state_path(out).is_file():
        try:
            previous = json.loads(state_path(out).read_text(encoding="utf-8")).get("columns", {})
        except (json.JSONDecodeError, AttributeError):
            previous = {}
    previous.update(current)
    state_path(out).write_text(json.dumps({"format": lms_file.fmt, "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                           "columns": previous}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    unmatched_path = None
    if lms_file.preflight.dropped:
        # what was left out, so no grade is lost: enter these by hand in the LMS
        unmatched_path = out.with_name(out.stem + "-unmatched.csv")
        with unmatched_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["student_id", "reason"] + [guard(a) for a in lms_file.assignments])
            for record in lms_file.unmatched_records:
                writer.writerow([guard(record.student), guard(lms_file.preflight.problems.get(record.student, ""))]
                                + [record.cells.get(a, "") for a in lms_file.assignments])
    return Written(out, columns, unchanged, unmatched_path)
