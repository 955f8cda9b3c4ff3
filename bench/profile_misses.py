"""What is left of the cost of a page the page cache does not have: every public page and API
list of `make bench`, in one process with production settings on the "bench" registry, each
asked for with a unique query string as its uncached row is (figures and fragments stay
kept). Prints each page's median time unprofiled, and under cProfile the shares of SQL,
Django's template rendering, the API's serialisation and the rest (the view's Python, the
ORM building instances, addresses, middleware).

    python -m bench.profile_misses
"""

import cProfile
import itertools
import json
import os
import pstats
import statistics
import time

REQUESTS = 7


def main() -> None:
    from . import run, stack

    os.environ.update(stack.prepare("bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    client, unique = Client(), itertools.count()

    def get(path):
        return client.get(f"{path}{'&' if '?' in path else '?'}bench={next(unique)}")

    def get_json(url):
        return json.loads(client.get(url.removeprefix("http://testserver")).content)

    print("page; ms unprofiled; profiled shares: SQL, templates, API serialisation, the rest")
    for name, path in run.public_pages("http://testserver", get_json=get_json):
        for _ in range(3):
            get(path)
        plain, shares = [], []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            get(path)
            plain.append(time.perf_counter() - started)
        for _ in range(REQUESTS):
            sql = [0.0]

            def timed(execute, *args, sql=sql):
                started = time.perf_counter()
                try:
                    return execute(*args)
                finally:
                    sql[0] += time.perf_counter() - started

            profile = cProfile.Profile()
            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                profile.runcall(get, path)
            total = time.perf_counter() - started
            stats = pstats.Stats(profile).stats
            templates = _longest(stats, "django/template/backends/django.py", {"render"})
            api = _longest(stats, "ninja/", {"create_response", "_result_to_response"})
            shares.append((sql[0] / total, templates / total, api / total))
        sql, templates, api = (statistics.median(column) for column in zip(*shares, strict=True))
        print(
            f"{name}; {statistics.median(plain) * 1000:.1f} ms; SQL {sql:.0%}, templates"
            f" {templates:.0%}, API {api:.0%}, the rest {max(0, 1 - sql - templates - api):.0%}",
            flush=True,
        )


def _longest(stats, file: str, functions: set[str]) -> float:
    """The longest time spent inside any of these functions of this file (the outermost)."""
    return max(
        (row[3] for (path, _, function), row in stats.items()
         if file in path and function in functions),
        default=0.0,
    )  # fmt: skip


if __name__ == "__main__":
    main()
