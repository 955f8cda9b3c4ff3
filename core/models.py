from django.db import models


class CacheEntry(models.Model):
    """The table of Django's database cache, the shared cache when Redis is not configured.

    A model, not `createcachetable`, so that `migrate` creates it everywhere and test
    flushes empty it. The columns are the ones DatabaseCache reads and writes.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_cache"

    def __str__(self):
        return self.cache_key


class PublicVersion(models.Model):
    """One row: the version of everything the public can see. Cached pages carry it in their
    keys, so moving it on here retires them in every worker and instance at once."""

    version = models.BigIntegerField()

    def __str__(self):
        return str(self.version)
