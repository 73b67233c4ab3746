"""Processes as the /proc this process sees numbers them: each one's parent, and its pid in each PID namespace.

Used outside the sandbox (provisioner.host_pid: the grader's pid of a template's child) and in a forked
kernel (template._process_children_here: its own children, whose /proc is the template's). Standard
library only: the kernel imports it before any student code runs.
"""

from __future__ import annotations

import os


def read() -> dict[int, tuple[int, list[int]]]:
    """{pid: (parent's pid, NSpid)} of every process in /proc; NSpid lists its pid in /proc's PID
    namespace first, then in each namespace below, down to its own."""
    table: dict[int, tuple[int, list[int]]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as file:
                fields = dict(line.split(":", 1) for line in file if ":" in line)
            table[int(entry)] = (int(fields["PPid"]), [int(p) for p in fields.get("NSpid", entry).split()])
        except (OSError, ValueError, KeyError):
            continue
    return table


def descends_from(table: dict[int, tuple[int, list[int]]], pid: int, ancestor: int, *, depth: int = 64) -> bool:
    """True when ``ancestor`` is the parent of ``pid``, or its parent's, and so on (pids of ``table``)."""
    up = pid
    for _ in range(depth):
        up = table.get(up, (0, []))[0]
        if up == ancestor:
            return True
        if up <= 1:
            return False
    return False
