import re

from medbook_design.lint.rule import Rule
from medbook_design.spec.paths import is_param, segments

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class PathNotKebabCase(Rule):
    """A literal path segment that is not lower-case kebab-case.

    ## Why is this bad?
    URLs are case-sensitive: `/Appointments` and `/appointments` are different resources to
    every router, and mixed styles (`/time_slots`, `/timeSlots`) make the API look like
    three APIs. Lower-case words joined by hyphens are the common convention.

    ## Anti-pattern
    ```yaml
    path: /practitioners/{practitioner_id}/timeSlots
    ```

    ## Fix
    ```yaml
    path: /practitioners/{practitioner_id}/time-slots
    ```
    """

    code = "MB419"
    name = "api.path-not-kebab-case"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            for seg in segments(ep.path):
                if not is_param(seg) and not KEBAB.match(seg):
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        ("endpoints", ename, "path"),
                        f"{ep.method} {ep.path}: segment {seg!r} is not lower-case kebab-case "
                        f"(expected {re.sub(r'(?<=[a-z])(?=[A-Z])', '-', seg).replace('_', '-').lower()!r})",
                    )
