from medbook_design.lint.rule import Rule


class UndocumentedProblem(Rule):
    """An operation can answer a problem that its endpoint does not document.

    ## Why is this bad?
    The diagnosis query and `db_errors` are the complete list of ways the operation fails.
    If the endpoint's responses lack one of them (or lack its status code entirely), the
    API returns a status its contract never mentioned, and clients treat a perfectly
    normal `409 slot-unavailable` as a crash.

    ## Anti-pattern
    ```yaml
    # operations.yaml
    book_appointment:
      diagnose: {sql: "...", problems: [slot-not-found, slot-in-past, slot-unavailable]}
    # endpoints.yaml
    responses:
      - {status: 409, description: Taken., problems: [slot-unavailable]}
    ```

    ## Fix
    ```yaml
    responses:
      - {status: 404, description: No such slot., problems: [slot-not-found]}
      - {status: 409, description: Taken or started., problems: [slot-unavailable, slot-in-past]}
    ```
    """

    code = "MB504"
    name = "consistency.undocumented-problem"
    severity = "error"

    def check(self, ctx):
        problems = ctx.spec.endpoints.problems
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            op = ctx.operation_of(ep)
            if op is None:
                continue
            produced = list(op.diagnose.problems) if op.diagnose else []
            produced += [p for p in op.db_errors.values() if p not in produced]
            documented = {p for r in ep.responses for p in r.problems}
            statuses = {r.status for r in ep.responses}
            for prob in produced:
                if prob in documented or prob not in problems:
                    continue
                status = problems[prob].status
                detail = (
                    f"no {status} response at all"
                    if status not in statuses
                    else f"its {status} response does not list it"
                )
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "responses"),
                    f"operation {ep.operation} can answer {prob} ({status}) but {ep.method} {ep.path} has "
                    f"{detail} (expected problems: [{prob}] on a {status} response)",
                )
