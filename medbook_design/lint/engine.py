"""Run the rules over a loaded spec and apply the project's lint configuration.

``project.yaml`` may change a rule's severity (or turn it ``off``) and suppress single
findings by rule and target, each with a mandatory reason. A suppression that matches
nothing is itself reported (rule MB901), so stale ones do not pile up. ``strict`` turns the
remaining warnings into errors, the way CI wants them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from medbook_design.errors import Location, Problem
from medbook_design.lint.context import LintContext
from medbook_design.lint.parallel import run_rules, worth_splitting
from medbook_design.lint.registry import FAMILY_FILES, all_rules
from medbook_design.lint.rule import Fix, Hit, Rule
from medbook_design.spec.design import Design


@dataclass(frozen=True)
class Edit:
    """Replace the text written in ``region`` (start to end) with ``text``."""

    region: Location
    text: str


@dataclass(frozen=True)
class FindingFix:
    """A rule's :class:`~medbook_design.lint.rule.Fix`, its edits located in the source.

    ``edits`` is empty when the rule offers only a title, or when one of its edits names a
    value the file does not write: half a fix would leave the spec in a state nobody chose.
    """

    title: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, order=True)
class Finding:
    """A located lint finding: the shared :class:`Problem` plus what suppressions match on."""

    problem: Problem
    rule: str = field(compare=False)  # dotted rule name
    target: str = field(compare=False)  # the spec element, e.g. 'table:users'
    fix: FindingFix | None = field(default=None, compare=False)

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def severity(self) -> str:
        return self.problem.severity


@dataclass
class LintResult:
    findings: list[Finding]
    suppressed: list[Finding]
    rules_run: int
    #: (code, name) of each rule that ran with a severity other than ``off``
    checked: tuple[tuple[str, str], ...] = ()

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def problems(self) -> list[Problem]:
        return [f.problem for f in self.findings]


def lint(
    design: Design, *, strict: bool = False, rules: Iterable[Rule] | None = None, split: bool | None = None
) -> LintResult:
    """Run ``rules`` (default: all) and return the findings left after configuration.

    ``split`` runs the rules that read SQL in a second process (:mod:`.parallel`): None
    decides by the spec's size and the machine, False never, True wherever a fork is safe.
    The findings are the same either way.
    """
    config = design.spec.project.lint
    rules = list(all_rules() if rules is None else rules)
    ctx = LintContext(design)
    ctx.known_codes = frozenset(r.code for r in all_rules())
    ctx.disabled_codes = {code for code, level in config.severity.items() if level == "off"}
    if split is None:
        split = worth_splitting(design.spec)
    early = [r for r in rules if not r.runs_after_suppression]
    found = run_rules(early, lambda rule: _run(rule, ctx, config.severity), split=split)

    findings: list[Finding] = []
    suppressed: list[Finding] = []
    late = [r for r in rules if r.runs_after_suppression]
    for rule_findings in found:
        for finding in rule_findings:
            index = _suppression_for(finding, config.suppress)
            if index is None:
                findings.append(finding)
            else:
                ctx.suppressions_used.add(index)
                suppressed.append(finding)
    for rule in late:
        findings.extend(_run(rule, ctx, config.severity))

    if strict:
        findings = [
            replace(f, problem=replace(f.problem, severity="error")) if f.severity == "warning" else f for f in findings
        ]
    checked = tuple((r.code, r.name) for r in rules if _severity(r, config.severity) != "off")
    return LintResult(sorted(set(findings)), sorted(set(suppressed)), len(rules), checked)


def _severity(rule: Rule, overrides: Mapping[str, str]) -> str:
    """The rule's severity in this design: project.yaml's override, else the rule's own."""
    return overrides.get(rule.code, rule.severity)


def _run(rule: Rule, ctx: LintContext, overrides: Mapping[str, str]) -> list[Finding]:
    severity = _severity(rule, overrides)
    if severity == "off":
        return []
    out = []
    file = FAMILY_FILES.get(rule.family, "project.yaml")
    try:
        for hit in rule.check(ctx):
            file = hit.file
            where = ctx.design.locate(hit.file, hit.path, key=hit.key)
            problem = Problem(where, rule.code, hit.message, severity=severity, path=".".join(str(p) for p in hit.path))
            out.append(Finding(problem, rule.name, hit.target, _locate_fix(hit, hit.fix, ctx) if hit.fix else None))
    except Exception as exc:  # noqa: BLE001 - one faulty rule must not hide what the others find
        # reported as an error whatever the configured severity: the rule's verdict is unknown
        message = (
            f"internal error in rule {rule.code} ({rule.name}): {type(exc).__name__}: {exc}; "
            "its findings are incomplete, the other rules ran"
        )
        # the spec file as every other finding names it, so annotations and SARIF resolve it
        where = ctx.design.locate(file, ())
        out.append(Finding(Problem(where, rule.code, message), rule.name, f"rule:{rule.code}"))
    return out


def _locate_fix(hit: Hit, fix: Fix, ctx: LintContext) -> FindingFix:
    edits = []
    for path, text in fix.edits:
        region = ctx.design.written_at(hit.file, path)
        if region is None:
            return FindingFix(fix.title)
        edits.append(Edit(region, text))
    return FindingFix(fix.title, tuple(edits))


def _suppression_for(finding: Finding, suppressions: list) -> int | None:
    for i, s in enumerate(suppressions):
        if s.rule == finding.code and s.target == finding.target:
            return i
    return None
