# The README's commands. Everything installs into .venv from the committed lock file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test dev bench lint clean

$(STAMP): requirements-lock.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.8
	# compiled at install: with PYTHONDONTWRITEBYTECODE set, every process (each dbt step, each
	# CLI call) would otherwise recompile dagster and dbt from source, seconds each time
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements-lock.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/leadpipe demo

test: $(STAMP)
	$(BIN)/pytest

dev: $(STAMP)
	$(BIN)/leadpipe dev

bench: $(STAMP)
	$(BIN)/leadpipe bench --leads 10000
	$(BIN)/leadpipe bench --leads 100000
	$(BIN)/leadpipe bench --sync-contacts 100000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p data && cd dbt_project && LEADPIPE_WAREHOUSE=$(CURDIR)/data/lint.duckdb ../$(BIN)/sqlfluff lint models

clean:
	rm -rf $(VENV) data dbt_project/target dbt_project/logs
