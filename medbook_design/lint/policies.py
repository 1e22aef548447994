"""The prose that restates a policy, for the consistency rules that compare it with the values."""

from __future__ import annotations

from medbook_design.spec.design import Design, PathKey

ISOLATION_LEVELS = ("read committed", "repeatable read", "serializable")


def related_prose(design: Design, policy: str) -> list[tuple[str, PathKey, str, str]]:
    """(file, path, target, text) of prose that restates the policy: the policy itself, decisions
    related to it, endpoints and operations it governs, and its problem types. Scenario text is
    left out on purpose: test data uses other values to prove the boundary."""
    spec = design.spec
    pol = spec.policies.policies[policy]
    out: list[tuple[str, PathKey, str, str]] = []
    for key in ("summary", "description"):
        out.append(("policies.yaml", ("policies", policy, key), f"policy:{policy}", getattr(pol, key)))
    for did, dec in design.index.decisions_by_policy.get(policy, ()):
        for key in ("title", "summary", "context", "decision"):
            if getattr(dec, key) is not None:  # the summary is optional
                out.append(("decisions.yaml", ("decisions", did, key), f"decision:{did}", getattr(dec, key)))
        for i, text in enumerate(dec.consequences):
            out.append(("decisions.yaml", ("decisions", did, "consequences", i), f"decision:{did}", text))
    for ename, ep in design.index.endpoints_by_policy.get(policy, ()):
        for key in ("summary", "description", "ownership"):
            out.append(("endpoints.yaml", ("endpoints", ename, key), f"endpoint:{ename}", getattr(ep, key)))
        for i, resp in enumerate(ep.responses):
            out.append(
                (
                    "endpoints.yaml",
                    ("endpoints", ename, "responses", i, "description"),
                    f"endpoint:{ename}",
                    resp.description,
                )
            )
    for oname in design.governed_operations(policy):
        op = spec.operations.operations[oname]
        for key in ("summary", "description"):
            out.append(("operations.yaml", ("operations", oname, key), f"operation:{oname}", getattr(op, key)))
    for prob in pol.problems:
        p = spec.endpoints.problems.get(prob)
        if p is not None:
            out.append(("endpoints.yaml", ("problems", prob, "description"), f"problem:{prob}", p.description))
    return out
