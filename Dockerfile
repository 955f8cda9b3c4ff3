# One image for the web server and the task worker. It runs only commands that the test suite
# also runs: `uv sync --frozen`, `npm run build`, `collectstatic`, `migrate`, gunicorn with
# config/gunicorn.py, and `manage.py db_worker`. It is not built in CI here (docs/deploy.md).

FROM node:22-trixie-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
RUN npm run build

# Debian trixie's postgresql-client is PostgreSQL 17, the major version compose.yaml runs:
# `manage.py backup` needs a pg_dump at least as new as the server (a test checks they agree).
FROM python:3.12-slim-trixie
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    PATH=/opt/venv/bin:$PATH
# pg_dump and pg_restore for `manage.py backup`: the server's major version.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --compile-bytecode
COPY . .
COPY --from=assets /app/static/build ./static/build
# collectstatic reads the settings, which refuse to load without production's variables;
# these build-time values are thrown away with the layer.
RUN SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    DATABASE_URL=postgres://build@localhost/build ALLOWED_HOSTS=localhost \
    SITE_URL=https://localhost EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input -v0
RUN useradd --system --uid 10001 kindness \
    && mkdir -p /srv/kindness/media /srv/kindness/private /srv/kindness/static /srv/kindness/backups \
    && chown -R kindness /srv/kindness
USER kindness
ENV BIND=0.0.0.0:8000 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/srv/kindness/media \
    PRIVATE_MEDIA_ROOT=/srv/kindness/private \
    BACKUP_DIR=/srv/kindness/backups
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
