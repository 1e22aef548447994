import re

from medbook_design.lint.policies import related_prose
from medbook_design.lint.rule import Rule


def unit_pattern(unit):
    singular = unit[:-1] if unit.endswith("s") else unit
    return re.compile(rf"\b(\d+(?:\.\d+)?)[\s-]*{re.escape(singular)}s?\b", re.I)


def title_stem(title):
    word = re.findall(r"[a-z]+", title.lower())[0]
    return word[:6]


class PolicyValueProseMismatch(Rule):
    """Prose states a policy value with a different number than the policy defines.

    ## Why is this bad?
    The policy says 24 hours, the decision record says "48 hours before the start", the
    endpoint description says "a day". Readers trust whichever they read first, and
    support quotes the wrong one to patients. Prose related to a policy (the policy
    itself, decisions that name it, endpoints and operations it governs, its problem
    types, and summary sentences about it) must use the policy's number, or a `{value}`
    placeholder in the policy's own text.

    ## Anti-pattern
    ```yaml
    # policies.yaml: patient_notice_hours: {value: 24, unit: hours, ...}
    decisions:
      D9:
        decision: Patients can cancel until 48 hours before the start.
        related: [policy:cancellation_window]
    ```

    ## Fix
    ```yaml
    decisions:
      D9:
        decision: Patients can cancel until 24 hours before the start.
        related: [policy:cancellation_window]
    ```
    """

    code = "MB507"
    name = "consistency.policy-value-prose-mismatch"
    severity = "error"

    def check(self, ctx):
        spec = ctx.spec
        for pname, pol in spec.policies.policies.items():
            for vname, val in pol.values.items():
                if not val.unit or isinstance(val.value, bool) or not isinstance(val.value, (int, float)):
                    continue
                pattern = unit_pattern(val.unit)
                sources = list(related_prose(ctx.design, pname))
                stem = title_stem(pol.title)
                for sentence in re.split(r"(?<=[.;])\s+", spec.project.summary):
                    if stem in sentence.lower():
                        sources.append(("project.yaml", ("summary",), "project", sentence))
                for file, path, target, text in sources:
                    for match in pattern.finditer(text):
                        if float(match.group(1)) != float(val.value):
                            yield ctx.hit(
                                target,
                                file,
                                path,
                                f"says {match.group(0)!r} but policy {pname}.{vname} is {val.value} "
                                f"{val.unit} (expected {val.value} {val.unit}, or the "
                                f"{{{vname}}} placeholder in policy text)",
                            )
