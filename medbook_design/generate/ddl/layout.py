"""How generated SQL is laid out: the line breaks and indentation a DBA would write.

sqlglot's pretty-printer breaks lines by fixed rules (every column list on its own lines,
any condition over 80 characters split at every operator). Here the generator instead
marks *where* a line may break and which pieces belong together, and one pass at the end
decides, per group, whether the group fits on the current line (then it stays flat) or
not (then each of its break points starts a new, indented line). This is the classic
"pretty printer" of Oppen and Wadler, on markers that :class:`LayoutGenerator` writes
into sqlglot's output.

The markers are Unicode noncharacters (U+FDD0..U+FDD6), which Unicode reserves for a
program's internal use; :func:`lay_out` removes every one of them. Text inside quotes and
comments is copied as it is, so a literal holding a line break (or, improbably, one of
these characters) keeps its exact content.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp
from sqlglot.generator import Generator

WIDTH = 100  # the line length the layout aims for
INDENT = 2

GROUP, END_GROUP = "\ufdd0", "\ufdd1"  # breaks inside break together, or not at all
NEST, END_NEST = "\ufdd2", "\ufdd3"  # lines broken inside start INDENT further in
LINE = "\ufdd4"  # a space, or a new line when its group breaks
SOFT = "\ufdd5"  # nothing, or a new line when its group breaks
HARD = "\ufdd6"  # always a new line (and every group around it breaks)
TERMINATOR = ";"
MARKERS = frozenset(GROUP + END_GROUP + NEST + END_NEST + LINE + SOFT + HARD)
_BREAKS = frozenset(LINE + SOFT + HARD)


def group(*parts: str) -> str:
    return GROUP + "".join(parts) + END_GROUP


def nest(*parts: str) -> str:
    return NEST + "".join(parts) + END_NEST


def bracket(inner: str, open_: str = "(", close: str = ")") -> str:
    """``(inner)`` on one line, or the inner part on its own indented lines."""
    return group(open_, nest(SOFT, inner), SOFT, close)


def listed(items: list[str]) -> str:
    """Comma-separated items that break one per line."""
    return ("," + LINE).join(items)


@dataclass
class _Group:
    items: list[object] = field(default_factory=list)
    nested: bool = False  # a NEST rather than a GROUP
    hard: bool = False  # holds a HARD break somewhere inside: can never be flat


def _parse(marked: str) -> _Group:
    root = _Group()
    stack = [root]
    text: list[str] = []
    closing = ""  # inside a quoted literal, identifier or comment: what ends it

    def flush() -> None:
        if text:
            stack[-1].items.append("".join(text))
            text.clear()

    for i, char in enumerate(marked):
        if closing:
            # spec text inside quotes or a comment is copied as it is, line breaks and all
            text.append(char)
            if marked[i + 1 - len(closing) : i + 1] == closing:
                closing = ""
            continue
        if char in "'\"`":
            closing = char  # a doubled quote closes and reopens: the literal stays whole
        elif marked.startswith("/*", i):
            closing = "*/"
        if char not in MARKERS and char != "\n":
            text.append(char)
            continue
        flush()
        if char in (GROUP, NEST):
            child = _Group(nested=char == NEST)
            stack[-1].items.append(child)
            stack.append(child)
        elif char in (END_GROUP, END_NEST):
            done = stack.pop()
            stack[-1].hard = stack[-1].hard or done.hard
        else:
            stack[-1].items.append(HARD if char == "\n" else char)
            stack[-1].hard = stack[-1].hard or char in (HARD, "\n")
    flush()
    if len(stack) != 1:  # pragma: no cover - a generator bug, not bad input
        raise ValueError("unbalanced layout markers")
    return root


_FLAT, _BREAK = 0, 1


def lay_out(marked: str, width: int | None = WIDTH) -> str:
    """The final text: every group flat if it fits in ``width``, else broken.

    ``width=None`` lays everything out on one line (HARD breaks become spaces). The
    statement itself is not a group: its own break points (the clauses of a top-level
    query, the members of CREATE TABLE) always break. The last line keeps room for the
    ``;`` that a script puts after the statement.
    """
    root = _parse(marked)
    out: list[str] = []
    column = 0
    todo: list[tuple[int, int, object]] = [(0, _BREAK, item) for item in reversed(root.items)]
    while todo:
        indent, mode, item = todo.pop()
        if isinstance(item, _Group):
            if item.nested:
                inner = indent + INDENT
            else:
                inner = indent
                if mode == _BREAK and (width is None or (not item.hard and _fits(width - column, item, todo))):
                    mode = _FLAT
            todo.extend((inner, mode, child) for child in reversed(item.items))
        elif item in _BREAKS:
            if width is None or (mode == _FLAT and item != HARD):
                flat = "" if item == SOFT else " "
                out.append(flat)
                column += len(flat)
            else:
                while out and out[-1].endswith(" "):  # no trailing blanks before a new line
                    out[-1] = out[-1].rstrip(" ")
                out.append("\n" + " " * indent)
                column = indent
        else:
            out.append(str(item))
            column += len(str(item))
    return "".join(out)


def _fits(room: int, candidate: _Group, rest: list[tuple[int, int, object]]) -> bool:
    """Whether ``candidate`` flat, plus what follows it up to the next line break, fits in ``room``."""
    pending: list[tuple[int, object]] = [(_FLAT, candidate)]
    following = len(rest)
    while room >= 0:
        if not pending:
            if following == 0:
                return room >= len(TERMINATOR)
            following -= 1
            _, mode, item = rest[following]
            pending.append((mode, item))
            continue
        mode, item = pending.pop()
        if isinstance(item, _Group):
            if item.hard and not item.nested:
                mode = _BREAK
            pending.extend((mode, child) for child in reversed(item.items))
        elif item in _BREAKS:
            if mode == _BREAK or item == HARD:
                return True
            room -= 1 if item == LINE else 0
        else:
            room -= len(str(item))
    return False


# Nodes whose connector operands share the surrounding brackets' group: when the brackets
# break, every AND/OR operand goes on its own line.
_BRACKETING = (exp.Paren, exp.CheckColumnConstraint)
# Conditions of these clauses put each of three or more operands on its own line even when
# they would fit on one: a reader scans a WHERE clause top-down.
_CLAUSES = (exp.Where, exp.Having)


class LayoutGenerator(Generator):
    """Mixed into a dialect's sqlglot Generator: writes layout markers, then lays them out.

    sqlglot runs in its one-line mode (``pretty=False``) so its own methods emit no line
    breaks; where they separate clauses they call :meth:`sep`/:meth:`seg`, which become
    break points here. The overrides below group and indent the constructs this package
    generates (CREATE TABLE and its constraints, SELECT, INSERT, UPDATE, DELETE, CASE,
    AND/OR chains, brackets). Anything else is written by sqlglot on one line.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pretty = kwargs.pop("pretty", None)
        kwargs["pretty"] = False  # sqlglot's own line breaks would fight the layout below
        super().__init__(*args, **kwargs)
        self.layout_width: int | None = WIDTH if pretty else None

    def generate(self, expression: exp.Expr, copy: bool = True) -> str:
        return lay_out(super().generate(expression, copy=copy), self.layout_width)

    # --- the break points sqlglot itself asks for ------------------------------------
    def sep(self, sep: str = " ") -> str:
        return sep.strip() + (LINE if sep.endswith(" ") else SOFT)

    def seg(self, sql: str, sep: str = " ") -> str:
        return f"{self.sep(sep)}{sql}"

    def maybe_comment(
        self, sql: str, expression: exp.Expr | None = None, comments: list[str] | None = None, separated: bool = False
    ) -> str:
        if not (separated or isinstance(expression, self.WITH_SEPARATED_COMMENTS)):
            return super().maybe_comment(sql, expression, comments, separated)
        if comments is None:
            comments = expression.comments if expression is not None else None
        if not comments or not self.comments or isinstance(expression, self.EXCLUDE_COMMENTS):
            return sql
        # a comment about a statement or clause stands on its own lines above it; a
        # statement's comment is wrapped to the line length like prose
        width = self.layout_width if expression is not None and expression.parent is None else None
        block = HARD.join(block_comment(self.sanitize_comment(c), width) for c in comments if c)
        if sql[:1] in _BREAKS:  # a clause: the comment goes after the break that starts it
            return f"{sql[0]}{block}{HARD}{sql[1:]}"
        return f"{block}{HARD}{sql}"

    def wrap(self, expression: exp.Expr | str) -> str:
        if isinstance(expression, str):
            inner = expression
        elif isinstance(expression, exp.UNWRAPPED_QUERIES):
            inner = self.sql(expression)
        else:
            inner = self.sql(expression, "this")
        return bracket(inner) if inner else "()"

    # --- DDL ---------------------------------------------------------------------------
    def schema_columns_sql(self, expression: exp.Expr) -> str:
        if not expression.expressions:
            return ""
        items = [self.sql(e) for e in expression.expressions]
        create = expression.parent
        if isinstance(create, exp.Create) and create.kind == "TABLE":
            # CREATE TABLE: one column or constraint per line, always
            return "(" + nest(HARD, ("," + HARD).join(items)) + HARD + ")"
        return bracket(listed(items))

    def create_sql(self, expression: exp.Create) -> str:
        properties = expression.args.get("properties")
        if expression.kind != "TABLE" or not properties or expression.expression:
            return super().create_sql(expression)
        # table options follow the closing bracket on its line: ") ENGINE=InnoDB ..."
        expression.set("properties", None)
        head = super().create_sql(expression)
        expression.set("properties", properties)
        return f"{head} {self.sql(properties)}"

    def properties_sql(self, expression: exp.Properties) -> str:
        return super().properties_sql(expression).replace(LINE, " ")

    def foreignkey_sql(self, expression: exp.ForeignKey) -> str:
        if expression.args.get("reference") is None or any(expression.args.get(k) for k in ("this", "options")):
            return super().foreignkey_sql(expression)
        # FOREIGN KEY ("a")
        #   REFERENCES "t" ("id") ON DELETE RESTRICT
        columns = bracket(listed([self.sql(c) for c in expression.expressions]))
        actions = "".join(
            f" ON {event} {self.sql(expression, event.lower())}"
            for event in ("DELETE", "UPDATE")
            if expression.args.get(event.lower())
        )
        return group(f"FOREIGN KEY {columns}", nest(LINE, self.sql(expression, "reference"), actions))

    def checkcolumnconstraint_sql(self, expression: exp.CheckColumnConstraint) -> str:
        enforced = " ENFORCED" if expression.args.get("enforced") else ""
        return f"CHECK {bracket(self.sql(expression, 'this'))}{enforced}"

    def computedcolumnconstraint_sql(self, expression: exp.ComputedColumnConstraint) -> str:
        return self.generated_column_sql(expression, "STORED" if expression.args.get("persisted") else "VIRTUAL")

    def generated_column_sql(self, expression: exp.ComputedColumnConstraint, storage: str) -> str:
        return f"GENERATED ALWAYS AS {bracket(self.sql(expression.this.unnest()))} {storage}"

    def excludecolumnconstraint_sql(self, expression: exp.ExcludeColumnConstraint) -> str:
        return f"EXCLUDE {self.sql(expression, 'this').lstrip()}"

    def index_sql(self, expression: exp.Index) -> str:
        table = expression.args.get("table")
        if table is None or not expression.this or any(expression.args.get(k) for k in ("unique", "primary", "amp")):
            return super().index_sql(expression)
        # CREATE INDEX "name"
        #   ON "table" ("a", "b")
        params = self.sql(expression, "params")
        return group(self.sql(expression, "this"), nest(LINE, f"{self.INDEX_ON} {self.sql(table)}{params}"))

    def indexparameters_sql(self, expression: exp.IndexParameters) -> str:
        if set(k for k, v in expression.args.items() if v) - {"using", "columns", "where"}:
            return super().indexparameters_sql(expression)
        using = self.sql(expression, "using")
        columns = [self.sql(c) for c in expression.args.get("columns") or []]
        where = expression.args.get("where")
        parts = [
            f"USING {using}" if using else "",
            bracket(listed(columns)) if columns else "",
            f"WHERE {self.sql(where.this)}" if where is not None else "",
        ]
        text = " ".join(p for p in parts if p)
        return f" {text}" if text else ""

    # --- queries -----------------------------------------------------------------------
    def select_sql(self, expression: exp.Select) -> str:
        unusual = ("into", "kind", "exclude", "operation_modifiers", "hint")
        if any(expression.args.get(k) for k in unusual) or self.LIMIT_IS_TOP:
            return super().select_sql(expression)
        distinct = self.sql(expression, "distinct")
        head = f"SELECT {distinct}" if distinct else "SELECT"
        items = [self.sql(e) for e in expression.expressions]
        sql = self.query_modifiers(
            expression, self._clause_list(head, items), self.sql(expression, "from_", comment=False)
        )
        if expression.args.get("with_"):
            sql = self.maybe_comment(sql, expression)
            expression.pop_comments()
        return self.prepend_ctes(expression, sql)

    def after_limit_modifiers(self, expression: exp.Expr) -> list[str]:
        locks = [self.sql(lock) for lock in expression.args.get("locks") or []]
        return [*(self.seg(lock) for lock in locks), self.sql(expression, "sample")]

    def where_sql(self, expression: exp.Where) -> str:
        return self.seg(f"WHERE {self.sql(expression, 'this')}")

    def having_sql(self, expression: exp.Having) -> str:
        return self.seg(f"HAVING {self.sql(expression, 'this')}")

    def order_sql(self, expression: exp.Order, flat: bool = False) -> str:
        if expression.this or expression.args.get("siblings") or flat:
            return super().order_sql(expression, flat=flat)
        return self.seg(self._clause_list("ORDER BY", [self.sql(e) for e in expression.expressions]))

    def group_sql(self, expression: exp.Group) -> str:
        if set(k for k, v in expression.args.items() if v) != {"expressions"}:
            return super().group_sql(expression)
        return self.seg(self._clause_list("GROUP BY", [self.sql(e) for e in expression.expressions]))

    def update_sql(self, expression: exp.Update) -> str:
        unusual = ("hint", "from_", "order", "limit", "options", "with_")
        if any(expression.args.get(k) for k in unusual):
            return super().update_sql(expression)
        assignments = self._clause_list("SET", [self.sql(e) for e in expression.expressions])
        where = self.sql(expression, "where")
        returning = self.sql(expression, "returning")
        tail = f"{where}{returning}" if self.RETURNING_END else f"{returning}{where}"
        return f"UPDATE {self.sql(expression, 'this')}{self.seg(assignments)}{tail}"

    def values_sql(self, expression: exp.Values, values_as_table: bool = True) -> str:
        if not isinstance(expression.parent, exp.Insert) or expression.args.get("alias"):
            return super().values_sql(expression, values_as_table)
        rows = [self.sql(row) for row in expression.expressions]
        if len(rows) == 1:
            return f"VALUES {rows[0]}"  # a single row breaks inside its own brackets
        return self._clause_list("VALUES", rows)

    def tuple_sql(self, expression: exp.Tuple) -> str:
        return bracket(listed([self.sql(e) for e in expression.expressions]))

    def in_sql(self, expression: exp.In) -> str:
        if any(expression.args.get(k) for k in ("query", "unnest", "field", "is_global")):
            return super().in_sql(expression)
        values = bracket(listed([self.sql(e) for e in expression.expressions]))
        return f"{self.sql(expression, 'this')} IN {values}"

    def exists_sql(self, expression: exp.Exists) -> str:
        return f"EXISTS {self.wrap(expression)}"

    # --- expressions -------------------------------------------------------------------
    def paren_sql(self, expression: exp.Paren) -> str:
        inner = self.sql(expression, "this")
        if isinstance(expression.this, exp.Connector) and isinstance(_chain_holder(expression), _BRACKETING):
            # a bracketed operand of a bracketed condition: "(a\n  AND b)\nOR (c ...)" rather
            # than a line holding a lone "(" under the outer bracket
            return group("(", nest(inner), ")")
        return bracket(inner)

    def case_sql(self, expression: exp.Case) -> str:
        this = self.sql(expression, "this")
        arms = []
        for arm in expression.args["ifs"]:
            # THEN follows a condition that ends in brackets, ") THEN x", and otherwise goes
            # under its WHEN when the two do not fit on one line
            condition = arm.this.this if isinstance(arm.this, exp.Not) else arm.this
            then = " " if isinstance(condition, (exp.Exists, exp.Subquery, exp.Paren)) else LINE
            arms.append(group("WHEN ", self.sql(arm, "this"), nest(then, "THEN ", self.sql(arm, "true"))))
        default = self.sql(expression, "default")
        if default:
            arms.append(f"ELSE {default}")
        head = f"CASE {this}" if this else "CASE"
        return group(head, nest(*(LINE + arm for arm in arms)), LINE, "END")

    def connector_sql(self, expression: exp.Connector, op: str, stack: list | None = None) -> str:
        if stack is not None:  # sqlglot's own flattening protocol; not used by this layout
            return super().connector_sql(expression, op, stack)
        operands = _operands(expression)
        texts = [self.sql(operands[0])]
        for node in operands[1:]:
            texts.append(f"{op} {self.sql(node)}")
        parent = expression.parent
        if isinstance(parent, _BRACKETING):
            return LINE.join(texts)  # the brackets group and indent it
        if isinstance(parent, _CLAUSES) and len(texts) >= 3:
            return texts[0] + nest(*(HARD + t for t in texts[1:]))
        return group(texts[0], nest(*(LINE + t for t in texts[1:])))

    def and_sql(self, expression: exp.And, stack: list | None = None) -> str:
        return self.connector_sql(expression, "AND", stack)

    def or_sql(self, expression: exp.Or, stack: list | None = None) -> str:
        return self.connector_sql(expression, "OR", stack)

    def _clause_list(self, keyword: str, items: list[str]) -> str:
        """``KEYWORD a, b`` on one line, or the keyword alone and one item per indented line."""
        return group(keyword, nest(LINE, listed(items))) if items else keyword


