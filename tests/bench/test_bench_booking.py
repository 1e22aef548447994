"""``medbook-design bench booking`` on each real server, at a tiny size.

No timing is asserted: the tests check that every cell ran, that the figures are
well-formed and consistent with each other, and that no cell saw a double booking.
"""

from __future__ import annotations

import json
import shutil

from helpers import SPEC, run_cli
from helpers.databases import dsn

STRATEGIES = ["guarded-update", "for-update", "serializable"]


def test_bench_booking_runs_every_cell_and_records_it(engine, tmp_path):
    shutil.copytree(SPEC, tmp_path / "spec")
    done = run_cli(
        "bench",
        "booking",
        "--dsn",
        dsn(engine.dialect),
        "--clients",
        "1,2",
        "--seconds",
        "0.5",
        "--record",
        "--spec",
        str(tmp_path / "spec"),
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for title in (
        "guarded UPDATE (the spec's)",
        "SELECT ... FOR UPDATE (alternative)",
        "SERIALIZABLE + retry (alternative)",
    ):
        assert out.count(title) == 4, out  # 2 modes x 2 client counts
    assert "[met] zero double bookings" in out

    data = json.loads((tmp_path / "docs" / "benchmarks" / f"booking-{engine.dialect}.json").read_text())
    assert data["benchmark"] == "booking" and data["dialect"] == engine.dialect and data["clients"] == [1, 2]
    assert [s["id"] for s in data["strategies"]] == STRATEGIES
    assert [s["chosen"] for s in data["strategies"]] == [True, False, False]
    cells = data["cells"]
    assert [(c["strategy"], c["mode"], c["clients"]) for c in cells] == [
        (s, m, n) for s in STRATEGIES for m in ("uncontended", "contended") for n in (1, 2)
    ]
    for c in cells:
        assert c["double_bookings"] == 0 and c["db_double_booked_slots"] == 0 and c["db_status_mismatches"] == 0
        assert c["errors"] == {}, c
        assert c["bookings"] > 0 and c["booking_attempts"] >= c["bookings"]
        assert c["booking_attempts"] == c["bookings"] + sum(c["refused"].values())
        assert 0 < c["p50_ms"] <= c["p99_ms"]
        if c["mode"] == "uncontended":
            assert c["refused"] == {} and c["cancels"] == 0
        else:
            assert c["cancels"] == c["bookings"]  # every win is cancelled again
            assert set(c["refused"]) <= {"slot-unavailable"}
    if engine.dialect == "postgres":
        runs = data["pgbench"]["runs"]
        assert [r["clients"] for r in runs] == [1, 2]
        assert all(r["tps"] > 0 and r["transactions"] > 0 and r["p50_ms"] <= r["p99_ms"] for r in runs)
    targets = {t["id"]: t for t in data["targets"]}
    assert targets["no-double-bookings"]["met"] is True
    assert targets["half-of-pgbench-8"]["measured"] is None  # 8 clients were not measured


def test_bench_booking_refuses_bad_client_counts():
    done = run_cli("bench", "booking", "--dsn", "postgresql://postgres@127.0.0.1:5432/postgres", "--clients", "1,x")
    assert done.returncode == 2 and "--clients: 'x' is not a number of clients" in done.stderr
    assert "Traceback" not in done.stderr
