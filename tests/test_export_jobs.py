"""The export queue (nkmap.export.export_jobs) with real worker processes and stand-in makers
(tests/export_job_makers.py): bounded per server and per session, first come first served with each job's place,
one job per request, failures as calm messages (never a traceback), a crashed worker replaced, files kept within
their bounds, workers gone when idle, and the real export path giving the CLI's bytes."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

import export_job_makers as makers
from nkmap.export.export_jobs import (
    CRASHED,
    FAILED,
    INTERNAL,
    JOIN,
    MAKING,
    QUEUED,
    READY,
    STOPPED,
    WHOLE,
    ExportQueue,
    ExportRequest,
    Job,
    QueueFull,
    next_task,
    queue_settings,
)

DAY = dt.date(2020, 10, 4)


def request(gate, n: int = 0, fmt: str = "png", frames: int = 1) -> ExportRequest:
    days = tuple(DAY + dt.timedelta(days=n + i) for i in range(frames))
    return ExportRequest(fmt, days, layers=(str(gate),))


def wait(predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def make_queue():
    queues = []

    def make(maker, **kwargs) -> ExportQueue:
        kwargs.setdefault("workers", 1)
        kwargs.setdefault("frames_per_part", None)  # the stand-in makers make every file whole
        queue = ExportQueue(None, maker=maker, niceness=0, **kwargs)
        queues.append(queue)
        return queue

    yield make
    for queue in queues:
        queue.close()


def test_first_come_first_served_with_each_place_in_the_queue(make_queue, tmp_path):
    queue = make_queue(makers.gated)
    gate = tmp_path / "go"
    a, b, c = (queue.submit(request(gate, n), session=f"pupil{n}") for n in range(3))
    wait(lambda: a.state == MAKING)
    assert (a.done, a.total) == (1, 1)
    assert [b.state, c.state] == [QUEUED, QUEUED]
    assert [queue.position(a), queue.position(b), queue.position(c)] == [0, 1, 2]
    gate.touch()
    wait(lambda: c.finished)
    assert [j.state for j in (a, b, c)] == [READY, READY, READY]
    assert a.started_at < b.started_at < c.started_at  # one worker: in the order asked
    assert b.data == b"file of png 2020-10-05 2020-10-05"
    assert queue.position(c) == 0


def test_the_queue_is_bounded_for_the_server_and_for_each_session(make_queue, tmp_path):
    queue = make_queue(makers.gated, max_jobs=3, per_session=2)
    gate = tmp_path / "go"
    queue.submit(request(gate, 0), session="anna")
    queue.submit(request(gate, 1), session="anna")
    with pytest.raises(QueueFull, match="You already have 2 files being made"):
        queue.submit(request(gate, 2), session="anna")
    queue.submit(request(gate, 2), session="ben")
    with pytest.raises(QueueFull, match="queue of files to make is full"):
        queue.submit(request(gate, 3), session="carl")
    # asking for a file already being made joins it: no new work, so no bound is hit
    assert queue.submit(request(gate, 0), session="carl").id == queue.pending()[0].id
    gate.touch()
    wait(lambda: not queue.pending())
    queue.submit(request(gate, 3), session="carl")  # room again once files are made


def test_the_same_request_is_the_same_job_and_the_same_file(make_queue, tmp_path):
    queue = make_queue(makers.quick)
    first = queue.submit(request(tmp_path, 0), session="anna")
    again = queue.submit(request(tmp_path, 0), session="ben")
    assert again is first
    wait(lambda: first.finished)
    assert queue.job(request(tmp_path, 0)) is first and first.data == b"file of png 2020-10-04 2020-10-04"
    assert queue.job(request(tmp_path, 1)) is None  # never asked for


def test_pupils_asking_for_the_same_file_share_one_job_and_one_file(make_queue, tmp_path):
    """Three pupils of a class ask for the same animation while it is being made: it is made once, and each of
    them is given the same bytes (and the queue's bounds count it once)."""
    queue = make_queue(makers.gated, max_jobs=1)
    gate = tmp_path / "go"
    anna = queue.submit(request(gate, fmt="gif", frames=3), session="anna")
    wait(lambda: anna.state == MAKING)
    ben = queue.submit(request(gate, fmt="gif", frames=3), session="ben")
    carl = queue.submit(request(gate, fmt="gif", frames=3), session="carl")
    assert ben is anna and carl is anna and len(queue.pending()) == 1
    assert [queue.pending(pupil) for pupil in ("anna", "ben", "carl")] == [[anna]] * 3
    gate.touch()
    wait(lambda: anna.finished)
    assert anna.state == READY and anna.data == b"file of gif 2020-10-04 2020-10-06"
    assert [queue.pending(pupil) for pupil in ("anna", "ben", "carl")] == [[]] * 3


def test_a_shared_job_that_fails_fails_for_each_pupil_who_asked(make_queue, tmp_path):
    queue = make_queue(makers.gated_refuses)
    gate = tmp_path / "go"
    anna = queue.submit(request(gate), session="anna")
    ben = queue.submit(request(gate), session="ben")
    assert ben is anna
    gate.touch()
    wait(lambda: anna.finished)
    assert anna.state == FAILED and anna.data is None and "has no days" in anna.message
    assert queue.pending("anna") == [] and queue.pending("ben") == []
    again = queue.submit(request(gate), session="ben")  # asked again after the failure: a new try
    assert again is not anna
    wait(lambda: again.finished)
    assert again.state == FAILED


def test_a_refused_export_is_a_calm_message(make_queue, tmp_path):
    queue = make_queue(makers.refuses)
    job = queue.submit(request(tmp_path))
    wait(lambda: job.finished)
    assert job.state == FAILED and job.data is None
    assert job.message == (
        "The file could not be made: the range 2020-10-05 to 2020-10-02 has no days (the end is before the start)"
    )


def test_an_internal_error_is_logged_and_not_shown(make_queue, tmp_path, caplog):
    queue = make_queue(makers.breaks)
    job = queue.submit(request(tmp_path))
    wait(lambda: job.finished)
    assert job.state == FAILED and job.message == INTERNAL
    assert "Traceback" not in job.message and "internal detail" not in job.message
    assert "an internal detail the user must not see" in caplog.text  # for whoever runs the server


def test_a_crashed_worker_is_reported_and_the_jobs_behind_it_are_made(make_queue, tmp_path):
    queue = make_queue(makers.crashes_on_gif)
    gif = queue.submit(request(tmp_path, 0, fmt="gif", frames=3), session="anna")
    png = queue.submit(request(tmp_path, 1), session="ben")
    wait(lambda: gif.finished and png.finished)
    assert gif.state == FAILED and gif.message == CRASHED
    assert png.state == READY and png.data == b"file of png 2020-10-05 2020-10-05"
    later = queue.submit(request(tmp_path, 2), session="anna")  # the queue goes on with a new pool
    wait(lambda: later.finished)
    assert later.state == READY
    retried = queue.submit(request(tmp_path, 0, fmt="gif", frames=3), session="anna")  # a failed file asked again
    assert retried is not gif
    wait(lambda: retried.finished)
    assert retried.state == FAILED


def test_finished_files_are_kept_within_their_bounds(make_queue, tmp_path):
    queue = make_queue(makers.quick, keep_files=2)
    jobs = [queue.submit(request(tmp_path, n)) for n in range(3)]
    wait(lambda: all(j.finished for j in jobs))
    assert queue.job(request(tmp_path, 0)) is None  # the oldest is dropped
    assert queue.job(request(tmp_path, 2)) is jobs[2]
    small = make_queue(makers.quick, keep_bytes=40)  # each file is 33 bytes: only the last one fits
    jobs = [small.submit(request(tmp_path, n)) for n in range(2)]
    wait(lambda: all(j.finished for j in jobs))
    assert small.job(request(tmp_path, 0)) is None and small.job(request(tmp_path, 1)) is jobs[1]
    assert small.kept_bytes() == 33
    old = make_queue(makers.quick, keep_seconds=0.2)
    job = old.submit(request(tmp_path))
    wait(lambda: job.finished)
    assert old.kept_bytes() == 33
    wait(lambda: old.kept_bytes() == 0, timeout=5)  # let go when it expires, though nobody looked it up again
    assert old.job(request(tmp_path)) is None


def test_workers_run_at_low_priority_and_exit_when_idle(tmp_path):
    queue = ExportQueue(None, maker=makers.priority, workers=1, idle_exit_s=0.5)
    try:
        job = queue.submit(request(tmp_path))
        wait(lambda: job.finished)
        assert int(job.data) >= 10  # the page's steps win the CPU
        wait(lambda: queue._pool is None, timeout=10)  # no process left holding memory
        again = queue.submit(request(tmp_path, 1))  # and a new pool starts for the next one
        wait(lambda: again.finished)
        assert again.state == READY
    finally:
        queue.close()


def test_an_idle_server_keeps_no_resource_tracker_and_the_next_job_starts_one(tmp_path, capfd):
    """The tracker multiprocessing starts with a pool (12 MiB) goes with the last pool, without a word about
    leaked semaphores (it would unlink them: a sign the pool's queues were still registered)."""
    import multiprocessing.resource_tracker

    tracker = multiprocessing.resource_tracker._resource_tracker
    assert callable(getattr(tracker, "_stop", None)) and hasattr(tracker, "_fd")  # what export_jobs reads
    queue = ExportQueue(None, maker=makers.priority, workers=1, idle_exit_s=0.3)
    try:
        job = queue.submit(request(tmp_path))
        wait(lambda: job.finished)
        assert tracker._fd is not None  # the pool started it
        pid = tracker._pid
        wait(lambda: tracker._pid is None, timeout=20)  # idle: pool and tracker gone
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped, not a zombie
        again = queue.submit(request(tmp_path, 1))
        wait(lambda: again.finished)
        assert again.state == READY and tracker._fd is not None
    finally:
        queue.close()
    assert "leaked" not in capfd.readouterr().err


def test_idle_workers_run_only_on_a_cpu_nothing_else_wants(tmp_path):
    queue = ExportQueue(
        None, maker=makers.scheduler, workers=1, niceness=queue_settings({"NKMAP_EXPORT_NICENESS": "idle"})["niceness"]
    )
    try:
        job = queue.submit(request(tmp_path))
        wait(lambda: job.finished)
        assert job.data == b"19 True"  # SCHED_IDLE, and nice 19 should the policy be changed back
    finally:
        queue.close()


def test_a_closed_queue_refuses_politely(make_queue, tmp_path):
    queue = make_queue(makers.quick)
    queue.close()
    with pytest.raises(QueueFull, match="shutting down"):
        queue.submit(request(tmp_path))


def test_closing_the_queue_ends_every_job_with_a_calm_message(make_queue, tmp_path):
    queue = make_queue(makers.gated)
    gate = tmp_path / "go"
    making, waiting = queue.submit(request(gate, 0)), queue.submit(request(gate, 1))
    wait(lambda: making.state == MAKING)
    queue.close()
    assert [making.state, waiting.state] == [FAILED, FAILED]
    assert making.message == waiting.message == STOPPED
    gate.touch()  # the worker's job ends after the queue has let go of it: the job stays failed
    time.sleep(0.5)
    assert making.state == FAILED and making.data is None


def test_the_workers_make_the_files_the_command_line_makes(tmp_path):
    """The real path: a worker loads the dataset once and makes the bytes `nkmap export` writes."""
    from export_fixture import make_geo
    from nkmap.data.dataset import load_dataset
    from nkmap.export.export_options import MapOptions
    from nkmap.export.export_static import render_static_bytes

    geo = make_geo(tmp_path / "geo")
    queue = ExportQueue(geo, workers=1)
    try:
        options = MapOptions(width=640, height=400)
        png = queue.submit(ExportRequest("png", (DAY,), options))
        gj = queue.submit(ExportRequest("geojson", (DAY,), layers=("control",)))
        wait(lambda: png.finished and gj.finished)
        assert png.state == READY, png.message
        assert png.data == render_static_bytes(load_dataset(geo), DAY, "png", options)
        assert gj.state == READY and b'"FeatureCollection"' in gj.data
    finally:
        queue.close()


def test_a_worker_that_cannot_start_is_a_calm_failure(tmp_path, caplog):
    queue = ExportQueue(None, maker=lambda ds, request, progress: b"", workers=1)  # a lambda cannot reach a worker
    try:
        job = queue.submit(request(tmp_path))  # does not raise into the page
        assert job.state == FAILED and job.message == INTERNAL
        assert "cannot start an export worker" in caplog.text
    finally:
        queue.close()


def test_the_server_sets_its_workers_and_their_niceness_in_its_environment(caplog):
    default = queue_settings({})
    assert default["frames_per_part"] is None  # animations drawn whole
    assert queue_settings({"NKMAP_EXPORT_WORKERS": "1", "NKMAP_EXPORT_NICENESS": "19"}) == {
        "workers": 1,
        "niceness": 19,
        "frames_per_part": None,
    }
    both = {"NKMAP_EXPORT_WORKERS": " 3 ", "NKMAP_EXPORT_NICENESS": "0", "NKMAP_EXPORT_FRAMES_PER_PART": "12"}
    assert queue_settings(both) == {"workers": 3, "niceness": 0, "frames_per_part": 12}
    assert queue_settings({"NKMAP_EXPORT_FRAMES_PER_PART": "0"})["frames_per_part"] is None  # animations whole
    for workers, niceness, part in (("0", "20", "-1"), ("two", "-1", "8.5"), ("²", "1e1", "1501"), ("99", "", "")):
        caplog.clear()
        got = queue_settings(
            {"NKMAP_EXPORT_WORKERS": workers, "NKMAP_EXPORT_NICENESS": niceness, "NKMAP_EXPORT_FRAMES_PER_PART": part}
        )
        assert got == default
        assert f"NKMAP_EXPORT_WORKERS={workers!r} is not a whole number from 1 to 16" in caplog.text
        if part:
            assert f"NKMAP_EXPORT_FRAMES_PER_PART={part!r} is not a whole number from 0 to 1500" in caplog.text


# ------------------------------------------------------------------------------- animations drawn in parts


def planned(job_id: int, fmt: str = "png", parts: int = 0) -> Job:
    """A job as the queue plans it: `parts` parts of two frames (an animation), or none (a whole file)."""
    days = tuple(DAY + dt.timedelta(days=i) for i in range(max(1, 2 * parts)))
    return Job(ExportRequest(fmt, days), job_id, parts=tuple((2 * i, 2 * i + 2) for i in range(parts)))


def hand_out(jobs: list[Job], workers: int) -> list[tuple[int, int]]:
    """(job id, step) of what `workers` free workers take one after another, none coming back."""
    taken = []
    for _ in range(workers):
        chosen = next_task(jobs)
        if chosen is None:
            break
        job, step = chosen
        job.handed += 1
        taken.append((job.id, step))
    return taken


def test_free_workers_draw_the_oldest_animation_first_and_a_snapshot_waits_for_one_part():
    first, second = planned(1, "gif", parts=3), planned(2, "gif", parts=2)
    # alone, an animation is drawn on every worker; the one asked for next gets what the first leaves
    assert hand_out([first, second], workers=4) == [(1, 0), (1, 1), (1, 2), (2, 0)]
    # a snapshot asked for meanwhile is the next task a worker takes, before the animations' parts
    snapshot = planned(3)
    assert hand_out([first, second, snapshot], workers=2) == [(3, WHOLE), (2, 1)]
    assert next_task([first, second, snapshot]) is None  # every task is out: the joins wait for their parts
    # the join follows the last part back, ahead of anything else
    first.drawn, later = 3, planned(4)
    assert hand_out([first, second, later], workers=2) == [(1, JOIN), (4, WHOLE)]
    # an animation drawn whole (a short one, or parts turned off) goes after a snapshot asked for later
    whole, snapshot = planned(5, "gif"), planned(6)
    assert hand_out([whole, snapshot], workers=1) == [(6, WHOLE)]


def test_the_place_in_the_queue_follows_the_order_work_starts(make_queue, tmp_path):
    queue = make_queue(makers.gated, workers=1)
    gate = tmp_path / "go"
    busy = queue.submit(request(gate, 0), session="anna")
    wait(lambda: busy.state == MAKING)
    # (a queue's plan for a long animation, made by hand: the stand-in makes whole files)
    animation = queue.submit(request(gate, 1, fmt="gif", frames=3), session="ben")
    snapshot = queue.submit(request(gate, 2), session="cem")
    animation.parts = ((0, 2), (2, 3))
    assert [queue.position(snapshot), queue.position(animation)] == [1, 2]
    animation.parts = ()
    gate.touch()
    wait(lambda: animation.finished and snapshot.finished)


def test_an_animation_drawn_in_parts_by_two_workers_is_the_file_one_process_makes(tmp_path):
    from export_fixture import make_geo
    from nkmap.data.dataset import load_dataset
    from nkmap.export.export_animation import render_animation_bytes
    from nkmap.export.export_options import MapOptions

    geo = make_geo(tmp_path / "geo")
    ds = load_dataset(geo)
    options = MapOptions(width=480, height=270, dpi=60)
    days = tuple(DAY + dt.timedelta(days=3 * i) for i in range(7))
    queue = ExportQueue(geo, workers=2, frames_per_part=2, niceness=0)
    try:
        gif = queue.submit(ExportRequest("gif", days, options, fps=2), session="anna")
        mp4 = queue.submit(ExportRequest("mp4", days, options, fps=2), session="ben")
        assert gif.parts == ((0, 2), (2, 4), (4, 6), (6, 7)) and os.path.isdir(gif.frame_dir)
        frame_dir = gif.frame_dir
        wait(lambda: gif.finished and mp4.finished)
        assert gif.state == READY and mp4.state == READY, (gif.message, mp4.message)
        assert (gif.done, gif.total) == (7, 7)
        assert gif.data == render_animation_bytes(ds, list(days), "gif", options, fps=2)
        assert mp4.data == render_animation_bytes(ds, list(days), "mp4", options, fps=2)
        assert not os.path.exists(frame_dir)  # the frames went with the job
        odd = queue.submit(ExportRequest("mp4", days, MapOptions(width=481, height=270, dpi=60)), session="cem")
        wait(lambda: odd.finished)
        assert (
            odd.state == FAILED
            and odd.message == "The file could not be made: MP4 needs an even width and height, not 481x270"
        )
    finally:
        queue.close()


def test_an_animation_in_parts_whose_pool_broke_before_it_started_is_made_by_the_next_pool(tmp_path, monkeypatch):
    import export_crash_once
    from export_fixture import make_geo
    from nkmap.data.dataset import load_dataset
    from nkmap.export.export_animation import render_animation_bytes
    from nkmap.export.export_options import MapOptions

    geo = make_geo(tmp_path / "geo")
    flag = tmp_path / "crash-once"
    monkeypatch.setenv("NKMAP_TEST_CRASH_ONCE", str(flag))
    options = MapOptions(width=480, height=270, dpi=60)
    days = tuple(DAY + dt.timedelta(days=i) for i in range(6))
    queue = ExportQueue(geo, workers=2, frames_per_part=2, niceness=0, maker=export_crash_once.make)
    try:
        flag.touch()  # the first pool's two workers wait as they start, then end
        mp4 = queue.submit(ExportRequest("mp4", days, options, fps=2), session="anna")
        wait(lambda: len(list(tmp_path.glob("crash-once.*"))) == 2)  # both parts handed out, neither started
        flag.unlink()
        (tmp_path / "crash-once.go").touch()
        wait(lambda: mp4.finished, timeout=180)
        assert mp4.retried and mp4.state == READY, mp4.message
        assert mp4.data == render_animation_bytes(load_dataset(geo), list(days), "mp4", options, fps=2)
    finally:
        queue.close()


def test_a_worker_is_ready_for_each_session_with_the_downloads_panel_open(make_queue, tmp_path):
    """Pupils who open the downloads panel find a worker started for each of them (up to the pool's size), so a
    file asked for next starts at once instead of waiting ~1.5 s for a worker to start under a busy server."""
    queue = make_queue(makers.pid, workers=3)
    assert queue.ready_workers() == 0
    assert queue.warm("pupil 1") == 1
    wait(lambda: queue.ready_workers() == 1)
    assert queue.warm("pupil 1") == 0  # ready: the next runs of the open panel send nothing
    queue.warm("pupil 2")
    queue.warm("pupil 3")
    queue.warm("pupil 4")  # (three workers at most)
    wait(lambda: queue.ready_workers() == 3)
    wait(lambda: not queue._running)  # the warm-ups came back
    assert queue.warm("pupil 5") == 0 and queue.ready_workers() == 3
    assert isinstance(queue._pool._processes, dict)  # what `ExportQueue._pool_size` reads
    workers = {p.pid for p in queue._pool._processes.values()}
    assert len(workers) == 3
    jobs = [queue.submit(request(tmp_path, n), session=f"pupil {n}") for n in range(3)]
    wait(lambda: all(job.finished for job in jobs))
    assert {int(job.data) for job in jobs} <= workers  # made by the workers started ahead, no new one
    assert {p.pid for p in queue._pool._processes.values()} == workers


def test_a_file_asked_for_while_a_worker_starts_goes_to_the_ready_one_without_starting_another(make_queue, tmp_path):
    """A warm-up's tasks let go of the ready workers once sent: a pupil asking meanwhile is not held behind it,
    and the pool does not start a process more for the request."""
    queue = make_queue(makers.pid, workers=3)
    queue.warm("pupil 1")
    wait(lambda: queue.ready_workers() == 1)
    ready = {p.pid for p in queue._pool._processes.values()}
    assert queue.warm("pupil 2") >= 1  # a second worker starting
    wait(lambda: not queue._running)  # (the warm-up's tasks: back within milliseconds)
    assert len(queue._pool._processes) == 2
    job = queue.submit(request(tmp_path))
    wait(lambda: job.finished)
    assert int(job.data) in ready | {p.pid for p in queue._pool._processes.values()}
    assert len(queue._pool._processes) == 2


def test_an_open_panel_keeps_its_worker_and_the_worker_exits_after_the_panel_is_gone(make_queue, tmp_path):
    queue = make_queue(makers.pid, idle_exit_s=3.0)
    queue.warm("pupil")
    wait(lambda: queue.ready_workers() == 1)
    pool = queue._pool
    until = time.monotonic() + 6.0
    while time.monotonic() < until:  # the pupil steps the date with the panel open: the page runs again and again
        queue.warm("pupil")
        time.sleep(0.2)
    assert queue._pool is pool and queue.ready_workers() == 1  # kept past idle_exit_s while the panel is shown
    wait(lambda: queue._pool is None, timeout=15)  # the panel gone (folded, the tab closed): the worker exits


def test_a_panel_seen_longer_ago_than_the_idle_time_does_not_count(make_queue, tmp_path):
    queue = make_queue(makers.pid, workers=2, idle_exit_s=30.0)
    queue.warm("pupil 1")
    wait(lambda: queue.ready_workers() == 1)
    wait(lambda: not queue._running)
    queue._panels["pupil 1"] -= 31.0  # last drawn open 31 s ago
    assert queue.warm("pupil 2") == 0  # one open panel now: the worker that is ready is enough
    assert queue.ready_workers() == 1


def test_a_closed_queue_starts_no_worker_for_an_open_panel(make_queue, tmp_path):
    queue = make_queue(makers.pid)
    queue.close()
    assert queue.warm("pupil") == 0 and queue._pool is None
