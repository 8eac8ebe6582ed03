"""`--lang en`: every text of the UI in English, in the navigator and in a workshop.

The content of the pack stays Dutch; the test uses the small test pack, and skips
any Dutch UI string that also occurs in that pack's own text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from compass.state import create_state
from tui.app import WijkkompasApp
from tui.i18n import STRINGS, set_language
from tui.workshop.session import WorkshopApp

SIZE = (100, 40)


def screen_text(app: WijkkompasApp) -> str:
    """What the screen shows, as text: every line of the SVG screenshot."""
    svg = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", "\n".join(lines))).replace("\xa0", " ")


def dutch_only(pack_dir: Path) -> list[str]:
    """UI strings whose Dutch differs from the English, as literal fragments (no {placeholders})."""
    content = " ".join(
        p.read_text(encoding="utf-8") for p in pack_dir.rglob("*") if p.is_file()
    ).lower()
    out = set()
    for key, nl in STRINGS["nl"].items():
        if STRINGS["en"].get(key, nl) == nl:
            continue
        for fragment in re.split(r"\{[^}]*\}", nl):
            fragment = fragment.strip(" :·()")
            if len(fragment) >= 5 and fragment.lower() not in content:
                out.add(fragment)
    return sorted(out)


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("nl")


def assert_english(text: str, forbidden: list[str]) -> None:
    found = [f for f in forbidden if f in text]
    assert not found, f"Dutch UI text on an English screen: {found}\n{text}"


async def test_navigator_help_and_status_dialog_in_english(
    tmp_path: Path, mini_pack, mini_pack_dir, english
) -> None:
    state = tmp_path / "w.yaml"
    create_state(state, mini_pack, name="Testwijk")
    forbidden = dutch_only(mini_pack_dir)
    assert "Ga naar" in forbidden and "Welkom bij de workshop" in forbidden  # the check can fail
    app = WijkkompasApp(mini_pack, state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Go to" in text and "Goal" in text and "Parties involved" in text
        assert_english(text, forbidden)
        await pilot.press("question_mark")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "every key" in text
        assert_english(text, forbidden)
        await pilot.press("escape", "s")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "in progress" in text
        assert_english(text, forbidden)
        await pilot.press("escape", "o")
        await pilot.pause(0.3)
        assert_english(screen_text(app), forbidden)


async def test_workshop_welcome_in_english(
    tmp_path: Path, mini_pack, mini_pack_dir, english
) -> None:
    state = tmp_path / "w.yaml"
    create_state(state, mini_pack, name="Testwijk")
    forbidden = dutch_only(mini_pack_dir)
    app = WorkshopApp(mini_pack, state, user="")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Welcome to the workshop" in text
        assert_english(text, forbidden)
        await pilot.press(*"Anna", "enter", "enter")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Quit" in text and "Search" in text
        assert_english(text, forbidden)
    app.follow.close()
