"""Bulk work and Python's cyclic garbage collector.

An import builds tens of thousands of objects (rows, points, amounts) that live until it ends.
Each time enough of them have survived, the collector walks every object in the process, the
app's own hundred thousand (modules, mappers, templates) included, and frees nothing: about 0.1 s
of CPU in a 2,000-row month. `app_objects_set_aside()` moves the objects that exist when the work
starts out of the collector's way (gc.freeze) for its duration: what the work leaves behind in
cycles is still collected as usual, so memory stays bounded.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0  # units inside, across threads: the last to leave puts the objects back


@contextmanager
def app_objects_set_aside() -> Iterator[None]:
    """Run the block without the collector re-walking the objects that existed before it. Does
    nothing when something else (a server's start-up) has frozen objects for its own reasons."""
    global _holders
    with _lock:
        mine = _holders > 0 or gc.get_freeze_count() == 0
        if mine:
            _holders += 1
            if _holders == 1:
                gc.freeze()
    try:
        yield
    finally:
        if mine:
            with _lock:
                _holders -= 1
                if _holders == 0:
                    gc.unfreeze()
