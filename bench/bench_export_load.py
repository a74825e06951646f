#!/usr/bin/env python3
"""Exports under a class's load (issue 13): 30 sessions stepping the date while three pupils make animations.

  .venv/bin/python bench/bench_export_load.py /path/to/streamlit_load.py [--sessions 30] [--steps 12]
      [--settings 3:10:0,2:10:0,2:10:8] [--rounds 3] [--browsers-here] [--baseline /path/to/other/checkout]

For each setting WORKERS:NICENESS[:FRAMES] (NKMAP_EXPORT_WORKERS, NKMAP_EXPORT_NICENESS: 0-19 or idle, and
NKMAP_EXPORT_FRAMES_PER_PART: 0, the default, for animations drawn whole; 8 for parts of 8 frames), in one run,
against a server of its own (the real dataset):
  1. each of three GIF animations of the war period (87 frames; English, Azerbaijani and Armenian labels, so they
     are three files) asked for alone, from a headless Chromium tab: seconds from the click to the save button;
  2. `--sessions` sessions stepping the date slider with no exports (the load tool): the steps' p95;
  3. the same stepping while the three animations are asked for at once: the steps' p95, and each animation's
     time from the click to the save button (the pupil's wait) and the part of it spent waiting in the queue.
Steps 2 and 3 are repeated `--rounds` times (3 by default), and each p95 is taken over all rounds' steps: at
p95s of 40-80 ms one round's ratio moves by 25 % with 10 ms. A round asks for files the queue no longer keeps
(the palette alternates, and waits out export_jobs.KEEP_SECONDS), so every round makes its three animations.
Targets: steps' p95 under exports within 20 % of the run without; each animation, queue included, within 2x its
time alone (the slowest round is reported). Prints the figures, OK/OVER and the load average beside each setting; asserts nothing.
The three pupils' browser tabs run at nice 19 (`lesson.BrowsersAside`): in a class they are the pupils' own
devices, not the server's cores; `--browsers-here` leaves them at the server's priority.
`--baseline` runs each setting first against another checkout's app (say a worktree of main before a change),
then against this one: a change's effect side by side in one run.
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

from nkmap.export.export_jobs import FRAMES_PER_PART, KEEP_SECONDS  # noqa: E402  (KEEP: how long a file is kept)

LANGS = ("en", "az", "hy")


def load_average() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def run_setting(pw, args, workers: int, niceness: str, part: str, tmp: Path, root: Path | None = None) -> dict:
    app = App(
        {"NKMAP_EXPORT_WORKERS": str(workers), "NKMAP_EXPORT_NICENESS": niceness, "NKMAP_EXPORT_FRAMES_PER_PART": part},
        root=root,
    )
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

        base_all, load_all, rounds = [], [], []
        used_at = {False: time.monotonic()}  # palette -> when its files were last made (the alone ones: default)
        for r in range(args.rounds):
            name = f"{workers}-{niceness}-{part}-{r}-{root.name if root else 'here'}"
            base = load_steps(args.load_tool, app.url, args.sessions, args.steps, tmp / f"base-{name}.json")
            base.wait()
            base_steps = step_latencies(tmp / f"base-{name}.json")
            # Each round asks for files the queue no longer keeps: the palette alternates, and a palette's files
            # from two rounds before have expired (export_jobs.KEEP_SECONDS) before it is asked for again.
            high_contrast = r % 2 == 0
            time.sleep(max(0.0, used_at.get(high_contrast, 0.0) + KEEP_SECONDS + 5 - time.monotonic()))
            pupils = [Pupil(browser, app.url, lang) for lang in LANGS]
            if high_contrast:
                for pupil in pupils:
                    pupil.page.locator(".st-key-palette_hc label").click()
                    pupil.page.wait_for_timeout(1500)
            out = tmp / f"load-{name}.json"
            load = load_steps(args.load_tool, app.url, args.sessions, args.steps, out)
            time.sleep(8)  # the sessions ramp up first
            for pupil in pupils:
                pupil.ask()
            under = wait_all_ready(pupils)
            used_at[high_contrast] = time.monotonic()
            load.wait()
            under_steps = step_latencies(out)
            for pupil in pupils:
                pupil.close()
            base_all += base_steps
            load_all += under_steps
            rounds.append({"base": p95(base_steps), "load": p95(under_steps), "under": under})
        browser.close()
    finally:
        app.stop()
    return {"alone": alone, "base": p95(base_all), "load": p95(load_all), "rounds": rounds,
            "load_avg": f"{load_before} -> {load_average()}"}  # fmt: skip


def report(workers: int, niceness: str, part: str, r: dict, where: str = "") -> None:
    ratio = r["load"] / r["base"]
    rounds = r["rounds"]
    drawn = f"in parts of {part} frames" if int(part) else "each drawn whole by one worker"
    print(f"\n{where}{workers} worker(s) at nice {niceness}, animations {drawn} "
          f"(load average 1/5/15 min: {r['load_avg']})")  # fmt: skip
    print(f"  steps' p95 over {len(rounds)} round(s): without exports {r['base']:.3f} s, with three animations "
          f"{r['load']:.3f} s = {ratio:.2f}x ({'OK' if ratio <= 1.2 else 'OVER'}: target within 20 %)")  # fmt: skip
    worst = [0.0] * len(LANGS)
    for n, rnd in enumerate(rounds, 1):
        print(f"  round {n}: steps' p95 {rnd['base']:.3f} -> {rnd['load']:.3f} s = {rnd['load'] / rnd['base']:.2f}x")
        for i, (lang, a, (u, queued)) in enumerate(zip(LANGS, r["alone"], rnd["under"])):
            worst[i] = max(worst[i], u / a)
            print(f"    animation {lang}: alone {a:.1f} s; with the class {u:.1f} s = {u / a:.2f}x, of which "
                  f"{queued:.1f} s in the queue (the tab's view)")  # fmt: skip
    print("  animations, the slowest round: " + ", ".join(
        f"{lang} {w:.2f}x ({'OK' if w <= 2 else 'OVER'})" for lang, w in zip(LANGS, worst)) + " (target 2x)")  # fmt: skip
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("load_tool", help="path to streamlit_load.py")
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument(
        "--settings", default="3:10:0", help="WORKERS:NICENESS[:FRAMES],... (NICENESS 0-19 or idle; default: 3:10:0)"
    )
    ap.add_argument("--browsers-here", action="store_true", help="the pupils' tabs at the server's priority")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of (steps alone, steps with exports); p95s pooled")
    ap.add_argument("--baseline", type=Path, help="another checkout: each setting runs on it first, then here")
    args = ap.parse_args()
    settings = [(*item.split(":"), str(FRAMES_PER_PART or 0))[:3] for item in args.settings.split(",")]
    from playwright.sync_api import sync_playwright

    print(f"machine: {os.cpu_count()} cores, load average {load_average()} at start (shared machines skew this)")
    print(
        "the pupils' browsers: "
        + ("at the server's priority" if args.browsers_here else "at nice 19 (their own devices)")
    )
    tmp = Path(tempfile.mkdtemp(prefix="nkmap-bench-"))
    with contextlib.nullcontext() if args.browsers_here else BrowsersAside(), sync_playwright() as pw:
        for workers, niceness, part in settings:
            if args.baseline:
                result = run_setting(pw, args, int(workers), niceness, part, tmp, args.baseline.resolve())
                report(int(workers), niceness, part, result, f"BASELINE {args.baseline}: ")
            where = "THIS CHECKOUT: " if args.baseline else ""
            report(int(workers), niceness, part, run_setting(pw, args, int(workers), niceness, part, tmp), where)
    print(f"load average at the end {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
