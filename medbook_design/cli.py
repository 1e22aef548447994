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
    help="Directory holding the spec YAML files, relative to the working directory. Its parent is the project.",
)

no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the cache of loaded specs in .medbook-cache/ beside the spec directory "
    "(also: MEDBOOK_NO_CACHE=1).",
)


def load(spec_dir: Path, no_cache: bool):
    """The loaded design of ``spec_dir``, from the project's cache unless ``no_cache``."""
    from medbook_design.spec.cache import Cache, load_design

    return load_design(spec_dir, Cache.beside(spec_dir, enabled=not no_cache))


def sql_trees(spec_dir: Path, no_cache: bool):
    """Around a command that parses the spec's SQL: reuse the trees the project's cache holds."""
    from medbook_design.spec.cache import Cache
    from medbook_design.sql.tree_cache import reused_sql_trees

    return reused_sql_trees(Cache.beside(spec_dir, enabled=not no_cache))


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
@click.argument("directory", default=".", type=click.Path(path_type=Path))
@click.option(
    "--example",
    default=None,
    metavar="NAME",
    help="Copy a worked example instead of the starter: booking, the appointment booking design this project ships.",
)
@click.option(
    "--force", is_flag=True, help="Write into a directory that is not empty, replacing the spec files it writes."
)
@reports_errors
def init(directory: Path, example: str | None, force: bool) -> None:
    """Start a design in DIRECTORY (default: the current one): a small starter spec in DIRECTORY/spec.

    \b
    The starter (a team task board: two tables, two endpoints, a policy, operations, a
    decision, scenarios and traced requirements) lints clean under --strict, builds and
    verifies; edit it into your own design. Each file's first line points editors at the
    JSON Schema written next to it in spec/schema/. Refuses a directory that is not empty
    (exit 2) unless --force.

    \b
    Examples:
      medbook-design init my-design
      medbook-design init --example booking booking-design
    """
    from medbook_design.scaffold import scaffold

    made = scaffold(directory, example=example, force=force)
    what = f"the {example} example" if example else "the starter design"
    in_spec = [f for f in made.files if Path(f).parts[0] == made.spec_dir.name]
    click.echo(f"wrote {what} to {made.spec_dir}/ ({len(in_spec)} files)")
    for other in sorted(set(made.files) - set(in_spec)):
        click.echo(f"wrote {directory / other}")
    click.echo("next:")
    if directory != Path("."):
        click.echo(f"  cd {directory}")
    for command, purpose in (
        ("medbook-design lint --strict", "check the design"),
        ("medbook-design build", "write docs/ and the site in site/"),
        ("medbook-design verify --dsn postgresql://USER@HOST:5432/DB", "prove it on a real server"),
    ):
        click.echo(f"  {command:<62} # {purpose}")


