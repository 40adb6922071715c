# Two commands matter: `make run` and `make test`. Everything else is what they call.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_DIR := tools/cypher-lint
HTTP_DIR := tools/http-audit
BROWSER_DIR := tools/browser
CHROMIUM := /usr/bin/chromium
PYTHON_CANDIDATES := python3.13 python3.12 $(wildcard /root/.pyenv/versions/3.13*/bin/python3) $(wildcard /root/.pyenv/versions/3.12*/bin/python3) python3

.PHONY: run test lint typecheck pytest setup venv cypher-lint-deps http-deps browser-deps schema bench clean

# make run PORT=8080 HOST=0.0.0.0 (defaults: DEALGRAPH_PORT / DEALGRAPH_HOST, else 8000 / 127.0.0.1)
run: $(STAMP) http-deps $(BROWSER_DIR)/node_modules/.installed
	$(VENV)/bin/dealgraph demo
	$(VENV)/bin/dealgraph serve $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))

test: $(STAMP) cypher-lint-deps http-deps browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/pytest

setup: $(STAMP) cypher-lint-deps http-deps browser-deps

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  for c in $(PYTHON_CANDIDATES); do \
	    if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
	      echo "creating $(VENV) with $$c"; $$c -m venv $(VENV) && break; \
	    fi; \
	  done; \
	fi
	@if [ ! -x $(PY) ]; then echo "error: dealgraph needs Python >= 3.12 (python3.12 or python3.13 on PATH)"; exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

cypher-lint-deps: $(NODE_DIR)/node_modules/.installed

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package.json
	cd $(NODE_DIR) && npm install --no-audit --no-fund --loglevel=error
	touch $@

# GraphiQL, React (served by the app, no CDN) and the graphql-http audit suite, pinned by the lock
http-deps: $(HTTP_DIR)/node_modules/.installed

$(HTTP_DIR)/node_modules/.installed: $(HTTP_DIR)/package.json $(HTTP_DIR)/package-lock.json
	cd $(HTTP_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The map page's graph library (served from node_modules, no CDN) and the browser tests' driver.
browser-deps: $(BROWSER_DIR)/node_modules/.installed $(CHROMIUM)

$(BROWSER_DIR)/node_modules/.installed: $(BROWSER_DIR)/package.json
	cd $(BROWSER_DIR) && npm install --no-audit --no-fund --loglevel=error
	touch $@

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk

schema: $(STAMP)
	$(VENV)/bin/dealgraph schema > schema.graphql

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(NODE_DIR)/node_modules $(HTTP_DIR)/node_modules $(BROWSER_DIR)/node_modules tests/browser/artifacts .mypy_cache .pytest_cache .ruff_cache
