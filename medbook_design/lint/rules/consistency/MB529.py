from medbook_design.lint.policies import LENGTH_UNIT, states
from medbook_design.lint.rule import Rule


class ApiFactContradictsPolicy(Rule):
    """A parameter bound or default, field length or column length differs from the policy value it states.

    ## Why is this bad?
    The policy says titles have at most 200 characters; the column says 250 and the API's
    `maxLength` follows the column. Clients validate against the API, the database accepts
    what the column allows, and the policy's promise holds nowhere. A fact declared to state
    a policy value must equal it: a parameter's `minimum`, `maximum` or `default` and a
    field's `max_length` named in its `policy_values`, and the length of a column a policy
    names in `enforced_by` when the policy has one value counted in characters (a field
    mapping that column, with its own `max_length`, is held to the same value). A bound or
    length declared to state a value it cannot be (a text or yes/no value, or a duration
    for a length) is reported too.

    ## Anti-pattern
    ```yaml
    # policies.yaml: paging.max_page_size: {value: 50, unit: notes}
    parameters:
      - {name: limit, in: query, type: integer, maximum: 100, policy_values: {maximum: paging.max_page_size},
         description: Page size.}
    ```

    ## Fix
    ```yaml
    parameters:
      - {name: limit, in: query, type: integer, maximum: 50, policy_values: {maximum: paging.max_page_size},
         description: Page size.}
    ```
    """

    code = "MB529"
    name = "consistency.api-fact-contradicts-policy"
    severity = "error"

    def check(self, ctx):
        for fact in ctx.policy_facts.api_facts:
            value = fact.bound
            if value is None:
                continue
            unfit = _unfit(fact.key, value)
            if unfit:
                shown = repr(value.value) if isinstance(value.value, str) else value.shown
                yield ctx.hit(
                    fact.target,
                    fact.file,
                    fact.path,
                    f"{fact.what} is declared to state {value.dotted}, but {value.dotted} is {shown}, {unfit}"
                    f" (expected a policy value {_COUNTED[fact.key]})",
                )
                continue
            if isinstance(value.value, bool):
                continue  # a yes/no default: booleans state no policy value
            expected = f"expected {fact.key}: {value.value}"
            if fact.value is None:
                found = f"{fact.what} is declared to state {value.dotted} but is not set ({expected})"
            elif not states(fact.value, value):
                found = (
                    f"{fact.what} is {fact.value} but {value.dotted} is {value.shown}, bound through "
                    f"{fact.bound_by} ({expected})"
                )
            else:
                continue
            yield ctx.hit(fact.target, fact.file, fact.path, found)


# what each numeric fact counts, for messages
_COUNTED = {
    "minimum": "that is a number",
    "maximum": "that is a number",
    "max_length": f"counted in {LENGTH_UNIT}s",
    "length": f"counted in {LENGTH_UNIT}s",
}


def _unfit(key: str, value) -> str:
    """Why ``value`` cannot be what a ``key`` states ("" when it can); a default may state anything."""
    if key not in _COUNTED:
        return ""
    if value.number is None:
        return "a yes/no value, not a number" if isinstance(value.value, bool) else "a text, not a number"
    if key in ("max_length", "length") and value.unit and value.unit != LENGTH_UNIT:
        return f"not a count of {LENGTH_UNIT}s"
    return ""
