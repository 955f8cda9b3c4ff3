"""Helpers for bulk loads (the demo seed, the paper signatories' import)."""

from django.db import connection


def analyze(*models) -> None:
    """Give PostgreSQL fresh statistics for tables a bulk load has just filled: until its
    autovacuum catches up, the planner would still think they were empty and choose badly."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
