"""The package runs on either build of sqlglot: the pure-Python one, and the compiled one (sqlglotc).

sqlglotc compiles sqlglot's generators, parsers, tokenizer core and expression classes with
mypyc, which refuses to make an instance of a Python subclass of any of them ("interpreted
classes cannot inherit from compiled"); its dialect classes stay Python. So the package
subclasses sqlglot's dialects and nothing else of sqlglot's, and writes SQL by handing
sqlglot's own generators its writers (medbook_design/generate/ddl/writing.py). The golden
tests show both builds write the same bytes; these checks fail on the pure build too, so a
new subclass is caught wherever the tests run.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import medbook_design

# sqlglot's modules that sqlglotc leaves as Python, whose classes may be subclassed
PYTHON_IN_BOTH = "sqlglot.dialects."


def _sqlglot_bases() -> dict[str, set[type]]:
    """Every class the package defines at module level -> the sqlglot classes it derives from."""
    found: dict[str, set[type]] = {}
    for info in pkgutil.walk_packages(medbook_design.__path__, "medbook_design."):
        if ".vendor" in info.name or info.name.endswith("__main__"):
            continue  # data, and the entry point that would run the CLI
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                bases = {b for b in value.__mro__[1:] if b.__module__.partition(".")[0] == "sqlglot"}
                if bases:
                    found[f"{module.__name__}.{name}"] = bases
    return found


BASES = _sqlglot_bases()


def test_the_package_derives_from_sqlglot_dialects_only():
    outside = {
        cls: sorted(b.__qualname__ for b in bases if not b.__module__.startswith(PYTHON_IN_BOTH))
        for cls, bases in BASES.items()
    }
    assert {cls: names for cls, names in outside.items() if names} == {}


def test_the_check_sees_the_dialects():
    """Both target dialects derive from sqlglot's: an empty result cannot pass for a clean one."""
    assert {
        "medbook_design.generate.ddl.dialects.MedbookPostgres",
        "medbook_design.generate.ddl.dialects.MedbookMySQL",
    } <= set(BASES)


def test_the_sqlglot_classes_it_derives_from_are_python_in_the_installed_build():
    """With sqlglotc installed, a module it compiled has no Python source file behind it."""
    modules = {b.__module__ for bases in BASES.values() for b in bases}
    compiled = sorted(m for m in modules if not str(getattr(sys.modules[m], "__file__", "")).endswith(".py"))
    assert compiled == [], "sqlglotc compiles these now: subclasses of their classes cannot be made"
