"""The command line: parse options, call the library, map our errors to exit codes.

Exit codes for every command are :class:`medbook_design.errors.ExitCode`: 0 no errors, 1 errors
found in a valid spec (lint findings, failed verification), 2 the spec could not be loaded or the
command was misused. ``verify`` and ``bench`` stopped by SIGINT or SIGTERM exit 130 or 143
(128 + the signal's number, as a shell reports a process a signal ended) after cleaning up.

Each command imports the library parts it uses inside its function: ``lint`` in an editor or
a pre-commit hook should not pay for importing the generators, MkDocs or the database drivers.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from medbook_design import __version__, defaults
from medbook_design.errors import ExitCode, MedbookError, SpecError

spec_option = click.option(
    "--spec",
    "spec_dir",
    default=defaults.SPEC_DIR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory holding the spec YAML files.",
)


def reports_errors(func: Callable) -> Callable:
    """Print our own errors as located messages (no traceback) and exit 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SpecError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(exc.problems)} error(s); the spec could not be loaded.", err=True)
            sys.exit(ExitCode.UNUSABLE)
        except MedbookError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(ExitCode.UNUSABLE)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medbook-design")
def main() -> None:
    """Turn a YAML design spec into checked DDL, OpenAPI, an ERD and a design site.

    \b
    Exit codes: 0 no errors; 1 findings in a valid spec or failed verification;
    2 the spec could not be loaded or the command was misused; 130/143 verify or
    bench stopped by SIGINT/SIGTERM (after dropping its scratch database).
    """
    from medbook_design.collector import tune_for_a_command

    tune_for_a_command()


