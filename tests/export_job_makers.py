"""Stand-ins for `nkmap.export.export_jobs.make_file`, run in real export worker processes by the queue's tests.

They must live in an importable module (not a test file's closure): the workers unpickle them by name. A gated
maker waits until the file named by the request's first layer exists, so a test decides when a job may end.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from nkmap.export.export_files import ExportError

GATE_TIMEOUT_S = 120


def quick(ds, request, progress):
    return f"file of {request.fmt} {request.days[0].isoformat()} {request.days[-1].isoformat()}".encode()


def gated(ds, request, progress):
    """Reports frame 1 of len(days) (an animation's progress), then waits for the gate file, then reports the rest."""
    total = len(request.days)
    progress(1, total)
    gate = Path(request.layers[0])
    deadline = time.monotonic() + GATE_TIMEOUT_S
    while not gate.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    for done in range(2, total + 1):
        progress(done, total)
    return quick(ds, request, progress)


def refuses(ds, request, progress):
    raise ExportError("the range 2020-10-05 to 2020-10-02 has no days (the end is before the start)")


def gated_refuses(ds, request, progress):
    """Waits for the gate file like `gated`, then refuses: a job that fails while others wait for it."""
    gated(ds, request, progress)
    refuses(ds, request, progress)


def breaks(ds, request, progress):
    raise ValueError("an internal detail the user must not see")


def crashes(ds, request, progress):
    os._exit(3)  # the worker process dies as a segfault or the OOM killer would end it


def crashes_on_gif(ds, request, progress):
    if request.fmt == "gif":
        os._exit(3)
    return quick(ds, request, progress)


def priority(ds, request, progress):
    return str(os.nice(0)).encode()


def scheduler(ds, request, progress):
    return f"{os.nice(0)} {os.sched_getscheduler(0) == os.SCHED_IDLE}".encode()


def pid(ds, request, progress):
    """The worker that made the file: its process id."""
    return str(os.getpid()).encode()
