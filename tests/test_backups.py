"""Backups round-trip: seed, `backup`, `restore` into a fresh database, and compare."""

import os
import subprocess
import sys
import tarfile

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    PledgeFactory,
    ProgressUpdateFactory,
)
from tests.servers import ROOT, database_url
from tests.test_uploads import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def fingerprint(params) -> dict:
    """Each table's row count and a checksum of its rows' contents, in a fixed order."""
    with psycopg.connect(database_url(params)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        result = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} t"
            ).format(sql.Identifier(table))
            result[table] = conn.execute(query).fetchone()
    return result


@pytest.fixture
def fresh_database():
    params = {**connection.settings_dict, "NAME": connection.settings_dict["NAME"] + "_restored"}
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(params["NAME"])))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["NAME"])))
    yield params
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(params["NAME"]))
        )


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_media(
    seeded_agreement, settings, tmp_path, fresh_database
):
    membership = MembershipFactory()
    pledge = PledgeFactory(organisation=membership.organisation, published=True)
    CommitmentFactory(pledge=pledge, body="Ein Versprechen – with “quotes” and émoji 🌱")
    update = ProgressUpdateFactory(pledge=pledge, image_alt="Children planting a tree")
    update.image.save("planting.png", ContentFile(png_bytes()))
    source = fingerprint(connection.settings_dict)
    assert source["pledges_pledge"][0] == 1 and source["pledges_progressupdate"][0] == 1

    archive = tmp_path / "backup.tar"
    call_command("backup", output=archive)
    with tarfile.open(archive) as opened:
        assert f"media/{update.image.name}" in opened.getnames()

    restored_media = tmp_path / "restored-media"
    env = {
        **os.environ,
        "LOCAL_DEVELOPMENT": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(fresh_database),
        "MEDIA_ROOT": str(restored_media),
        "PG_BIN_DIR": str(getattr(connection, "pg_bin_dir", "") or ""),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout and "(1 media files)" in result.stdout

    assert fingerprint(fresh_database) == source
    original = (settings.MEDIA_ROOT / update.image.name).read_bytes()
    assert (restored_media / update.image.name).read_bytes() == original


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    stranger = tmp_path / "holiday.tar"
    with tarfile.open(stranger, "w") as archive:
        archive.add(__file__, "notes.py")
    with pytest.raises(CommandError, match="is not a backup"):
        call_command("restore", str(stranger), interactive=False)
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.tar"), interactive=False)
