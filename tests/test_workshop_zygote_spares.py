"""The zygote's spares when building them goes wrong: it stops trying, and logins still work.

Real forks of a real `Zygote` (without the warm-up, which these tests do not need); what a
spare runs is replaced by something that crashes or hangs.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import socket
import time
from pathlib import Path

import pytest

import tui.workshop.session as session
import tui.workshop.spare_pool as spare_pool
from tui.workshop.spare_pool import SPARE_FAILURES, room_for_a_spare
from tui.workshop.zygote import Zygote


def make_zygote(tmp_path: Path) -> tuple[Zygote, socket.socket]:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    args = argparse.Namespace(
        state=str(tmp_path / "w.yaml"),
        pack=None,
        lang="nl",
        facilitator=None,
        no_mouse=True,
        no_warm=False,
        spares=4,
        places=6,
    )
    z = Zygote(theirs, args)
    z.pack = None  # type: ignore[assignment]  # the replaced spare never looks at them
    z.store = None  # type: ignore[assignment]
    return z, ours


def turn(z: Zygote, seconds: float) -> None:
    """What `Zygote.serve` does in its loop, for `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        lines = z.pool.sockets()
        ready, _, _ = select.select(list(lines), [], [], 0.05) if lines else ([], [], [])
        for sock in ready:
            z.pool.said(lines[sock])
        z.reap()
        z.pool.end_hung()
        z.pool.refill()
        if not lines:
            time.sleep(0.05)


def end(z: Zygote) -> None:
    z.end_all()
    assert not z.pool.spares and not z.children


def test_spares_that_crash_are_given_up_after_a_few(tmp_path, monkeypatch, capfd) -> None:
    def crash(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(session, "run_spare", crash)
    z, _server = make_zygote(tmp_path)
    try:
        turn(z, 3.0)
        assert z.pool.failures >= SPARE_FAILURES
        assert z.pool.spares == {}  # none building, none waiting: it stopped trying
        assert "lukt niet" in capfd.readouterr().err
    finally:
        end(z)


def test_a_spare_that_hangs_while_being_built_is_ended(tmp_path, monkeypatch) -> None:
    def hang(*args, **kwargs):
        time.sleep(60)
        return 0

    monkeypatch.setattr(session, "run_spare", hang)
    monkeypatch.setattr(spare_pool, "SPARE_BUILD_SECONDS", 0.5)
    z, _server = make_zygote(tmp_path)
    try:
        turn(z, 0.3)
        first = set(z.pool.spares)
        assert first, "spares are being built"
        turn(z, 1.5)
        for pid in first:  # ended and reaped
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        assert z.pool.failures >= 1
    finally:
        end(z)


def test_a_spare_that_was_built_and_ended_by_the_zygote_is_not_a_failure(
    tmp_path, monkeypatch
) -> None:
    def built(pack, state, line, **kwargs):
        line.ready()
        line.wait()  # until the zygote lets it go
        return 0

    monkeypatch.setattr(session, "run_spare", built)
    z, _server = make_zygote(tmp_path)
    try:
        turn(z, 1.0)
        assert sum(1 for s in z.pool.spares.values() if s.ready is not None) == 4
        assert z.pool.failures == 0
    finally:
        end(z)


@pytest.mark.parametrize(
    ("memory", "room"),
    [
        (None, True),
        ((8 << 30, 16 << 30), True),
        ((3 << 30, 16 << 30), False),  # less than a quarter of the machine left
        ((400 << 20, 1 << 30), False),  # less than 512 MiB left
        ((600 << 20, 1 << 30), True),
    ],
)
def test_spares_leave_memory_for_the_rest_of_the_machine(memory, room) -> None:
    assert room_for_a_spare(memory) is room


def test_sigterm_ends_a_waiting_spare_at_once(tmp_path, monkeypatch) -> None:
    from tui.workshop.spare import SpareLine, arrive

    def waiting(pack, state, line: SpareLine, **kwargs):
        arrive(line, lambda arrival: None)  # blocks in recv, as a built spare does
        return 0

    monkeypatch.setattr(session, "run_spare", waiting)
    z, _server = make_zygote(tmp_path)
    try:
        turn(z, 1.0)
        pid = next(p for p, s in z.pool.spares.items() if s.ready is not None)
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while pid in z.pool.spares and time.monotonic() < deadline:
            turn(z, 0.1)
        assert pid not in z.pool.spares
    finally:
        end(z)


def test_a_spare_whose_zygote_is_gone_leaves_quietly() -> None:
    """Built after its zygote died (the server restarts a lost zygote): no traceback, exit 0."""
    from tui.workshop.spare import SpareLine, arrive

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ours.close()  # the zygote's end: gone
    pid = os.fork()
    if pid == 0:
        try:
            arrive(SpareLine(theirs), lambda arrival: os._exit(3))
        finally:
            os._exit(4)  # arrive() must have left with os._exit(0) before this
    _, status = os.waitpid(pid, 0)
    theirs.close()
    assert os.waitstatus_to_exitcode(status) == 0
