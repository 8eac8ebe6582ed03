"""Edit the note of a knooppunt: in the app, or in the user's own $EDITOR."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from compass.model import Knooppunt

from ..i18n import t


class NoteDialog(ModalScreen[str | None]):
    """Esc and ctrl+s both keep what was typed: nothing typed is lost by closing."""

    BINDINGS = [
        Binding("ctrl+s", "save", t("save")),
        Binding("escape", "save", show=False),
        Binding("ctrl+e", "external", t("note.editor")),
    ]

    def __init__(self, k: Knooppunt, note: str) -> None:
        super().__init__()
        self.k = k
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text(f"{t('note.title')} ")
            title.append(f"{self.k.number}. {self.k.title}")
            yield Static(title, classes="dialog-title")
            yield TextArea(self.note, id="note-area", soft_wrap=True, show_line_numbers=False)
            yield Static(t("note.hint"), classes="hint")
            with Horizontal():
                yield Button(t("note.editor"), id="external")
                yield Button(t("save"), variant="primary", id="save")
                yield Button(t("cancel"), id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        self.dismiss(text if text != self.note else None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#external")
    def action_external(self) -> None:
        """Suspend the app and open $EDITOR (or $VISUAL) on the note in a temp file."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "nano"
        area = self.query_one(TextArea)
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
            f.write(area.text)
            path = f.name
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), path], check=False)
            with open(path, encoding="utf-8") as f:
                area.load_text(f.read().rstrip("\n"))
        except Exception as exc:  # SuspendNotSupported over SSH/web, or no such editor
            self.notify(f"{editor}: {exc.__class__.__name__} {exc}".strip(), severity="warning")
        finally:
            os.unlink(path)
