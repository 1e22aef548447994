"""The rows a benchmark run starts from, and the values its attempts bind.

Fixtures are inserted in the order the spec declares them, each in one transaction with
one batched INSERT, and the identity values the database generated are read back in
insertion order (nothing else writes while a run is set up). A per-client fixture is
inserted for every client; ``{client}`` is the client's number, ``{i}`` the row's index
among that client's rows and ``{n}`` a number unique in the run.

Values mean what they mean in a scenario (:mod:`medbook_design.spec.scenario_values`):
``@fixture.column``, ``db_now + ...``, literals. An attempt's values are compiled once
per client into small functions of the rows the attempt picked and its number, so the
timed loop does no parsing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlglot import exp

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl.neutral import parse_statement, render
from medbook_design.spec.design import Design, PathKey
from medbook_design.spec.model import BenchmarkFixture, ScenarioValue
from medbook_design.spec.scenario_values import DbTime, FixtureValue, KeptId, counted, for_client, meaning
from medbook_design.verify import queries as q
from medbook_design.verify.session import DbError, Session

# what an attempt's value is made of: the rows (or values) it picked by name, and its number
Binder = Callable[[Mapping[str, Any], int], Any]


class FixtureRows:
    """Inserts a run's fixtures and answers what they hold."""

    def __init__(self, design: Design, db: Session, *, clients: int, seconds: float, numbers: Iterator[int]):
        self.design = design
        self.db = db
        self.clients = clients
        self.seconds = seconds
        self.numbers = numbers
        self.now = db.now().astimezone(UTC).replace(microsecond=0)  # whole seconds, as scenarios
        self.shared: dict[str, list[dict[str, Any]]] = {}  # fixture -> its rows
        self.own: dict[str, list[list[dict[str, Any]]]] = {}  # per-client fixture -> client -> its rows

    # --- inserting ----------------------------------------------------------------
    def insert(self, name: str, fixture: BenchmarkFixture, at: PathKey) -> None:
        owners: list[int | None] = list(range(self.clients)) if fixture.per_client else [None]
        extra = fixture.per_second * self.seconds / len(owners) if fixture.per_second else 0
        per_owner = fixture.count + math.ceil(extra)
        batches = [
            [
                {column: self._value(raw, owner, i, next(self.numbers)) for column, raw in fixture.values.items()}
                for i in range(per_owner)
            ]
            for owner in owners
        ]
        flat = [row for batch in batches for row in batch]
        try:
            ids = self._insert_many(fixture.table, list(fixture.values), flat)
        except DbError as exc:
            raise GenerationError(
                f"{self.design.locate('scenarios.yaml', at)}: fixture {name}: the insert into {fixture.table} "
                f"failed: {exc}"
            ) from None
        identity = self.design.spec.table(fixture.table).identity_column
        if identity is not None:
            for row, value in zip(flat, ids, strict=True):
                row[identity] = value
        if fixture.per_client:
            self.own[name] = batches
        else:
            self.shared[name] = batches[0]

    def _value(self, raw: ScenarioValue, owner: int | None, i: int, n: int) -> Any:
        value = counted(raw if owner is None else for_client(raw, owner), i=i, n=n)
        parsed = meaning(value)
        if isinstance(parsed, FixtureValue):
            # a counted fixture referring to another counted one takes the row of its own index, as in scenarios
            rows = self.rows(parsed.fixture, owner or 0)
            return rows[i if len(rows) > 1 and i < len(rows) else 0][parsed.column]
        if isinstance(parsed, DbTime):
            return self.now + parsed.offset
        return parsed

    def _insert_many(self, table: str, columns: list[str], rows: list[dict[str, Any]]) -> list[Any]:
        """Insert ``rows`` in one transaction; the identity values generated, in insertion order."""
        db, identity = self.db, self.design.spec.table(table).identity_column
        before = None
        if identity is not None:
            top = exp.select(exp.Max(this=exp.column(identity))).from_(exp.to_table(table))
            before = db.scalar(render(top, db.dialect, pretty=False))
        db.begin()
        db.execute_many(q.insert(table, tuple(columns), db.dialect, returning=None), [_driver(r, db) for r in rows])
        db.commit()
        if identity is None:
            return []
        ids = exp.select(exp.column(identity)).from_(exp.to_table(table)).order_by(exp.column(identity))
        params = None
        if before is not None:
            ids = ids.where(exp.GT(this=exp.column(identity), expression=exp.var("%(before)s")))
            params = {"before": before}
        found = [r[0] for r in db.execute(render(ids, db.dialect, pretty=False), params).rows]
        if len(found) != len(rows):
            raise GenerationError(f"inserted {len(rows)} rows into {table}, read back {len(found)} new identities")
        return found

    # --- reading ------------------------------------------------------------------
    def rows(self, name: str, client: int) -> list[dict[str, Any]]:
        """A fixture's rows: the client's own for a per-client fixture."""
        return self.own[name][client] if name in self.own else self.shared[name]

    def row(self, name: str, client: int) -> dict[str, Any]:
        return self.rows(name, client)[0]

    # --- an attempt's values ------------------------------------------------------
    def binder(self, raw: ScenarioValue, client: int, chosen: set[str]) -> Binder:
        """What ``raw`` is for ``client``'s attempts; ``chosen`` names what each attempt picks anew."""
        value = for_client(raw, client)
        if isinstance(value, str) and "{n}" in value:
            return lambda picked, n: self._resolve(meaning(counted(value, n=n)), client, chosen, picked)
        parsed = meaning(value)
        if isinstance(parsed, (FixtureValue, KeptId)) and _name(parsed) in chosen:
            return lambda picked, n: self._resolve(parsed, client, chosen, picked)
        constant = self._resolve(parsed, client, chosen, {})
        return lambda picked, n: constant

    def _resolve(self, parsed: Any, client: int, chosen: set[str], picked: Mapping[str, Any]) -> Any:
        if isinstance(parsed, FixtureValue):
            source = picked[parsed.fixture] if parsed.fixture in chosen else self.row(parsed.fixture, client)
            return source[parsed.column]
        if isinstance(parsed, KeptId):
            return picked[parsed.name]
        if isinstance(parsed, DbTime):
            return self.now + parsed.offset
        return parsed


def _name(parsed: FixtureValue | KeptId) -> str:
    return parsed.fixture if isinstance(parsed, FixtureValue) else parsed.name


def _driver(row: dict[str, Any], db: Session) -> dict[str, Any]:
    if db.dialect == "postgres":
        return row
    # PyMySQL formats a datetime from its fields and ignores tzinfo: hand it UTC wall time
    return {k: (v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) else v) for k, v in row.items()}


def select_columns(design: Design, sql: str, at: PathKey, dialect: str) -> tuple[str, list[str]]:
    """A spec SELECT ready for the driver, and the names of the columns it returns."""
    tree = parse_statement(sql, design.locate("scenarios.yaml", at), dialect)
    if not isinstance(tree, exp.Select):
        raise GenerationError(f"{design.locate('scenarios.yaml', at)}: expected a SELECT, found {tree.key.upper()}")
    return q.query(sql, dialect), list(tree.named_selects)


def run_numbers(start: int = 1) -> Iterator[int]:
    """``{n}``: numbers unique within one run."""
    return itertools.count(start)
