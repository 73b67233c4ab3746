"""The error of a whole grading run, in a module of its own so that light modules (the pool) can raise it."""


class GradingError(RuntimeError):
    """A problem with the whole run (not with one submission)."""
