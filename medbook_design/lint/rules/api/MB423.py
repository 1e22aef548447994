from medbook_design.lint.paths import creates, returns_list
from medbook_design.lint.rule import Rule
from medbook_design.spec.paths import is_param, normalised, segments


class PutOrDeleteOnCollection(Rule):
    """A PUT or DELETE on a collection's path rather than on one item of it.

    ## Why is this bad?
    PUT replaces and DELETE removes the resource the path names. On a collection path
    (`/slots`, the route a GET lists or a POST creates on, or whose items live at
    `/slots/{slot_id}`) that resource is the whole collection: a client that drops the id
    by mistake, or a generated SDK, replaces or deletes everything it may reach, and
    caches invalidate the list instead of one item. Address one item by its id, or model a
    bulk action as a POST to a sub-resource.

    ## Anti-pattern
    ```yaml
    delete_slot:
      method: DELETE
      path: /slots
      parameters:
        - {name: slot_id, in: query, required: true, column: availability_slots.id, description: The slot.}
    ```

    ## Fix
    ```yaml
    delete_slot:
      method: DELETE
      path: /slots/{slot_id}
      parameters:
        - {name: slot_id, in: path, required: true, column: availability_slots.id, description: The slot.}
    ```
    """

    code = "MB423"
    name = "api.put-or-delete-on-collection"
    severity = "error"

    def check(self, ctx):
        endpoints = ctx.spec.endpoints.endpoints
        collections: dict[str, str] = {}  # route -> why it is a collection
        for ename, ep in endpoints.items():
            route = normalised(ep.path)
            if ep.method == "GET" and returns_list(ctx.spec, ep):
                collections.setdefault(route, f"GET {ep.path} ({ename}) lists it")
            elif ep.method == "POST" and creates(ctx.spec, ep):
                collections.setdefault(route, f"POST {ep.path} ({ename}) creates in it")
            segs = segments(ep.path)
            if len(segs) > 1 and is_param(segs[-1]):
                parent = "/" + "/".join(segments(route)[:-1])
                collections.setdefault(parent, f"its items live at {ep.path} ({ename})")
        for ename, ep in endpoints.items():
            if ep.method not in ("PUT", "DELETE"):
                continue
            why = collections.get(normalised(ep.path))
            if why is not None:
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "path"),
                    f"{ep.method} {ep.path} acts on a whole collection ({why}) (expected the path of one item, "
                    f"e.g. {ep.path.rstrip('/')}/{{id}}, or a POST to a sub-resource for a bulk action)",
                )
