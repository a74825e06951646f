"""The app on several processes behind HAProxy (deploy/): `deploy/serve.py --processes 2` started as `./run serve`
starts it, and two pupils' browsers (headless Chromium, every request outside the balancer aborted) use it.

What a teacher relies on: each browser sticks to one process for its page, its WebSocket and its downloads (a
download made by another process would be a 404), two browsers are spread over the two processes, and when one
process dies the other browser's session goes on (it steps the date and downloads again) while a new visitor is
served by the live process. Stopping the command (SIGTERM) stops every process it started.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import block_outside, free_port, require_browser, wait_idle
from nkmap.data.dataset import load_dataset

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "deploy" / "serve.py"
FRAME = "iframe[title='streamlit_folium.st_folium']"
COOKIE = "NKMAP_PROCESS"


def load_serve_module():
    spec = importlib.util.spec_from_file_location("nkmap_deploy_serve", SERVE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


serve = load_serve_module()


def require_haproxy() -> str:
    found = serve.find_haproxy()
    if found:
        return found
    message = "haproxy not found; install it (Debian: apt-get install haproxy) to run the balancer tests"
    if os.environ.get("NKMAP_REQUIRE_BROWSER"):
        pytest.fail(message + " (NKMAP_REQUIRE_BROWSER is set: CI must run them)")
    pytest.skip(message)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child of ours that exited but was not reaped yet is a zombie: not running.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


class Balancer:
    """`deploy/serve.py` on a free port with its runtime directory (HAProxy's stats socket) known to the test."""

    def __init__(self, tmp: Path, processes: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.runtime_dir = tmp / "run"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(SERVE),
                "--processes",
                str(processes),
                "--port",
                str(self.port),
                "--address",
                "127.0.0.1",
                "--runtime-dir",
                str(self.runtime_dir),
                "--log-dir",
                str(tmp / "logs"),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.pids = self._wait_ready()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def _wait_ready(self, timeout: float = 240) -> dict[str, int]:
        deadline = time.monotonic() + timeout
        while not any("serving at" in line for line in self.lines):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the balancer did not start:\n{self.output()}")
            time.sleep(0.2)
        pids = {}
        for line in self.lines:
            m = re.search(r"serve: (s\d+): pid (\d+), ", line)
            if m:
                pids[m.group(1)] = int(m.group(2))
        pids["haproxy"] = int(re.search(r"HAProxy pid (\d+)", self.output()).group(1))
        return pids

    def stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's `show stat` for the streamlit backend's servers, by server name."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.runtime_dir / "haproxy.sock"))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        header, *rows = data.decode().strip().splitlines()
        names = header.lstrip("# ").split(",")
        table = [dict(zip(names, row.split(","))) for row in rows]
        return {r["svname"]: r for r in table if r["pxname"] == "streamlit" and r["svname"] != "BACKEND"}

    def wait_stats(self, check, timeout: float = 30) -> dict[str, dict[str, str]]:
        deadline = time.monotonic() + timeout
        while True:
            stats = self.stats()
            if check(stats) or time.monotonic() > deadline:
                return stats
            time.sleep(0.3)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


@pytest.fixture(scope="module")
def balancer(tmp_path_factory):
    require_browser()
    require_haproxy()
    b = Balancer(tmp_path_factory.mktemp("balancer"), processes=2)
    yield b
    b.stop()


def new_session(chromium, balancer: Balancer, day: dt.date):
    """A pupil's browser (its own cookies) with the page open on `day` and the map drawn."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    blocked: list[str] = []
    block_outside(context, balancer.url, blocked)
    page = context.new_page()
    page.blocked = blocked
    page.goto(f"{balancer.url}/?date={day.isoformat()}")
    wait_map_date(page, day)
    return context, page


def wait_map_date(page, day: dt.date, timeout: float = 60_000) -> None:
    page.frame_locator(FRAME).locator(f"#map_div[data-nkmap-date='{day.isoformat()}']").wait_for(
        state="attached", timeout=timeout
    )


def process_of(context) -> str:
    (value,) = [c["value"] for c in context.cookies() if c["name"] == COOKIE]
    return value


def download_geojson(page, day: dt.date) -> dict:
    """Click the page's GeoJSON download as a user does and return the file's JSON."""
    wait_idle(page)
    summary = page.locator(".st-key-downloads_open summary:visible")
    ask = page.locator(".st-key-ask_geojson button:visible")
    if not ask.count():
        summary.click()
    ask.wait_for(timeout=20_000)
    wait_idle(page)
    ask.click()  # the export queue makes the file in a worker; its save button comes when it is ready
    button = page.locator(".st-key-dl_geojson button:visible")
    button.wait_for(timeout=60_000)
    wait_idle(page)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == f"nkmap-{day.isoformat()}.geojson"
    return json.loads(Path(download.path()).read_text(encoding="utf-8"))


def test_rendered_config_is_accepted_by_haproxy_and_names_each_process(tmp_path):
    haproxy = require_haproxy()
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        serve.render_config(
            serve.TEMPLATE.read_text(encoding="utf-8"),
            bind_address="127.0.0.1",
            port=free_port(),
            backends=[("s1", 40001), ("s2", 40002), ("s3", 40003)],
            runtime_dir=tmp_path,
        )
    )
    check = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    servers = re.findall(r"^\s*server (\S+) (\S+) cookie (\S+)", config.read_text(), flags=re.M)
    assert servers == [
        ("s1", "127.0.0.1:40001", "s1"),
        ("s2", "127.0.0.1:40002", "s2"),
        ("s3", "127.0.0.1:40003", "s3"),
    ]


def test_a_missing_haproxy_is_named_with_how_to_install_it(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SERVE), "--processes", "2", "--port", str(free_port()), "--log-dir", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "NKMAP_HAPROXY": str(tmp_path / "no-haproxy-here")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert "apt-get install haproxy" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.log")), "no streamlit process should start without HAProxy"


@pytest.mark.browser
def test_sessions_stick_to_their_process_and_survive_the_other_dying(chromium, balancer):
    day = load_dataset().default_date
    next_day = day + dt.timedelta(days=1)

    # Two pupils open the map: each browser is given a process by cookie, and they are spread over both.
    context_a, page_a = new_session(chromium, balancer, day)
    context_b, page_b = new_session(chromium, balancer, day)
    a, b = process_of(context_a), process_of(context_b)
    assert {a, b} == {"s1", "s2"}, (a, b)
    # Each process holds its session's WebSocket (a tunnel through HAProxy).
    stats = balancer.wait_stats(lambda s: all(int(s[n]["scur"]) >= 1 for n in ("s1", "s2")))
    assert all(int(stats[n]["scur"]) >= 1 for n in ("s1", "s2")), stats

    # Each downloads a file: the button's file lives in the process that made it, and the download reaches it.
    for page in (page_a, page_b):
        data = download_geojson(page, day)
        assert data["type"] == "FeatureCollection" and data["date"] == day.isoformat()

    # B's process dies (a crash: SIGKILL, no goodbye).
    os.kill(balancer.pids[b], signal.SIGKILL)
    stats = balancer.wait_stats(lambda s: s[b]["status"].startswith("DOWN"))
    assert stats[b]["status"].startswith("DOWN") and stats[a]["status"].startswith("UP"), stats

    # A's session goes on in its process: it steps the date and downloads the new day.
    wait_idle(page_a)  # the download panel's last rerun is over: the click is not taken by a rerun in flight
    page_a.locator(".st-key-fwd button:visible").click()
    wait_map_date(page_a, next_day)
    assert download_geojson(page_a, next_day)["date"] == next_day.isoformat()
    assert process_of(context_a) == a

    # B's page reconnects by itself: HAProxy sends it to the live process with a new cookie, where a new session
    # starts from the address (the date) and steps like any other. (What B had made in its old process is gone.)
    deadline = time.monotonic() + 60
    while process_of(context_b) != a and time.monotonic() < deadline:
        page_b.wait_for_timeout(500)
    assert process_of(context_b) == a
    wait_map_date(page_b, day)
    # Known limit (docs/notes): the reconnected page's first click can be lost since the download panel became a
    # fragment (Streamlit logs "The fragment with id ... does not exist anymore"); a reload starts it clean.
    page_b.reload()
    wait_map_date(page_b, day)
    wait_idle(page_b)
    page_b.locator(".st-key-fwd button:visible").click()
    wait_map_date(page_b, next_day)
    assert process_of(context_b) == a

    # A new visitor is served by the live process.
    context_c, page_c = new_session(chromium, balancer, day)
    assert process_of(context_c) == a

    for context, page in ((context_a, page_a), (context_b, page_b), (context_c, page_c)):
        assert page.blocked == [] or all("tile.openstreetmap.org" in u for u in page.blocked), page.blocked
        context.close()
    assert f"{b} (pid {balancer.pids[b]}) exited" in balancer.output()

    # Stopping the command stops HAProxy and the live process with it.
    assert balancer.stop() == 0, balancer.output()
    assert not [name for name, pid in balancer.pids.items() if alive(pid)], balancer.output()
