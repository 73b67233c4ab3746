"""The trusted step for a forked kernel: no user namespace can be made below the one its parent made.

Run by the grader, outside the sandbox, as ``python -I -S no_nested_userns.py PID`` (a script, not a
module: only the standard library, like enter.py). PID is the host pid of the template's forked
child (course/grading/isolation/template.py), which has entered a user namespace of its own and
waits there; its kernel is forked only after this step succeeded. The script enters that user
namespace (setns) and sets ``user.max_user_namespaces`` to 0 there, so that no process in it or
below it can make a user namespace (the kernel's `unshare -r` fails with ENOSPC), then checks that
unshare(CLONE_NEWUSER) really fails. The limit is per user namespace of the writer, so it is
written through the host's /proc by a process that has joined the child's namespace. It runs outside
so that it does not depend on the sandbox's /proc/sys being writable: bwrap run unprivileged (as
here) leaves it so, but covers it read-only where it could write it while setting up (setuid root). Nothing inside can raise the limit
again: no process left in that namespace holds CAP_SYS_RESOURCE, so the file is read-only to them. bwrap's own
``--disable-userns`` does the same for plain kernels (it sets the limit in the sandbox's namespace
and then nests one more).

``--probe PID``: only check that the limit could be written in PID's user namespace (opened for
writing, nothing written); the grader asks this once for the template and starts plain kernels
if it fails.

Exit status 0 on success; otherwise a one-line reason on stderr and exit status 1.
"""

import ctypes
import os
import sys

CLONE_NEWUSER = 0x10000000
LIMIT = "/proc/sys/user/max_user_namespaces"


def fail(what):
    sys.stderr.write(f"no_nested_userns.py: {what}\n")
    raise SystemExit(1)


def main(argv):
    probe = argv[:1] == ["--probe"]
    words = argv[1:] if probe else argv
    if len(words) != 1 or not words[0].isdigit():
        fail("usage: no_nested_userns.py [--probe] PID")
    pid = words[0]
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        namespace = os.open(f"/proc/{pid}/ns/user", os.O_RDONLY | os.O_CLOEXEC)
    except OSError as error:
        fail(f"cannot open the user namespace of process {pid}: {error.strerror}")
    if libc.setns(namespace, CLONE_NEWUSER) != 0:
        fail(f"cannot enter the user namespace of process {pid}: {os.strerror(ctypes.get_errno())}")
    try:
        limit = os.open(LIMIT, os.O_WRONLY)
    except OSError as error:
        fail(f"cannot open {LIMIT} for writing in that namespace: {error.strerror}")
    if probe:
        os.close(limit)
        return
    try:
        os.write(limit, b"0")
    except OSError as error:
        fail(f"cannot write {LIMIT} in that namespace: {error.strerror}")
    os.close(limit)
    # As bwrap checks after --disable-userns: a new user namespace must now be refused here.
    if libc.unshare(CLONE_NEWUSER) == 0:
        fail("a user namespace could still be made after the limit was set to 0")


if __name__ == "__main__":
    main(sys.argv[1:])
