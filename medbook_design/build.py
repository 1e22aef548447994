"""The build pipeline: spec → model → lint → generate → render → write → MkDocs site.

Atomic: everything is rendered in memory, written into a staging copy of ``docs/`` and
built there by MkDocs in strict mode; only when all of that succeeded are the new
``docs/`` and the new site swapped in, each whole, by renaming directories (as Git and
Cargo update a tree). A bad spec, a template error, an MkDocs warning, a full or
read-only disk, Ctrl-C, SIGTERM or even SIGKILL leaves each of ``docs/`` and ``site/``
either as it was or as it is now, never a mix of the two. Staging directories left by a
killed build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import html
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from medbook_design import shared_work
from medbook_design.errors import MedbookError, Problem, UsageError
from medbook_design.generate.bundle import Generated, dialect_outputs, dialect_pieces
from medbook_design.generate.erd import erd_images
from medbook_design.generate.openapi import openapi_document, openapi_yaml
from medbook_design.lint.engine import lint
from medbook_design.offline import external_loads
from medbook_design.package_data import MKDOCS_CONFIG, TEMPLATES
from medbook_design.render.benchmarks import Benchmarks
from medbook_design.render.document import Document
from medbook_design.render.pages import ARTIFACTS_DIR, page_pieces, reading, render_pages
from medbook_design.render.verification import Results
from medbook_design.reports import read_benchmarks, read_verification, verification_traces
from medbook_design.spec.design import Design
from medbook_design.spec.loader import load_spec
from medbook_design.write import Artifact, Drift, check_artifacts, write_artifacts


class BuildError(MedbookError):
    """The build stopped; nothing was written."""


class LintFailed(BuildError):
    """The spec loads but has error-level lint findings: the build does not start."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} lint error(s); the build stopped and wrote nothing")


@dataclass
class Timings:
    """Wall time of each step, reported as the build goes."""

    report: Callable[[str], None] = lambda line: print(line, file=sys.stderr)
    steps: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.report(f"[build] {name} ...")
        start = time.perf_counter()
        yield
        spent = time.perf_counter() - start
        self.steps.append((name, spent))
        self.report(f"[build] {name}: {spent:.2f} s")

    def done(self, name: str, spent: float, note: str) -> None:
        """A step whose work was done earlier or elsewhere, reported with how long it took."""
        self.steps.append((name, spent))
        self.report(f"[build] {name}: {spent:.2f} s ({note})")


def lint_findings(design: Design) -> tuple[list[Problem], dict[str, int]]:
    """Error-level problems (they stop the build) and the count of findings per rule code."""
    findings = lint(design).findings
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.problem.code] = counts.get(finding.problem.code, 0) + 1
    return [f.problem for f in findings if f.severity == "error"], counts


# Below this many tables, operations and endpoints together a build is quicker in one
# process: forking and sending results back cost more than a second core saves.
SHARED_FROM = 500


def worth_sharing(design: Design) -> bool:
    """Whether this build shares its generators and pages with a helper process on a second core."""
    spec = design.spec
    size = len(spec.tables.tables) + len(spec.operations.operations) + len(spec.endpoints.endpoints)
    return size >= SHARED_FROM and shared_work.available()


OPENAPI, ERD = "openapi", "erd"


def generation_pieces(design: Design) -> dict[str, Callable[[], Any]]:
    """The independent pieces :func:`generate_artifacts` is made of, by name, the largest first."""
    pieces = dialect_pieces(design, list(design.spec.project.dialects))
    pieces[OPENAPI] = functools.partial(_openapi, design)
    pieces[ERD] = functools.partial(erd_images, design)
    return pieces


def _openapi(design: Design) -> tuple[dict[str, Any], str]:
    document = openapi_document(design)
    return document, openapi_yaml(document)


