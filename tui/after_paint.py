"""What the app does once its first frame is out: pages and tree lines ahead, the search
index, the dialogs' CSS and widgets, the quiet GC.

A mixin of `WijkkompasApp`, kept apart because it is one responsibility: work that
makes a later key cheaper, done after the first paint so it never delays it, and only
in a process that runs one app (a workshop's sessions share their zygote's).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Iterator
from typing import TYPE_CHECKING, Any

from .screens import DIALOG_CSS

if TYPE_CHECKING:
    from textual.app import App

    from compass.model import ProcessPack
    from compass.search import SearchIndex

    from .idle import IdleWork

    class _App(App[Any]):
        """What this part uses of the app."""

        exit_after_paint: bool
        freeze_gc: bool
        render_ahead: bool
        idle_work: IdleWork
        pack: ProcessPack

        @property
        def index(self) -> SearchIndex: ...
        def collect_when_idle(self) -> None: ...

    _AppBase = _App
else:
    _AppBase = object

WARM_AFTER = 0.3  # seconds after the first paint: register the dialogs' widgets (see _warm_dialogs)


class AfterFirstPaint(_AppBase):
    """Work done after the first paint (see the module)."""

    def first_paint_done(self, page: Awaitable | None = None) -> None:
        """The navigator is composed and `page` (its detail page update) is under way.

        With WIJKKOMPAS_EXIT_AFTER_PAINT=1: wait until the page's blocks are mounted,
        then exit after the next refresh, i.e. right after the first complete paint.
        """
        if self.freeze_gc:
            self.collect_when_idle()  # tui/quiet_gc.py

        def painted() -> None:
            if self.exit_after_paint:
                self.call_after_refresh(self.exit)
            # one app per process (run_app); not in workshop sessions, where it would cost each
            # session its own copy
            elif self.freeze_gc:
                # after the next refresh: `painted` can run before the first frame (the page
                # is often in place already), and the index thread (~30 ms of CPU for the
                # bundled pack) would share the GIL with that frame
                self.call_after_refresh(self._build_index_in_background)
                self.set_timer(WARM_AFTER, self._warm_dialogs)
            if not self.exit_after_paint:
                # queued now (`idle_work.running` says so), stepped from the frame after the
                # first paint on: a step before it held that paint up by up to a slice
                self.idle_work.held = True
                self.render_pages_ahead()
                self.call_after_refresh(self.idle_work.release)

        if page is None or (isinstance(page, asyncio.Future) and page.done()):
            painted()  # the page is already in place: the next frame is the complete first paint
            return

        async def after_page() -> None:
            await page
            painted()

        self.run_worker(after_page(), name="after-first-paint", exit_on_error=True)

    def render_pages_ahead(self) -> None:
        """Render every page at the pane's width while the user reads (`tui.idle`), so a jump
        shows its page in the frame that answers the key. Only in a process that runs one
        app: a workshop's sessions share the pages their zygote rendered before the fork."""
        if self.render_ahead and not self.idle_work.running("pages"):
            from .widgets.page import prerender_steps

            self.idle_work.add("pages", prerender_steps(self.pack))

    def work_ahead(self, name: str, steps: Iterator[None]) -> None:
        """Queue work that makes a later key cheaper (`tui.idle`), under the same rule as the
        pages rendered ahead: only in a process that runs one app."""
        if self.render_ahead:
            self.idle_work.add(name, steps)

    def _warm_dialogs(self) -> None:
        """While the first page is read: load the dialogs and register their widget types.

        The first time a widget type is mounted Textual parses its CSS; doing that now
        makes the first `s` or `o` open as fast as every later one.
        """
        from textual.widgets import OptionList

        from .screens import pickers, status  # noqa: F401

        self._add_dialog_css()
        if not self.screen.is_attached:
            return
        warm = [OptionList(classes="-warm")]
        self.screen.mount_all(warm)
        self.call_after_refresh(lambda: [w.remove() for w in warm])

    def _add_dialog_css(self) -> None:
        """The dialogs' rules (each dialog's CSS_PATH), parsed now: the first dialog then finds
        them in place. Textual would add them the same way with the first dialog, and then
        restyle the whole app; they match nothing outside a dialog, so nothing is restyled."""
        path = str(DIALOG_CSS)
        if not self.stylesheet.has_source(path, ""):
            self.stylesheet.add_source(DIALOG_CSS.read_text(encoding="utf-8"), read_from=(path, ""))
            self.stylesheet.rules  # noqa: B018 - parsed here, not on the next key

    def _build_index_in_background(self) -> None:
        """The full-text index, so the first search does not wait for it (~0.5 s at 10,000
        pages)."""
        index = self.index
        threading.Thread(target=index.ensure_built, name="search-index", daemon=True).start()
