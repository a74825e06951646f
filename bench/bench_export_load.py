#!/usr/bin/env python3
"""Exports under a class's load (issue 13): 30 sessions stepping the date while three pupils make animations.

  .venv/bin/python bench/bench_export_load.py /path/to/streamlit_load.py [--sessions 30] [--steps 12]

In one run, against one server (the real dataset):
  1. each of three GIF animations of the war period (87 frames; English, Azerbaijani and Armenian labels, so they
     are three files) asked for alone, from a headless Chromium tab: seconds from the click to the save button;
  2. `--sessions` sessions stepping the date slider with no exports (the load tool): the steps' p95;
  3. the same stepping while the three animations are asked for at once: the steps' p95, each animation's time.
Targets: steps' p95 under exports within 20 % of the run without; each animation within 2x its time alone.
Prints the figures and OK/OVER; asserts nothing. Needs /usr/bin/chromium and the load tool's path.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lesson import CHROMIUM, App, Pupil, load_steps, p95, step_latencies  # noqa: E402

LANGS = ("en", "az", "hy")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("load_tool", help="path to streamlit_load.py")
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--steps", type=int, default=12)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start (shared machines skew this)"
    )
    app = App()
    tmp = Path(tempfile.mkdtemp(prefix="nkmap-bench-"))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            pupils = [Pupil(browser, app.url, lang) for lang in LANGS]
            alone = []
            for pupil in pupils:
                pupil.ask()
                alone.append(pupil.wait_ready())
                print(f"animation alone: {alone[-1]:.1f} s", flush=True)
            for pupil in pupils:
                pupil.close()

            base = load_steps(args.load_tool, app.url, args.sessions, args.steps, tmp / "base.json")
            base.wait()
            base_p95 = p95(step_latencies(tmp / "base.json"))
            print(f"steps without exports: p95 {base_p95:.2f} s", flush=True)

            pupils = [Pupil(browser, app.url, lang) for lang in LANGS]
            # other options than the first round, or the queue would hand back the files kept from it
            for pupil in pupils:
                pupil.page.locator(".st-key-palette_hc label").click()
                pupil.page.wait_for_timeout(1500)
            load = load_steps(args.load_tool, app.url, args.sessions, args.steps, tmp / "load.json")
            time.sleep(8)  # the sessions ramp up first
            for pupil in pupils:
                pupil.ask()
            under = [pupil.wait_ready() for pupil in pupils]
            load.wait()
            load_p95 = p95(step_latencies(tmp / "load.json"))
            browser.close()
    finally:
        app.stop()

    ratio = load_p95 / base_p95
    print(f"steps with three animations: p95 {load_p95:.2f} s = {ratio:.2f}x without "
          f"({'OK' if ratio <= 1.2 else 'OVER'}: target within 20 %)")  # fmt: skip
    for lang, a, u in zip(LANGS, alone, under):
        print(f"animation {lang}: alone {a:.1f} s, with the class {u:.1f} s = {u / a:.2f}x "
              f"({'OK' if u / a <= 2 else 'OVER'}: target within 2x)")  # fmt: skip
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