@dataclass
class Made:
    """Pieces made ahead of the step that needs them, and how long each took to make."""

    results: Mapping[str, Any] = field(default_factory=dict)
    spent: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def by(cls, work: shared_work.SharedWork) -> Made:
        results = work.finish()
        return cls(results, work.spent)

    @contextmanager
    def step(self, timings: Timings, name: str, pieces: list[str]) -> Iterator[None]:
        """A step of the build: timed as it runs, plus the time its pieces took where they were made."""
        ahead = sum(self.spent.get(p, 0.0) for p in pieces)
        if not ahead:
            with timings.step(name):
                yield
            return
        start = time.perf_counter()
        yield
        timings.done(name, ahead + time.perf_counter() - start, "work time: made alongside lint, in two processes")


def generate_artifacts(design: Design, timings: Timings, made: Made | None = None) -> Generated:
    """Every artifact of the design, each generated exactly once (``made``: pieces of
    :func:`generation_pieces` made already, by a helper process or this one)."""
    made = made or Made()
    dialects: list[str] = list(design.spec.project.dialects)
    with made.step(timings, "generate DDL and operations", list(dialect_pieces(design, dialects))):
        outputs = dialect_outputs(design, dialects, made.results)
    with made.step(timings, "generate OpenAPI", [OPENAPI]):
        document, text = made.results[OPENAPI] if OPENAPI in made.results else _openapi(design)
    with made.step(timings, "generate ERD", [ERD]):
        erd = made.results[ERD] if ERD in made.results else erd_images(design)
    return Generated(MappingProxyType(outputs), document, text, erd)


def generate(
    design: Design,
    docs_dir: Path,
    templates: Path,
    timings: Timings,
    lint_counts: dict[str, int] | None = None,
    made: Made | None = None,
    *,
    share: bool = False,
) -> list[Artifact]:
    """Every generated file under ``docs/``: pages, ``design.md`` and the artifacts.

    ``share``: the pages are rendered by this process and a helper on a second core.
    """
    dialects: list[str] = list(design.spec.project.dialects)
    generated = generate_artifacts(design, timings, made)
    reports = read_verification(docs_dir, dialects)
    results = Results(tuple(dialects), reports, verification_traces(docs_dir, reports))
    benchmarks = Benchmarks(tuple(dialects), read_benchmarks(docs_dir), tuple(design.spec.scenarios.benchmarks))
    doc = Document(design, generated, results, benchmarks, lint_counts)
    artifacts: list[Artifact] = []
    for d, output in generated.dialects.items():
        artifacts.append(Artifact(f"{ARTIFACTS_DIR}/migration-{d}.sql", output.migration))
        artifacts.append(Artifact(f"{ARTIFACTS_DIR}/rollback-{d}.sql", output.rollback))
    artifacts.append(Artifact(f"{ARTIFACTS_DIR}/openapi.yaml", generated.openapi_yaml))
    if generated.erd is not None:
        artifacts.extend(Artifact(f"{ARTIFACTS_DIR}/{name}", svg) for name, svg in generated.erd.svgs.items())
    with timings.step("render pages"):
        if share:
            with shared_work.shared_work(page_pieces(templates, doc)) as work:
                pages = render_pages(templates, doc, work.finish())
        else:
            pages = render_pages(templates, doc)
    artifacts.extend(pages)
    timings.report(f"[build] sections 1-5: {reading(pages).label()}{_budget(design)}")
    return artifacts


def _budget(design: Design) -> str:
    budget = design.spec.project.reading_budget_words
    return f" (budget {budget:,})" if budget else ""


Loader = Callable[[Path], Design]


def render_all(
    spec_dir: Path, docs_dir: Path, templates: Path, timings: Timings, load: Loader = load_spec
) -> tuple[Design, list[Artifact]]:
    with timings.step("load spec"):
        design = load(spec_dir)
    if not worth_sharing(design):
        with timings.step("lint"):
            problems, counts = lint_findings(design)
        if problems:
            raise LintFailed(problems)
        return design, generate(design, docs_dir, templates, timings, counts)
    # A helper process starts generating while this one lints: the results are only used,
    # and the helper only outlives lint, when lint finds no error.
    with shared_work.shared_work(generation_pieces(design)) as work:
        with timings.step("lint"):
            problems, counts = lint_findings(design)
        if problems:
            raise LintFailed(problems)
        with timings.step("generate (two processes)"):
            made = Made.by(work)
    return design, generate(design, docs_dir, templates, timings, counts, made, share=True)


