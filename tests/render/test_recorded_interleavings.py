"""Race diagrams are drawn from recorded interleavings, never from the SQL's shape: every
recorded order per engine in the evidence, one of them in Section 4.

The recordings here are hand-written in the format ``verify --record`` writes
(tests/render/fixtures/recorded/verification/*.json): on PostgreSQL the second caller's guard
waits, then matches its row and the unique index refuses the insert; on MySQL the guard waits
and matches no row. The diagrams must show exactly that, per engine.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT, assert_golden
from helpers.sites import QUIET, RECIPES, RECORDED
from medbook_design.build import TEMPLATES, generate
from medbook_design.render.pages import SINGLE_FILE
from medbook_design.render.sequence import draw, stale
from medbook_design.reports import ReportError, Trace, read_verification, verification_traces
from medbook_design.spec.loader import load_spec
from medbook_design.spec.model import SessionRun

GOLDEN = ROOT / "tests" / "golden" / "pages" / "recipes-recorded"
SCENARIO = "rate_twice_at_once"


@pytest.fixture(scope="module")
def recipes():
    return load_spec(RECIPES)


def pages(design, docs: Path) -> dict[str, str]:
    return {a.path: a.content for a in generate(design, docs, TEMPLATES, QUIET) if isinstance(a.content, str)}


def race_section(evidence: str) -> str:
    """The race's part of the evidence page: one tab per engine."""
    start = evidence.index("## Race: ")
    end = evidence.find("\n## ", start + 1)
    return evidence[start : end if end > 0 else len(evidence)]


