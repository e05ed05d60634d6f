# HopSo: `make demo` starts it with a demo council; `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := viewer/node_modules/.installed

.PHONY: setup demo serve test lint format lock bench clean

setup: $(INSTALLED) $(NODE_INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(NODE_INSTALLED): viewer/package.json viewer/package-lock.json
	cd viewer && npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/hopso demo

serve: setup
	$(BIN)/hopso serve

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .

# Rewrites requirements.lock from a fresh environment with the newest allowed versions.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet ".[test]"
	.lock-venv/bin/python -m pip freeze --exclude hopso > requirements.lock
	rm -rf .lock-venv

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) viewer/node_modules test-artifacts
