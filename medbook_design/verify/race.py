"""A race scenario: many connections, many attempts over a few hot rows, invariants after.

Every connection waits at one barrier and then draws attempts from one shared budget. An
attempt draws its picks (a random row of a counted fixture, or a random listed value),
runs each action's ``given`` query to see which actions are possible right now, chooses
one of those by weight and runs its operation as the service would. While the race runs,
one more connection checks the invariants again and again; afterwards every invariant
must find nothing, no attempt may end in an unexpected database error, something must
have committed, and each problem in ``must_see`` must have happened at least once, or
the race contended nothing and proved nothing. A connection's choices come from the seed
and its index, so a run is repeatable as far as the server's scheduling allows.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from medbook_design.spec.model import Race, RaceAction, Scenario
from medbook_design.verify import expect as check
from medbook_design.verify import queries as q
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.executor import Result, execute
from medbook_design.verify.session import DbError, Session
from medbook_design.verify.steps import run_steps
from medbook_design.verify.values import Bindings, FixtureFailed, create_fixtures

WATCH_PAUSE_S = 0.02


@dataclass
class RaceFigures:
    connections: int
    attempts: int = 0
    idle: int = 0  # attempts for which no action was possible
    by_operation: dict[str, Counter] = field(default_factory=dict)  # operation -> attempts, commits
    rejections: Counter = field(default_factory=Counter)  # problem type -> count
    errors: Counter = field(default_factory=Counter)  # unexpected outcomes by label
    retries: int = 0
    violations: dict[str, int] = field(default_factory=dict)  # invariant -> rows found afterwards
    violated_during: dict[str, int] = field(default_factory=dict)  # invariant -> most rows one check found
    checks_during: int = 0  # rounds of invariant checks while the race ran
    seconds: float = 0.0

    @property
    def commits(self) -> int:
        return sum(c["commits"] for c in self.by_operation.values())

    def count(self, operation: str, result: Result) -> None:
        tally = self.by_operation.setdefault(operation, Counter())
        tally["attempts"] += 1
        tally["commits"] += result.ok
        self.attempts += 1
        self.retries += result.attempts - 1
        if not result.ok:
            if result.problem:
                self.rejections[result.problem] += 1
            else:
                self.errors[result.label] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "connections": self.connections,
            "attempts": self.attempts,
            "idle": self.idle,
            "commits": self.commits,
            "operations": {
                op: {"attempts": c["attempts"], "commits": c["commits"]} for op, c in sorted(self.by_operation.items())
            },
            "rejections": dict(sorted(self.rejections.items())),
            "errors": dict(sorted(self.errors.items())),
            "retries": self.retries,
            "violations": dict(sorted(self.violations.items())),
            "violations_during": dict(sorted(self.violated_during.items())),
            "seconds": round(self.seconds, 2),
        }


def run_race(ctx: Context, scenario: Scenario) -> Verdict:
    race = scenario.race
    assert race is not None  # the loader gives every race scenario its race
    bindings = Bindings.start(ctx)
    try:
        create_fixtures(ctx, scenario.fixtures, bindings)
    except FixtureFailed as exc:
        return Verdict(False, str(exc))
    setup = run_steps(ctx, scenario.steps, bindings)
    if setup:
        return Verdict(False, f"setup failed: {'; '.join(setup)}")
    connections = max(race.connections, ctx.threads or 0)
    try:
        figures = measure(
            ctx,
            race,
            bindings,
            connections=connections,
            attempts=ctx.attempts or race.attempts,
            seed=race.seed if ctx.seed is None else ctx.seed,
        )
    except DbError as exc:
        return Verdict(False, f"the race could not run: {exc}")
    found = check.invariant_violations(ctx)
    figures.violations = {name: len(rows) for name, rows in found.items()}
    verdict = judge(ctx, race, figures, found)
    failed = check.state_checks(ctx, scenario.then, bindings)
    if failed:
        return Verdict(False, f"{verdict.detail}; FAILED: {'; '.join(failed)}", verdict.figures)
    return verdict


def measure(ctx: Context, race: Race, bindings: Bindings, *, connections: int, attempts: int, seed: int) -> RaceFigures:
    """Run the race's attempts over ``connections`` sessions and count what happened."""
    figures = RaceFigures(connections)
    budget = iter(range(attempts))
    lock = threading.Lock()
    sessions = [ctx.connect() for _ in range(connections)]
    barrier = threading.Barrier(connections)
    failures: list[BaseException] = []
    numbers = [ctx.next_n() for _ in range(attempts)]  # {n} of each attempt, drawn up front: no shared counter

    def one_connection(index: int, session: Session) -> None:
        rng = random.Random(seed * 1000 + index)
        barrier.wait()
        while True:
            with lock:
                n = next(budget, None)
            if n is None:
                return
            attempt = bindings.derived(numbers[n])
            _pick(race, attempt, rng)
            chosen = _choose(ctx, session, race.actions, attempt, rng)
            if chosen is None:
                with lock:
                    figures.idle += 1
                continue
            params = attempt.values(chosen.with_)
            result = execute(session, ctx.ops[chosen.call], params, retries=ctx.retries)
            with lock:
                figures.count(chosen.call, result)

    def guarded(index: int, session: Session) -> None:
        try:
            one_connection(index, session)
        except BaseException as exc:  # noqa: BLE001 - reported in the verdict, never swallowed
            failures.append(exc)
            barrier.abort()

    running = threading.Event()
    running.set()
    watcher_session = ctx.connect()

    def watch() -> None:
        """Check the invariants over and over while the race runs: a violation may be undone before the end."""
        try:
            while running.is_set():
                for name, rows in check.invariant_violations(ctx, watcher_session).items():
                    with lock:
                        figures.violated_during[name] = max(figures.violated_during.get(name, 0), len(rows))
                figures.checks_during += 1
                time.sleep(WATCH_PAUSE_S)
        except BaseException as exc:  # noqa: BLE001 - reported in the verdict, never swallowed
            failures.append(exc)

    threads = [threading.Thread(target=guarded, args=(i, s), name=f"race-{i}") for i, s in enumerate(sessions)]
    watcher = threading.Thread(target=watch, name="race-invariants")
    started = time.perf_counter()
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running.clear()
    watcher.join()
    figures.seconds = time.perf_counter() - started
    for session in sessions:
        session.close()
    if failures:
        first = failures[0]
        if isinstance(first, DbError):
            raise first
        raise RuntimeError(f"a race connection failed: {type(first).__name__}: {first}") from first
    return figures