def block_comment(text: str, width: int | None) -> str:
    """``/* text */``, its words wrapped at ``width`` with continuation lines under the text."""
    if width is None or len(text) + 4 <= width:
        return f"/*{text}*/"
    # a bracketed range or list, "[starts_at, ends_at)", is one word: never split across lines
    kept = re.sub(r"[\[(][^\[\]()]*[\])]", lambda m: m.group(0).replace(" ", _NBSP), text.strip())
    # three columns of "/* " or indent before each line, and " */" after the last
    lines = textwrap.wrap(kept, width=width - 6, break_long_words=False, break_on_hyphens=False)
    return "/* " + "\n   ".join(lines).replace(_NBSP, " ") + " */"


_NBSP = "\u00a0"  # textwrap does not break at it


def _chain_holder(node: exp.Expr) -> exp.Expr | None:
    """What holds the AND/OR chain that ``node`` is an operand of (None if it is no operand)."""
    chain = node.parent
    if not isinstance(chain, exp.Connector):
        return None
    while isinstance(chain.parent, type(chain)):
        chain = chain.parent
    return chain.parent


def _operands(expression: exp.Connector) -> list[exp.Expr]:
    """``a AND b AND c`` as [a, b, c]: one chain of the same connector, left to right.

    Only the same connector is flattened: an AND inside an OR chain stays one operand,
    so the text reads exactly as sqlglot's flat output does.
    """
    kind = type(expression)
    out: list[exp.Expr] = []
    pending: list[exp.Expr] = [expression]
    while pending:
        node = pending.pop()
        if type(node) is kind and (node is expression or not node.comments):
            pending.extend((node.expression, node.this))
        else:
            out.append(node)
    return out
