from medbook_design.lint.rule import Rule


class KeptKeyBeforeItsStep(Rule):
    """A `source: step` parameter used where the key it carries does not exist yet.

    ## Why is this bad?
    A step parameter carries the key an earlier `returns_id` step of the same operation
    kept, to the steps after it. Used in that step itself or before it, it has no value.
    Used in the diagnosis, it names a row that the rollback before the diagnosis removed,
    or that was never written because an earlier step failed.

    ## Anti-pattern
    ```yaml
    params:
      note_id: {type: bigint, source: step, step: insert_note, description: The new note.}
    steps:
      - {name: tag_note, sql: "INSERT INTO note_tags (note_id, tag) VALUES (:note_id, :tag)"}
      - {name: insert_note, returns_id: true, sql: "INSERT INTO notes (title) VALUES (:title)"}
    ```

    ## Fix
    ```yaml
    steps:
      - {name: insert_note, returns_id: true, sql: "INSERT INTO notes (title) VALUES (:title)"}
      - {name: tag_note, sql: "INSERT INTO note_tags (note_id, tag) VALUES (:note_id, :tag)"}
    ```
    """

    code = "MB525"
    name = "consistency.kept-key-before-its-step"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        operations = ctx.spec.operations.operations
        for site, st in ctx.statements():
            op = operations[site.operation]
            order = [s.name for s in op.steps]
            here = order.index(site.step.name) if site.step is not None else None
            for name in st.placeholders:
                param = op.params.get(name)
                if param is None or param.source != "step" or param.step not in order:
                    continue  # undeclared (MB510) or naming no step (reported when loading)
                if here is None:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"the diagnosis of {site.operation} uses :{name}, the key step {param.step} keeps inside "
                        "the rolled-back transaction (expected only parameters the caller supplies)",
                    )
                elif order.index(param.step) >= here:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} uses :{name}, the key step {param.step} keeps "
                        f"(expected it only in steps after {param.step})",
                    )