def _pick(race: Race, attempt: Bindings, rng: random.Random) -> None:
    for name, source in race.pick.items():
        if isinstance(source, list):
            attempt.picked[name] = rng.choice(source)
        else:
            attempt.rows[name] = rng.choice(attempt.fixtures[source])


def _choose(
    ctx: Context, session: Session, actions: list[RaceAction], attempt: Bindings, rng: random.Random
) -> RaceAction | None:
    """An action possible right now, by weight; None when none is."""
    possible: list[tuple[RaceAction, dict[str, Any] | None]] = []
    for action in actions:
        given = None
        if action.given is not None:
            out = session.execute(q.query(action.given.sql, ctx.dialect), attempt.values(action.given.with_))
            if not out.rows:
                continue
            given = dict(zip(out.columns, out.rows[0], strict=True))
        possible.append((action, given))
    if not possible:
        return None
    action, given = rng.choices(possible, weights=[a.weight for a, _ in possible])[0]
    if given is not None:
        attempt.rows["given"] = given
    return action


def judge(ctx: Context, race: Race, f: RaceFigures, found: dict[str, list[tuple]]) -> Verdict:
    problems = []
    for name, rows in found.items():
        problems.append(
            f"invariant {name} ({ctx.spec.scenarios.invariants[name].title}) found {len(rows)} row(s): "
            f"{check.shown(rows)}"
        )
    for name, most in f.violated_during.items():
        if name not in found:
            problems.append(f"invariant {name} found {most} row(s) while the race ran, none afterwards")
    if not f.commits:
        problems.append("no attempt committed: the race exercised nothing")
    if f.errors:
        problems.append(f"unexpected errors {dict(f.errors)}")
    unseen = [p for p in race.must_see if not f.rejections.get(p)]
    if unseen:
        problems.append(f"never saw {', '.join(unseen)}: the race contended nothing")
    per_op = ", ".join(f"{op} {c['commits']}/{c['attempts']}" for op, c in sorted(f.by_operation.items()))
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(f.rejections.items())) or "none"
    held = ", ".join(f"{name} {f.violations.get(name, 0)}" for name in ctx.spec.scenarios.invariants) or "none declared"
    summary = (
        f"{f.connections} connections, {f.attempts} attempts in {f.seconds:.2f} s: {f.commits} committed "
        f"(committed/attempted: {per_op}); rejected: {rejected}; {f.retries} retries; "
        f"invariant violations: {held}; {f.checks_during} rounds of invariant checks while it ran"
    )
    if problems:
        return Verdict(False, f"{summary}; FAILED: {'; '.join(problems)}", f.as_dict())
    return Verdict(True, summary, f.as_dict())
