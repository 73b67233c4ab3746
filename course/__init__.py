"""U.S.-Japan alliance course: data catalog, student checks, widgets, plots and the grading pipeline."""

__version__ = "0.1.0"

# The course's modules that the notebooks import (`from course import ...`). The grader's template
# kernel and warm checker import them once, before any submission (tests/test_forked_kernels.py keeps
# this list in step with the notebooks).
NOTEBOOK_MODULES = (
    "course.data", "course.checks", "course.plots", "course.widgets", "course.personal", "course.health",
    "course.climate", "course.china", "course.institutions", "course.north_korea", "course.capstone",
)
