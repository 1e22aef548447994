from medbook_design.lint.rule import Rule


def _writes(ctx, oname):
    return {
        site.statement.target
        for site in ctx.operation_sites(oname)
        if site.statement is not None and site.statement.kind in ("insert", "update", "delete")
    }


def can_raise(ctx, oname, kind):
    tables = ctx.spec.tables.tables
    written = [tables[t] for t in _writes(ctx, oname) if t in tables]
    if kind == "unique_violation":
        return any(t.uniques or t.primary_key or any(i.unique for i in t.indexes) for t in written)
    if kind == "exclusion_violation":
        return any(t.no_overlap for t in written) and "postgres" in ctx.spec.project.dialects
    if kind == "check_violation":
        return any(t.checks or any(c.type == "enum" for c in t.columns.values()) for t in written)
    if kind == "foreign_key_violation":
        names = set(_writes(ctx, oname))
        return any(t.foreign_keys for t in written) or bool(names & ctx.design.index.referenced_tables)
    return True


class DbErrorWithoutConstraint(Rule):
    """A `db_errors` mapping for a violation no table the operation writes can raise.

    ## Why is this bad?
    `exclusion_violation: slot-overlap` on an operation that writes no table with a
    no_overlap rule documents a protection that does not exist: readers believe the
    database backs the check, and the real guarantee (if any) is elsewhere or missing.
    Usually the constraint was dropped or the mapping was copied from another operation.

    ## Anti-pattern
    ```yaml
    delete_slot:
      db_errors: {exclusion_violation: slot-overlap}   # withdrawing a slot cannot overlap anything
    ```

    ## Fix
    ```yaml
    delete_slot:
      db_errors: {}
    ```
    """

    code = "MB517"
    name = "consistency.db-error-without-constraint"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for oname, op in ctx.spec.operations.operations.items():
            if any(s.statement is None for s in ctx.operation_sites(oname)):
                continue
            for kind, prob in op.db_errors.items():
                if not can_raise(ctx, oname, kind):
                    written = ", ".join(sorted(_writes(ctx, oname))) or "no table"
                    yield ctx.hit(
                        f"operation:{oname}",
                        "operations.yaml",
                        ("operations", oname, "db_errors", kind),
                        f"{oname} maps {kind} to {prob}, but it writes {written}, where no constraint can "
                        f"raise {kind} (expected a matching constraint, or remove the mapping)",
                        key=True,
                    )
