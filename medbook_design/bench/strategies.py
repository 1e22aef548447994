"""The strategies a benchmark compares: the spec's operation, and alternatives derived from it.

A benchmark may name one operation whose first UPDATE step is a guarded UPDATE: an
UPDATE that matches one row by its primary key and a guard condition, and whose row count
the service checks. Steps before it (a lock on another row, say) stay in place. From it:

* ``for-update`` locks first and updates second: a ``SELECT ... FOR UPDATE`` with the
  guarded UPDATE's whole condition, then the UPDATE reduced to the primary-key match.
* ``serializable`` checks and then acts with no lock of its own: a plain SELECT with the
  same condition, the same key-only UPDATE, at SERIALIZABLE, where the engine turns a lost
  race into a serialization failure or a deadlock and the service retries.

The alternatives are not hand-written SQL: each is derived from the spec's own statement
as a sqlglot tree (its table, its WHERE clause, its SET list), written back as neutral SQL
and added to a copy of the spec as an operation, so the same renderer and the same
executor run them all. Their remaining steps, diagnosis and error mapping are the spec's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl.neutral import parse_statement
from medbook_design.spec.model import Benchmark, Operation, Spec

SPEC = "spec"  # the strategy that runs the spec's operations unchanged
# sqlglot's default writer silently drops FOR UPDATE; Oracle's writer spells everything the
# way the neutral parser reads it back (:name parameters, CURRENT_TIMESTAMP, INTERVAL,
# FOR UPDATE). Every derived statement is checked to survive the round trip unchanged.
_NEUTRAL_WRITER = "oracle"


@dataclass(frozen=True)
class Strategy:
    id: str
    title: str
    chosen: bool  # the spec's own operations, not an alternative
    summary: str
    # operation the attempts call -> the operation (in the extended spec) this strategy runs instead
    replaces: dict[str, str]

    def operation(self, called: str) -> str:
        return self.replaces.get(called, called)


def _neutral(tree: exp.Expression, where: str) -> str:
    text = tree.sql(dialect=_NEUTRAL_WRITER)
    back = parse_statement(text, where, None)
    if back.sql(dialect="postgres") != tree.sql(dialect="postgres"):
        raise GenerationError(
            f"{where}: the derived statement does not survive a round trip through neutral SQL (wrote {text!r})"
        )
    return text


def _guarded_update(spec: Spec, name: str) -> tuple[Operation, int, exp.Update, exp.Expression]:
    """The operation, where its first UPDATE step stands, that UPDATE, and the primary-key match in its WHERE."""
    op = spec.operations.operations[name]
    parsed = [
        parse_statement(step.sql, f"operations.yaml ({name}.steps[{i}].sql)", None) for i, step in enumerate(op.steps)
    ]
    index = next((i for i, tree in enumerate(parsed) if isinstance(tree, exp.Update)), None)
    if index is None:
        found = ", ".join(tree.key.upper() for tree in parsed)
        raise GenerationError(
            f"operations.yaml ({name}.steps): alternatives are derived from a guarded UPDATE step, found {found}"
        )
    where = f"operations.yaml ({name}.steps[{index}].sql)"
    update = parsed[index]
    assert isinstance(update, exp.Update)
    if update.args.get("where") is None:
        raise GenerationError(f"{where}: alternatives are derived from a guarded UPDATE, found one without WHERE")
    table = spec.tables.tables.get(update.this.name)
    key = table.primary_key if table else []
    if len(key) != 1:
        raise GenerationError(f"{where}: alternatives need a table with a one-column primary key to update by")
    match = next(
        (
            eq
            for eq in update.args["where"].this.find_all(exp.EQ)
            if isinstance(eq.this, exp.Column) and eq.this.name == key[0] and isinstance(eq.expression, exp.Placeholder)
        ),
        None,
    )
    if match is None:
        raise GenerationError(f"{where}: expected the UPDATE's WHERE clause to match the row by {key[0]} = :param")
    if match is update.args["where"].this:
        raise GenerationError(f"{where}: the UPDATE matches the row by key alone; there is no guard to derive from")
    return op, index, update, match


def _variant(
    op: Operation, index: int, claim_steps: list[dict[str, Any]], *, isolation: str, summary: str
) -> Operation:
    """``op`` with its guarded UPDATE (step ``index``) replaced by ``claim_steps``."""
    data = op.model_dump(by_alias=True, exclude_defaults=True)
    kept = [s.model_dump(by_alias=True, exclude_defaults=True) for s in op.steps]
    data.update(summary=summary, isolation=isolation, steps=kept[:index] + claim_steps + kept[index + 1 :])
    return Operation.model_validate(data)


def build_strategies(spec: Spec, benchmark: Benchmark) -> tuple[Spec, list[Strategy]]:
    """A copy of ``spec`` with the benchmark's alternative operations added, and the strategies."""
    alternatives = benchmark.alternatives
    if alternatives is None:
        return spec, [Strategy(SPEC, "as specified", True, "the spec's operations, unchanged", {})]
    name = alternatives.operation
    op, index, update, key = _guarded_update(spec, name)
    where = f"{name} variant"
    condition = update.args["where"].this
    table = update.this
    check = exp.select(key.this.copy()).from_(table.copy()).where(condition.copy())
    by_key = update.copy()
    by_key.set("where", exp.Where(this=key.copy()))
    update_step = {
        "name": op.steps[index].name,
        "description": "Update the row by its key.",
        "sql": _neutral(by_key, where),
        "expect_rows": 1,
    }
    variants = {
        "for-update": (
            "SELECT ... FOR UPDATE (alternative)",
            _variant(
                op,
                index,
                [
                    {
                        "name": "lock_row",
                        "description": "Lock the row if the guard still holds.",
                        "sql": _neutral(check.copy().lock(update=True), where),
                        "expect_rows": 1,
                    },
                    update_step,
                ],
                isolation=op.isolation,
                summary="Alternative: SELECT ... FOR UPDATE the row, then update it by key.",
            ),
            f"{op.isolation.upper()}: lock the row with a locking read, then update it by key",
        ),
        "serializable": (
            "SERIALIZABLE + retry (alternative)",
            _variant(
                op,
                index,
                [
                    {
                        "name": "check_row",
                        "description": "Read whether the guard still holds.",
                        "sql": _neutral(check, where),
                        "expect_rows": 1,
                    },
                    update_step,
                ],
                isolation="serializable",
                summary="Alternative: check with a plain SELECT, then update by key, at SERIALIZABLE.",
            ),
            "SERIALIZABLE: plain read, then update by key; the engine aborts a lost race and the service retries",
        ),
    }
    operations = dict(spec.operations.operations)
    strategies = [
        Strategy(
            SPEC,
            "guarded UPDATE (the spec's)",
            True,
            f"{op.isolation.upper()}: one UPDATE changes the row only while its guard holds; "
            "a lost race changes 0 rows",
            {},
        )
    ]
    for sid in alternatives.strategies:
        title, variant, summary = variants[sid]
        derived = f"{name}_{sid.replace('-', '_')}"
        operations[derived] = variant
        strategies.append(Strategy(sid, title, False, summary, {name: derived}))
    extended = spec.model_copy(update={"operations": spec.operations.model_copy(update={"operations": operations})})
    return extended, strategies
