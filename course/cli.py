"""The `course` command: build | distribute | validate | autograde | worker | feedback | grades | report | similarity | simulate | demo | lab."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import paths


def _course_errors() -> tuple[type[Exception], ...]:
    """The errors that describe bad input or a bad course state (imported only when something failed)."""
    from .build import BuildError
    from .distribute import DistributionError
    from .contract import ContractError
    from .grading.feedback import FeedbackError
    from .grading.gradebook import GradingError
    from .grading.similarity import SimilarityError

    return BuildError, DistributionError, ContractError, FeedbackError, GradingError, SimilarityError


def one_line_error(error: Exception) -> click.ClickException:
    """Details (nbgrader's log, say) go to stderr first; the command ends on the error's first line."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    if len(lines) == 1:
        return click.ClickException(lines[0])
    click.echo("\n".join(lines[1:]), err=True)
    return click.ClickException(lines[0].rstrip(" :") + " (details above)")


class CourseGroup(click.Group):
    """Every verb ends in one clear line for the course's own errors, never in a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except Exception as error:
            if isinstance(error, _course_errors()):
                raise one_line_error(error) from error
            raise


@click.group(cls=CourseGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Five priorities for the U.S.-Japan alliance: build, check and grade the course."""
    paths.ensure_venv_on_path()


@main.command()
@click.argument("assignments", nargs=-1)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Where to write (default: notebooks/).")
def build(assignments: tuple[str, ...], out: Path | None) -> None:
    """Generate the student versions from solutions/ with nbgrader."""
    from .build import BuildError, build as build_notebooks

    try:
        written = build_notebooks(list(assignments) or None, out)
    except BuildError as error:
        raise click.ClickException(str(error)) from error
    for notebook in written:
        click.echo(f"built {notebook}")


@main.command()
@click.argument("assignments", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"), show_default=True,
              help="Where to write course-student/ and course-student.zip.")
def distribute(assignments: tuple[str, ...], out: Path) -> None:
    """Build what students receive (notebooks, the package with its data) and refuse it if it holds instructor material."""
    from .build import BuildError
    from .distribute import DistributionError, distribute as make_distribution

    try:
        folder, archive = make_distribution(out, list(assignments) or None)
    except (BuildError, DistributionError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"student distribution: {folder}\nzip: {archive}\nscanned: no solution, hidden test, rubric or contract code found")


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def validate(notebook: Path, as_json: bool) -> None:
    """A student's check before submitting.

    Exit 0: every visible test passes; 1: some fail; 2: test cells were changed, or the file is not a
    readable notebook.
    """
    from .grading.validate import validate_notebook

    result = validate_notebook(notebook)
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(result["message"])
        for failure in result.get("failures", []):
            click.echo(f"\n--- {failure['grade_id'] or 'cell'} ---\n{failure['error']}")
    sys.exit(result["exit_code"])


def course_dir_option(function):
    function = click.option("--db", "db_url", default=None, metavar="URL",
                            help="Gradebook database (any SQLAlchemy URL; default: sqlite DIR/gradebook.db).")(function)
    return click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("course-work"),
                        show_default=True, help="Course working directory (nbgrader layout: submitted/, autograded/, feedback/).")(function)


def _work(course_dir: Path, db_url: str | None):
    from .grading.discover import CourseWork

    return CourseWork.at(course_dir, db_url)


@main.command()
@click.argument("assignments", nargs=-1)
@course_dir_option
@click.option("--workers", type=int, default=None, help="Parallel grading processes (default: number of cores).")
@click.option("--timeout", "cell_timeout", type=int, default=30, show_default=True, help="Per-cell timeout (s).")
@click.option("--notebook-timeout", type=float, default=300, show_default=True,
              help="Wall-clock limit per notebook (s); the submission is killed and recorded as failed.")
@click.option("--force", is_flag=True, help="Regrade submissions already graded (manual scores are kept).")
@click.option("--allow-reduced-isolation", is_flag=True,
              help="Grade even without a working bwrap (student code then runs with your rights, under resource limits only).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Grade on a Dask cluster (e.g. tcp://10.0.0.5:8786; workers started with `course worker`) "
                   "instead of local processes; this machine still writes the gradebook.")
