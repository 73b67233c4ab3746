"""The `course` command: build | validate | autograde | feedback | grades | report | simulate | demo | lab."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import paths


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


@main.command()
@click.option("--role", type=click.Choice(["student", "instructor"]), default="student", show_default=True)
@click.option("--port", type=int, default=8888, show_default=True)
def lab(role: str, port: int) -> None:
    """Start JupyterLab on the course, ready for a student or an instructor (Formgrader)."""
    from .lab import run

    run(role=role, port=port)


if __name__ == "__main__":  # pragma: no cover
    main()
