# Two commands on a fresh machine with Python 3.11 and pip: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ROLE ?= student
# `make lab ROLE=instructor COURSE_DIR=demo-out`: Formgrader on the demo's submissions.
COURSE_DIR ?=

.PHONY: demo test lab build clean

$(BIN)/course: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(BIN)/course

demo: $(BIN)/course
	$(BIN)/course demo --out demo-out

test: $(BIN)/course
	$(BIN)/python -m pytest

build: $(BIN)/course
	$(BIN)/course build

lab: $(BIN)/course
	$(BIN)/course lab --role $(ROLE) $(if $(COURSE_DIR),--course-dir $(COURSE_DIR))

clean:
	rm -rf demo-out course-work .pytest_cache
