# The two commands a newcomer needs:  make run  ·  make test
# Everything else here is a step they depend on; each is skipped when up to date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint pytest jstest setup frontend migrate demo-user clean bench-ot

run: setup migrate demo-user
	DEBUG=$${DEBUG:-1} $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: $(STAMPS)/venv-test frontend lint pytest jstest

setup: $(STAMPS)/venv frontend
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py collectstatic --noinput -v 0

migrate: $(STAMPS)/venv
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput -v 0

demo-user: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py ensure_demo_user

lint: $(STAMPS)/venv-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

pytest: $(STAMPS)/venv-test frontend
	$(BIN)/python -m pytest $(PYTEST_ARGS)

jstest: frontend
	cd frontend && npm test

frontend: frontend/node_modules/.package-lock.json frontend/dist/.built

bench-ot: $(STAMPS)/venv frontend
	$(BIN)/python -m bench.ot_trace

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMPS)/venv: requirements.txt $(VENV)/bin/python
	$(BIN)/pip install -q -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv-test: requirements.txt requirements-test.txt $(VENV)/bin/python
	$(BIN)/pip install -q -r requirements-test.txt
	@mkdir -p $(STAMPS) && touch $@ $(STAMPS)/venv

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

frontend/dist/.built: frontend/node_modules/.package-lock.json frontend/build.mjs $(shell find frontend/src -type f 2>/dev/null)
	cd frontend && npm run build
	@touch $@

clean:
	rm -rf $(VENV) $(STAMPS) frontend/node_modules frontend/dist staticfiles
