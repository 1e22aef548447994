"""The design document's page templates, its style sheet and its MkDocs configuration.

Package data, not code: pyproject.toml ships this directory as ``medbook_design.templates``,
so ``importlib.resources`` finds it in an installed wheel and in an editable install alike.
"""
