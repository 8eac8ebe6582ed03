"""Overview: the phase × spoor matrix with progress, and what is stuck or overdue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from compass import progress
from compass.model import SPOREN, TRACKS
from compass.progress import count_statuses, percent_done, percent_text

from ..i18n import status_label, t

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


class OverviewScreen(ModalScreen[tuple[int, str] | None]):
    BINDINGS = [Binding("escape,o,q", "close", show=False)]

    @property
    def wk(self) -> Host:
        return cast("Host", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="overview"):
            yield Static(t("overview.title"), classes="dialog-title")
            yield DataTable(id="overview-table", cursor_type="cell", zebra_stripes=False)
            with VerticalScroll(id="overview-lists"):
                yield Static(id="lists")
            yield Static(t("overview.hint"), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("phase"), key="phase")
        for track in TRACKS:
            table.add_column(t(f"track.{track}"), key=track)
        self.refresh_state()
        table.focus()
        table.cursor_coordinate = Coordinate(0, 1)

    def refresh_state(self) -> None:
        pack, state = self.wk.pack, self.wk.state
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate
        table.clear()
        for phase in pack.phases:
            cells: list[Text] = [Text(f"{phase.number} {phase.title}"[:PHASE_WIDTH], no_wrap=True)]
            for track in TRACKS:
                if state is None:
                    counts = count_statuses("todo" for _ in pack.in_phase(phase.number, track))
                else:
                    counts = progress.counts(pack, state, phase.number, track)
                cells.append(progress_cell(counts))
            table.add_row(*cells, key=str(phase.number))
        table.cursor_coordinate = keep
        self.query_one("#lists", Static).update(self._lists())

    def _sporen(self, out: Text) -> None:
        """Progress per spoor letter (A-F), by the same rule as the matrix above."""
        pack, state = self.wk.pack, self.wk.state
        if state is None or not any(k.sporen for k in pack.knooppunten):
            return
        out.append(f"{t('overview.sporen')}:\n", style="bold")
        for letter, name in SPOREN.items():
            counts = progress.counts(pack, state, spoor=letter)
            if not sum(counts.values()):
                continue
            out.append(f"  {letter} ")
            out.append_text(progress_cell(counts))
            out.append(f"  {name[:34]}{'…' if len(name) > 34 else ''}\n", style="dim")

    def _lists(self) -> Text:
        pack, state = self.wk.pack, self.wk.state
        out = Text()
        if state is None:
            return out
        today = dt.date.today()
        out.append(f"{t('overview.next')}:\n", style="bold")
        for track, steps in progress.next_steps(pack, state).items():
            out.append(f"  {t('track.' + track)}: ", style="dim")
            out.append(
                ", ".join(f"{i.knooppunt.number}. {i.knooppunt.title}" for i in steps)
                or t("overview.none")
            )
            out.append("\n")
        stuck = [i.knooppunt for i in progress.stuck(pack, state)]
        late = [i.knooppunt for i in progress.overdue(pack, state, today)]
        for title, items in ((t("overview.stuck"), stuck), (t("overview.overdue"), late)):
            out.append(f"{title}: ", style="bold")
            if not items:
                out.append(t("overview.none") + "\n", style="dim")
                continue
            out.append("\n")
            for k in items:
                e = state.entry(k.slug)
                out.append(f"  {k.number:>3} ")
                out.append(k.title)
                extra = [
                    x
                    for x in (e.owner, e.due.isoformat() if e.due else "", status_label(e.status))
                    if x
                ]
                out.append(f"  ({', '.join(extra)})\n", style="dim")
        differ = progress.divergences(pack, state)
        out.append(f"{t('overview.diverge')}: ", style="bold")
        if not differ:
            out.append(t("overview.none") + "\n", style="dim")
        else:
            out.append("\n")
            for d in differ:
                out.append(f"  {d.knooppunt.number:>3} ")
                out.append(d.knooppunt.title)
                out.append(f"  ({d.text})\n", style="dim")
        self._sporen(out)
        return out

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        row, col = event.coordinate.row, event.coordinate.column
        if col == 0:
            return
        phase = self.wk.pack.phases[row].number
        self.dismiss((phase, TRACKS[col - 1]))

    def action_close(self) -> None:
        self.dismiss(None)
