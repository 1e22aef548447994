"""Facts the concurrency rules share, computed once per lint run.

* the steps of every operation that writes or locks, as
  :class:`~medbook_design.lint.transactions.Access` values (an operation that only reads
  without locking cannot race), and what the whole spec writes (the columns some UPDATE
  changes, the tables rows are inserted into or deleted from): a check can only be
  outdated by a write some operation makes;
* which earlier lock covers the rows a later statement reads: the same rows (a column
  keyed by the same parameter) or their parent row (a foreign key whose columns are keyed
  by the parameters the parent's lock is keyed by);
* what a table's unique keys guarantee, looking through generated columns of the form
  ``CASE WHEN <predicate> THEN <column> END``, which make a unique key hold only for the
  rows the predicate holds for;
* the declared invariants of policies, with their predicates parsed.

Predicates are compared by a canonical form, not by meaning: ``status <> 'cancelled'`` and
``status IN ('booked', 'completed')`` are the same when those are the enum's other values;
anything else must be written the same way (whitespace and keyword case aside).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from medbook_design.lint.sql import enum_term, expression_columns, literal_comparisons
from medbook_design.lint.transactions import Access, Lock, Rows, access, conjuncts
from medbook_design.spec.model import ForeignKey, PolicyInvariant, Table
from medbook_design.sql.neutral import SqlSyntaxError

if TYPE_CHECKING:
    from medbook_design.lint.context import LintContext, SqlSite
    from medbook_design.lint.sql import Statement
    from medbook_design.spec.design import PathKey


@dataclass(frozen=True)
class UniqueKey:
    """A unique constraint, unique index or primary key, seen through its generated columns."""

    name: str
    bases: frozenset[str]  # the plain columns whose values it keeps unique
    predicates: tuple[Hashable, ...]  # canonical forms of the predicates its generated columns encode
    opaque: bool  # a column is an expression this module cannot read (e.g. LOWER(email))


@dataclass(frozen=True)
class InvariantSite:
    policy: str
    name: str
    invariant: PolicyInvariant
    path: PathKey
    tree: Any  # the parsed ``where``, or None
    problem: str  # why the predicate cannot be judged, or ""

    @property
    def target(self) -> str:
        return f"policy:{self.policy}"


class ConcurrencyFacts:
    """Built lazily by :attr:`LintContext.concurrency`; each part is computed on first use."""

    def __init__(self, ctx: LintContext):
        self.ctx = ctx
        self.spec = ctx.spec
        self._unique_keys: dict[str, list[UniqueKey]] = {}

    # --- transactions -----------------------------------------------------------------
    @cached_property
    def _transactions(self) -> tuple[dict[str, list[Access]], frozenset[str]]:
        parsed: dict[str, list[tuple[SqlSite, Statement]]] = {}
        broken: set[str] = set()
        for site in self.ctx.sql_sites:
            if site.step is None:
                continue
            if site.statement is None:
                broken.add(site.operation)
            else:
                parsed.setdefault(site.operation, []).append((site, site.statement))
        out: dict[str, list[Access]] = {}
        read_only: set[str] = set()
        for name, sites in parsed.items():
            if name in broken:
                continue
            if all(st.kind == "select" and not st.locked_tables for _, st in sites):
                read_only.add(name)  # a transaction that writes and locks nothing cannot race
                continue
            out[name] = [access(i, site, site.step, st) for i, (site, st) in enumerate(sites) if site.step]
        return out, frozenset(read_only)

    @property
    def operations(self) -> dict[str, list[Access]]:
        """Each operation that writes or locks, whose every step parsed -> its steps in order (no diagnosis)."""
        return self._transactions[0]

    @property
    def read_only(self) -> frozenset[str]:
        """Operations whose every step is a SELECT that locks nothing."""
        return self._transactions[1]

    @cached_property
    def writers(self) -> dict[str, list[tuple[str, Access]]]:
        """table -> (operation, step) of every step that inserts, updates or deletes its rows."""
        out: dict[str, list[tuple[str, Access]]] = {}
        for oname, steps in self.operations.items():
            for step in steps:
                if step.writes and step.target:
                    out.setdefault(step.target, []).append((oname, step))
        return out

    @cached_property
    def mutable(self) -> dict[str, frozenset[str]]:
        """table -> columns some UPDATE changes, with the generated columns computed from them."""
        out: dict[str, set[str]] = {}
        for table, writes in self.writers.items():
            for _, step in writes:
                if step.kind == "update":
                    out.setdefault(table, set()).update(step.statement.written)
        for site in self.ctx.expression_sites:
            changed = out.get(site.table)
            generated = site.label.startswith("generated column ")
            if changed and generated and any(use.column in changed for use in site.columns):
                changed.add(site.label.removeprefix("generated column "))
        return {t: frozenset(cols) for t, cols in out.items()}

    @cached_property
    def _write_kinds(self) -> dict[str, frozenset[str]]:
        return {table: frozenset(step.kind for _, step in writes) for table, writes in self.writers.items()}

    def written_by(self, table: str, kind: str) -> bool:
        """Whether some operation runs a ``kind`` (insert, update, delete) on ``table``."""
        return kind in self._write_kinds.get(table, frozenset())

    # --- locks --------------------------------------------------------------------------
    @cached_property
    def _foreign_keys(self) -> dict[str, list[ForeignKey]]:
        return {name: list(t.foreign_keys) for name, t in self.spec.tables.tables.items()}

    def covers(self, lock: Rows, rows: Rows, *, new_rows: bool = False) -> bool:
        """Whether holding ``lock`` keeps other writers of ``rows`` out (by the locking protocol).

        The same rows: the lock is on the same table, keyed by a column the rows are keyed by
        with the same parameter. It keeps others from changing or deleting them, but not
        from inserting new ones (``new_rows``): neither engine locks the gaps at read
        committed, and PostgreSQL never does. The parent row: a foreign key of ``rows``'
        table to the locked one whose columns are keyed by the parameters the lock keys the
        referenced columns with; writers that take the same lock first wait for it, new
        rows included.
        """
        if lock.table == rows.table:
            return not new_rows and any(rows.params(column) & lock.params(column) for column in rows.keys)
        for fk in self._foreign_keys.get(rows.table, ()):
            if fk.references.table == lock.table and all(
                rows.params(mine) & lock.params(theirs)
                for mine, theirs in zip(fk.columns, fk.references.columns, strict=False)
            ):
                return True
        return False

    def covered(self, held: list[Lock], rows: Rows, *, new_rows: bool = False) -> bool:
        return any(self.covers(lock.rows, rows, new_rows=new_rows) for lock in held)

    # --- constraints --------------------------------------------------------------------
    @cached_property
    def _generated(self) -> dict[tuple[str, str], Any]:
        return {
            (site.table, site.label.removeprefix("generated column ")): site.tree
            for site in self.ctx.expression_sites
            if site.label.startswith("generated column ") and site.tree is not None
        }

    @cached_property
    def overlap_predicates(self) -> dict[tuple[str, str], Any]:
        """(table, no_overlap rule) -> its parsed ``where`` (rules without one are absent)."""
        return {
            (site.table, site.label.removeprefix("no_overlap ")): site.tree
            for site in self.ctx.expression_sites
            if site.label.startswith("no_overlap ") and site.tree is not None
        }

    def unique_keys(self, tname: str) -> list[UniqueKey]:
        """The table's unique keys; none for a name the spec does not define (MB502 reports it)."""
        if tname not in self._unique_keys:
            table = self.spec.tables.tables.get(tname)
            if table is None:
                return []
            keys = [("primary key", list(table.primary_key))] if table.primary_key else []
            keys += [(u.name, list(u.columns)) for u in table.uniques]
            keys += [(i.name, list(i.columns)) for i in table.indexes if i.unique]
            self._unique_keys[tname] = [self._unique_key(tname, table, name, cols) for name, cols in keys]
        return self._unique_keys[tname]

    def _unique_key(self, tname: str, table: Table, name: str, columns: list[str]) -> UniqueKey:
        bases: set[str] = set()
        predicates: list[Hashable] = []
        opaque = False
        for cname in columns:
            column = table.columns.get(cname)
            if column is None or column.generated is None:
                bases.add(cname)
                continue
            decoded = _case_column(self._generated.get((tname, cname)), table)
            if decoded is None:
                opaque = True
            else:
                base, predicate = decoded
                bases.add(base)
                predicates.append(self.form(tname, predicate))
        return UniqueKey(name, frozenset(bases), tuple(predicates), opaque)

    def form(self, tname: str, predicate: Any) -> Hashable:
        """A canonical form of a predicate over one table's columns (see the module docstring)."""
        return _form(predicate, self.spec.tables.tables[tname], self.spec.tables.types)

    # --- declared invariants ------------------------------------------------------------
    @cached_property
    def invariants(self) -> list[InvariantSite]:
        out = []
        tables = self.spec.tables.tables
        for pname, policy in self.spec.policies.policies.items():
            for iname, inv in policy.invariants.items():
                path = ("policies", pname, "invariants", iname)
                tree, problem = None, ""
                if inv.where and inv.table in tables:
                    try:
                        tree, uses = expression_columns(inv.where, inv.table, tables[inv.table].columns)
                    except SqlSyntaxError as exc:
                        problem = f"its where does not parse: {exc.detail}"
                    else:
                        problem = self._predicate_problem(tables[inv.table], inv.table, tree, uses)
                out.append(InvariantSite(pname, iname, inv, path, tree, problem))
        return out

    def _predicate_problem(self, table: Table, tname: str, tree: Any, uses: list[Any]) -> str:
        unknown = sorted({u.column for u in uses if u.problem})
        if unknown:
            return f"its where names {', '.join(unknown)}, not columns of {tname}"
        types = self.spec.tables.types
        for cname, value in literal_comparisons(tree):
            column = table.columns.get(cname)
            if column is not None and column.enum in types and value not in types[column.enum].values:
                return f"its where compares {cname} with {value!r}, not a value of {column.enum}"
        return ""


