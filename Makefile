# The two commands a newcomer needs: `make serve` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 8000
STORE  ?= var/store

BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test lint typecheck unit clean help

help:
	@echo "make serve  - set up, build the bundled graph into $(STORE) and serve it on http://$(HOST):$(PORT)"
	@echo "make test   - set up (with Java for the OWL reasoner) and run lint, type checks and the test suite"
	@echo "make build  - set up and build the graph only"
	@echo "make clean  - remove the virtual environment and the built store"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the package metadata changes; the package itself is installed editable.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

build: $(STAMP)
	$(BIN)/hrgraph build --store $(STORE)

serve: build
	$(BIN)/hrgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) var