@main.command()
@spec_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="text for people; json; github workflow annotations; SARIF 2.1.0.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any warning).")
@click.option(
    "--coverage",
    is_flag=True,
    help="Also report the share of tables, columns, endpoints and policies described and of requirements traced.",
)
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    default=None,
    metavar="PCT",
    help="Exit 1 when any coverage category is below PCT percent (implies --coverage).",
)
@reports_errors
def lint(spec_dir: Path, fmt: str, strict: bool, coverage: bool, min_coverage: float | None) -> None:
    """Load, validate and cross-check the spec, then run the lint rules.

    \b
    Severities and suppressions come from the 'lint:' section of project.yaml.
    Exit 0: no errors (warnings allowed unless --strict); 1: error findings or
    coverage below --min-coverage; 2: the spec could not be loaded.

    \b
    Examples:
      medbook-design lint --spec spec --strict
      medbook-design lint --format sarif > lint.sarif
      medbook-design lint --coverage --min-coverage 80
    """
    from medbook_design.lint.command import run_lint

    outcome = run_lint(spec_dir, fmt=fmt, strict=strict, coverage=coverage, min_coverage=min_coverage)
    click.echo(outcome.output, nl=False)
    if outcome.stderr:
        click.echo(outcome.stderr, err=True)
    sys.exit(outcome.exit_code)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every lint rule: code, default severity, name and summary.

    \b
    Example:
      medbook-design rules --format json
    """
    from medbook_design.lint.command import list_rules

    click.echo(list_rules(fmt), nl=False)


@main.command()
@click.option(
    "--file",
    "file_name",
    default=None,
    help="Print the schema of one spec file (e.g. tables.yaml); default: all, keyed by file.",
)
@reports_errors
def schema(file_name: str | None) -> None:
    """Print the JSON Schema of the spec format (what editors use to check spec files).

    \b
    Example:
      medbook-design schema --file tables.yaml > spec/schema/tables.schema.json
    """
    from medbook_design.spec.json_schema import all_schemas, file_schema

    if file_name is None:
        click.echo(json.dumps(all_schemas(), indent=2, sort_keys=True))
    else:
        click.echo(json.dumps(file_schema(file_name), indent=2, sort_keys=True))


@main.command()
@spec_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="Serialisation of the document.",
)
@reports_errors
def openapi(spec_dir: Path, fmt: str) -> None:
    """Print the OpenAPI 3.1 document derived from the endpoints.

    Every example is checked against its schema first; a mismatch is reported at its
    file:line:col and nothing is printed.

    \b
    Example:
      medbook-design openapi --spec spec > openapi.yaml
    """
    from medbook_design.generate.openapi import openapi_document, openapi_json, openapi_yaml
    from medbook_design.spec.loader import load_spec

    document = openapi_document(load_spec(spec_dir))
    click.echo(openapi_yaml(document) if fmt == "yaml" else openapi_json(document), nl=False)


@main.command()
@spec_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["svg", "mermaid", "dot"]),
    default="svg",
    show_default=True,
    help="svg: rendered by Graphviz; mermaid: an erDiagram; dot: the Graphviz source.",
)
@reports_errors
def erd(spec_dir: Path, fmt: str) -> None:
    """Print the entity-relationship diagram of the tables.

    \b
    Example:
      medbook-design erd --format svg > erd.svg
      medbook-design erd --format mermaid
    """
    from medbook_design.generate.erd import erd_dot, erd_mermaid, erd_svg
    from medbook_design.spec.loader import load_spec

    loaded = load_spec(spec_dir)
    render = {"svg": erd_svg, "mermaid": erd_mermaid, "dot": erd_dot}[fmt]
    click.echo(render(loaded), nl=False)


@main.command()
@spec_option
@click.option(
    "--docs",
    "docs_dir",
    default=defaults.DOCS_DIR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the generated Markdown pages and artifacts go (MkDocs' docs_dir).",
)
@click.option(
    "--out",
    "site_dir",
    default=defaults.SITE_DIR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the built site goes.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Regenerate in memory and exit 1 listing generated files that are missing or stale; write nothing.",
)
@reports_errors
def build(spec_dir: Path, docs_dir: Path, site_dir: Path, check: bool) -> None:
    """Render the design document from the spec and build the offline site.

    Renders templates/ into Markdown pages under DOCS, writes the artifacts (migration and
    rollback per dialect, openapi.yaml, erd.svg, the single-file design.md) into
    DOCS/artifacts, then builds the MkDocs Material site in strict mode into OUT. Nothing
    is changed unless every step succeeds. Needs npm the first time, to fetch the pinned
    Mermaid and iframe-worker files into .cache/.

    \b
    Examples:
      medbook-design build
      medbook-design build --check
    """
    import time

    from medbook_design import build as pipeline

    started = time.perf_counter()
    try:
        _build(pipeline, spec_dir, docs_dir, site_dir, check, started)
    except pipeline.LintFailed as exc:  # a valid spec with findings: exit 1 like `lint`
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.FINDINGS)


def _build(pipeline, spec_dir: Path, docs_dir: Path, site_dir: Path, check: bool, started: float) -> None:
    import time

    if check:
        drift = pipeline.check(spec_dir, docs_dir)
        for item in drift:
            click.echo(f"{docs_dir / item.path}: {item.state} (run `medbook-design build` to regenerate)", err=True)
        if drift:
            click.echo(f"{len(drift)} generated file(s) out of date.", err=True)
            sys.exit(ExitCode.FINDINGS)
        click.echo(f"{docs_dir}: every generated file is up to date.")
        return
    changed = pipeline.build(spec_dir, docs_dir, site_dir)
    click.echo(
        f"built {site_dir}/ in {time.perf_counter() - started:.1f} s; "
        f"{len(changed)} generated file(s) changed under {docs_dir}/."
    )


@main.command()
@click.option("--dialect", required=True, type=click.Choice(["postgres", "mysql"]), help="Target SQL dialect.")
@click.option(
    "--with-existing",
    is_flag=True,
    help="Prepend CREATE TABLE for the existing tables (for scratch and development databases).",
)
@click.option("--down", is_flag=True, help="Print the rollback instead: drops the new tables, never existing ones.")
@spec_option
@reports_errors
def ddl(dialect: str, with_existing: bool, down: bool, spec_dir: Path) -> None:
    """Print the migration for the new tables, built with sqlglot for one dialect.

    \b
    Examples:
      medbook-design ddl --dialect postgres
      medbook-design ddl --dialect mysql --with-existing > scratch.sql
      medbook-design ddl --dialect mysql --down
    """
    from medbook_design.errors import UsageError
    from medbook_design.generate.ddl import migration
    from medbook_design.spec.loader import load_spec

    if down and with_existing:
        raise UsageError("--with-existing applies to the migration only; the rollback never drops existing tables")
    click.echo(migration(load_spec(spec_dir), dialect, down=down, with_existing=with_existing), nl=False)


@main.command()
@click.option(
    "--dsn",
    required=True,
    envvar="MEDBOOK_VERIFY_DSN",
    help="Server to verify on: postgresql://user@host:port/db or mysql://user@host:port/db.",
)
@click.option(
    "--threads",
    default=None,
    type=click.IntRange(2, 500),
    help="Concurrent connections in each race, if more than the scenario declares.",
)
@click.option(
    "--attempts",
    default=None,
    type=click.IntRange(1, 100_000),
    help="Attempts in each race, instead of the number the scenario declares.",
)
@click.option("--scenario", "only", multiple=True, help="Run only this scenario id (repeatable).")
@click.option(
    "--record", is_flag=True, help="Write the results to docs/verification/<dialect>.json for the design document."
)
@click.option("--seed", default=None, type=int, help="Seed of each race's random choices, instead of the declared one.")
@click.option(
    "--cleanup",
    is_flag=True,
    help="Only remove the scratch databases earlier runs left on the server (whose run has ended), then exit.",
)
@spec_option
@reports_errors
def verify(
    dsn: str,
    threads: int | None,
    attempts: int | None,
    only: tuple[str, ...],
    record: bool,
    seed: int | None,
    cleanup: bool,
    spec_dir: Path,
) -> None:
    """Prove the design on a real server: migration, every scenario, rollback.

    Checks that the DSN's user may create what the run needs, removes scratch databases
    older than an hour that killed runs left behind, creates a scratch database, applies
    the existing tables and the migration, checks the existing tables are unchanged, runs
    every scenario of scenarios.yaml, applies the rollback and drops the scratch database.
    Every wait on the server is bounded. Exit 0 when every invariant held, 1 when any
    scenario failed, 2 for a bad DSN, an unreachable server or a missing privilege;
    SIGINT or SIGTERM drop the scratch database, print what ran and exit 130 or 143.

    \b
    Examples:
      medbook-design verify --dsn postgresql://postgres@127.0.0.1:5432/postgres
      medbook-design verify --dsn mysql://root@127.0.0.1:3306/mysql --threads 48 --record
      medbook-design verify --dsn mysql://root@127.0.0.1:3306/mysql --cleanup
    """
    from medbook_design.verify.dsn import parse_dsn
    from medbook_design.verify.report import Progress
    from medbook_design.verify.session import Stopped
    from medbook_design.verify.stopping import exit_after_stop, stop_on_signals

    target = parse_dsn(dsn)
    progress = Progress(str(target))
    with stop_on_signals() as stop:
        try:
            if cleanup:
                _clean_up(target)
                return
            _verify(target, threads, attempts, only, record, seed, spec_dir, progress)
        except Stopped:
            for line in progress.stopped(stop.name):
                click.echo(line)
            for line in stop.cleanup:
                click.echo(line, err=True)
            exit_after_stop(stop)


def _verify(
    target,
    threads: int | None,
    attempts: int | None,
    only: tuple[str, ...],
    record: bool,
    seed: int | None,
    spec_dir: Path,
    progress,
) -> None:
    from medbook_design.errors import UsageError
    from medbook_design.spec.loader import load_spec
    from medbook_design.verify import report as show
    from medbook_design.verify.runner import verify as run_verification
    from medbook_design.verify.servers import engine_name
    from medbook_design.verify.session import DbError, Session
    from medbook_design.write import write_artifacts

    loaded = load_spec(spec_dir)
    progress.total = len(only) or len(loaded.spec.scenarios.scenarios)
    try:
        with Session(target) as admin:
            engine = progress.engine = engine_name(admin)
    except DbError as exc:
        raise UsageError(f"cannot connect to {target}: {exc.message}") from None

    def show_row(outcome) -> None:
        if not progress.outcomes:  # after the checks that may refuse the run
            click.echo(show.table_header())
        progress.outcomes.append(outcome)
        click.echo(show.table_row(engine, outcome))

    report = run_verification(
        target,
        loaded,
        threads=threads,
        attempts=attempts,
        seed=seed,
        only=list(only) or None,
        on_outcome=show_row,
    )
    for line in show.summary(report):
        click.echo(line)
    if record:
        root = spec_dir.resolve().parent
        for path in write_artifacts(root, [show.record_artifact(report)]):
            click.echo(f"recorded {path}")
    sys.exit(ExitCode.OK if report.passed else ExitCode.FINDINGS)


def _clean_up(target) -> None:
    """``verify --cleanup``: remove every scratch database of the tool whose run has ended."""
    from medbook_design.errors import UsageError
    from medbook_design.verify.leftovers import clean_up
    from medbook_design.verify.session import DbError

    try:
        swept = clean_up(target)
    except DbError as exc:
        raise UsageError(f"cannot connect to {target}: {exc.message}") from None
    for line in swept.lines():
        click.echo(line)
    click.echo(f"{len(swept.removed)} scratch database(s) removed, {len(swept.kept)} left on {target}.")


class _BenchGroup(click.Group):
    """``bench <benchmark>`` is short for ``bench run <benchmark>``: a name that is no command names a benchmark."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


