"""A clean first run: the app starts without asking the internet anything (no external-IP lookup)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

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
