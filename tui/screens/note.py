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
    """Esc and ctrl+s both keep what was typed: nothing typed is lost by closing.

    The external editor is offered only with `external_editor=True` (the user's own
    terminal). Otherwise it is not composed, not bound and refused if asked for: a
    workshop participant must never start a program on the server.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", t("save")),
        Binding("escape", "save", show=False),
        # priority: the TextArea would otherwise take ctrl+e (end of line) first
        Binding("ctrl+e", "external", t("note.editor"), priority=True),
    ]

    def __init__(self, k: Knooppunt, note: str, *, external_editor: bool = False) -> None:
        super().__init__()
        self.k = k
        self.note = note
        self.external_editor = external_editor

    def _editor_allowed(self) -> bool:
        return self.external_editor and bool(getattr(self.app, "external_editor_allowed", False))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "external" and not self._editor_allowed():
            return False
        return True

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text(f"{t('note.title')} ")
            title.append(f"{self.k.number}. {self.k.title}")
            yield Static(title, classes="dialog-title")
            yield TextArea(self.note, id="note-area", soft_wrap=True, show_line_numbers=False)
            yield Static(
                t("note.hint" if self.external_editor else "note.hint_no_editor"), classes="hint"
            )
            with Horizontal():
                if self.external_editor:
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
        if not self._editor_allowed():
            return
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
