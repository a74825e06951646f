#!/usr/bin/env python3
"""The peak memory of `nkmap export --format png` (issue 13, item 4), and what it is made of.

  .venv/bin/python bench/bench_png_memory.py [--date 2020-11-10]

1. The program as a user runs it: `nkmap export --date D --format png -o FILE`, its peak RSS (ru_maxrss of the
   child). Target: under 150 MB.
2. The same steps in a fresh process, the RSS after each (/proc/self/status): the imports package by package in
   the order the program pays for them, then the dataset, the control pieces, the figure, the PNG.
The server's memory over a lesson is bench/bench_soak.py. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

# Run in a fresh interpreter, so each import is counted where the program first pays for it.
STAGES = r"""
import sys, datetime as dt
from nkmap.data.process_memory import without_pyarrow
without_pyarrow()  # as the nkmap program does

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

last = rss()
def stage(name):
    global last
    now = rss()
    print(f"{name}\t{now - last:.1f}\t{now:.1f}", flush=True)
    last = now

stage("Python itself")
import importlib
for module in ("numpy", "pandas", "shapely", "pyproj", "geopandas", "matplotlib",
               "matplotlib.figure", "matplotlib.backends.backend_agg", "PIL.PngImagePlugin"):
    importlib.import_module(module)
    stage("import " + module)
import nkmap.cli.commands
stage("import nkmap (the program's modules)")
from nkmap.data.dataset import load_dataset
ds = load_dataset()
stage("the dataset (every layer read with json and shapely)")
from nkmap.model.control_pieces import control_pieces
control_pieces(ds)
stage("the control pieces of every epoch")
from nkmap.export.map_figure import MapFigure
fig = MapFigure(ds)
stage("the figure (layout, fonts, the Agg raster)")
import os
from nkmap.export.export_files import write_atomic
from nkmap.export.export_static import save_figure
fig.show(dt.date.fromisoformat(sys.argv[1]))
png = write_atomic(sys.argv[2], lambda out: save_figure(fig, "png", out))  # as export_static writes it
stage(f"the date shown and the PNG written ({os.path.getsize(png) / 1e6:.1f} MB)")
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--date", default="2020-11-10")
    args = ap.parse_args()
    nkmap = Path(sys.executable).with_name("nkmap")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(nkmap), "export", "--date", args.date, "--format", "png", "-o", f"{tmp}/map.png"],
                       check=True, stderr=subprocess.DEVNULL)  # fmt: skip
        # The largest RSS of the children waited for so far: read before the stages' process is one of them.
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"nkmap export --format png: peak RSS {peak:.1f} MB  target < 150 MB: {'OK' if peak < 150 else 'OVER'}")
        print("\nwhat it is made of (MiB added by each step, RSS after it):")
        stages = [sys.executable, "-c", STAGES, args.date, f"{tmp}/stages.png"]
        out = subprocess.run(stages, check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        name, added, total = line.split("\t")
        print(f"  {float(added):+6.1f}  {float(total):6.1f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
