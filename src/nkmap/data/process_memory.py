"""What a process of nkmap's own (the `nkmap` program, an export worker) leaves out to stay small.

Imports nothing heavy: it must run before pandas is first imported.
"""

from __future__ import annotations

import functools
import sys
from typing import Any


def without_pyarrow() -> None:
    """Keep pyarrow out of this process (no effect once pandas is imported). pandas imports it whenever it is
    installed (Streamlit needs it) and it costs ~50 MB of RSS, a fifth of a PNG export's peak (measured with
    /usr/bin/time -v); nkmap reads and writes nothing through it, and pandas goes on without it.
    Not for the Streamlit process, which uses it."""
    if "pandas" not in sys.modules:
        sys.modules.setdefault("pyarrow", None)  # type: ignore[arg-type]  # `import pyarrow` then fails


def release_freed_memory(collect: bool = True) -> None:
    """Hand the memory freed so far back to the system: a garbage collection, then glibc's `malloc_trim(0)`.
    glibc keeps freed blocks in its heap for reuse, so a process's RSS stays at its high-water mark after a load
    or an export; trimming returns the free pages (measured: ~8 MB after the dataset's load). `collect=False`
    skips the garbage collection (the server: a full collection of its many objects would stall the pages).
    A no-op where the C library is not glibc."""
    import gc

    if collect:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    """glibc's `malloc_trim`, or None. Opened by its soname: `ctypes.util.find_library` runs `ldconfig -p` in a
    child process, a copy of the server for a moment (it showed in bench_soak.py's process tree)."""
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl, macOS, Windows: no malloc_trim
        return None
