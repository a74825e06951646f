"""Benchmark the classroom page in a real headless Chromium with outside requests blocked, and print the numbers.

  python bench/bench_classroom.py [--story war-and-aftermath]

- story step: press → -> the next step's map (its layers drawn for its date) and caption are shown; median, p90
  and max over the whole story, first with the server preparing new layer files (a fresh cache directory is
  not used: files already prepared by an earlier run are reused, as on a running server), then again;
- bytes per step: WebSocket bytes from the server plus HTTP bytes fetched;
- compare: choosing the mode -> both maps drawn; area chart: mode -> chart drawn;
- server side, no browser: building one step (layer slots, overlay, panel), the changed areas for each compare
  preset, the area series for the whole timeline.
Needs /usr/bin/chromium and the test extras (playwright). Run from the repository root.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_app import Meter, summarise  # noqa: E402

from conftest import AppServer, block_outside, launch_chromium  # noqa: E402

FRAME = "iframe[title='streamlit_folium.st_folium']"


def wait_step(page, story_id: str, step, timeout: float = 60_000) -> None:
    page.frame_locator(FRAME).locator(
        f"#map_div[data-nkmap-date='{step.day.isoformat()}'][data-nk-step='{story_id}:{step.number}']"
    ).wait_for(state="attached", timeout=timeout)
    page.locator(f".nk-step[data-step='{step.number}']").wait_for(timeout=timeout)


def walk(page, meter: Meter, story_id: str, steps) -> tuple[list[float], list[tuple[int, int, int]]]:
    latencies, traffic = [], []
    for step in steps[1:]:
        meter.take()
        t0 = time.perf_counter()
        page.keyboard.press("ArrowRight")
        wait_step(page, story_id, step)
        latencies.append((time.perf_counter() - t0) * 1000)
        page.wait_for_timeout(400)  # let the run finish and its last messages arrive before counting
        traffic.append(meter.take())
    return latencies, traffic


def server_side(story_id: str) -> None:
    from nkmap.data import story
    from nkmap.data.dataset import load_dataset
    from nkmap.model import area_series, compare, timeline
    from nkmap.web import mapview, presenter

    ds = load_dataset()
    the_story = next(s for s in story.load_stories(ds)[0] if s.id == story_id)
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("first time", "again"):
            times = []
            for step in the_story.steps:
                t = time.perf_counter()
                mapview.layer_slots(ds, step.day, story.step_layers(ds, step), tmp, palette="high_contrast")
                presenter.StepOverlay(story.step_places(ds, step), f"{story_id}:{step.number}", step.view)
                presenter.step_html(ds, the_story, step, "high_contrast")
                times.append((time.perf_counter() - t) * 1000)
            print(
                f"server, building one story step ({label}): median {statistics.median(times):.1f} ms, "
                f"max {max(times):.1f} ms"
            )
    for preset in compare.presets(ds):
        # drop the cached result: time the computation, not the cache
        ds.caches(compare.CompareCaches).transfers.pop(
            (timeline.epoch_of(ds, preset.earlier), timeline.epoch_of(ds, preset.later))
        )
        t = time.perf_counter()
        moved = compare.transfers(ds, preset.earlier, preset.later)
        print(
            f"compare '{preset.label}': {(time.perf_counter() - t) * 1000:.0f} ms, "
            f"{sum(m.area_km2 for m in moved):,.0f} km² changed hands"
        )
    t = time.perf_counter()
    frame = area_series.area_series(ds)
    print(f"area series, whole timeline: {(time.perf_counter() - t) * 1000:.0f} ms for {len(frame)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--story", default="war-and-aftermath")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from nkmap.data import story
    from nkmap.data.dataset import load_dataset

    ds = load_dataset()
    the_story = next(s for s in story.load_stories(ds)[0] if s.id == args.story)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        server = AppServer()
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            blocked: list[str] = []
            block_outside(context, server.url, blocked)
            page = context.new_page()
            meter = Meter(page)
            t0 = time.perf_counter()
            page.goto(f"{server.url}/Classroom?story={args.story}&step=1")
            wait_step(page, args.story, the_story.steps[0])
            page.wait_for_function("() => document.documentElement.getAttribute('data-nk-keys') === 'on'")
            ws, http, nreq = meter.take()
            print(
                f"page open -> first step drawn: {time.perf_counter() - t0:.2f} s; "
                f"{(ws + http) / 1024:.0f} KB in {nreq} requests + WebSocket"
            )
            lat, traffic = walk(page, meter, args.story, the_story.steps)
            summarise(f"story step, first pass ({len(lat)} steps)", lat, traffic)
            page.goto(f"{server.url}/Classroom?story={args.story}&step=1")
            wait_step(page, args.story, the_story.steps[0])
            page.wait_for_function("() => document.documentElement.getAttribute('data-nk-keys') === 'on'")
            meter.take()
            lat, traffic = walk(page, meter, args.story, the_story.steps)
            summarise("story step, second pass (files prepared, browser cache warm)", lat, traffic)

            t0 = time.perf_counter()
            page.locator(".st-key-cl_mode button").filter(has_text="Compare").click()
            page.locator(".st-key-cl_comparebox iframe").wait_for()
            page.locator(".st-key-cl_comparebox iframe").element_handle().content_frame().wait_for_function(
                "() => document.body.hasAttribute('data-nk-compare')", timeout=60_000
            )
            print(f"compare: mode chosen -> both maps drawn {time.perf_counter() - t0:.2f} s")
            t0 = time.perf_counter()
            page.locator(".st-key-cl_mode button").filter(has_text="Area over time").click()
            page.locator(".stVegaLiteChart canvas, .stVegaLiteChart svg.marks").first.wait_for(timeout=60_000)
            print(f"area over time: mode chosen -> chart drawn {time.perf_counter() - t0:.2f} s")
            outside = [u for u in blocked if "tile.openstreetmap.org" not in u]
            print(f"blocked outside requests: {len(blocked)} (non-tile: {outside[:5]})")
        finally:
            server.stop()
            browser.close()
    server_side(args.story)


if __name__ == "__main__":
    main()
