#!/usr/bin/env python3
"""Render reference outputs of `nkmap` and compare them byte for byte with a saved baseline.

For refactoring: nothing a user gets may change. Save a baseline before moving code, compare after each step:

    .venv/bin/python scripts/check_outputs.py --save /tmp/house-baseline
    .venv/bin/python scripts/check_outputs.py --compare /tmp/house-baseline

The outputs: `nkmap export` as PNG, SVG, PDF and GeoJSON on two dates, the standalone HTML, a short GIF, and the
text of `nkmap timeline | state | place | sources | validate`. Runs `python -m nkmap`, so it does not depend on
where the package's modules live. Exit 0 when every file is byte-identical, 1 otherwise (the files that differ
are named).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATES = ("2020-10-20", "2022-10-01")

# (output file name, nkmap arguments); "{out}" is replaced by the output path. Text commands write stdout.
EXPORTS: list[tuple[str, list[str]]] = [
    *[
        (f"map-{d}.{fmt}", ["export", "--date", d, "--format", fmt, "-o", "{out}"])
        for d in DATES
        for fmt in ("png", "svg", "pdf", "geojson")
    ],
    ("map.html", ["export", "--date", "2020-11-10", "--format", "html", "-o", "{out}"]),
    (
        "anim.gif",
        ["export", "--format", "gif", "--start", "2020-11-01", "--end", "2020-11-05", "--quiet", "-o", "{out}"],
    ),
]
TEXTS: list[tuple[str, list[str]]] = [
    ("timeline.txt", ["timeline"]),
    ("state-2020-11-10.txt", ["state", "--date", "2020-11-10"]),
    ("place-shushi.txt", ["place", "Shushi", "--date", "2020-11-08"]),
    ("sources.txt", ["sources"]),
    ("validate.txt", ["validate"]),
]


def nkmap(args: list[str], **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "0"))
    return subprocess.run([sys.executable, "-m", "nkmap", *args], cwd=ROOT, env=env, **kw)


def render(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, args in EXPORTS:
        path = out_dir / name
        done = nkmap([a.replace("{out}", str(path)) for a in args], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"nkmap {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    for name, args in TEXTS:
        done = nkmap(args, capture_output=True)
        # the exit status is part of the output (validate: 0 = no problem)
        (out_dir / name).write_bytes(done.stdout + f"\n[exit {done.returncode}]\n".encode())


def compare(baseline: Path, out_dir: Path) -> list[str]:
    names = sorted({p.name for p in baseline.iterdir()} | {p.name for p in out_dir.iterdir()})
    return [
        n
        for n in names
        if not (baseline / n).exists()
        or not (out_dir / n).exists()
        or not filecmp.cmp(baseline / n, out_dir / n, shallow=False)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", metavar="DIR", help="render the outputs into DIR (the baseline)")
    mode.add_argument("--compare", metavar="DIR", help="render into a temporary directory and compare with DIR")
    parser.add_argument("--keep", metavar="DIR", help="with --compare: render into DIR instead, and keep it")
    args = parser.parse_args()
    if args.save:
        render(Path(args.save))
        print(f"baseline: {len(list(Path(args.save).iterdir()))} files in {args.save}")
        return 0
    baseline = Path(args.compare)
    with tempfile.TemporaryDirectory(prefix="nkmap-check-") as tmp:
        out_dir = Path(args.keep) if args.keep else Path(tmp)
        render(out_dir)
        differ = compare(baseline, out_dir)
        total = len(list(out_dir.iterdir()))
    if differ:
        print(f"DIFFERENT: {len(differ)} of {total} files: {', '.join(differ)}")
        return 1
    print(f"byte-identical: {total} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
