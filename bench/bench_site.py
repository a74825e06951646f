#!/usr/bin/env python3
"""Static site benchmark (issue 11): builds the site, serves it with nginx on loopback, loads it with wrk and
times the pages in headless Chromium with the network cut off.

  .venv/bin/python bench/bench_site.py [--geo DIR] [--duration 10] [--loads 5] [--steps 30] [--skip-wrk]

Budgets (2-core machine): whole site < 30 MB; bytes before the first map of index.html < 1.5 MB as nginx serves
them (gzip on); first map drawn < 1.5 s; date step < 50 ms median and < 100 ms p95 over 30 steps through the war;
place search < 20 ms median over 22 queries in four scripts; story step < 100 ms median and p95 over
every step of the classroom page's first story. Under load: requests/s and p50/p95/p99
latency from wrk at 100 and 500 connections (p95 from wrk's own histogram through a Lua `done` hook, since
`--latency` prints only p50/p75/p90/p99). Prints numbers and OK/OVER; asserts nothing.

nginx runs as the current user from a config written into a temporary folder (`nginx -c ... -p ...`); nothing
outside that folder is touched. Needs /usr/sbin/nginx, /usr/bin/wrk and /usr/bin/chromium (Debian: nginx-light,
wrk, chromium).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, launch_chromium  # noqa: E402
from nkmap.site.build import build_site  # noqa: E402

MB = 1_000_000
SITE_BUDGET = 30 * MB
FIRST_BYTES_BUDGET = 1.5 * MB
PLACE_PAGE = "places/place-shusha-susa.html"

NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/geo+json geojson; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    # As a static host serves a site: compressed text, level 6 (nginx's default level is 1).
    gzip on;
    gzip_comp_level 6;
    gzip_types text/css application/javascript application/json application/geo+json text/plain image/svg+xml;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html;
    }}
    # The same site with each text file compressed once beforehand (`file.gz` beside it), as a host or CDN that
    # caches compressed responses serves it: no compression per request.
    server {{
        listen 127.0.0.1:{port_static};
        root {site};
        index index.html;
        gzip_static on;
    }}
}}
"""
PRECOMPRESSED = (".html", ".css", ".json", ".geojson", ".txt", ".csv", ".md")

