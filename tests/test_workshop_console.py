"""The facilitator's console: `serve --ssh` in a real terminal (tmux, 80x24) shows the room live.

Who is in the room and where, the codes, follow mode started, moved and stopped
from the console, and a clean end: every session gets its goodbye, the server
exits 0 and the file is valid. `--quiet` keeps the plain log for scripts.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from compass.pack import load_pack
from compass.state import load_state
from tests.cli_helpers import SCRIPT, wijkkompas
from tests.test_e2e_tmux import Tmux
from tests.test_serve_ssh import PASSCODE, STEP, Server, free_port, join
from tui.workshop.follow import follow_path, read_follow

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def console(tmp: Path, *options: str) -> tuple[Tmux, Server]:
    state = tmp / "wijkkompas.yaml"
    assert wijkkompas("new", str(state), "--name", "Consolewijk").returncode == 0
    port = free_port()
    env = (
        f"env TERM=xterm-256color WIJKKOMPAS_PASSCODE={PASSCODE} XDG_DATA_HOME={tmp / 'data'} "
        f"WIJKKOMPAS_CACHE_DIR={tmp / 'cache'}"
    )
    term = Tmux(
        f"{env} {SCRIPT} serve {state} --ssh 127.0.0.1:{port} --passcode --facilitator anna "
        f"{' '.join(options)}; echo EXIT=$?; sleep 30",
        tmp,
    )
    return term, Server(None, port, state, tmp / "data", [])  # type: ignore[arg-type]


async def test_the_console_shows_the_room_steers_follow_mode_and_ends_cleanly(
    tmp_path: Path,
) -> None:
    term, server = console(tmp_path, "--spares", "2")
    try:
        screen = term.wait_for("In de zaal (0 van 40; 2 klaargezet", timeout=60)
        term.wait_for("Zaal klaar: 2 sessies")
        assert f"Zaal: {PASSCODE}" in screen and "Facilitator: " in screen
        assert "Consolewijk" in screen and "Volgmodus: uit" in screen
        bram = await join(server, "bram", project="Consolewijk")
        fatima = await join(server, "fatima", project="Consolewijk")
        screen = term.wait_for("In de zaal (2 van 40")
        term.wait_for("fatima")
        assert "bram" in term.screen() and "Gemeente" in term.screen()

        mark = bram.mark()
        term.keys("g")
        term.wait_for("Naar welk knooppunt")
        term.keys("4", "2", "Enter")
        await bram.wait_for("42. ", since=mark)
        term.wait_for("Volgmodus: aan, de zaal kijkt naar 42.")
        assert read_follow(follow_path(server.state)).number == 42
        term.keys("f")
        term.wait_for("Volgmodus: uit")
        assert not read_follow(follow_path(server.state)).active

        term.keys("e")
        term.wait_for("Workshop beëindigen?")
        term.keys("j")
        await bram.wait_for("De workshop is gestopt")
        await fatima.wait_for("De workshop is gestopt")
        screen = term.wait_for("EXIT=", timeout=30)
        assert "EXIT=0" in screen and "Workshop gestopt" in screen
        for s in (bram, fatima):
            await asyncio.wait_for(s.proc.wait_closed(), STEP)
            s.conn.close()
        load_state(server.state, load_pack())  # still a valid file
        assert not follow_path(server.state).exists()
    finally:
        term.close()


def test_quiet_keeps_the_plain_log(tmp_path: Path) -> None:
    term, _ = console(tmp_path, "--quiet", "--spares", "1")
    try:
        screen = term.wait_for("Hoogstens", timeout=60)
        assert "ssh -p" in screen and "Code voor de facilitator:" in screen
        assert "In de zaal" not in screen
        term.keys("C-c")
        term.wait_for("EXIT=0")
    finally:
        term.close()
