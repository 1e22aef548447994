from medbook_design.lint.rule import Rule


def answered_by(op):
    """Problem ids an operation can answer: its diagnosis and its database-error mapping."""
    produced = list(op.diagnose.problems) if op.diagnose else []
    return produced + [p for p in op.db_errors.values() if p not in produced]


class UnreachableProblem(Rule):
    """An endpoint lists a problem that its operation can never answer.

    ## Why is this bad?
    A problem type that some operation answers is decided by that operation's SQL. When an
    endpoint lists such a problem although its own operation's diagnosis and `db_errors`
    never yield it, the contract promises an answer the server cannot give: clients write
    handling for it, reviewers read it as a real case, and the case the server does answer
    (often a different status) goes unmentioned. Problems no operation answers, such as
    authentication, and problems that carry field errors (request validation, which the
    service answers before any SQL runs) are the service's and are not checked. An
    operation without a diagnosis leaves its failures to the service and is not checked
    either.

    ## Anti-pattern
    ```yaml
    # operations.yaml
    archive_note:
      diagnose: {sql: "...", problems: [note-not-found]}
    # endpoints.yaml
    responses:
      - {status: 404, description: No such note., problems: [note-not-found]}
      - {status: 409, description: Locked., problems: [note-locked]}
    ```

    ## Fix
    ```yaml
    # operations.yaml: the diagnosis tells the locked note apart
    archive_note:
      diagnose: {sql: "...", problems: [note-not-found, note-locked]}
    ```
    """

    code = "MB526"
    name = "consistency.unreachable-problem"
    severity = "error"

    def check(self, ctx):
        operations = ctx.spec.operations.operations
        problems = ctx.spec.endpoints.problems
        by_operations = {
            p for op in operations.values() for p in answered_by(op) if p in problems and not problems[p].field_errors
        }
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            op = ctx.operation_of(ep)
            if op is None or (op.diagnose is None and not op.db_errors):
                continue
            reachable = set(answered_by(op))
            for index, resp in enumerate(ep.responses):
                for prob in resp.problems:
                    if prob in reachable or prob not in by_operations:
                        continue
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        ("endpoints", ename, "responses", index, "problems"),
                        f"{ep.method} {ep.path} lists {prob} ({resp.status}) but operation {ep.operation} "
                        f"can never answer it (expected {prob} in its diagnose problems or db_errors, "
                        f"or removed from the {resp.status} response)",
                    )
