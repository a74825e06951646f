"""A stand-in maker whose module holds each worker process that imports it while the file named by
NKMAP_TEST_CRASH_ONCE exists: the worker marks its arrival (that file + '.<pid>'), waits for the file + '.go',
then ends as the OOM killer might end it. So a test breaks an export pool as its workers start, before any task
of theirs has started; workers that start once the file is gone work.

The test imports this module (to pickle `make`) before it creates the file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from export_job_makers import quick

_flag = os.environ.get("NKMAP_TEST_CRASH_ONCE")
if _flag and Path(_flag).exists():
    Path(f"{_flag}.{os.getpid()}").touch()
    deadline = time.monotonic() + 120
    while not Path(f"{_flag}.go").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    os._exit(3)


def make(ds, request, progress):
    return quick(ds, request, progress)
