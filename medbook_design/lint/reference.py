"""The rules reference (``guide/rules.md``): one section per rule, generated from the registry.

Each rule's docstring is its page; this module only lays the pages out. A rule's section is
headed by its code alone, so its anchor is the code in lower case (``#mb101``) under the
slug rules of GitHub and of MkDocs alike: that anchor is what every finding links to
(:func:`~medbook_design.lint.registry.rule_doc_url`). A test keeps the committed file equal
to what this renders.
"""

from __future__ import annotations

from medbook_design.lint.registry import FAMILY_TITLES, LOAD_ERRORS_ANCHOR, all_rules, rule_anchor, rule_doc

#: where the reference lives in the repository, relative to its root
REFERENCE_PATH = "guide/rules.md"


def render_reference() -> str:
    docs = [rule_doc(rule) for rule in all_rules()]
    lines = [
        "# Lint rules",
        "",
        "<!-- Generated from the rule registry (each rule's docstring); do not edit by hand.",
        "     UPDATE_GOLDEN=1 pytest tests/lint/test_rules_reference.py rewrites it. -->",
        "",
        f"`medbook-design lint` runs these {len(docs)} rules. Every finding names its rule's code and",
        "links to the rule's section here (`#mb101` for MB101). A project changes a rule's severity,",
        "or suppresses one finding with a reason, in the `lint:` section of `project.yaml`.",
        "",
    ]
    families = [(family, title, [d for d in docs if d["family"] == family]) for family, title in FAMILY_TITLES.items()]
    families = [entry for entry in families if entry[2]]
    for _family, title, members in families:
        lines.append(f"- {title}: " + ", ".join(f"[{d['code']}](#{rule_anchor(d['code'])})" for d in members))
    lines.append(f"- [Loading errors](#{LOAD_ERRORS_ANCHOR}): the spec could not be loaded")
    lines.append("")
    for family, title, members in families:
        lines += [f"## {title}", ""]
        for d in members:
            lines += _rule_section(d, family)
    lines += [
        "## Loading errors",
        "",
        "Findings with a code below MB100 are not rules: the spec could not be loaded, because a",
        "file is missing, is not valid YAML, has a field of the wrong shape or refers to something",
        "undefined. The message says what was expected and what was found, at the file, line and",
        "column given; nothing else is checked until the spec loads, and `lint` exits 2.",
        "",
    ]
    return "\n".join(lines)


def _rule_section(doc: dict[str, str], family: str) -> list[str]:
    return [
        f"### {doc['code']}",
        "",
        f"`{doc['name']}` · severity **{doc['severity']}** · family `{family}`",
        "",
        doc["summary"],
        "",
        "**Why is this bad?**",
        "",
        doc["why"],
        "",
        "**Anti-pattern**",
        "",
        "```yaml",
        doc["anti_pattern"].rstrip("\n"),
        "```",
        "",
        "**Fix**",
        "",
        "```yaml",
        doc["fix"].rstrip("\n"),
        "```",
        "",
    ]