@click.option("--kernels", "kernel_mode", type=click.Choice(["plain", "forked"]), default=None,
              help="forked: each kernel is a fork of a template kernel that imported the notebooks' libraries once, "
                   "in the sandbox; plain: a new kernel process each time (default: $COURSE_KERNEL_MODE, else forked). "
                   "Forked falls back to plain without bwrap or when the template cannot start.")
def autograde(assignments, course_dir, db_url, workers, cell_timeout, notebook_timeout, force, allow_reduced_isolation,
              scheduler, kernel_mode) -> None:
    """Grade every submission not yet graded, in parallel, into the gradebook."""
    if not scheduler:
        from .grading.pool import start_fork_server

        start_fork_server()  # first: it imports nbgrader while this process does the same below
    from .grading import autograde as grading
    from .grading.isolation.execute import KERNEL_MODE_ENV
    from .grading.summary import print_summary

    if kernel_mode:
        os.environ[KERNEL_MODE_ENV] = kernel_mode  # the worker processes inherit it

    work = _work(course_dir, db_url)
    if not work.submitted.is_dir():
        raise click.ClickException(f"{work.submitted}: no such folder (expected submitted/<student>/<assignment>/)")
    if scheduler and workers:
        raise click.UsageError("--workers is for the local pool; on a cluster, start more `course worker`s")
    try:
        if scheduler:
            from .grading import cluster

            summary = cluster.autograde(work, list(assignments) or None, scheduler=scheduler, cell_timeout=cell_timeout,
                                        notebook_timeout=notebook_timeout, force=force,
                                        allow_reduced_isolation=allow_reduced_isolation)
        else:
            summary = grading.autograde(work, list(assignments) or None, workers=workers, cell_timeout=cell_timeout,
                                        notebook_timeout=notebook_timeout, force=force,
                                        allow_reduced_isolation=allow_reduced_isolation)
    except grading.GradingError as error:
        raise click.ClickException(str(error)) from error
    print_summary(summary, work)
    if scheduler:
        for line in cluster.print_cluster_lines(summary):
            click.echo(line)
    else:
        click.echo(summary.sandbox)
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.argument("scheduler", metavar="ADDRESS")
@click.option("--nworkers", type=int, default=None, help="Grading processes on this machine (default: number of cores).")
@click.option("--memory-limit", default="auto", show_default=True,
              help="Dask's memory limit per grading process (e.g. 4GB; auto: this machine's memory / --nworkers).")
@click.option("--allow-reduced-isolation", is_flag=True,
              help="Grade even without a working bwrap (student code then runs under resource limits only).")
@click.option("--name", default=None, help="Worker name shown by the scheduler (default: dask's).")
def worker(scheduler, nworkers, memory_limit, allow_reduced_isolation, name) -> None:
    """Join the Dask scheduler at ADDRESS as a grading worker, once this machine's sandbox works.

    Runs `dask worker` with one thread per process, the `grading` resource `course autograde
    --scheduler` asks for, and course.grading.cluster as preload (it checks the sandbox again in
    every worker process before it accepts a task).
    """
    import os

    from .grading import cluster

    problem = cluster.sandbox_problem(allow_reduced_isolation)
    if problem:
        raise click.ClickException(problem)
    env = dict(os.environ)
    # Grading processes are children of the worker process: it must not be a daemonic process.
    env["DASK_DISTRIBUTED__WORKER__DAEMON"] = "False"
    if allow_reduced_isolation:
        env[cluster.ALLOW_REDUCED_ENV] = "1"
    command = [sys.executable, "-m", "distributed.cli.dask_worker", scheduler, "--nthreads", "1",
               "--nworkers", str(nworkers or os.cpu_count() or 1), "--memory-limit", memory_limit,
               "--resources", f"{cluster.RESOURCE}=1", "--preload", "course.grading.cluster"]
    if name:
        command += ["--name", name]
    click.echo(cluster.sandbox_line(), err=True)
    os.execve(sys.executable, command, env)


