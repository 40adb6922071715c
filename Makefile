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

.PHONY: run test lint typecheck pytest setup venv cypher-lint-deps http-deps browser-deps schema bench clean neo4j neo4j-build neo4j-test-setup

# make run PORT=8080 HOST=0.0.0.0 (defaults: DEALGRAPH_PORT / DEALGRAPH_HOST, else 8000 / 127.0.0.1)
run: $(STAMP) http-deps $(BROWSER_DIR)/node_modules/.installed
	$(VENV)/bin/dealgraph demo
	$(VENV)/bin/dealgraph serve $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))

test: $(STAMP) cypher-lint-deps http-deps browser-deps neo4j-test-setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	@$(MAKE) --no-print-directory pytest

# The whole suite as two pytest runs side by side: the browser scenarios, which mostly wait on
# their server and Chromium, then the security suite (about a sixth of the rest's time: the two
# runs end close together), beside everything else. Each has its own temporary folder, cache
# and stores (on one Neo4j named by DEALGRAPH_TEST_NEO4J_URI they would wipe each other's data:
# then one run does it all); the browser run's output follows the other's, either failing fails
# the target, and interrupted, the browser run is stopped and tears down too.
BROWSER_LOG := tests/browser/artifacts/pytest.log

pytest: $(STAMP)
	@if [ -n "$$DEALGRAPH_TEST_NEO4J_URI" ]; then exec $(VENV)/bin/pytest; fi; \
	  mkdir -p $(dir $(BROWSER_LOG)); base=$$(mktemp -d); \
	  $(VENV)/bin/pytest tests/browser tests/security --basetemp=$$base/browser -o cache_dir=.pytest_cache/browser \
	    > $(BROWSER_LOG) 2>&1 & browser=$$!; \
	  trap 'kill $$browser 2>/dev/null; wait $$browser; rm -rf $$base; exit 130' INT TERM; \
	  $(VENV)/bin/pytest --ignore=tests/browser --ignore=tests/security; rest=$$?; \
	  wait $$browser; browsed=$$?; \
	  echo "--- the browser scenarios and the security suite ($(BROWSER_LOG))"; cat $(BROWSER_LOG); rm -rf $$base; \
	  exit $$(( rest || browsed ))

# everything `make test` needs, the Neo4j harness included when Java and Maven are here
setup: $(STAMP) cypher-lint-deps http-deps browser-deps neo4j-test-setup

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

# Neo4j Community 5.26 LTS in process (tools/neo4j), for the Neo4j half of the tests and for
# trying the Neo4j back end: `make neo4j` serves bolt://127.0.0.1:$(NEO4J_PORT) with
# authentication, the user neo4j's password the one dealgraph logs in with
# (DEALGRAPH_NEO4J_PASSWORD, 8 characters at least), a fresh database under $(NEO4J_DATA) each
# start; Ctrl-C stops it.
NEO4J_DIR := tools/neo4j
NEO4J_BUILT := $(NEO4J_DIR)/target/classpath.txt
NEO4J_PORT ?= 7687
NEO4J_DATA ?= data/neo4j

neo4j-build: $(NEO4J_BUILT)

$(NEO4J_BUILT): $(NEO4J_DIR)/pom.xml $(wildcard $(NEO4J_DIR)/src/main/java/dealgraph/neo4j/*.java)
	cd $(NEO4J_DIR) && mvn -B -q compile

neo4j: neo4j-build
	java -Xms256m -Xmx1g -cp "$(NEO4J_DIR)/target/classes:$$(cat $(NEO4J_BUILT))" \
	  dealgraph.neo4j.Server $(NEO4J_PORT) $(NEO4J_DATA)

# The tests run on Neo4j too when Java and Maven are here; CI requires them.
neo4j-test-setup:
	@if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory neo4j-build; \
	elif [ "$$CI" = true ]; then \
	  echo "error: CI runs the tests on Neo4j too and needs Java 17 and Maven (java, mvn on PATH)"; exit 1; \
	else \
	  echo "Java or Maven missing: the tests run on the embedded store only"; \
	fi

schema: $(STAMP)
	$(VENV)/bin/dealgraph schema > schema.graphql

.PHONY: records
records: $(STAMP)
	$(PY) -m domain.record_codegen > domain/records.py

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(NODE_DIR)/node_modules $(HTTP_DIR)/node_modules $(BROWSER_DIR)/node_modules $(NEO4J_DIR)/target tests/browser/artifacts .mypy_cache .pytest_cache .ruff_cache
