# make demo: build the environment if needed, load + validate the graph, answer every named query.
# make test: build the test environment (and Debian's chromium for browser tests, virtuoso-opensource
# for the Virtuoso tests), lint (ruff, mypy: configured in pyproject.toml), pytest.
#
# The venv is reused; it is re-installed only when pyproject.toml changes (the stamp file
# name carries a hash of it), so repeated runs are fast.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HASH := $(shell sha256sum pyproject.toml | cut -c1-12)
STAMP := $(VENV)/.installed-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)

DOCS_STAMP := $(VENV)/.docs-installed-$(HASH)

.PHONY: demo test lint format clean distclean chromium virtuoso docs

demo: $(STAMP)
	$(PY) scripts/demo.py

test: $(TEST_STAMP) chromium virtuoso
	$(VENV)/bin/ruff check kg scripts tests
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check kg scripts tests
	$(VENV)/bin/ruff format --check kg scripts tests
	$(VENV)/bin/mypy

format: $(TEST_STAMP)
	$(VENV)/bin/ruff format kg scripts tests

# make docs: the HTML reference of the ontology (pyLODE) and its vocabularies, in docs/ontology/.
docs: $(DOCS_STAMP)
	$(PY) scripts/ontology_docs.py --out docs/ontology

$(DOCS_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[docs]'
	rm -f $(VENV)/.docs-installed-*
	touch $@

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	rm -f $(VENV)/.installed-[0-9a-f]*
	touch $@

# The test extras include everything in the plain install, so this stamp satisfies both.
$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-test-*
	touch $@ $(STAMP)

# Browser tests drive Debian's chromium through Playwright (Playwright's own browser download
# cannot work here); install it once, with sudo only when not root.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi

# The Virtuoso tests start their own virtuoso-t on loopback ports (tests/virtuoso_server.py).
# Installing the package must not start its system service (it would listen on every
# interface, ports 1111 and 8890): a policy-rc.d refusing service starts is in place during
# the install, and the service is disabled after it.
virtuoso:
	@if ! command -v virtuoso-t >/dev/null; then \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		POLICY=/usr/sbin/policy-rc.d; ADDED=; \
		if [ ! -e $$POLICY ]; then \
			printf '#!/bin/sh\nexit 101\n' | $$SUDO tee $$POLICY >/dev/null && \
			$$SUDO chmod 755 $$POLICY && ADDED=1; \
		fi; \
		$$SUDO apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			virtuoso-opensource; STATUS=$$?; \
		if [ -n "$$ADDED" ]; then $$SUDO rm -f $$POLICY; fi; \
		if command -v systemctl >/dev/null; then \
			$$SUDO systemctl disable --now virtuoso-opensource-7 >/dev/null 2>&1 || true; \
		fi; \
		$$SUDO update-rc.d virtuoso-opensource-7 disable >/dev/null 2>&1 || true; \
		exit $$STATUS; \
	fi

clean:
	rm -rf out build dist *.egg-info .pytest_cache .ruff_cache .benchmarks
	find kg scripts tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
