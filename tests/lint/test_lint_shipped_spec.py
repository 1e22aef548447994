"""The shipped Medbook spec lints clean under --strict, as CI runs it."""

from __future__ import annotations

from helpers import run_cli


def test_shipped_spec_lints_clean_under_strict(spec_dir):
    proc = run_cli("lint", "--spec", str(spec_dir), "--strict")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no errors, no warnings" in proc.stdout


def test_every_shipped_suppression_is_used_and_justified(loaded_spec):
    from medbook_design.lint.engine import lint

    result = lint(loaded_spec)
    suppress = loaded_spec.spec.project.lint.suppress
    assert len(result.suppressed) == len(suppress)  # MB901 would flag any unused one, too
    for s in suppress:
        assert len(s.reason.split()) >= 8, f"{s.rule} {s.target}: a reason, not a shrug"
