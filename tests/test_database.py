"""A pooled connection is tested before a request gets it, without a round trip to the
server unless it may be broken (`config.postgres`)."""

import time

import psycopg
import pytest
from django.db import connection
from psycopg_pool import ConnectionPool

from config.postgres import base

pytestmark = pytest.mark.django_db


def _connect():
    return psycopg.connect(**{**connection.get_connection_params(), "autocommit": True})


def _terminate(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the server's last words reach the socket


def test_the_pool_tests_connections_with_the_cheaper_check():
    connection.ensure_connection()
    assert connection.pool._check is base.check_connection


def test_a_healthy_connection_is_not_asked_and_a_terminated_one_fails(monkeypatch):
    asked = []
    real = ConnectionPool.check_connection
    monkeypatch.setattr(
        base.ConnectionPool, "check_connection", staticmethod(lambda c: asked.append(c) or real(c))
    )
    with _connect() as conn:
        conn.execute("SELECT 1")
        base.check_connection(conn)
        assert asked == []
        _terminate(conn.info.backend_pid)
        with pytest.raises(psycopg.OperationalError):
            base.check_connection(conn)
        assert asked == [conn]


def test_the_pool_replaces_a_connection_the_server_closed():
    with ConnectionPool(
        kwargs={**connection.get_connection_params(), "autocommit": True},
        check=base.check_connection,
        min_size=1,
        max_size=1,
    ) as pool:
        with pool.connection() as conn:
            first = conn.info.backend_pid
        _terminate(first)
        with pool.connection() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            assert conn.info.backend_pid != first


def test_the_shared_cache_table_is_unlogged_and_uncompressed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relpersistence, a.attstorage FROM pg_class c"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'value'"
            " WHERE c.relname = 'core_cache'"
        )
        assert cursor.fetchone() == ("u", "e")