@main.command()
@click.argument("assignments", nargs=-1)
@course_dir_option
def feedback(assignments, course_dir, db_url) -> None:
    """Write per-student HTML feedback (hidden tests are never shown, only pass/fail and points)."""
    from .grading import feedback as feedback_module

    work = _work(course_dir, db_url)
    result = feedback_module.generate(work, list(assignments) or None)  # FeedbackError: one line (CourseGroup)
    click.echo(f"{len(result.written)} feedback page(s) in {work.feedback}")
    for key, reason in sorted(result.failed.items()):
        click.echo(f"  no feedback for {key}: {reason}", err=True)


@main.command()
@course_dir_option
@click.option("--format", "fmt", type=click.Choice(["csv", "canvas", "moodle", "blackboard"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: DIR/grades.csv or DIR/grades-FORMAT.csv).")
@click.option("--include-provisional", is_flag=True,
              help="LMS formats: export scores whose written answers still await a grader (left blank otherwise).")
@click.option("--canvas-export", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Canvas: the gradebook export you downloaded; fills ID, SIS User ID, SIS Login ID and the assignment ids.")
@click.option("--blackboard-export", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Blackboard: a Grade Center export; checks Usernames and gives the `Name |columnID` headers.")
@click.option("--moodle-id", "moodle_identifier", type=click.Choice(["username", "idnumber", "email"]), default="username",
              show_default=True, help="Moodle: the identifier column (from roster.csv; username defaults to the student id).")
@click.option("--moodle-users", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Moodle: a CSV of the users Moodle knows, with a column named as --moodle-id.")
@click.option("--unmatched", type=click.Choice(["refuse", "drop"]), default="refuse", show_default=True,
              help="LMS formats: a student who cannot be matched stops the export (refuse), or is left out, listed and "
                   "written with their grades beside OUTPUT, named ...-unmatched.csv (drop).")
@click.option("--changed-only", is_flag=True,
              help="LMS formats: write only the assignment columns that changed since the last export to OUTPUT "
                   "(kept in OUTPUT.state.json).")
def grades(course_dir, db_url, fmt, output, include_provisional, canvas_export, blackboard_export, moodle_identifier,
           moodle_users, unmatched, changed_only) -> None:
    """Export one row per student and assignment plus per-question files (csv), or an LMS import file."""
    from .grading import lms
    from .grading.export import grades_table, provisional, questions_folder, write_grades

    work = _work(course_dir, db_url)
    given = {"--canvas-export": (canvas_export, "canvas"), "--blackboard-export": (blackboard_export, "blackboard"),
             "--moodle-users": (moodle_users, "moodle")}
    for option, (value, wanted) in given.items():
        if value is not None and fmt != wanted:
            raise click.UsageError(f"{option} is for --format {wanted}")
    if fmt == "csv":
        if changed_only:
            raise click.UsageError("--changed-only is for the LMS formats")
        out = write_grades(work, output or work.root / "grades.csv", "csv")
        click.echo(f"wrote {out} and one per-question file per assignment in {questions_folder(out)}")
        table = grades_table(work)
        waiting = table[provisional(table)]
        if len(waiting):
            answers = sum(len(ids.split()) for ids in waiting["awaiting_grader"])
            click.echo(f"provisional: {len(waiting)} of {int((table['status'] == 'graded').sum())} graded submissions have "
                       f"{answers} written answer(s) awaiting a grader (Formgrader): see the awaiting_grader column")
        return
    out = output or work.root / f"grades-{fmt}.csv"
    try:
        lms_file = lms.build(work, fmt, include_provisional=include_provisional, canvas_export=canvas_export,
                             blackboard_export=blackboard_export, moodle_identifier=moodle_identifier,
                             moodle_users=moodle_users)
        for line in lms_file.preflight.lines():  # before anything is written
            click.echo(line)
        settled = lms.settle_unmatched(lms_file, unmatched)
        if settled.preflight.dropped:
            click.echo(f"  left out of the file (--unmatched drop): {', '.join(settled.preflight.dropped)}")
        written = lms.write(settled, out, changed_only=changed_only)
    except lms.ExportError as error:
        raise click.ClickException(str(error)) from error
    if written.path is None:
        click.echo(f"no column changed since the last export to {out}: nothing written")
        return
    click.echo(f"wrote {written.path}: {len(written.columns)} assignment column(s)"
               + (f", {len(written.unchanged)} unchanged left out ({', '.join(written.unchanged)})" if written.unchanged else ""))
    if written.unmatched_path:
        click.echo(f"left-out students and their grades (enter them by hand): {written.unmatched_path}")


@main.command()
@course_dir_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: DIR/report.html).")
def report(course_dir, db_url, output) -> None:
    """A self-contained HTML class report: score distributions, pass rates, discrimination, failures."""
    from .grading.report import write_report

    work = _work(course_dir, db_url)
    out = write_report(work, output or work.root / "report.html")
    click.echo(f"wrote {out}")


@main.command()
@click.argument("assignments", nargs=-1)
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("course-work"), show_default=True,
              help="Course working directory (reads DIR/submitted/<student>/<assignment>/).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML report (default: DIR/similarity.html).")
@click.option("--json", "as_json", is_flag=True, help="Print the listed pairs as JSON instead of writing the report.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="List pairs scoring at least this (0-1; default 0.3; 0 lists every pair that shares anything).")
def similarity(assignments, course_dir, output, as_json, threshold) -> None:
    """Rank pairs of submissions by how much of their answers they share (a reason to look, never proof)."""
    from .grading import similarity as sim

    work = _work(course_dir, None)
    threshold = sim.DEFAULT_THRESHOLD if threshold is None else threshold
    try:
        result = sim.find_similar(work, list(assignments) or None, threshold=threshold)
    except sim.SimilarityError as error:
        raise click.ClickException(str(error)) from error
    for reason in sorted(result.skipped.values()):
        click.echo(f"not read: {reason}", err=True)
    if as_json:
        click.echo(sim.to_json(result))
        return
    out = sim.write_similarity_report(result, output or work.root / "similarity.html", threshold=threshold)
    click.echo(f"{len(result.pairs)} pair(s) at or above {threshold:.2f}; wrote {out}")


@main.command()
@click.option("--students", type=int, required=True, help="How many students.")
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("course-work"), show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
def simulate(students, course_dir, seed) -> None:
    """Write a plausible class into DIR/submitted/ to dry-run the tests before release."""
    from .grading.simulate import simulate_class

    written = simulate_class(course_dir, students, seed=seed)
    click.echo(f"wrote {len(written)} submission(s) into {Path(course_dir) / 'submitted'}")


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-out"), show_default=True)
@click.option("--students", type=int, default=12, show_default=True)
@click.option("--workers", type=int, default=None)
def demo(out, students, workers) -> None:
    """Simulate a class, autograde it, write feedback, grades and the report; print where each is."""
    from .grading.demo import run_demo

    run_demo(out, students=students, workers=workers)


@main.command()
@click.option("--role", type=click.Choice(["student", "instructor"]), default="student", show_default=True)
@click.option("--port", type=int, default=8888, show_default=True)
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Instructor: the course working directory Formgrader shows (default: course-work; after `make demo`: demo-out).")
@click.option("--db", "db_url", default=None, metavar="URL",
              help="Instructor: the gradebook (default: sqlite DIR/gradebook.db), as for the other verbs.")
def lab(role: str, port: int, course_dir: Path | None, db_url: str | None) -> None:
    """Start JupyterLab on the course, ready for a student or an instructor (Formgrader on --course-dir)."""
    from .lab import run

    if role == "student" and (course_dir or db_url):
        raise click.UsageError("--course-dir and --db are for --role instructor (Formgrader)")
    run(role=role, port=port, course_dir=course_dir, db_url=db_url)


if __name__ == "__main__":  # pragma: no cover
    main()
