"""A clean first run: the app starts without asking the internet anything (no external-IP lookup)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT, free_port


def test_a_headless_start_looks_up_no_external_ip(tmp_path):
    """Streamlit, started headless with no server address (as `./run app` does on a machine with no display),
    asks checkip.amazonaws.com for the machine's external IP unless `browser.serverAddress` is set; offline that
    prints "Did not auto detect external IP", online an "External URL". Neither may appear."""
    port = free_port()
    log = tmp_path / "streamlit.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                        break
                except OSError:
                    assert proc.poll() is None, log.read_text()
                    time.sleep(0.2)
            time.sleep(2.5)  # the lookup would have timed out (1 s per URL) and been logged by now
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    text = log.read_text()
    assert f"http://localhost:{port}" in text, text
    assert "External URL" not in text and "external IP" not in text, text


def run_script(snippet: str, env: dict[str, str], uname: str = "Linux") -> subprocess.CompletedProcess:
    """`snippet` in bash after sourcing ./run (which then only defines its functions), with exactly `env` and a
    `uname` that answers `uname`."""
    fake_uname = f"uname() {{ echo {uname}; }}; "
    return subprocess.run(
        ["bash", "-c", f"{fake_uname}set -euo pipefail; source ./run; {snippet}"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_run_script_parses():
    assert subprocess.run(["bash", "-n", str(ROOT / "run")], capture_output=True).returncode == 0


@pytest.mark.parametrize(
    ("env", "uname", "headless"),
    [
        ({}, "Linux", "true"),  # a server or a container: no screen
        ({"DISPLAY": ":0"}, "Linux", "false"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "Linux", "false"),
        ({"DISPLAY": ""}, "Linux", "true"),  # set but empty is no display
        ({}, "Darwin", "false"),  # macOS has a screen without $DISPLAY
    ],
)
def test_run_app_opens_a_browser_only_where_there_is_a_display(env, uname, headless):
    result = run_script("app_headless", env, uname)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == headless
    if headless == "true":
        assert "http://localhost:8501" in result.stderr and "no browser" in result.stderr
    else:
        assert result.stderr == ""


def test_run_app_says_the_port_it_was_given():
    result = run_script("app_headless --server.port 8600", {})
    assert result.stdout.strip() == "true" and "http://localhost:8600" in result.stderr
    result = run_script("app_headless --server.port=8601 --server.runOnSave true", {})
    assert "http://localhost:8601" in result.stderr


def test_sourcing_the_run_script_starts_nothing():
    result = run_script("echo sourced", {})
    assert result.returncode == 0 and result.stdout == "sourced\n", result.stderr
