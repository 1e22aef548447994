import re

from medbook_design.lint.rule import Rule
from medbook_design.spec.paths import is_param, segments

VERBS = frozenset(
    {
        "get",
        "create",
        "update",
        "delete",
        "remove",
        "add",
        "fetch",
        "list",
        "set",
        "make",
        "do",
        "cancel",
        "book",
        "change",
        "modify",
        "edit",
        "save",
        "post",
        "put",
        "patch",
        "insert",
        "retrieve",
        "read",
        "write",
        "destroy",
        "new",
    }
)


class VerbInPath(Rule):
    """A path segment is a verb.

    ## Why is this bad?
    In REST the HTTP method is the verb and the path names resources: `POST
    /appointments/{id}/cancel` duplicates the method, cannot be cached or listed like a
    resource, and invites `/getAppointments`-style drift. Model the action as a
    sub-resource (`/cancellation`) or a state change (`PATCH` with `status`).

    ## Anti-pattern
    ```yaml
    cancel_appointment: {method: POST, path: "/appointments/{appointment_id}/cancel"}
    ```

    ## Fix
    ```yaml
    cancel_appointment: {method: POST, path: "/appointments/{appointment_id}/cancellation"}
    ```
    """

    code = "MB402"
    name = "api.verb-in-path"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            for seg in segments(ep.path):
                if is_param(seg):
                    continue
                words = [w for w in re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", seg) if w]
                verbs = [w for w in words if w.lower() in VERBS]
                if verbs:
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        ("endpoints", ename, "path"),
                        f"{ep.method} {ep.path}: segment {seg!r} contains the verb {verbs[0]!r} "
                        "(expected nouns in paths; the HTTP method is the verb)",
                    )
