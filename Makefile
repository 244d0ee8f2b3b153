# paperbot: `make run` and `make test` set up .venv themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install run test lint bench fuzz fuzz-short soak clean

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
		$(BIN)/paperbot demo && \
		echo && echo "Next: $(BIN)/paperbot setup --webhook-url https://<your host>/webhook registers" \
			"paperbot's GitHub App from a page and writes .env; then make run serves it."; \
	fi

lint: $(STAMP)  ## ruff, ruff format --check, mypy --strict
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy --strict app

test: lint  ## install, lint, then run every test
	$(BIN)/pytest

BENCH_REDIS ?= redis://127.0.0.1:6379/14

bench: $(STAMP)  ## print the benchmark figures (installs wrk if missing; bench.webhook needs node 20 + npm for its Probot peer; bench.pacing and bench.scale empty the Redis database BENCH_REDIS)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	command -v npm >/dev/null || (echo "bench.webhook compares with Probot: install node 20 and npm" && exit 1)
	$(BIN)/python -m bench.core
	$(BIN)/python -m bench.api_cost
	$(BIN)/python -m bench.webhook
	$(BIN)/python -m bench.receiver
	$(BIN)/python -m bench.burst
	$(BIN)/python -m bench.weekly
	$(BIN)/python -m bench.pacing --redis $(BENCH_REDIS)
	$(BIN)/python -m bench.scale --redis $(BENCH_REDIS)

fuzz: $(STAMP)  ## 100,000 hypothesis inputs and 100,000 atheris inputs against the core
	PAPERBOT_FUZZ_EXAMPLES=25000 $(BIN)/pytest -q -p no:cacheprovider tests/fuzz
	$(BIN)/python -m tests.fuzz.atheris_harness -runs=100000 -max_len=4096

fuzz-short: $(STAMP)  ## the CI pass of the atheris fuzzer
	$(BIN)/python -m tests.fuzz.atheris_harness -runs=5000 -max_len=2048

soak: $(STAMP)  ## 10,000 mixed deliveries against paperbot serve and the fake GitHub
	$(BIN)/python -m bench.soak --count 10000

clean:  ## remove the venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
