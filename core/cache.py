"""The shared cache on PostgreSQL: Django's database cache, writing in one statement.

Django's `DatabaseCache` counts the whole table before every write (to cull it), then reads
the key and writes it inside a savepoint: four statements, one of them a scan of the table.
Here `set`, `set_many` and `add` are one upsert each. `add` is atomic across every worker and instance,
which is what `core.single_flight` takes its turns with. Expired rows are deleted now and
then, one write in CULL_EVERY (OPTIONS, 0 for never), and the table is kept under MAX_ENTRIES
as Django's does.
"""

import base64
import pickle
import random
from datetime import UTC, datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone

CULL_EVERY = 200

_UPSERT = """
INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s)
ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires
"""
# Only a missing or expired key is taken: the row comes back exactly when it was.
_ADD = _UPSERT + " WHERE {table}.expires < %s RETURNING 1"
_UPSERT_MANY = """
INSERT INTO {table} (cache_key, value, expires)
SELECT key, value, %s FROM unnest(%s::text[], %s::text[]) AS given (key, value)
ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires
"""


class PostgresCache(DatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._cull_every = params.get("OPTIONS", {}).get("CULL_EVERY", CULL_EVERY)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._write(_UPSERT, key, value, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._write(_ADD, key, value, timeout, returning=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        keys = [self.make_and_validate_key(key, version=version) for key in data]
        values = [self._encode(value) for value in data.values()]
        self._execute(_UPSERT_MANY, [self._expires(timeout), keys, values])
        return []

    def _write(self, statement, key, value, timeout, *, returning=False):
        params = [key, self._encode(value), self._expires(timeout)]
        if returning:
            params.append(timezone.now())
        return self._execute(statement, params, returning=returning)

    def _encode(self, value) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _expires(self, timeout) -> datetime:
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            return datetime.max.replace(tzinfo=UTC)
        return datetime.fromtimestamp(timeout, tz=UTC)

    def _execute(self, statement, params, *, returning=False):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            if self._cull_every and random.randrange(self._cull_every) == 0:  # noqa: S311
                self._cull_now(db, cursor, timezone.now())
            cursor.execute(statement.format(table=table), params)
            return cursor.fetchone() is not None if returning else True

    def _cull_now(self, db, cursor, now):
        table = connections[db].ops.quote_name(self._table)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our own table
        self._cull(db, cursor, now, cursor.fetchone()[0])
