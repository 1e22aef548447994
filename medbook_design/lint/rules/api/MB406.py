from medbook_design.lint.rule import Rule


class RoleRestrictedWithout403(Rule):
    """An endpoint open to only some roles that does not document 403.

    ## Why is this bad?
    When `callers` lists fewer roles than the project defines, a signed-in caller with
    another role is refused. Without a documented 403 and its problem type, clients cannot
    tell "you may not" from "not found" or "try again", and the authorisation rule is
    invisible in the contract. A public endpoint refuses nobody, so it is left alone.

    ## Anti-pattern
    ```yaml
    book_appointment:
      callers: [patient]          # practitioners are refused, but how?
      responses:
        - {status: 201, description: Booked., schema: Appointment, headers: {Location: URL.}}
        - {status: 401, description: Not signed in., problems: [unauthenticated]}
    ```

    ## Fix
    ```yaml
      responses:
        - {status: 403, description: The caller is not a patient., problems: [forbidden-role]}
    ```
    """

    code = "MB406"
    name = "api.role-restricted-without-403"
    severity = "warning"

    def check(self, ctx):
        roles = set(ctx.spec.project.roles)
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.authorization == "public":
                continue
            refused = sorted(roles - set(ep.callers))
            if refused and not any(r.status == 403 for r in ep.responses):
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "callers"),
                    f"{ep.method} {ep.path} refuses role(s) {', '.join(refused)} but documents no 403 "
                    "(expected a 403 response with its problem type)",
                )
