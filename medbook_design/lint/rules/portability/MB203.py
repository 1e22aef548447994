from medbook_design.lint.rule import Rule


class TextInKey(Rule):
    """A `text` column in a primary key, unique, index, foreign key or no_overlap rule while MySQL is a target.

    ## Why is this bad?
    MySQL cannot index a TEXT column without a prefix length ("BLOB/TEXT column used in key
    specification without a key length"), and a prefix index cannot enforce uniqueness of
    the whole value. The migration fails on MySQL while passing on PostgreSQL. Keys want a
    bounded `string`.

    ## Anti-pattern
    ```yaml
    columns:
      code: {type: text, description: Voucher code.}
    uniques:
      - {name: uq_vouchers_code, columns: [code], reason: Codes are unique.}
    ```

    ## Fix
    ```yaml
    columns:
      code: {type: string, length: 32, description: Voucher code.}
    ```
    """

    code = "MB203"
    name = "portability.text-in-key"
    severity = "error"

    def check(self, ctx):
        if "mysql" not in ctx.spec.project.dialects:
            return
        for tname, table in ctx.spec.new_tables.items():
            keys = [("primary key", "primary_key", list(table.primary_key))]
            for kind in ("uniques", "indexes", "foreign_keys"):
                keys += [(item.name, kind, list(item.columns)) for item in getattr(table, kind)]
            keys += [(n.name, "no_overlap", [*n.partition_by, n.starts, n.ends]) for n in table.no_overlap]
            for name, _kind, cols in keys:
                for cname in cols:
                    col = table.columns.get(cname)
                    if col is not None and col.type == "text":
                        yield ctx.hit(
                            f"column:{tname}.{cname}",
                            "tables.yaml",
                            ("tables", tname, "columns", cname, "type"),
                            f"{tname}.{cname} is text but is part of {name}; MySQL cannot index TEXT "
                            "without a prefix (expected type string with a length)",
                        )
