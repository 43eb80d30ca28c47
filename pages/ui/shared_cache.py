"""A cache shared by every session, bounded by the bytes it holds (not by a number of entries), and a gate
that lets only a few page runs go at once.

Streamlit's own caches count entries. A teaching trace can be 0.05 MB or 30 MB and a model trace 1 MB or
90 MB, so 128 entries could be 6 MB or 4 GB: 24 visitor requests once took the server to 4 GB and kept
it there. Here every entry is weighed (the bytes of its NumPy arrays) and the least recently used go
first when the total passes the budget. Values are shared, never copied: their arrays are made read-only.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

from attention_core.models.trace import LayerTraces


def array_bytes(value: object, seen: set[int] | None = None) -> int:
    """The bytes of every NumPy array reachable from ``value`` (through dataclass fields, tuples, lists,
    dicts and a model trace's layers), each array counted once."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, LayerTraces):
        return array_bytes((value.inputs, value.mask), seen)  # its weights belong to the loaded model
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(array_bytes(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    if isinstance(value, tuple | list):
        return sum(array_bytes(item, seen) for item in value)
    if isinstance(value, dict):
        return sum(array_bytes(item, seen) for item in value.values())
    return 0


def freeze(value: object) -> object:
    """Make every array reachable from ``value`` read-only (it will be shared between sessions)."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, LayerTraces):
        freeze(value.inputs)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            freeze(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            freeze(item)
    return value


class SharedCache:
    """Results by key, at most ``budget`` bytes of arrays in all; the least recently used leave first.

    A result larger than half the budget is returned but not kept: one long text must not push out every
    short sentence a class is using.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def held_bytes(self) -> int:
        return self._bytes

    def get(self, key: Hashable, compute: Callable[[], object]) -> object:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
        value = freeze(compute())  # outside the lock: other sessions go on meanwhile
        size = array_bytes(value)
        if size > self.budget // 2:
            return value
        with self._lock:
            if key not in self._entries:
                self._entries[key] = (value, size)
                self._bytes += size
            while self._bytes > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


# At most this many page runs at once (app.py); the others wait their turn without holding the GIL.
# A page run is CPU work: on a machine of two cores more of them side by side finish no sooner, but all
# their arrays and figures are held at once. Twenty visitors at the largest settings once took 8 GB;
# with this gate 20 such requests peak at about 0.5 GB above idle (docs/benchmarks.md).
PAGE_RUNS = threading.BoundedSemaphore(2)
