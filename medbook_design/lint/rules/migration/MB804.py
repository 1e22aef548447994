from medbook_design.lint.rule import Rule
from medbook_design.spec.engines import ENGINES
from medbook_design.spec.names import INDEX_BACKED_KINDS, PART_LABELS, derived_names


class NameClash(Rule):
    """A name the DDL gives one part is already another part's, or a table's.

    ## Why is this bad?
    The migration names an enum column's CHECK `ck_<table>_<column>`, so a declared
    constraint with that name, or another table and column that run together the same way
    (`ck_a_b_c` from `a_b.c` and from `a.b_c`), makes the names clash: the generator refuses
    the design, or MySQL, which keeps CHECK names unique in the schema, refuses the
    migration half-way. PostgreSQL keeps indexes, uniques and exclusion constraints in one
    namespace with the tables, so one named like a table fails there too.

    ## Anti-pattern
    ```yaml
    appointments:
      columns:
        status: {type: enum, enum: appointment_status, description: See appointment_status.}
      checks:
        - {name: ck_appointments_status, expression: "status <> 'draft'", reason: No drafts.}
    ```

    ## Fix
    ```yaml
    appointments:
      columns:
        status: {type: enum, enum: appointment_status, description: See appointment_status.}
      checks:
        - {name: ck_appointments_not_draft, expression: "status <> 'draft'", reason: No drafts.}
    ```
    """

    code = "MB804"
    name = "migration.name-clash"
    severity = "error"

    def check(self, ctx):
        dialects = ctx.spec.project.dialects
        declared = ctx.design.index.declared_names
        derived_by_name = ctx.design.index.derived_names
        # two tables' CHECKs may share a name only where CHECK names are per table
        shared = [ENGINES[d].title for d in dialects if ENGINES[d].schema_wide_check_names]
        for derived in derived_names(ctx.spec):
            clash = declared.get(derived.name)
            if clash is not None:
                tname, kind, _ = clash
                other = f"a declared {PART_LABELS[kind]} of table {tname}"
            else:
                others = [d for d in derived_by_name.get(derived.name, ()) if d != derived]
                if not others or not shared:
                    continue
                other = f"{others[0].what} ({', '.join(shared)} keeps CHECK names unique in the schema)"
            yield ctx.hit(
                f"column:{derived.table}.{derived.column}",
                "tables.yaml",
                derived.path,
                f"{derived.what} would be named {derived.name!r}, which is already the name of {other} "
                "(expected names unique in the schema: rename the table, the column or the declared part)",
                key=True,
            )
        tables = ctx.spec.tables.tables
        one_namespace = [ENGINES[d].title for d in dialects if ENGINES[d].index_names_share_table_namespace]
        if not one_namespace:
            return
        for name, (tname, kind, i) in declared.items():
            if kind in INDEX_BACKED_KINDS and name in tables:
                yield ctx.hit(
                    f"constraint:{tname}.{name}",
                    "tables.yaml",
                    ("tables", tname, kind, i, "name"),
                    f"{PART_LABELS[kind]} {name!r} of table {tname} has the name of table {name}; "
                    f"{' and '.join(one_namespace)} {'keeps' if len(one_namespace) == 1 else 'keep'} indexes and "
                    "tables in one namespace (expected another name)",
                )
