"""Edit the note of a knooppunt: in the app, or in the user's own $EDITOR."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from compass.model import Knooppunt
from compass.problems import EditConflict

from ..i18n import t
from ..widgets.calm import CalmTextArea
from . import DIALOG_CSS
from .confirm import conflict_question, discard_question

# Saves the text, expecting the file's note to still be `expected`; None when saved,
# else the one-line reason. Raises EditConflict when someone else changed the note.
SaveNote = Callable[[str, str], "str | None"]


class NoteDialog(ModalScreen[bool]):
    """Ctrl+S saves, Esc cancels (asking first when something was typed).

    The dialog saves itself and stays open when that fails, with the text and the
    reason. It remembers the note as it was when it opened: when the file's note has
    changed since (a colleague, a `wijkkompas set`), it shows both and lets the user
    choose; it never overwrites either in silence. Dismisses with True when saved.

    The external editor is offered only with `external_editor=True` (the user's own
    terminal). Otherwise it is not composed, not bound and refused if asked for: a
    workshop participant must never start a program on the server.
    """

    CSS_PATH = DIALOG_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("save")),
        Binding("escape", "cancel", show=False),
        # priority: the TextArea would otherwise take ctrl+e (end of line) first
        Binding("ctrl+e", "external", t("note.editor"), priority=True),
    ]

    def __init__(
        self,
        k: Knooppunt,
        note: str,
        save: SaveNote | None = None,
        *,
        external_editor: bool = False,
    ) -> None:
        super().__init__()
        self.k = k
        self.note = note  # as it was when the dialog opened: what the file must still hold
        self.save = save
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
            yield CalmTextArea(self.note, id="note-area", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="error", classes="error")
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

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self._save(self.text, expected=self.note)

    def _save(self, text: str, expected: str) -> None:
        if text == expected or self.save is None:
            self.dismiss(False)
            return
        try:
            error = self.save(text, expected)
        except EditConflict as conflict:
            theirs = str(conflict.theirs or "")
            self.app.push_screen(
                conflict_question(theirs, text), lambda answer: self._resolved(answer, theirs)
            )
            return
        if error:
            self.query_one("#error", Static).update(Text(error))  # the text stays, to try again
            return
        self.dismiss(True)

    def _resolved(self, answer: str | None, theirs: str) -> None:
        mine = self.text
        if answer == "both":
            self._save(f"{theirs}\n\n{mine}" if theirs.strip() else mine, expected=theirs)
        elif answer == "mine":
            self._save(mine, expected=theirs)
        elif answer == "theirs":
            self.dismiss(False)
        else:  # back to editing; the next save asks again
            self.query_one(TextArea).focus()

    def _discard_if_asked(self, answer: str | None) -> None:
        if answer == "discard":
            self.dismiss(False)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.text == self.note:
            self.dismiss(False)
            return
        self.app.push_screen(discard_question(), self._discard_if_asked)

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
            self.notify(t("note.back_from_editor"), timeout=5)
        except Exception as exc:  # SuspendNotSupported over SSH/web, or no such editor
            self.notify(f"{editor}: {exc.__class__.__name__} {exc}".strip(), severity="warning")
        finally:
            os.unlink(path)
