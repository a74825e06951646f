#!/usr/bin/env python3
"""Dataset benchmark: load time, time to compute a date's state (median over every day), peak memory.

Run by hand: `.venv/bin/python bench/bench_dataset.py`. Targets on a 2-core machine: load under 0.5 s, a date's
state under 10 ms median. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from nkmap.data import dataset  # noqa: E402
from nkmap.model.timeline import epoch_of, state_on  # noqa: E402


def main() -> None:
    tracemalloc.start()
    loads = []
    for _ in range(5):
        dataset._CACHE.clear()
        t0 = time.perf_counter()
        ds = dataset.load_dataset()
        loads.append(time.perf_counter() - t0)
    print(
        f"load (cold, read + parse {len(ds.layers)} layers): median {statistics.median(loads) * 1000:.0f} ms, "
        f"min {min(loads) * 1000:.0f} ms over {len(loads)} runs"
    )

    days = ds.days()
    first_visit, per_day = [], []
    seen = set()
    for day in days:
        t0 = time.perf_counter()
        state_on(ds, day)
        elapsed = time.perf_counter() - t0
        epoch = epoch_of(ds, day)
        (per_day if epoch in seen else first_visit).append(elapsed)
        seen.add(epoch)
    everything = first_visit + per_day
    print(f"state_on, every day of the timeline ({len(days)} days, {len(seen)} distinct control states):")
    print(
        f"  median {statistics.median(everything) * 1000:.2f} ms, p95 {sorted(everything)[int(len(everything) * 0.95)] * 1000:.2f} ms, "
        f"max {max(everything) * 1000:.0f} ms, total {sum(everything):.1f} s"
    )
    print(
        f"  first visit of a control state: median {statistics.median(first_visit) * 1000:.1f} ms "
        f"(replays that date's changes and dissolves by side)"
    )
    ds.clear_caches()
    t0 = time.perf_counter()
    state_on(ds, ds.end)
    print(f"  cold state of the last day (every change replayed): {(time.perf_counter() - t0) * 1000:.0f} ms")
    _, peak = tracemalloc.get_traced_memory()
    print(f"peak Python memory (tracemalloc): {peak / 2**20:.1f} MiB")
    try:
        import resource

        print(f"peak RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    except ImportError:
        pass


if __name__ == "__main__":
    main()
