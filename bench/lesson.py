"""What bench_export_load.py and bench_soak.py share: the app served on a free port, a class of sessions stepping
the date (the load tool, whose path is given: the project never imports ../shared), pupils asking for exports in
headless Chromium (the real path: button, queue, workers, save button), and the RSS of the server's process tree.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
WAR_DATES = "2020-09-27,2020-10-04,2020-10-11,2020-10-18,2020-10-25,2020-11-01,2020-11-08,2020-11-10"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """`streamlit run app.py` (the real dataset) on a free loopback port; `env`: more environment variables;
    `root`: another checkout to serve (its `src/` first on the path), this one by default."""

    def __init__(self, env: dict[str, str] | None = None, root: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(tempfile.gettempdir()) / f"nkmap-bench-{self.port}.log", "w")
        if root is not None:
            env = {**(env or {}), "PYTHONPATH": str(root / "src")}
        root = root or ROOT
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=root, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"the app did not start; see {self.log.name}") from None
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def tree_rss_mib(pid: int) -> float:
    """RSS of `pid` and all its descendants (the export workers and their forkserver), from /proc."""
    return sum(rss for _, rss in tree_processes(pid).values())


def tree_processes(pid: int) -> dict[int, tuple[str, float]]:
    """pid -> (what it runs, RSS in MiB) for `pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = {}, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            status = Path(f"/proc/{p}/status").read_text().splitlines()
            command = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        rss = sum(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
        found[p] = (command.strip()[-70:], rss)
    return found


def load_steps(tool: str, url: str, sessions: int, steps: int, out: Path, duration_s: float = 600) -> subprocess.Popen:
    """Start the load tool: `sessions` sessions each moving the date slider `steps` times through the war."""
    return subprocess.Popen(
        [sys.executable, tool, "--url", url, "--sessions", str(sessions), "--steps", str(steps),
         "--widget-label", "Date", "--values", WAR_DATES, "--think-min-s", "0.5", "--think-max-s", "1.5",
         "--ramp-s", "5", "--duration-s", str(duration_s), "--step-timeout-s", "60", "--json", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip


def step_latencies(out: Path) -> list[float]:
    return list(json.loads(out.read_text())["latency_s"]["all"])


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if ordered else float("nan")


class BrowsersAside:
    """While open, every thread of every Chromium process on this machine runs at nice 19 (looked at every 0.3 s,
    as Chromium starts threads and sets their priorities itself, so `nice chromium` does not hold).

    In a class each pupil's browser runs on the pupil's own device; here the pupils' headless tabs share the
    server's two cores, and while a file is made they take ~0.5 core redrawing the page on each progress poll,
    which the server would not have to share. At nice 19 they use only what the server and the workers leave.
    The load tool's sessions (the other pupils) stay at the server's priority: they are light (~0.05 core).

    Playwright starts Chromium in a session of its own, and with Linux's autogroup scheduling (on here,
    /proc/sys/kernel/sched_autogroup_enabled) the CPU is shared between sessions before a thread's nice counts:
    renicing the threads alone left the tabs an equal share against the server's whole session. So the session's
    nice is set to 19 too (/proc/PID/autogroup)."""

    def __init__(self, interval_s: float = 0.3) -> None:
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="browsers-aside", daemon=True)

    def __enter__(self) -> BrowsersAside:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        if b"chromium" not in f.read(256):
                            continue
                    _set_session_nice(pid)
                    for tid in os.listdir(f"/proc/{pid}/task"):
                        if os.getpriority(os.PRIO_PROCESS, int(tid)) < 19:
                            os.setpriority(os.PRIO_PROCESS, int(tid), 19)
                except OSError:  # gone meanwhile, or not ours
                    continue
            self._stop.wait(self.interval_s)


def _set_session_nice(pid: str) -> None:
    """Chromium's autogroup (its session's share of the CPU) to nice 19; absent without autogroup scheduling."""
    try:
        with open(f"/proc/{pid}/autogroup") as f:
            nice = int(f.read().split()[-1])
        if nice < 19:
            with open(f"/proc/{pid}/autogroup", "w") as f:
                f.write("19")
    except (OSError, ValueError):  # no autogroup here, or not ours
        pass


class Pupil:
    """One browser tab on the page, asking for exports as a pupil would (headless Chromium, loopback only)."""

    def __init__(self, browser, url: str, lang: str = "en") -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 900})
        self.context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
        self.page = self.context.new_page()
        self.page.goto(f"{url}/?date=2020-11-10")
        self.page.locator(".st-key-downloads_open summary").wait_for(timeout=120_000)
        # Under load the click may land while the page redraws the panel, which then stays folded: click again.
        deadline = time.monotonic() + 180
        # (the animation's row shows its ask button, or its save button when the same file was made before)
        row = self.page.locator(".st-key-ask_animation button, .st-key-dl_animation button")
        while not row.first.is_visible():
            if time.monotonic() > deadline:
                raise TimeoutError("the downloads panel did not open")
            if not self.page.locator(".st-key-downloads_open details[open]").count():
                try:
                    self.page.locator(".st-key-downloads_open summary").click(timeout=10_000)
                except Exception:  # the panel was being redrawn: look again
                    pass
            self.page.wait_for_timeout(2000)
        if lang != "en":  # another language: another file, so the queue does not share one job between pupils
            labels = {"az": "Azərbaycan", "hy": "Հայերեն"}
            self.page.locator(".st-key-dl_lang button", has_text=labels[lang]).click()
            self.page.wait_for_timeout(1500)
        self.asked_at = 0.0

    def ask(self, key: str = "animation") -> None:
        self.asked_at = time.monotonic()
        self.page.locator(f".st-key-ask_{key} button").click()

    def wait_ready(self, key: str = "animation", timeout_s: float = 900) -> float:
        """Seconds from the click to the save button. A click that landed while the panel was redrawn is lost
        (the ask button is still there, the row shows no queue or progress): it is clicked again after 30 s."""
        deadline = time.monotonic() + timeout_s
        clicked = time.monotonic()
        save = self.page.locator(f".st-key-dl_{key} button")
        while not save.count():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {key} file after {timeout_s:.0f} s")
            if time.monotonic() - clicked > 30 and self.page.locator(f".st-key-ask_{key} button").count():
                try:
                    self.page.locator(f".st-key-ask_{key} button").click(timeout=10_000)
                except Exception:  # redrawn again: look again
                    pass
                clicked = time.monotonic()
            self.page.wait_for_timeout(1000)
        return time.monotonic() - self.asked_at

    def close(self) -> None:
        self.context.close()


def wait_all_ready(pupils: list[Pupil], key: str = "animation", timeout_s: float = 900) -> list[tuple[float, float]]:
    """For each pupil: (seconds from the click to the save button, of which waiting in the queue), polling the
    tabs in turn; the wait ends when the tab first shows its file being drawn (to the page's poll, ~0.7 s)."""
    done: dict[int, float] = {}
    started: dict[int, float] = {}
    deadline = time.monotonic() + timeout_s
    while len(done) < len(pupils):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(pupils) - len(done)} files not ready after {timeout_s:.0f} s")
        for i, pupil in enumerate(pupils):
            if i in done:
                continue
            now = time.monotonic()
            if pupil.page.locator(f".st-key-dl_{key} button").count():
                done[i] = now - pupil.asked_at
                started.setdefault(i, now)
            elif pupil.page.get_by_text("ask again").count():
                raise RuntimeError(f"a file could not be made: see the server's log ({pupil.page.url})")
            elif i not in started and pupil.page.get_by_text("drawing frame").count():
                started[i] = now
        pupils[0].page.wait_for_timeout(200)
    return [(done[i], started[i] - pupils[i].asked_at) for i in range(len(pupils))]
