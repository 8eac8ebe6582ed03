"""Help: every key, generated from the same command declarations as footer and palette."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from compass.model import STATUS_MARKS, STATUS_STYLES

from ..commands import NAVIGATOR_COMMANDS, PALETTE_KEY
from ..i18n import status_label, t
from ..widgets.process_tree import OVERDUE_STYLE
from . import DIALOG_CSS


def key_for(app, command) -> str:
    """The key as currently bound: a remapped key shows here too."""
    keymap = getattr(app, "keymap", {}) or {}
    return keymap.get(command.id, command.display)


def marks_legend() -> list[tuple[Text, str]]:
    """What the signs on a line of the tree mean."""
    rows = [
        (Text(STATUS_MARKS[s], style=STATUS_STYLES[s]), status_label(s))
        for s in ("todo", "doing", "done", "stuck", "skipped")
    ]
    rows.append((Text("★", style="yellow"), t("help.mark_bookmark")))
    rows.append((Text(t("help.owner_example"), style="italic"), t("help.mark_owner")))
    rows.append((Text("!", style=OVERDUE_STYLE), t("help.mark_overdue")))
    return rows


class HelpScreen(ModalScreen[None]):
    CSS_PATH = DIALOG_CSS
    BINDINGS = [Binding("escape,question_mark,q", "close", show=False)]

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for c in (*NAVIGATOR_COMMANDS, PALETTE_KEY):
            table.add_row(Text(key_for(self.app, c)), Text(f"{c.label}: {c.help}"))
        table.add_row("", "")
        table.add_row(Text(t("help.nav")), "")
        for keys, what in (
            ("↑ ↓  j k", t("help.move")),
            ("enter", t("help.open")),
            ("tab", t("help.tab")),
            ("esc", t("help.close")),
        ):
            table.add_row(Text(keys), Text(what))
        table.add_row("", "")
        table.add_row(Text(t("help.marks")), "")
        for mark, what in marks_legend():
            table.add_row(mark, Text(what))
        with Vertical(classes="dialog"):
            yield Static(t("help.title"), classes="dialog-title")
            with VerticalScroll():
                yield Static(table, id="help-table")

    def action_close(self) -> None:
        self.dismiss(None)
