from medbook_design.lint.prose import placeholder_reason
from medbook_design.lint.rule import Rule


def described_elements(spec):
    """(target, file, path, name, text) of every element whose description the document shows."""
    for tname, table in spec.tables.tables.items():
        yield f"table:{tname}", "tables.yaml", ("tables", tname, "description"), tname, table.description
        for cname, col in table.columns.items():
            yield (
                f"column:{tname}.{cname}",
                "tables.yaml",
                ("tables", tname, "columns", cname, "description"),
                cname,
                col.description,
            )
    for name, etype in spec.tables.types.items():
        yield f"type:{name}", "tables.yaml", ("types", name, "description"), name, etype.description
    for ename, ep in spec.endpoints.endpoints.items():
        yield f"endpoint:{ename}", "endpoints.yaml", ("endpoints", ename, "description"), ename, ep.description
    for sname, rep in spec.endpoints.schemas.items():
        yield f"schema:{sname}", "endpoints.yaml", ("schemas", sname, "description"), sname, rep.description
    for pname, prob in spec.endpoints.problems.items():
        yield f"problem:{pname}", "endpoints.yaml", ("problems", pname, "description"), pname, prob.description
    for pname, pol in spec.policies.policies.items():
        yield f"policy:{pname}", "policies.yaml", ("policies", pname, "description"), pname, pol.description
    for oname, op in spec.operations.operations.items():
        yield f"operation:{oname}", "operations.yaml", ("operations", oname, "description"), oname, op.description


class PlaceholderDescription(Rule):
    """A table, column, type, endpoint, schema, problem, policy or operation whose description is a placeholder.

    ## Why is this bad?
    Descriptions are mandatory, so a hurried author writes `TODO`, `tbd`, a single word or
    the element's own name. The schema is satisfied and the document is not: the reader of
    section 2 learns that `status` is "Status". Coverage (`lint --coverage`) counts these as
    undescribed for the same reason.

    ## Anti-pattern
    ```yaml
    cancelled_at: {type: timestamp, nullable: true, description: TODO}
    ```

    ## Fix
    ```yaml
    cancelled_at: {type: timestamp, nullable: true,
                   description: When the appointment was cancelled, by the database clock; NULL while booked.}
    ```
    """

    code = "MB601"
    name = "documentation.placeholder-description"
    severity = "warning"

    def check(self, ctx):
        for target, file, path, name, text in described_elements(ctx.spec):
            reason = placeholder_reason(text, name)
            if reason:
                yield ctx.hit(
                    target,
                    file,
                    path,
                    f"the description of {target} is not a description: {reason} "
                    "(expected a sentence saying what it is and why it exists)",
                )
