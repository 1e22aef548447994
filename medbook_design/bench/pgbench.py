"""The ceiling a workload is compared with: pgbench's built-in simple-update script.

Measured on a PostgreSQL server at the workload's client counts, each in a scratch
database of its own, as what this machine and server reach for a small write
transaction. The figures are pgbench's own: transactions per second without connection
time, and the latency of every transaction from its per-transaction log.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medbook_design.bench.results import percentile
from medbook_design.errors import UsageError
from medbook_design.verify.dsn import Target
from medbook_design.verify.limits import DEFAULT, pgbench_environment
from medbook_design.verify.scratch import BENCH_PREFIX
from medbook_design.verify.servers import engine_name, scratch_database
from medbook_design.verify.session import Session

SCRATCH_PREFIX = BENCH_PREFIX


def measure(
    server: Target, clients: list[int], seconds: float, progress: Callable[[str], None] = lambda line: None
) -> dict[str, Any]:
    """pgbench simple-update at each client count: {script, scale, engine, runs} or {skipped}."""
    exe = pgbench_executable()
    if exe is None:
        return {"skipped": "pgbench not found (Debian: postgresql-client / postgresql-contrib)"}
    results = []
    for count in clients:
        progress(f"[bench] pgbench simple-update, {count} client(s), {seconds:g} s")
        results.append(_cell(exe, server, count, seconds))
    with Session(server) as admin:
        engine = engine_name(admin)
    return {"script": "simple-update", "scale": 1, "engine": engine, "runs": results}


def _cell(exe: str, server: Target, clients: int, seconds: float) -> dict[str, Any]:
    with (
        scratch_database(server, prefix=SCRATCH_PREFIX) as target,
        tempfile.TemporaryDirectory(prefix="medbook-pgbench-") as logs,
    ):
        base = [exe, "-h", target.host, "-p", str(target.port), "-U", target.user]
        # pgbench's sessions get the same bounds as the tool's own
        env = pgbench_environment(DEFAULT) | ({"PGPASSWORD": target.password} if target.password else {})
        _run([*base, "-i", "-q", "-s", "1", target.database], env)
        prefix = str(Path(logs) / "txn")
        out = _run(
            [
                *base,
                "-b",
                "simple-update",
                "-c",
                str(clients),
                "-j",
                str(clients),
                "-T",
                str(max(1, round(seconds))),
                "-l",
                "--log-prefix",
                prefix,
                target.database,
            ],
            env,
        )
        latencies = []
        for log in Path(logs).glob("txn*"):
            for line in log.read_text().splitlines():
                parts = line.split()
                if len(parts) >= 3:
                    latencies.append(int(parts[2]) / 1e6)  # microseconds per transaction
    return {
        "clients": clients,
        "tps": tps(out),
        "transactions": len(latencies),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 2) if latencies else None,
    }


def pgbench_executable() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True)
    return str(candidates[0]) if candidates else None


def _run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env}, timeout=3600)
    if done.returncode != 0:
        raise UsageError(f"`{' '.join(cmd[:1] + cmd[-8:])}` failed ({done.returncode}): {done.stderr.strip()[-1000:]}")
    return done.stdout + done.stderr


def tps(output: str) -> float | None:
    for line in output.splitlines():
        # "tps = 1234.5 (without initial connection time)"
        if line.startswith("tps = ") and "without initial connection time" in line:
            return round(float(line.split()[2]), 1)
    return None
