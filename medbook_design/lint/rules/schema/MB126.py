from medbook_design.lint.lifecycle import lifecycles
from medbook_design.lint.rule import Rule
from medbook_design.spec.model import SYSTEM_ACTOR


class TransitionNeverPerformed(Rule):
    """A lifecycle transition that the actors it names have no way to perform.

    ## Why is this bad?
    `by` says who moves a row from one state to the next. A role can only do that through
    an endpoint that runs the transition's operation and admits the role; `system` needs an
    operation something runs, an endpoint or a job a policy names in `enforced_by` (a
    scheduler, a relay). When none exists the transition is a promise the API does not
    keep: patients are told they can cancel, and no endpoint lets them.

    ## Anti-pattern
    ```yaml
    transitions:
      - {from: booked, to: cancelled, by: [patient, practitioner], operation: cancel_appointment}
    # the only endpoint running cancel_appointment has callers: [practitioner]
    ```

    ## Fix
    ```yaml
    cancel_appointment:
      method: POST
      path: /appointments/{appointment_id}/cancellation
      callers: [patient, practitioner]
      operation: cancel_appointment
    ```
    """

    code = "MB126"
    name = "schema.transition-never-performed"
    severity = "error"

    def check(self, ctx):
        index = ctx.lifecycle
        for tname, _etype, life in lifecycles(ctx.spec):
            for i, move in enumerate(life.transitions):
                if move.operation not in ctx.spec.operations.operations:
                    continue  # reported when the spec is loaded
                for actor in index.unperformed_actors(move.by, move.operation):
                    running = ctx.design.endpoints_running(move.operation)
                    if actor == SYSTEM_ACTOR:
                        found = "no endpoint runs it and no policy names it in enforced_by"
                        expected = "an endpoint running it, or the policy of the job that runs it"
                    elif running:
                        found = "the endpoints running it ({}) do not admit {}".format(
                            ", ".join(f"{name} for {', '.join(ep.callers)}" for name, ep in running), actor
                        )
                        expected = f"{actor} among the callers of an endpoint running it"
                    else:
                        found = "no endpoint runs it"
                        expected = f"an endpoint running it with {actor} among its callers"
                    yield ctx.hit(
                        f"type:{tname}",
                        "tables.yaml",
                        ("types", tname, "lifecycle", "transitions", i, "by", move.by.index(actor)),
                        f"transition {move.from_} -> {move.to} of {tname} is by {actor} through operation "
                        f"{move.operation}, but {found} (expected {expected})",
                    )
