from medbook_design.lint.rule import Rule
from medbook_design.spec.paths import path_params


class PathParamMismatch(Rule):
    """Path template parameters and declared path parameters disagree.

    ## Why is this bad?
    `{slot_id}` in the path with no `in: path` parameter of that name leaves its type and
    meaning undefined, and OpenAPI validators reject the document; a declared path
    parameter the template does not contain can never be sent. Path parameters are also
    always required.

    ## Anti-pattern
    ```yaml
    path: /slots/{slot_id}
    parameters:
      - {name: id, in: path, required: true, column: availability_slots.id, description: The slot.}
    ```

    ## Fix
    ```yaml
    path: /slots/{slot_id}
    parameters:
      - {name: slot_id, in: path, required: true, column: availability_slots.id, description: The slot.}
    ```
    """

    code = "MB410"
    name = "api.path-param-mismatch"
    severity = "error"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            in_template = path_params(ep.path)
            declared = {p.name: i for i, p in enumerate(ep.parameters) if p.in_ == "path"}
            target = f"endpoint:{ename}"
            for name in in_template:
                if name not in declared:
                    yield ctx.hit(
                        target,
                        "endpoints.yaml",
                        ("endpoints", ename, "path"),
                        f"path {ep.path} has {{{name}}} but no parameter declares it "
                        f"(expected - {{name: {name}, in: path, required: true, ...}})",
                    )
            for name, i in declared.items():
                if name not in in_template:
                    yield ctx.hit(
                        target,
                        "endpoints.yaml",
                        ("endpoints", ename, "parameters", i, "name"),
                        f"path parameter {name!r} does not appear in {ep.path} "
                        f"(expected one of {', '.join(in_template) or 'no path parameters'})",
                    )
                elif not ep.parameters[i].required:
                    yield ctx.hit(
                        target,
                        "endpoints.yaml",
                        ("endpoints", ename, "parameters", i),
                        f"path parameter {name!r} is not required (expected required: true)",
                    )
