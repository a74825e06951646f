"""Export files made in worker processes, off the page's thread: one bounded queue shared by every session.

The page asks for a file (`ExportQueue.submit`) and reads the job's state on its next runs (`ExportQueue.job`):
queued (with its place), making (frames done, for animations), ready (the bytes) or failed (a calm message).
A job is the file of one `ExportRequest` = (format, dates, options, layers): the same request from any session is
the same job, made once, so a file is a stable artefact of what the page shows.

Why processes: a GIF drawn inside the Streamlit process took 88 s instead of 13 s with 30 pupils stepping, and
their steps slowed by a quarter (issue 13): drawing holds the GIL and the CPU. Workers are started with
`spawn`, so they inherit neither the server's memory nor its threads, run at
low priority (`os.nice`) so the pupils' steps win the CPU, load the dataset once each, and exit after
`idle_exit_s` without work so the memory of a lesson's exports goes back to the system.

This module imports nothing heavy at the top: the page imports it, and matplotlib would add ~0.3 s to its start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import logging
import multiprocessing
import multiprocessing.resource_tracker
import multiprocessing.synchronize
import os
import shutil
import sys
import tempfile
import threading
import time
import types
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from nkmap.data.process_memory import release_freed_memory
from nkmap.export.export_files import ExportError
from nkmap.export.export_options import MapOptions
from nkmap.export.export_worker import (
    IDLE_NICENESS,
    Maker,
    draw_part_in_worker,
    join_in_worker,
    make_file,
    make_in_worker,
    start_worker,
    warm_in_worker,
)

__all__ = ["ExportQueue", "ExportRequest", "Job", "QueueFull", "make_file", "next_task", "queue_settings"]
from nkmap.export.formats import ANIMATION_FORMATS, EXPORT_FORMATS

LOG = logging.getLogger(__name__)

# Bounds (issue 13), chosen for the 2-core classroom server:
#: Jobs waiting or being made, for the whole server. A GIF of the war (87 frames) takes ~9-12 s alone on the
#: 2-core machine; eight jobs are at most about a minute of waiting. Longer than that the page
#: says the queue is full rather than let a pupil stare at a place in a queue that barely moves.
MAX_JOBS = 8
#: Jobs one session may have waiting or being made: a snapshot and an animation at once, so one pupil cannot
#: fill the class's queue.
MAX_JOBS_PER_SESSION = 2
#: Finished files kept (so a second click, another pupil's same request, or a rerun gets the same file):
#: at most this many, this many bytes in all, and for this long. Two minutes cover pupils asking for the same
#: map during one step of a lesson; later, the file is made again (a PNG in about a second), and the server's
#: memory is back near its start two minutes after the last export (bench/bench_soak.py).
KEEP_FILES = 24
KEEP_BYTES = 64 * 1024 * 1024
KEEP_SECONDS = 2 * 60
#: Animations drawn in parts (NKMAP_EXPORT_FRAMES_PER_PART=8: parts of 8 frames, ~1 s each here), which free
#: workers take oldest animation first; one of them then joins the frames into the file (GIF: ~0.2 s). One animation
#: alone is then drawn by every worker, and a snapshot asked meanwhile waits for one part, not a whole animation.
#: Off by default (each animation drawn whole by one worker): on the 2-core server an animation alone took 6-7.5 s
#: in parts instead of 8.2-11 s whole, but with a class stepping, three at once ended no sooner (the last after
#: 17.7-25.0 s, whole 15.8-23.7 s) and their mean was no better, since each worker lays out every animation's map
#: and the parts' frames go through files (bench/bench_export_load.py, docs/ARCHITECTURE.md). On more cores, parts
#: are what makes one animation use them.
FRAMES_PER_PART: int | None = None
#: Worker processes: one more than the cores, at most three. On the 2-core server three workers let three pupils'
#: animations share the cores from the start instead of the third waiting for the first (the last of three ended
#: after 17.8-20.1 s against 18.9-21.2 s with two, in one run side by side, steps' p95 1.03x against 1.21x), and a
#: snapshot asked while two animations are made starts at once. At nice 10 they take little of what the page wants.
DEFAULT_WORKERS = max(1, min(3, (os.cpu_count() or 1) + 1))
#: Workers exit after this long without work, so a lesson's exports leave no memory held (bench/bench_soak.py).
IDLE_EXIT_S = 60.0
#: A worker takes ~1.5 s of CPU to start (an interpreter, the dataset, the drawing code); three started at once
#: when three pupils ask for animations share the cores with the class and the drawing. So the page starts one
#: for each session that has the downloads panel open (`ExportQueue.warm`), up to `workers`: by the time the pupil
#: has chosen a file the worker is ready. A session counts for `IDLE_EXIT_S` after the panel was last drawn open;
#: the workers then exit as after any work. A warm-up task holds a worker at most this long (normally for the
#: milliseconds of sending the warm-up, see `ExportQueue.warm`).
WARM_HOLD_S = 5.0
#: nice 10: a worker gets about a tenth of a core the page also wants (weights 110 vs 1024), so the steps win and
#: an export still advances on a busy server; at 19 (1.5 %) an animation stalled for minutes on the shared machine.
WORKER_NICENESS = 10
#: The server's settings for its own machine, read from the environment when the page's queue is made
#: (`queue_settings`): how many workers, how nice they are (0 = the page's priority, 19 = the lowest), and the
#: frames in an animation's part (0: every animation drawn whole, by one worker).
WORKERS_ENV, NICENESS_ENV, PART_ENV = "NKMAP_EXPORT_WORKERS", "NKMAP_EXPORT_NICENESS", "NKMAP_EXPORT_FRAMES_PER_PART"


def queue_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`ExportQueue`'s `workers`, `niceness` and `frames_per_part` from NKMAP_EXPORT_WORKERS (1 to 16),
    NKMAP_EXPORT_NICENESS (0 to 19, or `idle`: `IDLE_NICENESS`) and NKMAP_EXPORT_FRAMES_PER_PART (0 to 1500, 0 for
    none); a value missing, not a whole number or out of range keeps the default (and is logged)."""
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {
        "workers": DEFAULT_WORKERS,
        "niceness": WORKER_NICENESS,
        "frames_per_part": FRAMES_PER_PART or 0,
    }
    bounds = (
        ("workers", WORKERS_ENV, 1, 16),
        ("niceness", NICENESS_ENV, 0, 19),
        ("frames_per_part", PART_ENV, 0, 1500),
    )
    for key, name, low, high in bounds:
        text = environ.get(name, "").strip()
        if not text:
            continue
        if text.isascii() and text.isdigit() and low <= int(text) <= high:
            settings[key] = int(text)
        elif key == "niceness" and text.lower() == "idle":
            settings[key] = IDLE_NICENESS
        else:
            LOG.warning("%s=%r is not a whole number from %d to %d; using %s", name, text, low, high, settings[key])
    settings["frames_per_part"] = settings["frames_per_part"] or None
    return settings


