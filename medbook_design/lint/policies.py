"""Which operations, endpoints and prose a policy governs, for the consistency rules."""

from __future__ import annotations

from medbook_design.spec.model import Spec

ISOLATION_LEVELS = ("read committed", "repeatable read", "serializable")

_INDEX: list[tuple[Spec, dict[str, list], dict[str, list]]] = []


def _by_policy(spec: Spec) -> tuple[dict[str, list], dict[str, list]]:
    """Endpoints naming each policy and decisions related to it, in spec order.

    Built once per spec (specs are frozen): scanning every endpoint and decision for every
    policy made these rules quadratic in the size of the spec.
    """
    if _INDEX and _INDEX[0][0] is spec:
        return _INDEX[0][1], _INDEX[0][2]
    endpoints: dict[str, list] = {}
    for ename, ep in spec.endpoints.endpoints.items():
        for policy in dict.fromkeys(ep.policies):
            endpoints.setdefault(policy, []).append((ename, ep))
    decisions: dict[str, list] = {}
    for did, dec in spec.decisions.decisions.items():
        for ref in dict.fromkeys(dec.related):
            if ref.startswith("policy:"):
                decisions.setdefault(ref.split(":", 1)[1], []).append((did, dec))
    _INDEX[:] = [(spec, endpoints, decisions)]
    return endpoints, decisions


def governed_operations(spec: Spec, policy: str) -> list[str]:
    """Operations a policy applies to: its enforced_by list plus operations behind endpoints naming it."""
    pol = spec.policies.policies[policy]
    out = [ref.split(":", 1)[1] for ref in pol.enforced_by if ref.startswith("operation:")]
    for _, ep in _by_policy(spec)[0].get(policy, []):
        if ep.operation and ep.operation not in out:
            out.append(ep.operation)
    return [o for o in out if o in spec.operations.operations]


def related_prose(spec: Spec, policy: str) -> list[tuple[str, tuple, str, str]]:
    """(file, path, target, text) of prose that restates the policy: the policy itself, decisions
    related to it, endpoints and operations it governs, and its problem types. Scenario text is
    left out on purpose: test data uses other values to prove the boundary."""
    pol = spec.policies.policies[policy]
    out: list[tuple[str, tuple, str, str]] = []
    for key in ("summary", "description"):
        out.append(("policies.yaml", ("policies", policy, key), f"policy:{policy}", getattr(pol, key)))
    endpoints, decisions = _by_policy(spec)
    for did, dec in decisions.get(policy, []):
        for key in ("title", "context", "decision"):
            out.append(("decisions.yaml", ("decisions", did, key), f"decision:{did}", getattr(dec, key)))
        for i, text in enumerate(dec.consequences):
            out.append(("decisions.yaml", ("decisions", did, "consequences", i), f"decision:{did}", text))
    for ename, ep in endpoints.get(policy, []):
        for key in ("summary", "description", "ownership"):
            out.append(("endpoints.yaml", ("endpoints", ename, key), f"endpoint:{ename}", getattr(ep, key)))
        for i, resp in enumerate(ep.responses):
            out.append(("endpoints.yaml", ("endpoints", ename, "responses", i, "description"),
                        f"endpoint:{ename}", resp.description))
    for oname in governed_operations(spec, policy):
        op = spec.operations.operations[oname]
        for key in ("summary", "description"):
            out.append(("operations.yaml", ("operations", oname, key), f"operation:{oname}", getattr(op, key)))
    for prob in pol.problems:
        p = spec.endpoints.problems.get(prob)
        if p is not None:
            out.append(("endpoints.yaml", ("problems", prob, "description"), f"problem:{prob}", p.description))
    return out
