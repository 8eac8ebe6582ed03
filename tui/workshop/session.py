"""The navigator as a workshop session: a participant's name and role, follow mode.

Kept out of `app.py` on purpose: a workshop session is the ordinary app plus a
welcome dialog (pick your role), a title line that says who you are and whether
you are following, `v` recording your perspective with your role directly, and the
"any key leaves follow mode" rule. The SSH server (via `tui.workshop.zygote`) and the web
server (via `python -m tui open --workshop`) both start sessions through
`run_session`; the SSH server's zygote also builds sessions ahead (`run_spare`, see
`spare.py`), which become someone's session when they log in.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import signal
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import AwaitMount
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from compass.model import Knooppunt, ProcessPack, role_choices
from compass.problems import InvalidInput
from compass.state import StateStore
from compass.text import visible

from ..app import APP_CSS, WijkkompasApp
from ..i18n import t
from ..screens import DIALOG_CSS
from ..terminal_watch import watch_terminal
from ..textual_compat import attach_terminal
from ..widgets.calm import CalmInput
from .follow import Follow, follow_path
from .names import MAX_NAME, clean_name, unique_name
from .presence import presence_dir, remove_presence, write_presence
from .spare import Arrival, SpareLine, arrive

SPARE_SIZE = (80, 24)  # what most participants' terminals are: a spare built at it only paints
WELCOME = "welcome"  # the name the welcome is installed under
SPARE_SETTLE = 0.1  # s: a few of Textual's refreshes, so a spare waits with nothing left to paint


class WelcomeDialog(ModalScreen[tuple[str, str | None] | None]):
    """First thing a participant sees: who am I here (name, when unknown) and from which role."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [Binding("escape", "skip", show=False)]

    def __init__(
        self,
        name: str,
        ask_name: bool,
        roles: dict[str, str],
        project: str = "",
        notice: str = "",
    ) -> None:
        super().__init__()
        self.project = project
        self.notice = notice
        self.participant = name
        self.ask_name = ask_name
        self.roles = roles

    def _title(self) -> Text:
        title = Text(t("welcome.title"))
        if self.participant:
            title.append(f", {self.participant}")
        if self.project:
            title.append(f"\n{self.project}", style="not bold")
        return title

    def greet(self, name: str) -> None:
        """The same dialog for `name` (a spare session's welcome, once someone has arrived)."""
        self.participant = name
        self.query_one(".dialog-title", Static).update(self._title())

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="welcome"):
            yield Static(self._title(), classes="dialog-title")
            if self.notice:
                yield Static(Text(visible(self.notice)), id="notice")
            if self.ask_name:
                yield Static(t("welcome.name"))
                yield CalmInput(
                    placeholder=t("welcome.name_example"), id="name", max_length=MAX_NAME
                )
            yield Static(t("welcome.role"))
            yield OptionList(
                *[Option(label, id=role) for role, label in self.roles.items()], id="roles"
            )
            yield Static(t("welcome.hint"), classes="hint")

    def on_mount(self) -> None:
        roles = self.query_one("#roles", OptionList)
        roles.highlighted = 0
        (self.query_one("#name", Input) if self.ask_name else roles).focus()

    @on(Input.Submitted, "#name")
    def _name_done(self) -> None:
        self.query_one("#roles", OptionList).focus()

    @on(OptionList.OptionSelected, "#roles")
    def _role(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self._typed_name(), event.option.id))

    def _typed_name(self) -> str:
        return (
            clean_name(self.query_one("#name", Input).value) if self.ask_name else self.participant
        )

    def action_skip(self) -> None:
        self.dismiss((self._typed_name(), None))


