"""Sessions built before anyone logs in (tui/workshop/spare.py), with a real SSH server.

A spare is nobody until someone arrives: it has no terminal, writes no presence
and is not counted as a participant. Whoever logs in gets one with their own name,
role and terminal; a spare that died is passed over; without spares a login
forks a session as before.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from tests.cli_helpers import wijkkompas
from tests.test_serve_ssh import (
    STEP,
    Server,
    Session,
    connect,
    join,
    processes,
    start_server,
    stop_server,
)
from tui.workshop.presence import presence_dir, read_presence
from tui.workshop.spare import Arrival


def has_terminal(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[4]) != 0


def spares(server: Server) -> list[int]:
    _zygote, children = processes(server)
    return [pid for pid in children if not has_terminal(pid)]


def wait_for_output(server: Server, text: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in server.output:
            if text in line:
                return line
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in the server's output:\n{''.join(server.output)}")


async def log_in(server: Server, user: str, term: str, size: tuple[int, int]) -> Session:
    """A participant whose terminal is not the 80x24 a spare was built at."""
    conn = await connect(server, user)
    proc = await conn.create_process(term_type=term, term_size=size, encoding=None)
    return Session(conn, proc)


@pytest.fixture
def room(tmp_path: Path):
    srv = start_server(tmp_path, "--passcode", "--max-sessions", "3", "--spares", "2")
    try:
        yield srv
    finally:
        stop_server(srv.proc)


async def test_spares_are_nobody_until_someone_arrives_and_then_that_person(room: Server) -> None:
    line = wait_for_output(room, "Zaal klaar")
    assert "2 sessies" in line
    waiting = spares(room)
    assert len(waiting) == 2
    assert read_presence(presence_dir(room.state)) == {}  # nobody in the console's list

    bram = await join(room, "bram", project="Serveerwijk", expect="Welkom bij de workshop, bram")
    try:
        await bram.wait_for("bram (Gemeente)")  # the navigator's title: name and role
        _zygote, children = processes(room)
        session = [pid for pid in children if has_terminal(pid)]
        assert session and session[0] in waiting  # a spare took the terminal
        deadline = time.monotonic() + STEP
        while not read_presence(presence_dir(room.state)):
            assert time.monotonic() < deadline, "the session never said who is there"
            await asyncio.sleep(0.1)
        (who,) = read_presence(presence_dir(room.state)).values()
        assert who.name == "bram"
        assert who.role == "gemeente"
        mark = bram.mark()
        await bram.press("g", "4", "2", "\r")  # an ordinary session: the keys work
        await bram.wait_for("42.", since=mark)
    finally:
        await bram.close()


async def test_a_spare_on_a_larger_terminal_is_laid_out_for_it(room: Server) -> None:
    wait_for_output(room, "Zaal klaar")
    s = await log_in(room, "grote", "xterm-256color", (120, 40))
    try:
        await s.wait_for("Welkom bij de workshop, grote")
        mark = s.mark()
        await s.press("\r")
        await s.wait_for("Ga naar", since=mark)
        rows = [r for r in s.text(mark).splitlines() if "│" in r]
        assert any(len(r.rstrip()) > 80 for r in rows), "the navigator kept the spare's 80 columns"
    finally:
        await s.close()


async def test_a_dead_spare_is_passed_over(room: Server) -> None:
    wait_for_output(room, "Zaal klaar")
    for pid in spares(room):
        os.kill(pid, signal.SIGKILL)
    await asyncio.sleep(0.3)
    anna = await join(room, "anna")
    try:
        await anna.wait_for("anna (Gemeente)")
    finally:
        await anna.close()


async def test_without_spares_a_login_forks_a_session(tmp_path: Path) -> None:
    srv = start_server(tmp_path, "--passcode", "--max-sessions", "2", "--spares", "0")
    try:
        await asyncio.sleep(1.0)
        assert spares(srv) == []
        assert not any("Zaal klaar" in line for line in srv.output)
        kees = await join(srv, "kees", expect="Welkom bij de workshop, kees")
        try:
            await kees.wait_for("kees (Gemeente)")
        finally:
            await kees.close()
    finally:
        stop_server(srv.proc)


def test_a_negative_number_of_spares_is_a_usage_error(tmp_path: Path) -> None:
    state = tmp_path / "w.yaml"
    assert wijkkompas("new", str(state), "--name", "X").returncode == 0
    r = wijkkompas("serve", str(state), "--ssh", "0", "--passcode", "--spares", "-1")
    assert r.returncode == 2
    assert "--spares" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"user": ["x"], "term": {"a": 1}, "leader": "yes", "notice": 5}',
        b'{"user": "\\u001b[2Jevil\\nname", "term": "xterm;rm -rf /"}',
    ],
)
def test_a_handover_message_is_made_safe(data: bytes) -> None:
    arrival = Arrival.from_message(data)
    assert arrival.term == "xterm-256color" or arrival.term in ("xterm",)
    assert arrival.leader is False
    assert "\x1b" not in arrival.user and "\n" not in arrival.user
    assert Arrival.from_message(arrival.message()) == arrival


async def test_a_spare_on_a_tiny_terminal_says_so_and_recovers(room: Server) -> None:
    wait_for_output(room, "Zaal klaar")
    s = await log_in(room, "klein", "xterm", (3, 2))
    try:
        await s.wait_for("Terminal te klein")
        s.proc.change_terminal_size(80, 24)
        await s.wait_for("Welkom bij de workshop, klein")
        mark = s.mark()
        await s.press("\r")
        await s.wait_for("klein (Gemeente)", since=mark)
        assert "Traceback" not in s.text()
    finally:
        await s.close()


async def test_a_name_already_in_the_room_gets_the_notice_from_a_spare(room: Server) -> None:
    wait_for_output(room, "Zaal klaar")
    first = await join(room, "sam")
    try:
        second = await join(room, "sam", expect="al in gebruik")
        try:
            await second.wait_for("sam (2) (Gemeente)")
        finally:
            await second.close()
    finally:
        await first.close()


async def test_the_facilitator_and_a_participant_both_from_spares_follow_mode_works(
    room: Server,
) -> None:
    wait_for_output(room, "Zaal klaar")
    waiting = set(spares(room))
    anna = await join(room, "anna", code=room.code("facilitator"))
    bram = await join(room, "bram")
    try:
        _zygote, children = processes(room)
        taken = [p for p in children if has_terminal(p) and p in waiting]
        assert len(taken) == 2  # both sessions are spares that took a terminal
        seen = bram.mark()
        await anna.press("f")
        await anna.wait_for("zaal volgt jou")  # only a leader can start follow mode
        await bram.wait_for("volgt anna", since=seen)
    finally:
        await anna.press("f")
        await anna.close()
        await bram.close()


@pytest.mark.parametrize(
    ("max_sessions", "spares", "built"),
    [(40, None, 40), (3, None, 3), (200, None, 40), (200, 120, 120), (40, 0, 0)],
)
def test_how_many_sessions_are_built_ahead(max_sessions, spares, built) -> None:
    """One per place by default, at most 40 (each waits with ~18 MiB); --spares decides."""
    import argparse

    from tui.workshop.serve import default_spares

    args = argparse.Namespace(max_sessions=max_sessions, spares=spares)
    assert default_spares(args) == built
