"""Other tools timed beside ``medbook-design lint`` in ``bench tool``, on the artifacts it generated.

A peer checks one generated file: Squawk and sqlfluff the PostgreSQL migration, Redocly and
Spectral the OpenAPI document. They are optional: each is looked up on PATH (after any
directories given with ``--peer-path``), and one that is not installed is recorded as such.
They run as whole processes with the same timeout as the tool's own commands, so their
medians and ours come from the same run on the same machine; the ratio is the peer's median
divided by ``medbook-design lint``'s at the same size.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medbook_design.errors import UsageError

# The files peers read, written once per size from the spec being measured.
DDL = "migration-postgres.sql"
OPENAPI = "openapi.yaml"

RATIO_TEXT = "peer median / medbook-design lint median, both whole processes at the same size in the same run"
VERSION_TIMEOUT_S = 60.0
_VERSION = re.compile(r"\d+(?:\.\d+)+[\w.+-]*")


@dataclass(frozen=True)
class Peer:
    id: str
    name: str
    executable: str
    input: str  # DDL or OPENAPI
    checks: str  # what it checks, as the page's table says it
    compared: str  # the sentence recorded in the notes
    args: tuple[str, ...]  # after the executable; {input} and {config} are filled in
    config: tuple[str, str] | None = None  # (file name, content) written beside the input
    ok_codes: tuple[int, ...] = (0, 1)  # 1: the peer reported findings, which is still a finished check
    env: dict[str, str] = field(default_factory=dict)


PEERS: tuple[Peer, ...] = (
    Peer(
        "squawk",
        "Squawk",
        "squawk",
        DDL,
        "PostgreSQL migration (DDL) only: migration-safety rules",
        "Squawk lints the generated PostgreSQL migration alone; medbook-design lint loads, validates and "
        "lints the whole spec (tables, endpoints, operations, scenarios) and parses every SQL statement in it.",
        ("{input}",),
    ),
    Peer(
        "redocly",
        "Redocly CLI",
        "redocly",
        OPENAPI,
        "OpenAPI document only: its recommended rules",
        "Redocly lints the generated OpenAPI document alone with its recommended rules against "
        "medbook-design lint of the whole spec.",
        ("lint", "{input}"),
        env={"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    ),
    Peer(
        "spectral",
        "Spectral",
        "spectral",
        OPENAPI,
        "OpenAPI document only: the spectral:oas ruleset",
        "Spectral lints the generated OpenAPI document alone with a ruleset extending spectral:oas against "
        "medbook-design lint of the whole spec.",
        ("lint", "{input}", "--ruleset", "{config}"),
        config=(".spectral.yaml", 'extends: ["spectral:oas"]\n'),
    ),
    Peer(
        "sqlfluff",
        "sqlfluff",
        "sqlfluff",
        DDL,
        "PostgreSQL migration (DDL) only: parse and style rules, dialect postgres",
        "sqlfluff parses and lints the generated PostgreSQL migration alone (dialect postgres, its large-file "
        "limit off) against medbook-design lint of the whole spec.",
        ("lint", "{input}", "--dialect", "postgres", "--config", "{config}", "--disable-progress-bar"),
        config=(".sqlfluff", "[sqlfluff]\ndialect = postgres\nlarge_file_skip_byte_limit = 0\n"),
    ),
)
PEER_IDS = tuple(p.id for p in PEERS)  # defaults.BENCH_PEERS names the same, for the CLI


def parse_peers(text: str) -> list[Peer]:
    """``--peers``: comma-separated ids, in the order given."""
    by_id = {p.id: p for p in PEERS}
    chosen: list[Peer] = []
    for part in (p.strip() for p in text.split(",")):
        if part not in by_id:
            raise UsageError(f"--peers: {part!r} is not a peer (expected some of {', '.join(PEER_IDS)})")
        if by_id[part] in chosen:
            raise UsageError(f"--peers: {part!r} is listed twice")
        chosen.append(by_id[part])
    return chosen


def locate(peer: Peer, search: Sequence[Path] = ()) -> Path | None:
    """The peer's executable: in ``search`` first, then on PATH; None when it is not installed."""
    path = os.pathsep.join([*(str(p) for p in search), os.environ.get("PATH", "")])
    found = shutil.which(peer.executable, path=path)
    return Path(found) if found else None


def version(executable: Path, env: dict[str, str]) -> str:
    """What ``<peer> --version`` prints (its first line), or why it could not tell."""
    try:
        out = subprocess.run(
            [str(executable), "--version"],
            capture_output=True,
            text=True,
            timeout=VERSION_TIMEOUT_S,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({type(exc).__name__})"
    lines = [line.strip() for line in (out.stdout + "\n" + out.stderr).splitlines() if line.strip()]
    if out.returncode != 0 or not lines:
        return f"unknown (--version exited {out.returncode})"
    # "squawk 2.70.0", "sqlfluff, version 4.5.0" and "6.16.3" all name a version number
    number = _VERSION.search(lines[0])
    return number.group(0) if number else lines[0]


def peer_env(peer: Peer) -> dict[str, str]:
    env = dict(os.environ)
    env.update(peer.env)
    env.setdefault("NO_UPDATE_NOTIFIER", "1")  # npm-installed tools check for updates otherwise
    return env


def write_inputs(loaded: Any, folder: Path) -> None:
    """The files peers read, as ``ddl --dialect postgres`` and ``openapi`` would print them."""
    from medbook_design.generate.ddl import migration
    from medbook_design.generate.openapi import openapi_document, openapi_yaml

    folder.mkdir(parents=True, exist_ok=True)
    (folder / DDL).write_text(migration(loaded, "postgres"), encoding="utf-8")
    (folder / OPENAPI).write_text(openapi_yaml(openapi_document(loaded)), encoding="utf-8")


@dataclass(frozen=True)
class Outcome:
    seconds: float
    timed_out: bool
    returncode: int | None
    stderr: str


def run_peer(peer: Peer, executable: Path, inputs: Path, workdir: Path, timeout: float) -> Outcome:
    """One timed run of ``peer`` on its input in ``inputs``, from ``workdir`` (where its config is).

    The peer runs in its own process group so a timeout stops whatever it started too (Node
    tools may spawn workers); its output is discarded, the tail of stderr kept for errors.
    """
    config = ""
    if peer.config is not None:
        name, content = peer.config
        (workdir / name).write_text(content, encoding="utf-8")
        config = str(workdir / name)
    argv = [str(executable), *(a.format(input=inputs / peer.input, config=config) for a in peer.args)]
    began = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=workdir,
        env=peer_env(peer),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        return Outcome(time.perf_counter() - began, True, None, "")
    except BaseException:  # an interrupt must not leave the peer running
        _stop(proc)
        raise
    return Outcome(time.perf_counter() - began, False, proc.returncode, err or "")


def _stop(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
