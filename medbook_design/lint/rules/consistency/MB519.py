from medbook_design.lint.paths import success
from medbook_design.lint.rule import Rule


def column_fields(spec, schema, seen=()):
    """(field path, table.column) of every column-mapped field, following array_of/object_of."""
    rep = spec.endpoints.schemas.get(schema)
    if rep is None or schema in seen:
        return
    for name, field in rep.fields.items():
        if field.column:
            yield name, field.column
        for nested in (field.array_of, field.object_of):
            if nested:
                for sub, col in column_fields(spec, nested, seen + (schema,)):
                    yield f"{name}[].{sub}" if field.array_of else f"{name}.{sub}", col


def selected_columns(sites):
    """table.column of every output the sites' statements select; None when a ``*`` hides them."""
    outputs: set[str] = set()
    for s in sites:
        if any(o is None for o in s.statement.outputs) and any(
            getattr(p, "key", "") == "star" for p in s.statement.node.expressions
        ):
            return None
        outputs |= {f"{o.table}.{o.column}" for o in s.statement.outputs if o is not None and o.table}
    return outputs


class ResponseFieldNotSelected(Rule):
    """A response field maps to a column that the operation's result query never selects.

    ## Why is this bad?
    The API promises `starts_at` in every appointment, but the SELECT behind the endpoint
    does not read it: the service fills it with null, a default, or a second query nobody
    designed. Fields mapped to columns must come out of the operation's result rows.

    ## Anti-pattern
    ```yaml
    # Appointment has starts_at: {column: availability_slots.starts_at}
    sql: SELECT a.id, a.slot_id, a.status FROM appointments AS a WHERE a.id = :appointment_id
    ```

    ## Fix
    ```yaml
    sql: >-
      SELECT a.id, a.slot_id, a.status, s.starts_at FROM appointments AS a
      JOIN availability_slots AS s ON s.id = a.slot_id WHERE a.id = :appointment_id
    ```
    """

    code = "MB519"
    name = "consistency.response-field-not-selected"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        spec = ctx.spec
        for ename, ep in spec.endpoints.endpoints.items():
            if ep.operation is None:
                continue
            sites = [s for s in ctx.operation_sites(ep.operation) if s.step is not None and s.step.returns_rows]
            if not sites or any(s.statement is None for s in sites):
                continue
            outputs = selected_columns(sites)
            if outputs is None:
                continue
            for resp in success(ep):
                for field, column in column_fields(spec, resp.schema_) if resp.schema_ else []:
                    if column not in outputs:
                        yield ctx.hit(
                            f"endpoint:{ename}",
                            "endpoints.yaml",
                            ("endpoints", ename, "responses", ep.responses.index(resp), "schema"),
                            f"{ep.method} {ep.path} returns {resp.schema_}.{field} ({column}) but operation "
                            f"{ep.operation} never selects {column} (expected it in the result query)",
                        )
