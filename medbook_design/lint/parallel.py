"""The rules that read SQL run in a forked second process while this one runs the others.

On a large spec, parsing and analysing every operation's SQL is about half of lint's time,
and only the rules marked ``reads_sql`` need it. A child forked once the design is loaded
(:mod:`medbook_design.forked`) shares it, runs those rules and hands back their
findings while the parent runs the rest. A rule's findings do not depend on where it runs,
and the caller gets them back in rule order: the result is the one a single process gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from medbook_design.forked import Forked, can_fork
from medbook_design.lint.rule import Rule
from medbook_design.spec.model import Spec

T = TypeVar("T")

# Below this many SQL statements the SQL rules take less time than a second process costs
# to start and to hand its findings back (and the memory-growth test's sizes stay below it).
MIN_STATEMENTS = 1000


def worth_splitting(spec: Spec) -> bool:
    """Enough SQL (every step's and every diagnosis query) to pay for a second process."""
    statements = sum(len(op.steps) + (op.diagnose is not None) for op in spec.operations.operations.values())
    return statements >= MIN_STATEMENTS


def run_rules(rules: Sequence[Rule], run: Callable[[Rule], T], *, split: bool) -> list[T]:
    """``run(rule)`` for each rule, in order; with ``split`` the ``reads_sql`` ones in a child."""
    in_child = [i for i, rule in enumerate(rules) if rule.reads_sql]
    if not split or not in_child or len(in_child) == len(rules) or not can_fork():
        return [run(rule) for rule in rules]
    child = Forked(lambda: [run(rules[i]) for i in in_child])
    results: dict[int, T] = {}
    try:
        for i, rule in enumerate(rules):
            if i not in in_child:
                results[i] = run(rule)
        theirs = child.result()
    except BaseException:
        child.cancel()
        raise
    if not isinstance(theirs, list) or len(theirs) != len(in_child):
        theirs = [run(rules[i]) for i in in_child]  # the child failed: the same findings, later
    results.update(zip(in_child, theirs, strict=True))
    return [results[i] for i in range(len(rules))]
