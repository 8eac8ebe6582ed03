"""The facilitator's console: the terminal where `serve --ssh` runs, as a live view of the room.

Who is in the room (name, role, knooppunt, how long quiet), the last changes in
the file, where the roles see a knooppunt differently, the codes, and the log.
From here the facilitator switches follow mode on and off (`f`), picks the
knooppunt the room follows (`g`) and ends the workshop (`e`, asks first):
every session then gets a goodbye line and the file stays valid, because only
the sessions write it and each write is atomic.

A Textual app in the server's own event loop (`App.run_async`), made to fit
80x24. `serve --quiet` (or output that is not a terminal) keeps the plain log.
Everything a participant typed (names) is shown through `compass.text.visible`.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections import deque
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from compass.model import STATUS_LABELS, ProcessPack, role_choices
from compass.progress import divergences
from compass.state import StateStore
from compass.text import one_line

from ..widgets.calm import CalmInput
from .follow import FollowState, follow_path, read_follow, write_follow
from .presence import Presence, presence_dir, read_presence, reset_presence
from .room import Room
from .trust import Codes

LOG_LINES = 200
CHANGES_SHOWN = 4
DIVERGENCES_SHOWN = 3


def quiet_for(seconds: float) -> str:
    """How long someone has been quiet, in a few characters."""
    if seconds < 60:
        return f"{int(seconds)} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    return f"{int(seconds // 3600)} u"


REFRESH_SECONDS = 1.0
SLOW_SECONDS = 0.25  # the console's own clock this late means keys echo this late too
SLOW_REPEAT = 60.0  # say it at most once a minute


def slow_notice(late: float, sessions: int, cores: int) -> str | None:
    """What the facilitator should hear when the server falls behind: the console's refresh
    runs on the same event loop that carries every participant's keys, so its lateness
    is how late their screens answer."""
    if late < SLOW_SECONDS:
        return None
    return (
        f"echo is te traag ({late * 1000:.0f} ms achter): {sessions} deelnemers op {cores} "
        f"{'kern' if cores == 1 else 'kernen'}; vraag de zaal niet tegelijk te scrollen, "
        "laat een deel meekijken, of gebruik een machine met meer kernen"
    )


class FacilitatorConsole:
    """What the console knows outside the Textual app: the log, the codes, how to connect."""

    def __init__(
        self, state: Path, codes: Codes | None, *, facilitator: str | None, pack: str | None
    ) -> None:
        self.state = state
        self.codes = codes
        self.facilitator = facilitator or ""
        self.pack_name = pack
        self.connect_lines: list[str] = []
        self.events: deque[str] = deque(maxlen=LOG_LINES)

    def event(self, line: str) -> None:
        self.events.append(f"{time.strftime('%H:%M')} {one_line(line)}")

    async def run(self, room: Room, stop: asyncio.Event) -> None:
        """Show the console until the facilitator ends the workshop or the server stops."""
        from compass.pack import load_pack

        app = ConsoleApp(self, room, load_pack(self.pack_name))
        reset_presence(app.presence)
        shown = asyncio.ensure_future(app.run_async())
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({shown, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not shown.done():
                app.exit()
            await shown
        finally:
            stopped.cancel()
            reset_presence(app.presence)


class NumberDialog(ModalScreen[int | None]):
    """Which knooppunt the room looks at: a number."""

    BINDINGS = [Binding("escape", "cancel", "terug")]

    def __init__(self, pack: ProcessPack) -> None:
        super().__init__()
        self.pack = pack

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Static("Naar welk knooppunt kijkt de zaal? (nummer, enter; esc: terug)")
            yield CalmInput(placeholder="bijvoorbeeld 12", id="number", max_length=4)
            yield Static("", id="why")

    @on(Input.Submitted, "#number")
    def _chosen(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text.isdigit() and self.pack.by_number(int(text)) is not None:
            self.dismiss(int(text))
            return
        self.query_one("#why", Static).update("Dat nummer bestaat niet in dit procespakket.")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmEnd(ModalScreen[bool]):
    BINDINGS = [
        Binding("j", "yes", "ja"),
        Binding("n", "no", "nee"),
        Binding("escape", "no", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Static(
                "Workshop beëindigen? Iedereen krijgt een afscheidsregel en de sessies sluiten.\n"
                "Alle wijzigingen staan al in het bestand.   j: ja   n: nee"
            )

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class ConsoleApp(App[None]):
    """The live dashboard; it reads the room, the follow file, presence files and the state."""

    TITLE = "Wijkkompas-workshop"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { layout: vertical; }
    Static { text-wrap: nowrap; text-overflow: ellipsis; }
    #top { height: auto; background: $boost; padding: 0 1; }
    .part { height: auto; padding: 0 1; }
    .head { color: $accent; text-style: bold; padding: 0 1; }
    #room { height: 1fr; min-height: 3; padding: 0 1; }
    #log { height: 3; padding: 0 1; color: $text-muted; }
    #ask { width: 70; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    NumberDialog, ConfirmEnd { align: center middle; }
    """
    BINDINGS = [
        Binding("f", "follow", "volgmodus aan/uit"),
        Binding("g", "pick", "knooppunt kiezen"),
        Binding("e", "end", "workshop beëindigen"),
        Binding("ctrl+c", "end", show=False, priority=True),
        Binding("ctrl+q", "end", show=False, priority=True),
    ]

    def __init__(self, desk: FacilitatorConsole, room: Room, pack: ProcessPack) -> None:
        super().__init__()
        self.desk = desk
        self.room = room
        self.pack = pack
        self.follow_file = follow_path(desk.state)
        self.presence = presence_dir(desk.state)
        self.store = StateStore(desk.state, pack, user="-")
        self.roles = role_choices(pack.stakeholders)
        self._last_look = 0.0  # when refresh_view last ran (monotonic)
        self._warned = -SLOW_REPEAT  # when the console last said the server is slow

    def compose(self) -> ComposeResult:
        yield Static(id="top")
        yield Static("In de zaal", classes="head", id="room-head")
        yield Static(id="room")
        yield Static("Laatste wijzigingen", classes="head")
        yield Static(id="changes", classes="part")
        yield Static("Rollen zien het anders", classes="head")
        yield Static(id="diverge", classes="part")
        yield Static(id="log")
        yield Footer()

    def on_mount(self) -> None:
        try:
            self.store.load()
        except Exception as exc:  # shown, never fatal: the sessions keep working
            self.desk.event(f"projectbestand niet te lezen: {exc}")
        self.refresh_view()
        self.set_interval(REFRESH_SECONDS, self.refresh_view)

    # --- what is shown ------------------------------------------------------------

    def refresh_view(self) -> None:
        now = time.monotonic()
        late = now - self._last_look - REFRESH_SECONDS if self._last_look else 0.0
        self._last_look = now
        notice = slow_notice(late, len(self.room.sessions), os.cpu_count() or 1)
        if notice and now - self._warned >= SLOW_REPEAT:
            self._warned = now
            self.desk.event(notice)
        try:
            self.store.poll()
        except Exception:
            pass
        self.query_one("#top", Static).update(self._top())
        sessions = sorted(self.room.sessions, key=lambda s: (not s.leader, s.user.casefold()))
        ready, wanted = self.room.zygote.spares
        waiting = f"; {ready} klaargezet" if wanted or ready else ""
        self.query_one("#room-head", Static).update(
            f"In de zaal ({len(sessions)} van {self.room.cfg.max_sessions}{waiting}; "
            "* = facilitator)"
        )
        self.query_one("#room", Static).update(self._room(sessions))
        self.query_one("#changes", Static).update(self._changes())
        self.query_one("#diverge", Static).update(self._divergences())
        self.query_one("#log", Static).update(Text("\n".join(list(self.desk.events)[-3:])))

    def _top(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        connect = next((x.strip() for x in self.desk.connect_lines if "ssh -p" in x), "")
        state = self.store.state
        project = state.project.name if state is not None else ""
        text.append(f"{one_line(project or self.desk.state.name)}  ", style="bold")
        text.append(connect)
        fingerprint = next(
            (x.split(": ", 1)[1].strip() for x in self.desk.connect_lines if "Vingerafdruk" in x),
            "",
        )
        if fingerprint:
            text.append(f"\nVingerafdruk: {fingerprint}", style="dim")
        codes = self.desk.codes
        if codes is not None:
            text.append("\nZaal: ")
            text.append(codes.room, style="bold")
            text.append("   Facilitator: ")
            text.append(codes.facilitator, style="bold")
            text.append("  (niet op de beamer)")
        st = read_follow(self.follow_file)
        text.append("\nVolgmodus: ")
        if st.active:
            k = self.pack.by_number(st.number) if st.number is not None else None
            where = one_line(k.label)[:44] if k else "nog geen knooppunt"
            text.append("aan", style="bold green")
            text.append(f", de zaal kijkt naar {where}")
        else:
            text.append("uit")
        return text

    def _room(self, sessions: list) -> Text:
        places = read_presence(self.presence)
        now = time.monotonic()
        text = Text(no_wrap=True, overflow="ellipsis")
        if not sessions:
            text.append("Nog niemand. Deelnemers loggen in met de code hierboven.", style="dim")
            return text
        text.append(f"{'naam':<18} {'rol':<14} {'knooppunt':<32} {'stil':>6}\n", style="dim")
        rows = max(2, self.query_one("#room", Static).size.height - 1)
        shown = sessions if len(sessions) <= rows else sessions[: rows - 1]
        for s in shown:
            p = places.get(s.pid or -1) or Presence(0)
            k = self.pack.by_number(p.number) if p.number is not None else None
            role = self.roles.get(p.role, p.role) if p.role else "-"
            name = one_line(s.user) + (" *" if s.leader else "")
            text.append(f"{name[:18]:<18} {one_line(role)[:14]:<14} ")
            text.append(f"{one_line(k.label)[:32] if k else '-':<32} ")
            text.append(f"{quiet_for(now - s.last_input):>6}\n", style="dim")
        if len(shown) < len(sessions):
            text.append(f"… en nog {len(sessions) - len(shown)}", style="dim")
        text.rstrip()
        return text

    def _changes(self) -> Text:
        state = self.store.state
        text = Text(no_wrap=True, overflow="ellipsis")
        if state is None:
            return text
        changed = sorted(
            (e for e in state.entries.values() if e.updated is not None and e.by),
            key=lambda e: e.updated,  # type: ignore[arg-type, return-value]
            reverse=True,
        )[:CHANGES_SHOWN]
        if not changed:
            text.append("Nog niets veranderd.", style="dim")
        for e in changed:
            k = self.pack.by_slug(e.slug)
            when = e.updated.strftime("%H:%M") if e.updated else ""
            label = one_line(k.label) if k else e.slug
            status = STATUS_LABELS.get(e.status, e.status)
            text.append(f"{when} {one_line(e.by)[:16]}: {label[:40]} → {status}\n")
        text.rstrip()
        return text

    def _divergences(self) -> Text:
        state = self.store.state
        text = Text(no_wrap=True, overflow="ellipsis")
        if state is None:
            return text
        found = divergences(self.pack, state)[:DIVERGENCES_SHOWN]
        if not found:
            text.append("Nog geen verschillen tussen rollen.", style="dim")
        for d in found:
            text.append(f"{d.knooppunt.number}. ", style="bold")
            text.append(one_line(d.text) + "\n")
        text.rstrip()
        return text

    # --- what the facilitator does --------------------------------------------------

    def _leader_place(self) -> int | None:
        places = read_presence(self.presence)
        for s in self.room.sessions:
            if s.leader and s.pid in places and places[s.pid].number is not None:
                return places[s.pid].number
        return None

    def _leader_name(self) -> str:
        return self.desk.facilitator or "de facilitator"

    def start_follow(self, number: int | None) -> None:
        st = read_follow(self.follow_file)
        run = st.run if st.active else secrets.token_hex(4)
        self._write(FollowState(True, self._leader_name(), number, run))
        self.room.follow_from_console = True
        where = f" op knooppunt {number}" if number is not None else ""
        self.desk.event(f"volgmodus aan{where} (vanaf de console)")

    def stop_follow(self) -> None:
        st = read_follow(self.follow_file)
        self._write(FollowState(False, st.leader, st.number, st.run))
        self.room.follow_from_console = False
        self.desk.event("volgmodus uit (vanaf de console)")

    def _write(self, state: FollowState) -> None:
        try:
            write_follow(self.follow_file, state)
        except OSError as exc:
            self.desk.event(f"volgmodus: kan {self.follow_file} niet schrijven ({exc.strerror})")
        self.refresh_view()

    def action_follow(self) -> None:
        st = read_follow(self.follow_file)
        if st.active:
            self.stop_follow()
            return
        number = self._leader_place() or st.number or self.pack.knooppunten[0].number
        self.start_follow(number)

    def action_pick(self) -> None:
        def chosen(number: int | None) -> None:
            if number is not None:
                self.start_follow(number)

        self.push_screen(NumberDialog(self.pack), chosen)

    def action_end(self) -> None:
        if isinstance(self.screen, ConfirmEnd):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.desk.event("workshop beëindigd vanaf de console")
                self.exit()

        self.push_screen(ConfirmEnd(), answered)