QUEUED, MAKING, READY, FAILED = "queued", "making", "ready", "failed"

STOPPED = "The file could not be made: the server stopped before the file was made."
CRASHED = "The file could not be made: the process making it stopped unexpectedly. Please ask for it again."
INTERNAL = "The file could not be made because of an internal error (it has been logged). Please try again later."


class QueueFull(Exception):
    """The request was not queued; the message says why, politely, for the page."""


@dataclass(frozen=True)
class ExportRequest:
    """One file: a snapshot (`days` has one date) or an animation (one date per frame)."""

    fmt: str
    days: tuple[dt.date, ...]
    options: MapOptions = MapOptions()
    layers: tuple[str, ...] = ()  # GeoJSON: the layers whose features it holds
    fps: float = 4.0

    def __post_init__(self) -> None:
        if self.fmt not in EXPORT_FORMATS:
            raise ExportError(f"unknown export format '{self.fmt}' (known: {', '.join(EXPORT_FORMATS)})")
        if not self.days:
            raise ExportError("no dates to export")

    @property
    def animated(self) -> bool:
        return self.fmt in ANIMATION_FORMATS

    @property
    def file_name(self) -> str:
        """'nkmap-2020-11-10.png', or 'nkmap-2020-09-27_2020-11-10.gif' for an animation."""
        if self.animated:
            return f"nkmap-{self.days[0].isoformat()}_{self.days[-1].isoformat()}.{self.fmt}"
        return f"nkmap-{self.days[0].isoformat()}.{self.fmt}"


