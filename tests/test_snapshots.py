"""What people see, at 80×24: SVG snapshots of the main screens.

After a deliberate change to a screen: `pytest tests/test_snapshots.py --snapshot-update`,
then look at the new pictures in the report before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compass.pack import load_pack
from compass.state import StateStore, create_state
from tui.app import WijkkompasApp

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path: Path) -> WijkkompasApp:
    pack = load_pack(use_cache=False)
    path = tmp_path / "wijkkompas.yaml"
    create_state(path, pack, name="Voorbeeldwijk", gemeente="Voorbeeldstad")
    store = StateStore(path, pack)
    for number, status in ((1, "done"), (2, "done"), (3, "doing"), (5, "stuck"), (9, "skipped")):
        store.update(pack.by_number(number).slug, status=status)
    # Drop the timestamps the updates wrote, so the pictures do not change with the clock.
    text = "\n".join(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith(("updated:", "by:"))
    )
    path.write_text(text + "\n", encoding="utf-8")
    return WijkkompasApp(pack, path, user="test")


async def settle(pilot) -> None:
    await pilot.pause(0.4)


def test_navigator(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_navigator_after_goto(snap_compare, app) -> None:
    async def go(pilot) -> None:
        await settle(pilot)
        await pilot.press("g", "4", "2", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=go)


def test_overview(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=SIZE, press=["o"], run_before=settle)


def test_search(snap_compare, app) -> None:
    async def search(pilot) -> None:
        await settle(pilot)
        # the full-text index is built in a thread after the first paint; on a busy
        # machine it may not be there yet, and the hits would differ
        pilot.app.index.ensure_built()
        await pilot.press("slash", *"netcongestie")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_help(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=SIZE, press=["question_mark"], run_before=settle)


def test_status_dialog(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=SIZE, press=["s"], run_before=settle)
