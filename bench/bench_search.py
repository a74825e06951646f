#!/usr/bin/env python3
"""Place search benchmark: time per query and the bytes the places layer adds to a date step.

Run by hand: `.venv/bin/python bench/bench_search.py [--geo DIR]`. Prints numbers; asserts nothing.
Targets (issue 7): search under 20 ms median over every name in the data; the places layer adds under 20 KB to
a date step.

- index: building the name index of a freshly loaded dataset (once per process);
- search: `gazetteer.search` for every name in the data as written, for its first three letters (what a user has
  typed when suggestions start), and for each name with one letter dropped (the 'did you mean' path);
- bytes: what a step of the date slider fetches for the places layer. mapview sends the places once per set of
  features and a small per-control-state "paint" (colour and holder per place); a step fetches the paint only
  when the control state changes. Measured as the JSON that mapview writes, raw and gzipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from nkmap.data import dataset  # noqa: E402
from nkmap.model import gazetteer  # noqa: E402


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return (
        f"median {statistics.median(values) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, "
        f"max {values[-1] * 1000:.1f} ms over {len(values)} queries"
    )


def _timed(ds, queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        t0 = time.perf_counter()
        gazetteer.search(ds, q)
        out.append(time.perf_counter() - t0)
    return out


def _size(payload) -> tuple[int, int]:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return len(data), len(gzip.compress(data, 6))


def bench_search(ds) -> None:
    ds.clear_caches(gazetteer.GazetteerCaches)
    t0 = time.perf_counter()
    idx = gazetteer.index(ds)
    print(
        f"index: {len(idx.names)} names of {len(gazetteer.places(ds))} places built in "
        f"{(time.perf_counter() - t0) * 1000:.0f} ms"
    )
    names = [n.name for n in idx.names]
    print(f"search, every name as written: {_ms(_timed(ds, names))}")
    print(f"search, first three letters:   {_ms(_timed(ds, [n[:3] for n in names]))}")
    typos = [n[: len(n) // 2] + n[len(n) // 2 + 1 :] for n in names if len(n) > 4]
    found = sum(1 for q in typos if gazetteer.search(ds, q, limit=5))
    print(f"search, one letter dropped:    {_ms(_timed(ds, typos))} ({found} of {len(typos)} find something)")
    worst = ["x" * 10240, "<script>alert(1)</script>" * 4, "Ş" * 100]
    print(f"search, hostile input:         {_ms(_timed(ds, worst))}")


def bench_bytes(ds) -> None:
    try:
        from nkmap.model.timeline import epoch_of, in_force
        from nkmap.web import mapview
    except ImportError as exc:
        print(f"bytes: mapview not importable ({exc})")
        return
    if not hasattr(mapview, "layer_paint"):
        print("bytes: this mapview has no per-state paint for places; nothing to measure")
        return
    day0 = ds.default_date
    raw, gz = _size(mapview.layer_collection(ds, "places", day0))
    print(
        f"places file (fetched once per set of features; {len(in_force(ds.layers['places'], day0))} places): "
        f"{raw / 1024:.1f} KB raw, {gz / 1024:.1f} KB gzipped"
    )
    steps, paints = [], {}
    prev = None
    for i in range((ds.end - ds.start).days + 1):
        day = ds.start + dt.timedelta(days=i)
        key = epoch_of(ds, day)
        if key not in paints:
            paints[key] = _size(mapview.layer_paint(ds, "places", day))
        steps.append(paints[key] if key != prev else (0, 0))
        prev = key
    changed = [s for s in steps[1:] if s[0]]
    print(
        f"paint per control state ({len(paints)} states): median {statistics.median(p[0] for p in paints.values()) / 1024:.1f} KB "
        f"raw / {statistics.median(p[1] for p in paints.values()) / 1024:.1f} KB gzipped, "
        f"max {max(p[0] for p in paints.values()) / 1024:.1f} KB raw"
    )
    war = [
        s
        for s, d in zip(steps, range(len(steps)))
        if dt.date(2020, 9, 27) <= ds.start + dt.timedelta(days=d) <= dt.date(2020, 11, 10)
    ]
    print(
        f"bytes a one-day step adds for places: {len(changed)} of {len(steps) - 1} steps fetch a paint; "
        f"worst step {max(s[0] for s in steps) / 1024:.1f} KB raw ({max(s[1] for s in steps) / 1024:.1f} KB gzipped); "
        f"mean over the war's daily steps {statistics.mean(s[0] for s in war) / 1024:.1f} KB raw"
    )


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--geo", help="dataset directory (default ./geo)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    ds = dataset.load_dataset(args.geo)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"dataset loaded in {time.perf_counter() - t0:.1f} s (load average {load:.1f}: the max and p95 times "
        "below include whatever else the machine was doing)"
    )
    bench_search(ds)
    bench_bytes(ds)


if __name__ == "__main__":
    main()
