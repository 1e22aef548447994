"""What makes two findings of two runs the same finding: rule, file, spec path and message.

Line numbers are left out on purpose: an edit above a finding moves it without changing
it. The message is in, because it names the offending value: change the value and it is
a new finding. The lint baseline and the GitLab report key findings by this identity.
"""

from __future__ import annotations

import hashlib

from medbook_design.lint.engine import Finding


def identity(finding: Finding, file: str) -> str:
    """The finding's identity as text; ``file`` is how the caller names its file."""
    return "\x1f".join((finding.code, file, finding.problem.path, finding.problem.message))


def fingerprint(finding: Finding, file: str) -> str:
    """A stable hexadecimal digest of :func:`identity`."""
    return hashlib.sha256(identity(finding, file).encode("utf-8")).hexdigest()
