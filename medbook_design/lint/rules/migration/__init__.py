"""MB8xx: migration safety (locks and timeouts, re-runnable DDL, key widths, identifier limits)."""
