"""Cross-file checks of scenarios.yaml: what a data scenario names exists, and its parts fit its kind.

A scenario written only as prose is run by code and checked by nothing here. One written as
data (fixtures, steps, sessions, outcomes, a race or final-state checks) is read by the
verifier as it stands, so every name in it must resolve now: operations and their steps,
parameters, problem types, fixtures, tables and columns, ``@`` references, and the SQL of
its checks. Each problem is reported at the offending value through the loader's checker,
so a broken scenario is a located load error, never a failure halfway through a run.

Whether a scenario can fail at all, and whether each per-dialect variant covers every
target dialect, are judgements about a valid spec: the linter makes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal, Protocol

from medbook_design.spec.design import PathKey
from medbook_design.spec.model import (
    COMMIT_STEP,
    DIALECTS,
    Expectation,
    Operation,
    Outcome,
    PerDialect,
    PerDialectCondition,
    Query,
    Race,
    Scenario,
    ScenarioStep,
    ScenarioValue,
    Spec,
    StateCheck,
)
from medbook_design.spec.scenario_values import FixtureValue, KeptId, ValueSyntaxError, counted, meaning

if TYPE_CHECKING:
    from sqlglot import exp

F = "scenarios.yaml"
# what may appear in which kind of scenario (a field not listed here is allowed in every kind)
KINDS_WITH: dict[str, tuple[str, ...]] = {
    "fixtures": ("single", "interleaving", "race"),
    "steps": ("single", "interleaving", "race"),
    "sessions": ("interleaving",),
    "permutations": ("interleaving",),
    "outcomes": ("interleaving",),
    "race": ("race",),
    "then": ("single", "interleaving", "race"),
}
GIVEN = "given"  # '@given.<column>': the row a race action's `given` query found


class Reporter(Protocol):
    """Where problems go: the loader's cross-file checker."""

    def error(self, file: str, path: PathKey, code: str, message: str) -> None: ...

    def unknown(
        self, file: str, path: PathKey, what: str, name: str, options: Iterable[str], within: str = ""
    ) -> None: ...


def problems_reported(op: Operation) -> list[str]:
    """The problem types an operation can report: its diagnosis's and its mapped database errors'."""
    return list(dict.fromkeys([*(op.diagnose.problems if op.diagnose else []), *op.db_errors.values()]))


def session_steps(op: Operation) -> list[str]:
    """The steps of an interleaving session running ``op``: its own, then the commit.

    A ``with_previous`` step is no turn of its own: it runs in the turn of the step before it.
    """
    return [step.name for step in op.steps if not step.with_previous] + [COMMIT_STEP]


@dataclass
class _Names:
    """What an ``@`` reference may name at one place in a scenario."""

    fixtures: dict[str, set[str]] = field(default_factory=dict)  # fixture -> columns it has
    kept: set[str] = field(default_factory=set)  # ids earlier steps kept with `into`
    later_fixtures: set[str] = field(default_factory=set)
    later_kept: set[str] = field(default_factory=set)
    picks: dict[str, set[str] | None] = field(default_factory=dict)  # race pick -> its fixture's columns, None: a list
    given: set[str] | None = None  # inside an action with `given`: its columns
    any_given: bool = False  # the given query's columns are not known (SELECT *)
    counted: bool = False  # inside a counted fixture's values: '{i}' means its row index
    counts: dict[str, int] = field(default_factory=dict)  # fixture -> how many rows it inserts
    row_count: int | None = None  # inside a fixture's values: how many rows that fixture inserts

    def inside(self, **changes: Any) -> _Names:
        return replace(self, **changes)