@main.command()
@spec_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif", "junit", "gitlab"]),
    default="text",
    show_default=True,
    help="text for people; json; github workflow annotations; SARIF 2.1.0; JUnit XML; "
    "GitLab Code Quality (Code Climate JSON).",
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
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Report only findings this baseline file does not record; they alone decide the exit code. "
    "Recorded findings that no longer occur are listed as stale.",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="Record today's findings in the --baseline FILE (replacing what it held), then report against it.",
)
@no_cache_option
@reports_errors
def lint(spec_dir: Path, no_cache: bool, **options: Any) -> None:
    """Load, validate and cross-check the spec, then run the lint rules.

    \b
    Severities and suppressions come from the 'lint:' section of project.yaml.
    Exit 0: no errors (warnings allowed unless --strict); 1: error findings or
    coverage below --min-coverage; 2: the spec could not be loaded, or the
    --baseline file is not a lint baseline.

    The outcome, the loaded spec and its parsed SQL are kept in .medbook-cache/
    beside the spec directory (it ignores itself in git): linting an unchanged
    spec again prints the same output without loading it. --no-cache (or
    MEDBOOK_NO_CACHE=1) neither reads nor writes the cache.

    \b
    Examples:
      medbook-design lint --spec spec --strict
      medbook-design lint --format sarif > lint.sarif
      medbook-design lint --coverage --min-coverage 80
      medbook-design lint --baseline lint-baseline.json --update-baseline
      medbook-design lint --baseline lint-baseline.json --format gitlab > gl-code-quality.json
    """
    from medbook_design.lint.command import LintOptions, run_lint

    outcome = run_lint(spec_dir, LintOptions(**options, cache=not no_cache))
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
@click.option(
    "--reference",
    is_flag=True,
    help="Print the spec reference for people instead: every file and key in Markdown.",
)
@reports_errors
def schema(file_name: str | None, reference: bool) -> None:
    """Print the JSON Schema of the spec format (what editors use to check spec files).

    \b
    Examples:
      medbook-design schema --file tables.yaml > spec/schema/tables.schema.json
      medbook-design schema --reference > guide/spec-reference.md
    """
    from medbook_design.spec.json_schema import all_schemas, schema_text

    if reference:
        from medbook_design.errors import UsageError
        from medbook_design.spec.reference import spec_reference

        if file_name is not None:
            raise UsageError("--reference documents every file (expected no --file with it)")
        click.echo(spec_reference(), nl=False)
    elif file_name is None:
        import json

        click.echo(json.dumps(all_schemas(), indent=2, sort_keys=True))
    else:
        click.echo(schema_text(file_name), nl=False)


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
@no_cache_option
@reports_errors
def openapi(spec_dir: Path, fmt: str, no_cache: bool) -> None:
    """Print the OpenAPI 3.1 document derived from the endpoints.

    Every example is checked against its schema first; a mismatch is reported at its
    file:line:col and nothing is printed.

    \b
    Example:
      medbook-design openapi --spec spec > openapi.yaml
    """
    from medbook_design.generate.openapi import openapi_document, openapi_json, openapi_yaml

    with sql_trees(spec_dir, no_cache):
        document = openapi_document(load(spec_dir, no_cache))
    click.echo(openapi_yaml(document) if fmt == "yaml" else openapi_json(document), nl=False)


@main.command()
@spec_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["svg", "mermaid", "dot", "er"]),
    default="svg",
    show_default=True,
    help="svg: rendered by Graphviz; mermaid: an erDiagram (spec only); dot: the Graphviz source; "
    "er: eralchemy's markup (--from-dsn only).",
)
@click.option(
    "--from-dsn",
    "dsn",
    default=None,
    help="Draw the tables a live database holds instead of the spec's: postgresql://user@host:port/db "
    "or mysql://user@host:port/db.",
)
@click.option(
    "--schema",
    default=None,
    help="With --from-dsn: the schema to draw (PostgreSQL), or another database on the server (MySQL); "
    "default: the DSN's own.",
)
@click.option(
    "--area",
    default=None,
    help="svg or dot of a schema drawn in areas: 'overview' (the areas and the keys between them), an "
    "area's id, or 'all' (every table in one graph, which Graphviz may take minutes to lay out); "
    "'list' prints the areas' ids.  [default: overview when the schema is drawn in areas, else all]",
)
@no_cache_option
@reports_errors
def erd(spec_dir: Path, fmt: str, dsn: str | None, schema: str | None, area: str | None, no_cache: bool) -> None:
    """Print the entity-relationship diagram of the spec's tables, or of a live database's.

    A schema with declared areas, or too many tables for one readable diagram, is drawn as
    the site draws it: an overview of areas plus one diagram per area (--area).

    With --from-dsn the server's catalog is read through SQLAlchemy and drawn by eralchemy:
    tables in name order, columns in table order, catalog types. An unreachable server
    exits 2, as verify does.

    \b
    Examples:
      medbook-design erd --format svg > erd.svg
      medbook-design erd --format mermaid
      medbook-design erd --area list
      medbook-design erd --area overview --format dot
      medbook-design erd --from-dsn postgresql://postgres@127.0.0.1:5432/app --format dot
    """
    from medbook_design.errors import UsageError

    if dsn is not None:
        from medbook_design.verify.database_erd import database_erd
        from medbook_design.verify.dsn import parse_dsn

        if click.get_current_context().get_parameter_source("spec_dir") is click.core.ParameterSource.COMMANDLINE:
            raise UsageError("--spec and --from-dsn exclude each other: --from-dsn draws the database, not a spec")
        if fmt == "mermaid":
            raise UsageError("--format mermaid draws the spec; a database is drawn as svg, dot or er")
        click.echo(database_erd(parse_dsn(dsn), fmt, schema), nl=False)
        return
    if schema is not None:
        raise UsageError("--schema applies to --from-dsn only")
    if fmt == "er":
        raise UsageError("--format er applies to --from-dsn only; the spec is drawn as svg, mermaid or dot")
    if area is not None and fmt == "mermaid":
        raise UsageError("--area applies to --format svg and dot; mermaid always draws every table")

    from medbook_design.generate.erd import area_diagram, erd_mermaid

    loaded = load(spec_dir, no_cache)
    if fmt == "mermaid":
        click.echo(erd_mermaid(loaded), nl=False)
        return
    click.echo(area_diagram(loaded, area, svg=fmt == "svg"), nl=False)


