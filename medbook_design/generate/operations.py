"""Render the spec's operations (neutral SQL, ``:named`` parameters) for one dialect.

The text produced here is the single rendering of an operation: the design document
shows it and ``medbook-design verify`` executes it, so what reviewers read is what ran.

Each neutral statement is parsed with sqlglot and changed as a tree:

* parameters bound to a policy (``source: policy``) become the policy's literal value,
  so ``INTERVAL :patient_notice_hours HOUR`` is ``INTERVAL '24 HOUR'`` on PostgreSQL and
  ``INTERVAL 24 HOUR`` on MySQL, and the window is typed once, in policies.yaml;
* every other parameter becomes a driver placeholder ``%(name)s`` (pyformat, accepted by
  psycopg and PyMySQL alike);
* a ``returns_id`` INSERT hands back the inserted row's key (the identity column, else a
  one-column primary key; see :mod:`medbook_design.sql.returned_key`): ``RETURNING <key>``
  where the dialect has RETURNING (PostgreSQL); on MySQL the driver's ``lastrowid`` for a
  key the database numbers, else the value of the parameter the INSERT sets the key from;
* a parameter with ``source: step`` is not the caller's: it carries the key an earlier
  ``returns_id`` step kept to the steps after it.

The dialect (:mod:`~medbook_design.generate.ddl.dialects`) then writes the tree: MySQL's
clock gets microseconds like its DATETIME(6) columns, and the text is laid out over lines
as the document shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from medbook_design.errors import GenerationError, Location
from medbook_design.generate.ddl.dialects import dialect_for
from medbook_design.generate.ddl.migration import check_dialect
from medbook_design.generate.ddl.neutral import parse_statement, refuse_unportable, render
from medbook_design.spec.design import Design, PathKey
from medbook_design.spec.model import Operation
from medbook_design.sql import neutral
from medbook_design.sql.returned_key import NoReturnedKey, ReturnedKey, returned_key

F = "operations.yaml"
_STATEMENTS = (exp.Select, exp.Insert, exp.Update, exp.Delete, exp.Union)


@dataclass(frozen=True)
class RenderedStep:
    name: str
    sql: str
    expect_rows: int | None
    returns_id: bool
    returns_rows: bool
    # returns_id on a dialect without RETURNING, for a key the database does not number:
    # the parameter whose value is the inserted key (None: the first row returned, else lastrowid)
    key_param: str | None = None
    with_previous: bool = False  # runs in the same interleaving turn as the step before it


@dataclass(frozen=True)
class RenderedOperation:
    """One operation ready to run: steps in order, the diagnosis query and what they bind."""

    name: str
    dialect: str
    isolation: str
    steps: list[RenderedStep]
    diagnose: str | None
    params: list[str]  # what the caller supplies, in the spec's order (policy- and step-bound ones excluded)
    policy_values: dict[str, object] = field(default_factory=dict)  # substituted as literals
    db_errors: dict[str, str] = field(default_factory=dict)
    diagnose_problems: list[str] = field(default_factory=list)
    step_params: dict[str, str] = field(default_factory=dict)  # parameter -> the step whose kept key it carries


def render_operation(design: Design, name: str, dialect: str) -> RenderedOperation:
    """Render operation ``name`` for ``dialect``."""
    check_dialect(dialect)
    operation = design.spec.operations.operations.get(name)
    if operation is None:
        known = ", ".join(design.spec.operations.operations)
        raise GenerationError(f"no operation {name!r} in operations.yaml (expected one of {known})")
    return _render(design, name, operation, dialect, _Texts(), last_use=True)


def render_operations(design: Design, dialect: str) -> dict[str, RenderedOperation]:
    """Every operation of the spec, in the spec's order."""
    return render_operations_for(design, [dialect])[dialect]


def render_operations_for(design: Design, dialects: list[str]) -> dict[str, dict[str, RenderedOperation]]:
    """Every operation for each dialect: {dialect: {operation: rendered}}, in the spec's order.

    Each text is parsed, checked and prepared once for all the dialects. The error raised is
    the one rendering the dialects one after the other would raise: the first dialect's
    first error, else the next dialect's.
    """
    for dialect in dialects:
        check_dialect(dialect)
    out: dict[str, dict[str, RenderedOperation]] = {d: {} for d in dialects}
    failed: dict[str, GenerationError] = {}
    for name, operation in design.spec.operations.operations.items():
        texts = _Texts()  # one operation's trees at a time: memory stays bounded
        going = [d for d in dialects if d not in failed]
        for i, dialect in enumerate(going):
            try:
                out[dialect][name] = _render(design, name, operation, dialect, texts, last_use=i == len(going) - 1)
            except GenerationError as exc:
                failed[dialect] = exc
    for dialect in dialects:
        if dialect in failed:
            raise failed[dialect]
    return out


class _Texts:
    """The SQL texts of one operation, parsed and prepared once for every dialect it is rendered for."""

    def __init__(self) -> None:
        self.unportable: dict[str, list[neutral.Unportable]] = {}
        self.prepared: dict[PathKey, exp.Expr] = {}  # by where the text is: its errors name the place

    def tree(self, sql: str, at: Location, dialect: str) -> exp.Expr:
        """The shared, read-only tree of ``sql``; a construct ``dialect`` lacks is a located error."""
        tree = parse_statement(sql, at, None, read_only=True)
        found = self.unportable.get(sql)
        if found is None:
            found = self.unportable[sql] = neutral.unportable(tree, sql)
        refuse_unportable(found, at, dialect)
        return tree


