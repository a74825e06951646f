"""What a process of nkmap's own (the `nkmap` program, an export worker) leaves out to stay small.

Imports nothing heavy: it must run before pandas is first imported.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
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


def forget_dead_views(objects: Iterable[Any]) -> int:
    """Have pandas drop the dead view records of the long-lived frames among `objects` (others are skipped);
    returns how many were dropped.

    Under copy-on-write every view taken of a frame (a column read, a selection) leaves a weak reference on the
    frame's blocks, and pandas prunes the dead ones only once 500 have piled up on a block. The dataset's layers
    and the memos' frames live as long as the server and are read on every step, so a lesson left tens of
    thousands of dead records behind (bench_soak.py: ~67,000, ~6 MB, after 30 sessions' steps), and a longer one
    could leave 500 on each of its ~1,600 blocks. pandas prunes in its own code, as it does: its prune threshold
    (`BlockValuesRefs.clear_counter`, public) is set to 0 for one view of the blocks and of each axis, then put
    back. Nothing else of pandas is written, so this is safe while pages run; a pandas without the counter is
    left alone (`tests/test_process_memory.py` checks the installed one has it).
    """
    dropped = 0
    for frame in objects:
        manager = getattr(frame, "_mgr", None)
        if manager is None:  # not a pandas object
            continue
        # (records, what takes a view of them): the blocks' by a shallow copy, each axis index's by a view of it
        holders: list[tuple[list[Any], Any]] = [
            ([getattr(block, "refs", None) for block in manager.blocks], lambda f=frame: f.copy(deep=False))
        ]
        for index in (frame.index, getattr(frame, "columns", None)):
            if index is not None:
                holders.append(([getattr(index, "_references", None)], index.view))
        for found, take_view in holders:
            records: list[Any] = [r for r in found if hasattr(r, "clear_counter") and hasattr(r, "referenced_blocks")]
            if not records:
                continue
            before = sum(len(r.referenced_blocks) for r in records)
            for refs in records:
                refs.clear_counter = 0
            take_view()  # pandas records the new view, pruning the dead records first
            for refs in records:
                refs.clear_counter = PANDAS_PRUNE_AFTER
            dropped += before - sum(len(r.referenced_blocks) for r in records)
    return dropped


#: pandas' own threshold (dead view records a block keeps before pruning), put back after `forget_dead_views`.
PANDAS_PRUNE_AFTER = 500
