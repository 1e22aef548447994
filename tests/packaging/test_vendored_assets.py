"""The browser assets the package ships: the files match the manifest, the manifest matches the
npm registry, and the refresh path rewrites both only from a tarball whose integrity checks."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
import yaml

from helpers import in_ci
from medbook_design import vendor_refresh
from medbook_design.assets import (
    MANIFEST,
    VendoredAssetError,
    VendoredFile,
    VendoredPackage,
    manifest_text,
    read_manifest,
    served_assets,
    sha256_hex,
    sri_sha512,
)
from medbook_design.package_data import MKDOCS_CONFIG, VENDOR

PACKAGES = read_manifest(VENDOR)


def test_every_shipped_file_has_the_checksum_the_manifest_records():
    for package in PACKAGES:
        for file in package.files:
            data = (VENDOR / package.path_of(file)).read_bytes()
            assert sha256_hex(data) == file.sha256, f"{package.spec} {file.member}"


def test_the_vendor_directory_holds_exactly_the_manifest_and_the_files_it_lists():
    listed = {package.path_of(f) for package in PACKAGES for f in package.files} | {MANIFEST}
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    assert present == listed


def test_each_package_ships_its_licence_text_and_records_its_provenance():
    for package in PACKAGES:
        licences = [f for f in package.files if Path(f.member).name.upper().startswith(("LICENSE", "LICENCE"))]
        assert licences, f"{package.spec} ships no licence file"
        assert "Permission is hereby granted" in (VENDOR / package.path_of(licences[0])).read_text()
        assert package.license == "MIT"
        assert package.integrity.startswith("sha512-")
        assert package.tarball == f"https://registry.npmjs.org/{package.name}/-/{package.name}-{package.version}.tgz"


def test_the_manifest_is_written_as_the_refresh_writes_it():
    assert (VENDOR / MANIFEST).read_text(encoding="utf-8") == manifest_text(PACKAGES)


def test_the_site_configuration_loads_exactly_the_served_files():
    config = yaml.load(MKDOCS_CONFIG.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    named = set(config["extra_javascript"]) | set(config["extra"]["polyfills"])
    assert named == set(served_assets(VENDOR))


def test_the_pinned_versions():
    assert {p.name: p.version for p in PACKAGES} == {"mermaid": "11.17.2", "iframe-worker": "1.0.4"}


@pytest.fixture()
def vendor_copy(tmp_path) -> Path:
    copy = tmp_path / "vendor"
    shutil.copytree(VENDOR, copy)
    return copy


def test_a_changed_file_is_refused_with_its_path_and_both_checksums(vendor_copy):
    shim = vendor_copy / "iframe-worker" / "shim" / "index.js"
    shim.write_bytes(shim.read_bytes() + b"\n// edited\n")
    with pytest.raises(VendoredAssetError) as caught:
        served_assets(vendor_copy)
    message = str(caught.value)
    (recorded,) = [f.sha256 for p in PACKAGES for f in p.files if f.member == "package/shim/index.js"]
    assert str(shim) in message and "iframe-worker@1.0.4" in message
    assert sha256_hex(shim.read_bytes()) in message and recorded in message
    assert "reinstall medbook-design" in message


def test_a_missing_file_or_manifest_is_named(vendor_copy):
    (vendor_copy / "mermaid" / "dist" / "mermaid.min.js").unlink()
    with pytest.raises(VendoredAssetError, match=r"mermaid\.min\.js: missing \(mermaid@11\.17\.2"):
        served_assets(vendor_copy)
    (vendor_copy / MANIFEST).write_text('{"packages": [{"name": "mermaid"}]}')
    with pytest.raises(VendoredAssetError, match=r"manifest\.json: not a manifest of vendored assets"):
        served_assets(vendor_copy)
    (vendor_copy / MANIFEST).unlink()
    with pytest.raises(VendoredAssetError, match=r"manifest\.json: missing"):
        served_assets(vendor_copy)


# --- the registry -------------------------------------------------------------------------


def _registry_metadata(package: VendoredPackage) -> dict | None:
    """The registry's metadata of the pinned version; None when the registry is unreachable."""
    url = f"{vendor_refresh.REGISTRY}/{package.name}/{package.version}"
    for attempt in range(3):  # a transient network error is retried, not reported as a drift
        try:
            return json.loads(vendor_refresh.fetch(url))
        except vendor_refresh.RefreshError:
            time.sleep(2 * attempt)
    return None


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_the_manifest_records_the_integrity_the_npm_registry_publishes(package):
    meta = _registry_metadata(package)
    if meta is None:
        if in_ci():
            pytest.fail(f"the npm registry is unreachable from CI: cannot check {package.spec}")
        pytest.skip("the npm registry is unreachable (checked in CI)")
    assert meta["dist"]["integrity"] == package.integrity
    assert meta["dist"]["tarball"] == package.tarball
    assert meta["license"] == package.license


# --- the refresh path, against a registry on disk -------------------------------------------


def _tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _publish(registry: Path, name: str, version: str, files: dict[str, bytes], integrity: str | None = None) -> None:
    """Lay out what the registry serves for one version: its metadata and its tarball."""
    tarball = _tarball(files)
    path = registry / name / "-" / f"{name}-{version}.tgz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tarball)
    dist = {"tarball": path.as_uri(), "integrity": integrity or sri_sha512(tarball)}
    (registry / name / version).write_text(
        json.dumps({"name": name, "version": version, "license": "MIT", "dist": dist})
    )


