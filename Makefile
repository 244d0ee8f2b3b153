# paperbot: `make run` and `make test` set up .venv themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install run test lint bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install paperbot with its dev tools

run: $(STAMP)  ## install, then run paperbot on the sample issue and the seed README
	$(BIN)/paperbot render app/data/paper-report.md
	$(BIN)/paperbot apply tests/fixtures/seed_README.md app/data/paper-report.md
	-$(BIN)/paperbot lint tests/fixtures/seed_README.md

lint: $(STAMP)  ## ruff, ruff format --check, mypy --strict
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy --strict app

test: lint  ## install, lint, then run every test
	$(BIN)/pytest

bench: $(STAMP)  ## print the benchmark figures
	$(BIN)/python -m bench.core
	$(BIN)/python -m bench.api_cost

clean:  ## remove the venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
