import re

from medbook_design.lint.rule import Rule


def all_prose(spec):
    """(file, path, target, text) of every free-text field a reader sees next to the contract."""
    for pid, prob in spec.endpoints.problems.items():
        yield "endpoints.yaml", ("problems", pid, "description"), f"problem:{pid}", prob.description
    for ename, ep in spec.endpoints.endpoints.items():
        for key in ("summary", "description", "ownership"):
            yield "endpoints.yaml", ("endpoints", ename, key), f"endpoint:{ename}", getattr(ep, key)
        for i, resp in enumerate(ep.responses):
            path = ("endpoints", ename, "responses", i, "description")
            yield "endpoints.yaml", path, f"endpoint:{ename}", resp.description
    for pname, pol in spec.policies.policies.items():
        for key in ("summary", "description"):
            yield "policies.yaml", ("policies", pname, key), f"policy:{pname}", getattr(pol, key)
    for oname, op in spec.operations.operations.items():
        for key in ("summary", "description"):
            yield "operations.yaml", ("operations", oname, key), f"operation:{oname}", getattr(op, key)
    for did, dec in spec.decisions.decisions.items():
        for key in ("title", "summary", "context", "decision"):
            yield "decisions.yaml", ("decisions", did, key), f"decision:{did}", getattr(dec, key)
        for i, text in enumerate(dec.consequences):
            yield "decisions.yaml", ("decisions", did, "consequences", i), f"decision:{did}", text
        for i, alt in enumerate(dec.alternatives):
            path = ("decisions", did, "alternatives", i, "rejected_because")
            yield "decisions.yaml", path, f"decision:{did}", alt.rejected_because
    scenarios = getattr(spec, "scenarios", None)
    for sid, sc in (scenarios.scenarios if scenarios else {}).items():
        for key in ("description", "expected"):
            yield "scenarios.yaml", ("scenarios", sid, key), f"scenario:{sid}", getattr(sc, key)


def stated_statuses(text, problem):
    """Status codes the text puts right before the problem id ("409 x", "410 Gone x") or right
    after it in parentheses ("x (409)")."""
    pid = re.escape(problem)
    edge = r"(?![A-Za-z0-9-])"
    before = re.finditer(rf"(?<![A-Za-z0-9-])([1-5][0-9]{{2}})\s+(?:[A-Z][A-Za-z]*\s+)?`?{pid}`?{edge}", text)
    after = re.finditer(rf"(?<![A-Za-z0-9-])`?{pid}`?{edge}\s*\(([1-5][0-9]{{2}})\)", text)
    return [int(m.group(1)) for m in (*before, *after)]


class ProseProblemStatusMismatch(Rule):
    """Prose states a problem type with a status code other than the problem's own.

    ## Why is this bad?
    Readers take the status from the sentence in front of them. When a decision says
    "answers 404 note-archived" and the problem type is 410, client authors code against
    the prose, reviewers approve a contract the API does not have, and the next edit
    copies the wrong pair further. Every place that pairs a problem id with a status must
    use the status the problem type declares.

    ## Anti-pattern
    ```yaml
    # endpoints.yaml: note-archived: {title: Note is archived, status: 410, ...}
    decisions:
      D3:
        decision: Reading an archived note answers 404 note-archived.
    ```

    ## Fix
    ```yaml
    decisions:
      D3:
        decision: Reading an archived note answers 410 note-archived.
    ```
    """

    code = "MB527"
    name = "consistency.prose-problem-status-mismatch"
    severity = "error"

    def check(self, ctx):
        problems = ctx.spec.endpoints.problems
        for file, path, target, text in all_prose(ctx.spec):
            if not text:
                continue
            for pid, prob in problems.items():
                if pid not in text:
                    continue
                for status in stated_statuses(text, pid):
                    if status != prob.status:
                        yield ctx.hit(
                            target,
                            file,
                            path,
                            f"says {status} {pid} but problem {pid} has status {prob.status} "
                            f"(expected {prob.status} {pid})",
                        )
