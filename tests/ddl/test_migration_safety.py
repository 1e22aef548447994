"""What the generator guarantees, so no design rule has to: frozen tables stay frozen, and a
failed migration can be run again.

Lint judges what a design decides (lock timeouts, key widths, derived names: the MB8xx
rules); these tests pin down what the generator decides for every design.
"""

from __future__ import annotations

import pytest
from sqlglot import exp

from helpers import LIBRARY_SPEC, ROOT, SPEC
from medbook_design.generate.ddl import migration_statements
from medbook_design.spec.engines import ENGINES
from medbook_design.spec.loader import load_spec

SPECS = [SPEC, LIBRARY_SPEC, ROOT / "tests" / "fixtures" / "room_spec", ROOT / "tests" / "lint" / "base_spec"]


def touched(statement: exp.Expression) -> set[str]:
    """Tables a statement creates, alters, drops, indexes or comments on (foreign key targets aside)."""
    tables = {
        table.name
        for table in statement.find_all(exp.Table)
        if table.name and table.find_ancestor(exp.Reference) is None
    }
    return tables | {column.table for column in statement.find_all(exp.Column) if column.table}  # COMMENT ON COLUMN


@pytest.mark.parametrize("dialect", sorted(ENGINES))
@pytest.mark.parametrize("spec_dir", SPECS, ids=lambda p: p.name)
@pytest.mark.parametrize("down", [False, True], ids=["up", "down"])
def test_the_migration_touches_existing_tables_only_as_foreign_key_targets(spec_dir, dialect, down):
    spec = load_spec(spec_dir).spec
    statements = migration_statements(load_spec(spec_dir), dialect, down=down)
    assert statements
    for statement in statements:
        assert not touched(statement) & set(spec.existing_tables), statement.sql(dialect)


@pytest.mark.parametrize("spec_dir", SPECS, ids=lambda p: p.name)
def test_a_failed_migration_can_be_run_again(spec_dir):
    design = load_spec(spec_dir)
    new = set(design.spec.new_tables)
    for dialect, engine in ENGINES.items():
        up = migration_statements(design, dialect)
        down = migration_statements(design, dialect, down=True)
        created = {s.this.this.name for s in up if isinstance(s, exp.Create) and s.kind == "TABLE"}
        dropped = {t.name for s in down if isinstance(s, exp.Drop) for t in s.find_all(exp.Table)}
        assert created == dropped == new
        # where DDL is not transactional, the rollback undoes any prefix of the migration
        assert all(s.args.get("exists") for s in down if isinstance(s, exp.Drop)), dialect
        if engine.transactional_ddl:
            # nothing that refuses to run inside the migration's transaction
            assert not any(s.args.get("concurrently") for s in up if isinstance(s, exp.Create)), dialect
