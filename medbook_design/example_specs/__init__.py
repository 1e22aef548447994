"""Worked examples ``medbook-design init --example NAME`` copies; each is a spec directory
of the repository that pyproject.toml ships as a subpackage here.
"""
