"""Lint rules, one per file: ``<family>/MBxxx.py`` holds the rule with code MBxxx."""
