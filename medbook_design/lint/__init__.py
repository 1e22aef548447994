"""The linter: coded rules that catch well-formed designs that are wrong, unsafe or incomplete.

``lint(loaded)`` runs every rule of :func:`registry.all_rules` over a loaded spec and returns
located findings; reporters render them for people and CI systems.
"""