@main.command()
@spec_option
@click.option(
    "--docs",
    "docs_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the generated Markdown pages and artifacts go (MkDocs' docs_dir); relative to the project "
    "(the parent of --spec), not the working directory.  [default: output.docs of project.yaml, else docs]",
)
@click.option(
    "--out",
    "site_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the built site goes; relative to the project (the parent of --spec), not the working directory."
    "  [default: output.site of project.yaml, else site]",
)
@click.option(
    "--check",
    is_flag=True,
    help="Regenerate in memory and exit 1 listing generated files that are missing or stale; write nothing.",
)
@no_cache_option
@reports_errors
def build(spec_dir: Path, docs_dir: Path | None, site_dir: Path | None, check: bool, no_cache: bool) -> None:
    """Render the design document from the spec and build the offline site.

    Renders the page templates into Markdown pages under DOCS, writes the artifacts
    (migration and rollback per dialect, openapi.yaml, erd.svg, the single-file design.md)
    into DOCS/artifacts, then builds the MkDocs Material site in strict mode into OUT, with
    the Mermaid and iframe-worker files the package ships: no network, no npm. Nothing is
    changed unless every step succeeds. DOCS and OUT default to docs/ and site/ beside the
    spec directory, from whatever directory the command runs.

    \b
    Examples:
      medbook-design build
      medbook-design build --check
      medbook-design build --spec ~/designs/orders/spec   # ~/designs/orders/{docs,site}
    """
    import time

    from medbook_design import build as pipeline

    started = time.perf_counter()
    try:
        with sql_trees(spec_dir, no_cache):
            _build(pipeline, spec_dir, docs_dir, site_dir, check, started, functools.partial(load, no_cache=no_cache))
    except pipeline.LintFailed as exc:  # a valid spec with findings: exit 1 like `lint`
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.FINDINGS)


def _build(
    pipeline, spec_dir: Path, docs_dir: Path | None, site_dir: Path | None, check: bool, started: float, loader
) -> None:
    import time

    from medbook_design.spec.output_dirs import output_paths

    docs_dir, site_dir = output_paths(spec_dir, docs_dir, site_dir)
    if check:
        drift = pipeline.check(spec_dir, docs_dir, load=loader)
        for item in drift:
            click.echo(
                f"{_shown(docs_dir / item.path)}: {item.state} (run `medbook-design build` to regenerate)", err=True
            )
        if drift:
            click.echo(f"{len(drift)} generated file(s) out of date.", err=True)
            sys.exit(ExitCode.FINDINGS)
        click.echo(f"{_shown(docs_dir)}: every generated file is up to date.")
        return
    changed = pipeline.build(spec_dir, docs_dir, site_dir, load=loader)
    click.echo(
        f"built {_shown(site_dir)}/ in {time.perf_counter() - started:.1f} s; "
        f"{len(changed)} generated file(s) changed under {_shown(docs_dir)}/."
    )


