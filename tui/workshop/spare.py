"""Spare sessions: built before anyone logs in, handed a participant's terminal on arrival.

Why: measured on 2 cores, a session forked from the zygote still spent ~60 ms of CPU
before its welcome showed and ~120 ms building the navigator once the role was
chosen; a room of 40 logging in at once queued that up to well over a second each.
A spare has done that work beforehand, headless at 80x24: the navigator, with the
welcome dialog over it. On arrival it takes the terminal and paints (~10 ms of CPU),
and choosing a role only uncovers the navigator (~30 ms).

While it waits, a spare's event loop is blocked in one `recv` on purpose: no timers,
no polls, no CPU. It has no terminal, writes nothing (no presence, no follow file)
and ends when the zygote closes its socket. Its timers (the state poll among them)
run once it has arrived, so it shows the state of that moment, not of its making.

    spare -> zygote   {"op": "ready"}                         once built
    zygote -> spare   {"user", "term", "leader", "notice"} + the pty's slave fd
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import termios
from collections.abc import Callable
from dataclasses import dataclass

from .names import clean_name, safe_term

MAX_MESSAGE = 65536


@dataclass(frozen=True)
class Arrival:
    """Who takes a spare: what the SSH server knows of the participant."""

    user: str
    term: str
    leader: bool
    notice: str

    @classmethod
    def from_message(cls, data: bytes) -> Arrival:
        """The zygote's packet; anything malformed becomes an anonymous participant."""
        try:
            msg = json.loads(data)
        except ValueError:
            msg = {}
        if not isinstance(msg, dict):
            msg = {}
        return cls(
            user=clean_name(str(msg.get("user", ""))),
            term=safe_term(msg.get("term")),
            leader=msg.get("leader") is True,
            notice=str(msg.get("notice", "")),
        )

    def message(self) -> bytes:
        return json.dumps(
            {"user": self.user, "term": self.term, "leader": self.leader, "notice": self.notice}
        ).encode()


def take_terminal(slave: int, term: str) -> None:
    """Make the pty `slave` this process's controlling terminal and its standard streams."""
    try:
        os.setsid()
    except PermissionError:  # already the leader of its own session (a spare is)
        pass
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    os.close(slave)
    os.environ["TERM"] = term


class SpareLine:
    """The spare's end of its socket to the zygote."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def ready(self) -> None:
        self.sock.send(b'{"op": "ready"}')

    def wait(self) -> tuple[Arrival, int] | None:
        """Block until a participant arrives: their details and pty; None when the zygote
        lets this spare go (or is gone)."""
        while True:
            try:
                data, fds, _flags, _addr = socket.recv_fds(self.sock, MAX_MESSAGE, 1)
            except InterruptedError:
                continue
            except OSError:
                return None
            if not data:
                for fd in fds:
                    os.close(fd)
                return None
            if len(fds) == 1:
                self.sock.close()
                return Arrival.from_message(data), fds[0]
            for fd in fds:  # not a handover: ignore
                os.close(fd)


def leave_quietly() -> None:
    """A spare nobody took: no terminal to restore, nothing to save."""
    os._exit(0)


def arrive(line: SpareLine, on_arrival: Callable[[Arrival], None]) -> None:
    """Wait (blocking the event loop, see the module's docstring) and then hand over.

    While waiting, SIGTERM and SIGHUP end the spare at once (its loop, which would
    handle them, is not running); `on_arrival` sets up its own handling again."""
    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    try:
        line.ready()
    except OSError:  # the zygote is gone (stopped, or died while this spare was built)
        leave_quietly()
        return
    got = line.wait()
    if got is None:
        leave_quietly()
        return
    arrival, slave = got
    take_terminal(slave, arrival.term)
    on_arrival(arrival)
