from medbook_design.lint.rule import Rule


class UnmappedConstraintViolation(Rule):
    """An operation can violate a unique or no_overlap rule but neither maps the violation nor diagnoses it.

    ## Why is this bad?
    Unique and exclusion constraints are the backstops that fire when two requests race.
    When they do, the operation gets `unique_violation` or `exclusion_violation`. The
    service answers with the `db_errors` entry for that kind, or else runs the `diagnose`
    query as for a failed guard; with neither, it answers 500 for what is an ordinary
    conflict, exactly in the situation the constraint was added for.

    ## Anti-pattern
    ```yaml
    book_appointment:
      steps:
        - {name: insert_appointment, description: Record the booking., expect_rows: 1,
           sql: "INSERT INTO appointments (slot_id, patient_id) VALUES (:slot_id, :patient_id)"}
    ```

    ## Fix
    ```yaml
      db_errors:
        unique_violation: slot-unavailable
    ```
    """

    code = "MB518"
    name = "consistency.unmapped-constraint-violation"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        tables = ctx.spec.tables.tables
        postgres = "postgres" in ctx.spec.project.dialects
        generated: dict[str, list] = {}  # by table: looking through every site per statement was quadratic
        for gen in ctx.expression_sites:
            if gen.label.startswith("generated column "):
                generated.setdefault(gen.table, []).append(gen)
        for oname, op in ctx.spec.operations.operations.items():
            if op.diagnose is not None:
                continue  # an unnamed constraint error is diagnosed like a failed guard
            reported = set()
            for site in ctx.operation_sites(oname):
                st = site.statement
                if st is None or st.kind not in ("insert", "update") or st.target not in tables:
                    continue
                table = tables[st.target]
                written = set(st.written)
                for gen in generated.get(st.target, []):  # a generated column changes with its inputs
                    if written & {u.column for u in gen.columns}:
                        written.add(gen.label.removeprefix("generated column "))
                rules = []
                for u in table.uniques:
                    if written & set(u.columns) or st.kind == "insert":
                        rules.append(("unique_violation", u.name))
                for n in table.no_overlap:
                    if postgres and (written & {n.starts, n.ends, *n.partition_by} or st.kind == "insert"):
                        rules.append(("exclusion_violation", n.name))
                for kind, cname in rules:
                    if kind not in op.db_errors and kind not in reported:
                        reported.add(kind)
                        yield ctx.hit(
                            site.target,
                            "operations.yaml",
                            site.path,
                            f"{site.label} of {oname} can violate {cname} on {st.target} but {oname} maps "
                            f"no {kind} and has no diagnose query (expected db_errors: {{{kind}: <problem>}} or "
                            "a diagnose query)",
                        )
