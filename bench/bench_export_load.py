#!/usr/bin/env python3
"""Exports under a class's load (issue 13): 30 sessions stepping the date while three pupils make animations.

  .venv/bin/python bench/bench_export_load.py /path/to/streamlit_load.py [--sessions 30] [--steps 12]
      [--settings 2:10,1:10,2:19,1:19] [--browsers-here]

For each setting WORKERS:NICENESS (NKMAP_EXPORT_WORKERS and NKMAP_EXPORT_NICENESS: 0-19 or idle), in one run,
against a server of its own (the real dataset):
  1. each of three GIF animations of the war period (87 frames; English, Azerbaijani and Armenian labels, so they
     are three files) asked for alone, from a headless Chromium tab: seconds from the click to the save button;
  2. `--sessions` sessions stepping the date slider with no exports (the load tool): the steps' p95;
  3. the same stepping while the three animations are asked for at once: the steps' p95, and each animation's
     time from the click to the save button (the pupil's wait) and the part of it spent waiting in the queue.
Targets: steps' p95 under exports within 20 % of the run without; each animation, queue included, within 2x its
time alone. Prints the figures, OK/OVER and the load average beside each setting; asserts nothing.
The three pupils' browser tabs run at nice 19 (`lesson.BrowsersAside`): in a class they are the pupils' own
devices, not the server's cores; `--browsers-here` leaves them at the server's priority.
Needs /usr/bin/chromium and the load tool's path.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lesson import CHROMIUM, App, BrowsersAside, Pupil, load_steps, p95, step_latencies, wait_all_ready  # noqa: E402

LANGS = ("en", "az", "hy")


def load_average() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def run_setting(pw, args, workers: int, niceness: str, tmp: Path) -> dict:
    app = App({"NKMAP_EXPORT_WORKERS": str(workers), "NKMAP_EXPORT_NICENESS": str(niceness)})
    load_before = load_average()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        pupils = [Pupil(browser, app.url, lang) for lang in LANGS]
        alone = []
        for pupil in pupils:
            pupil.ask()
            alone.append(wait_all_ready([pupil])[0][0])
        for pupil in pupils:
            pupil.close()

        base = load_steps(args.load_tool, app.url, args.sessions, args.steps, tmp / f"base-{workers}-{niceness}.json")
        base.wait()
        base_p95 = p95(step_latencies(tmp / f"base-{workers}-{niceness}.json"))

        pupils = [Pupil(browser, app.url, lang) for lang in LANGS]
        # other options than the first round, or the queue would hand back the files kept from it
        for pupil in pupils:
            pupil.page.locator(".st-key-palette_hc label").click()
            pupil.page.wait_for_timeout(1500)
        out = tmp / f"load-{workers}-{niceness}.json"
        load = load_steps(args.load_tool, app.url, args.sessions, args.steps, out)
        time.sleep(8)  # the sessions ramp up first
        for pupil in pupils:
            pupil.ask()
        under = wait_all_ready(pupils)
        load.wait()
        load_p95 = p95(step_latencies(out))
        browser.close()
    finally:
        app.stop()
    return {"alone": alone, "base": base_p95, "load": load_p95, "under": under,
            "load_avg": f"{load_before} -> {load_average()}"}  # fmt: skip


def report(workers: int, niceness: str, r: dict) -> None:
    ratio = r["load"] / r["base"]
    print(f"\n{workers} worker(s) at nice {niceness} (load average 1/5/15 min: {r['load_avg']})")
    print(f"  steps' p95: without exports {r['base']:.2f} s, with three animations {r['load']:.2f} s = "
          f"{ratio:.2f}x ({'OK' if ratio <= 1.2 else 'OVER'}: target within 20 %)")  # fmt: skip
    for lang, a, (u, queued) in zip(LANGS, r["alone"], r["under"]):
        print(f"  animation {lang}: alone {a:.1f} s; with the class {u:.1f} s = {u / a:.2f}x "
              f"({'OK' if u / a <= 2 else 'OVER'}: target 2x), of which {queued:.1f} s in the queue; "
              f"made in {u - queued:.1f} s = {(u - queued) / a:.2f}x")  # fmt: skip
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("load_tool", help="path to streamlit_load.py")
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--settings", default="2:10", help="WORKERS:NICENESS,... (NICENESS 0-19 or idle; default: 2:10)")
    ap.add_argument("--browsers-here", action="store_true", help="the pupils' tabs at the server's priority")
    args = ap.parse_args()
    settings = [(int(item.split(":")[0]), item.split(":")[1]) for item in args.settings.split(",")]
    from playwright.sync_api import sync_playwright

    print(f"machine: {os.cpu_count()} cores, load average {load_average()} at start (shared machines skew this)")
    print(
        "the pupils' browsers: "
        + ("at the server's priority" if args.browsers_here else "at nice 19 (their own devices)")
    )
    tmp = Path(tempfile.mkdtemp(prefix="nkmap-bench-"))
    with contextlib.nullcontext() if args.browsers_here else BrowsersAside(), sync_playwright() as pw:
        for workers, niceness in settings:
            report(workers, niceness, run_setting(pw, args, workers, niceness, tmp))
    print(f"load average at the end {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
