"""A workshop participant can never make the server start a program.

The note dialog offers the user's own `$EDITOR` at their own terminal. In a workshop
that editor would run on the server, as the facilitator's account, attached to the
participant's pty: a shell for anyone with the room code. These tests put editors
that leave a marker file on the server (`$EDITOR`, `$VISUAL`, and `nano`, `vi`,
`vim` first on its PATH) and try every way in: ctrl+e, Tab to every button and
Enter, and the command palette.
"""

from __future__ import annotations

import asyncio
import os
import stat
import time
from pathlib import Path

import pytest

from compass.pack import load_pack
from tests.test_serve_ssh import STEP, Session, connect, start_server, stop_server
from tui.app import WijkkompasApp
from tui.screens.note import NoteDialog
from tui.workshop.session import WorkshopApp

EDITORS = ("nano", "vi", "vim", "editor", "sensible-editor", "emacs")


def trap(tmp: Path) -> tuple[Path, Path]:
    """A directory of fake editors that each write the marker, and the marker's path."""
    bin_dir = tmp / "fake-bin"
    bin_dir.mkdir()
    marker = tmp / "an-editor-ran"
    for name in (*EDITORS, "trap-editor"):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\necho "$0 $*" >> {marker}\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return bin_dir, marker


@pytest.mark.parametrize("spares", ["0", "1"])  # a forked session, and one built ahead
async def test_no_key_button_or_palette_entry_runs_an_editor_over_ssh(
    tmp_path: Path, spares: str
) -> None:
    bin_dir, marker = trap(tmp_path)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "EDITOR": str(bin_dir / "trap-editor"),
        "VISUAL": str(bin_dir / "trap-editor"),
    }
    server = start_server(tmp_path, "--passcode", "--spares", spares, extra_env=env)
    try:
        if spares != "0":
            deadline = time.monotonic() + 60
            while not any("Zaal klaar" in line for line in server.output):
                assert time.monotonic() < deadline, "no spare was built"
                await asyncio.sleep(0.1)
        conn = await connect(server, "mallory")
        proc = await asyncio.wait_for(
            conn.create_process(
                term_type="xterm-256color",
                term_size=(80, 24),
                encoding=None,
                env={"EDITOR": "trap-editor"},
            ),
            STEP,
        )
        s = Session(conn, proc)
        await s.wait_for("Welkom bij de workshop")
        mark = s.mark()
        await s.press("\r")
        await s.wait_for("(Gemeente)", since=mark)
        mark = s.mark()
        await s.press("n")
        await s.wait_for("ctrl+s opslaan", since=mark)
        assert "In $EDITOR" not in s.text(mark) and "ctrl+e" not in s.text(mark)
        await s.press("x", "\x05", pause=0.4)  # ctrl+e
        for _ in range(6):  # Tab to every button, Enter on each
            await s.press("\t", "\r", pause=0.4)
        await s.press("\x1b", pause=0.6)
        await s.press("\x10", pause=0.6)  # ctrl+p: the palette
        await s.press(*"editor", "\r", pause=0.3)
        await s.press("\x1b", "\x1b", pause=0.4)
        await s.press(*"EDITOR", "\r", pause=0.3)
        await asyncio.sleep(1.0)
        assert not marker.exists(), marker.read_text()
        assert proc.exit_status is None  # the session is still there, nothing suspended it
        await s.press("q")
        conn.close()
    finally:
        stop_server(server.proc)
    assert not marker.exists()


@pytest.mark.parametrize("app_class", [WijkkompasApp, WorkshopApp])
def test_only_the_local_launcher_allows_an_editor(app_class: type[WijkkompasApp]) -> None:
    """Off unless switched on: a new way of serving the app inherits 'no programs'."""
    assert app_class.external_editor_allowed is False


async def test_note_dialog_without_the_editor_has_no_button_and_ignores_ctrl_e(
    tmp_path: Path,
) -> None:
    bin_dir, marker = trap(tmp_path)
    pack = load_pack()
    app = WijkkompasApp(pack, None)
    k = pack.knooppunten[0]
    old = {v: os.environ.get(v) for v in ("EDITOR", "VISUAL")}
    os.environ["EDITOR"] = os.environ["VISUAL"] = str(bin_dir / "trap-editor")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            dialog = NoteDialog(k, "", external_editor=False)
            await app.push_screen(dialog)
            await pilot.pause()
            assert not dialog.query("#external")
            await pilot.press("ctrl+e")
            dialog.action_external()  # even called directly (a palette, a future binding)
            await pilot.pause()
            # asked for, but the app does not allow it: still nothing
            app.external_editor_allowed = False
            other = NoteDialog(k, "", external_editor=True)
            await app.push_screen(other)
            await pilot.pause()
            other.action_external()
            await pilot.pause()
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert not marker.exists()


async def test_locally_the_editor_is_offered(tmp_path: Path) -> None:
    pack = load_pack()
    app = WijkkompasApp(pack, None)
    app.external_editor_allowed = True
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = NoteDialog(pack.knooppunten[0], "", external_editor=True)
        await app.push_screen(dialog)
        await pilot.pause()
        assert dialog.query("#external")
        assert dialog.check_action("external", ()) is True
