"""Every write to an nbgrader gradebook during grading, in one place.

- the main gradebook (SQLite or any SQLAlchemy URL), written only by the controller: `sync_main`
  generates the assignments and registers the roster; `merge` writes one graded submission in one
  transaction; `install_autograded` puts the notebooks nbgrader autograded into DIR/autograded/;
- a worker's template gradebook, one per assignment (`make_template_gradebook`), copied for each of
  its submissions; and `read_scores`, which reads back what nbgrader wrote in that copy.

New databases are stamped with nbgrader's alembic revision in-process (`stamp_if_new`): nbgrader
would otherwise shell out to `alembic heads` (~2.5 s) for each one.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

from nbgrader import utils as nbgrader_utils
from nbgrader.api import Comment, Grade, Gradebook, MissingEntry, SubmittedAssignment, SubmittedNotebook
from sqlalchemy import text

from .. import paths
from .errors import GradingError
from .isolation.policy import describe_special
from .nbgrader_config import make_config
from .tasks import CellScore, GradeResult, NotebookScores, TemplateTask

# Columns of roster.csv nbgrader's Student model stores; the rest are kept for exports.
STUDENT_FIELDS = ("first_name", "last_name", "email", "lms_user_id")


def quiet_known_warnings() -> None:
    """nbgrader's own add_submission trips SQLAlchemy's autoflush warning; scores are unaffected (docs/toolchain.md)."""
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)


def alembic_head() -> str:
    """nbgrader's current schema revision, read in-process (nbgrader runs `alembic heads` in a subprocess)."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    import nbgrader

    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


def stamp_if_new(db_url: str, revision: str | None = None) -> str:
    """Give an empty database the alembic_version table nbgrader would create, so opening it is cheap.

    Returns the revision the database has (nbgrader then creates its tables itself).
    """
    from sqlalchemy import create_engine, inspect

    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            if "alembic_version" in inspect(connection).get_table_names():
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            revision = revision or alembic_head()
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})
            return revision
    finally:
        engine.dispose()


def generate(db_url: str, assignments: list[str], release_dir: Path, course_root: Path) -> None:
    """nbgrader's generate_assignment for each assignment, into the gradebook at ``db_url``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = make_config(course_root, db_url=db_url, release_dir=release_dir)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for assignment in assignments:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise GradingError(f"nbgrader could not generate {assignment}:\n{result.get('log')}\n{result.get('error')}")


def due_dates(db_url: str) -> dict[str, str | None]:
    """assignment -> the due date an instructor set in the gradebook (ISO), or None."""
    with Gradebook(db_url, paths.COURSE_ID) as gb:
        return {a.name: a.duedate.isoformat() if a.duedate else None for a in gb.assignments}


def register_students(gb: Gradebook, roster: list[dict[str, str]]) -> None:
    """Create or update every student of the roster in the gradebook."""
    for row in roster:
        fields = {key: row[key] for key in STUDENT_FIELDS if row.get(key)}
        try:
            student = gb.find_student(row["id"])
        except MissingEntry:
            gb.add_student(row["id"], **fields)
        else:
            changed = False
            for key, value in fields.items():
                if getattr(student, key) != value:
                    setattr(student, key, value)
                    changed = True
            if changed:
                gb.db.commit()


def sync_main(db_url: str, course_root: Path, roster: list[dict[str, str]], assignments: list[str], scratch: Path) -> None:
    """Generate the assignments into the main gradebook and register the students (runs beside grading)."""
    generate(db_url, assignments, scratch / "release-main", course_root)
    with Gradebook(db_url, paths.COURSE_ID) as gb:
        register_students(gb, roster)


# The worker's own SQLite files: each template gradebook and each job's copy of one. Scratch work: a
# crash loses nothing (the submission is graded again; only `merge` writes the main gradebook), so
# they are written without fsync. nbgrader commits once per cell, and each commit's fsyncs made the
# worker wait (about 0.1 s per submission and 0.3 s per template gradebook).
_scratch_databases: set[str] = set()


def scratch_database(path: str | Path) -> str:
    """(worker) The sqlite:/// URL of a private scratch gradebook at ``path``, written without fsync."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not _scratch_databases:
        event.listen(Engine, "connect", _unsynced_if_scratch)
        _share_scratch_engines()
    _scratch_databases.add(os.path.realpath(path))
    url = f"sqlite:///{path}"
    # A new engine for each new file, also at a path used before (a regraded submission's job folder).
    _scratch_urls[:] = [*(u for u in _scratch_urls if u != url), url][-KEPT_SCRATCH_ENGINES:]
    for key in [k for k in _scratch_engines if k[0] == url or k[0] not in _scratch_urls]:
        _scratch_engines.pop(key).dispose()
    return url


# nbgrader opens a new Gradebook, and so a new SQLAlchemy engine, about ten times per graded
# submission, and each new engine compiles every query again (its statement cache and its dialect
# are its own). Within a worker, the Gradebooks of one scratch file share one engine: a Gradebook's
# close() still disposes its connections (the next one reconnects), only compiled statements are kept.
KEPT_SCRATCH_ENGINES = 4
_scratch_urls: list[str] = []
_scratch_engines: dict[tuple, object] = {}  # (url, create_engine's options) -> engine


