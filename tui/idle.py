"""Work done a step at a time while the user is not typing (pages rendered ahead, ...).

Why: a page rendered ahead shows in the frame that answers the key, instead of a
moment later. Rendering all of them takes a few hundred milliseconds of CPU: done in
short slices, only when no key came in for a moment, it never delays a key by more
than one slice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from textual.timer import Timer

TICK = 0.02  # seconds between steps
QUIET = 0.25  # seconds without input before a step is taken
SLICE = 0.006  # seconds of steps per tick at most (a key that comes meanwhile waits this long)


class IdleWork:
    """A queue of step iterators, run a slice of steps per tick while the user is quiet."""

    def __init__(
        self,
        start_timer: Callable[[float, Callable[[], None]], Timer],
        last_input: Callable[[], float],
    ) -> None:
        self._start_timer = start_timer  # e.g. `app.set_interval`
        self._last_input = last_input  # monotonic time of the latest key or click
        self._jobs: dict[str, Iterator[None]] = {}
        self._timer: Timer | None = None
        # No steps while True: the app holds them until its first frame is out, which a
        # step taken before it (ticks come every TICK from the start) would delay.
        self.held = False

    def release(self) -> None:
        """Steps may be taken again (see `held`)."""
        self.held = False

    def add(self, name: str, steps: Iterator[None]) -> None:
        """Queue `steps` under `name`; a job of that name still running is replaced."""
        self._jobs[name] = steps
        if self._timer is None:
            self._timer = self._start_timer(TICK, self._tick)

    def running(self, name: str) -> bool:
        return name in self._jobs

    def _tick(self) -> None:
        if self.held or time.monotonic() - self._last_input() < QUIET:
            return
        until = time.perf_counter() + SLICE
        while self._jobs and time.perf_counter() < until:
            name, steps = next(iter(self._jobs.items()))
            try:
                done = next(steps, StopIteration) is StopIteration
            except Exception:  # work ahead is an optimisation, never a reason to stop the app
                done = True
            if done:
                del self._jobs[name]
        if not self._jobs and self._timer is not None:
            self._timer.stop()
            self._timer = None