@main.group(cls=_BenchGroup)
def bench() -> None:
    """Measure the tool's speed and the throughput of the workloads the spec declares.

    `bench <benchmark>` is short for `bench run <benchmark>`, for the benchmarks declared in
    scenarios.yaml. Benchmarks print figures and never fail on a slow machine; --record
    writes them to docs/benchmarks/*.json, which the site's benchmarks page shows.
    """


@bench.command("tool")
@spec_option
@click.option(
    "--sizes",
    default=",".join(defaults.BENCH_SIZES),
    show_default=True,
    help="Comma-separated: 'shipped' (the --spec directory) and numbers of synthetic tables.",
)
@click.option(
    "--runs",
    default=defaults.BENCH_RUNS,
    show_default=True,
    type=click.IntRange(1),
    help="Runs per figure; the median, minimum and maximum are reported.",
)
@click.option(
    "--timeout",
    default=defaults.BENCH_TIMEOUT_S,
    show_default=True,
    type=click.FloatRange(1),
    help="Seconds one run may take; slower runs are recorded as timed out, and skipped at larger sizes.",
)
@click.option(
    "--erd-timeout",
    default=defaults.BENCH_ERD_TIMEOUT_S,
    show_default=True,
    type=click.FloatRange(1),
    help="Seconds one run that draws the ERD (Graphviz) may take.",
)
@click.option(
    "--note",
    "notes",
    multiple=True,
    help="A remark recorded with the figures and shown on the benchmarks page (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON instead of tables.")
