from medbook_design.lint.rule import Rule


class ReturnsIdWithoutKey(Rule):
    """A `returns_id` step whose INSERT cannot hand back one key on every target.

    ## Why is this bad?
    The kept value is the inserted row's key: the table's identity column, else its
    one-column primary key. A statement that is not an INSERT, or a table whose primary key
    has several columns and nothing the database numbers, has no single value to keep.
    MySQL has no RETURNING: the driver reports a number the database assigned
    (AUTO_INCREMENT), so a key it does not assign is known only from the `:parameter` the
    INSERT sets it from; a literal, an expression or a column default leaves the service
    with nothing to return on MySQL.

    ## Anti-pattern
    ```yaml
    # rooms: primary_key: [code], no identity column
    - name: insert_room
      sql: INSERT INTO rooms (code, name) VALUES (UPPER(:code), :name)
      returns_id: true
    ```

    ## Fix
    ```yaml
    - name: insert_room
      sql: INSERT INTO rooms (code, name) VALUES (:code, :name)
      returns_id: true
    ```
    """

    code = "MB524"
    name = "consistency.returns-id-without-key"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        from medbook_design.sql.neutral import WITHOUT_RETURNING
        from medbook_design.sql.returned_key import NoReturnedKey, returned_key

        tables = ctx.spec.tables.tables
        without_returning = any(d in ctx.spec.project.dialects for d in WITHOUT_RETURNING)
        for site, st in ctx.statements():
            if site.step is None or not site.step.returns_id:
                continue
            if st.kind == "insert" and st.target not in tables:
                continue  # an unknown table is MB502's finding
            try:
                returned_key(st.node, tables, without_returning=without_returning)
            except NoReturnedKey as exc:
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path,
                    f"{site.label} of {site.operation}: {exc}",
                )
