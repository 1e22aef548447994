"""``erd --from-dsn``: the diagram of what a live database holds, drawn by eralchemy.

A scratch database gets a spec's migration; its diagram must show every table the spec
declares with its columns in table order and one edge per foreign-key column, the same
text on every run. A server that cannot be reached answers as ``verify`` does.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pygraphviz
import pytest

from helpers import LIBRARY_SPEC, run_cli
from helpers.databases import dsn
from medbook_design.errors import UsageError
from medbook_design.generate.ddl import existing_statements, migration_statements, render_statements
from medbook_design.spec.loader import load_spec
from medbook_design.verify.database_erd import database_erd
from medbook_design.verify.servers import apply_ddl
from medbook_design.verify.session import Session

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def migrated(scratch):
    """A scratch database holding the library spec's tables, and the spec."""
    design = load_spec(LIBRARY_SPEC)
    with Session(scratch) as session:
        apply_ddl(session, render_statements(existing_statements(design, scratch.dialect), scratch.dialect))
        apply_ddl(session, render_statements(migration_statements(design, scratch.dialect), scratch.dialect))
    return scratch, design


def test_the_dot_shows_every_table_column_and_foreign_key(migrated):
    target, design = migrated
    tables = design.spec.tables.tables
    dot = database_erd(target, "dot")
    graph = pygraphviz.AGraph(string=dot)
    assert list(graph.nodes()) == sorted(tables)
    for name, table in tables.items():
        label = graph.get_node(name).attr["label"]
        assert re.findall(r'PORT="([^"]+)"', label) == list(table.columns)
        for column, declared in table.columns.items():
            row = re.search(rf'PORT="{column}">(.*?)</TD>', label).group(1)
            assert ("NOT NULL" in row) == (not declared.nullable), row
            assert ("<u>" in row) == (column in table.primary_key), row
    edges = sorted((e[0], e.attr["tailport"], e[1], e.attr["headport"]) for e in graph.edges())
    declared_edges = sorted(
        (fk.references.table, parent, name, child)
        for name, table in tables.items()
        for fk in table.foreign_keys
        for child, parent in zip(fk.columns, fk.references.columns, strict=True)
    )
    assert edges == declared_edges


def test_the_output_is_the_same_on_every_run(migrated):
    target, _ = migrated
    for fmt in ("dot", "er"):
        assert database_erd(target, fmt) == database_erd(target, fmt)


def test_the_er_markup_lists_tables_then_relationships(migrated):
    target, design = migrated
    text = database_erd(target, "er")
    assert re.findall(r"^\[(\w+)\]$", text, re.M) == sorted(design.spec.tables.tables)
    relations = re.findall(r'^(\w+)\."(\w+)" \S+ (\w+)\."(\w+)"$', text, re.M)
    assert len(relations) == sum(len(fk.columns) for t in design.spec.tables.tables.values() for fk in t.foreign_keys)


def test_the_svg_draws_one_node_per_table(migrated):
    target, design = migrated
    svg = database_erd(target, "svg")
    assert "<!--" not in svg  # no Graphviz version stamp: the bytes do not change with Graphviz
    root = ET.fromstring(svg)
    titles = [g.find(f"{SVG_NS}title").text for g in root.iter(f"{SVG_NS}g") if g.get("class") == "node"]
    assert sorted(titles) == sorted(design.spec.tables.tables)


def test_the_command_draws_another_schema_of_the_server(migrated):
    target, design = migrated
    # the DSN names the server's default database; --schema names the one to draw
    other = {"postgres": "public", "mysql": target.database}[target.dialect]
    server_dsn = dsn(target.dialect)
    if target.dialect == "postgres":
        server_dsn = server_dsn.rsplit("/", 1)[0] + "/" + target.database
    done = run_cli("erd", "--from-dsn", server_dsn, "--schema", other, "--format", "er")
    assert done.returncode == 0, done.stderr
    assert re.findall(r"^\[(?:\w+\.)?(\w+)\]$", done.stdout, re.M) == sorted(design.spec.tables.tables)


def test_an_unknown_schema_is_refused_with_those_there_are(engine):
    with pytest.raises(UsageError, match=r"has no schema 'no_such_schema' \(expected one of .*\)"):
        database_erd(engine, "dot", schema="no_such_schema")


def test_an_empty_database_is_refused(scratch):
    with pytest.raises(UsageError, match="holds no tables"):
        database_erd(scratch, "dot")


@pytest.mark.parametrize(
    "dsn_text",
    ["postgresql://postgres:hush-hush-pw@127.0.0.1:1/postgres", "mysql://root:hush-hush-pw@127.0.0.1:1/mysql"],
    ids=["postgres", "mysql"],
)
def test_an_unreachable_server_answers_as_verify_does(dsn_text):
    drawn = run_cli("erd", "--from-dsn", dsn_text)
    verified = run_cli("verify", "--dsn", dsn_text)
    assert drawn.returncode == verified.returncode == 2
    assert drawn.stderr == verified.stderr
    assert drawn.stderr.startswith(f"error: cannot connect to {dsn_text.replace(':hush-hush-pw', '')}: ")
    assert "hush-hush-pw" not in drawn.stdout + drawn.stderr
    assert "Traceback" not in drawn.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "er"], "--format er applies to --from-dsn only"),
        (["--schema", "public"], "--schema applies to --from-dsn only"),
        (
            ["--from-dsn", "postgresql://postgres@127.0.0.1:1/x", "--format", "mermaid"],
            "--format mermaid draws the spec",
        ),
        (["--from-dsn", "postgresql://postgres@127.0.0.1:1/x", "--spec", "spec"], "--spec and --from-dsn exclude"),
        (["--from-dsn", "oracle://scott@127.0.0.1/orcl"], "unsupported DSN scheme 'oracle'"),
    ],
)
def test_options_that_do_not_go_together_exit_2(args, message):
    done = run_cli("erd", *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
