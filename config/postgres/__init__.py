"""Django's PostgreSQL backend, but for how a pooled connection is tested before a request
gets it (`base.check_connection`; docs/decisions.md)."""
