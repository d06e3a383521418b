"""Keeping long-lived objects (the matching index above all) out of the garbage
collector's walks.

The index is millions of small objects that live as long as the process and form no
cycles to collect, yet every full collection walks every tracked object. Measured with
``gc.callbacks`` in both workers of bench/screening.py (100,000 entries imported after
start-up): full collections of 1.6-1.8 s each, several while the batch was indexed and
one per worker in the middle of the measured crossings. ``gc.freeze`` moves every object
alive now into a permanent generation that collections skip; reference counting still
frees them when they are dropped (a removed entry), only a reference cycle among them
would stay.
"""

from __future__ import annotations

import gc


def freeze_after_start_up() -> None:
    """Collect once, then freeze what is left (the index rebuilt at start-up)."""
    gc.collect()
    gc.freeze()


def freeze_after_indexing() -> None:
    """Freeze what an indexed chunk of a batch made, without a collection first (it
    would walk the chunk). What it freezes besides is the garbage of requests in flight,
    a few objects that reference counting mostly frees. A bulk load (a rebuild:
    MatchIndex.extend) freezes its own objects when the process has frozen before."""
    gc.freeze()
