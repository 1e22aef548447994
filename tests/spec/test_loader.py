"""Loader behaviour the corpus does not show one case at a time: positions, sorting,
how pydantic's error locations become spec paths, and plain-data conversion."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC, SPEC
from medbook_design.errors import SpecError
from medbook_design.spec.loader import display_name, load_spec
from medbook_design.spec.source import SourceProblem, parse_text, read_source


def copy_spec(tmp_path: Path, source: Path = LIBRARY_SPEC) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(source, spec)
    return spec


def replace(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems_of(spec: Path) -> list[str]:
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    return [str(p) for p in info.value.problems]


def test_locate_gives_value_and_key_positions(loaded_spec) -> None:
    lines = (SPEC / "tables.yaml").read_text(encoding="utf-8").splitlines()
    value = loaded_spec.locate("tables.yaml", ("tables", "appointments", "columns", "slot_id", "type"))
    key = loaded_spec.locate("tables.yaml", ("tables", "appointments", "columns", "slot_id"), key=True)
    assert lines[key.line - 1][key.col - 1 :].startswith("slot_id:")
    assert lines[value.line - 1][value.col - 1 :].startswith("bigint")
    assert value.line > key.line


def test_locate_walks_up_to_the_nearest_known_node(loaded_spec) -> None:
    deep = loaded_spec.locate("tables.yaml", ("tables", "appointments", "no_such_key", 3))
    assert deep == loaded_spec.locate("tables.yaml", ("tables", "appointments"))
    assert loaded_spec.locate("nowhere.yaml", ("x",)).line == 0


def test_all_errors_of_all_files_are_reported_sorted(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    t = replace(
        spec / "tables.yaml",
        "        nullable: true\n        description: Year",
        "        nullable: 1\n        description: Year",
    )
    e = replace(spec / "endpoints.yaml", "    method: GET\n", "    method: get\n")
    p = replace(spec / "project.yaml", "status: draft\n", "status: drafty\n")
    found = problems_of(spec)
    assert [line.split(": error")[0].rsplit("/", 1)[-1] for line in found] == [
        f"endpoints.yaml:{e}:13",
        f"project.yaml:{p}:9",
        f"tables.yaml:{t}:19",
    ]
    assert found == sorted(found)


def test_reference_errors_come_together_after_the_model_is_valid(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    replace(spec / "endpoints.yaml", "    operation: return_loan\n", "    operation: give_back\n")
    replace(spec / "scenarios.yaml", "proves: [policy:loan_limit,", "proves: [policy:loan_limits,")
    found = problems_of(spec)
    assert len(found) == 2
    assert "unknown operation 'give_back'" in found[0] and "unknown policy 'loan_limits'" in found[1]


def test_a_key_named_like_a_pydantic_union_member_is_located(tmp_path: Path) -> None:
    # pydantic puts 'str' / 'int' into error locations for unions; a column may be called that
    spec = copy_spec(tmp_path)
    line = replace(
        spec / "tables.yaml",
        "      title:\n        type: text\n",
        "      str:\n        type: text\n        nullable: [1]\n",
    )
    assert problems_of(spec) == [
        f"{spec / 'tables.yaml'}:{line + 2}:19: error[MB012]: tables.books.columns.str.nullable: "
        "expected true or false, found a list of 1 item"
    ]


def test_a_failed_union_is_one_problem(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    line = replace(spec / "tables.yaml", "        default: good\n", "        default: {a: 1}\n")
    assert problems_of(spec) == [
        f"{spec / 'tables.yaml'}:{line}:18: error[MB012]: tables.copies.columns.wear.default: "
        "expected text, an integer or a boolean, found a mapping with key a"
    ]


def test_unknown_key_in_a_named_entry_lists_that_entry_keys(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    line = replace(spec / "tables.yaml", '          expression: "CASE', '          expresion: "CASE')
    shown = spec / "tables.yaml"
    assert problems_of(spec) == [
        f"{shown}:{line - 1}:9: error[MB011]: missing required key 'expression' "
        "at tables.loans.columns.open_copy_id.generated",
        f"{shown}:{line}:11: error[MB010]: unknown key 'expresion' (expected one of expression, stored); "
        "did you mean 'expression'?",
    ]


def test_messages_name_files_relative_to_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec").mkdir()
    assert display_name(Path("spec"), "tables.yaml") == os.path.join("spec", "tables.yaml")
    assert display_name(Path("/elsewhere"), "tables.yaml") == "/elsewhere/tables.yaml"


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (LIBRARY_SPEC / "project.yaml").read_bytes())
    assert read_source(path, "project.yaml").data["title"] == "Riverside library lending"


@pytest.mark.parametrize(
    "text, value",
    [
        ("a: 0755", 493),  # YAML 1.1 octal
        ("a: 1:30", 90),  # YAML 1.1 sexagesimal
        ("a: 0x_1F", 31),
        ("a: 2026-12-01", "2026-12-01"),  # dates stay text: the model decides what a date means
        ("a: 1.5", 1.5),
        ("a: no", False),  # the Norway problem: strict models then reject it for text fields
        ("a: ~", None),
    ],
)
def test_plain_scalars(text: str, value: object) -> None:
    assert parse_text(text, "x.yaml").data == {"a": value}


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("a: b\n<<: {c: 1}\n", (2, 1), "YAML merge keys (<<) are not allowed"),
        ("a: !!omap [{b: 1}]\n", (1, 4), "YAML tag 'tag:yaml.org,2002:omap' is not allowed"),
        ("a: !local {b: 1}\n", (1, 4), "YAML tag '!local' is not allowed"),
        ("? [a]\n: 1\n", (1, 3), "mapping key is a list (expected a text key)"),
        ("a: 1\nb: x\x7fy\n", (2, 5), "character U+007F is not allowed in YAML"),
        ("a: .nan\n", (1, 4), "non-finite number '.nan' is not allowed"),
    ],
)
def test_refused_yaml_constructs(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(SourceProblem) as info:
        parse_text(text, "x.yaml")
    problem = info.value.problem
    assert (problem.location.line, problem.location.col) == where
    assert problem.message.startswith(message)


def test_reference_errors_are_capped_per_file(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    extra = "".join(
        f"  X{i}:\n    section: 3A\n    text: Padding.\n    satisfied_by: [table:nope_{i}]\n" for i in range(150)
    )
    (spec / "requirements.yaml").write_text(
        (spec / "requirements.yaml").read_text(encoding="utf-8") + extra, encoding="utf-8"
    )
    found = problems_of(spec)
    assert len(found) == 101
    assert all("error[MB020]: unknown table 'nope_" in line for line in found[:100])
    assert found[-1].endswith(
        "error[MB008]: 50 more problem(s) in this file are not shown (expected at most 100 per file; fix these first)"
    )


def test_a_decision_summary_is_optional_and_never_empty(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    assert load_spec(spec).spec.decisions.decisions["L1"].summary is None
    marker = "    context: A copy must never be lent twice, and returned loans must be kept.\n"
    line = replace(spec / "decisions.yaml", marker, '    summary: ""\n' + marker)
    assert problems_of(spec) == [
        f"{spec / 'decisions.yaml'}:{line}:14: error[MB013]: decisions.L1.summary: "
        "expected non-empty text, found the empty string"
    ]
    replace(
        spec / "decisions.yaml",
        '    summary: ""\n',
        "    summary: One open loan per copy, kept unique by the schema.\n",
    )
    assert (
        load_spec(spec).spec.decisions.decisions["L1"].summary == "One open loan per copy, kept unique by the schema."
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.domain)", "data:text/html,<script>alert(1)</script>", "ftp://x", "//x"]
)
def test_links_the_site_and_openapi_show_are_web_or_mail_urls(tmp_path: Path, url: str) -> None:
    spec = copy_spec(tmp_path)
    old = next(
        line for line in (spec / "endpoints.yaml").read_text().splitlines() if line.startswith("problem_base_uri:")
    )
    line = replace(spec / "endpoints.yaml", old, f'problem_base_uri: "{url}"\nlicense: {{name: MIT, url: "{url}"}}')
    problems = problems_of(spec)
    assert [p.split(": error")[0] for p in problems] == [
        f"{spec / 'endpoints.yaml'}:{line}:19",
        f"{spec / 'endpoints.yaml'}:{line + 1}:27",
    ]
    assert all("https?://|mailto:" in p or "URL" in p for p in problems), problems


def test_mailto_and_https_links_are_accepted(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    old = next(
        line for line in (spec / "endpoints.yaml").read_text().splitlines() if line.startswith("problem_base_uri:")
    )
    replace(spec / "endpoints.yaml", old, f'{old}\ncontact: {{name: Team, url: "mailto:team@example.org"}}')
    assert load_spec(spec).spec.endpoints.contact.url == "mailto:team@example.org"