def panels(section: str) -> dict[str, str]:
    """Engine tab label -> its body (the site's content tabs)."""
    parts = re.split(r'^=== "([^"]+)"\n', section, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def diagrams(markdown: str) -> list[str]:
    """Each Mermaid block's source, without the indentation of the tab around it."""
    found = re.findall(r"^( *)```mermaid\n(.*?)\n\1```", markdown, flags=re.S | re.M)
    return [textwrap.dedent(body) for _, body in found]


def recorded(dialect: str) -> list[dict[str, Any]]:
    report = json.loads((RECORDED / "verification" / f"{dialect}.json").read_text())
    return next(s for s in report["scenarios"] if s["id"] == SCENARIO)["traces"]


def trace(raw: dict[str, Any], tmp_path: Path) -> Trace:
    """One hand-written trace, read the way the build reads reports."""
    report = {"scenarios": [{"id": SCENARIO, "traces": [raw]}]}
    return verification_traces(tmp_path, {"postgres": report})["postgres"][SCENARIO][0]


def event(
    session: str,
    step: str,
    rows: int | None = 1,
    *,
    waited: bool = False,
    error: str | None = None,
    refused: bool = False,
) -> dict[str, Any]:
    return {"session": session, "step": step, "rows": rows, "waited": waited, "error": error, "refused": refused}


SESSIONS = {
    "A": {"operation": "rate_recipe", "isolation": "read committed"},
    "B": {"operation": "rate_recipe", "isolation": "read committed"},
}
ORDER = ["A.count_rating", "B.count_rating", "A.insert_rating", "A.commit", "B.insert_rating", "B.commit"]


@pytest.fixture(scope="module")
def recorded_pages(recipes, tmp_path_factory) -> dict[str, str]:
    docs = tmp_path_factory.mktemp("recorded-docs")
    shutil.copytree(RECORDED / "verification", docs / "verification")
    return pages(recipes, docs)


def test_recorded_page_matches_golden_file(recorded_pages):
    """The pages as a reviewer reads them (regenerate with UPDATE_GOLDEN=1)."""
    assert_golden(GOLDEN / "4-edge-cases.md", recorded_pages["4-edge-cases.md"])
    assert_golden(GOLDEN / "evidence.md", recorded_pages["evidence.md"])


def test_section_4_shows_one_recorded_order_where_a_statement_waited(recorded_pages):
    edge = recorded_pages["4-edge-cases.md"]
    (diagram,) = diagrams(edge)
    assert " waits for a lock " in diagram
    assert "(evidence.md#race-rate_twice_at_once)" in edge


def test_section_4_says_once_that_every_proof_passed(recorded_pages):
    edge = recorded_pages["4-edge-cases.md"]
    assert edge.count("Every scenario cited below passed on PostgreSQL 16.4 and MySQL 8.0.36.") == 1
    assert "all passed on" not in edge


def test_each_engine_shows_what_it_recorded(recorded_pages):
    tabs = panels(race_section(recorded_pages["evidence.md"]))
    assert list(tabs) == ["PostgreSQL 16.4", "MySQL 8.0.36"]  # each engine as its report names it
    postgres, mysql = tabs["PostgreSQL 16.4"], tabs["MySQL 8.0.36"]
    assert "Recorded on PostgreSQL 16.4" in postgres and "Recorded on MySQL 8.0.36" in mysql
    assert len(diagrams(postgres)) == 2 and len(diagrams(mysql)) == 1
    waited_pg, plain_pg = diagrams(postgres)
    # PostgreSQL: the guard waited, then matched its row; the unique index refused B's insert
    assert "DB-->>B: count_rating: 1 row\n" in waited_pg
    assert "DB-->>B: insert_rating: error unique_violation" in waited_pg
    assert "unique_violation means already-rated" in waited_pg
    assert "diagnose" not in waited_pg
    # MySQL: the guard waited, then matched no row; the diagnosis named the problem
    (waited_my,) = diagrams(mysql)
    assert "DB-->>B: count_rating: 0 rows, expected 1" in waited_my
    assert "B->>DB: diagnose\n    DB-->>B: already-rated" in waited_my
    assert "insert_rating" not in waited_my.split("B's count_rating resumes", 1)[1]
    # without a wait nothing says anyone waited
    assert "wait" not in plain_pg and "resumes" not in plain_pg
    assert "No statement waited for a lock." in postgres


def test_the_outcome_carries_the_endpoints_statuses(recorded_pages):
    section = race_section(recorded_pages["evidence.md"])
    for diagram in diagrams(section):
        assert diagram.endswith("Note over A,B: A gets 201, B gets 409 already-rated")
    assert section.count("A gets 201, B gets 409 already-rated.") == 3


def test_a_wait_is_drawn_where_it_was_issued_and_answered_after_the_commit(recorded_pages):
    (diagram,) = diagrams(panels(race_section(recorded_pages["evidence.md"]))["MySQL 8.0.36"])
    lines = [line.strip() for line in diagram.splitlines()]
    at = {line: i for i, line in enumerate(lines)}
    issued = at["B->>DB: count_rating: UPDATE recipes"]
    assert lines[issued + 1] == "Note over DB,B: B's count_rating waits for a lock A holds"
    assert issued < at["A->>DB: insert_rating: INSERT ratings"] < at["A->>DB: COMMIT"]
    assert at["A->>DB: COMMIT"] < at["Note over DB,B: B's count_rating resumes after A's COMMIT"]
    assert (
        at["Note over DB,B: B's count_rating resumes after A's COMMIT"]
        < at["DB-->>B: count_rating: 0 rows, expected 1"]
    )
    assert at["DB-->>B: count_rating: 0 rows, expected 1"] < at["B->>DB: ROLLBACK"]


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_every_recorded_event_is_drawn_once_in_the_order_it_finished(recipes, dialect, tmp_path):
    """Read the diagram back: its answers are the recorded events, in order, and nothing else."""
    for raw in recorded(dialect):
        drawn = draw(recipes, trace(raw, tmp_path)).diagram
        answers = re.findall(r"DB-->>(\w+): (\w+):", drawn)
        expected = [(e["session"], e["step"]) for e in raw["events"] if e["step"] != "commit"]
        assert answers == expected
        for session, step in expected:  # asked before answered
            assert drawn.index(f"{session}->>DB: {step}:") < drawn.index(f"DB-->>{session}: {step}:")
        never_ran = {k for k in raw["order"] if k.split(".")[1] != "commit"} - {f"{s}.{t}" for s, t in expected}
        for key in never_ran:
            session, step = key.split(".")
            assert f"{session}->>DB: {step}" not in drawn
        assert drawn.count(" waits for ") == sum(e["waited"] for e in raw["events"])


def test_a_deadlock_victim_rolls_back_and_the_other_resumes_after_its_rollback(recipes, tmp_path):
    raw = {
        "order": ORDER,
        "sessions": SESSIONS,
        "outcome": {"A": "error:deadlock", "B": "ok"},
        "events": [
            event("A", "count_rating"),
            event("A", "insert_rating", None, error="deadlock", refused=True),
            event("B", "count_rating", waited=True),
            event("B", "insert_rating"),
            event("B", "commit"),
        ],
    }
    drawn = draw(recipes, trace(raw, tmp_path))
    assert "Note over DB,B: B's count_rating resumes after A's ROLLBACK" in drawn.diagram
    assert drawn.waits == ("B's count_rating waited for a lock A held and finished after A's ROLLBACK.",)
    assert "A->>DB: ROLLBACK" in drawn.diagram and "A->>DB: diagnose" not in drawn.diagram
    assert "A->>DB: COMMIT" not in drawn.diagram  # A had ended: its commit was never sent
    assert drawn.outcome == "A fails with database error deadlock, B gets 201"


def test_a_recording_that_no_longer_matches_the_design_draws_nothing(recipes, recorded_pages, tmp_path):
    raw = {
        "order": ["A.count_rating", "A.commit", "B.count_rating", "B.commit"],
        "sessions": SESSIONS,
        "outcome": {"A": "ok", "B": "ok"},
        "events": [event("A", "count_rating"), event("A", "commit"), event("B", "count_rating"), event("B", "commit")],
    }
    scenario = recipes.spec.scenarios.scenarios[SCENARIO]
    assert stale(recipes, scenario, trace(raw, tmp_path)) is None
    renamed = {
        **raw,
        "order": ["A.count_rating", "A.commit", "B.add_one", "B.commit"],
        "events": [*raw["events"][:2], event("B", "add_one"), event("B", "commit")],
    }
    assert stale(recipes, scenario, trace(renamed, tmp_path)) == "rate_recipe has no step add_one any more"
    other_level = {**raw, "sessions": {**SESSIONS, "B": {"operation": "rate_recipe", "isolation": "serializable"}}}
    assert "it now runs at read committed" in str(stale(recipes, scenario, trace(other_level, tmp_path)))
    declared = scenario.model_copy(update={"sessions": {"A": SessionRun.model_validate({"call": "rate_recipe"})}})
    assert stale(recipes, declared, trace(raw, tmp_path)) == "the scenario no longer has session B"

    docs = tmp_path / "docs"
    (docs / "verification").mkdir(parents=True)
    report = {"engine": "PostgreSQL 16.4", "scenarios": [{"id": SCENARIO, "outcome": "pass", "traces": [renamed]}]}
    (docs / "verification" / "postgres.json").write_text(json.dumps(report))
    section = race_section(pages(recipes, docs)["evidence.md"])
    assert diagrams(section) == []
    assert "The interleaving recorded on PostgreSQL 16.4 no longer matches the design" in section


def test_without_recordings_no_diagram_is_drawn(recipes, tmp_path):
    """Reports without traces (or no report at all): the page says so and invents nothing."""
    docs = tmp_path / "docs"
    (docs / "verification").mkdir(parents=True)
    report = {"engine": "PostgreSQL 16.4", "scenarios": [{"id": SCENARIO, "outcome": "pass", "detail": ""}]}
    (docs / "verification" / "postgres.json").write_text(json.dumps(report))
    rendered = pages(recipes, docs)
    for page in ("4-edge-cases.md", "evidence.md", SINGLE_FILE):
        assert "sequenceDiagram\n    participant A as A (" not in rendered[page]  # no race drawn
    assert "No run of this race has been recorded yet." in rendered["4-edge-cases.md"]
    tabs = panels(race_section(rendered["evidence.md"]))
    assert (
        tabs["PostgreSQL 16.4"].strip() == "No recorded interleaving of this scenario is available for PostgreSQL 16.4."
    )
    assert tabs["MySQL"].strip() == "MySQL has no verification report yet, so nothing was recorded there."


def test_the_single_file_shows_one_recorded_order(recorded_pages):
    """The single file carries Section 4's one recorded order; the other orders stay in the evidence."""
    single = recorded_pages[SINGLE_FILE]
    assert '=== "' not in single
    races = [d for d in diagrams(single) if "participant A as A (" in d]
    assert len(races) == 1
    assert single.count("Recorded on ") == 1
    assert "Other orders and engines" in single and "evidence.md" not in single


BROKEN = {  # id: (change to a valid trace, the message after "<file>: scenarios[0].traces[0]")
    "events-not-a-list": ({"events": "x"}, r"\.events: expected a list of steps as they finished, found \"x\""),
    "rows-a-string": (
        {"events": [{"session": "A", "step": "count_rating", "rows": "1"}]},
        r"\.events\[0\]\.rows: expected a row count or null, found \"1\"",
    ),
    "rows-a-boolean": (
        {"events": [{"session": "A", "step": "count_rating", "rows": True}]},
        r"\.events\[0\]\.rows: expected a row count or null, found true",
    ),
    "unknown-session": (
        {"events": [{"session": "C", "step": "count_rating"}]},
        r"\.events\[0\]: expected a step the permutation issued \(listed in order\), "
        r"found \"C\.count_rating\"",
    ),
    "waited-not-a-boolean": (
        {"events": [{"session": "A", "step": "count_rating", "waited": "yes"}]},
        r"\.events\[0\]\.waited: expected true or false, found \"yes\"",
    ),
    "order-without-session": (
        {"order": ["A.count_rating", "count_rating"]},
        r"\.order\[1\]: expected '<session>\.<step>' with a session of \['A', 'B'\], "
        r"found \"count_rating\"",
    ),
    "session-without-isolation": (
        {"sessions": {"A": {"operation": "rate_recipe"}}},
        r"\.sessions\.A: missing 'isolation'",
    ),
    "outcome-a-number": ({"outcome": {"A": 201}}, r"\.outcome\.A: expected a string for a session"),
    "order-null": ({"order": None}, r"\.order: expected a list of '<session>\.<step>', found null"),
}


@pytest.mark.parametrize(("change", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_a_damaged_trace_is_a_located_error(tmp_path, change, message):
    raw = {
        "order": ORDER,
        "sessions": SESSIONS,
        "events": [event("A", "count_rating")],
        "outcome": {"A": "ok", "B": "ok"},
        **change,
    }
    path = tmp_path / "verification" / "postgres.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"scenarios": [{"id": SCENARIO, "traces": [raw]}]}))
    reports = read_verification(tmp_path, ["postgres"])
    with pytest.raises(ReportError, match=re.escape(f"{path}: scenarios[0].traces[0]") + message):
        verification_traces(tmp_path, reports)
