from medbook_design.lint.facts import endpoint_inputs
from medbook_design.lint.rule import Rule
from medbook_design.spec.types import PORTABLE_TYPES


class ParamTypeMismatch(Rule):
    """An operation parameter and the endpoint input it comes from have different types.

    ## Why is this bad?
    The path says `slot_id` is an integer column `availability_slots.id` (bigint), the
    operation binds it as `string`: one engine casts, the other compares text with a
    number and skips the index, and validation happens against the wrong type. Each input
    must have one type from the API edge to the SQL.

    ## Anti-pattern
    ```yaml
    # endpoint: - {name: slot_id, in: path, required: true, column: availability_slots.id, description: The slot.}
    params:
      slot_id: {type: string, source: path, description: The slot.}
    ```

    ## Fix
    ```yaml
    params:
      slot_id: {type: bigint, source: path, description: The slot.}
    ```
    """

    code = "MB520"
    name = "consistency.param-type-mismatch"
    severity = "error"

    def check(self, ctx):
        spec = ctx.spec
        for oname, op in spec.operations.operations.items():
            for ename, ep in ctx.design.endpoints_running(oname):
                inputs = endpoint_inputs(ctx.design, ep)
                for pname, param in op.params.items():
                    if param.source not in inputs or pname not in inputs[param.source]:
                        continue
                    portable, json_type, _ = inputs[param.source][pname]
                    mismatch = (
                        portable is not None
                        and portable != param.type
                        and not (portable in ("string", "text") and param.type in ("string", "text"))
                    ) or (portable is None and json_type and PORTABLE_TYPES[param.type].json_type != json_type)
                    if mismatch:
                        theirs = portable or json_type
                        yield ctx.hit(
                            f"operation:{oname}",
                            "operations.yaml",
                            ("operations", oname, "params", pname, "type"),
                            f"parameter {pname} of {oname} is {param.type} but endpoint {ename} sends it as "
                            f"{theirs} (expected the same type on both sides)",
                        )
