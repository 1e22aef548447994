"""The ``lint`` and ``rules`` commands as library calls: options in, (text, exit code) out.

The CLI only parses options and prints; everything it decides (which findings, which exit
code) lives here so tests can call it without a subprocess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from medbook_design.errors import ExitCode, SpecError, UsageError
from medbook_design.spec.cache import Cache, SpecSnapshot

if TYPE_CHECKING:
    from medbook_design.lint.engine import Finding

#: formats whose output is a single document for a tool to parse
DOCUMENT_FORMATS = ("sarif", "junit", "gitlab")


@dataclass(frozen=True)
class Outcome:
    output: str
    exit_code: ExitCode
    stderr: str = ""


def subject_of(spec_dir: Path, loaded=None) -> str:
    if loaded is None:
        return str(spec_dir)
    spec = loaded.spec
    return (
        f"{spec_dir}: {len(spec.tables.tables)} tables, {len(spec.endpoints.endpoints)} endpoints, "
        f"{len(spec.requirements.requirements)} requirements"
    )


@dataclass(frozen=True)
class LintOptions:
    """What the ``lint`` command was asked for, besides the spec directory."""

    fmt: str = "text"  # one of reporters.FORMATS
    strict: bool = False  # warnings count as errors
    coverage: bool = False  # also measure how much of the design is described and traced
    min_coverage: float | None = None  # exit 1 when a coverage category is below this percentage
    baseline: Path | None = None  # report only findings this baseline file does not record
    update_baseline: bool = False  # first record today's findings in ``baseline``
    cache: bool = True  # read and fill the project's cache

    @property
    def stored(self) -> bool:
        """Whether the outcome is read from and written to the cache.

        A run with a baseline is not: it reads and writes a file of its own.
        """
        return self.cache and self.baseline is None and not self.update_baseline

    def slot(self, spec_dir: Path) -> tuple[str, ...]:
        """Where the outcome of these options is stored: everything that shapes the output."""
        return (
            "lint",
            str(Path.cwd()),
            str(spec_dir),
            self.fmt,
            str(self.strict),
            str(self.coverage),
            str(self.min_coverage),
        )


def run_lint(spec_dir: Path, options: LintOptions = LintOptions()) -> Outcome:
    """Load ``spec_dir``, lint it and render the result in ``options.fmt``.

    The names below are fields of ``options``. Exit code 0: no errors (warnings allowed
    unless ``strict``) and coverage at or above ``min_coverage``; 1: error findings or
    coverage too low; 2: the spec could not be loaded. A text run that cannot load raises
    :class:`SpecError` for the CLI's usual message.

    With ``baseline`` only findings the baseline file does not record are reported and
    decide the exit code; ``update_baseline`` first records today's findings in it. A
    baseline file that is not ours raises :class:`UsageError` naming it.

    With ``cache`` the outcome, the loaded design and the parsed SQL are kept in the
    project's cache (:mod:`medbook_design.spec.cache`): linting an unchanged spec again
    with the same options prints the stored outcome without loading anything.
    """
    store = Cache.beside(spec_dir, enabled=options.cache)
    snapshot = SpecSnapshot.of(Path(spec_dir)) if store.enabled else None
    key = snapshot.key if snapshot is not None and options.stored else None
    slot = options.slot(spec_dir)
    if key is not None:
        stored = store.read(slot, key)
        if isinstance(stored, tuple) and len(stored) == 3:
            output, code, stderr = stored
            return Outcome(output, ExitCode(code), stderr)

    from medbook_design.sql.tree_cache import reused_sql_trees

    with reused_sql_trees(store):
        outcome = _lint(spec_dir, store, snapshot, options)
    # a spec that fails to load is loaded afresh; one edited during the run is not stored
    if key is not None and snapshot is not None and outcome.exit_code != ExitCode.UNUSABLE and snapshot.unchanged():
        store.write(slot, key, (outcome.output, int(outcome.exit_code), outcome.stderr))
    return outcome


def _lint(spec_dir: Path, store: Cache, snapshot: SpecSnapshot | None, options: LintOptions) -> Outcome:
    from medbook_design.lint.reporters import BaselineUse, Report, load_failure_findings, renderer
    from medbook_design.spec.cache import load_design

    render = renderer(options.fmt)
    baseline = options.baseline
    if options.update_baseline and baseline is None:
        raise UsageError("--update-baseline needs --baseline FILE: the file to record the findings in")
    # read first: a baseline that is not ours is a usage error whatever the spec holds, and a
    # file that is not ours is never overwritten by --update-baseline either
    existing = baseline is not None and (not options.update_baseline or baseline.exists())
    recorded = None
    if baseline is not None and existing:
        from medbook_design.lint import baseline as baselines

        recorded = baselines.read(baseline)
    try:
        loaded = load_design(spec_dir, store, snapshot)
    except SpecError as exc:
        if options.fmt == "text":
            raise
        report = Report(load_failure_findings(exc.problems), subject_of(spec_dir), loaded=False)
        return Outcome(render(report), ExitCode.UNUSABLE)

    from medbook_design.lint.engine import lint

    result = lint(loaded, strict=options.strict)
    findings, use = result.findings, None
    if baseline is not None:
        from medbook_design.lint import baseline as baselines

        # entries name spec files as the spec directory does, wherever the command runs from
        names = {source.file: name for name, source in loaded.sources.items()}

        def file_of(f: Finding) -> str:
            return names.get(f.problem.location.file, f.problem.location.file)

        written = None
        if options.update_baseline:
            recorded = baselines.entries(findings, file_of)
            baselines.write(baseline, recorded)
            written = len(recorded)
        applied = baselines.apply(findings, recorded or [])
        findings = applied.new
        use = BaselineUse(str(baseline), len(applied.known), tuple(applied.stale), written)
    measured = None
    if options.coverage or options.min_coverage is not None:
        from medbook_design.lint.coverage import measure

        measured = measure(loaded.spec)
    report = Report(
        findings,
        subject_of(spec_dir, loaded),
        suppressed=len(result.suppressed),
        rules_run=result.rules_run,
        coverage=measured,
        min_coverage=options.min_coverage,
        checked=result.checked,
        baseline=use,
    )
    failed = report.count("error") > 0 or report.coverage_failed
    stderr = ""
    if options.fmt in DOCUMENT_FORMATS:  # stdout is one document a tool parses: people's notes go to stderr
        notes = []
        if measured is not None:
            from medbook_design.lint.coverage import format_text

            notes.append(format_text(measured, options.min_coverage))
        if use is not None:
            notes += [report.summary(), *use.notes()]
        stderr = "\n".join(notes)
    return Outcome(render(report), ExitCode.FINDINGS if failed else ExitCode.OK, stderr)


def list_rules(fmt: str = "text") -> str:
    from medbook_design.lint.registry import FAMILY_TITLES, all_rules, rule_doc

    docs = [rule_doc(r) for r in all_rules()]
    if fmt == "json":
        import json

        return json.dumps(docs, indent=2, sort_keys=True) + "\n"
    if fmt == "markdown":
        return rules_markdown(docs, FAMILY_TITLES)
    lines = []
    for family, title in FAMILY_TITLES.items():
        members = [d for d in docs if d["family"] == family]
        if not members:
            continue
        lines.append(f"{title} ({family}, {len(members)} rules)")
        width = max(len(d["name"]) for d in members)
        for d in members:
            lines.append(f"  {d['code']}  {d['severity']:<7}  {d['name']:<{width}}  {d['summary']}")
        lines.append("")
    lines.append(f"{len(docs)} rules")
    return "\n".join(lines) + "\n"


RULES_START = "<!-- lint-rules:start -->"
RULES_END = "<!-- lint-rules:end -->"


def rules_markdown(docs: list[dict[str, str]], families: dict[str, str]) -> str:
    """The rule catalogue as Markdown tables, one per family (the README's lint section)."""
    lines = [RULES_START, ""]
    for family, title in families.items():
        members = [d for d in docs if d["family"] == family]
        if not members:
            continue
        lines += [f"**{title}**", "", "| Code | Name | Severity | What it checks |", "|---|---|---|---|"]
        for d in members:
            summary = " ".join(d["summary"].split()).replace("|", "\\|")
            lines.append(f"| {d['code']} | `{d['name']}` | {d['severity']} | {summary} |")
        lines.append("")
    lines += [
        f"{len(docs)} rules. `medbook-design rules --format json` adds each rule's rationale and examples.",
        "",
        RULES_END,
    ]
    return "\n".join(lines) + "\n"
