"""Django's PostgreSQL backend with a cheaper test of a pooled connection (the project-local
server's backend, config/localdb, extends it).

With CONN_HEALTH_CHECKS, Django gives its connection pool psycopg_pool's own check, an empty
query: a round trip to the server before every request, as many as the one query a cached
page costs. Here a connection is asked that only when it may be broken."""

import select

from django.db.backends.postgresql import base
from psycopg import pq
from psycopg_pool import ConnectionPool


def check_connection(conn) -> None:
    """Raise if `conn` is broken, as psycopg_pool's check does, but ask the server only when
    there is something to read on the connection's socket: a connection idle in the pool has
    nothing to read, unless the server has closed it (a restart, a terminated backend), whose
    last words or end of stream are then waiting. A connection lost without a word (a
    network cut) is found by the request that uses it, which fails and discards it."""
    if conn.closed or conn.pgconn.status != pq.ConnStatus.OK:
        ConnectionPool.check_connection(conn)
        return
    poller = select.poll()  # not select(): it fails for descriptors past 1,024
    poller.register(conn.fileno(), select.POLLIN)
    if poller.poll(0):
        ConnectionPool.check_connection(conn)


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        # Django passes ConnectionPool.check_connection when CONN_HEALTH_CHECKS is on; the pool
        # keeps its check in `_check` (psycopg_pool 3.x; tests/test_database.py fails if not).
        if pool is not None and pool._check == ConnectionPool.check_connection:
            pool._check = check_connection
        return pool
