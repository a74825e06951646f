#!/usr/bin/env python3
"""Memory over a lesson (issue 13): the server's RSS, its export workers included, at start, at its peak and after.

  .venv/bin/python bench/bench_soak.py /path/to/streamlit_load.py [--sessions 30] [--steps 20] [--settle-s 150]

Starts the app (the real dataset), opens one page (the start figure: a served page, its caches warm), then drives
`--sessions` sessions stepping the date (the load tool) while three pupils in headless Chromium make a PNG, an
SVG, a GeoJSON and a GIF each; samples the RSS of the server's process tree every second; after the lesson waits
`--settle-s` (the export workers exit after 60 s without work, the finished files are let go after 2 minutes,
and the sessions' files with the sessions) and reports, with each process of the server's tree.
Target: after the lesson within 15 % of the start. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lesson import CHROMIUM, App, Pupil, load_steps, tree_processes, tree_rss_mib  # noqa: E402


def show_processes(pid: int) -> None:
    for child, (command, rss) in sorted(tree_processes(pid).items()):
        print(f"    {rss:6.0f} MiB  pid {child}: {command}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("load_tool", help="path to streamlit_load.py")
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--settle-s", type=float, default=150)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared machines skew times)")
    app = App()
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append(tree_rss_mib(app.proc.pid))
            stop.wait(1.0)

    tmp = Path(tempfile.mkdtemp(prefix="nkmap-soak-"))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            # One page served, its downloads folded: an open panel would start an export worker (ExportQueue.warm),
            # which is part of the lesson, not of the server at rest.
            first = browser.new_page()
            first.goto(f"{app.url}/?date=2020-11-10")
            first.locator(".st-key-downloads_open summary").wait_for(timeout=120_000)
            first.close()
            time.sleep(5)
            start = tree_rss_mib(app.proc.pid)
            print(f"start (one page served): {start:.0f} MiB", flush=True)
            show_processes(app.proc.pid)
            threading.Thread(target=sample, daemon=True).start()
            load = load_steps(args.load_tool, app.url, args.sessions, args.steps, tmp / "soak.json")
            pupils = [Pupil(browser, app.url, lang) for lang in ("en", "az", "hy")]
            for key in ("png", "svg", "geojson", "animation"):
                for pupil in pupils:
                    pupil.ask(key)
                for pupil in pupils:
                    pupil.wait_ready(key)
                print(f"  {key} made for three pupils; tree RSS now {tree_rss_mib(app.proc.pid):.0f} MiB", flush=True)
            for pupil in pupils:
                pupil.close()
            load.wait()
            browser.close()
        print(f"lesson over; waiting {args.settle_s:.0f} s", flush=True)
        time.sleep(args.settle_s)
        stop.set()
        after = tree_rss_mib(app.proc.pid)
        show_processes(app.proc.pid)
    finally:
        stop.set()
        app.stop()
    peak = max(samples + [start, after])
    change = after / start - 1
    print(f"server tree RSS: start {start:.0f} MiB, peak {peak:.0f} MiB, after the lesson {after:.0f} MiB "
          f"({change:+.0%}; {'OK' if change <= 0.15 else 'OVER'}: target within 15 % of the start)")  # fmt: skip
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
