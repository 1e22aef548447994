"""The recall corpus: realistic one-change mistakes planted into copies of the shipped spec.

Each file ``recall/<class>.yaml`` holds mistakes a design reviewer would catch, each with
the rule that must catch it, and near misses: correct designs one change away from a
mistake, on which lint must stay silent. A change is a list of exact text edits to the
shipped spec's YAML files, so a case reads like the diff a reviewer would see::

    class: concurrency
    mistakes:
      - name: claim-without-status-guard
        story: the booking UPDATE no longer checks that the slot is still available
        caught_by: MB701
        edits:
          - {file: operations.yaml, old: "AND status = 'available'", new: ""}
    near_misses:
      - name: ...
        story: ...
        edits: [...]

Each ``old`` must occur exactly once in its file, so an edit cannot silently stop applying
when the shipped spec changes. ``python tests/lint/recall/recall_corpus.py`` prints recall and
precision per class.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SHIPPED_SPEC = HERE.parents[2] / "spec"


@dataclass(frozen=True)
class Case:
    corpus: str  # the class, e.g. "concurrency"
    kind: str  # "mistake" or "near_miss"
    name: str
    story: str
    edits: tuple[dict[str, str], ...]
    caught_by: str | None

    @property
    def id(self) -> str:
        return f"{self.corpus}-{self.kind}-{self.name}"


def load_corpus() -> list[Case]:
    cases = []
    for path in sorted(HERE.glob("*.yaml")):
        doc: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind, key in (("mistake", "mistakes"), ("near_miss", "near_misses")):
            for raw in doc.get(key) or []:
                cases.append(
                    Case(
                        doc["class"],
                        kind,
                        raw["name"],
                        raw["story"],
                        tuple(raw["edits"]),
                        raw.get("caught_by"),
                    )
                )
    return cases


def planted_spec(case: Case, target: Path) -> Path:
    """A copy of the shipped spec with the case's edits applied, in ``target``."""
    shutil.copytree(SHIPPED_SPEC, target)
    for edit in case.edits:
        path = target / edit["file"]
        text = path.read_text(encoding="utf-8")
        count = text.count(edit["old"])
        if count != 1:
            raise ValueError(f"{case.id}: {edit['old']!r} occurs {count} times in {edit['file']}, expected once")
        path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")
    return target


def findings(spec_dir: Path) -> list[Any]:
    from medbook_design.lint.engine import lint
    from medbook_design.spec.loader import load_spec

    return lint(load_spec(spec_dir)).findings


def _report(tmp: Path) -> Iterator[str]:
    from medbook_design.errors import SpecError

    by_class: dict[str, list[int]] = {}
    for i, case in enumerate(load_corpus()):
        try:
            found = {f.code for f in findings(planted_spec(case, tmp / str(i)))}
        except SpecError:
            found = {"load"}
        tally = by_class.setdefault(case.corpus, [0, 0, 0, 0])
        if case.kind == "mistake":
            tally[0] += 1
            tally[1] += case.caught_by in found
        else:
            tally[2] += 1
            tally[3] += not found
    yield "| class | mistakes caught | near misses silent |"
    yield "|---|---|---|"
    for name, (m, caught, n, silent) in sorted(by_class.items()):
        yield f"| {name} | {caught}/{m} | {silent}/{n} |"
    totals = [sum(t[i] for t in by_class.values()) for i in range(4)]
    yield f"| all | {totals[1]}/{totals[0]} | {totals[3]}/{totals[2]} |"


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(HERE.parents[2]))
    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(_report(Path(tmp))))
