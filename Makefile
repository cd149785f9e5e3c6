# The two commands a newcomer needs: `make serve` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 8000
STORE  ?= var/store

BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test lint typecheck unit bench bench-world bench-http assets browser grlc data virtuoso test-virtuoso clean help

help:
	@echo "make serve  - set up, build the bundled graph into $(STORE) and serve it on http://$(HOST):$(PORT)"
	@echo "make test   - set up (with Java for the OWL reasoner) and run lint, type checks and the test suite"
	@echo "make build  - set up and build the graph only"
	@echo "make data   - remake the bundled world data in data/ from the raw public files in $(SHARED)"
	@echo "make assets - install the query editor (YASGUI, npm) where the app serves it"
	@echo "make browser - install Debian's chromium and chromium-driver for the browser tests"
	@echo "make test-virtuoso - install Debian's virtuoso-opensource if missing and run the tests against it"
	@echo "make bench-world - validate every generated State's framework beside pySHACL (bench/world_validation.py)"
	@echo "make bench-http - the HTTP layer beside oxigraph serve-read-only with wrk (bench/http_cache.py)"
	@echo "make bench  - run the benchmarks (bench/run.py; SCALES=0.01,0.1) and write bench/results/"
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

serve: build assets
	$(BIN)/hrgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

# ruff, then the layers of docs/architecture.md (import-linter; contracts in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Two processes, each test file whole in one (its servers and fixtures are not started twice).
unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The set-ups (pip, npm, apt, grlc's pip) run side by side, then the checks and the tests.
test:
	$(MAKE) -j4 --output-sync=target $(STAMP) assets browser grlc
	$(MAKE) lint typecheck unit

SCALES ?= 0.01,0.1
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py --scales $(SCALES)

# The query editor's front-end code (YASGUI, from the npm registry; see package.json), copied
# where the app serves it. node_modules/ and the copies are git-ignored: no third-party code is
# committed, and nothing is fetched from a CDN at run time.
VENDOR := src/hrgraph/http/web/static/vendor
YASGUI := node_modules/@zazuko/yasgui/build

assets: $(VENDOR)/yasgui.min.js

# Swagger UI (swagger-ui-dist) for /docs likewise; --ignore-scripts: no package's install script
# runs (swagger-ui-dist depends on an install-time analytics script, which is never run or served).
$(VENDOR)/yasgui.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts || npm install --no-audit --no-fund --ignore-scripts
	mkdir -p $(VENDOR)
	cp $(YASGUI)/yasgui.min.js $(YASGUI)/yasgui.min.css $(VENDOR)/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	touch $@

# Headless Chromium for tests/browser/: Debian's packages (never a test tool's own download).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y chromium chromium-driver; \
	fi

# Virtuoso Open Source for tests/integration/test_virtuoso.py: Debian's package, installed when
# virtuoso-t is missing. The tests start their own throwaway server (own database folder and
# virtuoso.ini, loopback ports, the new database's dba/dba); the package's debconf question (the
# DBA password of the system database in /var/lib/virtuoso-opensource-7) is preseeded with a
# random one and never asked.
virtuoso:
	@if ! command -v virtuoso-t >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  PASSWORD=$$(head -c 18 /dev/urandom | base64 | tr -d '/+='); \
	  for q in dba-password dba-password-again; do \
	    echo "virtuoso-opensource-7 virtuoso-opensource-7/$$q password $$PASSWORD"; \
	  done | $$SUDO debconf-set-selections && \
	  $$SUDO apt-get update && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource; \
	fi

test-virtuoso: $(STAMP) virtuoso
	$(BIN)/python -m pytest tests/integration -m virtuoso

# Validation of every generated State's framework, beside plain pySHACL on samples of States
# (bench/results/world-validation.md; scale 1 builds for about 11 minutes and needs ~3 GB).
bench-world: $(STAMP)
	$(BIN)/python bench/world_validation.py --scale 0.1 --runs 3 --pyshacl sample --sample-every 10
	$(BIN)/python bench/world_validation.py --scale 1 --runs 3 --pyshacl sample --sample-every 48

# wrk is Debian's package (installed here if missing, as `make browser` installs chromium).
bench-http: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@if ! command -v wrk >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y wrk; \
	fi
	$(BIN)/python bench/http_cache.py --scale 0.01 --runs 3 --duration 10

# The bundled world data (data/world-*.ttl, data/upr-kaz-cycle-*.ttl), made by the importers from
# the raw public files in $(SHARED) (not committed; see data/README.md) exactly as a user would
# import them; the output is the project's own Turtle, committed. Rerun after changing an
# importer or a mapping; the files are byte-for-byte reproducible.
SHARED ?= ../shared/data
data: $(STAMP)
	$(BIN)/hrgraph import states $(SHARED)/country_codes/country-codes.csv --quiet --output data/world-states.ttl
	$(BIN)/hrgraph import ratifications $(SHARED)/untc_chapter4_2026-02-03/html --quiet --output data/world-treaty-actions.ttl
	$(BIN)/hrgraph import upr-report $(SHARED)/upr_wg_reports/A_HRC_14_10_Kazakhstan_2010.txt --upr-info $(SHARED)/upr_info_via_rochelleterman/kz_upr_recommendations_cycles1-2_uprinfo.csv --quiet --output data/upr-kaz-cycle-1.ttl
	$(BIN)/hrgraph import upr-report $(SHARED)/upr_wg_reports/A_HRC_28_10_Kazakhstan_2014.txt --upr-info $(SHARED)/upr_info_via_rochelleterman/kz_upr_recommendations_cycles1-2_uprinfo.csv --quiet --output data/upr-kaz-cycle-2.ttl

clean:
	rm -rf $(VENV) var

# grlc (PyPI) in its own environment: it pins Flask and requests; tests/test_grlc.py runs it
GRLC_STAMP := .venv-grlc/.installed
$(GRLC_STAMP):
	$(PYTHON) -m venv .venv-grlc
	.venv-grlc/bin/python -m pip install --quiet grlc==1.3.11
	touch $@
grlc: $(GRLC_STAMP)
