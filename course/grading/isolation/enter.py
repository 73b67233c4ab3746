"""The trusted step before bwrap: join the submission's cgroup, become the sandbox uid, exec bwrap.

Run by the grader as ``python -I -S enter.py [options] -- <bwrap command>`` (a script, not a module:
only the standard library, no site-packages, nothing of the submission; course/grading/isolation/bwrap.py
builds the command). It:

1. writes its own pid into each ``--cgroup`` file (cgroup.procs), so that bwrap and every process
   of the sandbox are in the submission's cgroup from their first instruction;
2. with ``--uid`` (the grader is root): in a private mount namespace of its own, binds each
   ``--source`` folder onto ``--stage``/<index> (bwrap, run as the sandbox uid, must reach the folders
   it binds; the venv's Python or a course folder may sit where that uid cannot enter, such as /root),
   opens bwrap, and becomes that uid with no supplementary group and no capability left;
3. execs bwrap, which makes the sandbox (its own user namespace, no capability inside).

So no process of the sandbox ever runs as root or holds a capability, and root's exemption from
RLIMIT_NPROC never applies to student code.
"""

import ctypes
import os
import sys

CLONE_NEWNS = 0x00020000
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18


def parse(argv):
    if "--" not in argv:
        raise SystemExit("usage: enter.py [--cgroup FILE]... [--uid N --stage DIR [--source DIR]...] -- bwrap ...")
    split = argv.index("--")
    options = {"cgroup": [], "source": [], "uid": None, "stage": None}
    words = argv[:split]
    for flag, value in zip(words[::2], words[1::2]):
        key = flag.removeprefix("--")
        if key in ("cgroup", "source"):
            options[key].append(value)
        elif key in ("uid", "stage"):
            options[key] = value
        else:
            raise SystemExit(f"enter.py: unknown option {flag}")
    if len(words) % 2:
        raise SystemExit(f"enter.py: {words[-1]} needs a value")
    return options, argv[split + 1:]


def join_cgroups(files):
    for path in files:
        with open(path, "w") as file:
            file.write(str(os.getpid()))


def stage_sources(stage, sources):
    """Bind each source onto stage/<index>, in a mount namespace only this process (and bwrap) sees."""
    libc = ctypes.CDLL(None, use_errno=True)

    def check(result, what):
        if result != 0:
            error = ctypes.get_errno()
            raise SystemExit(f"enter.py: {what}: {os.strerror(error)}")

    check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    # A tmpfs over the (empty, root-owned) stage folder: the mount points never appear on the host.
    check(libc.mount(b"tmpfs", stage.encode(), b"tmpfs", 0, b"mode=0755,size=64k"), f"tmpfs on {stage}")
    for index, source in enumerate(sources):
        target = os.path.join(stage, str(index))
        os.mkdir(target, 0o755)
        check(libc.mount(source.encode(), target.encode(), None, MS_BIND | MS_REC, None), f"bind {source}")


def become(uid):
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid) or os.getgroups():
        raise SystemExit("enter.py: could not become the sandbox uid; refusing to start the sandbox")


def main(argv):
    options, command = parse(argv)
    if not command:
        raise SystemExit("enter.py: no bwrap command after --")
    join_cgroups(options["cgroup"])
    program = command[0]
    if options["uid"] is not None:
        if options["stage"] is None:
            raise SystemExit("enter.py: --uid needs --stage")
        stage_sources(options["stage"], options["source"])
        # Opened as root, executed as the sandbox uid when that uid cannot reach it by its path.
        opened = os.open(command[0], os.O_RDONLY | os.O_CLOEXEC)
        become(int(options["uid"]))
        program = command[0] if os.access(command[0], os.X_OK) else opened
    os.execve(program, command, os.environ)


if __name__ == "__main__":
    main(sys.argv[1:])
