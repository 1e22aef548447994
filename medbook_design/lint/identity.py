"""What makes two findings of two runs the same finding: rule, file, spec path and message.

Line numbers are left out on purpose: an edit above a finding moves it without changing
it. The message is in, because it names the offending value: change the value and it is
a new finding. The file is the spec file's own name (the spec directory is flat), so the
identity does not change with the working directory or how ``--spec`` is spelled. The lint
baseline, the GitLab report and SARIF's partial fingerprints all key findings by it.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from medbook_design.lint.engine import Finding


def identity(finding: Finding) -> str:
    """The finding's identity as text."""
    file = PurePath(finding.problem.location.file).name
    return "\x1f".join((finding.code, file, finding.problem.path, finding.problem.message))


def fingerprint(finding: Finding, occurrence: int = 1) -> str:
    """A stable hexadecimal digest of :func:`identity`; ``occurrence`` tells apart findings
    that are the same but for their line (the second, third, ... of them)."""
    text = identity(finding) + (f"\x1f{occurrence}" if occurrence > 1 else "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
