"""Benchmark the page in a real headless Chromium with outside requests blocked, and print the numbers.

  python bench/bench_app.py [--steps 20] [--start 2020-10-01] [--geo DIR] [--query place=place-shusha-susa]
                            [--open-downloads]

- cold start: `streamlit run` started -> first map drawn (target < 5 s on the 2-core machine);
- date step: click "one day forward" -> the map shows the new date's layers (median of N steps; target < 300 ms),
  first through dates the browser has not seen (server prepares files, browser fetches them), then again
  through the same dates (files cached in the browser);
- bytes per step: WebSocket bytes from the server plus HTTP bytes fetched (target < 100 KB);
- server side: time to build one date's layer slots in Python, and what the same step would cost if the
  geometry travelled inline in the map script instead of as static files.
`--query` adds URL parameters (e.g. a place whose card stays open while stepping); `--open-downloads` unfolds
"Download this map" first, so each step also re-sends the download buttons.
Needs /usr/bin/chromium and the test extras (playwright). Run from the repository root.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import AppServer, block_outside, launch_chromium  # noqa: E402

FRAME = "iframe[title='streamlit_folium.st_folium']"


class Meter:
    """Counts bytes the page receives: WebSocket frames from Streamlit and HTTP response bodies."""

    def __init__(self, page):
        self.ws = 0
        self.http = 0
        self.requests = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("requestfinished", self._request)

    def _frame(self, payload) -> None:
        self.ws += len(payload)

    def _request(self, request) -> None:
        try:
            sizes = request.sizes()
            self.http += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            self.requests += 1
        except Exception:  # the page went away
            pass

    def take(self) -> tuple[int, int, int]:
        out = (self.ws, self.http, self.requests)
        self.ws = self.http = self.requests = 0
        return out


def wait_map_date(page, day: dt.date, timeout: float = 30_000) -> None:
    page.frame_locator(FRAME).locator(f"#map_div[data-nkmap-date='{day.isoformat()}']").wait_for(
        state="attached", timeout=timeout
    )


def steps(page, meter: Meter, start: dt.date, n: int) -> tuple[list[float], list[tuple[int, int, int]]]:
    """Click 'one day forward' n times from `start`; per step the latency and the bytes received."""
    forward = page.locator(".st-key-fwd button:visible")
    frame = page.locator(FRAME).element_handle().content_frame()
    latencies, traffic = [], []
    day = start
    for _ in range(n):
        day += dt.timedelta(days=1)
        meter.take()
        t0 = time.perf_counter()
        forward.click()
        frame.wait_for_function(
            "d => document.getElementById('map_div').dataset.nkmapDate === d",
            arg=day.isoformat(),
            polling="raf",
            timeout=30_000,
        )
        latencies.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.4)  # let the run finish and its last messages arrive before counting
        traffic.append(meter.take())
    return latencies, traffic


def summarise(label: str, latencies: list[float], traffic: list[tuple[int, int, int]]) -> None:
    lat = sorted(latencies)
    p90 = lat[min(len(lat) - 1, int(round(0.9 * (len(lat) - 1))))]
    ws = [t[0] for t in traffic]
    http = [t[1] for t in traffic]
    total = [t[0] + t[1] for t in traffic]
    print(
        f"{label}: median {statistics.median(lat):.0f} ms, p90 {p90:.0f} ms, max {lat[-1]:.0f} ms over {len(lat)} steps"
    )
    print(
        f"  bytes per step: median {statistics.median(total) / 1024:.1f} KB "
        f"(WebSocket {statistics.median(ws) / 1024:.1f} KB, HTTP {statistics.median(http) / 1024:.1f} KB; "
        f"max {max(total) / 1024:.1f} KB)"
    )


def server_side(geo: Path | None, start: dt.date, n: int) -> None:
    """Python cost of one step (building the slots) and the bytes an inline-geometry step would ship."""
    from streamlit_folium import _get_feature_group_string

    from nkmap.data.dataset import load_dataset
    from nkmap.web import mapview

    ds = load_dataset(geo)
    layers = [s.id for s in ds.layer_specs if s.display and s.default_visible]
    days = [start + dt.timedelta(days=i) for i in range(1, n + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        cold, warm = [], []
        for d in days:
            t = time.perf_counter()
            mapview.layer_slots(ds, d, layers, tmp)
            cold.append((time.perf_counter() - t) * 1000)
        for d in days:
            t = time.perf_counter()
            mapview.layer_slots(ds, d, layers, tmp)
            warm.append((time.perf_counter() - t) * 1000)
        files = sum(p.stat().st_size for p in (Path(tmp) / mapview.CACHE_SUBDIR).glob("*.json"))
    base = mapview.base_map(ds)
    static_js = len(_get_feature_group_string(mapview.layer_slots(ds, days[0], layers, tempfile.mkdtemp()), base))
    inline_js = len(_get_feature_group_string(mapview.layer_slots(ds, days[0], layers, None), mapview.base_map(ds)))
    print(
        f"server, building one date's slots: first time median {statistics.median(cold):.1f} ms, "
        f"again {statistics.median(warm):.2f} ms; {files / 1024:.0f} KB of prepared files for {n} dates"
    )
    print(
        f"  map script per step: {static_js / 1024:.1f} KB with static files; "
        f"{inline_js / 1024:.0f} KB if the geometry were inline"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2020, 10, 1))
    parser.add_argument("--geo", type=Path, default=None, help="dataset directory (default: geo/)")
    parser.add_argument("--query", default="", help="extra URL parameters, e.g. place=place-shusha-susa")
    parser.add_argument("--open-downloads", action="store_true", help='unfold "Download this map" before stepping')
    args = parser.parse_args()
    extra = f"&{args.query}" if args.query else ""

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)  # started before the server, so its own start-up is not counted
        server = AppServer(args.geo)
        try:
            health = time.perf_counter() - server.started
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            blocked: list[str] = []
            block_outside(context, server.url, blocked)
            page = context.new_page()
            meter = Meter(page)
            t_open = time.perf_counter()
            page.goto(f"{server.url}/?date={args.start.isoformat()}{extra}")
            wait_map_date(page, args.start)
            t_map = time.perf_counter()
            ws, http, nreq = meter.take()
            print(
                f"cold start: {t_map - server.started:.2f} s from `streamlit run` to the first map "
                f"(server healthy after {health:.2f} s, page open -> map {t_map - t_open:.2f} s); "
                f"{(ws + http) / 1024:.0f} KB in {nreq} requests + WebSocket"
            )

            page2 = context.new_page()
            t2 = time.perf_counter()
            page2.goto(f"{server.url}/?date={args.start.isoformat()}{extra}")
            wait_map_date(page2, args.start)
            print(f"warm page open (server running, browser cache warm): {time.perf_counter() - t2:.2f} s to the map")
            page2.close()

            if args.open_downloads:
                page.locator(".st-key-downloads_open summary:visible").click()
                page.locator(".st-key-dl_png button:visible").wait_for(timeout=30_000)
            time.sleep(1.0)
            meter.take()
            lat, traffic = steps(page, meter, args.start, args.steps)
            summarise(f"date step, new dates ({args.start} + 1..{args.steps} days)", lat, traffic)
            page.goto(f"{server.url}/?date={args.start.isoformat()}{extra}")
            wait_map_date(page, args.start)
            if args.open_downloads:
                page.locator(".st-key-downloads_open summary:visible").click()
                page.locator(".st-key-dl_png button:visible").wait_for(timeout=30_000)
            time.sleep(1.0)
            meter.take()
            lat, traffic = steps(page, meter, args.start, args.steps)
            summarise("date step, same dates again (browser cache)", lat, traffic)
            outside = [u for u in blocked if "tile.openstreetmap.org" not in u]
            print(f"blocked outside requests: {len(blocked)} (non-tile: {json.dumps(outside[:5])})")
        finally:
            server.stop()
            browser.close()
    server_side(args.geo, args.start, args.steps)


if __name__ == "__main__":
    main()
