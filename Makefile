# Opeka — one entry point. `make` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test lint format bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install Opeka with its dev tools

run: $(STAMP)  ## initialise ./opeka-data if needed and serve Opeka on 127.0.0.1:8000
	$(BIN)/opeka init --if-needed
	$(BIN)/opeka serve

lint: $(STAMP)  ## ruff format check, ruff lint, mypy --strict
	$(BIN)/ruff format --check src tests
	$(BIN)/ruff check src tests
	$(BIN)/mypy

format: $(STAMP)  ## reformat the code
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

test: lint  ## lint, then every test on SQLite and (with OPEKA_TEST_POSTGRES_URL) PostgreSQL
	$(BIN)/pytest

bench: $(STAMP)  ## print the benchmark table (BENCH_ARGS="--n 10000" for a quick run)
	$(BIN)/python -m opeka.bench $(BENCH_ARGS)

clean:  ## remove the virtual environment and caches (keeps ./opeka-data)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
