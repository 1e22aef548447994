"""Mermaid sequence diagrams of an interleaving, drawn from what one engine recorded.

``verify --record`` keeps a few permutations of each interleaving scenario as traces
(:class:`~medbook_design.reports.Trace`): the order the steps were issued in, and each
step as it finished, with its row count, error, whether it waited for the other session's
lock and whether the operation ended there. Every message drawn here is one of those
events; nothing is predicted from the SQL. A step that waited is drawn where it was
issued, with a note, and its answer where it finished, after the other session's COMMIT
or ROLLBACK. Engines differ (a stale snapshot matches no row on PostgreSQL without
waiting; InnoDB waits and reads the committed row), so each engine gets its own diagram.

The service's side of a refusal is drawn from the operation's contract, as the service
runs it: ROLLBACK, then either the ``db_errors`` mapping of the error or the diagnosis
query that named the recorded problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medbook_design.render.markdown import mermaid_text
from medbook_design.reports import COMMIT_STEP, Trace, TraceEvent
from medbook_design.spec.design import Design
from medbook_design.spec.model import Operation, Scenario, Step

_TARGET = re.compile(r"\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM|FROM)\s+([A-Za-z_][A-Za-z0-9_]*)", re.I)


@dataclass(frozen=True)
class DrawnTrace:
    """One recorded permutation: what the page says about it and its diagram."""

    order: tuple[str, ...]  # "<session>.<step>" as issued
    waits: tuple[str, ...]  # one sentence per step that waited; empty when none did
    outcome: str  # what each caller got: "A gets 201, B gets 409 slot-unavailable"
    diagram: str


def stale(design: Design, scenario: Scenario, trace: Trace) -> str | None:
    """Why the trace no longer describes this design and scenario, or None when it does."""
    operations = design.spec.operations.operations
    for label, run in trace.sessions.items():
        declared = scenario.sessions.get(label)
        if scenario.sessions and declared is None:
            return f"the scenario no longer has session {label}"
        if declared is not None and declared.call != run.operation:
            return f"session {label} ran {run.operation}; the scenario now runs {declared.call} there"
        op = operations.get(run.operation)
        if op is None:
            return f"session {label} ran {run.operation}, which the design no longer has"
        if run.isolation.lower() != op.isolation.lower():
            return f"{run.operation} ran at {run.isolation}; it now runs at {op.isolation}"
    for event in trace.events:
        run = trace.sessions[event.session]
        if event.step != COMMIT_STEP and event.step not in {s.name for s in operations[run.operation].steps}:
            return f"{run.operation} has no step {event.step} any more"
    return None


def draw(design: Design, trace: Trace) -> DrawnTrace:
    """The diagram and sentences of one trace (check :func:`stale` first)."""
    drawing = _Drawing(design, trace)
    return DrawnTrace(trace.order, tuple(drawing.waits), drawing.outcome, drawing.mermaid())


def answer(design: Design, label: str, operation: str, outcome: str) -> str:
    """What a caller got, with the HTTP status where the endpoints say it: 'B gets 409 slot-unavailable'."""
    if outcome == "ok":
        endpoint = design.home_endpoint(operation)
        responses = design.spec.endpoints.endpoints[endpoint].responses if endpoint else []
        status = next((r.status for r in responses if 200 <= r.status < 300), None)
        return f"{label} gets {status}" if status else f"{label} succeeds"
    if outcome.startswith("error:"):  # an error the service reports as such, never guessed into a problem
        return f"{label} fails with database error {outcome.removeprefix('error:')}"
    problem = design.spec.endpoints.problems.get(outcome)
    return f"{label} gets {problem.status} {outcome}" if problem else f"{label} gets {outcome}"


def verb(step: Step) -> str:
    """'UPDATE availability_slots': what the statement is, to label its message."""
    words = step.sql.split()
    keyword = words[0].upper() if words else ""
    found = _TARGET.search(step.sql)
    return f"{keyword} {found.group(1)}" if found else keyword


def _rows(n: int) -> str:
    return "1 row" if n == 1 else f"{n} rows"


class _Drawing:
    """Walks the issued order and the finished events together, emitting Mermaid lines."""

    def __init__(self, design: Design, trace: Trace):
        self.design = design
        self.trace = trace
        self.labels = list(trace.sessions)
        half = (len(self.labels) + 1) // 2
        self.left = set(self.labels[:half])  # participants: half the sessions, the database, the rest
        self.lines: list[str] = []
        self.waits: list[str] = []
        self.finished: list[TraceEvent] = []
        self._walk()
        self.outcome = ", ".join(self._gets(label) for label in self.labels)

    def op(self, label: str) -> Operation:
        return self.design.spec.operations.operations[self.trace.sessions[label].operation]

    def step(self, label: str, name: str) -> Step:
        return next(s for s in self.op(label).steps if s.name == name)

    def say(self, line: str) -> None:
        self.lines.append("    " + line)

    def note(self, label: str, words: str) -> None:
        over = f"{label},DB" if label in self.left else f"DB,{label}"
        self.say(f"Note over {over}: {mermaid_text(words)}")

    def mermaid(self) -> str:
        head = ["sequenceDiagram"]
        for label in self.labels:
            if label in self.left:
                head.append(f"    participant {label} as {mermaid_text(self._title(label))}")
        head.append("    participant DB as Database")
        for label in self.labels:
            if label not in self.left:
                head.append(f"    participant {label} as {mermaid_text(self._title(label))}")
        ends = f"{self.labels[0]},{self.labels[-1]}" if len(self.labels) > 1 else self.labels[0]
        tail = [f"    Note over {ends}: {mermaid_text(self.outcome)}"]
        return "\n".join(head + self.lines + tail)

    def _title(self, label: str) -> str:
        return f"{label} ({self.trace.sessions[label].operation})"

    def _gets(self, label: str) -> str:
        outcome = self.trace.outcome.get(label)
        if outcome is None:
            return f"{label}: no outcome recorded"
        return answer(self.design, label, self.trace.sessions[label].operation, outcome)

    def _walk(self) -> None:
        events = {(e.session, e.step): e for e in self.trace.events}
        begun: set[str] = set()
        issued: set[tuple[str, str]] = set()
        pending = list(self.trace.events)  # in the order they finished
        for key in self.trace.order:
            label, _, name = key.partition(".")
            event = events.get((label, name))
            if event is None:
                continue  # the session had already ended: the step was never sent
            if label not in begun:
                begun.add(label)
                self.say(f"{label}->>DB: BEGIN ({mermaid_text(self.trace.sessions[label].isolation)})")
            if name == COMMIT_STEP:
                self.say(f"{label}->>DB: COMMIT")
            else:
                self.say(f"{label}->>DB: {mermaid_text(name)}: {mermaid_text(verb(self.step(label, name)))}")
            issued.add((label, name))
            if event.waited:
                holder = self._holder(event)
                held = f"a lock {holder} holds" if holder else "a lock another session holds"
                self.note(label, f"{label}'s {name} waits for {held}")
            while pending and (pending[0].session, pending[0].step) in issued:
                self._finish(pending.pop(0))

    def _holder(self, event: TraceEvent) -> str | None:
        """The one other session, when there is exactly one."""
        others = [label for label in self.labels if label != event.session]
        return others[0] if len(others) == 1 else None

    def _ended_before(self, event: TraceEvent) -> tuple[str, str] | None:
        """(session, 'COMMIT' or 'ROLLBACK') of the last other session to end before ``event`` finished."""
        for earlier in reversed(self.finished):
            if earlier.session == event.session:
                continue
            if earlier.refused:
                return earlier.session, "ROLLBACK"
            if earlier.step == COMMIT_STEP:
                return earlier.session, "COMMIT"
        return None

    def _finish(self, event: TraceEvent) -> None:
        label, name = event.session, event.step
        if event.waited:
            ended = self._ended_before(event)
            after = f" after {ended[0]}'s {ended[1]}" if ended else ""
            self.note(label, f"{label}'s {name} resumes{after}")
            held = f"a lock {ended[0]} held" if ended else "a lock another session held"
            self.waits.append(f"{label}'s {name} waited for {held} and finished{after}.")
        self.finished.append(event)
        if name == COMMIT_STEP:
            if event.error:
                self.say(f"DB-->>{label}: COMMIT: error {mermaid_text(event.error)}")
            elif event.waited:
                self.say(f"DB-->>{label}: committed")
        else:
            self.say(f"DB-->>{label}: {mermaid_text(name + ': ' + self._result(event))}")
        if event.refused:
            self._refusal(event)

    def _result(self, event: TraceEvent) -> str:
        if event.error:
            return f"error {event.error}"
        if event.rows is None:
            return "done"
        expected = self.step(event.session, event.step).expect_rows
        if expected is not None and event.rows != expected:
            return f"{_rows(event.rows)}, expected {expected}"
        return _rows(event.rows)

    def _refusal(self, event: TraceEvent) -> None:
        """The service rolls back and names the problem: by its db_errors mapping or its diagnosis."""
        label = event.session
        op = self.op(label)
        self.say(f"{label}->>DB: ROLLBACK")
        outcome = self.trace.outcome.get(label, "")
        if event.error and event.error in op.db_errors:
            self.note(label, f"{event.error} means {op.db_errors[event.error]}")
        elif op.diagnose is not None and outcome in op.diagnose.problems:
            self.say(f"{label}->>DB: diagnose")
            self.say(f"DB-->>{label}: {mermaid_text(outcome)}")
