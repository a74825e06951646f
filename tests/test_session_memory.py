"""The server lets a lesson's sessions go once their browsers have gone (nkmap.web.session_memory)."""

from __future__ import annotations

from nkmap.web.session_memory import DisconnectedSessions, StreamlitSessions


class FakeSessions:
    """Sessions as Streamlit's manager lists them: connected, or disconnected and kept for a reconnect."""

    def __init__(self) -> None:
        self.live: set[str] = set()
        self.away: set[str] = set()
        self.closed: list[str] = []
        self.file_passes = 0

    def connected(self) -> set[str]:
        return set(self.live)

    def disconnected(self) -> set[str]:
        return set(self.away)

    def close(self, session_id: str) -> None:
        self.away.discard(session_id)
        self.closed.append(session_id)

    def drop_orphaned_files(self) -> None:
        self.file_passes += 1

    def leave(self, session_id: str) -> None:
        self.live.discard(session_id)
        self.away.add(session_id)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def sweeper(sessions: FakeSessions, clock: Clock) -> tuple[DisconnectedSessions, list[int]]:
    releases: list[int] = []
    return DisconnectedSessions(sessions, 60, clock, lambda: releases.append(1)), releases


def test_a_session_away_longer_than_the_grace_is_closed_and_its_memory_released():
    sessions, clock = FakeSessions(), Clock()
    sweep, releases = sweeper(sessions, clock)
    sessions.live = {"teacher", "pupil"}
    assert sweep.sweep() == [] and not sweep.needs_release
    sessions.leave("pupil")
    assert sweep.sweep() == []  # just left: may come back
    clock.now += 59
    assert sweep.sweep() == [] and sessions.closed == []
    clock.now += 1
    assert sweep.sweep() == ["pupil"]
    assert sessions.closed == ["pupil"] and sweep.needs_release
    assert sessions.file_passes == 0  # closing the session made Streamlit's first pass: its files are marked
    clock.now += 10
    assert sweep.sweep() == [] and sweep.needs_release  # the second pass deletes them: memory to hand back
    assert sessions.file_passes == 1
    clock.now += 10
    assert sweep.sweep() == [] and not sweep.needs_release  # nothing new: no further pass or collection
    assert sessions.file_passes == 1
    assert releases == []  # the sweep itself never releases: its caller does, off the event loop


def test_a_session_that_reconnects_is_not_closed_and_its_clock_starts_again():
    sessions, clock = FakeSessions(), Clock()
    sweep, _ = sweeper(sessions, clock)
    sessions.away = {"pupil"}
    sweep.sweep()
    clock.now += 50
    sessions.away, sessions.live = set(), {"pupil"}  # back within the grace
    sweep.sweep()
    sessions.leave("pupil")
    clock.now += 50
    assert sweep.sweep() == []  # away again, but only from now
    clock.now += 59
    assert sweep.sweep() == []
    clock.now += 1
    assert sweep.sweep() == ["pupil"]


def test_memory_is_released_once_when_the_last_connected_session_leaves():
    sessions, clock = FakeSessions(), Clock()
    sweep, _ = sweeper(sessions, clock)
    sweep.sweep()
    assert not sweep.needs_release  # nobody was ever here: nothing to hand back
    sessions.live = {"a", "b"}
    sweep.sweep()
    sessions.leave("a")
    sweep.sweep()
    assert not sweep.needs_release  # "b" is still here
    sessions.leave("b")
    sweep.sweep()
    assert sweep.needs_release
    sweep.sweep()
    assert not sweep.needs_release


def test_the_installed_streamlit_still_lists_and_closes_sessions_as_the_sweep_reads_them():
    """StreamlitSessions reads Streamlit's session manager (no public API lists sessions): if an upgrade
    renames what it reads, this fails instead of the server silently keeping every departed session."""
    import inspect

    from streamlit.runtime import Runtime
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    assert "self._session_mgr = " in inspect.getsource(Runtime.__init__)
    assert callable(getattr(Runtime, "close_session", None))
    assert callable(getattr(Runtime, "_get_async_objs", None))
    assert callable(getattr(WebsocketSessionManager, "list_sessions", None))
    assert callable(getattr(WebsocketSessionManager, "list_active_sessions", None))

    class Info:
        def __init__(self, session_id: str) -> None:
            self.session = type("S", (), {"id": session_id})()

    class Manager:
        def list_sessions(self):
            return [Info("a"), Info("b")]

        def list_active_sessions(self):
            return [Info("a")]

    class FakeRuntime:
        _session_mgr = Manager()

        def __init__(self) -> None:
            self.closed: list[str] = []

        def close_session(self, session_id: str) -> None:
            self.closed.append(session_id)

    runtime = FakeRuntime()
    sessions = StreamlitSessions(runtime)
    assert sessions.connected() == {"a"} and sessions.disconnected() == {"b"}
    sessions.close("b")
    assert runtime.closed == ["b"]


def test_the_installed_streamlit_deletes_a_download_file_nobody_holds_on_the_second_pass():
    """The sweep's second pass (`drop_orphaned_files`) is what deletes a closed session's download files: if an
    upgrade changes Streamlit's two passes, this fails instead of a lesson's files staying in the server."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    manager.add(b"GIF89a...", "image/gif", "coordinates", "pupil.gif", is_for_static_download=True)
    assert len(manager._file_metadata) == 1
    manager.clear_session_refs()  # as closing the session that added it does: nobody holds the file now
    manager.remove_orphaned_files()  # Streamlit's pass when it shuts a session down: marks it
    assert len(manager._file_metadata) == 1
    manager.remove_orphaned_files()  # the sweep's pass
    assert len(manager._file_metadata) == 0


def test_release_lesson_memory_drops_the_dead_view_records_of_the_loaded_dataset():
    import datetime as dt

    from nkmap.data.dataset import load_dataset
    from nkmap.model.timeline import state_on
    from nkmap.web.session_memory import release_lesson_memory

    ds = load_dataset()
    places = ds.layers["places"]
    for day in (dt.date(2020, 10, 1), dt.date(2020, 11, 1)):
        for _ in range(300):
            _ = state_on(ds, day)["places"]["id"], places["id"]
    records = [block.refs for block in places._mgr.blocks] + [places.index._references]
    dead = lambda: sum(1 for refs in records for ref in refs.referenced_blocks if ref() is None)  # noqa: E731
    assert dead() > 300
    release_lesson_memory()
    assert dead() <= len(records)  # the one view each prune took
