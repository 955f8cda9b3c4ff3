"""bench/results/latest.json: its exact shape, and the table printed from it."""

import json
from pathlib import Path

LATEST = Path(__file__).parent / "results" / "latest.json"
MIXED = LATEST.with_name("mixed.json")

ROW = {
    "name": str,
    "kind": str,
    "path": str,
    "rps": float,
    "p50_ms": float,
    "p95_ms": float,
    "p99_ms": float,
    "errors": int,
    "ratio_to_static": float,
}
KINDS = {"static", "cached", "uncached"}
# A write in one place must not retire another place's pages: nearly all of its reads hit.
QUIET_HIT_RATE = 0.99
# The network page's table has a row for each place: its work grows with them by design.
LISTS_EVERY_PLACE = {"Network page"}
# With a thousand places, the list of places shows a page of 50 where two places showed two:
# its cost is bounded by the page, not by the number of places.
PAGE_OF_PLACES = {"Every place, listed"}
GROWTH = {"name": str, "small_p50_ms": float, "large_p50_ms": float, "ratio": float}
MEMORY = {"csv_rows": int, "worker_peak_added_mb": float}


def _check_object(value, shape: dict, where: str) -> None:
    if not isinstance(value, dict) or set(value) != set(shape):
        raise ValueError(f"{where}: expected exactly the keys {sorted(shape)}, got {value!r}")
    for key, kind in shape.items():
        item = value[key]
        # A whole number is a fine float; a bool is not a number here.
        ok = isinstance(item, kind) or (kind is float and isinstance(item, int))
        if not ok or isinstance(item, bool):
            raise ValueError(f"{where}.{key}: expected {kind.__name__}, got {item!r}")


def check(data) -> None:
    """Raise ValueError unless `data` has exactly the shape issue 12 asks for."""
    if not isinstance(data, dict) or set(data) != {
        "rows",
        "growth",
        "places",
        "thousand",
        "memory",
    }:
        raise ValueError("expected exactly the keys rows, growth, places, thousand and memory")
    for index, row in enumerate(data["rows"]):
        _check_object(row, ROW, f"rows[{index}]")
        if row["kind"] not in KINDS:
            raise ValueError(f"rows[{index}].kind: {row['kind']!r} is not one of {KINDS}")
    for key in ("growth", "places", "thousand"):
        for index, row in enumerate(data[key]):
            _check_object(row, GROWTH, f"{key}[{index}]")
    _check_object(data["memory"], MEMORY, "memory")


def load() -> dict:
    """The last results, so that one part can be measured again on its own."""
    if LATEST.exists():
        return json.loads(LATEST.read_text())
    return {
        "rows": [],
        "growth": [],
        "places": [],
        "thousand": [],
        "memory": {"csv_rows": 0, "worker_peak_added_mb": 0.0},
    }


def save(data: dict) -> None:
    data = {
        "rows": [{key: row[key] for key in ROW} for row in data["rows"]],
        "growth": data["growth"],
        "places": data.get("places", []),
        "thousand": data.get("thousand", []),
        "memory": data["memory"],
    }
    check(data)
    LATEST.parent.mkdir(parents=True, exist_ok=True)
    LATEST.write_text(json.dumps(data, indent=2) + "\n")


def save_mixed(numbers: dict) -> None:
    MIXED.write_text(json.dumps(numbers, indent=2) + "\n")


def row_line(row: dict) -> str:
    ratio = f"{row['ratio_to_static']:.2f}" if "ratio_to_static" in row else ""
    return (
        f"{row['name'][:30]:30} {row['kind']:8} {row['rps']:8.0f} {row['p50_ms']:8.1f}"
        f" {row['p95_ms']:8.1f} {row['p99_ms']:8.1f} {row['errors']:6} {ratio:>6}"
    )


def report(data: dict, *, uncached_p95_ms, ratio_to_static, growth, csv_mb) -> list[str]:
    """Print the table with each goal, and return what missed its goal."""
    missed = []
    print(
        f"\n{'page':30} {'kind':8} {'req/s':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>6} "
        f"{'ratio':>6}  goal"
    )
    for row in data["rows"]:
        if row["kind"] == "uncached":
            ok, goal = row["p95_ms"] <= uncached_p95_ms, f"p95 <= {uncached_p95_ms} ms"
        elif row["kind"] == "cached":
            ok, goal = row["ratio_to_static"] >= ratio_to_static, f"ratio >= {ratio_to_static}"
        else:
            ok, goal = True, "baseline"
        ok = ok and row["errors"] == 0
        missed += [] if ok else [f"{row['name']} ({row['kind']})"]
        print(f"{row_line(row)}  {'ok' if ok else 'MISSED'} ({goal})")
    for key, heading, first, second in (
        ("growth", "growth, uncached p50", "small", "large"),
        ("places", "one place to ten, p50", "2", "10"),
        ("thousand", "two places to 1,000, p50", "2", "1000"),
    ):
        print(f"\n{heading:30} {first:>8} {second:>8} {'ratio':>6}  goal")
        for row in data[key]:
            if row["name"] in LISTS_EVERY_PLACE and key != "thousand":
                verdict = "shown, not held to it: it has a row for every place"
            elif row["name"] in PAGE_OF_PLACES and key == "thousand":
                verdict = "shown, not held to it: a page of 50 places against 2"
            else:
                ok = row["ratio"] <= growth
                missed += [] if ok else [f"{key} of {row['name']}"]
                verdict = f"{'ok' if ok else 'MISSED'} (<= {growth}x)"
            print(
                f"{row['name']:30} {row['small_p50_ms']:8.1f} {row['large_p50_ms']:8.1f}"
                f" {row['ratio']:6.2f}  {verdict}"
            )
    memory = data["memory"]
    ok = memory["worker_peak_added_mb"] < csv_mb
    missed += [] if ok else ["CSV memory"]
    print(
        f"\nupdates.csv, {memory['csv_rows']:,} rows: worker peak +{memory['worker_peak_added_mb']}"
        f" MB  {'ok' if ok else 'MISSED'} (< {csv_mb} MB)"
    )
    if MIXED.exists():
        mixed = json.loads(MIXED.read_text())
        ok = mixed["p95_ms"] <= uncached_p95_ms and mixed["errors"] == 0
        missed += [] if ok else ["mixed load"]
        print(
            f"\nmixed load: reads p95 {mixed['p95_ms']} ms at {mixed['rps']:.0f} reads/s with"
            f" {mixed['writes']} writes in {mixed['seconds']} s, hit rate {mixed['hit_rate']:.1%}"
            f"  {'ok' if ok else 'MISSED'} (p95 <= {uncached_p95_ms} ms)"
        )
        places = mixed.get("places")
        if places:
            busy, quiet = places["busy"], places["quiet"]
            ok = quiet["hit_rate"] >= QUIET_HIT_RATE and busy["errors"] + quiet["errors"] == 0
            missed += [] if ok else ["mixed load in two places"]
            print(
                f"two places, {places['writes']} writes in {busy['place']} in"
                f" {places['seconds']} s: {busy['place']} hit rate {busy['hit_rate']:.1%}"
                f" (p95 {busy['p95_ms']} ms); {quiet['place']} hit rate {quiet['hit_rate']:.1%}"
                f" (p95 {quiet['p95_ms']} ms)  {'ok' if ok else 'MISSED'}"
                f" (the quiet place >= {QUIET_HIT_RATE:.0%})"
            )
    print(f"\nWritten to {LATEST}. Missed: {', '.join(missed) or 'nothing'}")
    return missed
