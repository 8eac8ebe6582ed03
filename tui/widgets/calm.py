"""Text fields whose cursor stands still.

Why: a blinking cursor repaints its field twice a second for as long as a dialog is
open: over SSH, bytes for every participant with a dialog open, and a screen that is
never quite at rest. A steady cursor is as easy to find and calmer to look at.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input, TextArea


class CalmInput(Input):
    """An `Input` with a steady cursor."""

    cursor_blink = reactive(False, init=False)


class CalmTextArea(TextArea):
    """A `TextArea` with a steady cursor."""

    cursor_blink = reactive(False, init=False)
