#!/usr/bin/env python3
"""The server's CPU for one date step, side by side for two or more checkouts (issue 13: what the class's steps
leave to the export workers on two cores).

  .venv/bin/python bench/bench_step_cpu.py /path/to/streamlit_load.py ROOT [ROOT ...] [--sessions 10]
      [--steps 24] [--rounds 2]

Each ROOT is a checkout of nkmap (its `app.py` served with its own `src/` first on the path). In each round, for
each root in turn: its server started, warmed by one pass of the class, then `--sessions` sessions each moving
the date slider `--steps` times through the war (the load tool, default think times 0.5-1.5 s); the server's CPU
time (user + system, from /proc) divided by the script runs it served, and the steps' median and p95. The rounds
alternate the roots so a noisy machine weighs on each alike. Prints the figures and each root's CPU per step as
a ratio to the first root's, measured in the same run; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lesson import WAR_DATES, App  # noqa: E402


def class_steps(tool: str, server: App, sessions: int, steps: int, out: Path) -> dict:
    subprocess.run(
        [sys.executable, tool, "--url", server.url, "--sessions", str(sessions), "--steps", str(steps),
         "--widget-label", "Date", "--values", WAR_DATES, "--think-min-s", "0.5", "--think-max-s", "1.5",
         "--ramp-s", "3", "--duration-s", "600", "--step-timeout-s", "60", "--pid", str(server.proc.pid),
         "--json", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, check=False,
    )  # fmt: skip
    return json.loads(out.read_text())


def measure(tool: str, root: Path, sessions: int, steps: int, tmp: Path) -> dict:
    server = App(root=root)
    try:
        class_steps(tool, server, sessions, len(WAR_DATES.split(",")), tmp / "warm.json")  # every date made once
        report = class_steps(tool, server, sessions, steps, tmp / "run.json")
    finally:
        server.stop()
    before, after = report["server"]["before"], report["server"]["after_steps"]
    runs = report["steps_done"] + len(report["initial_s"])
    latencies = sorted(report["latency_s"]["all"])
    return {
        "cpu_ms_per_run": (after["cpu_s"] - before["cpu_s"]) / max(1, runs) * 1000,
        "cores": (after["cpu_s"] - before["cpu_s"]) / report["wall_s"],
        "median_s": statistics.median(latencies) if latencies else float("nan"),
        "p95_s": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))] if latencies else float("nan"),
        "steps": report["steps_done"],
        "errors": sum(len(v) if isinstance(v, list) else int(v) for v in report["errors"].values()),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("load_tool", help="path to streamlit_load.py")
    ap.add_argument("roots", nargs="+", type=Path, help="checkouts of nkmap to compare (the first is the reference)")
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--steps", type=int, default=24)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    results: dict[Path, list[dict]] = {root: [] for root in args.roots}
    with tempfile.TemporaryDirectory() as tmp:
        for rnd in range(args.rounds):
            for root in args.roots:
                r = measure(args.load_tool, root.resolve(), args.sessions, args.steps, Path(tmp))
                results[root].append(r)
                print(
                    f"round {rnd + 1} {root}: {r['cpu_ms_per_run']:.0f} ms CPU per script run, {r['cores']:.2f} "
                    f"cores, steps median {r['median_s'] * 1000:.0f} ms p95 {r['p95_s'] * 1000:.0f} ms "
                    f"({r['steps']} steps, {r['errors']} errors); load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    reference = statistics.mean(r["cpu_ms_per_run"] for r in results[args.roots[0]])
    for root, rs in results.items():
        cpu = statistics.mean(r["cpu_ms_per_run"] for r in rs)
        print(f"{root}: {cpu:.0f} ms CPU per script run = {cpu / reference:.2f}x the first root's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