def _share_scratch_engines() -> None:
    import nbgrader.api

    create_engine = nbgrader.api.create_engine

    def engine_for(url, *args, **kwargs):
        if isinstance(url, str) and url in _scratch_urls and not args:
            key = (url, tuple(sorted(kwargs.items())))
            if key not in _scratch_engines:
                _scratch_engines[key] = create_engine(url, **kwargs)
            return _scratch_engines[key]
        return create_engine(url, *args, **kwargs)

    nbgrader.api.create_engine = engine_for


def _unsynced_if_scratch(dbapi_connection, _record) -> None:
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        files = {os.path.realpath(row[2]) for row in cursor.execute("PRAGMA database_list") if row[2]}
        if files & _scratch_databases:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
    finally:
        cursor.close()


def make_template_gradebook(task: TemplateTask) -> None:
    """(worker) Generate one assignment into its own template gradebook, with the main gradebook's due date."""
    folder = Path(task.folder)
    folder.mkdir(parents=True, exist_ok=True)
    db_url = scratch_database(task.template_db)
    stamp_if_new(db_url, task.revision)
    generate(db_url, [task.assignment], Path(task.release_dir), folder)
    if task.duedate:
        with Gradebook(db_url, paths.COURSE_ID) as gb:
            gb.find_assignment(task.assignment).duedate = nbgrader_utils.parse_utc(task.duedate)
            gb.db.commit()


def read_scores(db_url: str, assignment: str, student: str) -> tuple[str | None, dict[str, NotebookScores]]:
    """(worker) The submission's timestamp (ISO) and each notebook's scores, from its private gradebook."""
    notebooks: dict[str, NotebookScores] = {}
    with Gradebook(db_url, paths.COURSE_ID) as gb:
        submission = gb.find_submission(assignment, student)
        timestamp = submission.timestamp.isoformat() if submission.timestamp else None
        for nb in submission.notebooks:
            notebooks[nb.notebook.name] = NotebookScores(
                flagged=nb.flagged,
                late_submission_penalty=nb.late_submission_penalty,
                grades={g.name: CellScore(g.auto_score, g.needs_manual_grade) for g in nb.grades},
                comments={c.name: c.auto_comment for c in nb.comments},
            )
    return timestamp, notebooks


def merge(gb: Gradebook, result: GradeResult) -> None:
    """Write one graded submission into the main gradebook in a single transaction.

    Auto scores and auto comments are replaced; manual scores and comments a grader entered are kept,
    and (as nbgrader does) a cell with a manual score is flagged for review when regraded.
    """
    session = gb.db
    try:
        try:
            submission = gb.find_submission(result.assignment, result.student)
        except MissingEntry:
            # As Gradebook.add_submission, without its commit: the whole merge is one transaction.
            assignment, student = gb.find_assignment(result.assignment), gb.find_student(result.student)
            # Every object is added explicitly: SQLAlchemy 2 no longer cascades along backrefs.
            with session.no_autoflush:
                submission = SubmittedAssignment(assignment=assignment, student=student)
                session.add(submission)
                for notebook in assignment.notebooks:
                    nb = SubmittedNotebook(notebook=notebook, assignment=submission)
                    session.add(nb)
                    for cell in notebook.grade_cells:
                        session.add(Grade(cell_id=cell.id, notebook=nb))
                    for cell in notebook.solution_cells:
                        session.add(Comment(cell_id=cell.id, notebook=nb))
                    for cell in notebook.task_cells:
                        session.add(Comment(cell_id=cell.id, notebook=nb))
                        session.add(Grade(cell_id=cell.id, notebook=nb))
            session.flush()
        submission.timestamp = nbgrader_utils.parse_utc(result.timestamp) if result.timestamp else None
        for nb in submission.notebooks:
            graded = result.notebooks.get(nb.notebook.name)
            if graded is None:
                continue
            nb.flagged = bool(graded.flagged or result.findings.get(nb.notebook.name))
            nb.late_submission_penalty = graded.late_submission_penalty
            for grade in nb.grades:
                new = graded.grades.get(grade.name)
                if new is None:
                    continue
                grade.auto_score = new.auto_score
                grade.needs_manual_grade = bool(new.needs_manual_grade or grade.manual_score is not None)
            for comment in nb.comments:
                if comment.name in graded.comments:
                    comment.auto_comment = graded.comments[comment.name]
        session.commit()
    except Exception:
        session.rollback()
        raise


def install_autograded(autograded_root: Path, result: GradeResult) -> None:
    """Put the worker's autograded notebooks at DIR/autograded/<student>/<assignment>/."""
    target = autograded_root / result.student / result.assignment
    staging = target.parent / f".{target.name}.incoming"
    if staging.exists():
        shutil.rmtree(staging)
    # Only what nbgrader wrote is there (the kernel worked elsewhere); still, never follow a link.
    for folder, dirs, files in os.walk(result.autograded_dir, followlinks=False):
        for name in [*dirs, *files]:
            kind = describe_special(os.lstat(Path(folder) / name))
            if kind:
                raise GradingError(f"{name} in the autograded folder is {kind}; not installed")
    shutil.copytree(result.autograded_dir, staging, symlinks=True)
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)
