"""The ``lint`` and ``rules`` commands as library calls: options in, (text, exit code) out.

The CLI only parses options and prints; everything it decides (which findings, which exit
code) lives here so tests can call it without a subprocess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from medbook_design.errors import ExitCode, SpecError


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


def run_lint(
    spec_dir: Path,
    *,
    fmt: str = "text",
    strict: bool = False,
    coverage: bool = False,
    min_coverage: float | None = None,
) -> Outcome:
    """Load ``spec_dir``, lint it and render the result in ``fmt``.

    Exit code 0: no errors (warnings allowed unless ``strict``) and coverage at or above
    ``min_coverage``; 1: error findings or coverage too low; 2: the spec could not be loaded.
    A text run that cannot load raises :class:`SpecError` for the CLI's usual message.
    """
    from medbook_design.lint.reporters import Report, load_failure_findings, renderer
    from medbook_design.spec.loader import load_spec

    render = renderer(fmt)
    try:
        loaded = load_spec(spec_dir)
    except SpecError as exc:
        if fmt == "text":
            raise
        report = Report(load_failure_findings(exc.problems), subject_of(spec_dir), loaded=False)
        return Outcome(render(report), ExitCode.UNUSABLE)

    from medbook_design.lint.engine import lint

    result = lint(loaded, strict=strict)
    measured = None
    if coverage or min_coverage is not None:
        from medbook_design.lint.coverage import measure

        measured = measure(loaded.spec)
    report = Report(
        result.findings,
        subject_of(spec_dir, loaded),
        suppressed=len(result.suppressed),
        rules_run=result.rules_run,
        coverage=measured,
        min_coverage=min_coverage,
    )
    failed = result.errors > 0 or report.coverage_failed
    stderr = ""
    if fmt == "sarif" and measured is not None:
        from medbook_design.lint.coverage import format_text

        stderr = format_text(measured, min_coverage)  # keep stdout a pure SARIF document
    return Outcome(render(report), ExitCode.FINDINGS if failed else ExitCode.OK, stderr)


def list_rules(fmt: str = "text") -> str:
    from medbook_design.lint.registry import FAMILY_TITLES, all_rules, rule_doc

    docs = [rule_doc(r) for r in all_rules()]
    if fmt == "json":
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
