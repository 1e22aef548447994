from typing import Any

from medbook_design.lint.rule import PathKey, Rule

MAX_KEY_BYTES = 3072  # InnoDB with DYNAMIC rows
BYTES = {"bigint": 8, "integer": 4, "smallint": 2, "boolean": 1, "timestamp": 8, "date": 3, "uuid": 36 * 4}


def key_bytes(table, columns, types):
    total = 0
    for cname in columns:
        col = table.columns.get(cname)
        if col is None:
            continue
        if col.type == "string":
            total += 4 * (col.length or 0)  # utf8mb4: up to four bytes a character
        elif col.type == "enum" and col.enum in types:
            total += 4 * max(len(v) for v in types[col.enum].values)
        elif col.type == "decimal":
            total += (col.precision or 10) // 2 + 1
        else:
            total += BYTES.get(col.type, 0)
    return total


class IndexKeyTooLong(Rule):
    """An index whose key exceeds MySQL's 3072-byte limit.

    ## Why is this bad?
    InnoDB refuses keys longer than 3072 bytes, and with utf8mb4 every `string` character
    counts as four bytes: one `string(800)` column is already too long. PostgreSQL accepts
    the same index, so the migration fails on MySQL only.

    ## Anti-pattern
    ```yaml
    columns:
      url: {type: string, length: 2048, description: Link to the document.}
    uniques:
      - {name: uq_documents_url, columns: [url], reason: One row per link.}
    ```

    ## Fix
    ```yaml
    columns:
      url: {type: string, length: 2048, description: Link to the document.}
      url_hash: {type: string, length: 64, description: SHA-256 of url, unique instead of the url itself.}
    uniques:
      - {name: uq_documents_url_hash, columns: [url_hash], reason: One row per link.}
    ```
    """

    code = "MB204"
    name = "portability.index-key-too-long"
    severity = "error"

    def check(self, ctx):
        if "mysql" not in ctx.spec.project.dialects:
            return
        types = ctx.spec.tables.types
        for tname, table in ctx.spec.new_tables.items():
            keys: list[tuple[str, PathKey, Any]] = [("primary key", ("primary_key",), table.primary_key)]
            for kind in ("uniques", "indexes"):
                keys += [(item.name, (kind, i, "columns"), item.columns) for i, item in enumerate(getattr(table, kind))]
            for name, path, cols in keys:
                size = key_bytes(table, cols, types)
                if size > MAX_KEY_BYTES:
                    yield ctx.hit(
                        f"constraint:{tname}.{name}" if name != "primary key" else f"table:{tname}",
                        "tables.yaml",
                        ("tables", tname) + path,
                        f"{name} on {tname} needs up to {size} bytes per key on MySQL "
                        f"(expected at most {MAX_KEY_BYTES}; utf8mb4 counts 4 bytes a character)",
                    )
