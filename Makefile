# Newsroom: `make demo` serves a populated site, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: demo stack test test-postgres lint format bench loadtest axe guide clean

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The demo's links (canonical, feeds, the printed login) name the port it serves on.
# The web server, one task worker and the scheduler run together; Ctrl-C (or
# the server stopping) stops all three. See docs/tasks.md.
demo: export NEWSROOM_SITE_URL ?= http://127.0.0.1:$(PORT)
# Newsletter mail (sign-up confirmations, editions) is printed, not sent.
demo: export EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
demo: $(VENV)/.installed-dev
	$(PY) manage.py migrate --no-input
	$(PY) demo/build.py
	$(PY) manage.py loaddata demo/sections.json demo/authors.json demo/newsletters.json demo/wires.json
	$(PY) manage.py import_articles demo/build/stories.jsonl --media-dir demo/build
	$(PY) demo/live.py
# On later runs the account exists already: Django says so, and the demo goes on.
	DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_PASSWORD=newsroom-demo \
	  DJANGO_SUPERUSER_EMAIL= $(PY) manage.py createsuperuser --no-input || true
	@echo "Admin: $(NEWSROOM_SITE_URL)/admin/ (username admin, password newsroom-demo unless you changed it)"
	@$(PY) manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill -TERM $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	$(PY) manage.py runserver --insecure 127.0.0.1:$(PORT)

# The scale-out topology on loopback: PostgreSQL (a scratch database,
# newsroom_stack, with the demo), Redis, two gunicorn app servers, an RQ worker,
# the scheduler and Varnish in front on :6081; Ctrl-C stops them all. Needs
# varnish and varnish-modules (Debian). See docs/deploy.md, Edge cache.
stack: $(VENV)/.installed-dev
	$(PY) deploy/stack.py

# The apps' one-way imports first (pyproject.toml, ARCHITECTURE.md), then the suite.
test: $(VENV)/.installed-dev axe
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

test-postgres: $(VENV)/.installed-dev axe
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

# axe-core (npm) for the accessibility tests; without npm they are skipped.
AXE := tests/browser/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	-cd tests/browser && npm install --no-save --no-package-lock --silent axe-core@4.14.1

# The editor's guide's screenshots (docs/editor-guide/*.png), taken by the
# browser test that walks the guide's journey (needs Chromium).
guide: $(VENV)/.installed-dev axe
	NEWSROOM_GUIDE_SHOTS=1 $(PY) -m pytest tests/browser/test_editor_guide.py -q -p no:randomly

# make loadtest: gunicorn on PostgreSQL (Redis when it answers), 60 s at 32
# connections during a 5,000-article import, then a 10-minute soak (SOAK=0 skips).
loadtest: $(VENV)/.installed-dev
	$(PY) bench/loadtest.py $(if $(SOAK),--soak $(SOAK))

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles test-output demo/build stack
