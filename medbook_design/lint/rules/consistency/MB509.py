from medbook_design.lint.policies import ISOLATION_LEVELS
from medbook_design.lint.rule import Rule


class IsolationDisagreesWithPolicy(Rule):
    """An operation runs at a different isolation level than the policy governing it states.

    ## Why is this bad?
    The concurrency argument of the design ("the second UPDATE re-reads the committed row")
    holds at the isolation level the policy names. An operation at another level behaves
    differently: at REPEATABLE READ on PostgreSQL the loser gets a serialization failure
    instead of zero rows; at SERIALIZABLE on MySQL reads take shared locks and deadlock.
    The policy and the operations must agree.

    ## Anti-pattern
    ```yaml
    # policies.yaml: concurrency.values.isolation.value = read committed
    book_appointment:
      isolation: repeatable read
    ```

    ## Fix
    ```yaml
    book_appointment:
      isolation: read committed
    ```
    """

    code = "MB509"
    name = "consistency.isolation-disagrees-with-policy"
    severity = "error"

    def check(self, ctx):
        spec = ctx.spec
        for pname, pol in spec.policies.policies.items():
            levels = [
                (vname, v.value.lower())
                for vname, v in pol.values.items()
                if isinstance(v.value, str) and v.value.lower() in ISOLATION_LEVELS
            ]
            for vname, level in levels:
                for oname in ctx.design.governed_operations(pname):
                    op = spec.operations.operations[oname]
                    if op.isolation != level:
                        yield ctx.hit(
                            f"operation:{oname}",
                            "operations.yaml",
                            ("operations", oname, "isolation"),
                            f"operation {oname} runs at {op.isolation} but policy {pname}.{vname} "
                            f"says {level} (expected isolation: {level})",
                        )
