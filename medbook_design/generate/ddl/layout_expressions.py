"""The layout of expressions: brackets, lists, CASE and AND/OR chains (see :mod:`.layout`).

Writers in the shape sqlglot's generator calls (:mod:`.writing`): each writes one node,
marking where its text may break; sqlglot writes the node's children through the same
table, so a child written here is laid out too.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.generator import Generator

from medbook_design.generate.ddl.layout import HARD, LINE, bracket, group, listed, nest
from medbook_design.generate.ddl.writing import Writer, Writers

# Nodes whose connector operands share the surrounding brackets' group: when the brackets
# break, every AND/OR operand goes on its own line.
_BRACKETING = (exp.Paren, exp.CheckColumnConstraint)
# Conditions of these clauses put each of three or more operands on its own line even when
# they would fit on one: a reader scans a WHERE clause top-down.
_CLAUSES = (exp.Where, exp.Having)


def wrap(generator: Generator, node: exp.Expr | str) -> str:
    """A query or the inner part of ``node`` in brackets: on one line, or its own indented lines."""
    if isinstance(node, str):
        inner = node
    elif isinstance(node, exp.UNWRAPPED_QUERIES):
        inner = generator.sql(node)
    else:
        inner = generator.sql(node, "this")
    return bracket(inner) if inner else "()"


def tuple_(generator: Generator, node: exp.Tuple) -> str:
    return bracket(listed([generator.sql(e) for e in node.expressions]))


def in_(generator: Generator, node: exp.In) -> str:
    if any(node.args.get(k) for k in ("query", "unnest", "field", "is_global")):
        return generator.in_sql(node)
    values = bracket(listed([generator.sql(e) for e in node.expressions]))
    return f"{generator.sql(node, 'this')} IN {values}"


def exists(generator: Generator, node: exp.Exists) -> str:
    return f"EXISTS {wrap(generator, node)}"


def any_(generator: Generator, node: exp.Any) -> str:
    this = generator.sql(node, "this")
    if isinstance(node.this, exp.UNWRAPPED_QUERIES):
        return f"ANY{wrap(generator, this)}"
    return f"ANY{this}" if isinstance(node.this, exp.Paren) else f"ANY {this}"


def all_(generator: Generator, node: exp.All) -> str:
    this = generator.sql(node, "this")
    return f"ALL {this if isinstance(node.this, (exp.Tuple, exp.Paren)) else wrap(generator, this)}"


def paren(generator: Generator, node: exp.Paren) -> str:
    inner = generator.sql(node, "this")
    if isinstance(node.this, exp.Connector) and isinstance(_chain_holder(node), _BRACKETING):
        # a bracketed operand of a bracketed condition: "(a\n  AND b)\nOR (c ...)" rather
        # than a line holding a lone "(" under the outer bracket
        return group("(", nest(inner), ")")
    return bracket(inner)


def case(generator: Generator, node: exp.Case) -> str:
    this = generator.sql(node, "this")
    arms = []
    for arm in node.args["ifs"]:
        # THEN follows a condition that ends in brackets, ") THEN x", and otherwise goes
        # under its WHEN when the two do not fit on one line
        condition = arm.this.this if isinstance(arm.this, exp.Not) else arm.this
        then = " " if isinstance(condition, (exp.Exists, exp.Subquery, exp.Paren)) else LINE
        arms.append(group("WHEN ", generator.sql(arm, "this"), nest(then, "THEN ", generator.sql(arm, "true"))))
    default = generator.sql(node, "default")
    if default:
        arms.append(f"ELSE {default}")
    head = f"CASE {this}" if this else "CASE"
    return group(head, nest(*(LINE + arm for arm in arms)), LINE, "END")


def if_(generator: Generator, node: exp.If) -> str:
    """IF(c, a, b) where sqlglot writes it as a CASE: laid out as one."""
    return case(generator, exp.Case(ifs=[node], default=node.args.get("false")))


def connector(op: str) -> Writer:
    """The writer of one AND/OR/XOR chain: one group, its operands breaking onto lines together."""

    def write(generator: Generator, node: exp.Connector) -> str:
        operands = _operands(node)
        texts = [generator.sql(operands[0])]
        texts.extend(f"{op} {generator.sql(operand)}" for operand in operands[1:])
        parent = node.parent
        if isinstance(parent, _BRACKETING):
            return LINE.join(texts)  # the brackets group and indent it
        if isinstance(parent, _CLAUSES) and len(texts) >= 3:
            return texts[0] + nest(*(HARD + t for t in texts[1:]))
        return group(texts[0], nest(*(LINE + t for t in texts[1:])))

    return write


def _chain_holder(node: exp.Expr) -> exp.Expr | None:
    """What holds the AND/OR chain that ``node`` is an operand of (None if it is no operand)."""
    chain = node.parent
    if not isinstance(chain, exp.Connector):
        return None
    while isinstance(chain.parent, type(chain)):
        chain = chain.parent
    return chain.parent


def _operands(node: exp.Connector) -> list[exp.Expr]:
    """``a AND b AND c`` as [a, b, c]: one chain of the same connector, left to right.

    Only the same connector is flattened: an AND inside an OR chain stays one operand,
    so the text reads exactly as sqlglot's flat output does.
    """
    kind = type(node)
    out: list[exp.Expr] = []
    pending: list[exp.Expr] = [node]
    while pending:
        item = pending.pop()
        if type(item) is kind and (item is node or not item.comments):
            pending.extend((item.expression, item.this))
        else:
            out.append(item)
    return out


WRITERS: Writers = {
    exp.Tuple: tuple_,
    exp.In: in_,
    exp.Exists: exists,
    exp.Any: any_,
    exp.All: all_,
    exp.Paren: paren,
    exp.Case: case,
    exp.And: connector("AND"),
    exp.Or: connector("OR"),
}
