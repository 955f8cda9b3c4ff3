"""The shared cache's table is unlogged, and its values are stored uncompressed.

Unlogged: no write-ahead log for what is only a cache (drawn pages, turns, figures, login
throttles), so a write does not wait for the log, and PostgreSQL empties the table after a
crash, which a cache may. Uncompressed (STORAGE EXTERNAL): a drawn page, 100 KB of base64,
was compressed on every write and decompressed on every read. docs/decisions.md.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0003_public_version_kinds_of_change")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE core_cache SET UNLOGGED;"
            " ALTER TABLE core_cache ALTER COLUMN value SET STORAGE EXTERNAL",
            "ALTER TABLE core_cache SET LOGGED;"
            " ALTER TABLE core_cache ALTER COLUMN value SET STORAGE EXTENDED",
        )
    ]
