"""Isolation of student code during autograding; the threat model is THREAT_MODEL.md beside this file.

- policy.py: what a kernel may see and its limits (configuration an instructor can set), as a plan;
- bwrap.py: the bubblewrap and launcher command line for a plan;
- execute.py: nbgrader's Execute with the sandboxed kernel, the checker and the output caps (`apply`);
- enter.py: the trusted step before bwrap: joins the submission's cgroup, becomes the sandbox uid;
- cgroup.py: one memory and process budget per submission (a cgroup);
- launcher.py: runs first inside the sandbox: resource limits, clean environment;
- guard.py: inside the kernel, puts back builtins and checks before every cell;
- scan.py: the static scan that flags code trying to game the tests.

Nothing is imported here: the launcher and the guard run in the kernel, where only they are needed.
"""
