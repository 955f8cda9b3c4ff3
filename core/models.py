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
    """The versions of what the public can see, by scope (`core.public`): row 1 for
    everything, row 2 for the network's own pages, and row -n for place n's. Cached pages
    carry their scope's versions in their keys, so moving one on here retires them in every
    worker and instance at once.

    Every number is microseconds since the epoch. `previous` is the version before this
    one, so a page one change behind knows how long ago it was overtaken. `safe_from` is the
    version of the last safeguarding change (something taken out of public view): no page
    kept under an older version may be served in this scope, not even for a moment while a
    new one is drawn."""

    version = models.BigIntegerField()
    previous = models.BigIntegerField(default=0)
    safe_from = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.version)


class JobRun(models.Model):
    """One run of a scheduled job (`core.schedule`): when, whether it worked, what it said.
    The admin's front page and `/healthz/schedule` read the latest of each."""

    name = models.CharField(max_length=50)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    is_ok = models.BooleanField(default=False)
    output = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"], name="job_run_latest")]

    def __str__(self):
        return f"{self.name} at {self.started_at:%Y-%m-%d %H:%M}"
