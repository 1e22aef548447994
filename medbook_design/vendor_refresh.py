"""Refresh the browser assets the package ships from the npm registry (for maintainers).

A build never runs this: it serves the files committed under ``medbook_design/vendor/``.
When a version is bumped, this reads the registry's metadata of that version, downloads
the tarball over HTTPS, refuses it unless its sha512 is the registry's ``dist.integrity``,
takes out the files the manifest lists for the package (the served ones and the licence),
and rewrites them and ``vendor/manifest.json`` with their checksums. npm is not needed.

    python -m medbook_design.vendor_refresh                  # the pinned versions, fetched again
    python -m medbook_design.vendor_refresh mermaid@11.18.0  # bump one package
    python -m medbook_design.vendor_refresh --check          # compare with the registry; write nothing

Exit 0 when done (or, with --check, when the shipped files are the published ones), 1 when
--check finds a difference, 2 when the registry cannot be read or refuses a check.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from medbook_design import __version__
from medbook_design.assets import (
    MANIFEST,
    VendoredAssetError,
    VendoredPackage,
    manifest_text,
    read_manifest,
    sha256_hex,
    sri_sha512,
)
from medbook_design.errors import ExitCode, MedbookError
from medbook_design.package_data import VENDOR

REGISTRY = "https://registry.npmjs.org"
TIMEOUT_S = 120


class RefreshError(MedbookError):
    """The registry could not be read, or what it sent failed a check."""


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": f"medbook-design/{__version__} vendor_refresh"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            data: bytes = response.read()
            return data
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RefreshError(f"cannot read {url}: {reason}") from None


@dataclass(frozen=True)
class Release:
    """What the registry says of one version of a package."""

    tarball: str  # dist.tarball
    integrity: str  # dist.integrity
    license: str


def release(registry: str, name: str, version: str) -> Release:
    url = f"{registry.rstrip('/')}/{urllib.parse.quote(name, safe='@')}/{urllib.parse.quote(version)}"
    try:
        meta = json.loads(fetch(url))
        found = Release(str(meta["dist"]["tarball"]), str(meta["dist"]["integrity"]), str(meta.get("license", "")))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise RefreshError(f"{url}: not the registry's metadata of {name}@{version}") from None
    if not found.integrity.startswith("sha512-"):
        raise RefreshError(f"{url}: the registry gives no sha512 integrity for {name}@{version} ({found.integrity})")
    return found


def refreshed(package: VendoredPackage, version: str, registry: str) -> tuple[VendoredPackage, dict[str, bytes]]:
    """``package`` at ``version`` as published, and the bytes of each of its files by vendor path."""
    published = release(registry, package.name, version)
    if version == package.version and published.integrity != package.integrity:
        # a published version never changes on npm: a different tarball is not the one pinned
        raise RefreshError(
            f"{package.spec}: the registry's integrity {published.integrity} is not the "
            f"{package.integrity} recorded in {MANIFEST}; refusing to replace the pinned files"
        )
    tarball = fetch(published.tarball)
    found = sri_sha512(tarball)
    if found != published.integrity:
        raise RefreshError(
            f"{published.tarball}: integrity {found} does not match the registry's {published.integrity}; "
            "refusing to use it"
        )
    new = replace(
        package,
        version=version,
        license=published.license or package.license,
        tarball=published.tarball,
        integrity=published.integrity,
    )
    contents: dict[str, bytes] = {}
    files = []
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for file in package.files:
            try:
                handle = archive.extractfile(file.member)
            except KeyError:
                handle = None
            if handle is None:
                raise RefreshError(f"{new.spec}: {file.member} is not a file in {published.tarball}")
            data = handle.read()
            files.append(replace(file, sha256=sha256_hex(data)))
            contents[new.path_of(file)] = data
    return replace(new, files=tuple(files)), contents


def _pins(requested: list[str], packages: tuple[VendoredPackage, ...]) -> dict[str, str]:
    """Package name -> version to fetch: the manifest's, or one given as ``name@version``."""
    versions = {p.name: p.version for p in packages}
    for item in requested:
        name, at, version = item.rpartition("@")
        if not at or not name or not version:
            raise RefreshError(f"{item!r}: expected name@version, e.g. mermaid@11.17.2")
        if name not in versions:
            known = ", ".join(sorted(versions))
            raise RefreshError(f"{name}: not a vendored package (expected one of {known}; add it to {MANIFEST} first)")
        versions[name] = version
    return versions


def refresh(vendor: Path, requested: list[str], *, registry: str = REGISTRY, check: bool = False) -> list[str]:
    """Fetch every vendored package; write the files and manifest, or with ``check`` only compare.

    Returns the differences from what is shipped (with ``check``) or the files rewritten.
    """
    packages = read_manifest(vendor)
    versions = _pins(requested, packages)
    new_packages = []
    contents: dict[str, bytes] = {}
    for package in packages:
        new, files = refreshed(package, versions[package.name], registry)
        new_packages.append(new)
        contents.update(files)
    new_manifest = manifest_text(tuple(new_packages))
    changes = [
        path
        for path, data in sorted(contents.items())
        if not (vendor / path).is_file() or (vendor / path).read_bytes() != data
    ]
    if (vendor / MANIFEST).read_text(encoding="utf-8") != new_manifest:
        changes.append(MANIFEST)
    if check:
        return changes
    for path, data in sorted(contents.items()):
        target = vendor / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (vendor / MANIFEST).write_text(new_manifest, encoding="utf-8")
    return changes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m medbook_design.vendor_refresh", description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", metavar="NAME@VERSION", help="a new version of a vendored package")
    parser.add_argument("--check", action="store_true", help="compare with the registry and write nothing")
    parser.add_argument("--registry", default=REGISTRY, help=f"npm registry to read (default: {REGISTRY})")
    parser.add_argument("--vendor", type=Path, default=VENDOR, help="vendor directory (default: the package's)")
    args = parser.parse_args(argv)
    try:
        changes = refresh(args.vendor, args.packages, registry=args.registry, check=args.check)
    except (RefreshError, VendoredAssetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(ExitCode.UNUSABLE)
    if args.check:
        for path in changes:
            print(f"{args.vendor / path}: differs from the registry's release", file=sys.stderr)
        print(f"{len(changes)} vendored file(s) differ." if changes else "the vendored files are the published ones.")
        sys.exit(ExitCode.FINDINGS if changes else ExitCode.OK)
    for path in changes:
        print(f"updated {args.vendor / path}")
    print(f"{len(changes)} vendored file(s) changed.")


if __name__ == "__main__":
    main()
