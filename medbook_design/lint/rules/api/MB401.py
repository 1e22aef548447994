from medbook_design.lint.paths import creates, returns_list
from medbook_design.lint.rule import Rule
from medbook_design.spec.paths import is_param, segments

NOT_COLLECTIONS = frozenset({"me", "self", "current"})
UNCOUNTABLE = frozenset(
    {
        "data",
        "people",
        "children",
        "staff",
        "media",
        "feedback",
        "information",
        "history",
        "metadata",
        "news",
        "equipment",
        "series",
    }
)


def looks_plural(word: str) -> bool:
    last = word.replace("_", "-").split("-")[-1]
    return last in UNCOUNTABLE or last.endswith("s")


class CollectionNotPlural(Rule):
    """A collection segment of a path is singular.

    ## Why is this bad?
    REST paths name collections in the plural and items by id inside them:
    `/appointments/{appointment_id}`. `/appointment/{id}` next to `/slots/{id}` makes
    every client guess, and breaks the reading that `GET /appointments` lists what
    `GET /appointments/{id}` returns one of. The segment before an id, and the last segment
    of an endpoint that lists or creates, must be plural.

    ## Anti-pattern
    ```yaml
    get_appointment: {method: GET, path: "/appointment/{appointment_id}"}
    ```

    ## Fix
    ```yaml
    get_appointment: {method: GET, path: "/appointments/{appointment_id}"}
    ```
    """

    code = "MB401"
    name = "api.collection-not-plural"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            segs = segments(ep.path)
            singular = []
            for i, seg in enumerate(segs):
                if is_param(seg) or seg in NOT_COLLECTIONS:
                    continue
                before_id = i + 1 < len(segs) and is_param(segs[i + 1])
                last_of_collection = i == len(segs) - 1 and (
                    (ep.method == "GET" and returns_list(ctx.spec, ep))
                    or (ep.method == "POST" and creates(ctx.spec, ep))
                )
                if (before_id or last_of_collection) and not looks_plural(seg):
                    singular.append(seg)
            for seg in singular:
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "path"),
                    f"{ep.method} {ep.path}: collection segment {seg!r} is singular "
                    "(expected a plural collection name, e.g. {seg}s)".replace("{seg}", seg),
                )
