"""Figures the cabinet pages compute from the ledger, kept in the process until the ledger changes.

A member's balances and electricity table at ten years of history cost tens of milliseconds to
compute and change only when charges, payments, readings, tariffs, plots or board settings are
written. Database triggers change the ledger version on every such write (snt.models.versions), so
each request reads the version (by primary key, in one statement with the meeting banner's read:
snt.pagereads) before anything else and uses what was computed at that version. Any other version
clears everything kept. What is kept is keyed by the plot ids the caller passes, already checked by
snt.registry.access, and never holds ORM objects or HTML (the pages carry per-session CSRF tokens).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from snt import pagereads

T = TypeVar("T")
MAX_ENTRIES = 128  # a member's page at 10 years of history keeps up to ~0.4 MB: ≤ ~50 MB in all


class _Store:
    """One app's kept figures (a test builds an app, and a database, per test)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: int | None = None
        self.entries: OrderedDict[Hashable, object] = OrderedDict()


def _store() -> _Store:
    store = current_app.extensions.get("snt_figures")
    if store is None:
        store = current_app.extensions.setdefault("snt_figures", _Store())
    return store


def ledger_version() -> int | None:
    """The ledger's version now; None where the database has no version row (nothing is kept).

    A page (GET) reads it once, in one statement with the meeting banner's (snt.pagereads): it writes
    nothing, so the version its first read saw is the one its figures are kept under, and a page
    asking for several kept figures pays one query."""
    return pagereads.ledger_version()


def kept(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or what it returned at this ledger version for the same key.

    The version is read before compute() reads anything, so figures are never kept under a version
    newer than the data they were computed from."""
    version = ledger_version()
    if version is None:
        return compute()
    store = _store()
    with store.lock:
        if version != store.version:
            store.entries.clear()
            store.version = version
        elif key in store.entries:
            store.entries.move_to_end(key)
            return store.entries[key]  # type: ignore[return-value]
    value = compute()
    with store.lock:
        if version == store.version:
            store.entries[key] = value
            while len(store.entries) > MAX_ENTRIES:
                store.entries.popitem(last=False)
    return value


def forget() -> None:
    """Drop what this app keeps: the next request computes again (tests that count statements)."""
    store = _store()
    with store.lock:
        store.entries.clear()
        store.version = None