# wrk prints p50/p75/p90/p99 with --latency; p95 comes from its histogram through this hook (microseconds).
WRK_LUA = """
wrk.headers["Accept-Encoding"] = "gzip"
done = function(summary, latency, requests)
  io.write(string.format("nk-latency-us %d %d %d\\n", latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
  io.write(string.format("nk-errors %d %d %d %d %d\\n", summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


def verdict(value: float, budget: float) -> str:
    return "OK" if value < budget else "OVER"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """nginx serving `site` on a free loopback port, from a config in `tmp`; stopped by its own pid."""

    def __init__(self, site: Path, tmp: Path):
        self.port, port_static = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.url_static = f"http://127.0.0.1:{port_static}"
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=self.port, port_static=port_static, site=site))
        self.proc = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}")
            try:
                with urllib.request.urlopen(self.url + "/index.html", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer in 10 s")

    def served_bytes(self, path: str) -> int:
        """The bytes nginx sends for `path` to a browser that accepts gzip (the body as transferred)."""
        request = urllib.request.Request(f"{self.url}/{path}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            return len(response.read())

    def settle(self, timeout: float = 60) -> None:
        """Wait until nginx answers a small file at once again: after a run at 500 connections it may still be
        compressing responses that nobody reads any more, which would starve the next run."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                self.served_bytes("site.css")
            except OSError:
                pass
            if time.perf_counter() - started < 0.05:
                return
            time.sleep(0.5)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def site_size(site: Path) -> tuple[int, int]:
    files = [p for p in site.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


# ---------------------------------------------------------------- wrk


def run_wrk(url: str, connections: int, duration: int, lua: Path) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(lua), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50, p95, p99 = (int(v) / 1000 for v in re.search(r"nk-latency-us (\d+) (\d+) (\d+)", out).groups())
    errors = sum(int(v) for v in re.search(r"nk-errors ([\d ]+)", out).group(1).split())
    return {"rps": rps, "p50": p50, "p95": p95, "p99": p99, "errors": errors}


# ---------------------------------------------------------------- the browser timing harness

# In the page before its own scripts: when a trusted input (key, pointer, slider input) arrives, its timestamp is
# kept; `__nkDone(test)` then resolves with the time from that input to the frame painted after `test()` holds
# (a MutationObserver wakes the check; rAF then a 0 ms timeout lands after that frame's paint).
HARNESS_JS = """
(() => {
  window.__nkInput = null;
  for (const type of ["keydown", "pointerdown", "input"]) {
    addEventListener(type, (ev) => { if (ev.isTrusted && window.__nkInput === null) window.__nkInput = ev.timeStamp; },
      true);
  }
  const afterPaint = (resolve, start) =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
  window.__nkDone = (test, since) => new Promise((resolve) => {
    const check = () => {
      if (!test()) return false;
      observer.disconnect();
      afterPaint(resolve, since !== undefined ? since : window.__nkInput);
      return true;
    };
    const observer = new MutationObserver(check);
    if (!check()) observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  });
})();
"""
MAP_DRAWN = "() => document.querySelectorAll('.leaflet-nk-control-pane path[fill]').length > 0"


@dataclass(frozen=True)
class PageTiming:
    """One interaction timed in the browser: `run(page, base_url, args)` returns milliseconds per repetition,
    or None when the site has no such interaction yet (`missing` says why)."""

    name: str
    median_budget_ms: float
    p95_budget_ms: float | None
    run: Callable | None
    missing: str = ""


def time_first_map(new_page, base: str, args) -> list[float]:
    """From navigation start to the first frame painted with the control areas drawn; a fresh profile (no cache)
    each load."""
    times = []
    for _ in range(args.loads):
        page, close = new_page()
        try:
            page.goto(f"{base}/index.html", wait_until="commit")
            times.append(page.evaluate(f"window.__nkDone({MAP_DRAWN}, 0)"))
        finally:
            close()
    return times


def time_date_steps(new_page, base: str, args) -> list[float]:
    """ArrowRight on the slider, one day at a time from the first day of the war, until the date shown and the
    frame painted after it changed."""
    page, close = new_page()
    try:
        page.goto(f"{base}/index.html#2020-09-27")
        page.evaluate(f"window.__nkDone({MAP_DRAWN}, 0)")
        page.locator("#nk-slider").focus()
        times = []
        for _ in range(args.steps):
            before = page.locator("#nk-date").inner_text()
            done = f"() => document.getElementById('nk-date').textContent !== {before!r}"
            # Armed before the key is pressed, so the frame after the change is caught however fast it comes.
            page.evaluate(f"() => {{ window.__nkInput = null; window.__nkPending = window.__nkDone({done}); }}")
            page.keyboard.press("ArrowRight")
            times.append(page.evaluate("window.__nkPending"))
        return times
    finally:
        close()


# What people type into "Find a place": names in Azerbaijani, English, Russian and Armenian, short prefixes,
# capitals, and misspellings that fall through to "did you mean".
SEARCH_QUERIES = [
    "Şuşa", "Shusha", "Шуша", "Շուշի", "Xankəndi", "Stepanakert", "Степанакерт", "Ստեփանակերտ",
    "Ağdam", "Агдам", "fuz", "Физули", "Cəbrayıl", "Ջաբրայիլ", "Hadrut", "Гадрут",
    "kelbecer", "Քարվաճառ", "Stepnakrt", "aghd", "lachn", "QUBADLI",
]  # fmt: skip


def time_place_search(new_page, base: str, args) -> list[float]:
    """A query put into the explorer's search box as one input (as a paste or a phone's keyboard suggestion does),
    until the frame painted with its result list: the in-browser search over every name and spelling, and the
    list drawn."""
    page, close = new_page()
    try:
        page.goto(f"{base}/index.html")
        page.evaluate(f"window.__nkDone({MAP_DRAWN}, 0)")
        box = page.locator("#nk-find-input")
        times = []
        for query in SEARCH_QUERIES:
            box.fill("")  # the list closes
            box.focus()
            done = (
                "() => { const i = document.getElementById('nk-find-input'); return i.value === "
                f"{query!r} && i.getAttribute('aria-expanded') === 'true' && "
                "document.getElementById('nk-find-list').childElementCount > 0; }"
            )
            page.evaluate(f"() => {{ window.__nkInput = null; window.__nkPending = window.__nkDone({done}); }}")
            page.keyboard.insert_text(query)
            times.append(page.evaluate("window.__nkPending"))
        return times
    finally:
        close()


def time_story_steps(new_page, base: str, args) -> list[float]:
    """classroom.html: ArrowRight from the first step of the first story to the last, each until the story map's
    date attribute names the new step's date (the map, its overlay and the panel are drawn in that same handler)
    and the frame after it is painted."""
    page, close = new_page()
    try:
        page.goto(f"{base}/classroom.html")
        page.wait_for_function("document.body.dataset.step === '1'")
        page.evaluate(f"window.__nkDone({MAP_DRAWN}, 0)")
        steps = int(page.locator("#cl-counter").inner_text().rsplit(" ", 1)[1])
        times = []
        for n in range(2, steps + 1):
            done = (
                f"() => document.body.dataset.step === '{n}' && "
                "document.getElementById('cl-map').dataset.day === document.body.dataset.day"
            )
            page.evaluate(f"() => {{ window.__nkInput = null; window.__nkPending = window.__nkDone({done}); }}")
            page.keyboard.press("ArrowRight")
            times.append(page.evaluate("window.__nkPending"))
        return times
    finally:
        close()


TIMINGS = [
    PageTiming("first map drawn (index.html)", 1500, None, time_first_map),
    PageTiming("date step (ArrowRight, war days)", 50, 100, time_date_steps),
    PageTiming("place search (a query, list drawn)", 20, None, time_place_search),
    PageTiming("story step (ArrowRight, classroom)", 100, 100, time_story_steps),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def browser_timings(base: str, args) -> list[str]:
    from playwright.sync_api import sync_playwright

    lines = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        blocked: list[str] = []

        def new_page():
            context = browser.new_context(viewport={"width": 1366, "height": 768})

            def route(r):
                if r.request.url.startswith((base, "data:", "blob:", "about:")):
                    r.continue_()
                else:  # the network is cut off: only the site's own server answers
                    blocked.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            context.add_init_script(HARNESS_JS)
            return context.new_page(), context.close

        for timing in TIMINGS:
            if timing.run is None:
                lines.append(f"  {timing.name:<36} not measured: {timing.missing}")
                continue
            ms = timing.run(new_page, base, args)
            median, p95 = statistics.median(ms), percentile(ms, 95)
            line = f"  {timing.name:<36} median {median:7.1f} ms {verdict(median, timing.median_budget_ms)} (< {timing.median_budget_ms:g})"
            if timing.p95_budget_ms is not None:
                line += f"   p95 {p95:7.1f} ms {verdict(p95, timing.p95_budget_ms)} (< {timing.p95_budget_ms:g})"
            line += f"   max {max(ms):.1f} ms, n={len(ms)}"
            lines.append(line)
        if blocked:
            lines.append(f"  requests blocked (must be none): {len(blocked)}, e.g. {blocked[0]}")
        browser.close()
    return lines


def first_map_requests(base: str) -> list[str]:
    """The paths the browser fetches from the site before the first map is drawn."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context()
        context.add_init_script(HARNESS_JS)
        paths: list[str] = []
        context.on("request", lambda r: paths.append(r.url[len(base) + 1 :]) if r.url.startswith(base + "/") else None)
        page = context.new_page()
        page.goto(f"{base}/index.html", wait_until="commit")
        page.evaluate(f"window.__nkDone({MAP_DRAWN}, 0)")
        seen = list(dict.fromkeys(paths))
        browser.close()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geo", default=str(ROOT / "geo"))
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--loads", type=int, default=5, help="cold loads of index.html timed (default 5)")
    parser.add_argument("--steps", type=int, default=30, help="date steps timed (default 30)")
    parser.add_argument("--skip-wrk", action="store_true", help="no load test (the browser timings only)")
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found (Debian: apt-get install nginx-light wrk)")
    if not Path(CHROMIUM).is_file():
        sys.exit(f"{CHROMIUM} not found (Debian: apt-get install chromium)")

    tmp = Path(tempfile.mkdtemp(prefix="nkmap-bench-site-"))
    os.chmod(tmp, 0o755)  # nginx's workers may run as another user: they must reach the site
    nginx = None
    try:
        site = tmp / "site"
        started = time.perf_counter()
        report = build_site(site, args.geo)
        built_s = time.perf_counter() - started
        total, files = site_size(site)
        index_raw = (site / "index.html").stat().st_size
        print(f"site: built in {built_s:.1f} s: {report.places} place pages, {files} files")
        print(f"  whole site                {total / MB:7.2f} MB  {verdict(total, SITE_BUDGET)} (< 30 MB)")
        for part in ("index.html", "places", "data"):
            path = site / part
            size = path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*"))
            print(f"    {part:<22}  {size / MB:7.2f} MB")

        nginx = Nginx(site, tmp)
        requests = first_map_requests(nginx.url)
        first = sum(nginx.served_bytes(p) for p in requests)
        print(
            f"  bytes before the first map {first / MB:6.2f} MB  {verdict(first, FIRST_BYTES_BUDGET)} (< 1.5 MB), "
            f"as nginx serves them (gzip level 6) for {len(requests)} request(s): {', '.join(requests)}; "
            f"index.html is {index_raw / MB:.2f} MB uncompressed, "
            f"{len(gzip.compress((site / 'index.html').read_bytes(), 6)) / MB:.2f} MB gzipped"
        )
        place_bytes = nginx.served_bytes(PLACE_PAGE)
        print(f"  a place page ({PLACE_PAGE}) served: {place_bytes / 1000:.1f} KB")

        if not args.skip_wrk:
            lua = tmp / "latency.lua"
            lua.write_text(WRK_LUA)
            for path in site.rglob("*"):
                if path.suffix in PRECOMPRESSED:
                    path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), 9, mtime=0))
            print(
                f"\nnginx on loopback under wrk (-t2, {args.duration} s a run, Accept-Encoding: gzip; wrk, nginx and "
                "the machine's other work share its 2 cores):"
            )
            for mode, url in (("gzip per request", nginx.url), ("precompressed", nginx.url_static)):
                for path in ("index.html", PLACE_PAGE):
                    for connections in (100, 500):
                        nginx.settle()
                        r = run_wrk(f"{url}/{path}", connections, args.duration, lua)
                        print(
                            f"  {mode:<16} {path:<34} c={connections:<4} {r['rps']:8.0f} req/s   p50 {r['p50']:7.1f} ms"
                            f"   p95 {r['p95']:7.1f} ms   p99 {r['p99']:7.1f} ms   errors {r['errors']:.0f}"
                        )

        print("\nheadless Chromium, the network cut off, the site served by nginx:")
        for line in browser_timings(nginx.url, args):
            print(line)
    finally:
        if nginx is not None:
            nginx.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
