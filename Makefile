# Every target sets itself up first (scripts/setup.sh is idempotent and fast when nothing changed).
VENV := .venv
BIN  := $(VENV)/bin
PORT ?= 8888
# JupyterLab refuses to run as root unless told (containers and CI machines often are root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab lab-zh test test-fast bench bench-lessons exercises lint present export clean

setup:
	@bash scripts/setup.sh

## Start the course in JupyterLab.
lab: setup
	$(BIN)/jupyter lab --ServerApp.root_dir=. --port $(PORT) $(ROOT_FLAG) notebooks/

## 中文版: the Chinese lessons (notebooks/zh/) in JupyterLab with its interface in Chinese.
lab-zh: setup
	JUPYTERLAB_SETTINGS_DIR=$(VENV)/share/jupyter/lab/user-settings-zh \
	  $(BIN)/jupyter lab --ServerApp.root_dir=. --port $(PORT) $(ROOT_FLAG) notebooks/zh/

## The full test suite: minigrad, grader, widgets, every notebook cell (nbval), browser end-to-end.
test: setup
	$(BIN)/python -m pytest --nbval --nbval-current-env tests notebooks

## Library tests only (no notebooks, no browser): the quick loop while editing minigrad.
test-fast: setup
	$(BIN)/python -m pytest tests -m "not browser" -q

## Side-by-side benchmarks against PyTorch CPU, micrograd and hand-written numpy.
bench: setup
	bash bench/run.sh

## How long a learner waits: every lesson top to bottom, `import minigrad`, a stepper (bench/lessons.md).
bench-lessons: setup
	$(BIN)/python bench/lessons.py

## Regenerate the student notebooks in exercises/ from solutions/ (and exercises/zh/ from solutions/zh/).
exercises: setup
	$(BIN)/python -m grader.generate solutions exercises
	$(BIN)/python -m grader.generate solutions/zh exercises/zh

## Present a lesson live: JupyterLab on that lesson, kernel warm, cells run, presenter size on.
## `make present LESSON=05` (a number, a name such as 05_engine, or tour); see docs/teaching.md.
present: setup
	@test -n "$(LESSON)" || { echo "usage: make present LESSON=05   (see docs/teaching.md)"; exit 2; }
	$(BIN)/python scripts/present.py "$(LESSON)" --port $(PORT)

## Every lesson and the tour as offline HTML pages and reveal.js slides in site/ (open site/index.html).
## `make export LESSONS="05 06"` exports only those.
export: setup
	@bash scripts/setup_export.sh
	$(BIN)/python tools/export/export.py --out site $(LESSONS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check minigrad grader tests bench tools

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache test-artifacts site
