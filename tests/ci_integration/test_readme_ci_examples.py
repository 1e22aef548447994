"""The README's pre-commit and GitHub Actions examples: valid YAML, real commands and options."""

from __future__ import annotations

import re
import shlex

import click
import pytest
import yaml

from helpers import ROOT
from helpers.commands import pre_commit_hooks, resolve
from medbook_design import __version__, defaults

README = ROOT / "README.md"
SHELL_OPERATORS = {">", ">>", "|", "||", "&&", ";", "2>", "<"}


def lint_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("\n## Lint rules\n", 1)[1].split("\n## ", 1)[0]


def yaml_block(containing: str) -> dict:
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", lint_section(), flags=re.S) if containing in b]
    assert len(blocks) == 1, f"expected one yaml block with {containing!r} in the Lint rules section"
    return yaml.safe_load(blocks[0])


def workflow() -> dict:
    return yaml_block("jobs:")


def steps() -> list[dict]:
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


def commands(run: str) -> list[list[str]]:
    """Each ``medbook-design ...`` invocation in a step's shell script, up to a shell operator."""
    found = []
    for line in run.splitlines():
        words = shlex.split(line, comments=True)
        for i, word in enumerate(words):
            if word == "medbook-design":
                argv = []
                for arg in words[i + 1 :]:
                    if arg in SHELL_OPERATORS:
                        break
                    argv.append(arg)
                found.append(argv)
    return found


def invocations() -> list[list[str]]:
    return [argv for step in steps() if "run" in step for argv in commands(step["run"])]


def test_the_workflow_is_a_workflow():
    flow = workflow()
    assert flow["name"] and flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` key as true
    for name, job in flow["jobs"].items():
        assert job["runs-on"] and job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step


@pytest.mark.parametrize("argv", invocations(), ids=" ".join)
def test_every_command_and_option_the_workflow_uses_exists(argv):
    try:
        command, ctx = resolve(argv)
    except click.UsageError as exc:
        pytest.fail(f"medbook-design {' '.join(argv)}: {exc.format_message()}")
    assert ctx.params is not None and command.name == argv[0]


def test_the_workflow_lints_uploads_sarif_checks_the_build_and_verifies_both_engines():
    used = [" ".join(argv) for argv in invocations()]
    assert any(a.startswith("lint") and "--format github" in a for a in used)
    assert sum(1 for a in used if a.startswith("lint") and "--format sarif" in a) == 1
    runs = [step["run"] for step in steps() if "run" in step]
    (written,) = [re.search(r"--format sarif > (\S+)", r).group(1) for r in runs if "--format sarif" in r]
    (upload,) = [s for s in steps() if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == written
    assert upload.get("if") == "always()", "upload the findings even when the lint step failed"
    assert any(a.startswith("build") and "--check" in a for a in used)
    dsns = [argv[argv.index("--dsn") + 1] for argv in invocations() if argv[0] == "verify"]
    assert {dsn.split(":", 1)[0] for dsn in dsns} == {"postgresql", "mysql"}
    services = workflow()["jobs"]["verify"]["services"]
    ports = {port.split(":")[0] for service in services.values() for port in service["ports"]}
    for dsn in dsns:
        assert re.search(r"@127\.0\.0\.1:(\d+)/", dsn).group(1) in ports, dsn
    lint_job = workflow()["jobs"]["lint"]
    assert lint_job["permissions"]["security-events"] == "write"


def test_the_workflow_installs_the_release_the_docs_describe():
    release = f"v{__version__}"
    installs = [s["run"] for s in steps() if "pip install" in s.get("run", "")]
    assert installs and all(f"@{release}" in run for run in installs)
    repository = defaults.RULES_DOCS_URL.split("/blob/", 1)[0]
    assert all(f"git+{repository}@" in run for run in installs)


def test_the_pre_commit_snippet_uses_the_shipped_hook():
    config = yaml_block("repos:")
    (repo,) = config["repos"]
    assert repo["repo"] == defaults.RULES_DOCS_URL.split("/blob/", 1)[0]
    assert repo["rev"] == f"v{__version__}"
    shipped = {h["id"]: h for h in pre_commit_hooks()}
    for hook in repo["hooks"]:
        assert hook["id"] in shipped
        entry = shlex.split(shipped[hook["id"]]["entry"])
        command, _ = resolve(entry[1:] + hook.get("args", []))
        assert command.name == "lint"
