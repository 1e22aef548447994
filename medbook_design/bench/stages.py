"""Time the pipeline's stages in one fresh interpreter and print the timings as JSON.

The tool benchmark runs this module once per run and size (``python -m
medbook_design.bench.stages SPEC_DIR --stages ...``), so every run starts cold like a
real command, a stage that hangs can be stopped with a timeout, and one run's caches,
imports and garbage never flatter the next. Import time is excluded from each stage
(the imports happen first and are reported as ``import``); whole-process timings,
imports included, are what ``bench tool``'s process rows show.

Stages:

* ``parse`` reads the YAML files with source positions; ``validate`` runs the pydantic
  models over them; ``resolve`` checks cross-references. ``load`` is ``load_spec``, the
  three together, as every command runs them.
* ``lint`` runs every lint rule; ``ddl-postgres`` / ``ddl-mysql`` build the migration and
  its rollback; ``operations`` renders every operation for both dialects; ``openapi``
  builds and checks the OpenAPI document; ``erd-svg`` lays the ERD out with Graphviz.
* ``all-but-erd`` adds up load, lint, both DDLs, operations and OpenAPI from the same run:
  every generated artifact except the ERD and the pages that embed it.
* ``artifacts`` is the build without MkDocs: load, lint, every generator and the pages,
  exactly what ``medbook-design build`` does before it calls MkDocs.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

STAGES: tuple[str, ...] = (
    "parse",
    "validate",
    "resolve",
    "load",
    "lint",
    "ddl-postgres",
    "ddl-mysql",
    "operations",
    "openapi",
    "all-but-erd",
    "erd-svg",
    "artifacts",
)
# all-but-erd is not run on its own: it is the sum of these, from the same run
ALL_BUT_ERD = ("load", "lint", "ddl-postgres", "ddl-mysql", "operations", "openapi")


def run(spec_dir: Path, stages: list[str]) -> dict[str, Any]:
    """Time ``stages`` on ``spec_dir``: {stage: seconds}, with the imports as 'import'."""
    start = time.perf_counter()
    from medbook_design.collector import tune_for_a_command

    tune_for_a_command()  # as the CLI does, so in-process figures match what commands do
    from medbook_design.spec.design import Design
    from medbook_design.spec.loader import load_spec
    from medbook_design.spec.model import FILES, Project, Spec
    from medbook_design.spec.resolve import check_references
    from medbook_design.spec.source import read_source

    wanted = list(stages)
    if "lint" in wanted:
        from medbook_design.lint.engine import lint
    if {"ddl-postgres", "ddl-mysql"} & set(wanted):
        from medbook_design.generate.ddl import migration
    if "operations" in wanted:
        from medbook_design.generate.operations import render_operations_for
    if "openapi" in wanted:
        from medbook_design.generate.openapi import openapi_document, openapi_yaml
    if "erd-svg" in wanted:
        from medbook_design.generate.erd import erd_images
    if "artifacts" in wanted:
        from medbook_design import build as pipeline
    times: dict[str, float] = {"import": time.perf_counter() - start}

    def timed(name: str, func: Callable[[], Any]) -> Any:
        gc.collect()  # garbage from the previous stage is not this stage's cost
        began = time.perf_counter()
        value = func()
        times[name] = time.perf_counter() - began
        return value

    root = Path(spec_dir)
    if {"parse", "validate", "resolve"} & set(wanted):
        # the loader's three phases, one after the other, as load_spec runs them
        # project.yaml says how large the other files may be (generated specs raise it)
        limit = Project.model_validate(read_source(root / "project.yaml", "project.yaml").data).lint.max_file_bytes
        sources = timed("parse", lambda: {name: read_source(root / name, name, limit) for name in FILES})

        def validate() -> Spec:
            parts = {
                name.removesuffix(".yaml"): model.model_validate(sources[name].data) for name, model in FILES.items()
            }
            return Spec.model_validate(parts)

        spec = timed("validate", validate)
        problems = timed("resolve", lambda: check_references(Design.of(spec, sources, root)))
        if problems:
            raise SystemExit(f"{spec_dir}: the spec has {len(problems)} reference problem(s)")
        del sources, spec  # the load below starts from the same heap a command starts from
    loaded = timed("load", lambda: load_spec(root)) if "load" in wanted else load_spec(root)
    if "lint" in wanted:
        result = timed("lint", lambda: lint(loaded))
        if result.errors:
            raise SystemExit(f"{spec_dir}: lint found {result.errors} error(s)")

    def up_and_down(dialect: str) -> tuple[str, str]:
        return migration(loaded, dialect), migration(loaded, dialect, down=True)

    for dialect in ("postgres", "mysql"):
        if f"ddl-{dialect}" in wanted:
            timed(f"ddl-{dialect}", partial(up_and_down, dialect))
    if "operations" in wanted:
        timed("operations", lambda: render_operations_for(loaded, ["postgres", "mysql"]))
    if "openapi" in wanted:
        timed("openapi", lambda: openapi_yaml(openapi_document(loaded)))
    if "all-but-erd" in wanted and all(s in times for s in ALL_BUT_ERD):
        times["all-but-erd"] = sum(times[s] for s in ALL_BUT_ERD)
    if "erd-svg" in wanted:
        timed("erd-svg", lambda: erd_images(loaded))
    if "artifacts" in wanted:
        with tempfile.TemporaryDirectory(prefix="medbook-bench-docs-") as docs:
            quiet = pipeline.Timings(report=lambda line: None)
            timed("artifacts", lambda: pipeline.render_all(root, Path(docs), pipeline.TEMPLATES, quiet))
    return {"times": {k: times[k] for k in ["import", *STAGES] if k in times}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m medbook_design.bench.stages", description=__doc__.split("\n")[0])
    parser.add_argument("spec_dir", type=Path)
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, from: {', '.join(STAGES)}")
    args = parser.parse_args(argv)
    stages = [s for s in args.stages.split(",") if s]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        parser.error(f"unknown stage(s) {', '.join(unknown)} (expected some of {', '.join(STAGES)})")
    json.dump(run(args.spec_dir, stages), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
