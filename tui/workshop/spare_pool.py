"""The zygote's spare sessions (`spare.py`): how many, when to build one, who gets one.

Up to a target (the zygote's: `--spares`, never more than the free places), built a
few at a time, not while people are arriving (a spare being built would take CPU from
them) and not when the machine is short of memory. A login takes the oldest ready
spare. Spares that crash or hang while being built are ended and counted; after a
few in a row none are built any more, and logins fork as without spares.

Kept apart from the zygote's sessions: a spare is nobody's, so the server never hears
of it until it becomes someone's session (then it is the zygote's like any other).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Spares are built this many at a time (one per core: building one is ~0.15 s of CPU)...
SPARES_AT_ONCE = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
# ...and only this long after the last arrival: while a room logs in, the CPU is theirs.
SPARE_PAUSE_SECONDS = 2.0
# A spare costs ~18 MiB; none is built while less than this is available: 512 MiB, or a
# quarter of the machine's memory if that is more (the room is not all the machine is for).
SPARE_MEMORY_RESERVE = 512 << 20
SPARE_MEMORY_SHARE = 4
# A spare that is not built in this time is ended; after this many spares in a row that
# ended or hung before they were built, no more are built (every login forks, as without).
SPARE_BUILD_SECONDS = 60.0
SPARE_FAILURES = 3
MSG_NO_SPARES = (
    "sessies vooraf klaarzetten lukt niet ({n} keer mislukt); wie inlogt, krijgt een nieuwe "
    "sessie (iets trager)"
)


@dataclass
class Spare:
    sock: socket.socket
    born: float = field(default_factory=time.monotonic)
    ready: float | None = None  # time.monotonic() when it said it was built


def memory_available() -> tuple[int, int] | None:
    """(available, total) bytes as the kernel says (None: not known here)."""
    found: dict[str, int] = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("MemAvailable", "MemTotal"):
                    found[key] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    if len(found) != 2:
        return None
    return found["MemAvailable"], found["MemTotal"]


def room_for_a_spare(memory: tuple[int, int] | None) -> bool:
    if memory is None:
        return True
    available, total = memory
    return available >= max(SPARE_MEMORY_RESERVE, total // SPARE_MEMORY_SHARE)


def kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


class SparePool:
    """The spares of one zygote.

    `target()` says how many are wanted now; `fork(build)` forks a child that runs
    `build(socket)` (the child's end of the spare's socket) and exits with its code.
    """

    def __init__(
        self,
        target: Callable[[], int],
        fork: Callable[[Callable[[], int]], int],
        build: Callable[[socket.socket], int],
    ) -> None:
        self.target = target
        self._fork = fork
        self._build = build
        self.spares: dict[int, Spare] = {}  # pid -> its socket; not yet anyone's session
        self.leaving: set[int] = set()  # spares that ended unused, still to be reaped
        self.failures = 0  # spares in a row that ended or hung before they were built
        self.last_spawn = 0.0  # time.monotonic() of the latest login

    def sockets(self) -> dict[socket.socket, int]:
        """Each spare's socket (the zygote waits on them, and a forked child closes them)."""
        return {spare.sock: pid for pid, spare in self.spares.items()}

    def ready(self) -> int:
        return sum(1 for s in self.spares.values() if s.ready is not None)

    # --- building ----------------------------------------------------------------

    def refill(self) -> None:
        """Start building spares while more are wanted and the moment is right."""
        while self._wanted():
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)

            def build(ours: socket.socket = ours, theirs: socket.socket = theirs) -> int:
                ours.close()
                return self._build(theirs)

            pid = self._fork(build)
            theirs.close()
            self.spares[pid] = Spare(ours)

    def _wanted(self) -> bool:
        if len(self.spares) >= self.target():
            return False
        if len(self.spares) - self.ready() >= SPARES_AT_ONCE:
            return False
        if self.last_spawn and time.monotonic() - self.last_spawn < SPARE_PAUSE_SECONDS:
            return False
        if self.failures >= SPARE_FAILURES:
            return False
        return room_for_a_spare(memory_available())

    def said(self, pid: int) -> None:
        """The spare's socket is readable: it is built, or it ended."""
        spare = self.spares.get(pid)
        if spare is None:
            return
        try:
            data = spare.sock.recv(1024)
        except OSError:
            data = b""
        if not data:  # it ended before anyone came
            self._drop(pid)
            if spare.ready is None:
                self._failed()
            return
        if spare.ready is None:
            spare.ready = time.monotonic()
            self.failures = 0

    def end_hung(self) -> None:
        now = time.monotonic()
        for pid, spare in list(self.spares.items()):
            if spare.ready is None and now - spare.born > SPARE_BUILD_SECONDS:
                self._drop(pid)
                kill(pid, signal.SIGKILL)
                self._failed()

    def _failed(self) -> None:
        """A spare ended or hung before it was built: count it; give up after a few in a row."""
        self.failures += 1
        if self.failures == SPARE_FAILURES:
            print(f"wijkkompas: {MSG_NO_SPARES.format(n=SPARE_FAILURES)}", file=sys.stderr)

    def _drop(self, pid: int) -> None:
        self.spares.pop(pid).sock.close()
        self.leaving.add(pid)

    # --- using -------------------------------------------------------------------

    def take(self, message: bytes, slave: int) -> int | None:
        """Hand `message` and the pty `slave` to the oldest ready spare: its pid (now someone's
        session), or None when no spare could take it."""
        self.last_spawn = time.monotonic()
        ready = sorted(
            ((pid, s) for pid, s in self.spares.items() if s.ready is not None),
            key=lambda item: item[1].ready or 0.0,
        )
        for pid, spare in ready:
            del self.spares[pid]
            try:
                socket.send_fds(spare.sock, [message], [slave])
            except OSError:  # it died meanwhile: the next one
                kill(pid, signal.SIGKILL)
                self.leaving.add(pid)
                continue
            finally:
                spare.sock.close()
            return pid
        return None

    def reap(self) -> None:
        for pid in [*self.spares, *self.leaving]:
            try:
                done, _status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.leaving.discard(pid)
                spare = self.spares.pop(pid, None)
                if spare is not None:
                    spare.sock.close()
                    if spare.ready is None:
                        self._failed()

    def let_go(self) -> list[int]:
        """Close every spare's socket (a waiting spare then leaves at once); their pids, for
        the caller to reap."""
        pids = [*self.spares, *self.leaving]
        for spare in self.spares.values():
            spare.sock.close()
        self.spares.clear()
        self.leaving.clear()
        return pids
