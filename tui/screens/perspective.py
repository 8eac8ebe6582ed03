"""Record how one role sees a knooppunt ("stand van zaken"): role, then status."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from compass.model import STATUSES, Knooppunt, role_choices

from ..i18n import status_label, t
from . import DIALOG_CSS


class PerspectiveDialog(ModalScreen[tuple[str, str] | None]):
    CSS_PATH = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        k: Knooppunt,
        current: dict[str, str],
        role: str | None = None,
        stakeholders: dict[str, str] | None = None,
        suggested: str | None = None,
    ) -> None:
        """`role`: known already (a workshop asked it), so only the status is asked.
        `suggested`: the role chosen last time, highlighted first (still changeable)."""
        super().__init__()
        self.suggested = suggested
        self.roles = role_choices(stakeholders or {})
        self.k = k
        self.current = current
        self.role = role

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text(f"{t('perspective.title')} ")
            title.append(f"{self.k.number}. {self.k.title}")
            yield Static(title, classes="dialog-title")
            yield Static(t("perspective.role"), id="step")
            yield OptionList(*self._role_options(), id="roles")
            yield OptionList(*[Option(status_label(s), id=s) for s in STATUSES], id="statuses")

    def _role_options(self):
        for role, label in self.roles.items():
            seen = self.current.get(role)
            text = Text(label)
            if seen:
                text.append(f"  ({status_label(seen)})", style="dim")
            yield Option(text, id=role)

    def on_mount(self) -> None:
        statuses = self.query_one("#statuses", OptionList)
        if self.role:
            self._ask_status(self.role)
        else:
            statuses.display = False
            roles = self.query_one("#roles", OptionList)
            if self.suggested in self.roles:
                roles.highlighted = list(self.roles).index(self.suggested)
            roles.focus()

    def _ask_status(self, role: str) -> None:
        self.role = role
        self.query_one("#roles", OptionList).display = False
        statuses = self.query_one("#statuses", OptionList)
        statuses.display = True
        statuses.highlighted = STATUSES.index(self.current.get(role, "todo"))
        self.query_one("#step", Static).update(
            t("perspective.status", role=self.roles.get(role, role))
        )
        statuses.focus()

    @on(OptionList.OptionSelected, "#roles")
    def _role(self, event: OptionList.OptionSelected) -> None:
        self._ask_status(event.option.id or next(iter(self.roles)))

    @on(OptionList.OptionSelected, "#statuses")
    def _status(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.role or next(iter(self.roles)), event.option.id or "todo"))

    def action_cancel(self) -> None:
        self.dismiss(None)