def _shown(path: Path) -> Path:
    """A path as a message shows it: relative to the working directory when inside it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


@main.command()
@click.option("--dialect", required=True, type=click.Choice(["postgres", "mysql"]), help="Target SQL dialect.")
@click.option(
    "--with-existing",
    is_flag=True,
    help="Prepend CREATE TABLE for the existing tables (for scratch and development databases).",
)
@click.option("--down", is_flag=True, help="Print the rollback instead: drops the new tables, never existing ones.")
@spec_option
@no_cache_option
@reports_errors
def ddl(dialect: str, with_existing: bool, down: bool, spec_dir: Path, no_cache: bool) -> None:
    """Print the migration for the new tables, built with sqlglot for one dialect.

    \b
    Examples:
      medbook-design ddl --dialect postgres
      medbook-design ddl --dialect mysql --with-existing > scratch.sql
      medbook-design ddl --dialect mysql --down
    """
    from medbook_design.errors import UsageError
    from medbook_design.generate.ddl import migration

    if down and with_existing:
        raise UsageError("--with-existing applies to the migration only; the rollback never drops existing tables")
    with sql_trees(spec_dir, no_cache):
        text = migration(load(spec_dir, no_cache), dialect, down=down, with_existing=with_existing)
    click.echo(text, nl=False)


@main.command()
@click.option(
    "--dsn",
    required=True,
    envvar="MEDBOOK_VERIFY_DSN",
    show_envvar=True,
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
    "--record",
    is_flag=True,
    help="Write the results to DOCS/verification/<dialect>.json; DOCS is docs/ in the project (the parent of "
    "--spec), or the output.docs of project.yaml.",
)
@click.option("--seed", default=None, type=int, help="Seed of each race's random choices, instead of the declared one.")
@click.option(
    "--cleanup",
    is_flag=True,
    help="Only remove the scratch databases earlier runs left on the server (whose run has ended), then exit.",
)
@spec_option
@no_cache_option
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
    no_cache: bool,
) -> None:
    """Prove the design on a real server: migration, every scenario, rollback.

    Checks that the DSN's user may create what the run needs, removes scratch databases
    older than an hour that killed runs left behind, creates a scratch database, applies
    the existing tables and the migration, checks the existing tables are unchanged and the
    engine holds exactly the spec's tables, columns, keys and foreign keys (each difference
    is reported at its declaration as DRIFT), runs every scenario of scenarios.yaml,
    applies the rollback and drops the scratch database. Every wait on the server is
    bounded. Exit 0 when every invariant held and nothing drifted, 1 when any scenario
    failed or the schema drifted, 2 for a bad DSN, an unreachable server or a missing
    privilege; SIGINT or SIGTERM drop the scratch database, print what ran and exit 130
    or 143.

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
            _verify(target, threads, attempts, only, record, seed, spec_dir, progress, no_cache)
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
    no_cache: bool,
) -> None:
    from medbook_design.errors import UsageError
    from medbook_design.verify import report as show
    from medbook_design.verify.runner import verify as run_verification
    from medbook_design.verify.servers import engine_name
    from medbook_design.verify.session import DbError, Session
    from medbook_design.write import write_artifacts

    loaded = load(spec_dir, no_cache)
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
        from medbook_design.spec.output_dirs import output_paths

        docs_dir, _ = output_paths(spec_dir)
        artifact = show.record_artifact(report)
        write_artifacts(docs_dir, [artifact])
        click.echo(f"recorded {_shown(docs_dir / artifact.path)}")
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
    "--peers",
    "peer_ids",
    default=",".join(defaults.BENCH_PEERS),
    show_default=True,
    help="Comma-separated peer tools to time beside `lint` on the generated files: squawk and sqlfluff on the "
    "PostgreSQL migration, redocly and spectral on the OpenAPI document. One that is not installed is "
    "recorded as not installed.",
)
@click.option("--no-peers", is_flag=True, help="Time no peer tool.")
@click.option(
    "--peer-path",
    "peer_path",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A directory searched for peer executables before PATH (repeatable), e.g. node_modules/.bin.",
)
@click.option(
    "--note",
    "notes",
    multiple=True,
    help="A remark recorded with the figures and shown on the benchmarks page (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON instead of tables.")
