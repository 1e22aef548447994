"""The worked example: a complete design spec, shipped as the package data ``medbook_design.example_specs.booking``.

Not code. pyproject.toml maps this directory into the wheel, so ``medbook-design init --example booking``
finds it through ``importlib.resources`` in an installed wheel and in an editable install alike.
"""
