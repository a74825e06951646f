"""Shared fixtures. The browser ones start the real app (`streamlit run app.py`) on a free port and drive the
system Chromium through Playwright with every request that is not to the app's own server aborted, so a test
proves the page works with no internet.

Browser tests skip (saying why) only when /usr/bin/chromium is missing and NKMAP_REQUIRE_BROWSER is unset;
CI sets it, so there a missing browser fails the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "out" / "screenshots"


def require_browser() -> None:
    """Skip (or, when CI asks for the browser, fail) if there is no Chromium to drive."""
    if Path(CHROMIUM).is_file():
        return
    message = f"{CHROMIUM} not found; install it (Debian: apt-get install chromium) to run the browser tests"
    if os.environ.get("NKMAP_REQUIRE_BROWSER"):
        pytest.fail(message + " (NKMAP_REQUIRE_BROWSER is set: CI must run them)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`streamlit run app.py` on a free localhost port, with its log kept for failure messages."""

    def __init__(self, geo_dir: Path | None = None, log_path: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or ROOT / "out" / f"streamlit-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        if geo_dir is not None:
            env["NKMAP_GEO"] = str(geo_dir)
        self._log = open(self.log_path, "w")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not come up in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_idle(page, settle_ms: int = 700) -> None:
    """Until no script run is going on and none starts within `settle_ms`: the map reports its view 250 ms after it
    moves, which reruns the map's fragment (and a newer run replaces the download buttons)."""
    for _ in range(20):
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(timeout=60_000)
        page.wait_for_timeout(settle_ms)
        if page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count():
            return


def block_outside(context, server_url: str, blocked: list[str]) -> None:
    """Abort every request that does not go to the app's server (data: and blob: URLs stay local)."""
    allowed = (server_url, server_url.replace("http://", "ws://"), "http://localhost:", "data:", "blob:", "about:")

    def handle(route):
        url = route.request.url
        if url.startswith(allowed):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)


@pytest.fixture(scope="session")
def app_server():
    require_browser()
    server = AppServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        yield browser
        browser.close()


@pytest.fixture
def offline_page(chromium, app_server):
    """A fresh 1366x768 page (a common projector resolution) that can reach only the app's server;
    `page.blocked` lists what it tried to fetch from outside."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    blocked: list[str] = []
    block_outside(context, app_server.url, blocked)
    page = context.new_page()
    page.blocked = blocked
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


def run_page(path: str, timeout: float = 90, **query):
    """Run a Streamlit page once under AppTest with these URL parameters; fail on any exception it raised."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(path, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at