# ---------------------------------------------------------------------------------------------- page side


@contextlib.contextmanager
def _workers_start_from_nkmap() -> Iterator[None]:
    """While the pool starts a worker: spawn and forkserver import the parent's __main__ in each child, to find
    functions defined there; in the app that is the `streamlit` command, which imports Streamlit and pandas with
    pyarrow before the worker's initializer runs. The jobs need none of it, so the children are shown an empty
    __main__ (with `without_pyarrow`: a worker after a PNG holds 188 MB instead of 258 MB, measured)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


@dataclass
class Job:
    """One file being made or made. The page reads it; only the queue writes it."""

    request: ExportRequest
    id: int
    state: str = QUEUED
    done: int = 0  # frames drawn so far (animations)
    total: int = 0
    data: bytes | None = None
    message: str = ""
    submitted_at: float = field(default_factory=time.monotonic)
    started_at: float | None = None
    finished_at: float | None = None
    retried: bool = False
    sessions: set[Hashable] = field(default_factory=set)
    # An animation drawn in parts (`FRAMES_PER_PART`): each part's frames as [first, stop), and the folder its
    # frames wait in for the join. A job without parts is one task: the whole file.
    parts: tuple[tuple[int, int], ...] = ()
    frame_dir: str | None = None
    handed: int = 0  # tasks given to workers so far: the parts in order, then the join
    drawn: int = 0  # parts finished
    running: int = 0  # tasks a worker has now
    progress: dict[int, int] = field(default_factory=dict)  # frames done by part

    @property
    def finished(self) -> bool:
        return self.state in (READY, FAILED)

    @property
    def waited_s(self) -> float:
        """Seconds from the request to the file (or to now)."""
        return (self.finished_at or time.monotonic()) - self.submitted_at

    def next_step(self) -> int | None:
        """The task a worker may take for this job now: WHOLE, a part's index, JOIN, or None (none until a
        task it has out comes back, or none left)."""
        if not self.parts:
            return WHOLE if self.handed == 0 else None
        if self.handed < len(self.parts):
            return self.handed
        if self.handed == len(self.parts) and self.drawn == len(self.parts):
            return JOIN
        return None


#: A job's tasks (`Job.next_step`), beside its parts' indexes 0, 1, ...
WHOLE, JOIN = -1, -2


def next_task(jobs: Iterable[Job]) -> tuple[Job, int] | None:
    """What a free worker does next, the jobs given in the order they were asked for: a join (it ends someone's
    wait in about a second), else the oldest snapshot not started (a second or two), else the oldest animation
    drawn whole not started, else the next part of the oldest animation with parts left."""
    steps = [(job, step) for job in jobs if (step := job.next_step()) is not None]
    for wanted, animated in ((JOIN, True), (WHOLE, False), (WHOLE, True)):
        for job, step in steps:
            if step == wanted and (step == JOIN or job.request.animated == animated):
                return job, step
    return steps[0] if steps else None


def _served_before(other: Job, job: Job) -> bool:
    """Whether queued `other` starts before queued `job` (`next_task`'s order: snapshots, animations drawn whole,
    animations in parts; each in the order asked)."""

    def rank(j: Job) -> int:
        return 2 if j.parts else int(j.request.animated)

    return (rank(other), other.id) < (rank(job), job.id)


#: The pools of every queue in this process, and the lock that orders their starting against stopping the resource
#: tracker (`_stop_resource_tracker`).
_live_pools: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()
_pools_lock = threading.Lock()


def _stop_resource_tracker() -> bool:
    """Stop multiprocessing's resource tracker once no pool of this process is left; True if it was stopped.

    A pool's first semaphore starts the tracker, a process of its own (12 MiB RSS) that would then stay for the
    server's life: after a lesson it was the biggest part of what the server kept (bench/bench_soak.py). With
    no pool left, and the stopped pools' queues collected so their semaphores are unregistered, nothing remains
    for it to clean up; the next pool starts a new one. `_stop` is the standard library's own (its tests use
    it); `tests/test_export_jobs.py` checks the installed Python still has it."""
    with _pools_lock:
        if _live_pools:
            return False
        gc.collect()  # a stopped pool's queues sit in reference cycles: their semaphores unregister when freed
        if any(isinstance(o, multiprocessing.synchronize.SemLock) for o in gc.get_objects()):
            return False  # still held somewhere: the tracker would unlink it (one look at the heap per idle pool)
        tracker = getattr(multiprocessing.resource_tracker, "_resource_tracker", None)
        if getattr(tracker, "_fd", None) is None:  # not running
            return False
        stop = getattr(tracker, "_stop", None)
        if stop is None:
            return False
        stop()
        return True


def default_context() -> multiprocessing.context.BaseContext:
    """spawn: each worker a fresh interpreter. Not forkserver: its server process (13 MiB) stays for the server's
    life, and it saves nothing here, as a worker imports everything itself after the fork (bench/bench_soak.py)."""
    return multiprocessing.get_context("spawn")


class ExportQueue:
    """A bounded queue of export jobs in a pool of low-priority worker processes (see the module's docstring)."""

    def __init__(
        self,
        geo_dir: str | os.PathLike | None,
        *,
        workers: int = DEFAULT_WORKERS,
        max_jobs: int = MAX_JOBS,
        per_session: int = MAX_JOBS_PER_SESSION,
        keep_files: int = KEEP_FILES,
        keep_bytes: int = KEEP_BYTES,
        keep_seconds: float = KEEP_SECONDS,
        idle_exit_s: float = IDLE_EXIT_S,
        maker: Maker = make_file,
        frames_per_part: int | None = FRAMES_PER_PART,
        context: multiprocessing.context.BaseContext | None = None,
        niceness: int = WORKER_NICENESS,
    ) -> None:
        self.geo_dir = None if geo_dir is None else os.fspath(geo_dir)
        self.workers, self.max_jobs, self.per_session = workers, max_jobs, per_session
        self.keep_files, self.keep_bytes, self.keep_seconds = keep_files, keep_bytes, keep_seconds
        self.idle_exit_s = idle_exit_s
        self._maker, self._niceness = maker, niceness
        # (`maker` makes whole files; an animation in parts is drawn by the real drawing, whatever the maker)
        self.frames_per_part = frames_per_part
        self._context = context or default_context()
        self._lock = threading.RLock()
        self._pending: dict[ExportRequest, Job] = {}  # queued or making, in submission order
        self._finished: OrderedDict[ExportRequest, Job] = OrderedDict()  # least recently asked for first
        self._ids = itertools.count(1)
        self._by_id: dict[int, Job] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._running: set[Future] = set()  # the tasks the current pool's workers have (at most `workers`)
        self._channel: Any = None
        self._recv_lock = threading.Lock()
        self._stop_listener = threading.Event()
        # each pool's progress channel, for its crash callbacks (which may run after a new pool started)
        self._channels: weakref.WeakKeyDictionary[ProcessPoolExecutor, Any] = weakref.WeakKeyDictionary()
        self._idle_timer: threading.Timer | None = None
        self._started: Any = None  # the current pool's count of ready workers (a shared int)
        self._released: Any = None  # the last warm-up whose tasks may let go of their workers (a shared int)
        self._warm_ups = 0  # warm-ups sent to the current pool
        self._panels: dict[Hashable, float] = {}  # session -> when its downloads panel was last drawn open
        self._listener: threading.Thread | None = None
        self._expiry_timer: threading.Timer | None = None
        self._closed = False

    # ---- what the page calls

    def submit(self, request: ExportRequest, session: Hashable = None) -> Job:
        """The job for `request`: the one already made or being made, or a new one queued. Raises QueueFull."""
        with self._lock:
            if self._closed:
                raise QueueFull("The server is shutting down; downloads are not being made now.")
            known = self.job(request)
            if known is not None and known.state != FAILED:
                known.sessions.add(session)
                return known
            if len(self._pending) >= self.max_jobs:
                raise QueueFull(
                    f"The queue of files to make is full ({self.max_jobs} are being made for everyone on this "
                    "server). Please ask again in a minute."
                )
            mine = sum(1 for job in self._pending.values() if session in job.sessions)
            if session is not None and mine >= self.per_session:
                raise QueueFull(
                    f"You already have {mine} files being made; ask for this one when one of them is ready."
                )
            self._finished.pop(request, None)  # a failed one is asked for again
            job = Job(request, next(self._ids), sessions={session})
            self._plan_parts(job)
            self._pending[request] = job
            self._by_id[job.id] = job
            self._dispatch()
            return job

    def warm(self, session: Hashable = None) -> int:
        """`session` has the downloads panel open: have a worker ready for each such session (up to `workers`)
        before a file is asked for, so a pupil's request does not wait for a worker to start. Cheap when they are
        ready (the page calls it on each run of the open panel). The number of warm-up tasks sent."""
        with self._lock:
            if self._closed:
                return 0
            now = time.monotonic()
            self._panels[session] = now
            for other, seen in list(self._panels.items()):
                if now - seen > self.idle_exit_s:
                    del self._panels[other]
            wanted = min(self.workers, len(self._panels))
            if self._pool_size(self._pool) >= wanted:
                return 0  # started (or starting)
            if self._pool is not None and not hasattr(self._pool, "_processes"):
                return 0  # (another Python: its pool's size unknown, only a new pool is warmed, below)
            # The pool starts a process for a task only when none of its workers is idle. So the warm-up's tasks
            # each hold the worker they reach until all are sent: those that reach an idle worker take it, and the
            # others start new ones, until the pool has `wanted` processes. Then they let go (milliseconds), and a
            # new worker's task, which it takes once started, ends at once.
            pool = self._ensure_pool()
            self._warm_ups += 1
            sent, most = 0, (2 * self.workers if hasattr(pool, "_processes") else wanted)
            while (
                self._pool is pool
                and self._pool_size(pool) < wanted
                and len(self._running) < self.workers
                and sent < most
            ):
                if not self._start_warm(self._warm_ups):
                    break
                sent += 1
            if self._released is not None:
                self._released.value = self._warm_ups
            return sent

    @staticmethod
    def _pool_size(pool: ProcessPoolExecutor | None) -> int:
        """The processes `pool` has started (running or starting). `_processes` is ProcessPoolExecutor's own
        record, read only (tests/test_export_jobs.py checks the installed Python has it; without it a new pool,
        whose every task starts a process, gets `wanted` tasks)."""
        return len(getattr(pool, "_processes", None) or ())

    def ready_workers(self) -> int:
        """Workers of the current pool that have started and can draw at once (0: no pool)."""
        with self._lock:
            return 0 if self._started is None else int(self._started.value)

    def _start_warm(self, warm_up: int) -> bool:
        pool = self._ensure_pool()
        self._cancel_idle_timer()
        try:
            with _workers_start_from_nkmap():
                future = pool.submit(warm_in_worker, warm_up, WARM_HOLD_S)
        except Exception:
            LOG.exception("cannot start an export worker ahead of a request")
            self._stop_pool()
            return False
        self._running.add(future)
        future.add_done_callback(functools.partial(self._on_warm_done, pool))
        return True

    def job(self, request: ExportRequest) -> Job | None:
        """The job for `request` if one is queued, being made or kept finished (None: never asked, or dropped)."""
        with self._lock:
            if request in self._pending:
                return self._pending[request]
            job = self._finished.get(request)
            if job is None:
                return None
            if time.monotonic() - (job.finished_at or 0.0) > self.keep_seconds:
                del self._finished[request]
                return None
            self._finished.move_to_end(request)
            return job

    def position(self, job: Job) -> int:
        """1 for the next job to start, 2 for the one after ...; 0 once it is being made or finished."""
        with self._lock:
            if job.state != QUEUED:
                return 0
            ahead = [j for j in self._pending.values() if j.state == QUEUED and j is not job and _served_before(j, job)]
            return len(ahead) + 1

    def pending(self, session: Hashable = None) -> list[Job]:
        """Jobs queued or being made (those `session` asked for, when given), oldest first."""
        with self._lock:
            return [j for j in self._pending.values() if session is None or session in j.sessions]

    def kept_bytes(self) -> int:
        with self._lock:
            return sum(len(j.data or b"") for j in self._finished.values())

    def close(self) -> None:
        """Stop the workers; every job not finished fails (`STOPPED`), and the queue refuses new requests."""
        with self._lock:
            self._closed = True
            for job in list(self._pending.values()):  # (their tasks still out come back to a finished job)
                self._finish(job, FAILED, message=STOPPED)
            self._stop_pool()
            if self._expiry_timer is not None:
                self._expiry_timer.cancel()
                self._expiry_timer = None

    # ---- the pool

    def _plan_parts(self, job: Job) -> None:
        """Cut a long animation into parts, with a folder for its frames (none to be had: it is made whole)."""
        count, size = len(job.request.days), self.frames_per_part
        if not job.request.animated or not size or count <= size:
            return
        try:
            job.frame_dir = tempfile.mkdtemp(prefix="nkmap-frames-")
        except OSError:
            LOG.warning("no folder for the frames of %s: it is made in one piece", job.request.file_name)
            return
        job.parts = tuple((first, min(first + size, count)) for first in range(0, count, size))

    def _dispatch(self) -> None:
        """Give free workers their next tasks (`next_task`). Called with the lock held, whenever a job is asked for
        or a task comes back: the pool itself never holds more tasks than it has workers, so the queue's order is
        the order work starts."""
        while not self._closed and len(self._running) < self.workers:
            chosen = next_task(self._pending.values())
            if chosen is None:
                return
            self._start(*chosen)

    def _start(self, job: Job, step: int) -> None:
        pool = self._ensure_pool()
        self._cancel_idle_timer()
        if step == WHOLE:
            task: tuple = (make_in_worker, job.id, job.request)
        elif step == JOIN:
            task = (join_in_worker, job.request, job.frame_dir)
        else:
            task = (draw_part_in_worker, job.id, step, job.request, *job.parts[step], job.frame_dir)
        job.handed += 1
        try:
            with _workers_start_from_nkmap():  # workers start on demand, inside submit
                future = pool.submit(*task)
        except Exception:  # a worker that cannot be started (no processes left, a module reloaded under it ...)
            LOG.exception("cannot start an export worker for %s", job.request.file_name)
            self._stop_pool()
            self._finish(job, FAILED, message=INTERNAL)
            return
        job.running += 1
        self._running.add(future)
        future.add_done_callback(functools.partial(self._on_done, job, step, pool))

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # A SimpleQueue writes in the caller's thread: a message put before a crash is in the pipe, where an
            # mp.Queue's feeder thread could die with the worker before sending it.
            with _pools_lock:
                self._channel = self._context.SimpleQueue()
                self._started = self._context.Value("i", 0)
                # (no lock: one writer, and a worker killed while holding a lock would stall the page's warm-up)
                self._released = self._context.Value("i", 0, lock=False)
                self._warm_ups = 0
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=self._context,
                    initializer=start_worker,
                    initargs=(
                        self.geo_dir,
                        self._niceness,
                        self._channel,
                        self._maker,
                        os.getpid(),
                        self._started,
                        self._released,
                    ),
                )
                _live_pools.add(self._pool)
            self._stop_listener = threading.Event()
            self._channels[self._pool] = self._channel
            self._listener = threading.Thread(
                target=self._listen,
                args=(self._channel, self._stop_listener),
                name="nkmap-export-progress",
                daemon=True,
            )
            self._listener.start()
        return self._pool

    def _stop_pool(self, shut_down: bool = True) -> ProcessPoolExecutor | None:
        """Stop the pool (its workers exit once their job is done); the pool stopped, if there was one.
        `shut_down=False`: the caller shuts it down (and may wait for that) once it has let go of the lock."""
        pool = self._pool
        self._pool = self._channel = self._started = self._released = None
        self._running = set()  # (the stopped pool's tasks still come back, to `_on_done`)
        self._stop_listener.set()
        self._cancel_idle_timer()
        if pool is not None:
            _live_pools.discard(pool)
            if shut_down:
                pool.shutdown(wait=False, cancel_futures=True)
        return pool

    def _listen(self, channel: Any, stop: threading.Event) -> None:
        """Progress from the workers, read every 50 ms until the pool stops."""
        while not stop.is_set():
            with self._recv_lock:
                got = self._drain(channel)
            if not got:
                stop.wait(0.05)

    def _drain(self, channel: Any) -> int:
        """Apply the messages waiting: (job id, part, frames done in it, frames in all); a job's first means
        'started'.
        Called with `_recv_lock` held, by the listener and by a crash's callback (which must know which jobs had
        started before it decides which to retry), so no message is half-read by the other."""
        count = 0
        if channel is None:
            return 0
        try:
            while not channel.empty():
                job_id, part, done, total = channel.get()
                count += 1
                job = self._by_id.get(job_id)
                if job is None or job.finished:
                    continue
                if job.state == QUEUED:
                    job.state, job.started_at = MAKING, time.monotonic()
                job.progress[part] = done
                job.done, job.total = sum(job.progress.values()), total
        except (EOFError, OSError, ValueError):  # the pool's channel is closed
            pass
        return count

    def _on_done(self, job: Job, step: int, pool: ProcessPoolExecutor, future: Future) -> None:
        with self._lock:
            self._running.discard(future)
            job.running -= 1
            try:
                if not job.finished:
                    self._task_done(job, step, pool, future)
            finally:
                self._after_task()

    def _on_warm_done(self, pool: ProcessPoolExecutor, future: Future) -> None:
        with self._lock:
            self._running.discard(future)  # (a stopped pool's is no longer there)
            if isinstance(future.exception() if not future.cancelled() else None, BrokenProcessPool):
                if self._pool is pool:
                    self._stop_pool()
            self._after_task()

    def _after_task(self) -> None:
        """A task came back: hand out the next, and with nothing left to make start counting the idle time."""
        self._dispatch()
        if not self._pending and self._pool is not None and not self._closed and not self._running:
            self._restart_idle_timer(self.idle_exit_s)

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _restart_idle_timer(self, delay: float) -> None:
        self._cancel_idle_timer()
        self._idle_timer = threading.Timer(delay, self._exit_if_idle)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def _task_done(self, job: Job, step: int, pool: ProcessPoolExecutor, future: Future) -> None:
        if future.cancelled():
            error: BaseException | None = ExportError("the server stopped before the file was made")
        else:
            error = future.exception()
        # the messages sent before the task ended first: its start, and after a crash who had started
        with self._recv_lock:
            self._drain(self._channels.get(pool))
        if isinstance(error, BrokenProcessPool):
            if self._pool is pool:  # a worker died: this pool is unusable, the next task gets a new one
                self._stop_pool()
            if job.state == QUEUED and not self._closed:
                # Nothing of it had started, so it did not cause the crash: it goes to the new pool, once every
                # task it had out has come back. Until then none of its tasks is handed out (the next would go to
                # the new pool while the reset below waits for the old one's, and a GIF's later parts would wait
                # for a palette that the part with frame 0, lost in the crash, never writes).
                job.handed = len(job.parts) + 1
                if job.running:
                    return
                if not job.retried:
                    job.retried = True
                    job.handed = job.drawn = 0
                    return
            LOG.error("export worker died while making %s", job.request.file_name)
            self._finish(job, FAILED, message=CRASHED)
        elif isinstance(error, ExportError):
            self._finish(job, FAILED, message=f"The file could not be made: {error}")
        elif error is not None:
            LOG.error("export of %s failed", job.request.file_name, exc_info=error)
            self._finish(job, FAILED, message=INTERNAL)
        elif step in (WHOLE, JOIN):
            self._finish(job, READY, data=future.result())
        else:
            job.drawn += 1

    def _finish(self, job: Job, state: str, data: bytes | None = None, message: str = "") -> None:
        job.state, job.data, job.message, job.finished_at = state, data, message, time.monotonic()
        if state == READY:
            job.done = job.total
        if job.frame_dir is not None:  # (a part still being drawn fails to write there, and is ignored)
            shutil.rmtree(job.frame_dir, ignore_errors=True)
            job.frame_dir = None
        self._pending.pop(job.request, None)
        self._by_id.pop(job.id, None)
        self._finished[job.request] = job
        self._finished.move_to_end(job.request)
        total = sum(len(j.data or b"") for j in self._finished.values())
        # (the file just made stays, even alone over the byte bound: someone is waiting for it)
        while len(self._finished) > 1 and (len(self._finished) > self.keep_files or total > self.keep_bytes):
            _, dropped = self._finished.popitem(last=False)
            total -= len(dropped.data or b"")
        self._schedule_expiry()

    def _schedule_expiry(self) -> None:
        """Files expire at `keep_seconds` whether or not anyone looks them up again (a lesson's files must not
        stay in the server until the next lesson asks for something): one timer, for the next file to expire."""
        if self._expiry_timer is not None or self._closed or not self._finished:
            return
        first = min(job.finished_at or 0.0 for job in self._finished.values())
        delay = max(0.0, first + self.keep_seconds - time.monotonic()) + 0.1
        self._expiry_timer = threading.Timer(delay, self._drop_expired)
        self._expiry_timer.daemon = True
        self._expiry_timer.start()

    def _drop_expired(self) -> None:
        with self._lock:
            self._expiry_timer = None
            now = time.monotonic()
            for request, job in list(self._finished.items()):
                if now - (job.finished_at or 0.0) > self.keep_seconds:
                    del self._finished[request]
            self._schedule_expiry()
            idle = not self._pending
        if idle:  # (not while files are being made: a trim walks the heap holding the GIL, the pupils wait)
            release_freed_memory(collect=False)

    def _exit_if_idle(self) -> None:
        with self._lock:
            idle = not self._pending
            # a downloads panel drawn open lately: its session may ask for a file, so the workers wait for it
            last_panel = max(self._panels.values(), default=-float("inf"))
            wait = last_panel + self.idle_exit_s - time.monotonic()
            if idle and wait > 0 and self._pool is not None and not self._closed:
                self._restart_idle_timer(wait + 0.1)
                return
            listener = self._listener
            pool = self._stop_pool(shut_down=False) if idle else None
        if pool is not None:
            # its idle workers exit at once; its thread and the progress listener (50 ms) let go of its queues
            pool.shutdown(wait=True, cancel_futures=True)
            del pool
            if listener is not None:
                listener.join(timeout=5)
            _stop_resource_tracker()
        if idle:  # the copies of the lesson's files that went through this process, freed but kept by malloc
            release_freed_memory(collect=False)
