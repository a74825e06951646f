"""What a long-running process hands back (nkmap.data.process_memory): pandas' dead view records."""

from __future__ import annotations

import datetime as dt
import gc

import pandas as pd
import pandas._libs.internals as pandas_internals

from nkmap.data.dataset import load_dataset
from nkmap.data.process_memory import PANDAS_PRUNE_AFTER, forget_dead_views
from nkmap.model.timeline import state_on

WAR = [dt.date(2020, 10, 1) + dt.timedelta(days=d) for d in range(0, 40, 5)]


def dead_records(objects) -> int:
    """Dead view records on the blocks and axes of the pandas objects among `objects`."""
    count = 0
    for frame in objects:
        manager = getattr(frame, "_mgr", None)
        if manager is None:
            continue
        records = [block.refs for block in manager.blocks]
        records += [index._references for index in (frame.index, getattr(frame, "columns", None)) if index is not None]
        count += sum(1 for refs in records if refs is not None for ref in refs.referenced_blocks if ref() is None)
    return count


def step_through_the_war(ds, rounds: int) -> None:
    """What a class's steps do to the dataset's frames: the state on each date, and views of its columns."""
    for _ in range(rounds):
        for day in WAR:
            for frame in state_on(ds, day).values():
                _ = frame["id"], frame.geometry, frame[["id"]]


def test_a_lesson_of_steps_leaves_dead_view_records_that_forget_dead_views_drops():
    ds = load_dataset()
    step_through_the_war(ds, 10)
    gc.collect()
    left = dead_records(ds.kept_values())
    assert left > 5000  # pandas prunes a block's records only past 500: a lesson piles them up
    dropped = forget_dead_views(ds.kept_values())
    after = dead_records(ds.kept_values())
    assert after < left / 10 and dropped > left / 2  # (what is left: the one view each prune itself took)
    # and pandas' threshold is back to its own, so steps do not prune on every view from now on
    frame = ds.layers["places"]
    assert {frame._mgr.blocks[0].refs.clear_counter, frame.index._references.clear_counter} == {PANDAS_PRUNE_AFTER}


def test_copy_on_write_still_protects_the_kept_frames_after_the_records_are_dropped():
    ds = load_dataset()
    step_through_the_war(ds, 1)
    frame = ds.layers["places"]
    before = frame["id"].tolist()
    view = frame["id"]  # a view recorded before the prune must stay known to pandas
    forget_dead_views(ds.kept_values())
    view.iloc[0] = "changed"
    again = frame.copy(deep=False)
    again.iloc[0, again.columns.get_loc("id")] = "changed too"
    assert frame["id"].tolist() == before


def test_other_objects_are_skipped():
    assert forget_dead_views([None, "text", [1, 2], {"a": 1}, pd.Index([1, 2])]) == 0


def test_the_installed_pandas_still_keeps_view_records_where_forget_dead_views_reads_them():
    """If an upgrade renames what forget_dead_views sets, this fails instead of the server silently keeping them."""
    frame = pd.DataFrame({"a": [1, 2]})
    refs = frame._mgr.blocks[0].refs
    assert isinstance(refs, pandas_internals.BlockValuesRefs)
    assert refs.clear_counter == PANDAS_PRUNE_AFTER
    assert isinstance(refs.referenced_blocks, list) and isinstance(frame.index._references.referenced_blocks, list)
