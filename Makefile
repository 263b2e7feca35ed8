# Wijzer: `make demo` runs the product on one machine, `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?= data
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install install-test demo demo-alerts test pytest lint services-start services-stop bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e .
	touch $@

install: $(VENV)/.installed  ## the environment and the `wijzer` command only

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[test,st,bench]"
	touch $@

install-test: $(VENV)/.installed-test

demo: install  ## load the seed corpus and the offline crawls, index, serve on :5000
	bash scripts/demo.sh "$(VENV)" "$(DATA)"

demo-alerts: install  ## a local SMTP sink, a subscription, new instruments, one digest in DATA/mail
	bash scripts/demo_alerts.sh "$(VENV)" "$(DATA)"

services-start:
	bash scripts/install-system.sh
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop

# The suite runs against real PostgreSQL, Elasticsearch, Redis, SMTP and Chromium;
# services are stopped afterwards whatever the outcome.
test: install-test services-start
	@set -a; eval "$$(bash scripts/services.sh env)"; set +a; \
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	bash scripts/services.sh stop; exit $$status

pytest:  ## the suite only, services already running
	@set -a; eval "$$(bash scripts/services.sh env)"; set +a; $(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

bench: install-test
	$(PY) bench/eval_matching.py
	$(PY) bench/search.py
	$(PY) bench/eval_search.py
	$(PY) bench/alerts.py
	$(PY) bench/web.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
