from medbook_design.lint.paths import creates, success
from medbook_design.lint.rule import Rule


class CreateWithout201Location(Rule):
    """A POST that creates a resource without a 201 response carrying a Location header.

    ## Why is this bad?
    `201 Created` with `Location` is how a client learns the new resource's URL without
    guessing it from the body; `200` says "processed", not "created", and generated
    clients and caches treat them differently. An endpoint whose operation inserts a row
    and keeps its id creates something.

    ## Anti-pattern
    ```yaml
    responses:
      - {status: 200, description: The booking., schema: Appointment}
    ```

    ## Fix
    ```yaml
    responses:
      - status: 201
        description: The appointment was booked.
        schema: Appointment
        headers: {Location: "URL of the appointment, /v1/appointments/{appointment_id}."}
    ```
    """

    code = "MB403"
    name = "api.create-without-201-location"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.method != "POST" or not creates(ctx.spec, ep):
                continue
            created = [(i, r) for i, r in enumerate(ep.responses) if r.status == 201]
            if not created:
                statuses = ", ".join(str(r.status) for r in success(ep)) or "none"
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "responses"),
                    f"POST {ep.path} creates a row (operation {ep.operation}) but answers {statuses} "
                    "(expected 201 with a Location header)",
                )
            for i, resp in created:
                if not any(h.lower() == "location" for h in resp.headers):
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        ("endpoints", ename, "responses", i),
                        f"POST {ep.path} answers 201 without a Location header "
                        "(expected headers: {Location: <URL of the new resource>})",
                    )
