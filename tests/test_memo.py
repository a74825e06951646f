"""The memos: `RecentMemo` keeps only the values most recently asked for."""

from __future__ import annotations

import threading

from nkmap.data.memo import RecentMemo


def test_recent_memo_keeps_the_most_recently_asked_values_up_to_its_limit():
    memo: RecentMemo[int, str] = RecentMemo(3)
    made = []

    def make(k: int):
        return lambda: made.append(k) or f"v{k}"

    for k in (1, 2, 3):
        assert memo.get_or_make(k, make(k)) == f"v{k}"
    assert memo.get_or_make(1, make(1)) == "v1"  # a hit: not made again, and now the most recent
    memo.get_or_make(4, make(4))  # over the limit: 2, the least recently asked for, goes
    assert made == [1, 2, 3, 4]
    assert len(memo) == 3 and 2 not in memo and all(k in memo for k in (1, 3, 4))
    assert memo.get_or_make(2, make(2)) == "v2" and made[-1] == 2  # made again when asked again
    assert 3 not in memo
    assert sorted(memo.values()) == ["v1", "v2", "v4"]


def test_recent_memo_shared_by_threads_stays_within_its_limit():
    memo: RecentMemo[int, int] = RecentMemo(16)
    errors = []

    def ask(offset: int) -> None:
        try:
            for i in range(3000):
                key = (i * 7 + offset) % 50
                assert memo.get_or_make(key, lambda key=key: key * 2) == key * 2
        except Exception as exc:  # an OrderedDict changed under another thread's feet would raise here
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(memo) <= 16
