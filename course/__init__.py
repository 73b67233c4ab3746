"""U.S.-Japan alliance course: data catalog, student checks, widgets, plots and the grading pipeline."""

__version__ = "0.1.0"
