from medbook_design.lint.rule import Rule


class PolicyValueRestatedInApi(Rule):
    """The API contract writes a policy's value as a literal instead of referring to the policy.

    ## Why is this bad?
    An endpoint description that says "within 24 hours" or a `limit` parameter with
    `maximum: 100` copies a number the policy owns. When the policy changes, the copy stays
    behind, and client developers read the API, not the policy. Referring to the value
    keeps one source: in any endpoints.yaml text write `{policy.value}` (the OpenAPI
    document and the pages show the number), and declare the facts a value sets with
    `policy_values` on the parameter (`minimum`, `maximum`, `default`) or field
    (`max_length`), which lint then keeps equal to the value.

    Only copies of a policy the text or fact is under are reported: policies the endpoint
    names or that enforce its operation, the problem types a policy lists, representations
    its endpoints exchange, and policies a sentence names. A number that merely happens to
    equal an unrelated policy's value is left alone.

    ## Anti-pattern
    ```yaml
    list_notes:
      policies: [paging]          # paging.max_page_size: {value: 100, unit: notes}
      parameters:
        - {name: limit, in: query, type: integer, maximum: 100, description: Page size.}
      description: One page of the caller's notes, at most 100 notes.
    ```

    ## Fix
    ```yaml
    list_notes:
      policies: [paging]
      parameters:
        - {name: limit, in: query, type: integer, maximum: 100, policy_values: {maximum: paging.max_page_size},
           description: Page size.}
      description: One page of the caller's notes, at most {paging.max_page_size} notes.
    ```
    """

    code = "MB528"
    name = "consistency.policy-value-restated-in-api"
    severity = "warning"

    def check(self, ctx):
        facts = ctx.policy_facts
        for claim in facts.claims:
            if claim.equal and claim.site.file == "endpoints.yaml":
                site, value = claim.site, claim.values[0]
                reference = " ".join(filter(None, [f"{{{value.dotted}}}", value.unit_text]))
                yield ctx.hit(
                    site.target,
                    site.file,
                    site.path,
                    f"{site.named} says {claim.stated!r}, the value of {value.dotted} ({value.shown}), as a literal "
                    f"(expected {reference!r}, so the text follows the policy)",
                )
        for fact in facts.api_facts:
            value = facts.restated(fact)
            if value is not None:
                key = fact.key
                yield ctx.hit(
                    fact.target,
                    fact.file,
                    fact.path,
                    f"{fact.what} is {fact.value}, the value of {value.dotted} ({value.shown}), typed again "
                    f"(expected policy_values: {{{key}: {value.dotted}}} beside it, so lint keeps the two equal)",
                )
