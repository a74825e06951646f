"""The server computes what the map draws in every state of control once, beside its first page."""

from __future__ import annotations

import threading
from pathlib import Path

from conftest import run_page
from nkmap.data.dataset import load_dataset
from nkmap.model import timeline
from nkmap.web import mapview
from nkmap.web.page_setup import PREPARE_THREAD

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_prepare_every_epoch_fills_each_state_once():
    ds = load_dataset()
    ds.clear_caches()
    epochs = mapview.prepare_every_epoch(ds)
    assert epochs == timeline.epoch_count(ds) > 30
    memos = ds.caches(timeline.TimelineCaches)
    assert len(memos.control_frame) == epochs and len({epoch for epoch, _ in memos.places_on}) == epochs
    assert len(ds.caches(mapview.MapviewCaches).control_display) == epochs
    kept = memos.control_frame.values()
    assert mapview.prepare_every_epoch(ds) == epochs  # a second run computes nothing new
    assert all(a is b for a, b in zip(kept, memos.control_frame.values(), strict=True))


def test_the_first_page_starts_preparing_every_state_and_it_finishes():
    ds = load_dataset()
    ds.clear_caches()
    from nkmap.web.page_setup import dataset

    dataset.clear()  # st.cache_resource: as a server's first page finds it
    run_page(APP, date="2020-11-10")  # the page itself draws one state
    for thread in [t for t in threading.enumerate() if t.name == PREPARE_THREAD]:
        thread.join(timeout=120)
    memos = load_dataset().caches(timeline.TimelineCaches)
    assert len(memos.control_frame) == timeline.epoch_count(ds)
