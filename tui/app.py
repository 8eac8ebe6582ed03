"""The Textual app: wiring between the core (pack, state store, search) and the screens."""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import events
from textual.app import App
from textual.command import Provider
from textual.geometry import Size
from textual.screen import Screen

from compass.model import Knooppunt, ProcessPack, is_overdue
from compass.problems import EditConflict, InvalidInput, ProblemsError
from compass.state.models import default_user
from compass.text import one_line

from .after_paint import AfterFirstPaint
from .commands import load_keymap
from .i18n import t
from .idle import IdleWork
from .quiet_gc import QuietGC
from .report_command import ReportCommand
from .screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen, too_small
from .terminal_watch import watch_terminal
from .textual_compat import (
    TypeAhead,
    kept_scrollbars,
    known_cell_widths,
    known_key_characters,
    lazy_strip_caches,
)
from .widgets.process_tree import Marks

if TYPE_CHECKING:
    from compass.search import SearchIndex
    from compass.state import ProjectState, StateStore

    from .host import FollowMode

APP_CSS = Path(__file__).parent / "wijkkompas.tcss"  # absolute: subclasses live in other packages
POLL_SECONDS = 0.4  # outside changes show up well within a second


def _enable_gc() -> None:
    """`gc.enable`, as a Python function: for a builtin callback Textual counts the parameters
    from its text signature, which on the first paint costs a `tokenize` pass and the compile of
    its large regex (~1.5 ms)."""
    gc.enable()


class KeyGrab(Protocol):
    def key(self, event: events.Key) -> bool: ...  # True: the key was used
    def keeps_click(self, event: events.MouseDown) -> bool: ...  # True: the click answers
    def cancel(self) -> None: ...