@pytest.fixture()
def small_vendor(tmp_path) -> tuple[Path, Path]:
    """A vendor directory pinning widget@1.0.0, and a registry on disk that also has 2.0.0."""
    registry, vendor = tmp_path / "registry", tmp_path / "vendor"
    old = {"package/LICENSE": b"MIT licence text\n", "package/dist/widget.js": b"console.log(1)\n"}
    new = {"package/LICENSE": b"MIT licence text\n", "package/dist/widget.js": b"console.log(2)\n"}
    _publish(registry, "widget", "1.0.0", old)
    _publish(registry, "widget", "2.0.0", new)
    pinned = VendoredPackage(
        name="widget",
        version="1.0.0",
        license="MIT",
        tarball=(registry / "widget" / "-" / "widget-1.0.0.tgz").as_uri(),
        integrity=sri_sha512(_tarball(old)),
        files=(
            VendoredFile("package/dist/widget.js", sha256_hex(old["package/dist/widget.js"]), "assets/widget.js"),
            VendoredFile("package/LICENSE", sha256_hex(old["package/LICENSE"])),
        ),
    )
    (vendor / "widget" / "dist").mkdir(parents=True)
    (vendor / "widget" / "dist" / "widget.js").write_bytes(old["package/dist/widget.js"])
    (vendor / "widget" / "LICENSE").write_bytes(old["package/LICENSE"])
    (vendor / MANIFEST).write_text(manifest_text((pinned,)))
    return vendor, registry


def test_refreshing_the_pinned_versions_changes_nothing(small_vendor):
    vendor, registry = small_vendor
    before = {p: p.read_bytes() for p in vendor.rglob("*") if p.is_file()}
    assert vendor_refresh.refresh(vendor, [], registry=registry.as_uri(), check=True) == []
    assert vendor_refresh.refresh(vendor, [], registry=registry.as_uri()) == []
    assert {p: p.read_bytes() for p in vendor.rglob("*") if p.is_file()} == before


def test_a_bump_rewrites_the_files_and_the_manifest(small_vendor):
    vendor, registry = small_vendor
    url = registry.as_uri()
    assert vendor_refresh.refresh(vendor, ["widget@2.0.0"], registry=url, check=True) == [
        "widget/dist/widget.js",
        MANIFEST,
    ]
    assert (vendor / "widget" / "dist" / "widget.js").read_bytes() == b"console.log(1)\n"  # --check wrote nothing
    vendor_refresh.refresh(vendor, ["widget@2.0.0"], registry=url)
    (package,) = read_manifest(vendor)
    assert package.version == "2.0.0" and package.tarball.endswith("widget-2.0.0.tgz")
    assert served_assets(vendor) == {"assets/widget.js": b"console.log(2)\n"}


def test_a_tarball_that_fails_the_registry_integrity_is_refused(small_vendor):
    vendor, registry = small_vendor
    _publish(registry, "widget", "3.0.0", {"package/LICENSE": b"x", "package/dist/widget.js": b"y"}, "sha512-AAAA")
    before = {p: p.read_bytes() for p in vendor.rglob("*") if p.is_file()}
    with pytest.raises(vendor_refresh.RefreshError, match=r"widget-3\.0\.0\.tgz: integrity sha512-\S+ does not match"):
        vendor_refresh.refresh(vendor, ["widget@3.0.0"], registry=registry.as_uri())
    assert {p: p.read_bytes() for p in vendor.rglob("*") if p.is_file()} == before


def test_a_pinned_version_whose_integrity_changed_is_refused(small_vendor):
    vendor, registry = small_vendor
    _publish(registry, "widget", "1.0.0", {"package/LICENSE": b"x", "package/dist/widget.js": b"other"})
    with pytest.raises(vendor_refresh.RefreshError, match=r"widget@1\.0\.0: the registry's integrity .* is not"):
        vendor_refresh.refresh(vendor, [], registry=registry.as_uri())


def test_a_file_missing_from_the_new_version_is_named(small_vendor):
    vendor, registry = small_vendor
    _publish(registry, "widget", "4.0.0", {"package/LICENSE.md": b"x", "package/dist/widget.js": b"y"})
    with pytest.raises(vendor_refresh.RefreshError, match=r"widget@4\.0\.0: package/LICENSE is not a file in"):
        vendor_refresh.refresh(vendor, ["widget@4.0.0"], registry=registry.as_uri())


def test_the_command_line_reports_differences_and_errors_with_exit_codes(small_vendor):
    vendor, registry = small_vendor

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "medbook_design.vendor_refresh",
                "--vendor",
                str(vendor),
                "--registry",
                registry.as_uri(),
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )

    same = run("--check")
    assert (same.returncode, same.stdout) == (0, "the vendored files are the published ones.\n"), same.stderr
    bumped = run("--check", "widget@2.0.0")
    assert bumped.returncode == 1
    assert f"{vendor / 'widget' / 'dist' / 'widget.js'}: differs from the registry's release" in bumped.stderr
    unknown = run("gadget@1.0.0")
    assert unknown.returncode == 2
    assert (
        unknown.stderr
        == "error: gadget: not a vendored package (expected one of widget; add it to manifest.json first)\n"
    )
    malformed = run("widget")
    assert malformed.returncode == 2 and "expected name@version" in malformed.stderr
