"""Overview: the phase × spoor matrix with progress, and what is stuck or overdue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static

from compass import progress
from compass.model import SPOREN, TRACKS, Knooppunt
from compass.progress import count_statuses, percent_done, percent_text

from ..i18n import status_label, t
from ..widgets.knooppunt_lines import number_of, refill
from . import DIALOG_CSS

if TYPE_CHECKING:
    from ..host import Host

BAR = 8
PHASE_WIDTH = 26


def progress_cell(counts: dict[str, int]) -> Text:
    """A bar and `% afgerond` by the one rule of `compass.progress` (n.v.t. does not count)."""
    pct = percent_done(counts)
    filled = (BAR * (pct or 0)) // 100
    cell = Text("█" * filled, style="green")
    cell.append("░" * (BAR - filled), style="dim")
    cell.append(f" {percent_text(pct, status_label('skipped')):>6}")
    cell.append(f" ✗{counts['stuck']}" if counts.get("stuck") else "   ", style="bold red")
    return cell


class OverviewScreen(ModalScreen[tuple[int, str] | int | None]):
    """Enter on a cell filters the tree on that phase and track; on a listed knooppunt, jumps."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [Binding("escape,o,q", "close", show=False)]
    _since: str | None = None  # "sinds ...: +2 afgerond, ..." once read from git

    @property
    def wk(self) -> Host:
        return cast("Host", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="overview"):
            yield Static(t("overview.title"), classes="dialog-title")
            yield DataTable(id="overview-table", cursor_type="cell", zebra_stripes=False)
            yield OptionList(id="lists")
            yield Static(t("overview.hint"), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("phase"), key="phase")
        for track in TRACKS:
            table.add_column(t(f"track.{track}"), key=track)
        self.refresh_state()
        table.focus()
        table.cursor_coordinate = Coordinate(0, 1)
        path, state = self.wk.state_path, self.wk.state
        # what moved lately, from git: only at the user's own terminal (git is a program)
        if self.wk.external_editor_allowed and path is not None and state is not None:
            self._read_since(str(path))

    @work(thread=True, exclusive=True)
    def _read_since(self, path: str) -> None:
        import os

        from compass.report.since import since_line

        state = self.wk.state
        if state is None:
            return
        try:
            line = since_line(
                self.wk.pack, path, state, os.environ.get("WIJKKOMPAS_SINCE"), dt.date.today()
            )
        except Exception:  # the history is a bonus: never let it break the overview
            return
        if line:
            self.app.call_from_thread(self._show_since, line)

    def _show_since(self, line: str) -> None:
        self._since = line
        self.refresh_state()

    def refresh_state(self) -> None:
        pack, state = self.wk.pack, self.wk.state
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate
        table.clear()
        for phase in pack.phases:
            label = f"{phase.number} {phase.title}"[: self._phase_width()]
            cells: list[Text] = [Text(label, no_wrap=True)]
            for track in TRACKS:
                if state is None:
                    counts = count_statuses("todo" for _ in pack.in_phase(phase.number, track))
                else:
                    counts = progress.counts(pack, state, phase.number, track)
                cells.append(progress_cell(counts))
            table.add_row(*cells, key=str(phase.number))
        table.cursor_coordinate = keep
        refill(self.query_one("#lists", OptionList), self._lines(), first=False)

    def _phase_width(self) -> int:
        """The phase column gives way first on a narrow terminal, so both tracks stay whole."""
        return max(10, min(PHASE_WIDTH, self.app.size.width - 50))

    def _lines(self) -> list[tuple[Text, int | None]]:
        """The lists under the matrix, a line each; a knooppunt's line carries its number."""
        pack, state = self.wk.pack, self.wk.state
        out: list[tuple[Text, int | None]] = []
        if state is None:
            return out

        def heading(text: str) -> None:
            out.append((Text(text, style="bold"), None))

        def knooppunt(k: Knooppunt, extra: str) -> None:
            line = Text(f"  {k.number:>3} ")
            line.append(k.title)  # plain text: a `[` in a title stays a `[`
            if extra:
                line.append(f"  ({extra})", style="dim")
            out.append((line, k.number))

        if self._since:
            out.append((Text(self._since[0].upper() + self._since[1:], style="bold"), None))
        today = dt.date.today()
        heading(f"{t('overview.next')}:")
        for track, steps in progress.next_steps(pack, state).items():
            if not steps:
                out.append(
                    (Text(f"  {t('track.' + track)}: {t('overview.none')}", style="dim"), None)
                )
            for i in steps:
                knooppunt(i.knooppunt, t("track." + track))
        for title, items in (
            (t("overview.stuck"), progress.stuck(pack, state)),
            (t("overview.overdue"), progress.overdue(pack, state, today)),
        ):
            heading(f"{title}:" + ("" if items else f" {t('overview.none')}"))
            for i in items:
                bits = (i.owner, i.due.isoformat() if i.due else "", status_label(i.status))
                knooppunt(i.knooppunt, ", ".join(x for x in bits if x))
        differ = progress.divergences(pack, state)
        heading(f"{t('overview.diverge')}:" + ("" if differ else f" {t('overview.none')}"))
        for d in differ:
            knooppunt(d.knooppunt, d.text)
        if any(k.sporen for k in pack.knooppunten):
            heading(f"{t('overview.sporen')}:")
            for letter, name in SPOREN.items():
                counts = progress.counts(pack, state, spoor=letter)
                if not sum(counts.values()):
                    continue
                line = Text(f"  {letter} ")
                line.append_text(progress_cell(counts))
                line.append(f"  {name[:34]}{'…' if len(name) > 34 else ''}", style="dim")
                out.append((line, None))
        return out

    @on(OptionList.OptionSelected, "#lists")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(number_of(event.option.id))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        row, col = event.coordinate.row, event.coordinate.column
        if col == 0:
            return
        phase = self.wk.pack.phases[row].number
        self.dismiss((phase, TRACKS[col - 1]))

    def action_close(self) -> None:
        self.dismiss(None)
