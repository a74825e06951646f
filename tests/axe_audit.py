"""axe-core (Deque's accessibility rules engine, MPL-2.0) for the browser tests: a pinned release from the npm
registry, fetched once into a gitignored cache and injected into a page or frame, so the audits run offline.

    python tests/axe_audit.py      # fetch (./run test does it): download the tarball, check its sha512, extract
                                   # package/axe.min.js to build/axe-core/<version>/ (never committed)

`axe_audit(page_or_frame)` runs the audit in one document and returns the violations at or above an impact.
Frames are audited one by one (axe's own iframe walk needs axe in every frame first): call it on the page and on
each frame that matters (the map's component iframe, an exported HTML page).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AXE_VERSION = "4.14.1"
#: `dist.integrity` of axe-core@4.14.1 in the registry's metadata (https://registry.npmjs.org/axe-core/4.14.1).
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
AXE_TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_JS = ROOT / "build" / "axe-core" / AXE_VERSION / "axe.min.js"
#: WCAG 2.x A and AA rules and axe's best practices; serious and critical findings fail a test.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")


class IntegrityError(RuntimeError):
    pass


def check_integrity(data: bytes, integrity: str = AXE_INTEGRITY) -> None:
    """Raise unless `data` matches the npm `sha512-<base64>` integrity string."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise IntegrityError(f"unsupported integrity {integrity!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise IntegrityError(f"axe-core tarball sha512 is {actual}, the registry's metadata says {expected}")


def extract_axe(tarball: bytes) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        member = tar.extractfile("package/axe.min.js")
        if member is None:
            raise IntegrityError("the axe-core tarball has no package/axe.min.js")
        return member.read()


def fetch(target: Path = AXE_JS, url: str = AXE_TARBALL, integrity: str = AXE_INTEGRITY, timeout: float = 60) -> Path:
    """Download the pinned tarball, check its integrity and write axe.min.js atomically (a no-op when present)."""
    if target.is_file():
        return target
    with urllib.request.urlopen(url, timeout=timeout) as response:
        data = response.read()
    check_integrity(data, integrity)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(extract_axe(data))
    partial.replace(target)
    return target


def require_axe() -> str:
    """axe.min.js's source; skip (saying how to get it) when it was never fetched, or fail when CI runs the
    browser tests (NKMAP_REQUIRE_BROWSER, as conftest.require_browser)."""
    import pytest

    if AXE_JS.is_file():
        return AXE_JS.read_text(encoding="utf-8")
    message = (
        f"{AXE_JS.relative_to(ROOT)} is missing; `./run test` fetches axe-core {AXE_VERSION} from the npm registry "
        "(or run `python tests/axe_audit.py` once with the network)"
    )
    if os.environ.get("NKMAP_REQUIRE_BROWSER"):
        pytest.fail(message + " (NKMAP_REQUIRE_BROWSER is set: CI must run the accessibility audits)")
    pytest.skip(message)


def axe_audit(
    page_or_frame: Any,
    exclude: list[str] | None = None,
    impacts: tuple[str, ...] = FAILING_IMPACTS,
    tags: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Run axe-core in one Playwright Page or Frame and return its violations whose impact is in `impacts`
    (each: id, impact, help, helpUrl, nodes[target, html, failureSummary]). `exclude`: CSS selectors left out of
    the audit (only parts the app cannot change; say why where it is called)."""
    source = require_axe()
    if not page_or_frame.evaluate("() => typeof window.axe === 'object'"):
        page_or_frame.add_script_tag(content=source)
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    result = page_or_frame.evaluate(
        """async ([context, tags]) => {
            const options = {runOnly: {type: 'tag', values: tags}, iframes: false, resultTypes: ['violations']};
            const r = await (context ? axe.run({include: [document], exclude: context.exclude}, options)
                                     : axe.run(document, options));
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300),
                                          failureSummary: n.failureSummary}))}));
        }""",
        [context, tags or TAGS],
    )
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    """A failure message a person can act on: rule, impact, help and the first few elements."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} - {v['help']} ({len(v['nodes'])} elements) {v['helpUrl']}")
        for node in v["nodes"][:4]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.append("      " + (node.get("failureSummary") or "").replace("\n", "\n      ")[:400])
    return "\n".join(lines)


if __name__ == "__main__":
    if AXE_JS.is_file():
        sys.exit(0)
    print(f"nkmap: fetching axe-core {AXE_VERSION} (accessibility tests) from registry.npmjs.org ...", file=sys.stderr)
    try:
        fetch()
    except (OSError, IntegrityError) as exc:
        print(
            f"nkmap: could not fetch axe-core ({exc}); the accessibility tests will skip (and fail in CI)",
            file=sys.stderr,
        )
        sys.exit(1)
    print(f"nkmap: axe-core {AXE_VERSION} in {AXE_JS.relative_to(ROOT)}", file=sys.stderr)