@click.option("--record", is_flag=True, help="Also write docs/benchmarks/tool.json next to the spec directory.")
@reports_errors
def bench_tool(
    spec_dir: Path,
    sizes: str,
    runs: int,
    timeout: float,
    erd_timeout: float,
    notes: tuple[str, ...],
    as_json: bool,
    record: bool,
) -> None:
    """Time load, validate, lint, every generator and the full build as specs grow.

    Each stage is timed in-process (a fresh interpreter per run, imports excluded) and
    the commands are timed as whole processes, for the shipped spec and for synthetic
    specs of N tables with four endpoints each.

    \b
    Examples:
      medbook-design bench tool --sizes shipped,100 --runs 3
      medbook-design bench tool --record
    """
    from medbook_design.bench.tool import ToolBenchmark, format_report, parse_sizes

    benchmark = ToolBenchmark(
        parse_sizes(sizes),
        runs,
        shipped_spec=spec_dir,
        timeout=timeout,
        erd_timeout=erd_timeout,
        notes=list(notes),
        progress=lambda line: click.echo(line, err=True),
    )
    data = benchmark.run()
    _show_benchmark(data, format_report, as_json, spec_dir if record else None, "tool.json")


@bench.command("run")
@click.argument("benchmark")
@spec_option
@click.option(
    "--dsn", required=True, help="Server to run on: postgresql://user@host:port/db or mysql://user@host:port/db."
)
@click.option("--clients", default=None, help="Comma-separated numbers of concurrent clients (default: the spec's).")
@click.option(
    "--seconds",
    default=None,
    type=click.FloatRange(0.1),
    help="How long each cell (strategy, mode, clients) runs (default: the spec's).",
)
@click.option(
    "--strategy",
    "strategies",
    multiple=True,
    help="Only this strategy (repeatable): 'spec' or a declared alternative; default: all.",
)
@click.option("--mode", "modes", multiple=True, help="Only this mode (repeatable); default: every declared mode.")
@click.option("--no-pgbench", is_flag=True, help="Skip the pgbench ceiling.")
@click.option(
    "--pgbench-dsn",
    default=None,
    help="PostgreSQL server for the pgbench ceiling when --dsn is MySQL/MariaDB (default: --dsn if it "
    "is PostgreSQL, else no ceiling).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON instead of a table.")
