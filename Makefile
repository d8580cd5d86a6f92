# Rapport: two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt requirements-science.txt | sha256sum | cut -c1-12)

.PHONY: run test test-unit test-functional test-e2e bench infra lint browser clean

$(STAMP): requirements.txt requirements-dev.txt requirements-science.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing dependencies into $(VENV) ..."
	@$(PY) -m pip install -q --disable-pip-version-check "pip>=23,<26.3" 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import chalice, moto, aws_lambda_powertools, pytest" # fail here if the install failed
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)
	@$(PY) -m local.stack

# Headless Chromium and a Chinese font (fonts-wqy-zenhei) from Debian's packages, for the
# page tests: without a CJK font Chromium draws Chinese as empty boxes.
BROWSER_PACKAGES := chromium fonts-wqy-zenhei
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  echo "Installing $(BROWSER_PACKAGES) from Debian's packages ..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null) \
	  || echo "Could not install $(BROWSER_PACKAGES): page tests will fail"; }

test: $(STAMP) browser
	@$(PY) -m pytest

test-unit: $(STAMP)
	@$(PY) -m pytest tests/unit

test-functional: $(STAMP)
	@$(PY) -m pytest tests/functional

test-e2e: $(STAMP) browser
	@$(PY) -m pytest tests/e2e

bench: $(STAMP)
	@$(PY) -m bench

infra: $(STAMP)
	@$(PY) -m infra.build

lint: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/mypy chalicelib app.py

clean:
	rm -rf $(VENV) infra/build .pytest_cache .mypy_cache .ruff_cache
