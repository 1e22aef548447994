"""What every rule reads: the resolved design plus the SQL facts derived from it once per run.

Parsing SQL is the only expensive thing a rule may need, so the context parses each
operation statement and each table expression once, lazily, and hands every rule the same
result. Rules never parse SQL themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from medbook_design.lint.rule import Fix, Hit, PathKey

if TYPE_CHECKING:
    from medbook_design.lint.concurrency import ConcurrencyFacts
    from medbook_design.lint.lifecycle import LifecycleIndex
    from medbook_design.lint.policies import PolicyFacts
    from medbook_design.lint.sql import ColumnUse, Statement
    from medbook_design.spec.design import Design
    from medbook_design.spec.model import Endpoint, Operation, Spec, Step
    from medbook_design.sql.neutral import SqlSyntaxError


@dataclass
class SqlSite:
    """One SQL text of an operation: a step's statement or the diagnosis query."""

    operation: str
    path: PathKey  # path to the ``sql`` value in operations.yaml
    label: str  # "step claim_slot" or "diagnose"
    step: Step | None
    statement: Statement | None
    error: SqlSyntaxError | None

    @property
    def target(self) -> str:
        return f"operation:{self.operation}"


@dataclass
class ExpressionSite:
    """A neutral SQL expression stored in tables.yaml (CHECK, generated column, WHERE)."""

    table: str
    path: PathKey
    label: str
    text: str
    tree: Any
    columns: list[ColumnUse]
    error: SqlSyntaxError | None
    target: str


class LintContext:
    def __init__(self, design: Design):
        self.design = design
        self.spec: Spec = design.spec
        # filled in by the engine for rules that judge its own bookkeeping
        self.suppressions_used: set[int] = set()
        self.disabled_codes: set[str] = set()
        self.known_codes: frozenset[str] = frozenset()

    def hit(
        self, target: str, file: str, path: PathKey, message: str, *, key: bool = False, fix: Fix | None = None
    ) -> Hit:
        return Hit(target, file, tuple(path), message, key, fix)

    # --- schema lookups -------------------------------------------------------------
    @cached_property
    def schema(self) -> dict[str, list[str]]:
        return {name: list(t.columns) for name, t in self.spec.tables.tables.items()}

    def operation_of(self, endpoint: Endpoint) -> Operation | None:
        return self.spec.operations.operations.get(endpoint.operation) if endpoint.operation else None

    @cached_property
    def lifecycle(self) -> LifecycleIndex:
        """Enum columns, declared transitions and who runs each operation, indexed once."""
        from medbook_design.lint.lifecycle import LifecycleIndex

        return LifecycleIndex.of(self.spec)

    # --- SQL ----------------------------------------------------------------------------
    def scenario_statement(self, text: str) -> Any:
        """A scenario's or invariant's SQL, parsed once per run; None when it does not parse.

        The loader has parsed each of these already (a broken one never reaches lint); the
        neutral parser caches trees by text and rules only read them, so this is a look-up.
        """
        if text not in self._scenario_trees:
            from medbook_design.sql.neutral import SqlSyntaxError, statement_tree

            try:
                self._scenario_trees[text] = statement_tree(text)
            except SqlSyntaxError:
                self._scenario_trees[text] = None
        return self._scenario_trees[text]

    @cached_property
    def _scenario_trees(self) -> dict[str, Any]:
        return {}

    @cached_property
    def sql_sites(self) -> list[SqlSite]:
        from medbook_design.lint.sql import analyze
        from medbook_design.sql.neutral import SqlSyntaxError

        sites = []
        for oname, op in self.spec.operations.operations.items():
            texts: list[tuple[PathKey, str, Any, str]] = [
                (("operations", oname, "steps", i, "sql"), f"step {step.name}", step, step.sql)
                for i, step in enumerate(op.steps)
            ]
            if op.diagnose:
                texts.append((("operations", oname, "diagnose", "sql"), "diagnose", None, op.diagnose.sql))
            for path, label, step, text in texts:
                try:
                    sites.append(SqlSite(oname, path, label, step, analyze(text, self.schema), None))
                except SqlSyntaxError as exc:
                    sites.append(SqlSite(oname, path, label, step, None, exc))
        return sites

    def statements(self) -> Iterator[tuple[SqlSite, Statement]]:
        """Every parsed operation statement (unparseable ones are reported by their own rule)."""
        for site in self.sql_sites:
            if site.statement is not None:
                yield site, site.statement

    def operation_sites(self, operation: str) -> list[SqlSite]:
        return list(self._sites_by_operation.get(operation, ()))

    @cached_property
    def _sites_by_operation(self) -> dict[str, list[SqlSite]]:
        index: dict[str, list[SqlSite]] = {}
        for site in self.sql_sites:
            index.setdefault(site.operation, []).append(site)
        return index

    @cached_property
    def concurrency(self) -> ConcurrencyFacts:
        """What operations read, lock and write, and what constraints and invariants guarantee."""
        from medbook_design.lint.concurrency import ConcurrencyFacts

        return ConcurrencyFacts(self)

    @cached_property
    def policy_facts(self) -> PolicyFacts:
        """Where the design states each policy value: prose, API contract and SQL."""
        from medbook_design.lint.policies import PolicyFacts

        return PolicyFacts(self)

    @cached_property
    def expression_sites(self) -> list[ExpressionSite]:
        from medbook_design.lint.sql import expression_columns
        from medbook_design.sql.neutral import SqlSyntaxError

        out = []
        for tname, table in self.spec.tables.tables.items():
            base = ("tables", tname)
            items: list[tuple[PathKey, str, str, str]] = []
            for cname, col in table.columns.items():
                if col.default_sql:
                    items.append(
                        (
                            base + ("columns", cname, "default_sql"),
                            f"default of column {cname}",
                            col.default_sql,
                            f"column:{tname}.{cname}",
                        )
                    )
                if col.generated:
                    items.append(
                        (
                            base + ("columns", cname, "generated", "expression"),
                            f"generated column {cname}",
                            col.generated.expression,
                            f"column:{tname}.{cname}",
                        )
                    )
            for i, check in enumerate(table.checks):
                items.append(
                    (
                        base + ("checks", i, "expression"),
                        f"check {check.name}",
                        check.expression,
                        f"constraint:{tname}.{check.name}",
                    )
                )
            for i, rule in enumerate(table.no_overlap):
                if rule.where:
                    items.append(
                        (
                            base + ("no_overlap", i, "where"),
                            f"no_overlap {rule.name}",
                            rule.where,
                            f"constraint:{tname}.{rule.name}",
                        )
                    )
            for path, label, text, target in items:
                try:
                    tree, cols = expression_columns(text, tname, table.columns)
                    out.append(ExpressionSite(tname, path, label, text, tree, cols, None, target))
                except SqlSyntaxError as exc:
                    out.append(ExpressionSite(tname, path, label, text, None, [], exc, target))
        return out
