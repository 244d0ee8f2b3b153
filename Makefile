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

run: $(STAMP)  ## install, then serve (credentials in .env or the environment) or run the demo
	@if [ -f .env ] || [ -n "$$GITHUB_WEBHOOK_SECRET" ]; then \
		$(BIN)/paperbot serve; \
	else \
		echo "No GitHub credentials (.env): running the local demo. See README, 'Running the bot'."; \
		$(BIN)/paperbot demo; \
	fi

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
