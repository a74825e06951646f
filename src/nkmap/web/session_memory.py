"""The memory a lesson's sessions leave in the server: handed back once their browsers have gone.

When a tab closes, Streamlit keeps its session (its state, and the files its download buttons hold: a pupil's
PNG, SVG, GeoJSON and GIF) so the tab can reconnect, for `server.disconnectedSessionTTL` (120 s). But its store
lets an expired session go only when another session is saved, and without shutting it down, so its files stay
in the media store: after the last lesson of the day nothing is ever saved again, and the sessions of the whole
class stayed in the server (bench/bench_soak.py: the server 33 MiB above its start 150 s after the lesson).

`DisconnectedSessions.sweep` closes a session (`Runtime.close_session`, as Streamlit does when it lets one go
properly) once it has been disconnected for `reconnect_grace_s`, and deletes the download files closed sessions
held (Streamlit only marks them; the next script run would delete them, and after a lesson none comes). Then,
and when the last session has left, the server has pandas drop the dead view records on the dataset's frames
(`forget_dead_views`), collects its garbage and hands the freed memory back to the system
(`release_lesson_memory`): the pages
skip Streamlit's collection after every run (`runner.postScriptGC = false`, .streamlit/config.toml), and glibc
keeps freed blocks otherwise. A collection takes a few tens of ms, once per lesson's end, never per step.

The sweep runs on Streamlit's event loop (the session manager is not thread-safe), every `CHECK_EVERY_S`, from
a daemon thread started once per process by the pages (`start`).
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from nkmap.data.dataset import loaded_datasets
from nkmap.data.process_memory import forget_dead_views, release_freed_memory

LOG = logging.getLogger(__name__)

#: A tab that lost its connection (a network blip, a laptop lid) reconnects within seconds; one that has been
#: away a minute is closed, and reloading it starts a new session from its address (date, layers, view).
RECONNECT_GRACE_S = 60.0
#: How often the server looks for sessions to close (cheap: a list of the sessions).
CHECK_EVERY_S = 10.0


class SessionList(Protocol):
    """What the sweep needs from Streamlit: the ids of the connected sessions, of the disconnected ones still
    kept for a reconnect, and a way to close one for good."""

    def connected(self) -> set[str]: ...

    def disconnected(self) -> set[str]: ...

    def close(self, session_id: str) -> None: ...

    def drop_orphaned_files(self) -> None: ...


class DisconnectedSessions:
    """Closes the sessions disconnected for longer than `reconnect_grace_s`; releases memory after closing some,
    and when the last connected session has left."""

    def __init__(
        self,
        sessions: SessionList,
        reconnect_grace_s: float = RECONNECT_GRACE_S,
        clock: Callable[[], float] = time.monotonic,
        release: Callable[[], None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.reconnect_grace_s = reconnect_grace_s
        self.clock = clock
        self.release = release or release_lesson_memory
        self._away_since: dict[str, float] = {}
        self._anyone_was_here = False
        #: Sessions were closed by the last sweep: the download files they held are marked, not yet deleted.
        self._files_marked = False
        #: Set by `sweep`: sessions were closed, or the last one left; the memory is worth handing back.
        self.needs_release = False

    def sweep(self) -> list[str]:
        """Close the sessions away too long (the ids closed). Call it on the thread that may close sessions."""
        now = self.clock()
        away = self.sessions.disconnected()
        for session_id in set(self._away_since) - away:  # reconnected, or let go by Streamlit itself
            del self._away_since[session_id]
        closed = []
        for session_id in sorted(away):
            since = self._away_since.setdefault(session_id, now)
            if now - since >= self.reconnect_grace_s:
                self.sessions.close(session_id)
                del self._away_since[session_id]
                closed.append(session_id)
        # Streamlit deletes a download file nobody holds in two passes, one after each script run: the first marks
        # it (a download may still be on its way), the next deletes it. Closing a session makes the first pass;
        # after a lesson no script runs again, so without this second pass a class's files (three GIFs are
        # ~9 MB) stayed in the server for good.
        files_deleted = self._files_marked
        if files_deleted:
            self.sessions.drop_orphaned_files()
        self._files_marked = bool(closed)
        connected = bool(self.sessions.connected())
        everyone_left = self._anyone_was_here and not connected
        self._anyone_was_here = connected
        self.needs_release = bool(closed) or everyone_left or files_deleted
        return closed


def release_lesson_memory() -> None:
    """Hand back what a lesson left: the dead view records pandas keeps on the datasets' long-lived frames
    (`forget_dead_views`), then the freed memory (`release_freed_memory`)."""
    for ds in loaded_datasets():
        forget_dead_views(ds.kept_values())
    release_freed_memory()


class StreamlitSessions:
    """`SessionList` over the running Streamlit server. Streamlit offers no public list of sessions: this reads
    `Runtime._session_mgr` (its `list_sessions` and `list_active_sessions`); `tests/test_session_memory.py`
    checks that the installed Streamlit still has them."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        self.manager = runtime._session_mgr

    def connected(self) -> set[str]:
        return {info.session.id for info in self.manager.list_active_sessions()}

    def disconnected(self) -> set[str]:
        return {info.session.id for info in self.manager.list_sessions()} - self.connected()

    def close(self, session_id: str) -> None:
        self.runtime.close_session(session_id)

    def drop_orphaned_files(self) -> None:
        self.runtime.media_file_mgr.remove_orphaned_files()


_started = threading.Lock()
_thread: threading.Thread | None = None


def start() -> bool:
    """Start the sweep in this server process (once; later calls do nothing). False where no Streamlit server
    runs (AppTest, scripts) or this Streamlit lacks what the sweep reads."""
    global _thread
    with _started:
        if _thread is not None:
            return True
        try:
            from streamlit.runtime import Runtime

            if not Runtime.exists():
                return False
            runtime = Runtime.instance()
            sessions = StreamlitSessions(runtime)
            loop = runtime._get_async_objs().eventloop
        except (AttributeError, RuntimeError):  # another Streamlit: leave its sessions to it
            LOG.warning("this Streamlit offers no session list: disconnected sessions are left to Streamlit")
            return False
        sweeper = DisconnectedSessions(sessions)
        _thread = threading.Thread(target=_run, args=(sweeper, loop), name="nkmap-session-memory", daemon=True)
        _thread.start()
        return True


def _run(sweeper: DisconnectedSessions, loop: Any) -> None:
    while not loop.is_closed():
        time.sleep(CHECK_EVERY_S)
        done: concurrent.futures.Future[list[str]] = concurrent.futures.Future()

        def on_loop() -> None:
            try:
                done.set_result(sweeper.sweep())
            except Exception as exc:  # never let the sweep take the server's loop down
                done.set_exception(exc)

        try:
            loop.call_soon_threadsafe(on_loop)
            closed = done.result(timeout=60)
        except RuntimeError:  # the loop closed: the server is stopping
            return
        except Exception:
            LOG.exception("sweeping disconnected sessions failed")
            continue
        if sweeper.needs_release:  # here, not on the loop: the pages' messages go on meanwhile
            LOG.debug("closed %d disconnected sessions; releasing memory", len(closed))
            sweeper.release()