def check(
    spec_dir: Path,
    docs_dir: Path,
    *,
    templates: Path = TEMPLATES,
    timings: Timings | None = None,
    load: Loader = load_spec,
) -> list[Drift]:
    """Which generated files under ``docs_dir`` are missing or stale; writes nothing."""
    timings = timings or Timings()
    _, artifacts = render_all(spec_dir, docs_dir, templates, timings, load)
    return check_artifacts(docs_dir, artifacts)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C/SIGTERM while files are swapped in, then act on it: no half-swapped tree."""
    received: list[int] = []
    try:
        previous = {
            s: signal.signal(s, lambda num, _frame: received.append(num)) for s in (signal.SIGINT, signal.SIGTERM)
        }
    except ValueError:  # not the main thread: signals cannot arrive here anyway
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if received:
            signal.raise_signal(received[0])


STAGING_PREFIX = ".medbook-build-"
_OLD_MARK = ".old-"


def _swap_directory(new: Path, target: Path) -> None:
    """Put the tree ``new`` at ``target``; the old tree is removed afterwards.

    One atomic exchange of the two names where the kernel and file system offer it (Linux
    ``renameat2(RENAME_EXCHANGE)``), so ``target`` always holds a whole tree. Elsewhere two
    renames, with ``.<target>.old-PID`` holding the old tree in between: a build killed at
    that moment leaves it there, and the next build puts it back.
    """
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now names the old tree
        return
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}{_OLD_MARK}{os.getpid()}")
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old is not None:  # put the old tree back: the target is never missing
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names of two paths atomically; False where that is not supported here."""
    renameat2 = getattr(_libc(), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # this file system cannot exchange; two renames will do
    raise OSError(err, os.strerror(err), str(b))


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, and not ours to judge
        return True
    return True


def _owner_pid(name: str, targets: set[str]) -> int | None:
    """The pid a staging or old-tree directory of ours carries in its name, else None."""
    if name.startswith(STAGING_PREFIX):
        head = name[len(STAGING_PREFIX) :].split("-", 1)[0]
    elif any(name.startswith(f".{t}{_OLD_MARK}") for t in targets):
        head = name.rsplit(_OLD_MARK, 1)[1]
    else:
        return None
    return int(head) if head.isdigit() else None


def remove_leftovers(parent: Path, targets: set[str]) -> list[Path]:
    """Clear what killed builds left in ``parent``; returns the directories removed.

    Only directories named as ours (``.medbook-build-PID-*``, ``.docs.old-PID`` for a
    target ``docs``) whose process is gone; a build running beside this one keeps its own.
    An old tree whose target is missing (the build died between its two renames) is put
    back rather than removed.
    """
    removed = []
    for entry in sorted(parent.iterdir()) if parent.is_dir() else []:
        pid = _owner_pid(entry.name, targets)
        if pid is None or pid == os.getpid() or not entry.is_dir() or _alive(pid):
            continue
        if _OLD_MARK in entry.name and not entry.name.startswith(STAGING_PREFIX):
            target = parent / entry.name[1:].rsplit(_OLD_MARK, 1)[0]
            if not target.exists():
                os.replace(entry, target)
                continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _staging_dir(parent: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent))