class ScenarioChecks:
    def __init__(self, spec: Spec, report: Reporter):
        self.spec = spec
        self.report = report
        self.ops = spec.operations.operations
        self.problems = spec.endpoints.problems

    def error(self, path: PathKey, code: str, message: str) -> None:
        self.report.error(F, path, code, message)

    def unknown(self, path: PathKey, what: str, name: str, options: Iterable[str], within: str = "") -> None:
        self.report.unknown(F, path, what, name, options, within)

    def run(self) -> None:
        for name, invariant in self.spec.scenarios.invariants.items():
            self.query(("invariants", name, "sql"), invariant.sql, {}, select=True)
        for sid, sc in self.spec.scenarios.scenarios.items():
            self.scenario(("scenarios", sid), sc)

    # --- one scenario ---------------------------------------------------------------------
    def scenario(self, base: PathKey, sc: Scenario) -> None:
        self.kind(base, sc)
        names = _Names(later_fixtures=set(sc.fixtures), later_kept={s.into for s in sc.steps if s.into})
        self.fixtures(base, sc, names)
        for i, step in enumerate(sc.steps):
            self.step(base + ("steps", i), step, names)
        # sessions, outcomes, the race and the final checks see every fixture and kept id
        steps_of = self.sessions(base, sc, names)
        if isinstance(sc.permutations, list):
            self.permutations(base + ("permutations",), sc.permutations, steps_of, sc)
        for o, outcome in enumerate(sc.outcomes):
            self.outcome(base + ("outcomes", o), outcome, o == len(sc.outcomes) - 1, steps_of, sc, names)
        if sc.race is not None:
            self.race(base + ("race",), sc.race, names)
        for i, check in enumerate(sc.then):
            self.state_check(base + ("then", i), check, names)

    def kind(self, base: PathKey, sc: Scenario) -> None:
        present = {
            "fixtures": bool(sc.fixtures),
            "steps": bool(sc.steps),
            "sessions": bool(sc.sessions),
            "permutations": "permutations" in sc.model_fields_set,
            "outcomes": bool(sc.outcomes),
            "race": sc.race is not None,
            "then": bool(sc.then),
        }
        for key, kinds in KINDS_WITH.items():
            if present[key] and sc.kind not in kinds:
                self.error(
                    base + (key,),
                    "MB022",
                    f"{key!r} belongs to {_either(kinds)} scenarios (found kind {sc.kind})",
                )
        at = base + ("kind",)
        if sc.kind == "single" and not sc.steps:
            self.error(at, "MB022", "a single scenario needs 'steps' (fixtures and checks alone prove nothing)")
        elif sc.kind == "interleaving":
            if len(sc.sessions) < 2:
                self.error(at, "MB022", f"an interleaving needs at least two 'sessions' (found {len(sc.sessions)})")
            if not sc.outcomes:
                self.error(at, "MB022", "an interleaving needs 'outcomes': what each permutation must end with")
        elif sc.kind == "race" and sc.race is None:
            self.error(at, "MB022", "a race scenario needs 'race': its connections, attempts and actions")

    # --- fixtures and steps -----------------------------------------------------------------
    def fixtures(self, base: PathKey, sc: Scenario, names: _Names) -> None:
        tables = self.spec.tables.tables
        for fname, row in sc.fixtures.items():
            at: PathKey = base + ("fixtures", fname)
            names.later_fixtures.discard(fname)
            table = tables.get(row.table)
            if table is None:
                self.unknown(at + ("table",), "table", row.table, tables)
            else:
                for column in row.values:
                    if column not in table.columns:
                        self.unknown(
                            at + ("values", column), "column", column, table.columns, within=f"table {row.table}"
                        )
            inside = names.inside(counted="count" in row.model_fields_set, row_count=row.count)
            self.values(at + ("values",), row.values, inside)
            generated = table.identity_column if table else None
            names.fixtures[fname] = set(row.values) | ({generated} if generated else set())
            names.counts[fname] = row.count

    def step(self, at: PathKey, step: ScenarioStep, names: _Names) -> None:
        self.values(at + ("with",), step.with_, names)
        op = None
        if (step.call is None) == (step.sql is None):
            found = "both" if step.call else "neither"
            self.error(at, "MB022", f"a step needs exactly one of 'call' and 'sql' (found {found})")
        elif step.call is not None:
            op = self.call(at, step.call, step.with_)
        else:
            assert step.sql is not None
            self.query(at + ("sql",), step.sql, step.with_, select=False)
            for key in ("into", "kill_after"):
                if getattr(step, key) is not None:
                    self.error(
                        at + (key,), "MB022", f"{key!r} is for an operation call, not raw SQL (expected a 'call' step)"
                    )
        if step.explain is not None:
            self.explain(at, step, op)
        if step.kill_after is not None and op is not None:
            own = list(dict.fromkeys(s.name for s in op.steps))
            if step.kill_after not in own:
                self.unknown(at + ("kill_after",), "step", step.kill_after, own, within=f"operation {step.call}")
        for variant_at, expect in self.variants(at + ("expect",), step.expect):
            self.expectation(at, variant_at, expect, step, op, names)
        if step.kill_after is not None and step.expect is None:
            self.error(at + ("kill_after",), "MB022", "a step with 'kill_after' must expect: killed")
        if step.into:
            if step.into in names.fixtures or step.into in names.kept:
                self.error(
                    at + ("into",), "MB021", f"name {step.into!r} is already used by a fixture or an earlier step"
                )
            names.kept.add(step.into)
            names.later_kept.discard(step.into)

    def explain(self, at: PathKey, step: ScenarioStep, op: Operation | None) -> None:
        """A plan check reads PostgreSQL's EXPLAIN of one query an operation returns rows from."""
        assert step.explain is not None
        if step.call is None:
            self.error(at + ("explain",), "MB022", "'explain' checks an operation's plan (expected a 'call' step)")
        if step.dialect != "postgres":
            self.error(
                at + ("explain",),
                "MB022",
                "plans are read with PostgreSQL's EXPLAIN (FORMAT JSON) (expected dialect: postgres on this step)",
            )
        for key in ("expect", "into", "kill_after"):
            if getattr(step, key) is not None:
                self.error(at + (key,), "MB022", f"a step with 'explain' runs no operation, so it takes no {key!r}")
        if op is not None and sum(s.returns_rows for s in op.steps) != 1:
            self.error(
                at + ("explain",),
                "MB022",
                f"operation {step.call} needs exactly one returns_rows step for 'explain' to read its plan",
            )
        wanted = step.explain.uses_index
        if wanted is not None:
            known = sorted(
                [i.name for t in self.spec.tables.tables.values() for i in t.indexes]
                + [u.name for t in self.spec.tables.tables.values() for u in t.uniques]
            )
            if wanted not in known:
                self.unknown(at + ("explain", "uses_index"), "index", wanted, known)

    def variants(
        self, at: PathKey, expect: Literal["ok", "killed"] | Expectation | PerDialect | None
    ) -> Iterator[tuple[PathKey, Literal["ok", "killed"] | Expectation]]:
        """Each expectation a step states, with its path: one, or one per dialect."""
        if expect is None:
            return
        if not isinstance(expect, PerDialect):
            yield at, expect
            return
        given = [(d, getattr(expect, d)) for d in DIALECTS if getattr(expect, d) is not None]
        if not given:
            self.error(at, "MB022", f"a per-dialect expectation names no dialect (expected {', '.join(DIALECTS)})")
        for dialect, variant in given:
            yield at + (dialect,), variant

    def expectation(
        self,
        step_at: PathKey,
        at: PathKey,
        expect: Literal["ok", "killed"] | Expectation,
        step: ScenarioStep,
        op: Operation | None,
        names: _Names,
    ) -> None:
        if expect == "killed":
            if step.kill_after is None:
                self.error(at, "MB022", "'killed' needs 'kill_after: <step>': the step after which the server kills it")
            elif step.into:
                self.error(step_at + ("into",), "MB022", "a killed call keeps no id (expected no 'into')")
            return
        if step.kill_after is not None:
            self.error(
                at, "MB022", "a step with 'kill_after' ends with its connection killed (expected expect: killed)"
            )
            return
        if not isinstance(expect, Expectation):  # 'ok'
            return
        outcomes = [k for k in ("ok", "problem", "error") if getattr(expect, k) is not None]
        if len(outcomes) != 1:
            self.error(
                at,
                "MB022",
                f"expect needs exactly one of ok, problem and error (found {', '.join(outcomes) or 'none'})",
            )
        if expect.rows is not None and expect.ok is None:
            self.error(at + ("rows",), "MB022", "'rows' is only checked with 'ok: true'")
        if expect.columns is not None:
            if not isinstance(expect.rows, list):
                self.error(at + ("columns",), "MB022", "'columns' picks the columns of exact 'rows: [[...]]'")
            else:
                for r, row in enumerate(expect.rows):
                    if len(row) != len(expect.columns):
                        self.error(
                            at + ("rows", r),
                            "MB022",
                            f"row has {len(row)} value(s) for {len(expect.columns)} column(s) "
                            f"(expected one per column: {', '.join(expect.columns)})",
                        )
        if isinstance(expect.rows, list):
            self.rows(at + ("rows",), expect.rows, names)
        if step.call is not None:
            if expect.error is not None:
                self.error(
                    at + ("error",),
                    "MB022",
                    "an operation reports problems, not database errors (expected problem: <type>)",
                )
            if expect.problem is not None and op is not None:
                self.problem(at + ("problem",), expect.problem, step.call, op)
            if step.into and expect.ok is None:
                self.error(
                    step_at + ("into",), "MB022", "'into' keeps the id of a successful call (expected expect: ok)"
                )
        elif step.sql is not None and expect.problem is not None:
            self.error(
                at + ("problem",), "MB022", "raw SQL raises database errors, not problems (expected error: <class>)"
            )

    def call(self, at: PathKey, name: str, given: Mapping[str, ScenarioValue]) -> Operation | None:
        """The operation a call names, its parameters checked; None when it does not exist."""
        op = self.ops.get(name)
        if op is None:
            self.unknown(at + ("call",), "operation", name, self.ops)
            return None
        # policy values and kept keys are bound by the operation itself (a half-declared one is reported elsewhere)
        params = [
            p for p, param in op.params.items() if param.source not in ("policy", "step") and not param.policy_value
        ]
        unknown = [key for key in given if key not in params]
        for key in unknown:
            self.unknown(at + ("with", key), "parameter", key, params, within=f"operation {name}")
        missing = [p for p in params if p not in given]
        if missing and not unknown:  # a misspelt key is reported once, as unknown
            self.error(
                at + ("with",) if given else at,
                "MB022",
                f"operation {name} needs {', '.join(missing)} (expected a value for each of its parameters in 'with')",
            )
        return op

    def problem(self, at: PathKey, problem: str, name: str, op: Operation) -> None:
        """``problem`` must be a problem type that operation ``name`` can report."""
        if problem not in self.problems:
            self.unknown(at, "problem type", problem, self.problems)
            return
        reported = problems_reported(op)
        if problem not in reported:
            self.error(
                at,
                "MB022",
                f"operation {name} never reports {problem!r} (expected one of {', '.join(reported) or 'none'})",
            )

    # --- interleavings ----------------------------------------------------------------------
    def sessions(self, base: PathKey, sc: Scenario, names: _Names) -> dict[str, list[str]]:
        """Each session whose operation exists -> its steps, in order."""
        steps_of: dict[str, list[str]] = {}
        for label, run in sc.sessions.items():
            at: PathKey = base + ("sessions", label)
            self.values(at + ("with",), run.with_, names)
            op = self.call(at, run.call, run.with_)
            if op is not None:
                steps_of[label] = session_steps(op)
        return steps_of

    def session_step(
        self, at: PathKey, item: str, steps_of: Mapping[str, list[str]], sc: Scenario
    ) -> tuple[str, str] | None:
        """``<session>.<step>`` split, when both exist (and None, reported, when not)."""
        label, _, step = item.partition(".")
        if label not in sc.sessions:
            self.unknown(at, "session", label, sc.sessions)
            return None
        if label not in steps_of:  # its operation is unknown: reported at the session
            return None
        if step not in steps_of[label]:
            call = sc.sessions[label].call
            self.unknown(at, "step", step, steps_of[label], within=f"session {label} (operation {call})")
            return None
        return label, step

    def permutations(
        self, at: PathKey, orders: list[list[str]], steps_of: Mapping[str, list[str]], sc: Scenario
    ) -> None:
        seen_orders: dict[tuple[str, ...], int] = {}
        for p, order in enumerate(orders):
            here: PathKey = at + (p,)
            if tuple(order) in seen_orders:
                self.error(here, "MB021", f"the same order as permutation {seen_orders[tuple(order)] + 1}")
            seen_orders.setdefault(tuple(order), p)
            position: dict[str, int] = {}
            complete = len(steps_of) == len(sc.sessions)
            for k, item in enumerate(order):
                if self.session_step(here + (k,), item, steps_of, sc) is None:
                    complete = False
                elif item in position:
                    self.error(here + (k,), "MB021", f"{item} is issued twice (first at position {position[item] + 1})")
                    complete = False
                else:
                    position.setdefault(item, k)
            everything = [f"{label}.{step}" for label, steps in steps_of.items() for step in steps]
            missing = [item for item in everything if item not in position]
            if missing and complete:
                self.error(
                    here,
                    "MB022",
                    f"the permutation leaves out {', '.join(missing)} "
                    "(expected every step of every session exactly once)",
                )
            for label, steps in steps_of.items():
                issued = [(position[f"{label}.{s}"], s) for s in steps if f"{label}.{s}" in position]
                for (earlier, before), (k, after) in pairwise(issued):
                    if k < earlier:
                        self.error(
                            here + (k,),
                            "MB022",
                            f"{label}.{after} is issued before {label}.{before} "
                            f"(expected session {label}'s steps in its operation's order: {', '.join(steps)})",
                        )
                        break

    def outcome(
        self,
        at: PathKey,
        outcome: Outcome,
        last: bool,
        steps_of: Mapping[str, list[str]],
        sc: Scenario,
        names: _Names,
    ) -> None:
        when = outcome.when
        if (when is None or when == []) and not last:
            self.error(
                at,
                "MB022",
                "an outcome without 'when' holds for every permutation, so the outcomes after it are never "
                "reached (expected it last)",
            )
        for cond_at, condition in self.conditions(at + ("when",), when):
            first, _, second = condition.partition(" before ")
            found = [self.session_step(cond_at, item, steps_of, sc) for item in (first, second)]
            if first == second and None not in found:
                self.error(cond_at, "MB022", f"{first} is never issued before itself (expected two different steps)")
        for label, said in outcome.expect.items():
            here: PathKey = at + ("expect", label)
            if label not in sc.sessions:
                self.unknown(here, "session", label, sc.sessions)
            elif said != "ok":
                op = self.ops.get(sc.sessions[label].call)
                if op is not None:
                    self.problem(here, said, sc.sessions[label].call, op)
        missing = [label for label in sc.sessions if label not in outcome.expect]
        if missing:
            self.error(
                at + ("expect",),
                "MB022",
                f"the outcome says nothing of session(s) {', '.join(missing)} "
                f"(expected 'ok' or a problem type for each of {', '.join(sc.sessions)})",
            )
        for i, check in enumerate(outcome.then):
            self.state_check(at + ("then", i), check, names)

    def conditions(
        self, at: PathKey, when: str | list[str] | PerDialectCondition | None
    ) -> Iterator[tuple[PathKey, str]]:
        """Each condition an outcome states, with its path."""
        if isinstance(when, PerDialectCondition):
            given = [d for d in DIALECTS if getattr(when, d) is not None]
            if not given:
                self.error(at, "MB022", f"a per-dialect condition names no dialect (expected {', '.join(DIALECTS)})")
            for dialect in given:
                yield from self.conditions(at + (dialect,), getattr(when, dialect))
        elif isinstance(when, str):
            yield at, when
        elif when is not None:
            for i, condition in enumerate(when):
                yield at + (i,), condition

    # --- races --------------------------------------------------------------------------------
    def race(self, at: PathKey, race: Race, names: _Names) -> None:
        picks: dict[str, set[str] | None] = {}
        for name, target in race.pick.items():
            here: PathKey = at + ("pick", name)
            if name in names.fixtures or name in names.kept or name == GIVEN:
                self.error(
                    here, "MB021", f"pick name {name!r} is already used by a fixture, a step's 'into' or '@given'"
                )
            if isinstance(target, str):
                if target not in names.fixtures:
                    self.unknown(here, "fixture", target, names.fixtures)
                picks[name] = names.fixtures.get(target, set())
            else:
                if not target:
                    self.error(here, "MB022", "a pick from an empty list (expected at least one value)")
                for i, value in enumerate(target):
                    self.value(here + (i,), value, names)
                picks[name] = None
        in_attempt = names.inside(picks=picks)
        for a, action in enumerate(race.actions):
            here = at + ("actions", a)
            self.call(here, action.call, action.with_)
            scope = in_attempt
            if action.given is not None:
                columns = self.state_check(here + ("given",), action.given, in_attempt)
                scope = in_attempt.inside(given=set(columns or ()), any_given=columns is None)
            self.values(here + ("with",), action.with_, scope)
        known = all(action.call in self.ops for action in race.actions)
        reported = {
            p for action in race.actions if action.call in self.ops for p in problems_reported(self.ops[action.call])
        }
        for j, problem in enumerate(race.must_see):
            if problem not in self.problems:
                self.unknown(at + ("must_see", j), "problem type", problem, self.problems)
            elif known and problem not in reported:
                self.error(
                    at + ("must_see", j),
                    "MB022",
                    f"no action's operation reports {problem!r} "
                    f"(expected one of {', '.join(sorted(reported)) or 'none'})",
                )

    # --- queries and values -----------------------------------------------------------------
    def state_check(self, at: PathKey, check: StateCheck | Query, names: _Names) -> list[str] | None:
        """Check a query and its rows; the query's column names (None: not known)."""
        self.values(at + ("with",), check.with_, names)
        if isinstance(check, StateCheck):
            self.rows(at + ("rows",), check.rows, names)
        return self.query(at + ("sql",), check.sql, check.with_, select=True)

    def query(self, at: PathKey, text: str, given: Mapping[str, ScenarioValue], *, select: bool) -> list[str] | None:
        """Parse one statement (a query when ``select``) and match its parameters with ``given``.

        Returns the columns a query gives, by name; None when that is not known.
        """
        from sqlglot import exp

        # the one neutral-SQL parser, so a text accepted here is one the verifier can run
        from medbook_design.sql.neutral import SqlSyntaxError, parse_statement

        try:
            tree = parse_statement(text)
        except SqlSyntaxError as exc:
            self.error(at, "MB013", f"not a SQL statement: {exc.detail}")
            return None
        if select and not isinstance(tree, exp.Query):
            self.error(at, "MB022", f"expected one SELECT (a query over the state), found {tree.key.upper()}")
            return None
        writes = next(tree.find_all(exp.Insert, exp.Update, exp.Delete, exp.Merge), None) if select else None
        if writes is not None:
            self.error(at, "MB022", f"a query over the state must not change it (found {writes.key.upper()} inside)")
            return None
        # every table the statement reads or writes is one the spec declares (a CTE is its own)
        ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
        for table in tree.find_all(exp.Table):
            if table.name and table.name not in ctes and table.name not in self.spec.tables.tables:
                self.unknown(at, "table", table.name, self.spec.tables.tables, within="this SQL")
        used = list(dict.fromkeys(p.name for p in tree.find_all(exp.Placeholder)))
        for key in given:
            if key not in used:
                self.unknown(at[:-1] + ("with", key), "parameter", key, used, within="this SQL")
        missing = [f":{p}" for p in used if p not in given]
        if missing:
            self.error(
                at,
                "MB022",
                f"the SQL uses {', '.join(missing)} but nothing gives a value for it (expected it in 'with')",
            )
        return _output_names(tree) if isinstance(tree, exp.Query) else None

    def rows(self, at: PathKey, rows: list[list[ScenarioValue]], names: _Names) -> None:
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.value(at + (r, c), value, names)

    def values(self, at: PathKey, given: Mapping[str, ScenarioValue], names: _Names) -> None:
        for key, value in given.items():
            self.value(at + (key,), value, names)

    def value(self, at: PathKey, value: ScenarioValue, names: _Names) -> None:
        if isinstance(value, str) and "{i}" in value and not names.counted:
            self.error(
                at,
                "MB022",
                "'{i}' is the row index of a counted fixture (expected it only in values of one with 'count')",
            )
            return
        try:
            parsed = meaning(counted(value))
        except ValueSyntaxError as exc:
            self.error(at, "MB013", str(exc))
            return
        if isinstance(parsed, FixtureValue):
            self.fixture_value(at, parsed, names)
        elif isinstance(parsed, KeptId):
            self.kept_value(at, value, parsed, names)

    def fixture_value(self, at: PathKey, parsed: FixtureValue, names: _Names) -> None:
        name, column = parsed.fixture, parsed.column
        if name == GIVEN and (names.given is not None or name not in names.fixtures):
            if names.given is None:
                self.error(
                    at,
                    "MB022",
                    f"'@given.{column}' names the row a race action's 'given' query found "
                    "(expected it only in the 'with' of an action that has 'given')",
                )
            elif not names.any_given and column not in names.given:
                self.unknown(at, "column", column, names.given, within="the 'given' query")
        elif name in names.picks:
            columns = names.picks[name]
            if columns is None:
                self.error(at, "MB022", f"pick {name!r} is a list of values (expected '@{name}', not a column of it)")
            elif columns and column not in columns:
                self.unknown(at, "column", column, columns, within=f"the fixture pick {name!r} draws from")
        elif name in names.later_fixtures:
            self.error(at, "MB022", f"fixture {name!r} is defined later (expected a fixture defined above this one)")
        elif name not in names.fixtures:
            self.unknown(at, "fixture", name, [*names.fixtures, *names.picks])
        elif column not in names.fixtures[name]:
            self.unknown(at, "fixture value", f"{name}.{column}", (f"{name}.{c}" for c in names.fixtures[name]))
        elif names.counts.get(name, 1) > 1 and names.row_count != names.counts[name]:
            self.error(
                at,
                "MB022",
                f"fixture {name!r} has {names.counts[name]} rows, so '@{name}.{column}' names none of them "
                f"(expected a race's pick of it, or a fixture of {names.counts[name]} rows referring to it row by row)",
            )

    def kept_value(self, at: PathKey, value: ScenarioValue, parsed: KeptId, names: _Names) -> None:
        name = parsed.name
        if name in names.picks:
            if names.picks[name] is not None:
                self.error(
                    at, "MB022", f"{value!r} names a fixture pick without a column (expected '@{name}.<column>')"
                )
        elif name in names.later_kept:
            self.error(at, "MB022", f"{name!r} is kept by a later step (expected a name kept above this use)")
        elif name in names.fixtures:
            self.error(at, "MB022", f"{value!r} names a fixture without a column (expected '@{name}.<column>')")
        elif name not in names.kept:
            lists = [p for p, columns in names.picks.items() if columns is None]
            self.unknown(at, "'into' name", name, [*names.kept, *lists])


def _either(words: tuple[str, ...]) -> str:
    return " or ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} or {words[-1]}"


def _output_names(tree: exp.Query) -> list[str] | None:
    """The names of the columns a query gives; None when a ``*`` hides them."""
    names = [select.output_name for select in tree.selects]
    return None if "*" in names else [n for n in names if n]


def check_scenarios(spec: Spec, report: Reporter) -> None:
    """Report every problem of the invariants and data scenarios in ``spec`` to ``report``."""
    ScenarioChecks(spec, report).run()
