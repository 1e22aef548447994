"""``medbook-design bench <benchmark>`` on each real server, at a tiny size.

No timing is asserted: the tests check that every cell ran, that the figures are
well-formed and consistent with each other, and that no invariant found a violation. The
same command measures a second, unrelated design (the lending library), so nothing in it
can depend on Medbook's tables or operations.
"""

from __future__ import annotations

import json
import shutil

import pytest

from helpers import LIBRARY_SPEC, SPEC, run_cli
from helpers.databases import dsn

STRATEGIES = ["spec", "for-update", "serializable"]


def _consistent(cell: dict) -> None:
    """The totals of a cell are the sums of its operations', and every count adds up."""
    ops = cell["operations"].values()
    assert cell["attempts"] == sum(o["attempts"] for o in ops)
    assert cell["commits"] == sum(o["commits"] for o in ops)
    for o in ops:
        assert o["attempts"] == o["commits"] + sum(o["refused"].values()) + sum(o["errors"].values())
        assert 0 < o["p50_ms"] <= o["p99_ms"]
    assert cell["errors"] == {}, cell
    assert set(cell["violations"].values()) == {0}, cell


def test_the_booking_benchmark_runs_every_cell_and_records_it(engine, tmp_path, loaded_spec):
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
    assert "[met] no invariant finds a violation" in out

    data = json.loads((tmp_path / "docs" / "benchmarks" / f"booking-{engine.dialect}.json").read_text())
    assert data["benchmark"] == "booking" and data["dialect"] == engine.dialect and data["clients"] == [1, 2]
    assert [m["id"] for m in data["modes"]] == ["uncontended", "contended"]
    assert [i["id"] for i in data["invariants"]] == list(loaded_spec.spec.scenarios.invariants)
    assert [s["id"] for s in data["strategies"]] == STRATEGIES
    assert [s["chosen"] for s in data["strategies"]] == [True, False, False]
    assert [op["operation"] for s in data["strategies"] for op in s["operations"]] == [
        "book_appointment",
        "book_appointment_for_update",
        "book_appointment_serializable",
    ]
    cells = data["cells"]
    assert [(c["strategy"], c["mode"], c["clients"]) for c in cells] == [
        (s, m, n) for s in STRATEGIES for m in ("uncontended", "contended") for n in (1, 2)
    ]
    for c in cells:
        _consistent(c)
        assert c["violations"] == dict.fromkeys(loaded_spec.spec.scenarios.invariants, 0)
        book = c["operations"]["book_appointment"]
        assert book["commits"] > 0
        if c["mode"] == "uncontended":
            assert list(c["operations"]) == ["book_appointment"]
            if c["strategy"] == "serializable":
                # SSI tracks the booking limit's count by index page, so two patients' bookings can
                # still conflict; one whose retries run out is refused, never booked twice
                assert set(book["refused"]) <= {"slot-unavailable"}
            else:
                # a fresh slot and a fresh patient of the client's own for every attempt: nothing is refused
                assert book["refused"] == {} and "exhausted" not in c
        else:
            assert set(c["operations"]) == {"book_appointment", "cancel_appointment"}
            assert set(book["refused"]) <= {"slot-unavailable"} and book["refused"]
            cancel = c["operations"]["cancel_appointment"]
            # a slot is cancelled only after it was booked: at most one more booking than cancels
            assert 0 <= book["commits"] - cancel["commits"] <= 4
    if engine.dialect == "postgres":
        runs = data["pgbench"]["runs"]
        assert [r["clients"] for r in runs] == [1, 2]
        assert all(r["tps"] > 0 and r["transactions"] > 0 and r["p50_ms"] <= r["p99_ms"] for r in runs)
    targets = {t["id"]: t for t in data["targets"]}
    assert targets["no-invariant-violations"]["met"] is True
    assert targets["pgbench-share"]["measured"] is None  # 8 clients were not measured


