"""Agenda (`a`): open work by due date, overdue first, and the next steps below it.

The same list as `wijkkompas agenda` (`compass.progress.agenda`), and the next
steps of the overview (`compass.progress.next_steps`). Enter on a line jumps there.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from compass import progress
from compass.progress import Item
from compass.text import one_line

from ..i18n import status_label, t
from ..widgets.knooppunt_lines import number_of, refill
from . import DIALOG_CSS

if TYPE_CHECKING:
    from ..host import Host

OWNER_WIDTH = 30


def today() -> dt.date:
    """The date the agenda counts from (a test sets its own)."""
    return dt.date.today()


OVERDUE_STYLE = "bold red"


def cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, "…" where it was cut."""
    if cell_len(text) <= width:
        return text
    return text[: max(0, width - 1)] + "…" if width > 0 else ""


def agenda_line(i: Item, width: int, today: dt.date) -> Text:
    """Two lines: mark, date, number and title; under it status, owner and how late."""
    late = i.due is not None and i.due < today
    line = Text("! " if late else "  ", style=OVERDUE_STYLE)
    line.append(i.due.isoformat() if i.due else t("agenda.no_date").ljust(10))
    line.append(f"  {i.knooppunt.number:>3}. ")
    indent = line.cell_len  # the second line starts under the title
    line.append(cut(i.knooppunt.title, width - indent))  # plain text: `[` stays `[`
    line.append("\n" + " " * indent)
    line.append(status_label(i.status), style="dim")
    if i.owner:
        line.append(" · ", style="dim")
        line.append(cut(one_line(i.owner), OWNER_WIDTH), style="italic")
    if late:
        line.append(" · ", style="dim")
        line.append(t("agenda.late", days=i.days_late), style=OVERDUE_STYLE)
    return line


class AgendaScreen(ModalScreen[int | None]):
    """Enter on a knooppunt jumps there in the navigator; esc (or a) closes."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [Binding("escape,a,q", "close", show=False)]

    @property
    def wk(self) -> Host:
        return cast("Host", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="agenda"):
            yield Static(t("agenda.title"), classes="dialog-title")
            yield OptionList(id="agenda-list")
            yield Static(t("agenda.hint"), classes="hint")

    def on_mount(self) -> None:
        self.refresh_state()
        self.query_one(OptionList).focus()

    def refresh_state(self) -> None:
        """(Re)fill the list; the project state changed, here or outside."""
        refill(self.query_one(OptionList), self._lines(), first=True)

    def _width(self) -> int:
        """The width of a line in the list: the dialog (80, at most 95% of the screen) less
        its border and padding, the list's scrollbar and an option's padding."""
        return max(30, min(80, self.app.size.width * 95 // 100) - 9)

    def _lines(self) -> list[tuple[Text, int | None]]:
        pack, state = self.wk.pack, self.wk.state
        if state is None:
            return [(Text(t("no_state"), style="dim"), None)]
        width = self._width()
        out: list[tuple[Text, int | None]] = []
        items = progress.agenda(pack, state, today())
        out.append((Text(t("agenda.open"), style="bold"), None))
        if not items:
            out.append((Text("  " + t("agenda.none"), style="dim"), None))
        for i in items:
            out.append((agenda_line(i, width, today()), i.knooppunt.number))
        out.append((Text(""), None))
        out.append((Text(t("overview.next") + ":", style="bold"), None))
        for track, steps in progress.next_steps(pack, state).items():
            if not steps:
                label = f"  {t('track.' + track)}: {t('overview.none')}"
                out.append((Text(label, style="dim"), None))
            for i in steps:
                line = Text(f"  {t('track.' + track):<10}  {i.knooppunt.number:>3}. ")
                room = width - line.cell_len
                line.append(cut(i.knooppunt.title, room))
                line.no_wrap = True
                out.append((line, i.knooppunt.number))
        return out

    @on(OptionList.OptionSelected, "#agenda-list")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(number_of(event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)
