from medbook_design.lint.rule import PathKey, Rule

# PostgreSQL's reserved key words (SQL Key Words appendix: "reserved" and "reserved (can be
# function or type)"). sqlglot carries MySQL's list but none for PostgreSQL.
POSTGRES_RESERVED = frozenset(
    """
all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate
collation column concurrently constraint create cross current_catalog current_date current_role
current_schema current_time current_timestamp current_user default deferrable desc distinct do else end
except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into
is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on
only or order outer overlaps placing primary references returning right select session_user similar some
symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when
where window with
""".split()
)


def mysql_reserved():
    from sqlglot.dialects.mysql import MySQL

    return frozenset(MySQL.Generator.RESERVED_KEYWORDS)


class ReservedWord(Rule):
    """A table, column, constraint or index named with a reserved word of a target dialect.

    ## Why is this bad?
    `user`, `order`, `group` or `references` must be quoted in every statement on the
    engine that reserves them, and the quoting differs (`"user"` vs `` `user` ``). Hand-written
    SQL, ORMs and reporting tools forget it, and errors show up far from the schema. Each
    engine reserves a different list, so a name can be fine on one and break the other.

    ## Anti-pattern
    ```yaml
    tables:
      order:
        description: A customer's order.
    ```

    ## Fix
    ```yaml
    tables:
      orders:
        description: A customer's order.
    ```
    """

    code = "MB212"
    name = "portability.reserved-word"
    severity = "error"

    def check(self, ctx):
        reserved = {}
        if "postgres" in ctx.spec.project.dialects:
            reserved["postgres"] = POSTGRES_RESERVED
        if "mysql" in ctx.spec.project.dialects:
            reserved["mysql"] = mysql_reserved()
        if not reserved:
            return
        for tname, table in ctx.spec.new_tables.items():
            names: list[tuple[str, str, PathKey, str]] = [(tname, f"table:{tname}", ("tables", tname), "table")]
            names += [(c, f"column:{tname}.{c}", ("tables", tname, "columns", c), "column") for c in table.columns]
            for kind in ("foreign_keys", "uniques", "checks", "indexes", "no_overlap"):
                names += [
                    (item.name, f"constraint:{tname}.{item.name}", ("tables", tname, kind, i, "name"), "constraint")
                    for i, item in enumerate(getattr(table, kind))
                ]
            for name, target, path, what in names:
                engines = sorted(d for d, words in reserved.items() if name.lower() in words)
                if engines:
                    yield ctx.hit(
                        target,
                        "tables.yaml",
                        path,
                        f"{what} name {name!r} is a reserved word in {' and '.join(engines)} "
                        "(expected a name that needs no quoting, e.g. a plural or a prefix)",
                        key=what != "constraint",
                    )
