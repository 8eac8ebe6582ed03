"""The page of one knooppunt: what the team recorded, the pack's text, and the links."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Hashable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from compass.model import STATUS_MARKS, STATUS_STYLES, Knooppunt, ProcessPack, is_overdue

from ..i18n import language, status_label, t
from ..textual_compat import SameLines, SizedByLayout
from .page import shown_page
from .page_view import PageView
from .strips import flat_strip

if TYPE_CHECKING:
    from compass.progress import View


def _views(pack: ProcessPack, perspectives: Mapping[str, str] | None) -> tuple[View, ...]:
    """`compass.progress.views`, imported only for an entry with perspectives (most have none):
    that module is not needed for the first paint."""
    if not perspectives:
        return ()
    from compass.progress import views

    return views(pack, perspectives)


LINKS_KEPT = 256  # knooppunten whose link options are kept (a few hundred bytes each)
DETAIL_DELAY = 0.12  # seconds: render the page once the cursor (or a search choice) rests


class LinkList(OptionList):
    """Links to related knooppunten; Enter jumps."""


class PageText(SameLines, SizedByLayout, Static):
    """Text in the pane: the record block, a title, the 'more' line; each line sent in as few
    pieces as it can be. (The page itself is a `PageView`.)

    The lines of a text shown before (a knooppunt's record block, when the team comes back
    to it) are not drawn again (`SameLines`).
    """

    def shown_key(self) -> Hashable | None:
        visual = self.visual
        if not isinstance(visual, Content):
            return None
        return visual.plain, tuple(visual.spans)  # Content's own equality ignores the styles

    def draw_lines(self, crop: Region) -> list[Strip]:
        return [flat_strip(strip) for strip in super().draw_lines(crop)]


class PageScroll(SizedByLayout, VerticalScroll):
    """The scrolling part of the pane (focusable: the keys scroll the page).

    It has no scrollbar: its column would be one more piece of every line to send
    (~0.8 KB a page change over SSH). The line below it says when there is more.
    """

    can_focus = True

    def after_size_update(self) -> None:
        self._show_more()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        if self.show_vertical_scrollbar:
            # Textual moves the thumb of the (sizeless, never drawn) scrollbar here. Its
            # refresh made Textual rebuild its map of the whole screen, and the next
            # scroll step then repainted the whole screen (~6 KB a line over SSH).
            # Set quietly, the assignment in Textual's watcher changes nothing.
            bar = self.vertical_scrollbar
            bar.set_reactive(ScrollBar.position, bar.validate_position(new_value))
        super().watch_scroll_y(old_value, new_value)
        self._show_more()

    def _show_more(self) -> None:
        pane = self.parent
        if isinstance(pane, DetailPane):
            pane.show_more(round(self.scroll_y) < self.max_scroll_y)


class DetailPane(Vertical):
    """Beside the tree: the page (record block, text, links) and the 'more' line under it.

    The 'more' line is outside the scrolling part, so a new page (which changes the
    scrolling part's size) does not repaint it. Esc in the page goes back to the tree.
    """

    BINDINGS = [Binding("escape", "leave", show=False)]

    def __init__(self, pack: ProcessPack, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pack = pack
        self.number: int | None = None
        self._page_for: int | None = None
        # Done when the latest page is in place: first-paint and the benchmarks await it.
        self.page_update: asyncio.Future | None = None
        self._page_timer: Timer | None = None
        self._more: bool | None = None
        self._made_links: dict[int, list[Option]] = {}
        self._entry = None  # the record of the knooppunt whose page is (or is about to be) shown

    def compose(self) -> ComposeResult:
        with PageScroll(id="page-scroll"):
            yield PageText(id="record")
            yield PageView(id="page")
            yield PageText(t("detail.links"), id="links-title", classes="section-title")
            yield LinkList(id="links")
        yield PageText(id="more")

    def read(self) -> None:
        """Focus the page, to read it (and scroll it with the keys)."""
        self.query_one(PageScroll).focus()

    def action_leave(self) -> None:
        """Esc while reading: back to the tree (the first thing before this pane)."""
        self.screen.focus_previous()
        while self.screen.focused is not None and self in self.screen.focused.ancestors:
            self.screen.focus_previous()

    def show_more(self, more: bool) -> None:
        """'↓ meer' under the page while it goes on below."""
        if more != self._more and self.is_mounted:
            self._more = more
            text = ("↓ more" if language() == "en" else "↓ meer") if more else ""
            self.query_one("#more", Static).update(text, layout=False)

    def show(self, k: Knooppunt, entry, *, page_delay: float | None = None) -> None:
        """Show knooppunt `k` with the team's record `entry` (re-renders the page only when `k`
        changes).

        With `page_delay` the page, and the record block with it, follow that many
        seconds later, so the frame that answers the key is not held up by them. They
        change in one frame: the pane is painted once, not once for each.
        """
        self.number = k.number
        if self._page_for == k.number:
            self.show_record(k, entry)
            return
        self._page_for = k.number
        self._entry = entry
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
            self.show_record(k, self._entry)
            self.query_one("#page", PageView).show(shown_page(self.pack, "k", k.number))
            self.query_one("#links-title").display = True
            self.query_one(LinkList).display = True
            self.page_update = asyncio.get_running_loop().create_future()
            self.page_update.set_result(None)
            self.query_one(LinkList).set_options(self._links(k))
            self.query_one(PageScroll).scroll_home(animate=False)

    def _links(self, k: Knooppunt) -> list[Option]:
        """The options of `k`'s links, made once per knooppunt: an option shown before keeps
        what the list worked out for it (its text as Textual content)."""
        made = self._made_links.get(k.number)
        if made is None:
            out = self.pack.links_of(k)
            back = [o for o in self.pack.linked_from(k) if o not in out]
            made = (
                [
                    Option(Text(f"→ {o.number}. {o.title} (fase {o.phase})"), id=str(o.number))
                    for o in out
                ]
                + [
                    Option(Text(f"← {o.number}. {o.title} (fase {o.phase})"), id=str(o.number))
                    for o in back
                ]
                + ([Option(Text(t("law.link")), id="law")] if k.wetgeving and self.pack.law else [])
            )
            if len(self._made_links) >= LINKS_KEPT:
                self._made_links.clear()
            self._made_links[k.number] = made
        return made

    def show_overview_page(self, kind: str, phase: int = 0, track: str = "") -> None:
        """A phase, spoor or 'about' page in place of a knooppunt (no record, no links)."""
        if self._page_timer is not None:
            self._page_timer.stop()
            self._page_timer = None
        self.number = None
        self._page_for = None
        self.query_one("#record", Static).update("")
        self.query_one("#page", PageView).show(shown_page(self.pack, kind, phase, track))
        self.query_one(LinkList).clear_options()
        self.query_one("#links-title").display = False
        self.query_one(LinkList).display = False
        self.query_one(PageScroll).scroll_home(animate=False)

    def show_record(self, k: Knooppunt, entry) -> None:
        """The status block: status, owner, due date, note (always plain text)."""
        self._entry = entry
        status = getattr(entry, "status", "todo") if entry is not None else "todo"
        line = Text()  # only the title and the labels are bold: a long note stays calm to read
        line.append(f"{k.number}. {k.title}", style="bold")
        line.append("\n")
        line.append(
            f"{STATUS_MARKS.get(status, '?')} {status_label(status)}",
            style=STATUS_STYLES.get(status, "") or "bold",
        )
        if entry is not None:
            if entry.owner:
                line.append(f"  ·  {t('detail.owner')}: ")
                line.append(entry.owner)
            if entry.due:
                line.append(f"  ·  {t('detail.due')}: {entry.due.isoformat()}")
                if is_overdue(entry, dt.date.today()):
                    line.append(f" {t('detail.overdue')}", style="bold red")
            if getattr(entry, "bookmark", False):
                line.append(f"  ·  ★ {t('detail.bookmarked')}", style="yellow")
            seen = _views(self.pack, getattr(entry, "perspectives", None))
            if seen:  # how each role sees it, in the pack's order of parties
                line.append(f"\n{t('detail.perspectives')}: ", style="bold")
                line.append(" · ".join(f"{v.label}: {status_label(v.status)}" for v in seen))
            if entry.note:
                line.append(f"\n{t('detail.note')}: ", style="bold")
                line.append(entry.note)
            if getattr(entry, "updated", None):
                who = f" ({entry.by})" if getattr(entry, "by", "") else ""
                line.append(
                    f"\n{t('detail.updated')}: {entry.updated:%Y-%m-%d %H:%M}{who}", style="dim"
                )
        self.query_one("#record", Static).update(line)
