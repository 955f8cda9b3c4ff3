"""Backups: the whole database (pg_dump's custom format) and the uploaded media, in one tar.

`manage.py backup` writes the file and `manage.py restore FILE` puts it back; `make backup`
and `make restore FILE=...` run them locally. Media are included when they are local files;
on object storage they live in the bucket, whose own versioning keeps them (docs/deploy.md).
"""

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.utils import timezone

DATABASE_MEMBER = "database.dump"
MEDIA_MEMBER = "media"
MANIFEST_MEMBER = "manifest.json"


class BackupError(Exception):
    pass


def _tool(name: str) -> str:
    """pg_dump or pg_restore: the local server's own, PG_BIN_DIR's, or the one on PATH."""
    folder = getattr(connection, "pg_bin_dir", None) or settings.PG_BIN_DIR
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client tools (the same major version "
            "as the server), or set PG_BIN_DIR to the folder that holds them."
        )
    return path


def _libpq_env() -> dict:
    """The database's password and TLS options for libpq, the way `manage.py dbshell` does."""
    _args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    return {**os.environ, **(env or {})}


def _database_args() -> list[str]:
    connection.ensure_connection()  # the local server fills in its address on first connection
    params = connection.settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    return args


def _run(command: list[str]) -> None:
    # The command is our own list of arguments (no shell); only paths and names vary.
    result = subprocess.run(command, env=_libpq_env(), capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _local_media() -> Path | None:
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def backup(output: Path) -> dict:
    """Write a backup to `output`; return its manifest."""
    output.parent.mkdir(parents=True, exist_ok=True)
    media = _local_media()
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE_MEMBER
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump)]
            + _database_args()
        )
        media_files = (
            [path for path in media.rglob("*") if path.is_file()]
            if media and media.exists()
            else []
        )
        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": connection.settings_dict["NAME"],
            "media_files": len(media_files),
            "media_included": media is not None,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, DATABASE_MEMBER)
            for path in media_files:
                archive.add(path, f"{MEDIA_MEMBER}/{path.relative_to(media).as_posix()}")
            info = tarfile.TarInfo(MANIFEST_MEMBER)
            data = json.dumps(manifest, indent=1).encode()
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        partial.replace(output)  # a backup file is whole or absent
    return manifest


def restore(archive_path: Path) -> dict:
    """Replace the database's contents (and local media) with a backup's; return its manifest."""
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path) as archive:
        names = set(archive.getnames())
        if DATABASE_MEMBER not in names or MANIFEST_MEMBER not in names:
            raise BackupError(f"{archive_path} is not a backup made by `manage.py backup`.")
        archive.extractall(work, filter="data")  # refuses absolute paths and links outside
        manifest = json.loads((Path(work) / MANIFEST_MEMBER).read_text())
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(Path(work) / DATABASE_MEMBER),
            ]
            + _database_args()
        )
        media = _local_media()
        restored = Path(work) / MEDIA_MEMBER
        if media is not None and restored.exists():
            shutil.copytree(restored, media, dirs_exist_ok=True)
    return manifest
