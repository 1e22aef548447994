"""Stand-ins for the peer tools ``bench tool`` times, so tests never need the real ones."""

from __future__ import annotations

import stat
from pathlib import Path


def fake_peer(bin_dir: Path, name: str, *, body: str, version: str = "9.8.7") -> Path:
    """An executable ``name`` that prints ``version`` for --version and otherwise runs ``body``.

    It logs its arguments to ``<name>.args`` so a test can see which file it was given.
    """
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / name
    log = bin_dir / f"{name}.args"
    script.write_text(
        "#!/bin/sh\n"
        "PATH=/usr/bin:/bin\n"
        f'if [ "$1" = "--version" ]; then echo "{name} {version}"; exit 0; fi\n'
        f'echo "$@" >> "{log}"\n'
        f"{body}\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script
