"""Start a grading kernel with the rights of a student, not of the grader.

Run as ``python -I -m course.grading.isolation.launcher [options] -- <kernel command>`` inside the bubblewrap
sandbox (course/grading/isolation/bwrap.py builds the command), or directly when bwrap is missing. It
starts as the sandbox uid with no capability (bwrap itself runs as that uid, course/grading/isolation/enter.py),
so it never switches uid. It:

1. sets resource limits (address space, CPU time, file size, processes, no core dumps);
2. keeps only harmless environment variables (the grader's may hold database URLs or tokens);
3. execs the kernel command.

It also makes the kernel load the guard (course/grading/isolation/guard.py), an IPython extension
that puts back builtins and the ``course.checks`` helpers before every cell.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

# Environment variables a kernel may see; everything else of the grader's environment is dropped.
STUDENT_ENV = "COURSE_STUDENT_ID"  # whose submission a kernel grades (course/personal.py reads it)
KEPT_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "PYTHONHASHSEED", "MPLBACKEND",
            "COURSE_DATA_DIR", "COURSE_SOLUTIONS_DIR", "COURSE_NOTEBOOKS_DIR", "COURSE_SANDBOX", STUDENT_ENV)
# One thread per numeric library: predictable CPU use under two workers and less address space
# reserved per thread (RLIMIT_AS counts reservations, not use). Same for glibc's malloc arenas.
KERNEL_ENV = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    if "--" not in argv:
        raise SystemExit("usage: launcher [options] -- <kernel command>")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="launcher")
    parser.add_argument("--home", default=None, help="HOME for the kernel (a writable scratch folder)")
    parser.add_argument("--memory", type=int, required=True, help="RLIMIT_AS in bytes")
    parser.add_argument("--cpu", type=int, required=True, help="RLIMIT_CPU in seconds")
    parser.add_argument("--fsize", type=int, required=True, help="RLIMIT_FSIZE in bytes")
    parser.add_argument("--nproc", type=int, required=True, help="RLIMIT_NPROC (processes and threads)")
    parser.add_argument("--no-guard", action="store_true", help="the command is not a kernel (the grader's checker)")
    return parser.parse_args(argv[:split]), argv[split + 1:]


def set_limits(memory: int, cpu: int, fsize: int, nproc: int) -> None:
    def limit(kind: int, value: int) -> None:
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    limit(resource.RLIMIT_AS, memory)
    # SIGXCPU at the soft limit ends a process that burns CPU forever (a fork bomb's children too).
    limit(resource.RLIMIT_CPU, cpu)
    limit(resource.RLIMIT_FSIZE, fsize)
    limit(resource.RLIMIT_NPROC, nproc)
    limit(resource.RLIMIT_CORE, 0)


def kernel_env(home: str | None) -> dict[str, str]:
    env = {key: os.environ[key] for key in KEPT_ENV if key in os.environ}
    env.update(KERNEL_ENV)
    if home:
        env["HOME"] = home
        env["MPLCONFIGDIR"] = os.path.join(home, ".matplotlib")
        env["IPYTHONDIR"] = os.path.join(home, ".ipython")
    # JPY_PARENT_PID is dropped on purpose: in a new PID namespace that pid does not exist and
    # ipykernel would exit at once (docs/toolchain.md).
    return env


def main(argv: list[str] | None = None) -> None:
    options, command = parse(list(sys.argv[1:] if argv is None else argv))
    if not command:
        raise SystemExit("launcher: no kernel command after --")
    if options.home:
        os.makedirs(options.home, exist_ok=True)
    set_limits(options.memory, options.cpu, options.fsize, options.nproc)
    if not options.no_guard:
        # Load the guard into the kernel (an IPython extension, guard.py beside this file),
        # and never put the working folder (the submission's files) on sys.path.
        command = [*command, "--InteractiveShellApp.extensions=course.grading.isolation.guard",
                   "--InteractiveShellApp.ignore_cwd=True"]
    os.execve(command[0], command, kernel_env(options.home))


if __name__ == "__main__":
    main()
