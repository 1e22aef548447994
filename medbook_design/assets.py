"""The browser assets the site serves itself, shipped inside the package with their checksums.

Material for MkDocs loads Mermaid and the offline plugin's iframe-worker shim from a CDN
when the page does not already provide them. Reviewers read the design on trains, so the
package ships both, and a build needs neither npm nor the network.

``vendor/manifest.json`` names each npm package, its pinned version, the tarball it came
from with the registry's integrity (sha512) of that tarball, and each file taken from it:
its path inside the tarball, its sha256, and for the files the site serves, where. A file
is kept at ``vendor/<package>/<path inside the tarball without "package/">``, the package's
licence text among them. Every build checks each served file against its sha256, so a
damaged installation stops the build instead of publishing a site whose diagrams do not
draw. ``python -m medbook_design.vendor_refresh`` is the only way the files change.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from medbook_design.errors import MedbookError

MANIFEST = "manifest.json"
TARBALL_ROOT = "package"  # npm packs every file of a package under this directory


class VendoredAssetError(MedbookError):
    """A shipped asset or the manifest is missing or does not match its recorded checksum."""


@dataclass(frozen=True)
class VendoredFile:
    """One file taken from a package's tarball."""

    member: str  # its path inside the tarball
    sha256: str  # hex digest of its bytes
    site_path: str | None = None  # where the built site serves it; None: shipped only (a licence)


@dataclass(frozen=True)
class VendoredPackage:
    """One npm package at one version, and the files the package ships of it."""

    name: str
    version: str
    license: str  # the SPDX expression of the package's package.json
    tarball: str  # the registry's dist.tarball
    integrity: str  # the registry's dist.integrity of that tarball (SRI, sha512)
    files: tuple[VendoredFile, ...]

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    def path_of(self, file: VendoredFile) -> str:
        """Where ``file`` is kept, relative to the vendor directory."""
        inside = PurePosixPath(file.member).relative_to(TARBALL_ROOT)
        return (PurePosixPath(self.name) / inside).as_posix()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sri_sha512(data: bytes) -> str:
    """Subresource-integrity form of the sha512 digest, as the npm registry records it."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def read_manifest(vendor: Path) -> tuple[VendoredPackage, ...]:
    path = vendor / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            VendoredPackage(
                name=entry["name"],
                version=entry["version"],
                license=entry["license"],
                tarball=entry["tarball"],
                integrity=entry["integrity"],
                files=tuple(VendoredFile(f["member"], f["sha256"], f.get("site_path")) for f in entry["files"]),
            )
            for entry in data["packages"]
        )
    except FileNotFoundError:
        raise VendoredAssetError(
            f"{path}: missing; the installation is incomplete (reinstall medbook-design)"
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise VendoredAssetError(f"{path}: not a manifest of vendored assets ({type(exc).__name__}: {exc})") from None


def manifest_text(packages: tuple[VendoredPackage, ...]) -> str:
    """The manifest as written: sorted keys, two-space indent, so a refresh diffs cleanly."""

    def file_entry(f: VendoredFile) -> dict[str, Any]:
        entry: dict[str, Any] = {"member": f.member, "sha256": f.sha256}
        if f.site_path is not None:
            entry["site_path"] = f.site_path
        return entry

    entries = [
        {
            "name": p.name,
            "version": p.version,
            "license": p.license,
            "tarball": p.tarball,
            "integrity": p.integrity,
            "files": [file_entry(f) for f in p.files],
        }
        for p in packages
    ]
    return json.dumps({"packages": entries}, indent=2, sort_keys=True) + "\n"


def verified(vendor: Path, package: VendoredPackage, file: VendoredFile) -> bytes:
    """The bytes of a shipped file, after checking them against the manifest."""
    path = vendor / package.path_of(file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VendoredAssetError(
            f"{path}: missing ({package.spec} {file.member}); the installation is incomplete (reinstall medbook-design)"
        ) from None
    found = sha256_hex(data)
    if found != file.sha256:
        raise VendoredAssetError(
            f"{path}: sha256 {found} does not match {file.sha256} recorded in {vendor / MANIFEST} "
            f"for {package.spec} {file.member}; the file was changed or damaged "
            "(reinstall medbook-design, or run `python -m medbook_design.vendor_refresh`)"
        )
    return data


def served_assets(vendor: Path) -> dict[str, bytes]:
    """Site path -> verified content of every file the built site serves itself."""
    return {
        file.site_path: verified(vendor, package, file)
        for package in read_manifest(vendor)
        for file in package.files
        if file.site_path is not None
    }
