"""Set the status of a knooppunt (with owner and due date): a small, keyboard-first dialog."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from compass.dates import parse_date
from compass.model import STATUS_MARKS, STATUSES, STUCK_PREFIX, Knooppunt

from ..i18n import status_label, t
from ..widgets.calm import CalmInput
from . import DIALOG_CSS


class StatusDialog(ModalScreen[dict[str, Any] | None]):
    """Enter on a status saves at once; Tab reaches owner and due date; 1-5 pick directly."""

    CSS_PATH = DIALOG_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        *(Binding(str(i + 1), f"pick({i})", show=False) for i in range(len(STATUSES))),
    ]

    def __init__(self, k: Knooppunt, entry) -> None:
        super().__init__()
        self.k = k
        self.entry = entry

    def compose(self) -> ComposeResult:
        current = self.entry.status if self.entry else "todo"
        with Vertical(classes="dialog", id="status-dialog"):
            title = Text(f"{t('status.title')} ")
            title.append(f"{self.k.number}. {self.k.title}")
            yield Static(title, classes="dialog-title")
            yield OptionList(
                *[
                    Option(f"{i + 1}  {STATUS_MARKS[s]} {status_label(s)}", id=s)
                    for i, s in enumerate(STATUSES)
                ],
                id="statuses",
            )
            with Horizontal(id="status-fields"):
                with Vertical():
                    yield Label(t("status.owner"))
                    yield CalmInput(value=self.entry.owner if self.entry else "", id="owner")
                with Vertical():
                    yield Label(t("status.due"))
                    yield CalmInput(
                        value=self.entry.due.isoformat() if self.entry and self.entry.due else "",
                        placeholder="2027-03-31",
                        id="due",
                    )
            yield Static("", id="error", classes="error")
            with Horizontal():
                yield Button(t("save"), variant="primary", id="save")
                yield Button(t("cancel"), id="cancel")
        self._initial = current

    def on_mount(self) -> None:
        ol = self.query_one("#statuses", OptionList)
        ol.highlighted = STATUSES.index(self._initial)
        ol.focus()

    def action_pick(self, index: int) -> None:
        if isinstance(self.focused, Input):
            return
        self.query_one("#statuses", OptionList).highlighted = index
        self._submit()

    @on(OptionList.OptionSelected, "#statuses")
    def _chosen(self) -> None:
        self._submit()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _submit(self) -> None:
        ol = self.query_one("#statuses", OptionList)
        status = STATUSES[ol.highlighted or 0]
        owner = self.query_one("#owner", Input).value.strip()
        due_text = self.query_one("#due", Input).value.strip()
        try:
            due = parse_date(due_text) if due_text else None
        except ValueError as exc:
            self.query_one("#error", Static).update(Text(str(exc)))
            self.query_one("#due", Input).focus()
            return
        changes: dict[str, Any] = {}
        old = self.entry
        if status != (old.status if old else "todo"):
            changes["status"] = status
        if owner != (old.owner if old else ""):
            changes["owner"] = owner
        if due != (old.due if old else None):
            changes["due"] = due
        if changes.get("status") == "stuck":  # why? one optional line, kept in the note
            self.app.push_screen(ReasonDialog(), lambda reason: self._stuck(changes, reason))
            return
        self.dismiss(changes)

    def _stuck(self, changes: dict[str, Any], reason: str | None) -> None:
        if reason:
            note = self.entry.note if self.entry else ""
            changes["note"] = (
                f"{note}\n{STUCK_PREFIX} {reason}" if note else f"{STUCK_PREFIX} {reason}"
            )
        self.dismiss(changes)

    def _discard_if_asked(self, answer: str | None) -> None:
        if answer == "discard":
            self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Esc cancels; typed owner or due date is not thrown away without asking."""
        typed_owner = self.query_one("#owner", Input).value.strip()
        typed_due = self.query_one("#due", Input).value.strip()
        old = self.entry
        was_due = old.due.isoformat() if old and old.due else ""
        if typed_owner == (old.owner if old else "") and typed_due == was_due:
            self.dismiss(None)
            return
        from .confirm import discard_question

        self.app.push_screen(discard_question(), self._discard_if_asked)


class ReasonDialog(ModalScreen[str | None]):
    """Why is it stuck? One optional line; Enter keeps it, Esc or an empty line skips it."""

    CSS_PATH = DIALOG_CSS

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "skip", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("stuck.question"), classes="dialog-title")
            yield CalmInput(placeholder=t("stuck.placeholder"), id="reason", max_length=200)
            yield Static(t("stuck.hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _done(self) -> None:
        self.dismiss(" ".join(self.query_one("#reason", Input).value.split()) or None)

    def action_skip(self) -> None:
        self.dismiss(None)