class WorkshopApp(WijkkompasApp):
    """The navigator for one workshop participant on the shared state file."""

    # A session starts with its welcome dialog: the dialogs' rules are read with the app's own.
    CSS_PATH = [APP_CSS, DIALOG_CSS]
    external_editor_allowed = False  # never start a program on the server for a participant
    personal_config = False  # the server account's config is not a participant's: roles in memory

    def __init__(
        self,
        pack: ProcessPack,
        state_path: Path,
        *,
        user: str,
        facilitator: str | None = None,
        leader: bool = False,
        notice: str = "",
        store: StateStore | None = None,
        spare: SpareLine | None = None,
        mouse: bool = True,
    ) -> None:
        super().__init__(pack, state_path, user=user or "", create_if_missing=False)
        self._preloaded = store
        # A spare (tui/workshop/spare.py): built headless, waiting for its participant.
        self.spare = spare
        self.waiting = spare is not None
        self.mouse = mouse
        self.user = user  # no fallback to $USER: on a server that is the server's account
        self.facilitator = facilitator or ""
        self.notice = notice
        self.role: str | None = None
        # `leader` comes from the server, which saw the facilitator's code or key; a name never
        # makes anyone the facilitator.
        self.follow: Follow = Follow(
            self, follow_path(state_path), self.user, leader=leader, facilitator=facilitator
        )
        self.roles = role_choices(
            pack.stakeholders
        )  # the parties the state store accepts as perspectives
        self.presence = presence_dir(state_path)
        self._place: int | None = None

    def tell_presence(self) -> None:
        """Name, role and knooppunt for the facilitator's console; never a reason to fail."""
        if self.waiting:
            return  # a spare is nobody yet
        try:
            write_presence(self.presence, self.user, self.role, self._place)
        except OSError:
            pass

    def on_current_changed(self, k: Knooppunt) -> None:
        super().on_current_changed(k)
        if k.number != self._place:
            self._place = k.number
            self.tell_presence()

    def open_state(self, path: Path) -> None:
        """Use the store the zygote parsed before forking (fresh to the second); else load as
        usual."""
        store, self._preloaded = self._preloaded, None
        if store is None or store.path != path or store.state is None:
            super().open_state(path)
            return
        store.user = self.user
        self.store = store
        self.state = store.poll() or store.state

    def on_mount(self) -> None:
        self._exit_on_hangup()

    def _exit_on_hangup(self) -> None:
        """SIGTERM / SIGHUP (server stops, idle timeout, hang-up): exit cleanly, restoring the
        terminal."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, self.exit)

    def get_default_screen(self) -> Screen:
        return App.get_default_screen(
            self
        )  # Textual's empty screen: the welcome comes first, over it

    def start(self) -> None:
        """Welcome and role first; the navigator is built once the participant has answered.

        When a room logs in at once, each session's first screen is then this small
        dialog instead of the whole navigator under it (which also got repainted as
        its page and cursor settled): about half the CPU per session at login, spread
        over the moments people actually answer.
        """
        if self.state_path is None:
            return
        self.open_state(self.state_path)
        if self.exit_after_paint or self.spare is not None:
            self._show_navigator()  # a spare puts the welcome over it once it is built
            return
        self._push_welcome()

    def _push_welcome(self) -> AwaitMount:
        """The welcome, installed: dismissing it then only suspends it. Textual lays out and
        paints the whole screen again after it removes a screen, which made a second full
        paint of the navigator right after the first (~8 KB over SSH, for everyone at once)."""
        self.install_screen(self._welcome(), WELCOME)
        return self.push_screen(WELCOME, self._welcome_done)

    def _welcome(self) -> WelcomeDialog:
        """The welcome for who is here; a spare, nobody yet, prepares the usual one: the
        name known from the login, so no name field."""
        return WelcomeDialog(
            self.user,
            ask_name=not self.user and not self.waiting,
            roles=self.roles,
            project=super().project_line(),
            notice=self.notice,
        )

    # --- a spare session ---------------------------------------------------------

    def first_paint_done(self, page=None) -> None:
        super().first_paint_done(page)
        if self.spare is not None and self.waiting:
            self.run_worker(self._offer(page), name="spare", exit_on_error=True)

    async def _offer(self, page) -> None:
        """The navigator is built: put the welcome over it, paint once more, then wait."""
        if page is not None:
            await page
        await self._push_welcome()
        self.call_after_refresh(self._wait_for_participant)

    def _wait_for_participant(self) -> None:
        """Leave nothing to do for later, then wait: what is still to be painted when someone
        arrives (a page waiting for the cursor to rest, the navigator's own updates under the
        welcome) would be a second full paint right after the first."""
        from ..screens.navigator import NavigatorScreen

        for screen in self.screen_stack:
            if isinstance(screen, NavigatorScreen):
                screen.settle()
        self.set_timer(SPARE_SETTLE, lambda: self.call_after_refresh(self._wait))

    def _wait(self) -> None:
        assert self.spare is not None
        # What the building left for the collector is collected now, and the rest frozen (as
        # the zygote does): no full collection in the middle of someone's first paint.
        gc.collect()
        gc.freeze()
        arrive(self.spare, self._arrived)

    def _arrived(self, arrival: Arrival) -> None:
        """Someone took this spare: become their session, on their terminal."""
        self.waiting = False
        self.user = self.follow.user = arrival.user
        self.follow.leader = arrival.leader
        if self.store is not None:
            self.store.user = arrival.user
        self.notice = arrival.notice
        welcome = self.screen
        if isinstance(welcome, WelcomeDialog) and arrival.user and not arrival.notice:
            welcome.greet(arrival.user)
        else:  # a different dialog: asks the name, or shows the server's notice
            if isinstance(welcome, WelcomeDialog):
                self.pop_screen()
            self.push_screen(self._welcome(), self._welcome_done)
        self.poll_state()  # the file may have changed while this spare waited
        attach_terminal(self, mouse=self.mouse)  # one full paint, of the welcome only
        self._exit_on_hangup()
        watch_terminal(self.set_interval, self.exit)

    def _welcome_done(self, result: tuple[str, str | None] | None) -> None:
        name, role = result or (self.user, None)
        name = name or self.user or "deelnemer"  # never the server's own account
        if not self.follow.is_facilitator and self.facilitator:
            # typed in an open web room: the facilitator's name stays the facilitator's
            renamed = unique_name(name, {self.facilitator.casefold()})
            if renamed != name:
                self.notify(t("welcome.name_facilitator", name=name, new=renamed), timeout=8)
                name = renamed
        if name != self.user or (self.store is not None and self.store.user != name):
            self.user = self.follow.user = name
            if self.store is not None:
                self.store.user = name
        self.role = role
        self.tell_presence()
        if self.spare is None:
            self._show_navigator()  # its title shows the name and role
        else:
            self._retitle()  # a spare's navigator is there already, under the welcome

    def project_line(self) -> str:
        who = self.user or ("" if self.waiting else "?")  # a spare is nobody yet, not "?"
        if self.role:
            who += f" ({self.roles.get(self.role, self.role)})"
        parts = [who, self.follow.title(), super().project_line()]
        return " · ".join(p for p in parts if p)

    def _save_perspective(self, k: Knooppunt, choice: tuple[str, str] | None) -> None:
        """`v` asks only the status once the role is known (the app passes `self.role`)."""
        super()._save_perspective(k, choice)
        if choice is not None and self.role is None:
            self.role = choice[0]
            self.tell_presence()
            self._retitle()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.follow.key_pressed():
            return  # the key only ended follow mode
        await super().on_event(event)

    def _retitle(self) -> None:
        from ..screens.navigator import NavigatorScreen

        for s in self.screen_stack:
            if isinstance(s, NavigatorScreen):
                s.update_title()


def run_session(
    pack: ProcessPack,
    state_path: Path,
    *,
    user: str,
    facilitator: str | None = None,
    leader: bool = False,
    notice: str = "",
    mouse: bool = True,
    store: StateStore | None = None,
) -> int:
    """Run one participant's session in this process until they quit or hang up."""
    app = WorkshopApp(
        pack,
        state_path,
        user=clean_name(user),
        facilitator=facilitator,
        leader=leader,
        notice=notice,
        store=store,
    )
    try:
        app.run(mouse=mouse)
    finally:
        app.follow.close()
        remove_presence(app.presence)
    return app.return_code or 0


