"""``medbook-design verify`` end to end on each real server, as a user runs it."""

from __future__ import annotations

import json
import shutil

import pytest

from helpers import LIBRARY_SPEC, SPEC, run_cli
from helpers.databases import dsn
from medbook_design.spec.loader import load_spec

SCENARIOS = list(load_spec(SPEC).spec.scenarios.scenarios)


def test_verify_passes_every_scenario_and_records_it(engine, tmp_path):
    shutil.copytree(SPEC, tmp_path / "spec")
    done = run_cli(
        "verify",
        "--dsn",
        dsn(engine.dialect),
        "--threads",
        "32",
        "--attempts",
        "200",
        "--record",
        "--spec",
        str(tmp_path / "spec"),
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[1 : len(SCENARIOS) + 1]]
    assert [r[0] for r in rows] == SCENARIOS
    assert all(r[-2] == "pass" for r in rows), done.stdout
    assert f"{len(SCENARIOS)} of {len(SCENARIOS)} scenarios passed" in done.stdout
    assert "race random_race on " in done.stdout and "invariant violations: none" in done.stdout

    record = tmp_path / "docs" / "verification" / f"{engine.dialect}.json"
    text = record.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert set(data) == {"engine", "dialect", "scenarios", "race", "schema"}
    assert data["schema"]["outcome"] == "pass" and data["schema"]["drift"] == [], data["schema"]
    assert f"schema on {data['engine']}: pass (" in done.stdout
    assert data["dialect"] == engine.dialect
    assert data["engine"].startswith("PostgreSQL " if engine.dialect == "postgres" else ("MariaDB ", "MySQL "))
    assert [s["id"] for s in data["scenarios"]] == SCENARIOS
    kinds = {sid: sc.kind for sid, sc in load_spec(tmp_path / "spec").spec.scenarios.scenarios.items()}
    for s in data["scenarios"]:
        extra = {"traces"} if kinds[s["id"]] == "interleaving" else {"race"} if kinds[s["id"]] == "race" else set()
        assert set(s) == {"id", "title", "outcome", "seconds", "detail"} | extra and s["outcome"] == "pass"
        assert s["seconds"] == round(s["seconds"], 2) and s["detail"]
    for s in data["scenarios"]:
        if "traces" in s:  # one permutation of each kind, those with a lock wait first
            assert 1 <= len(s["traces"]) <= 3
            assert all(e["session"] in ("A", "B") for t in s["traces"] for e in t["events"])
    race = data["race"]
    assert race == next(s["race"] for s in data["scenarios"] if "race" in s)
    assert race["connections"] == 32 and race["attempts"] == 200
    assert race["violations"] == {} and race["errors"] == {}
    assert race["rejections"].get("slot-unavailable", 0) > 0 and race["operations"]["book_appointment"]["commits"] > 0


@pytest.mark.parametrize(
    "dsn, expected",
    [
        ("oracle://scott@127.0.0.1/orcl", "unsupported DSN scheme 'oracle'"),
        ("postgresql://postgres@127.0.0.1:1/postgres", "cannot connect to postgresql://postgres@127.0.0.1:1/postgres"),
        ("mysql://root@127.0.0.1:1/mysql", "cannot connect to mysql://root@127.0.0.1:1/mysql"),
        ("postgresql://postgres@127.0.0.1:notaport/x", "invalid DSN"),
    ],
)
def test_bad_dsn_or_unreachable_server_exits_2_with_a_message(dsn, expected):
    done = run_cli("verify", "--dsn", dsn)
    assert done.returncode == 2, done.stdout + done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_scenario_is_a_usage_error(engine):
    done = run_cli("verify", "--dsn", dsn(engine.dialect), "--scenario", "book_vs_boook")
    assert done.returncode == 2 and "unknown scenario(s) book_vs_boook" in done.stderr


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://postgres:s3cretWRONG@127.0.0.1:99999/postgres",  # port out of range
        "oracle://scott:s3cretWRONG@127.0.0.1/orcl",  # unsupported scheme
        "mysql://root:s3cretWRONG@/mysql",  # no host
        "postgresql://postgres:s3cret@WRONG@127.0.0.1:1/postgres",  # an unencoded @ in the password
        "postgresql://postgres:s3cret/WRONG@127.0.0.1/postgres",  # an unencoded / ends the host part early
        "postgresql://postgres:s3cret#WRONG@127.0.0.1/postgres",
        "postgresql://postgres:s3cret?WRONG@127.0.0.1/postgres",
        "postgresql://postgres:12345/s3cretWRONG@127.0.0.1/postgres",  # a digit prefix that parses as a port
    ],
)
@pytest.mark.parametrize("command", [("verify", "--dsn"), ("bench", "run", "booking", "--dsn")])
def test_a_dsn_password_never_reaches_the_output(command, dsn):
    done = run_cli(*command, dsn)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "s3cret" not in done.stdout + done.stderr and "WRONG" not in done.stdout + done.stderr
    assert ":***@" in done.stderr or "cannot connect" in done.stderr, done.stderr


def test_dsns_come_from_the_environment_too():
    secret = "postgresql://postgres:s3cretWRONG@127.0.0.1:99999/postgres"
    for command, variable in [(("verify",), "MEDBOOK_VERIFY_DSN"), (("bench", "run", "booking"), "MEDBOOK_BENCH_DSN")]:
        done = run_cli(*command, env={variable: secret})
        assert (
            done.returncode == 2 and "invalid DSN 'postgresql://postgres:***@127.0.0.1:99999/postgres'" in done.stderr
        )


def test_the_record_lands_in_the_docs_project_yaml_declares(engine, tmp_path):
    shutil.copytree(LIBRARY_SPEC, tmp_path / "design" / "spec")
    project_yaml = tmp_path / "design" / "spec" / "project.yaml"
    project_yaml.write_text(project_yaml.read_text(encoding="utf-8") + "output: {docs: pages}\n", encoding="utf-8")
    done = run_cli(
        "verify", "--dsn", dsn(engine.dialect), "--scenario", "lend_and_return", "--record", cwd=tmp_path / "design"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"recorded pages/verification/{engine.dialect}.json" in done.stdout
    assert (tmp_path / "design" / "pages" / "verification" / f"{engine.dialect}.json").is_file()
    assert not (tmp_path / "design" / "docs").exists()
