"""The page of one knooppunt: what the team recorded, the pack's text, and the links."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
import asyncio
from textual.timer import Timer
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from compass.model import Knooppunt, ProcessPack

from ..i18n import status_label, t
from .page import about_renderable, page_renderable, phase_renderable, track_renderable
from .process_tree import STATUS_MARKS, STATUS_STYLES


class LinkList(OptionList):
    """Links to related knooppunten; Enter jumps."""


class DetailPane(VerticalScroll):
    can_focus = True

    def __init__(self, pack: ProcessPack, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pack = pack
        self.number: int | None = None
        self._page_for: int | None = None
        # Done when the latest page is in place: first-paint and the benchmarks await it.
        self.page_update: asyncio.Future | None = None
        self._page_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="record")
        yield Static(id="page")
        yield Static(t("detail.links"), id="links-title", classes="section-title")
        yield LinkList(id="links")

    def show(self, k: Knooppunt, entry, *, page_delay: float | None = None) -> None:
        """Show knooppunt `k` with the team's record `entry` (re-renders the page only when `k` changes).

        With `page_delay` the record block changes at once and the page follows that
        many seconds later, so the frame that answers the key is not held up by it.
        """
        self.number = k.number
        self.show_record(k, entry)
        if self._page_for != k.number:
            self._page_for = k.number
            if self._page_timer is not None:
                self._page_timer.stop()
                self._page_timer = None
            if page_delay:
                self._page_timer = self.set_timer(page_delay, partial(self._show_page, k))
            else:
                self._show_page(k)

    def _show_page(self, k: Knooppunt) -> None:
        self._page_timer = None
        if self._page_for == k.number:
            self.query_one("#page", Static).update(page_renderable(self.pack, k))
            self.query_one("#links-title").display = True
            self.query_one(LinkList).display = True
            self.page_update = asyncio.get_running_loop().create_future()
            self.page_update.set_result(None)
            links = self.query_one(LinkList)
            links.clear_options()
            out = self.pack.links_of(k)
            back = [o for o in self.pack.linked_from(k) if o not in out]
            links.add_options(
                [Option(Text(f"→ {o.number}. {o.title} (fase {o.phase})"), id=str(o.number)) for o in out]
                + [Option(Text(f"← {o.number}. {o.title} (fase {o.phase})"), id=str(o.number)) for o in back]
            )
            self.scroll_home(animate=False)

    def show_overview_page(self, kind: str, phase: int = 0, track: str = "") -> None:
        """A phase, spoor or 'about' page in place of a knooppunt (no record, no links)."""
        if self._page_timer is not None:
            self._page_timer.stop()
            self._page_timer = None
        self.number = None
        self._page_for = None
        self.query_one("#record", Static).update("")
        if kind == "phase":
            page = phase_renderable(self.pack, phase)
        elif kind == "track":
            page = track_renderable(self.pack, track)
        else:
            page = about_renderable(self.pack)
        self.query_one("#page", Static).update(page)
        self.query_one(LinkList).clear_options()
        self.query_one("#links-title").display = False
        self.query_one(LinkList).display = False
        self.scroll_home(animate=False)

    def show_record(self, k: Knooppunt, entry) -> None:
        """The status block: status, owner, due date, note (always plain text)."""
        status = getattr(entry, "status", "todo") if entry is not None else "todo"
        line = Text(f"{k.number}. ", style="bold")
        line.append(k.title, style="bold")
        line.append("\n")
        line.append(f"{STATUS_MARKS.get(status, '?')} {status_label(status)}", style=STATUS_STYLES.get(status, "") or "bold")
        if entry is not None:
            if entry.owner:
                line.append(f"  ·  {t('detail.owner')}: ")
                line.append(entry.owner)
            if entry.due:
                line.append(f"  ·  {t('detail.due')}: {entry.due.isoformat()}")
            if getattr(entry, "bookmark", False):
                line.append(f"  ·  ★ {t('detail.bookmarked')}", style="yellow")
            if entry.note:
                line.append(f"\n{t('detail.note')}: ", style="bold")
                line.append(entry.note)
            if getattr(entry, "updated", None):
                who = f" ({entry.by})" if getattr(entry, "by", "") else ""
                line.append(f"\n{t('detail.updated')}: {entry.updated:%Y-%m-%d %H:%M}{who}", style="dim")
        self.query_one("#record", Static).update(line)