class WijkkompasApp(TypeAhead, QuietGC, AfterFirstPaint, ReportCommand, App):
    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = APP_CSS
    TITLE = "Wijkkompas"
    # the navigator screen declares the palette's provider
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = set()
    ENABLE_COMMAND_PALETTE = True
    # What Textual would work out for ctrl+p, given: it finds it through a lookup in the Unicode
    # name table, which alone touches ~0.25 MiB of that table on the way to the first paint.
    COMMAND_PALETTE_DISPLAY = "^p"
    # Starting a program (the user's $EDITOR) is only for the user at their own
    # terminal. Off by default: only the local launcher (tui.run) switches it on, so a
    # workshop session, or any new way of serving the app, never runs one on the server.
    external_editor_allowed = False
    # The user's own config file (tui/user_config.py: the role they chose last) is read and
    # written only for the user at their own terminal; off by default for the same reason.
    personal_config = False

    def __init__(
        self,
        pack: ProcessPack,
        state_path: Path | None,
        *,
        user: str = "",
        start_at: int | None = None,
        create_if_missing: bool = True,
    ) -> None:
        super().__init__()
        known_key_characters()  # no Unicode name table in memory for the first screen's keys
        known_cell_widths()  # nor Rich's width table for the pages' dashes and bullets
        lazy_strip_caches()  # a line of the screen makes its caches when it uses them
        kept_scrollbars()  # a scrollbar where it was drawn before is not drawn again
        # No animations anywhere: over SSH every frame of a smooth scroll is another
        # repaint (Page Down was ~14 frames, ~30 KB; at once it is one, ~2 KB).
        self.animation_level = "none"
        self.pack = pack
        self.state_path = state_path
        self.user = user or default_user()
        self.start_at = start_at
        self.create_if_missing = create_if_missing
        self.store: StateStore | None = None
        self.state: ProjectState | None = None
        self.exit_after_paint = os.environ.get("WIJKKOMPAS_EXIT_AFTER_PAINT") == "1"
        self.freeze_gc = False  # see first_paint_done
        self.render_ahead = False  # see render_pages_ahead; set by run_app, not in workshops
        self.follow: FollowMode | None = None  # set by the workshop server
        self._last_input = 0.0  # time.monotonic() of the last key or mouse event
        self.idle_work = IdleWork(self.set_interval, lambda: self._last_input)
        self.idle_work.held = True  # until the first frame is out (see first_paint_done)
        # A line that asks something (go-to in the footer) takes the keys without taking
        # the focus: moving focus restyles the screen (~10 ms a time), and keys typed
        # right after `g` are already on their way to the focused widget.
        self.key_grab: KeyGrab | None = None
        self.last_role: str | None = None  # the role chosen with `v` in this session

    @cached_property
    def index(self) -> SearchIndex:
        from compass.search import SearchIndex  # not on the way to the first paint

        return SearchIndex(self.pack)

    # --- start ---------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The navigator itself when the state is already loaded: no blank screen drawn first."""
        if too_small(*self.size):
            return TooSmallScreen()
        if self.store is not None:
            from .screens.navigator import NavigatorScreen

            return NavigatorScreen()
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self.freeze_gc:  # run_app starts without the cyclic GC: back on after the first frame
            self.call_after_refresh(_enable_gc)
        if not self.is_headless:
            watch_terminal(self.set_interval, self.exit)  # a closed window ends the app
        self.keymap = load_keymap()  # command id -> key, shown by the help screen too
        self.set_keymap(self.keymap)
        if too_small(*self.size):
            self._waiting_for_room = True  # started once the terminal is large enough
            return
        self.start()

    _waiting_for_room = False

    _real_size: Size | None = None

    def on_resize(self, event: events.Resize) -> None:
        """Below the minimum size only a short message shows; above it, the app as it was."""
        real = self._real_size or event.size
        small = too_small(real.width, real.height)
        on_top = isinstance(self.screen, TooSmallScreen)
        if small and not on_top:
            self.push_screen(TooSmallScreen())
        elif not small and on_top:
            if len(self.screen_stack) > 1:
                self.pop_screen()
            if self._waiting_for_room:
                self._waiting_for_room = False
                if self.store is not None and isinstance(self.screen_stack[0], TooSmallScreen):
                    self._show_navigator()  # the default screen could not be the navigator
                else:
                    self.start()

    def start(self) -> None:
        """Show what comes first: the navigator, or the dialog that creates the file (a workshop
        asks the role first)."""
        if (
            self.store is not None and self.state_path is not None
        ):  # the navigator is the default screen
            self.set_interval(POLL_SECONDS, self.poll_state)
        elif self.state_path is not None and self.state_path.exists():
            self.open_state(self.state_path)
            self._show_navigator()
        elif self.state_path is not None and self.create_if_missing:
            from .screens.create import CreateStateScreen

            self.push_screen(CreateStateScreen(self.state_path), self._after_create)
        else:
            self._show_navigator()

    def _after_create(self, created: bool | None) -> None:
        if created and self.state_path is not None:
            self.open_state(self.state_path)
        self._show_navigator()

    def _show_navigator(self) -> None:
        from .screens.navigator import NavigatorScreen

        self.push_screen(NavigatorScreen())
        self.set_interval(POLL_SECONDS, self.poll_state)

    def open_state(self, path: Path) -> None:
        from compass.state import StateStore

        self.store = StateStore(path, self.pack, user=self.user)
        self.state = self.store.load()

    def on_unmount(self) -> None:
        if (
            self.store is not None
        ):  # the next start then skips parsing the file (compass.state.cache)
            self.store.keep_for_next_start()

    def action_command_palette(self) -> None:
        """Textual's palette, with its placeholder in the UI's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=t("palette.placeholder"))
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the terminal is too small, no command opens anything (not even the palette)."""
        if self._real_size is not None and too_small(*self._real_size):
            return False
        return True

    async def on_event(self, event: events.Event) -> None:
        """Resize: lay out at least at the minimum size, whatever the terminal says; a resize to
        the size the app already has is dropped.

        Textual cannot wrap text into a width of zero: a pane of a 3×2 terminal would end
        the app (over SSH with the traceback on the participant's screen). Below the
        minimum the app is laid out at the minimum, and a short message shows (see
        `on_resize`); a larger terminal shows everything as it was.
        """
        if isinstance(event, events.Resize):
            if event.size == self._real_size and not too_small(*event.size):
                # Nothing changed. Textual would still resize every screen (it keeps the
                # event for its next idle moment even when the size is the same), and the
                # driver sends the start size a second time: one more layout and full
                # repaint of the first screen (~5 KB over SSH, and its CPU, per session).
                # Too small a terminal is let through: the start may not have had a screen
                # to put the message on the first time.
                return
            self._real_size = event.size
            if too_small(event.size.width, event.size.height):
                size = Size(max(event.size.width, MIN_WIDTH), max(event.size.height, MIN_HEIGHT))
                event = events.Resize(size, size)
        elif isinstance(event, events.InputEvent):
            self._last_input = time.monotonic()
            if isinstance(event, events.Key):
                self.arrived(event)  # see TypeAhead: a key typed ahead of a dialog reaches it
            grab = self.key_grab
            if grab is not None:
                if isinstance(event, events.Key) and grab.key(event):
                    return
                if isinstance(event, events.MouseDown) and not grab.keeps_click(event):
                    grab.cancel()  # a click elsewhere withdraws the question
        await super().on_event(event)

    # --- the project state ---------------------------------------------------------

    def entry(self, k: Knooppunt):
        return self.state.entry(k.slug) if self.state is not None else None

    def status_of(self, k: Knooppunt) -> tuple[str, bool]:
        if self.state is None:
            return "todo", False
        e = self.state.entry(k.slug)
        return e.status, bool(e.bookmark)

    def marks_of(self, k: Knooppunt) -> Marks:
        """What the tree shows on a knooppunt's line: status, bookmark, owner, overdue."""
        if self.state is None:
            return Marks()
        e = self.state.entry(k.slug)
        return Marks(e.status, bool(e.bookmark), e.owner or "", is_overdue(e, dt.date.today()))

    def bookmarks(self) -> list[Knooppunt]:
        return self.state.bookmarks(self.pack) if self.state is not None else []

    def project_line(self) -> str:
        if self.state is None:
            return t("no_state")
        p = self.state.project
        parts: list[str] = []
        for x in (p.name, p.wijk, p.gemeente):
            if x and x not in parts:  # a wijk named like the project is said once
                parts.append(x)
        return " · ".join(parts)

    def has_state(self) -> bool:
        """A project file is open (commands that record something need one)."""
        return self.store is not None

    def in_workshop(self) -> bool:
        return self.follow is not None

    def can_write(self) -> bool:
        if self.store is None:
            self.notify(t("no_state"), severity="warning", timeout=3)
            return False
        return True

    def save(self, k: Knooppunt, **changes: Any) -> bool:
        """Write a change through the store at once (atomic, locked); say so when it fails."""
        error = self.try_save(k, **changes)
        if error:
            self.notify(error, severity="error", timeout=8)
        return error is None

    def try_save(
        self, k: Knooppunt, expect: dict[str, Any] | None = None, **changes: Any
    ) -> str | None:
        """Save; None when saved, else the one-line reason (a dialog can keep its text open).

        With `expect` (the values as the user last saw them) an EditConflict is raised
        when the file holds something else by now; nothing is written then.
        """
        if self.store is None:
            return t("no_state")
        try:
            self.state = self.store.update(k.slug, expect=expect, **changes)
        except EditConflict:
            raise
        except ProblemsError as exc:
            return str(exc.problems[0]) if exc.problems else str(exc)
        except InvalidInput as exc:  # read-only file, lock timeout
            return str(exc)
        except Exception as exc:  # a full disk or a lost permission must not end the session
            return one_line(f"{exc}")
        self._state_changed()
        return None

    def poll_state(self) -> None:
        if self.follow is not None:
            self.follow.poll()
        if self.store is None:
            return
        try:
            new = self.store.poll()
        except ProblemsError:
            self.notify(t("invalid_outside"), severity="warning", timeout=4)
            return
        if new is not None:
            self.state = new
            self._state_changed()

    def _state_changed(self) -> None:
        """Every open screen that shows project state (navigator, overview) redraws it."""
        for screen in self.screen_stack:
            if hasattr(screen, "refresh_state"):
                screen.refresh_state()

    # --- hooks for workshop and reports ---------------------------------------------

    def on_current_changed(self, k: Knooppunt) -> None:
        if self.follow is not None:
            self.follow.current_changed(k)

    def toggle_follow(self) -> None:
        if self.follow is not None:
            self.follow.toggle()
        else:
            self.notify(t("follow.workshop_only"), timeout=3)

    def record_perspective(self, k: Knooppunt | None) -> None:
        if k is None or not self.can_write():
            return
        from .screens.perspective import PerspectiveDialog

        current: dict[str, str] = dict(self.state.entry(k.slug).perspectives) if self.state else {}
        self.push_screen(
            PerspectiveDialog(
                k,
                current,
                role=getattr(self, "role", None),
                stakeholders=self.pack.stakeholders,
                suggested=self.suggested_role(),
            ),
            lambda r: self._save_perspective(k, r),
        )

    def suggested_role(self) -> str | None:
        """The role to offer first: the one chosen in this session, else the one remembered for
        this user (only at their own terminal, see `personal_config`)."""
        if self.last_role is None and self.personal_config and self.user:
            from .user_config import remembered_role

            self.last_role = remembered_role(self.user)
        return self.last_role

    def _save_perspective(self, k: Knooppunt, choice: tuple[str, str] | None) -> None:
        if choice is None or self.store is None:
            return
        role, status = choice
        try:
            self.state = self.store.set_perspective(k.slug, role, status)
        except (ProblemsError, InvalidInput, OSError) as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(t("perspective.saved"), timeout=2)
        self._remember_role(role)
        self._state_changed()

    def _remember_role(self, role: str) -> None:
        """Kept for this session; at the user's own terminal also in their config file."""
        self.last_role = role
        if self.personal_config and self.user:
            from .user_config import remember_role

            try:
                remember_role(self.user, role)
            except OSError as exc:  # a read-only home must not stop the work
                self.notify(t("config.not_saved", error=one_line(str(exc))), timeout=4)