def _render(
    design: Design, name: str, operation: Operation, dialect: str, texts: _Texts, *, last_use: bool
) -> RenderedOperation:
    """``last_use``: no other dialect renders the prepared trees after this one."""
    bound = _policy_values(design, operation)
    from_steps = {p: param.step for p, param in operation.params.items() if param.source == "step" and param.step}
    driver_params = [p for p in operation.params if p not in bound and p not in from_steps]
    returning = dialect_for(dialect).RETURNING
    steps = []
    for i, step in enumerate(operation.steps):
        where: PathKey = ("operations", name, "steps", i, "sql")
        # decided on the neutral tree, before parameters become driver placeholders
        key = _returned_key(design, texts, step.sql, where, dialect) if step.returns_id else None
        tree = _prepare(design, operation, texts, step.sql, where, bound, dialect)
        key_param = None
        if key is not None and returning:
            tree = tree.copy()  # the prepared tree is every dialect's; RETURNING is this one's
            tree.set("returning", exp.Returning(expressions=[exp.column(key.column)]))
        elif key is not None and not key.generated:
            key_param = key.param
        steps.append(
            RenderedStep(
                step.name,
                render(tree, dialect, last_use=last_use or tree is not texts.prepared[where]),
                step.expect_rows,
                step.returns_id,
                step.returns_rows,
                key_param,
                step.with_previous,
            )
        )
    diagnose = None
    if operation.diagnose is not None:
        where = ("operations", name, "diagnose", "sql")
        prepared = _prepare(design, operation, texts, operation.diagnose.sql, where, bound, dialect)
        diagnose = render(prepared, dialect, last_use=last_use)
    _check_step_params(design, name, operation, from_steps)  # every text parsed above
    return RenderedOperation(
        name=name,
        dialect=dialect,
        isolation=operation.isolation,
        steps=steps,
        diagnose=diagnose,
        params=driver_params,
        policy_values=bound,
        db_errors={str(k): v for k, v in operation.db_errors.items()},
        diagnose_problems=list(operation.diagnose.problems) if operation.diagnose else [],
        step_params=from_steps,
    )


def _policy_values(design: Design, operation: Operation) -> dict[str, object]:
    values: dict[str, object] = {}
    for pname, param in operation.params.items():
        if param.source == "policy" and param.policy_value:
            value = design.policy_value(param.policy_value)
            if value is not None:  # an unknown name was reported when the spec was loaded
                values[pname] = value.value
    return values


def _prepare(
    design: Design,
    operation: Operation,
    texts: _Texts,
    sql: str,
    where: PathKey,
    bound: dict[str, object],
    dialect: str,
) -> exp.Expr:
    """The statement with its parameters bound: the same tree for every dialect, made once."""
    at = design.locate(F, where)
    shared = texts.tree(sql, at, dialect)
    prepared = texts.prepared.get(where)
    if prepared is not None:
        return prepared
    if not isinstance(shared, _STATEMENTS):
        raise GenerationError(f"{at}: expected SELECT, INSERT, UPDATE or DELETE, found {shared.key.upper()}")
    for node in shared.find_all(exp.Placeholder):
        if not node.name:
            raise GenerationError(f"{at}: positional parameter '?' found (expected :name parameters)")
        if node.name not in operation.params:
            known = ", ".join(operation.params) or "none"
            raise GenerationError(f"{at}: parameter :{node.name} is not declared in params (expected one of {known})")
    for interval in shared.find_all(exp.Interval):
        amount = interval.this
        if isinstance(amount, exp.Placeholder) and amount.name not in bound:
            raise GenerationError(
                f"{at}: INTERVAL :{amount.name} must be a literal on PostgreSQL "
                "(expected a parameter with source: policy, found a runtime parameter)"
            )
    if shared.find(exp.Mod):
        raise GenerationError(f"{at}: the % operator clashes with driver placeholders (expected MOD(a, b))")

    def substitute(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder):
            if node.name in bound:
                return _literal(bound[node.name])
            return exp.var(f"%({node.name})s")
        if isinstance(node, exp.Literal) and node.is_string and "%" in node.this:
            return exp.Literal.string(node.this.replace("%", "%%"))  # pyformat: a literal % is %%
        return node

    prepared = texts.prepared[where] = shared.copy().transform(substitute, copy=False)
    return prepared


def _literal(value: object) -> exp.Expression:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def _returned_key(design: Design, texts: _Texts, sql: str, where: PathKey, dialect: str) -> ReturnedKey:
    at = design.locate(F, where)
    tree = texts.tree(sql, at, dialect)
    try:
        return returned_key(tree, design.spec.tables.tables, without_returning=not dialect_for(dialect).RETURNING)
    except NoReturnedKey as exc:
        raise GenerationError(f"{at}: {exc}") from None


def _check_step_params(design: Design, name: str, operation: Operation, from_steps: dict[str, str]) -> None:
    """A kept key exists only after its step ran: later steps may use it, the diagnosis never."""
    if not from_steps:
        return
    order = {step.name: i for i, step in enumerate(operation.steps)}
    for i, step in enumerate(operation.steps):
        where: PathKey = ("operations", name, "steps", i, "sql")
        for param in _placeholders(step.sql):
            source = from_steps.get(param)
            if source is not None and order.get(source, len(order)) >= i:
                raise GenerationError(
                    f"{design.locate(F, where)}: step {step.name} uses :{param}, the key step {source} keeps "
                    f"(expected it only in steps after {source})"
                )
    if operation.diagnose is not None:
        for param in _placeholders(operation.diagnose.sql):
            if param in from_steps:
                raise GenerationError(
                    f"{design.locate(F, ('operations', name, 'diagnose', 'sql'))}: the diagnosis uses :{param}, "
                    f"a key kept inside the rolled-back transaction (expected only parameters the caller supplies)"
                )


def _placeholders(sql: str) -> list[str]:
    return [node.name for node in neutral.statement_tree(sql).find_all(exp.Placeholder) if node.name]