def test_the_same_command_measures_another_design(engine, tmp_path):
    """The lending library's benchmark: other tables, operations, fixtures and invariants."""
    shutil.copytree(LIBRARY_SPEC, tmp_path / "spec")
    done = run_cli(
        "bench",
        "run",
        "lending",
        "--dsn",
        dsn(engine.dialect),
        "--seconds",
        "0.5",
        "--no-pgbench",
        "--record",
        "--json",
        "--spec",
        str(tmp_path / "spec"),
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(done.stdout)
    assert data == json.loads((tmp_path / "docs" / "benchmarks" / f"lending-{engine.dialect}.json").read_text())
    assert data["pgbench"] is None and data["clients"] == [1, 2]  # the spec's client counts
    assert [s["id"] for s in data["strategies"]] == ["spec", "for-update"]
    derived = data["strategies"][1]["operations"][0]
    assert derived["call"] == "return_loan" and [s["name"] for s in derived["steps"]] == ["lock_row", "close_loan"]
    assert [(c["strategy"], c["mode"], c["clients"]) for c in data["cells"]] == [
        (s, m, n) for s in ("spec", "for-update") for m in ("own_shelf", "one_desk") for n in (1, 2)
    ]
    for c in data["cells"]:
        _consistent(c)
        assert c["violations"] == {"one_open_loan_per_copy": 0, "open_copy_matches_loan": 0}
        borrow, back = c["operations"]["borrow_copy"], c["operations"]["return_loan"]
        assert borrow["commits"] > 0 and back["commits"] > 0
        # refusals are problems the operation declares (a deadlock the library's service does not
        # retry is diagnosed too, by the diagnosis query's last branch)
        assert set(borrow["refused"]) <= {"copy-on-loan", "copy-not-found", "copy-damaged", "loan-limit-reached"}
        if c["mode"] == "one_desk":
            # one copy: a loan is returned only after it was opened, and borrowing it while it
            # is on loan is refused by the unique index on open loans
            assert 0 <= borrow["commits"] - back["commits"] <= 1
            assert borrow["refused"].get("copy-on-loan")


def test_an_unknown_benchmark_names_the_declared_ones():
    done = run_cli("bench", "bookings", "--dsn", "postgresql://postgres@127.0.0.1:5432/postgres")
    assert done.returncode == 2, done.stderr
    assert "unknown benchmark 'bookings' (expected one of booking)" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_client_counts_and_modes_are_refused():
    done = run_cli("bench", "booking", "--dsn", "postgresql://postgres@127.0.0.1:5432/postgres", "--clients", "1,x")
    assert done.returncode == 2 and "--clients: 'x' is not a number of clients" in done.stderr
    done = run_cli("bench", "run", "booking", "--dsn", "postgresql://postgres@127.0.0.1:5432/postgres", "--mode", "hot")
    assert done.returncode == 2 and "unknown mode 'hot' (expected some of uncontended, contended)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_given_column_the_query_does_not_return_is_located(tmp_path):
    from medbook_design.bench.workload import WorkloadBenchmark
    from medbook_design.errors import GenerationError
    from medbook_design.spec.loader import load_spec
    from medbook_design.verify.dsn import parse_dsn

    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    path = spec / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('member_id: "@given.member_id"', 'member_id: "@given.borrower"', 1), encoding="utf-8")
    line = text[: text.index('member_id: "@given.member_id"')].count("\n") + 1
    loaded = load_spec(spec)  # the loader cannot know what a query returns; the benchmark reads it
    with pytest.raises(GenerationError) as info:
        WorkloadBenchmark(parse_dsn("postgresql://postgres@127.0.0.1:5432/postgres"), loaded, "lending")
    assert str(info.value).endswith(
        f"scenarios.yaml:{line}:55: the given query returns no column 'borrower' (expected one of id, member_id)"
    )


def test_a_parameter_without_a_value_is_located_before_anything_runs(tmp_path):
    """The loader lets an operation gain a parameter; the benchmark refuses to run without it."""
    from medbook_design.bench.workload import WorkloadBenchmark
    from medbook_design.errors import GenerationError
    from medbook_design.spec.loader import load_spec
    from medbook_design.verify.dsn import parse_dsn

    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    path = spec / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    old = 'with: {member_id: "@reader.id", copy_id: "@desk.id", idempotency_key: "desk-{n}"}'
    path.write_text(text.replace(old, 'with: {member_id: "@reader.id", copy_id: "@desk.id"}'), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    loaded = load_spec(spec)
    with pytest.raises(GenerationError) as info:
        WorkloadBenchmark(parse_dsn("mysql://root@127.0.0.1:3306/mysql"), loaded, "lending")
    assert str(info.value).endswith(
        f"scenarios.yaml:{line}:21: parameter(s) idempotency_key of operation borrow_copy missing "
        "(expected a value for every parameter, null included)"
    )


def test_the_invariants_run_with_the_bound_for_checks_of_a_whole_run(engine, monkeypatch):
    """A check of pairs over every row a cell wrote may outlast an operation's statement bound."""
    from medbook_design.bench import workload
    from medbook_design.spec.loader import load_spec
    from medbook_design.verify.limits import DEFAULT, WHOLE_RUN_CHECKS

    checked: list[tuple[object, str]] = []  # (the session's limits, a statement it ran)

    class Recording(workload.Session):
        def execute(self, sql, params=None):
            checked.append((self.limits, sql))
            return super().execute(sql, params)

    monkeypatch.setattr(workload, "Session", Recording)
    runner = workload.WorkloadBenchmark(
        engine, load_spec(LIBRARY_SPEC), "lending", clients=[1], seconds=0.2, strategies=["spec"], pgbench=False
    )
    modes = len(runner.modes)
    data = runner.run()
    assert [sum(c["violations"].values()) for c in data["cells"]] == [0] * modes
    for sql in runner.checks.values():
        assert [limits for limits, ran in checked if ran == sql] == [WHOLE_RUN_CHECKS] * modes
    assert WHOLE_RUN_CHECKS.statement_s > DEFAULT.statement_s
