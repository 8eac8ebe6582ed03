"""Python's cyclic GC kept out of the way of typing, in a process that runs one app.

The pack, the tree and the widgets live as long as the app: frozen after the first
paint (`gc.freeze`), the collector's full rounds no longer walk them, which otherwise
stalled a keystroke now and then (~300 ms with 10,000 knooppunten). After a freeze
CPython counts almost nothing as long-lived, so its automatic full rounds come every
~70,000 allocations and each walks every object made since (old detail pages are
cyclic garbage): 40-90 ms in the middle of typing. So young rounds stay automatic and
the full ones run when the user has not touched a key or the mouse for
IDLE_GC_SECONDS; one is forced anyway after GC_FORCE_AFTER young rounds without a quiet
moment, so memory stays bounded during a long burst. Never in a test process running
hundreds of apps (`WijkkompasApp.freeze_gc` is set by `run_app` only).
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[Any]
else:
    _AppBase = object

IDLE_GC_SECONDS = 1.0
GC_DUE_AFTER = 10  # CPython's own threshold for a full collection
GC_FORCE_AFTER = 200


class QuietGC(_AppBase):
    """Mixin of the app: `collect_when_idle()` once the first paint is done."""

    _last_input: float  # monotonic time of the latest key or click (the app keeps it)

    def collect_when_idle(self) -> None:
        gc.freeze()
        gen0, gen1, _ = gc.get_threshold()
        gc.set_threshold(gen0, gen1, 1 << 30)
        self.set_interval(IDLE_GC_SECONDS / 2, self._idle_gc)

    def _idle_gc(self) -> None:
        due = gc.get_count()[2]
        if due >= GC_FORCE_AFTER or (
            due >= GC_DUE_AFTER and time.monotonic() - self._last_input >= IDLE_GC_SECONDS
        ):
            gc.collect()
