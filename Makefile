# Newsroom: `make demo` serves a populated site, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: demo test test-postgres lint format bench clean

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

demo: $(VENV)/.installed-dev
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py runserver --insecure 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m pytest

test-postgres: $(VENV)/.installed-dev
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL=postgres://..." && exit 2)
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# make bench (about 10 min), make bench QUICK=1 (about 1 min), make bench FULL=1
# (adds 100k articles); DATABASE_URL=postgres://.../newsroom_bench for PostgreSQL.
bench: $(VENV)/.installed-dev
	$(PY) bench/run.py $(if $(QUICK),--quick) $(if $(FULL),--full)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles test-output
