"""Run an operation the way the service would, and say what the caller gets.

The service's contract, taken from operations.yaml, is implemented once here:

1. ``BEGIN`` at the operation's isolation level;
2. each step's rendered SQL, exactly as :mod:`medbook_design.generate.operations`
   produced it; a step with ``expect_rows`` whose row count differs is a failed guard;
3. ``COMMIT``.

On a failed guard the transaction is rolled back and the ``diagnose`` query names the
problem from the committed state. On a database error, ``db_errors`` maps its kind to a
problem; a constraint error it does not map is explained by ``diagnose`` like a failed
guard (the committed state says why the row was refused). Deadlocks and serialization
failures are retried (the concurrency policy's ``max_retries``), then diagnosed. Any
other error is reported as an error, never guessed into a problem.

:class:`Run` advances one step at a time, which is what the interleaving scenarios need;
:func:`execute` runs a whole operation with retries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from medbook_design.generate.operations import RenderedOperation, RenderedStep
from medbook_design.spec.model import COMMIT_STEP, Spec
from medbook_design.verify.session import RETRYABLE, DbError, Session

COMMIT = COMMIT_STEP  # the name scenarios.yaml gives a session's last step
CONSTRAINT_ERRORS = frozenset({"unique_violation", "exclusion_violation", "foreign_key_violation", "check_violation"})


@dataclass(frozen=True)
class StepEvent:
    """What one step did: the rows it returned or changed, and whether the operation ended there."""

    step: str
    rows: int | None
    error: str | None = None  # the database error's kind
    refused: bool = False  # a guard's row count differed, or the error ended the operation
    joined: bool = False  # a with_previous step, run in the turn of the step before it


@dataclass
class Result:
    """What the caller of an operation gets: success with its id/rows, or a problem id."""

    operation: str
    ok: bool
    problem: str | None = None
    id: Any = None  # the key a returns_id step kept: a generated number, or the natural key inserted
    rows: list[tuple] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # names of ``rows``' columns
    failed_step: str | None = None
    error: DbError | None = None
    attempts: int = 1

    @property
    def label(self) -> str:
        """``ok``, the problem id, or ``error:<kind>``: what scenarios compare."""
        if self.ok:
            return "ok"
        if self.problem:
            return self.problem
        return f"error:{self.error.kind if self.error else 'unknown'}"


def turns(operation: RenderedOperation) -> list[str]:
    """The steps an interleaving can place: every step not run ``with_previous``, then the commit."""
    return [s.name for s in operation.steps if not s.with_previous] + [COMMIT]


class Run:
    """One attempt of one operation on one session, advanced a step at a time."""

    def __init__(self, session: Session, operation: RenderedOperation, params: dict[str, Any]):
        missing = sorted(set(operation.params) - set(params))
        extra = sorted(set(params) - set(operation.params))
        if missing or extra:
            raise ValueError(f"{operation.name}: missing parameters {missing}, unexpected {extra}")
        self.session = session
        self.operation = operation
        self.params = dict(params)  # a kept key joins them for the steps after its step
        self.steps = turns(operation)
        self.position = 0  # the next turn, in ``steps``
        self._index = 0  # the next statement, in ``operation.steps``
        self.result: Result | None = None
        self._id: Any = None
        self._rows: list[tuple] = []
        self._columns: tuple[str, ...] = ()
        self.events: list[StepEvent] = []

    @property
    def done(self) -> bool:
        return self.result is not None

    @property
    def next_step(self) -> str | None:
        return None if self.done else self.steps[self.position]

    def advance(self) -> None:
        """Run the next turn: one step and the ``with_previous`` steps after it (the first opens the transaction)."""
        if self.done:
            raise RuntimeError(f"{self.operation.name} has already finished")
        if self.position == 0:
            try:
                self.session.begin(self.operation.isolation)
            except DbError as exc:
                self.events.append(StepEvent(self.steps[0], None, exc.kind, refused=True))
                self._refused(self.steps[0], exc)
                return
        if self.steps[self.position] == COMMIT:
            try:
                self.session.commit()
            except DbError as exc:
                self.events.append(StepEvent(COMMIT, None, exc.kind, refused=True))
                self._refused(COMMIT, exc)
                return
            self.events.append(StepEvent(COMMIT, None))
            self.result = Result(self.operation.name, True, id=self._id, rows=self._rows, columns=self._columns)
            return
        steps = self.operation.steps
        while True:
            if not self._statement(steps[self._index]):
                return
            self._index += 1
            if self._index == len(steps) or not steps[self._index].with_previous:
                break
        self.position += 1

    def _statement(self, step: RenderedStep) -> bool:
        """Run one step's statement; False when it ended the operation (a failed guard or an error)."""
        try:
            out = self.session.execute(step.sql, self.params)
        except DbError as exc:
            self.events.append(StepEvent(step.name, None, exc.kind, refused=True, joined=step.with_previous))
            self._refused(step.name, exc)
            return False
        count = len(out.rows) if out.is_query else out.rowcount
        if step.returns_id:
            self._id = self._kept_key(step, out.rows, out.lastrowid)
        if step.returns_rows:
            self._rows, self._columns = out.rows, out.columns
        if step.expect_rows is not None and count != step.expect_rows:
            self.events.append(StepEvent(step.name, count, refused=True, joined=step.with_previous))
            self._refused(step.name, None)
            return False
        self.events.append(StepEvent(step.name, count, joined=step.with_previous))
        return True

    def _kept_key(self, step: RenderedStep, rows: list[tuple], lastrowid: int | None) -> Any:
        """RETURNING's value; without it, the parameter the key was inserted from, else lastrowid."""
        if rows:
            key = rows[0][0]
        elif step.key_param is not None:
            key = self.params[step.key_param]
        else:
            key = lastrowid
        for param, source in self.operation.step_params.items():
            if source == step.name:
                self.params[param] = key
        return key

    def run_to_end(self) -> Result:
        while not self.done:
            self.advance()
        assert self.result is not None
        return self.result

    def _refused(self, step: str, error: DbError | None) -> None:
        self.session.rollback()
        op = self.operation
        problem = None
        if error is None or (error.kind in CONSTRAINT_ERRORS and error.kind not in op.db_errors):
            try:
                problem = diagnose(self.session, op, self.params)
            except DbError as exc:  # e.g. the connection died: report that, do not guess
                error = error or exc
        elif error.kind in op.db_errors:
            problem = op.db_errors[error.kind]
        self.result = Result(op.name, False, problem=problem, failed_step=step, error=error)


def diagnose(session: Session, operation: RenderedOperation, params: dict[str, Any]) -> str | None:
    """Run the operation's diagnosis query outside any transaction: the problem it names."""
    if operation.diagnose is None:
        return None
    value = session.scalar(operation.diagnose, params)
    return str(value) if value is not None else None


def execute(session: Session, operation: RenderedOperation, params: dict[str, Any], *, retries: int = 0) -> Result:
    """Run ``operation`` to the end, retrying deadlocks and serialization failures."""
    attempt = 0
    while True:
        attempt += 1
        result = Run(session, operation, params).run_to_end()
        result.attempts = attempt
        error = result.error
        if result.ok or error is None or error.kind not in RETRYABLE:
            return result
        if attempt > retries:
            # out of retries: the committed state still says why, as after a failed guard
            try:
                result.problem = diagnose(session, operation, params)
            except DbError:
                pass
            return result


def service_retries(spec: Spec) -> int:
    """How often the service retries a deadlock or serialization failure (the concurrency policy)."""
    policy = spec.policies.policies.get("concurrency")
    value = policy.values.get("max_retries") if policy else None
    return int(value.value) if value is not None else 0
