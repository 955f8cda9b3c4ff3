"""PostgreSQL on the project-local server, which starts when Django first connects."""

from config.postgres import base

from . import bin_dir, start


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        # Test databases and the maintenance connection copy this dict, address included.
        self.settings_dict.update(start())
        return super().get_connection_params()

    @property
    def pg_bin_dir(self):
        """Read by core.backups: the system's pg_dump may be older than this server."""
        return bin_dir()
