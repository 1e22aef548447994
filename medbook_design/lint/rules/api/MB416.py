from medbook_design.lint.rule import Rule
from medbook_design.spec.paths import normalised


class DuplicateRoute(Rule):
    """Two endpoints with the same method and path shape.

    ## Why is this bad?
    `GET /slots/{slot_id}` and `GET /slots/{id}` are one route to every router and to
    OpenAPI: only one of them can ever be reached, and which one depends on declaration
    order. The spec describes two behaviours for one request.

    ## Anti-pattern
    ```yaml
    get_slot: {method: GET, path: "/slots/{slot_id}"}
    get_slot_details: {method: GET, path: "/slots/{id}"}
    ```

    ## Fix
    ```yaml
    get_slot: {method: GET, path: "/slots/{slot_id}"}
    get_slot_appointment: {method: GET, path: "/slots/{slot_id}/appointment"}
    ```
    """

    code = "MB416"
    name = "api.duplicate-route"
    severity = "error"

    def check(self, ctx):
        seen: dict[tuple[str, str], str] = {}
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            key = (ep.method, normalised(ep.path))
            if key in seen:
                first = ctx.spec.endpoints.endpoints[seen[key]]
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "path"),
                    f"{ep.method} {ep.path} is the same route as endpoint {seen[key]} "
                    f"({first.method} {first.path}) (expected each method and path to be unique)",
                )
            else:
                seen[key] = ename
