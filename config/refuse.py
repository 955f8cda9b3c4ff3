"""What production refuses at start: missing variables, and the placeholders of .env.example
and compose.yaml, so that an example value can never run a real site."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

PLACEHOLDER_SECRET_KEYS = {
    "change-me-to-a-long-random-string-of-at-least-fifty-characters-0123456789",
}
# The database password .env.example gives compose.yaml and DATABASE_URL.
PLACEHOLDER_PASSWORDS = {"change-me"}


def refuse_unsafe_production(environ) -> None:
    # Without EMAIL_HOST, sign-up and reset links would go into the logs; without SITE_URL,
    # emails, feeds and the API would point at a developer's machine.
    missing = [
        name
        for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL")
        if not environ.get(name)
    ]
    # Email needs a server, unless another backend is chosen on purpose (`make serve` prints).
    if not environ.get("EMAIL_HOST") and not environ.get("EMAIL_BACKEND"):
        missing.append("EMAIL_HOST")
    if missing:
        raise ImproperlyConfigured(
            "Production mode needs these environment variables: "
            + ", ".join(missing)
            + ". See .env.example, or set LOCAL_DEVELOPMENT=1 to work on this machine."
        )
    if environ["SECRET_KEY"] in PLACEHOLDER_SECRET_KEYS:
        raise ImproperlyConfigured(
            "SECRET_KEY is the placeholder from .env.example. Set a long random value, "
            'for example from: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    if urlsplit(environ["DATABASE_URL"]).password in PLACEHOLDER_PASSWORDS:
        raise ImproperlyConfigured(
            "DATABASE_URL uses the example password from .env.example. Set the database's "
            "real password (with compose.yaml, POSTGRES_PASSWORD in .env)."
        )
