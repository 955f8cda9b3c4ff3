# Kindness Commitments: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
SCSS := $(shell find static/scss -name '*.scss')

.PHONY: run serve test install lint browser redis nginx bench reliability backup restore db-stop clean

run: install
	LOCAL_DEVELOPMENT=1 $(MANAGE) migrate --no-input
	LOCAL_DEVELOPMENT=1 $(MANAGE) seed_demo
	LOCAL_DEVELOPMENT=1 $(MANAGE) seed_demo_stories
	@echo "Serving on http://127.0.0.1:8000/ with a task worker and the scheduler beside it (Ctrl-C stops all three)"
	LOCAL_DEVELOPMENT=1 $(MANAGE) db_worker & worker=$$!; \
	  LOCAL_DEVELOPMENT=1 $(MANAGE) run_scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null' EXIT; \
	  LOCAL_DEVELOPMENT=1 $(MANAGE) runserver 127.0.0.1:8000

# Production-like on this machine: DEBUG off, gunicorn from config/gunicorn.py, hashed and
# compressed static files, uploads served by Django (SERVE_MEDIA), a task worker and the
# scheduler beside it, emails printed.
SERVE_ENV = DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 \
	ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1:8000 \
	EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
	STATIC_ROOT=var/staticfiles MEDIA_ROOT=var/media PRIVATE_MEDIA_ROOT=var/private-media \
	SERVE_MEDIA=1 SECRET_KEY="$$(cat var/secret_key)" DATABASE_URL="$$($(UV) run --frozen python -c \
	'from config.localdb import database_url; print(database_url())')"

serve: install var/secret_key
	$(SERVE_ENV) $(MANAGE) migrate --no-input
	$(SERVE_ENV) $(MANAGE) collectstatic --no-input -v0
	@echo "Serving production-like on http://127.0.0.1:8000/ with a task worker and the scheduler (Ctrl-C stops all three)"
	$(SERVE_ENV) $(MANAGE) db_worker & worker=$$!; \
	  $(SERVE_ENV) $(MANAGE) run_scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null' EXIT; \
	  $(SERVE_ENV) $(UV) run --frozen gunicorn config.wsgi -c config/gunicorn.py

var/secret_key:
	@mkdir -p var && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

test: install lint browser redis nginx
	$(UV) run --frozen pytest -n 2 --maxschedchunk 1

# Chromium for the browser tests: installed when missing, or a clear instruction and a failure.
# SKIP_BROWSER=1 skips those tests on purpose, and the summary says so.
browser: install
	$(UV) run --frozen python -m tests.browser.chromium

# Redis for the two-instance tests: Debian's package when missing, or a clear instruction.
redis: install
	$(UV) run --frozen python -m tests.redis_server

# nginx for the media tests (the web server in front): Debian's package when missing.
nginx: install
	$(UV) run --frozen python -m tests.nginx_server

# The local database and media in one file; `make restore FILE=var/backups/<file>.tar` puts
# it back (in production, run `manage.py backup` and `manage.py restore` the same way).
backup: install
	LOCAL_DEVELOPMENT=1 $(MANAGE) backup

restore: install
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=var/backups/<file>.tar"; exit 2; }
	LOCAL_DEVELOPMENT=1 $(MANAGE) restore "$(FILE)"

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports --no-cache
	$(UV) run --frozen python -m core.template_comments
	$(UV) run --frozen python -m core.retired_names
	LOCAL_DEVELOPMENT=1 $(MANAGE) makemigrations --check --dry-run

install: .venv/.synced node_modules/.installed static/build/app.css

# uv comes from PyPI, with pip, when the machine does not have it: into a small venv, or
# (where the venv module is missing) into a project-local folder.
var/tools/bin/uv:
	@echo "uv is not installed: installing it into var/tools with pip"
	$(PYTHON) -m venv var/tools && var/tools/bin/pip install --quiet uv || \
	  { rm -rf var/tools && $(PYTHON) -m pip install --quiet --target var/tools/pkgs uv && \
	    mkdir -p var/tools/bin && ln -sf ../pkgs/bin/uv var/tools/bin/uv; }

# Compiled to bytecode once, here: where PYTHONDONTWRITEBYTECODE is set, every Python process
# (each test process, gunicorn, manage.py) would otherwise compile Django and the rest from
# source at start-up, 0.6 s each; `make test` took 16 s longer.
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/app.css: $(SCSS) node_modules/.installed
	npm run --silent build

# Throughput and latency of every public page under gunicorn, with wrk (installed when
# missing), growth from a small to a large registry, and the CSV's memory: prints a table and
# writes bench/results/latest.json. About 10 minutes; building the large registry the first
# time adds about 2.
bench: install
	$(UV) run --frozen python -m bench.run

# Mixed load, a database restart under load, races and a long schemathesis run, on a
# PostgreSQL of its own. About 6 minutes.
reliability: install
	$(UV) run --frozen python -m bench.reliability

db-stop:
	-$(UV) run --frozen python -c "from config.localdb import stop; stop()"

clean: db-stop
	rm -rf var .venv node_modules static/build
