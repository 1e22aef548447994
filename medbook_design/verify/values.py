"""What a scenario's values are at run time: fixtures created, ids kept, picks drawn, the clock.

The loader has already checked every reference (medbook_design/spec/scenario_checks.py), so
here a reference that resolves to nothing can only be an id a failed step never kept.
Times are the database clock read once when the scenario (or permutation) starts, in whole
seconds so both engines store them exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from medbook_design.spec.model import FixtureRow, ScenarioValue
from medbook_design.spec.scenario_values import DbTime, FixtureValue, KeptId, counted, meaning
from medbook_design.verify import queries as q
from medbook_design.verify.context import Context
from medbook_design.verify.session import DbError


class NotKept(Exception):
    """A reference to an id whose step failed before keeping it."""


class FixtureFailed(Exception):
    """A fixture row could not be inserted: the scenario cannot start."""


class Bindings:
    """The names a scenario's values may refer to, and ``{n}`` for this instantiation."""

    def __init__(self, now: datetime, n: int):
        self.now = now
        self.n = n
        self.fixtures: dict[str, list[dict[str, Any]]] = {}  # fixture -> its rows, column -> value
        self.kept: dict[str, Any] = {}  # `into` name -> id
        self.rows: dict[str, dict[str, Any]] = {}  # a race's fixture picks and `given` row
        self.picked: dict[str, Any] = {}  # a race's value picks

    @classmethod
    def start(cls, ctx: Context) -> Bindings:
        return cls(ctx.db.now().astimezone(UTC).replace(microsecond=0), ctx.next_n())

    def derived(self, n: int) -> Bindings:
        """The same fixtures and kept ids with a new ``{n}`` and no picks (one race attempt)."""
        child = Bindings(self.now, n)
        child.fixtures, child.kept = self.fixtures, self.kept
        return child

    def value(self, raw: ScenarioValue, *, i: int = 0) -> Any:
        parsed = meaning(counted(raw, i=i, n=self.n))
        if isinstance(parsed, FixtureValue):
            if parsed.fixture in self.rows:
                return self.rows[parsed.fixture][parsed.column]
            rows = self.fixtures[parsed.fixture]
            # a counted fixture referring to another counted one takes the row of its own index
            return rows[i if len(rows) > 1 and i < len(rows) else 0][parsed.column]
        if isinstance(parsed, KeptId):
            if parsed.name in self.picked:
                return self.picked[parsed.name]
            if parsed.name not in self.kept:
                raise NotKept(f"'@{parsed.name}' was never kept (the step keeping it failed)")
            return self.kept[parsed.name]
        if isinstance(parsed, DbTime):
            return self.now + parsed.offset
        return parsed

    def values(self, given: Mapping[str, ScenarioValue], *, i: int = 0) -> dict[str, Any]:
        return {key: self.value(raw, i=i) for key, raw in given.items()}


def create_fixtures(ctx: Context, fixtures: Mapping[str, FixtureRow], bindings: Bindings) -> None:
    """Insert every fixture row in order, each committed on its own; keep what each row holds."""
    for name, row in fixtures.items():
        identity = ctx.spec.table(row.table).identity_column
        made = []
        for i in range(row.count):
            values = bindings.values(row.values, i=i)
            try:
                out = ctx.db.execute(q.insert(row.table, tuple(values), ctx.dialect, returning=identity), values)
            except DbError as exc:
                raise FixtureFailed(f"fixture {name}: the insert into {row.table} failed: {exc}") from None
            if identity is not None:
                values[identity] = out.rows[0][0] if out.rows else out.lastrowid
            made.append(values)
        bindings.fixtures[name] = made
