"""Rule cases as data: a YAML fragment overlaid on the base spec, run through the real loader.

A cases file ``cases/MBxxx.yaml`` looks like::

    rule: MB101
    cases:
      - name: table-without-primary-key
        fail:                     # overlay that must make MB101 fire
          tables.yaml:
            tables: {notes: {primary_key: []}}
        message: no primary key   # optional: a substring of one of the messages
        fix: primary_key          # optional: a substring of every finding's fix title
        fixed: true               # optional: applying the findings' edits silences the rule
      - name: composite-key
        pass: {...}               # overlay on which MB101 must stay silent

Overlay semantics: mappings merge key by key, lists and scalars replace, the string
``__delete__`` removes a key, and a mapping holding ``__replace__: true`` replaces the base
mapping instead of merging into it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader and dumper keep a few hundred cases fast
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader

HERE = Path(__file__).resolve().parent
BASE_SPEC = HERE / "base_spec"
CASES_DIR = HERE / "cases"
DELETE = "__delete__"
REPLACE = "__replace__"


def overlay(base: Any, patch: Any) -> Any:
    if isinstance(patch, dict) and isinstance(base, dict) and not patch.get(REPLACE):
        out = copy.deepcopy(base)
        for key, value in patch.items():
            if value == DELETE:
                out.pop(key, None)
            elif key in out:
                out[key] = overlay(out[key], value)
            else:
                out[key] = _clean(value)
        return out
    return _clean(patch)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k != REPLACE and v != DELETE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return copy.deepcopy(value)


def write_spec(target: Path, patch: dict[str, Any] | None) -> Path:
    """Write the base spec with ``patch`` (file name -> fragment) applied into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    patch = patch or {}
    unknown = set(patch) - {p.name for p in BASE_SPEC.glob("*.yaml")}
    if unknown:
        raise ValueError(f"overlay names unknown spec files: {sorted(unknown)}")
    for source in sorted(BASE_SPEC.glob("*.yaml")):
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=_Loader)
        if source.name in patch:
            data = overlay(data, patch[source.name])
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
        (target / source.name).write_text(text, encoding="utf-8")
    return target


def load_cases() -> list[tuple[str, dict, Path]]:
    out = []
    for path in sorted(CASES_DIR.glob("MB*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        for case in doc.get("cases", []):
            out.append((doc["rule"], case, path))
    return out


def offset(text: str, line: int, col: int) -> int:
    """The index in ``text`` of a 1-based line and column (columns count code points)."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + col - 1


def apply_edits(edits) -> None:
    """Write each located edit (``region`` start to end replaced by ``text``) into its file."""
    by_file: dict[str, list] = {}
    for edit in edits:
        by_file.setdefault(edit.region.file, []).append(edit)
    for file, mine in by_file.items():
        path = Path(file)
        text = path.read_text(encoding="utf-8")
        # from the end of the file backwards, so earlier offsets stay valid
        for edit in sorted(mine, key=lambda e: (e.region.line, e.region.col), reverse=True):
            r = edit.region
            start, end = offset(text, r.line, r.col), offset(text, r.end_line, r.end_col)
            text = text[:start] + edit.text + text[end:]
        path.write_text(text, encoding="utf-8")
