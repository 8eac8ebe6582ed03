"""Slowing down code guessing, without slowing down a room that knows the code.

A whole room often shares one address (the venue's NAT), so one participant's
typos must not lock the others out, and a correct code is never delayed. A wrong
code is answered later the more wrong codes came from that address recently
(0.5 s, 1 s, 2 s, ... up to 30 s). Someone who does not wait for the answer and
fires many guesses at once gains nothing: an address may have only a few wrong
answers "in the penalty box" at a time, and a guess that arrives while the box
is full is refused unchecked. The box empties by the clock, not when a
connection is dropped.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

FIRST_DELAY = 0.5  # seconds for the first wrong code from an address
MAX_DELAY = 30.0
MAX_PENDING = 4  # wrong answers from one address that may be waiting at the same time
FORGET_AFTER = 600.0  # seconds without a wrong code: the address starts afresh
MAX_ADDRESSES = 10_000  # beyond this, forget addresses that have nothing pending
REFUSAL_LOG_EVERY = 10.0  # seconds: a flood of unchecked guesses is one log line, not thousands


@dataclass
class _Address:
    failures: int = 0
    last_failure: float = 0.0
    penalties: list[float] = field(default_factory=list)  # when each pending wrong answer is due
    refusal_logged: float = -REFUSAL_LOG_EVERY


class LoginThrottle:
    """Per client address: how long a wrong code waits, and whether a guess is checked at all."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._addresses: dict[str, _Address] = {}

    def _entry(self, address: str) -> _Address:
        now = self._clock()
        if address not in self._addresses and len(self._addresses) >= MAX_ADDRESSES:
            self._addresses = {
                a: e
                for a, e in self._addresses.items()
                if any(due > now for due in e.penalties) or now - e.last_failure < FORGET_AFTER
            }
        entry = self._addresses.get(address)
        if entry is None or (entry.failures and now - entry.last_failure > FORGET_AFTER):
            entry = self._addresses[address] = _Address()
        entry.penalties = [due for due in entry.penalties if due > now]
        return entry

    def may_check(self, address: str) -> bool:
        """False while this address already has the most wrong answers waiting."""
        return len(self._entry(address).penalties) < MAX_PENDING

    def retry_after(self, address: str) -> float:
        """Seconds until a guess from this address is checked again."""
        entry = self._entry(address)
        if len(entry.penalties) < MAX_PENDING:
            return 0.0
        return max(0.0, min(entry.penalties) - self._clock())

    def failed(self, address: str) -> float:
        """Count a wrong code; the seconds its answer has to wait."""
        entry = self._entry(address)
        entry.failures += 1
        entry.last_failure = self._clock()
        delay = min(MAX_DELAY, FIRST_DELAY * 2 ** (entry.failures - 1))
        entry.penalties.append(entry.last_failure + delay)
        return delay

    def log_refusal(self, address: str) -> bool:
        """Whether an unchecked guess from this address is worth a log line now."""
        entry = self._entry(address)
        now = self._clock()
        if now - entry.refusal_logged < REFUSAL_LOG_EVERY:
            return False
        entry.refusal_logged = now
        return True

    def failures(self, address: str) -> int:
        return self._entry(address).failures

    async def wrong(self, address: str) -> float:
        """Count a wrong code and wait its delay (the answer goes out after that)."""
        delay = self.failed(address)
        await asyncio.sleep(delay)
        return delay