@click.option(
    "--record",
    is_flag=True,
    help="Also write DOCS/benchmarks/tool.json; DOCS is docs/ in the project (the parent of --spec), or the "
    "output.docs of project.yaml.",
)
@reports_errors
def bench_tool(
    spec_dir: Path,
    sizes: str,
    runs: int,
    timeout: float,
    erd_timeout: float,
    peer_ids: str,
    no_peers: bool,
    peer_path: tuple[Path, ...],
    notes: tuple[str, ...],
    as_json: bool,
    record: bool,
) -> None:
    """Time load, validate, lint, every generator and the full build as specs grow.

    Each stage is timed in-process (a fresh interpreter per run, imports excluded) and
    the commands are timed as whole processes, for the shipped spec and for synthetic
    specs of N tables with four endpoints each.

    Peer tools found on PATH (Squawk, Redocly, Spectral, sqlfluff) are timed in the same
    runs on the PostgreSQL migration and OpenAPI document generated at each size, with
    the same timeout; each is reported with the ratio of its median to `lint`'s.

    \b
    Examples:
      medbook-design bench tool --sizes shipped,100 --runs 3
      medbook-design bench tool --peers squawk,redocly --peer-path node_modules/.bin
      medbook-design bench tool --no-peers --record
    """
    from medbook_design.bench.peers import parse_peers
    from medbook_design.bench.tool import ToolBenchmark, format_report, parse_sizes

    benchmark = ToolBenchmark(
        parse_sizes(sizes),
        runs,
        shipped_spec=spec_dir,
        timeout=timeout,
        erd_timeout=erd_timeout,
        notes=list(notes),
        peers=[] if no_peers else parse_peers(peer_ids),
        peer_path=peer_path,
        progress=lambda line: click.echo(line, err=True),
    )
    data = benchmark.run()
    _show_benchmark(data, format_report, as_json, spec_dir if record else None, "tool.json")


@bench.command("run")
@click.argument("benchmark")
@spec_option
@click.option(
    "--dsn",
    required=True,
    envvar="MEDBOOK_BENCH_DSN",
    show_envvar=True,
    help="Server to run on: postgresql://user@host:port/db or mysql://user@host:port/db.",
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
    envvar="MEDBOOK_PGBENCH_DSN",
    show_envvar=True,
    help="PostgreSQL server for the pgbench ceiling when --dsn is MySQL/MariaDB (default: --dsn if it "
    "is PostgreSQL, else no ceiling).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON instead of a table.")
@click.option(
    "--record",
    is_flag=True,
    help="Also write DOCS/benchmarks/<benchmark>-<dialect>.json; DOCS is docs/ in the project (the parent "
    "of --spec), or the output.docs of project.yaml.",
)
@no_cache_option
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
    no_cache: bool,
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
    from medbook_design.verify.dsn import parse_dsn
    from medbook_design.verify.session import Stopped
    from medbook_design.verify.stopping import exit_after_stop, stop_on_signals

    with stop_on_signals() as stop:
        runner = None
        try:
            runner = WorkloadBenchmark(
                parse_dsn(dsn),
                load(spec_dir, no_cache),
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
    """Print a benchmark's figures (a table, or JSON) and, asked to, record them in the spec's project."""
    import json

    from medbook_design.bench.results import record
    from medbook_design.spec.output_dirs import output_paths

    click.echo(json.dumps(data, indent=2, sort_keys=True) if as_json else report(data), nl=not as_json)
    if record_beside is not None:
        path = record(output_paths(record_beside)[0], name, data)
        click.echo(f"recorded {_shown(path)}", err=True)
