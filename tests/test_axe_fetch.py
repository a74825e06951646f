"""The axe-core fetch step (tests/axe_audit.py) takes only the tarball the registry's metadata vouches for: a
tarball whose sha512 differs is refused and nothing is written. Runs offline on a tarball made here."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile

import pytest

import axe_audit


def tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_fetch_extracts_axe_min_js_when_the_integrity_matches(tmp_path):
    data = tarball({"package/axe.min.js": b"window.axe = {};", "package/package.json": b"{}"})
    (tmp_path / "axe.tgz").write_bytes(data)
    target = tmp_path / "cache" / "axe.min.js"
    axe_audit.fetch(target, url=(tmp_path / "axe.tgz").as_uri(), integrity=integrity_of(data))
    assert target.read_bytes() == b"window.axe = {};"
    assert [p.name for p in target.parent.iterdir()] == ["axe.min.js"]  # no partial file left behind


def test_fetch_refuses_a_tarball_that_is_not_the_pinned_one(tmp_path):
    pinned = tarball({"package/axe.min.js": b"window.axe = {};"})
    other = tarball({"package/axe.min.js": b"window.axe = {evil: true};"})
    (tmp_path / "axe.tgz").write_bytes(other)
    target = tmp_path / "cache" / "axe.min.js"
    with pytest.raises(axe_audit.IntegrityError, match="sha512"):
        axe_audit.fetch(target, url=(tmp_path / "axe.tgz").as_uri(), integrity=integrity_of(pinned))
    assert not target.exists()


def test_the_pinned_integrity_is_an_npm_sha512():
    algorithm, _, digest = axe_audit.AXE_INTEGRITY.partition("-")
    assert algorithm == "sha512" and len(base64.b64decode(digest)) == 64
    assert axe_audit.AXE_TARBALL.endswith(f"/axe-core/-/axe-core-{axe_audit.AXE_VERSION}.tgz")