@click.option(
    "--record",
    is_flag=True,
    help="Also write docs/benchmarks/<benchmark>-<dialect>.json next to the spec directory.",
)
@reports_errors
def bench_run(
    benchmark: str,
    spec_dir: Path,
    dsn: str,
    clients: str | None,
    seconds: float | None,
    strategies: tuple[str, ...],
    modes: tuple[str, ...],
    no_pgbench: bool,
    pgbench_dsn: str | None,
    as_json: bool,
    record: bool,
) -> None:
    """Throughput, p50/p99 latency and invariants of a workload declared in scenarios.yaml.

    Runs the benchmark's modes at each client count on a real server, every client on its
    own connection, with the operations run as the service runs them (guards, diagnosis,
    retries); declared alternatives of one operation run next to the spec's own. The
    spec's invariants are checked after every cell. pgbench's simple-update at the same
    client counts is measured as the ceiling on the PostgreSQL server (--dsn or
    --pgbench-dsn). Every wait on the server is bounded; SIGINT or SIGTERM stop the
    clients, drop the scratch database and exit 130 or 143, recording nothing.

    \b
    Examples:
      medbook-design bench booking --dsn postgresql://postgres@127.0.0.1:5432/postgres
      medbook-design bench run booking --dsn mysql://root@127.0.0.1/mysql --pgbench-dsn postgresql://postgres@127.0.0.1/postgres
      medbook-design bench booking --dsn postgresql://postgres@127.0.0.1/postgres --clients 1,8 --seconds 2
    """
    from medbook_design.bench.workload import WorkloadBenchmark, format_report, parse_clients
    from medbook_design.spec.loader import load_spec
    from medbook_design.verify.dsn import parse_dsn
    from medbook_design.verify.session import Stopped
    from medbook_design.verify.stopping import exit_after_stop, stop_on_signals

    with stop_on_signals() as stop:
        runner = None
        try:
            runner = WorkloadBenchmark(
                parse_dsn(dsn),
                load_spec(spec_dir),
                benchmark,
                clients=parse_clients(clients) if clients is not None else None,
                seconds=seconds,
                strategies=list(strategies) or None,
                modes=list(modes) or None,
                pgbench=not no_pgbench,
                pgbench_server=parse_dsn(pgbench_dsn) if pgbench_dsn else None,
                progress=lambda line: click.echo(line, err=True),
            )
            data = runner.run()
            _show_benchmark(
                data,
                format_report,
                as_json,
                spec_dir if record else None,
                f"{data['benchmark']}-{data['dialect']}.json",
            )
        except Stopped:
            done = f"{runner.measured} of {runner.cells} cells measured" if runner else "nothing measured"
            click.echo(f"stopped by {stop.name}: {done}; nothing recorded", err=True)
            for line in stop.cleanup:
                click.echo(line, err=True)
            exit_after_stop(stop)


def _show_benchmark(
    data: dict[str, Any], report: Callable[[dict[str, Any]], str], as_json: bool, record_beside: Path | None, name: str
) -> None:
    """Print a benchmark's figures (a table, or JSON) and, asked to, record them next to the spec directory."""
    from medbook_design.bench.results import record

    click.echo(json.dumps(data, indent=2, sort_keys=True) if as_json else report(data), nl=not as_json)
    if record_beside is not None:
        path = record(record_beside.resolve().parent, name, data)
        click.echo(f"recorded {path}", err=True)
