import re

from medbook_design.lint.rule import Rule

Version = tuple[int, ...]


def version(text: str) -> Version:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3]) or (0,)


def requirements(spec):
    """(feature, dialect, minimum MySQL, minimum MariaDB or PostgreSQL) the spec relies on."""
    needs: list[tuple[str, str, Version | None, Version]] = []
    has_checks = any(t.checks for t in spec.new_tables.values())
    has_enum = any(c.type == "enum" for t in spec.new_tables.values() for c in t.columns.values())
    if has_checks or has_enum:
        needs.append(("CHECK constraints (enum columns are CHECK-constrained)", "mysql", (8, 0, 16), (10, 2, 1)))
    if any(c.generated for t in spec.new_tables.values() for c in t.columns.values()):
        needs.append(("stored generated columns", "mysql", (5, 7, 6), (10, 2, 1)))
        needs.append(("stored generated columns", "postgres", None, (12,)))
    if any(c.identity for t in spec.new_tables.values() for c in t.columns.values()):
        needs.append(("identity columns", "postgres", None, (10,)))
    return needs


class FeatureNeedsNewerVersion(Rule):
    """The design relies on a feature newer than the oldest declared dialect version.

    ## Why is this bad?
    MySQL before 8.0.16 parses CHECK constraints and then ignores them, so every enum and
    every CHECK in the design silently stops protecting data; PostgreSQL before 12 has no
    stored generated columns. `project.dialects.<d>.min_version` is a promise: the schema
    must work, unchanged, on that version. (MariaDB is recognised by a major version of 10
    or more.)

    ## Anti-pattern
    ```yaml
    dialects:
      mysql: {min_version: "5.7"}
    ```

    ## Fix
    ```yaml
    dialects:
      mysql: {min_version: "8.0.16"}
    ```
    """

    code = "MB211"
    name = "portability.feature-needs-newer-version"
    severity = "error"

    def check(self, ctx):
        dialects = ctx.spec.project.dialects
        for feature, dialect, mysql_min, other_min in requirements(ctx.spec):
            target = dialects.get(dialect)
            if target is None:
                continue
            have = version(target.min_version)
            if dialect == "mysql":
                mariadb = have[0] >= 10
                need = other_min if mariadb else mysql_min
                product = "MariaDB" if mariadb else "MySQL"
            else:
                need, product = other_min, "PostgreSQL"
            if need and have < need:
                yield ctx.hit(
                    "project",
                    "project.yaml",
                    ("dialects", dialect, "min_version"),
                    f"{feature} need {product} {'.'.join(map(str, need))} or later, but "
                    f"min_version is {target.min_version} (expected a newer min_version)",
                )
