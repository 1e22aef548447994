from medbook_design.lint.rule import Rule


class UnusedEnumType(Rule):
    """An enum type that no column and no API field uses.

    ## Why is this bad?
    An unused type is documentation that describes nothing: readers look for where it is
    stored, generators may still emit it, and it drifts silently from the real values.
    It is usually a leftover of a renamed column or a forgotten `enum:` on one.

    ## Anti-pattern
    ```yaml
    types:
      visit_kind:
        description: How the visit takes place.
        values: [in_person, video]
    tables:
      visits:
        columns:
          kind: {type: string, length: 20, description: How the visit takes place.}
    ```

    ## Fix
    ```yaml
    tables:
      visits:
        columns:
          kind: {type: enum, enum: visit_kind, description: How the visit takes place.}
    ```
    """

    code = "MB109"
    name = "schema.unused-enum-type"
    severity = "warning"

    def check(self, ctx):
        spec = ctx.spec
        used = {col.enum for t in spec.tables.tables.values() for col in t.columns.values() if col.enum}
        used |= {f.enum for rep in spec.endpoints.schemas.values() for f in rep.fields.values() if f.enum}
        for tname in spec.tables.types:
            if tname not in used:
                yield ctx.hit(
                    f"type:{tname}",
                    "tables.yaml",
                    ("types", tname),
                    f"enum type {tname} is used by no column or API field "
                    f"(expected a column with 'enum: {tname}', or remove the type)",
                    key=True,
                )
