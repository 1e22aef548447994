"""Documentation coverage: how much of the design is described and traced.

Tables, columns, endpoints and policies count as described when their description is real
prose (see :mod:`medbook_design.lint.prose`); a requirement counts as traced when it names
both what satisfies it and what proves it. ``--min-coverage`` holds every category to the
threshold, so a well-described schema cannot hide untraced requirements.
"""

from __future__ import annotations

from dataclasses import dataclass

from medbook_design.lint.prose import is_described
from medbook_design.spec.model import Spec


@dataclass(frozen=True)
class Share:
    category: str
    covered: int
    total: int
    missing: tuple[str, ...]  # refs of what is not covered, sorted

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.covered / self.total

    def as_dict(self) -> dict:
        return {
            "category": self.category,
            "covered": self.covered,
            "total": self.total,
            "percent": round(self.percent, 1),
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class Coverage:
    shares: tuple[Share, ...]

    @property
    def total(self) -> Share:
        covered = sum(s.covered for s in self.shares)
        total = sum(s.total for s in self.shares)
        return Share("total", covered, total, ())

    def below(self, minimum: float) -> list[Share]:
        # compare on the rounded figure the report prints, so "90.0%" never fails "--min-coverage 90"
        return [s for s in self.shares if round(s.percent, 1) < minimum]

    def as_dict(self) -> dict:
        return {
            "categories": [s.as_dict() for s in self.shares],
            "total": {k: v for k, v in self.total.as_dict().items() if k != "missing"},
        }


def _share(category: str, items: dict[str, bool]) -> Share:
    missing = tuple(sorted(ref for ref, ok in items.items() if not ok))
    return Share(category, len(items) - len(missing), len(items), missing)


def measure(spec: Spec) -> Coverage:
    tables = spec.tables.tables
    return Coverage(
        (
            _share("tables described", {f"table:{n}": is_described(t.description, n) for n, t in tables.items()}),
            _share(
                "columns described",
                {
                    f"column:{n}.{c}": is_described(col.description, c)
                    for n, t in tables.items()
                    for c, col in t.columns.items()
                },
            ),
            _share(
                "endpoints described",
                {f"endpoint:{n}": is_described(ep.description, n) for n, ep in spec.endpoints.endpoints.items()},
            ),
            _share(
                "policies described",
                {f"policy:{n}": is_described(p.description, n) for n, p in spec.policies.policies.items()},
            ),
            _share(
                "requirements traced",
                {
                    f"requirement:{n}": bool(r.satisfied_by) and bool(r.proven_by)
                    for n, r in spec.requirements.requirements.items()
                },
            ),
        )
    )


def format_text(coverage: Coverage, minimum: float | None = None) -> str:
    width = max(len(s.category) for s in coverage.shares + (coverage.total,))
    lines = ["coverage:"]
    for share in coverage.shares + (coverage.total,):
        flag = ""
        if minimum is not None and share.category != "total" and round(share.percent, 1) < minimum:
            flag = f"  below {minimum:g}%"
        lines.append(f"  {share.category:<{width}}  {share.covered:>4}/{share.total:<4} {share.percent:5.1f}%{flag}")
        for ref in share.missing:
            lines.append(f"  {'':<{width}}    - {ref}")
    return "\n".join(lines)
