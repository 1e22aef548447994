"""The booking strategies the benchmark compares: the spec's, and two alternatives built from it.

* ``guarded-update`` is ``book_appointment`` exactly as operations.yaml defines it: one
  UPDATE that claims the slot only while it is available and in the future, then the
  INSERT, at READ COMMITTED.
* ``for-update`` (alternative) locks first and updates second: a ``SELECT ... FOR UPDATE``
  with the spec's claim condition, then the claim reduced to the slot's primary key.
* ``serializable`` (alternative) checks and then acts with no lock of its own: a plain
  SELECT with the claim condition, the same unconditional UPDATE, at SERIALIZABLE, where
  the engine turns a lost race into a serialization failure or a deadlock and the service
  retries (the concurrency policy's ``max_retries``).

The alternatives are not hand-written SQL: each is derived from the spec's own claim
statement as a sqlglot tree (its table, its WHERE clause, its SET list), written back as
neutral SQL, and added to a copy of the spec as an operation, so the same renderer and
the same executor run all three. Their ``insert_appointment`` step, diagnosis and error
mapping are the spec's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl.neutral import parse_statement
from medbook_design.spec.model import Operation, Spec

BOOK = "book_appointment"
CANCEL = "cancel_appointment"
# sqlglot's default writer silently drops FOR UPDATE; Oracle's writer spells everything the
# way the neutral parser reads it back (:name parameters, CURRENT_TIMESTAMP, INTERVAL,
# FOR UPDATE). Every derived statement is checked to survive the round trip unchanged.
_NEUTRAL_WRITER = "oracle"


@dataclass(frozen=True)
class Strategy:
    id: str
    title: str
    operation: str  # the operation (in the extended spec) that books
    chosen: bool  # the spec's own strategy, not an alternative
    summary: str


def _neutral(tree: exp.Expression, where: str) -> str:
    text = tree.sql(dialect=_NEUTRAL_WRITER)
    back = parse_statement(text, where, None)
    if back.sql(dialect="postgres") != tree.sql(dialect="postgres"):
        raise GenerationError(
            f"{where}: the derived statement does not survive a round trip through neutral SQL (wrote {text!r})"
        )
    return text


def _claim_parts(spec: Spec) -> tuple[Operation, exp.Update, exp.Expression]:
    """The booking operation, its claim UPDATE, and the primary-key match inside its WHERE."""
    op = spec.operations.operations.get(BOOK)
    if op is None:
        raise GenerationError(f"the spec has no {BOOK!r} operation, so there is no booking path to benchmark")
    where = f"operations.yaml ({BOOK}.steps[0].sql)"
    claim = parse_statement(op.steps[0].sql, where, None)
    if not isinstance(claim, exp.Update) or claim.args.get("where") is None:
        raise GenerationError(f"{where}: expected the first step to be a guarded UPDATE, found {claim.key.upper()}")
    key = next(
        (
            eq
            for eq in claim.args["where"].this.find_all(exp.EQ)
            if isinstance(eq.this, exp.Column) and eq.this.name == "id" and isinstance(eq.expression, exp.Placeholder)
        ),
        None,
    )
    if key is None:
        raise GenerationError(f"{where}: expected the claim's WHERE clause to match the slot by id = :param")
    return op, claim, key


def _variant(op: Operation, first_steps: list[dict[str, Any]], *, isolation: str, summary: str) -> Operation:
    data = op.model_dump(by_alias=True, exclude_defaults=True)
    data.update(
        summary=summary,
        isolation=isolation,
        steps=first_steps + [s.model_dump(by_alias=True, exclude_defaults=True) for s in op.steps[1:]],
    )
    return Operation.model_validate(data)


def build_strategies(spec: Spec) -> tuple[Spec, list[Strategy]]:
    """A copy of ``spec`` with the alternative booking operations added, and the strategies."""
    op, claim, key = _claim_parts(spec)
    where = f"{BOOK} variant"
    condition = claim.args["where"].this
    table = claim.this
    check = exp.select("id").from_(table.copy()).where(condition.copy())
    by_key = claim.copy()
    by_key.set("where", exp.Where(this=key.copy()))
    claim_name = op.steps[0].name
    lock_step = {
        "name": "lock_slot",
        "description": "Lock the slot row if it is still available and in the future.",
        "sql": _neutral(check.copy().lock(update=True), where),
        "expect_rows": 1,
    }
    check_step = {
        "name": "check_slot",
        "description": "Read whether the slot is still available and in the future.",
        "sql": _neutral(check, where),
        "expect_rows": 1,
    }
    update_step = {
        "name": claim_name,
        "description": "Flip the slot to booked by its key.",
        "sql": _neutral(by_key, where),
        "expect_rows": 1,
    }
    for_update = _variant(
        op,
        [lock_step, update_step],
        isolation=op.isolation,
        summary="Alternative: SELECT ... FOR UPDATE the slot, then update it by key.",
    )
    serializable = _variant(
        op,
        [check_step, update_step],
        isolation="serializable",
        summary="Alternative: check with a plain SELECT, then update by key, at SERIALIZABLE.",
    )
    operations = dict(spec.operations.operations)
    operations[f"{BOOK}_for_update"] = for_update
    operations[f"{BOOK}_serializable"] = serializable
    extended = spec.model_copy(update={"operations": spec.operations.model_copy(update={"operations": operations})})
    strategies = [
        Strategy(
            "guarded-update",
            "guarded UPDATE (the spec's)",
            BOOK,
            True,
            f"{op.isolation.upper()}: one UPDATE claims the slot only if it is still available; "
            "a lost race changes 0 rows",
        ),
        Strategy(
            "for-update",
            "SELECT ... FOR UPDATE (alternative)",
            f"{BOOK}_for_update",
            False,
            f"{op.isolation.upper()}: lock the slot row with a locking read, then update it by key",
        ),
        Strategy(
            "serializable",
            "SERIALIZABLE + retry (alternative)",
            f"{BOOK}_serializable",
            False,
            "SERIALIZABLE: plain read, then update by key; the engine aborts a lost race and the service retries",
        ),
    ]
    return extended, strategies
