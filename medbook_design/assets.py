"""Browser assets the site needs offline, fetched from the npm registry and pinned.

Material for MkDocs loads Mermaid and the offline plugin's iframe-worker shim from a CDN
when the page does not already provide them. Reviewers read the design on trains, so the
build ships both itself: each package is fetched once with ``npm pack`` at a pinned
version, its tarball is checked against the registry's sha512 integrity recorded here,
and the one file the site needs is extracted into ``.cache/vendor/``. Later builds reuse
the cache and re-check the hash, so a tampered or truncated cache is refetched.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from medbook_design.errors import UsageError


@dataclass(frozen=True)
class VendoredAsset:
    """One file taken from one pinned npm package."""

    package: str
    version: str
    integrity: str  # the registry's dist.integrity of the tarball (SRI, sha512)
    member: str  # path inside the tarball
    site_path: str  # where the built site serves it

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"

    @property
    def tarball_name(self) -> str:
        return f"{self.package}-{self.version}.tgz"


# Versions are pinned by hand; `npm view <package>@<version> dist.integrity` prints the hash.
ASSETS: tuple[VendoredAsset, ...] = (
    VendoredAsset(
        package="mermaid",
        version="11.17.2",
        integrity="sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==",
        member="package/dist/mermaid.min.js",
        site_path="assets/javascripts/mermaid.min.js",
    ),
    VendoredAsset(
        package="iframe-worker",
        version="1.0.4",
        integrity="sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==",
        member="package/shim/index.js",
        site_path="assets/javascripts/iframe-worker-shim.js",
    ),
)


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _verified_tarball(asset: VendoredAsset, tarballs: Path) -> Path | None:
    path = tarballs / asset.tarball_name
    if path.is_file() and sri_sha512(path.read_bytes()) == asset.integrity:
        return path
    return None


def _npm_pack(asset: VendoredAsset, tarballs: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise UsageError(
            f"cannot fetch {asset.spec} for the offline site: npm was not found on PATH "
            "(install Node.js and npm, or copy the tarball into "
            f"{tarballs / asset.tarball_name})"
        )
    tarballs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tarballs, prefix=".pack-") as tmp:
        try:
            done = subprocess.run(
                [npm, "pack", asset.spec, "--pack-destination", tmp, "--silent", "--ignore-scripts"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise UsageError(f"cannot fetch {asset.spec}: npm pack did not finish within 300 s") from None
        packed = Path(tmp) / asset.tarball_name
        if done.returncode != 0 or not packed.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            reason = detail[-1] if detail else f"exit code {done.returncode}"
            raise UsageError(
                f"cannot fetch {asset.spec} from the npm registry (is the network or the registry reachable?): {reason}"
            )
        found = sri_sha512(packed.read_bytes())
        if found != asset.integrity:
            raise UsageError(
                f"{asset.spec}: tarball integrity mismatch "
                f"(expected {asset.integrity}, found {found}); refusing to use it"
            )
        target = tarballs / asset.tarball_name
        packed.replace(target)
    return target


def ensure_assets(cache_dir: Path) -> dict[str, Path]:
    """Make every vendored file available under ``cache_dir``; site path -> local file.

    Raises :class:`UsageError` with a plain message when npm or the registry is unavailable.
    """
    tarballs = cache_dir / "npm"
    out: dict[str, Path] = {}
    for asset in ASSETS:
        extracted = cache_dir / "vendor" / asset.spec / Path(asset.member).name
        marker = extracted.with_name(extracted.name + ".sha512")
        tarball = _verified_tarball(asset, tarballs)
        if (
            tarball is not None
            and extracted.is_file()
            and marker.is_file()
            and marker.read_text() == sri_sha512(extracted.read_bytes())
        ):
            out[asset.site_path] = extracted
            continue
        tarball = tarball or _npm_pack(asset, tarballs)
        with tarfile.open(tarball, "r:gz") as archive:
            try:
                member = archive.getmember(asset.member)
            except KeyError:
                raise UsageError(f"{asset.spec}: {asset.member} is not in the package") from None
            handle = archive.extractfile(member)
            if handle is None:
                raise UsageError(f"{asset.spec}: {asset.member} is not a regular file")
            data = handle.read()
        extracted.parent.mkdir(parents=True, exist_ok=True)
        extracted.write_bytes(data)
        marker.write_text(sri_sha512(data))
        out[asset.site_path] = extracted
    return out
