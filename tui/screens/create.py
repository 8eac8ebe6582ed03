"""First run on a missing state file: offer to create it instead of failing."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from compass.problems import InvalidInput, ProblemsError

from ..i18n import t
from ..widgets.calm import CalmInput
from . import DIALOG_CSS


class CreateStateScreen(ModalScreen[bool]):
    CSS_PATH = DIALOG_CSS
    BINDINGS = [Binding("escape", "read_only", show=False)]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("create.title"), classes="dialog-title")
            yield Static(t("create.intro", path=str(self.path)), markup=False)
            yield Label(t("create.name"))
            yield CalmInput(id="name")
            yield Label(t("create.wijk"))
            yield CalmInput(id="wijk")
            yield Label(t("create.gemeente"))
            yield CalmInput(id="gemeente")
            yield Static("", id="error", classes="error")
            with Horizontal():
                yield Button(t("create.make"), variant="primary", id="make")
                yield Button(t("create.read_only"), id="read-only")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#make")
    def make(self) -> None:
        from compass.state import create_state

        name = self.query_one("#name", Input).value.strip()
        if not name:
            self.query_one("#error", Static).update(t("create.need_name"))
            self.query_one("#name", Input).focus()
            return
        try:
            create_state(
                self.path,
                self.app.pack,  # type: ignore[attr-defined]  # the app is a WijkkompasApp
                name=name,
                gemeente=self.query_one("#gemeente", Input).value.strip(),
                wijk=self.query_one("#wijk", Input).value.strip(),
            )
        except (InvalidInput, ProblemsError, OSError) as exc:
            self.query_one("#error", Static).update(str(exc))
            return
        self.dismiss(True)

    @on(Button.Pressed, "#read-only")
    def action_read_only(self) -> None:
        self.dismiss(False)
