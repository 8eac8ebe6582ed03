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


TEAM = (  # number, owner, due: one overdue, one due later, one without a date
    (3, "Sanne de Vries", "2020-01-10"),
    (4, "corporatie", "2099-06-30"),
    (7, "projectleider gemeente", None),
)


@pytest.fixture
def team_app(app: WijkkompasApp, monkeypatch) -> WijkkompasApp:
    """The same project with owners and due dates; the agenda counts from a fixed day."""
    import datetime as dt

    from tui.screens import agenda

    store = StateStore(app.state_path, app.pack)
    for number, owner, due in TEAM:
        store.update(app.pack.by_number(number).slug, owner=owner, due=due)
    path = app.state_path
    text = "\n".join(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith(("updated:", "by:"))
    )
    path.write_text(text + "\n", encoding="utf-8")
    monkeypatch.setattr(agenda, "today", lambda: dt.date(2026, 12, 7))
    return WijkkompasApp(app.pack, path, user="Sanne de Vries")


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


def test_tree_shows_whole_titles_owner_and_overdue(snap_compare, team_app) -> None:
    """The tree has the room while it has the focus: titles, an owner's tag, "!" when late."""
    assert snap_compare(team_app, terminal_size=SIZE, run_before=settle)


def test_agenda(snap_compare, team_app) -> None:
    assert snap_compare(team_app, terminal_size=SIZE, press=["a"], run_before=settle)
