"""Timing statistics, the machine a benchmark ran on, and the plain-text tables it prints.

Both benchmarks keep every raw sample and summarise with the median (robust to the odd
slow run on a shared machine), the minimum and the maximum; latency percentiles use the
nearest-rank method, so a reported p99 is a latency that was actually observed.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medbook_design.reports import BENCHMARKS_DIR
from medbook_design.write import Artifact, write_artifacts


@dataclass(frozen=True)
class Summary:
    """Median, minimum and maximum of a list of timings (seconds)."""

    median: float
    min: float
    max: float
    runs: tuple[float, ...]

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        if not samples:
            raise ValueError("no samples")
        return cls(statistics.median(samples), min(samples), max(samples), tuple(samples))

    def as_dict(self) -> dict[str, Any]:
        return {
            "median": _round(self.median),
            "min": _round(self.min),
            "max": _round(self.max),
            "runs": [_round(s) for s in self.runs],
        }


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least ``pct`` % at or below it."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _round(value: float) -> float:
    # four significant digits are more than a shared 2-core machine can reproduce
    return float(f"{value:.4g}")


def ratio(value: float, reference: float) -> float | None:
    """``value / reference`` to three significant digits; None when there is nothing to divide by."""
    return float(f"{value / reference:.3g}") if reference > 0 else None


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on Linux
        return []


def machine() -> dict[str, Any]:
    """What the figures depend on: cores, Python, OS and how busy the machine was."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.release()}",
        "implementation": sys.implementation.name,
        "load_average_1_5_15": load_average(),
    }


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def seconds(value: float) -> str:
    """A duration as people read it: ms below a second, seconds above."""
    if value < 1:
        return f"{value * 1000:.0f} ms" if value >= 0.0095 else f"{value * 1000:.1f} ms"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] | None = None) -> str:
    """A fixed-width table for the terminal; ``right`` aligns numeric columns right."""
    right = right or [i > 0 for i in range(len(header))]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if r else str(c).ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *[line(r) for r in rows]])


def record(docs_dir: Path, name: str, data: dict[str, Any]) -> Path:
    """Write ``<docs>/benchmarks/<name>`` (sorted keys, so reruns diff cleanly) with the one writer."""
    path = f"{BENCHMARKS_DIR}/{name}"
    write_artifacts(docs_dir, [Artifact(path, json.dumps(data, indent=2, sort_keys=True) + "\n")])
    return docs_dir / path
