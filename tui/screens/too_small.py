"""Shown instead of everything else while the terminal is too small to lay out the app.

Textual cannot wrap text into a width of zero, and at a few columns the navigator's
panes have none: the app would end with a traceback (over SSH, in the participant's
face). This screen is one line of text without padding or border, safe at 1×1.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ..i18n import t

MIN_WIDTH = 40
MIN_HEIGHT = 12


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { padding: 0; border: none; }
    TooSmallScreen > Static { width: 1fr; height: 1fr; padding: 0; border: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static(t("too_small", w=MIN_WIDTH, h=MIN_HEIGHT))
