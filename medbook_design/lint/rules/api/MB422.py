from medbook_design.lint.paths import success
from medbook_design.lint.rule import Rule

REPLACED = frozenset({200, 202, 204})


class PutWithoutReplaceSuccess(Rule):
    """A PUT endpoint with no 200, 202 or 204 success: nothing says how a replacement ends.

    ## Why is this bad?
    PUT replaces the resource its path names. The usual outcome is that an existing
    resource was replaced, answered 200 with the new representation or 204 without one
    (202 if it happens later). A PUT documenting only 201, or no success at all, tells
    clients that updating an existing resource is not a success they can expect, which is
    rarely what the operation does; a PUT that may also create documents 201 next to 200
    or 204.

    ## Anti-pattern
    ```yaml
    update_slot:
      method: PUT
      path: /slots/{slot_id}
      responses:
        - {status: 201, description: The slot with its new times., schema: Slot, headers: {Location: URL.}}
    ```

    ## Fix
    ```yaml
    update_slot:
      method: PUT
      path: /slots/{slot_id}
      responses:
        - {status: 200, description: The slot with its new times., schema: Slot}
    ```
    """

    code = "MB422"
    name = "api.put-without-replace-success"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.method != "PUT":
                continue
            answered = [r.status for r in success(ep)]
            if not REPLACED & set(answered):
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "responses"),
                    f"PUT {ep.path} documents success {', '.join(map(str, answered)) or 'none'} (expected 200 "
                    "with the replaced resource or 204 without a body, or 202 if it is applied later)",
                )