def run_spare(
    pack: ProcessPack,
    state_path: Path,
    line: SpareLine,
    *,
    facilitator: str | None = None,
    mouse: bool = True,
    store: StateStore | None = None,
) -> int:
    """Build a session headless (tui/workshop/spare.py), wait for a participant, then run it on
    their terminal until they quit or hang up."""
    app = WorkshopApp(
        pack, state_path, user="", facilitator=facilitator, store=store, spare=line, mouse=mouse
    )
    try:
        app.run(headless=True, size=SPARE_SIZE)
    finally:
        if not app.waiting:
            app.follow.close()
            remove_presence(app.presence)
    return app.return_code or 0


def open_workshop(args: argparse.Namespace) -> int:
    """`python -m tui open STATE --workshop [--user NAAM] [--facilitator NAAM] [--leader]` (the
    web sessions; the web server passes `--leader` only after the facilitator's code)."""
    from compass.pack import load_pack

    from ..i18n import set_language

    state = Path(args.state)
    if not state.is_file():
        raise InvalidInput(f"{state}: bestaat niet")
    set_language(getattr(args, "lang", "nl"))
    pack = load_pack(getattr(args, "pack", None))
    return run_session(
        pack,
        state,
        user=args.user or "",
        facilitator=args.facilitator,
        leader=getattr(args, "leader", False),
        mouse=not getattr(args, "no_mouse", False),
    )
