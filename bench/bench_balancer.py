"""The app behind HAProxy (deploy/) on 1 and on 2 processes, side by side in one run: N sessions stepping the date.

  python bench/bench_balancer.py --load-tool PATH/streamlit_load.py [--sessions 30] [--steps 20]
                                 [--processes 1,2] [--rounds 1]
  (or STREAMLIT_LOAD=PATH/streamlit_load.py python bench/bench_balancer.py)

For each round and each process count: `deploy/serve.py --processes N` on a free loopback port (fresh processes,
so each configuration starts as cold as the other), then the load tool (a Streamlit WebSocket load generator:
N sessions each move the "Date" slider through the war, with a think time between steps) against HAProxy's port.
Prints the tool's report, then one line per configuration: step latency median / p95 / max, the first run's
median, errors, and how HAProxy spread the connections over the processes (`show stat`).

The load tool is not part of the project: pass its path. It must run with a Python that has streamlit (the same
version as the server: this one) and websockets; this script runs it with its own interpreter.
Run from the repository root, by hand; needs HAProxy (Debian: apt-get install haproxy).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_deploy import Balancer  # noqa: E402

# The war, every few days: each step redraws a different day's control (the slider's range is Sep-Dec 2020).
WAR_DATES = [
    "2020-09-27",
    "2020-09-30",
    "2020-10-03",
    "2020-10-06",
    "2020-10-09",
    "2020-10-12",
    "2020-10-15",
    "2020-10-18",
    "2020-10-21",
    "2020-10-24",
    "2020-10-27",
    "2020-10-30",
    "2020-11-02",
    "2020-11-05",
    "2020-11-08",
    "2020-11-10",
    "2020-11-20",
    "2020-11-25",
    "2020-12-01",
    "2020-12-10",
]


def nearest_rank(values: list[float], percent: float) -> float | None:
    """The percentile as the load tool computes its own (nearest rank), so the columns agree with its report."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(percent / 100 * len(ordered)) - 1))]


def ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.0f} ms"


def run_config(tool: Path, processes: int, args: argparse.Namespace, work: Path) -> dict:
    balancer = Balancer(work / f"serve-{processes}", processes=processes)
    try:
        out = work / f"load-{processes}.json"
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                str(tool),
                "--url",
                balancer.url,
                "--sessions",
                str(args.sessions),
                "--steps",
                str(args.steps),
                "--widget-label",
                "Date",
                "--values",
                ",".join(WAR_DATES),
                "--duration-s",
                "900",
                "--json",
                str(out),
            ],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        print(f"--- {processes} process(es): load tool exit {result.returncode}, {wall:.0f} s")
        print(result.stdout.strip())
        if result.stderr.strip():
            print(result.stderr.strip())
        connections = {name: int(row["stot"]) for name, row in balancer.stats().items()}
        data = json.loads(out.read_text()) if out.exists() else {}
    finally:
        balancer.stop()
    latency = data.get("latency_s", {})
    initial = data.get("initial_s") or []
    errors = sum(v for k, v in (data.get("errors") or {}).items() if k != "warnings")
    return {
        "processes": processes,
        "median": latency.get("median"),
        "p95": latency.get("p95"),
        "max": latency.get("max"),
        "initial": nearest_rank(initial, 50),
        "steps": f"{data.get('steps_done', 0)}/{args.sessions * args.steps}",
        "errors": errors if data else "no result",
        "connections": connections,
        "load": load_before,
    }


def main() -> int:
    head, _, rest = (__doc__ or "").partition("\n\n")
    ap = argparse.ArgumentParser(description=head, epilog=rest, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--load-tool", type=Path, default=os.environ.get("STREAMLIT_LOAD"), help="streamlit_load.py")
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--processes", default="1,2", help="comma-separated process counts, run in this order")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the whole comparison (noisy machine)")
    args = ap.parse_args()
    if args.load_tool is None or not Path(args.load_tool).is_file():
        ap.error("give the load tool's path: --load-tool PATH/streamlit_load.py (or STREAMLIT_LOAD=PATH)")
    counts = [int(n) for n in args.processes.split(",")]
    print(f"{os.cpu_count()} CPU(s); {args.sessions} sessions x {args.steps} date steps each, through HAProxy")
    rows = []
    with tempfile.TemporaryDirectory(prefix="nkmap-bench-balancer-") as tmp:
        for round_no in range(1, args.rounds + 1):
            for n in counts:
                work = Path(tmp) / f"round-{round_no}"
                work.mkdir(exist_ok=True)
                rows.append({"round": round_no, **run_config(Path(args.load_tool), n, args, work)})
    print()
    print(
        f"{'round':>5} {'processes':>9} {'steps':>9} {'errors':>6} {'median':>8} {'p95':>8} {'max':>8} "
        f"{'1st run':>8}  load before  connections per process"
    )
    for r in rows:
        spread = ", ".join(f"{k} {v}" for k, v in r["connections"].items())
        print(
            f"{r['round']:>5} {r['processes']:>9} {r['steps']:>9} {r['errors']!s:>6} {ms(r['median']):>8} "
            f"{ms(r['p95']):>8} {ms(r['max']):>8} {ms(r['initial']):>8}  {r['load']:>11.2f}  {spread}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