# --- predicates ---------------------------------------------------------------------


def _case_column(tree: Any, table: Table) -> tuple[str, Any] | None:
    """(column, predicate) of ``CASE WHEN <predicate> THEN <column> END``, else None."""
    if not isinstance(tree, exp.Case):
        return None
    branches = tree.args.get("ifs") or []
    default = tree.args.get("default")
    if len(branches) != 1 or not (default is None or isinstance(default, exp.Null)):
        return None
    value = branches[0].args.get("true")
    if not isinstance(value, exp.Column) or value.name not in table.columns:
        return None
    if table.columns[value.name].generated is not None:
        return None
    return value.name, branches[0].this


def _form(node: Any, table: Table, types: Any) -> Hashable:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return ("and", frozenset(_form(term, table, types) for term in conjuncts(node)))
    values = _enum_values(node, table, types)
    if values is not None:
        return ("values", *values)
    return ("sql", node.sql())


def _enum_values(node: Any, table: Table, types: Any) -> tuple[str, frozenset[str]] | None:
    """(column, the enum values it may hold) of ``col = 'x'``, ``col <> 'x'``, ``col [NOT] IN (...)``."""

    def states_of(column: Any) -> list[str] | None:
        col = table.columns.get(column.name)
        return types[col.enum].values if col is not None and col.enum in types else None

    found = enum_term(node, states_of)
    return (found[0].name, found[1]) if found is not None else None
