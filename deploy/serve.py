"""The app for many: N `streamlit run app.py` processes behind HAProxy, started and stopped as one command.

  ./run serve --processes N [--port 8080] [--address 0.0.0.0] [--runtime-dir DIR] [--log-dir DIR]
              [-- STREAMLIT OPTIONS]

1. starts N `streamlit run app.py` processes on free loopback ports, each as `./run app` starts one (the settings of
   .streamlit/config.toml; anything after `--` is passed to every process), and waits until each answers
   /_stcore/health;
2. renders deploy/haproxy.cfg.in for them (session affinity by cookie, health checks, a lesson-long WebSocket
   timeout: the template says why) into a temporary directory, with HAProxy's pid file and stats socket;
3. runs HAProxy in the foreground as the current user (no root) on --address:--port;
4. on Ctrl-C or SIGTERM stops HAProxy, then the processes, and removes the temporary directory.
A process that dies is reported and left out by HAProxy's health check; the sessions on the other processes go on.

Each process's output goes to --log-dir (out/serve/ by default). Run from anywhere; needs HAProxy
(Debian: apt-get install haproxy) and the project's environment (`./run serve` sets it up).
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg.in"
# `haproxy` lives in /usr/sbin on Debian, which is not on an ordinary user's PATH.
HAPROXY_PLACES = ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")
INSTALL_HINT = "install it (Debian/Ubuntu: sudo apt-get install haproxy) or name it with NKMAP_HAPROXY=/path/to/haproxy"
EXIT_MISSING = 3


class ServeError(Exception):
    """A problem the user can fix, said in one message (no traceback), and the exit code it ends with."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class Backend:
    """One `streamlit run app.py` process and the name HAProxy's cookie gives it."""

    name: str
    port: int
    log_path: Path
    proc: subprocess.Popen[bytes]
    reported_exit: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def find_haproxy() -> str | None:
    named = os.environ.get("NKMAP_HAPROXY")
    if named:
        return named if os.access(named, os.X_OK) else None
    found = shutil.which("haproxy")
    if found:
        return found
    return next((p for p in HAPROXY_PLACES if os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def check_port_free(address: str, port: int) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError as e:
            raise ServeError(f"cannot listen on {address}:{port} ({e.strerror}): choose another with --port") from None


def render_config(
    template: str, *, bind_address: str, port: int, backends: Sequence[tuple[str, int]], runtime_dir: Path
) -> str:
    """HAProxy's configuration for these (name, loopback port) processes. The name is the cookie's value."""
    servers = "\n".join(f"    server {name} 127.0.0.1:{backend_port} cookie {name}" for name, backend_port in backends)
    return string.Template(template).substitute(
        bind_address=bind_address,
        port=port,
        servers=servers,
        pidfile=runtime_dir / "haproxy.pid",
        stats_socket=runtime_dir / "haproxy.sock",
    )


def _die_with_parent() -> None:
    """In the child before exec: if serve.py itself is killed (SIGKILL, a closed terminal), the child gets SIGTERM
    instead of living on unsupervised. Linux only (prctl PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def spawn(args: Sequence[str], log: IO[bytes] | None) -> subprocess.Popen[bytes]:
    # A session of its own: Ctrl-C in the terminal reaches serve.py alone, which then stops HAProxy before the
    # processes behind it, rather than everything dying at once in no order.
    return subprocess.Popen(
        list(args),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


def start_backend(name: str, log_dir: Path, streamlit_args: Sequence[str], taken: set[int]) -> Backend:
    port = free_port()
    while port in taken:  # the kernel may hand out a port again once its probe socket is closed
        port = free_port()
    taken.add(port)
    log_path = log_dir / f"{name}.log"
    with open(log_path, "wb") as log:
        proc = spawn(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                # Reachable only through HAProxy.
                "--server.address",
                "127.0.0.1",
                *streamlit_args,
            ],
            log,
        )
    return Backend(name, port, log_path, proc)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def wait_healthy(backends: Sequence[Backend], timeout: float, stopping: threading.Event) -> None:
    waiting = list(backends)
    deadline = time.monotonic() + timeout
    while waiting:
        for b in list(waiting):
            if b.proc.poll() is not None:
                raise ServeError(
                    f"process {b.name} exited with code {b.proc.returncode} while starting:\n{b.log_tail()}"
                )
            if healthy(b.url):
                waiting.remove(b)
        if not waiting or stopping.is_set():
            return
        if time.monotonic() > deadline:
            names = ", ".join(b.name for b in waiting)
            raise ServeError(
                f"{names} did not answer /_stcore/health within {timeout:.0f} s (logs in {waiting[0].log_path.parent})"
            )
        stopping.wait(0.3)


def stop_all(haproxy: subprocess.Popen[bytes] | None, backends: Sequence[Backend]) -> None:
    """HAProxy first (no new request reaches a process being stopped), then the processes."""
    if haproxy is not None:
        # SIGTERM is HAProxy's hard stop: a soft stop would wait for every lesson-long WebSocket to close.
        haproxy.terminate()
        _wait_or_kill(haproxy)
    for b in backends:
        if b.proc.poll() is None:
            b.proc.terminate()
    for b in backends:
        _wait_or_kill(b.proc)


def _wait_or_kill(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def say(message: str) -> None:
    print(f"nkmap serve: {message}", flush=True)


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    argv = list(argv)
    streamlit_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, streamlit_args = argv[:cut], argv[cut + 1 :]
    head, _, rest = (__doc__ or "").partition("\n\n")
    ap = argparse.ArgumentParser(
        prog="./run serve", description=head, epilog=rest, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--processes", "-n", type=int, required=True, help="how many streamlit processes (1-64)")
    ap.add_argument("--port", type=int, default=8080, help="the port HAProxy listens on (default 8080)")
    ap.add_argument(
        "--address", default="0.0.0.0", help="the IPv4 address HAProxy listens on (default: every interface)"
    )
    ap.add_argument(
        "--runtime-dir",
        type=Path,
        help="where HAProxy's config, pid file and stats socket go "
        "(default: a new temporary directory, removed at exit)",
    )
    ap.add_argument(
        "--log-dir", type=Path, default=ROOT / "out" / "serve", help="each process's output (default out/serve/)"
    )
    ap.add_argument("--start-timeout", type=float, default=120, help="seconds to wait for the processes' health")
    args = ap.parse_args(argv)
    if not 1 <= args.processes <= 64:
        ap.error("--processes must be between 1 and 64")
    if not 1 <= args.port <= 65535:
        ap.error("--port must be between 1 and 65535")
    return args, streamlit_args


def serve(args: argparse.Namespace, streamlit_args: Sequence[str], stopping: threading.Event) -> int:
    haproxy_bin = find_haproxy()
    if haproxy_bin is None:
        raise ServeError(f"HAProxy not found: {INSTALL_HINT}", EXIT_MISSING)
    check_port_free(args.address, args.port)
    args.log_dir.mkdir(parents=True, exist_ok=True)
    own_runtime_dir = args.runtime_dir is None
    runtime_dir = Path(tempfile.mkdtemp(prefix="nkmap-serve-")) if own_runtime_dir else args.runtime_dir
    runtime_dir.mkdir(parents=True, exist_ok=True)
    backends: list[Backend] = []
    haproxy: subprocess.Popen[bytes] | None = None
    try:
        say(f"starting {args.processes} streamlit process(es) (logs in {args.log_dir}) ...")
        taken = {args.port}
        for i in range(1, args.processes + 1):
            backends.append(start_backend(f"s{i}", args.log_dir, streamlit_args, taken))
        wait_healthy(backends, args.start_timeout, stopping)
        if stopping.is_set():
            return 0
        config = runtime_dir / "haproxy.cfg"
        config.write_text(
            render_config(
                TEMPLATE.read_text(encoding="utf-8"),
                bind_address=args.address,
                port=args.port,
                backends=[(b.name, b.port) for b in backends],
                runtime_dir=runtime_dir,
            ),
            encoding="utf-8",
        )
        check = subprocess.run([haproxy_bin, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
        if check.returncode != 0:
            raise ServeError(f"HAProxy refused {config}:\n{check.stdout}{check.stderr}")
        # -db: stay in the foreground; its log (errors, processes going down or up) goes to this terminal.
        haproxy = spawn([haproxy_bin, "-db", "-f", str(config)], None)
        for b in backends:
            say(f"{b.name}: pid {b.proc.pid}, {b.url} (log {b.log_path})")
        say(
            f"HAProxy pid {haproxy.pid}; stats socket {runtime_dir / 'haproxy.sock'} (e.g. echo 'show stat' | socat - UNIX:that)"
        )
        host = "localhost" if args.address in ("0.0.0.0", "127.0.0.1") else args.address
        say(f"serving at http://{host}:{args.port}/ with {len(backends)} process(es); Ctrl-C stops them all")
        return watch(haproxy, backends, stopping)
    finally:
        if stopping.is_set():
            say("stopping HAProxy and the processes ...")
        stop_all(haproxy, backends)
        if own_runtime_dir:
            shutil.rmtree(runtime_dir, ignore_errors=True)


def watch(haproxy: subprocess.Popen[bytes], backends: Sequence[Backend], stopping: threading.Event) -> int:
    """Until Ctrl-C/SIGTERM: report a process that dies (HAProxy takes it out; its visitors move to the others)."""
    while not stopping.wait(0.5):
        if haproxy.poll() is not None:
            say(f"HAProxy exited with code {haproxy.returncode}; stopping the processes")
            return 1
        for b in backends:
            if b.proc.poll() is not None and not b.reported_exit:
                b.reported_exit = True
                live = sum(1 for other in backends if other.proc.poll() is None)
                say(
                    f"{b.name} (pid {b.proc.pid}) exited with code {b.proc.returncode}: its sessions are lost, "
                    f"new visitors go to the {live} live process(es); log {b.log_path}"
                )
        if all(b.proc.poll() is not None for b in backends):
            say("every streamlit process has exited; stopping HAProxy")
            return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args, streamlit_args = parse_args(sys.argv[1:] if argv is None else argv)
    stopping = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if importlib.util.find_spec("streamlit") is None:
        print("nkmap serve: streamlit is not installed in this Python: start it with ./run serve", file=sys.stderr)
        return EXIT_MISSING
    try:
        return serve(args, streamlit_args, stopping)
    except ServeError as e:
        print(f"nkmap serve: {e}", file=sys.stderr)
        return e.code


if __name__ == "__main__":
    sys.exit(main())
