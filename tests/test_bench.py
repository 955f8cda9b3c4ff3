"""The benchmark's results file has exactly the shape issue 12 fixed, and wrk's output is read
correctly. (The benchmark itself runs with `make bench`, never in the test suite.)"""

import copy
import json

import pytest

from bench import results, wrk

ROW = {
    "name": "Home",
    "kind": "cached",
    "path": "/",
    "rps": 1000.0,
    "p50_ms": 5.0,
    "p95_ms": 9.5,
    "p99_ms": 20.0,
    "errors": 0,
    "ratio_to_static": 0.61,
}
VALID = {
    "rows": [ROW],
    "growth": [{"name": "Signatories", "small_p50_ms": 10.0, "large_p50_ms": 12.0, "ratio": 1.2}],
    "places": [{"name": "Network page", "small_p50_ms": 9.0, "large_p50_ms": 11.0, "ratio": 1.2}],
    "thousand": [{"name": "Place home", "small_p50_ms": 9.0, "large_p50_ms": 10.0, "ratio": 1.1}],
    "baseline": {"runs_rps": [3000.0, 2500.0, 2800.0], "median_rps": 2800.0, "spread": 1.2},
    "after_change": {"places": 1000, "changes": 15, "p50_ms": 30.0, "max_ms": 45.0},
    "memory": {"csv_rows": 500000, "worker_peak_added_mb": 3.5},
}


def test_a_valid_result_passes():
    results.check(VALID)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(extra=1),
        lambda d: d.pop("memory"),
        lambda d: d["rows"][0].pop("p99_ms"),
        lambda d: d["rows"][0].update(colour="red"),
        lambda d: d["rows"][0].update(kind="warm"),
        lambda d: d["rows"][0].update(errors=0.5),
        lambda d: d["rows"][0].update(rps="fast"),
        lambda d: d["rows"][0].update(errors=True),
        lambda d: d["growth"][0].update(ratio=None),
        lambda d: d.pop("places"),
        lambda d: d["places"][0].pop("ratio"),
        lambda d: d.pop("thousand"),
        lambda d: d["thousand"][0].update(ratio="1.1"),
        lambda d: d["memory"].update(csv_rows=1.5),
        lambda d: d.pop("baseline"),
        lambda d: d["baseline"].update(runs_rps=[3000.0]),
        lambda d: d.pop("after_change"),
        lambda d: d["after_change"].update(p50_ms=None),
    ],
)
def test_anything_else_is_refused(change):
    data = copy.deepcopy(VALID)
    change(data)
    with pytest.raises(ValueError):
        results.check(data)


def test_the_committed_results_have_the_shape():
    data = json.loads(results.LATEST.read_text())
    results.check(data)
    kinds = {row["kind"] for row in data["rows"]}
    assert kinds == {"static", "cached", "uncached"}
    # The large registry has 500,000 updates; the CSV holds the published ones.
    assert data["growth"] and data["memory"]["csv_rows"] >= 450_000
    # Issue 23's rows: the network, the broad words, one place's pages with ten places.
    assert {"Network page", "Network search"} <= {row["name"] for row in data["rows"]}
    broad = {f"{where} search '{word}'" for where in ("Signatories", "Network")
             for word in ("community", "children", "kindness")}  # fmt: skip
    assert broad <= {row["name"] for row in data["growth"]}
    assert {"Place home", "Place signatories", "Network page"} <= {
        r["name"] for r in data["places"]
    }
    # Issue 32's: the mixed load with and without Redis, in one place and in two.
    mixed = json.loads(results.MIXED.read_text())
    assert set(mixed) == {"postgresql", "redis"}
    for store in mixed.values():
        assert store["places"]["quiet"]["hit_rate"] >= results.QUIET_HIT_RATE
    assert data["after_change"]["places"] == 1000


def test_wrk_numbers_are_read_from_its_result_line():
    output = (
        "Running 8s test @ http://127.0.0.1:1/\n"
        "RESULT requests=8000 duration_us=8000000 p50_us=4500 p95_us=9000 p99_us=15500 "
        "socket_errors=1 status_errors=2 hits=7000 stale=500 misses=500\n"
    )
    numbers = wrk.parse(output)
    assert numbers["rps"] == 1000.0
    assert (numbers["p50_ms"], numbers["p95_ms"], numbers["p99_ms"]) == (4.5, 9.0, 15.5)
    assert numbers["errors"] == 3
    assert numbers["hit_rate"] == 0.9375  # a page served as it was came from the cache
    assert numbers["stale_rate"] == 0.0625
    with pytest.raises(ValueError):
        wrk.parse("wrk: connection refused\n")
