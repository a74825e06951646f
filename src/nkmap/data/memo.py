"""Typed memos: one per thing cached, each a dict from a key to what was computed for it.

A dataset's derived results (control per epoch, the gazetteer's index, the page's display geometries ...) depend
only on the dataset, so they live with it: each layer declares a dataclass of its memos (one named, typed
attribute per thing cached) and gets its instance for a dataset with `Dataset.caches(ThatClass)`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar, cast

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A dict from key to a computed value, filled on first use by `get_or_make`."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[K, V] = {}

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for `key`; `make()` computes and keeps it the first time."""
        if key in self._values:
            return self._values[key]
        value = make()
        self._values[key] = value
        return value

    def get(self, key: K) -> V | None:
        return self._values.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __getitem__(self, key: K) -> V:
        return self._values[key]

    def __setitem__(self, key: K, value: V) -> None:
        self._values[key] = value

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[K]:
        return iter(self._values)

    def values(self) -> list[V]:
        return list(self._values.values())

    def pop(self, key: K) -> V | None:
        """Forget the value kept for `key` (None when there was none)."""
        return self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()


class Once(Generic[V]):
    """A value computed once (a memo without a key)."""

    __slots__ = ("_value", "_made")

    def __init__(self) -> None:
        self._made = False
        self._value: V | None = None

    def get_or_make(self, make: Callable[[], V]) -> V:
        if not self._made:
            self._value = make()
            self._made = True
        return cast(V, self._value)

    def values(self) -> list[V]:
        """The value, once made ([] before)."""
        return [cast(V, self._value)] if self._made else []


class RecentMemo(Generic[K, V]):
    """A memo that keeps only the `limit` values most recently asked for: for results keyed by something a dataset
    does not bound tightly (a day of the timeline, in each language), where keeping all would grow for hours.
    Safe to share between the server's script threads (two may make the same value once each)."""

    __slots__ = ("_lock", "_values", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.limit:
                self._values.popitem(last=False)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def values(self) -> list[V]:
        with self._lock:
            return list(self._values.values())

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
