from medbook_design.lint.rule import Rule
from medbook_design.spec.paths import path_params


class ObjectNotScopedToCaller(Rule):
    """An owner-scoped endpoint that takes an object id in its path but never uses the caller's identity.

    ## Why is this bad?
    Broken object-level authorization is the top API risk in OWASP's list: `GET
    /appointments/{id}` that returns any appointment to anyone who guesses an id. The
    `ownership` text states the rule; the operation must enforce it, which it can only do
    if the caller's identity reaches the SQL (`source: caller`) and scopes the query. Only
    owner-scoped endpoints (`authorization: owner`, the default) are checked: an endpoint
    whose objects are open to every caller it admits declares `authorization: role`, or
    `public` when no sign-in is needed.

    ## Anti-pattern
    ```yaml
    get_appointment:
      params:
        appointment_id: {type: bigint, source: path, description: The appointment.}
      steps:
        - {name: select, description: The appointment., sql: "SELECT * FROM appointments WHERE id = :appointment_id"}
    ```

    ## Fix
    ```yaml
    get_appointment:
      params:
        appointment_id: {type: bigint, source: path, description: The appointment.}
        caller_patient_id: {type: bigint, source: caller, description: The caller's patient id.}
      steps:
        - name: select
          description: The appointment, if it is the caller's.
          sql: SELECT id, status FROM appointments WHERE id = :appointment_id AND patient_id = :caller_patient_id
    ```
    """

    code = "MB407"
    name = "api.object-not-scoped-to-caller"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            op = ctx.operation_of(ep)
            if ep.authorization != "owner" or op is None or not path_params(ep.path):
                continue
            ids = [p for p in ep.parameters if p.in_ == "path" and p.column]
            if not ids:
                continue
            callers = {n for n, p in op.params.items() if p.source == "caller"}
            used = {
                name
                for site in ctx.operation_sites(ep.operation)
                if site.statement
                for name in site.statement.placeholders
            }
            if not callers & used:
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "ownership"),
                    f"{ep.method} {ep.path} takes {', '.join(p.name for p in ids)} but operation "
                    f"{ep.operation} never uses the caller's identity, so the ownership rule is not "
                    "enforced in SQL (expected a 'source: caller' parameter in its WHERE clause, or "
                    "authorization: role or public if every caller may see every object)",
                )