def run_mkdocs(docs_dir: Path, site_dir: Path, site_name: str) -> None:
    """Build the site in strict mode, in-process; raise BuildError on any warning."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner is noise in a build log
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("[mkdocs] %(levelname)s %(message)s"))
    logger.addHandler(handler)
    try:
        config = load_config(
            config_file=str(MKDOCS_CONFIG),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            strict=True,
            site_name=site_name,
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise BuildError(f"MkDocs failed: {exc}") from None
    finally:
        logger.removeHandler(handler)


def refuse_unsafe_targets(spec_dir: Path, docs_dir: Path, site_dir: Path) -> None:
    """Refuse output directories whose replacement would delete what must survive a build.

    The build replaces ``docs_dir`` and ``site_dir`` whole, so neither may be (or hold) the
    spec, the project or the working directory, and they may not be (or hold) each other.
    """
    spec, cwd = spec_dir.resolve(), Path.cwd().resolve()
    targets = {"--docs": docs_dir.resolve(), "--out": site_dir.resolve()}
    for option, target in targets.items():
        for what, kept in (("the spec", spec), ("the project", spec.parent), ("the working directory", cwd)):
            if kept.is_relative_to(target):
                raise UsageError(
                    f"refusing to build into {target}: the build replaces it whole, and it holds {what} "
                    f"({kept}) (expected a {option} directory of its own, e.g. the default)"
                )
    docs, site = targets.values()
    if docs.is_relative_to(site) or site.is_relative_to(docs):
        raise UsageError(f"--docs {docs} and --out {site} overlap (expected two separate directories)")


def build(
    spec_dir: Path,
    docs_dir: Path,
    site_dir: Path,
    *,
    templates: Path = TEMPLATES,
    timings: Timings | None = None,
    load: Loader = load_spec,
) -> list[str]:
    """Render, build and swap in; returns the generated paths under ``docs_dir`` that changed.

    ``load`` turns the spec directory into a design: the CLI passes one that reads the cache.
    """
    refuse_unsafe_targets(spec_dir, docs_dir, site_dir)
    timings = timings or Timings()
    design, artifacts = render_all(spec_dir, docs_dir, templates, timings, load)
    docs_dir, site_dir = docs_dir.resolve(), site_dir.resolve()
    stagings: dict[Path, Path] = {}
    swapped: list[Path] = []
    stage_docs = stage_site = Path()
    try:
        for target in (docs_dir, site_dir):
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(target.parent, {docs_dir.name, site_dir.name})
        # Stage beside each target so its swap is a rename on one file system.
        for target in (docs_dir, site_dir):
            if target.parent not in stagings:
                stagings[target.parent] = _staging_dir(target.parent)
        stage_docs, stage_site = stagings[docs_dir.parent] / "docs", stagings[site_dir.parent] / "site"
        with timings.step("stage docs"):
            if docs_dir.is_dir():
                shutil.copytree(docs_dir, stage_docs, symlinks=True)
            changed = [d.path for d in check_artifacts(docs_dir, artifacts)]
            write_artifacts(stage_docs, artifacts)
        with timings.step("mkdocs build (strict)"):
            # MkDocs themes insert site_name as trusted HTML; the title is spec text.
            run_mkdocs(stage_docs, stage_site, html.escape(design.spec.project.title))
        with timings.step("check the site loads nothing from the network"):
            found = external_loads(stage_site)
            if found:
                listed = "\n".join(f"  {f}" for f in found[:20])
                raise BuildError(f"the built site would load {len(found)} resource(s) from the network:\n{listed}")
        with timings.step("swap in docs and site"), _interrupts_deferred():
            _swap_directory(stage_docs, docs_dir)
            swapped.append(docs_dir)
            _swap_directory(stage_site, site_dir)
    except OSError as exc:
        staged = [(stage_docs, docs_dir), (stage_site, site_dir)]  # stage paths stay Path() until made
        raise BuildError(_cannot_write(exc, staged, swapped)) from None
    finally:
        for staging in stagings.values():
            shutil.rmtree(staging, ignore_errors=True)
    return changed


def _cannot_write(exc: OSError, staged: list[tuple[Path, Path]], swapped: list[Path]) -> str:
    """The message for a disk that refused a write: the final path it was for, the reason,
    and what was left as it was."""
    where = Path(exc.filename) if exc.filename else None
    for stage, target in staged:
        if where is not None and stage.is_absolute() and where.is_relative_to(stage):
            where = target / where.relative_to(stage)
    reason = (exc.strerror or str(exc)).lower()
    docs, site = (f"{target.name}/" for _, target in staged)
    kept = f"{site} is unchanged" if swapped else f"{docs} and {site} are unchanged"
    return f"cannot write {where or 'the output'}: {reason}; {kept}"
