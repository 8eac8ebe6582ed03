"""Follow mode: the room looks along with the facilitator.

Every workshop participant runs in a process of their own, so the facilitator's
position cannot be shared in memory. It is shared through a tiny JSON side file
beside the state file (`.STATE.follow.json`), written atomically by the
facilitator's session and read by every session in the app's existing poll tick
(a `stat` per tick; the file is only read when it changed).

The file holds one "run" of follow mode: an id that is new each time the
facilitator switches it on, so that a participant who left this run stays out of
it until they press `f`, while the next run takes everyone along again.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compass.model import Knooppunt

from ..i18n import t
from .sidefile import replace_json

if TYPE_CHECKING:
    from ..app import WijkkompasApp
    from ..screens.navigator import NavigatorScreen


def follow_path(state_path: Path) -> Path:
    """The side file for a state file: hidden, in the same directory."""
    return state_path.with_name(f".{state_path.name}.follow.json")


@dataclass(frozen=True)
class FollowState:
    active: bool = False
    leader: str = ""
    number: int | None = None
    run: str = ""

    @classmethod
    def from_json(cls, data: Any) -> FollowState:
        if not isinstance(data, dict):
            return cls()
        number = data.get("number")
        return cls(
            active=data.get("active") is True,
            leader=str(data.get("leader", ""))[:64],
            number=number if isinstance(number, int) and not isinstance(number, bool) else None,
            run=str(data.get("run", ""))[:64],
        )


def read_follow(path: Path) -> FollowState:
    try:
        return FollowState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return FollowState()


def write_follow(path: Path, state: FollowState) -> None:
    """Atomic replace: readers see the old or the new file, never half of one."""
    data = {
        "active": state.active,
        "leader": state.leader,
        "number": state.number,
        "run": state.run,
    }
    replace_json(path, data, prefix=path.name + ".")


def reset_follow(path: Path) -> None:
    """Forget a follow run left over from an earlier workshop (the server calls this at start and
    stop)."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass


class Follow:
    """Set as `app.follow`; the app calls `current_changed`, `toggle` and `poll`.

    The facilitator's sessions (`leader`: the server saw the facilitator's code or
    key) write; everyone else reads and jumps along while they are following. The
    facilitator's console (`tui.workshop.console`) writes the same file.
    """

    def __init__(
        self,
        app: WijkkompasApp,
        path: Path,
        user: str,
        *,
        leader: bool = False,
        facilitator: str | None = None,
    ) -> None:
        self.app = app
        self.path = path
        self.user = user
        self.leader = leader
        self.facilitator = facilitator or ""
        self.state = FollowState()
        self.started_run = ""  # the run this session switched on (the console may start others)
        self.following = False
        self._seen_run = ""
        self._stamp: tuple[int, int, int] | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.leader

    # --- called by the app ---------------------------------------------------------

    def current_changed(self, k: Knooppunt) -> None:
        if self.is_facilitator and self.state.active and self.state.number != k.number:
            self._write(FollowState(True, self.user, k.number, self.state.run))

    def toggle(self) -> None:
        self._refresh()
        if self.is_facilitator:
            if self.state.active:
                self._write(FollowState(False, self.user, self.state.number, self.state.run))
                self.app.notify(t("follow.room_off"), timeout=4)
            else:
                k = self._navigator_current()
                self.started_run = secrets.token_hex(4)
                self._write(FollowState(True, self.user, k.number if k else None, self.started_run))
                self.app.notify(t("follow.room_on"), timeout=5)
        elif not self.state.active:
            self.app.notify(
                t("follow.not_on", who=self.facilitator or t("follow.the_facilitator")), timeout=4
            )
        elif self.following:
            self.leave()
        else:
            self.following = True
            self.app.notify(t("follow.again", who=self.state.leader), timeout=3)
            self._go()
        self._retitle()

    def poll(self) -> None:
        if not self._refresh():
            return
        s = self.state
        if s.active and s.run != self._seen_run and not self.is_facilitator:
            self._seen_run = s.run
            self.following = True
            self.app.notify(t("follow.following", who=s.leader), timeout=5)
        elif not s.active and self.following:
            self.following = False
            self.app.notify(t("follow.you_off"), timeout=4)
        if self.following:
            self._go()
        self._retitle()

    def key_pressed(self) -> bool:
        """A key on the navigator while following: leave follow mode; True = the key is used up."""
        from textual.screen import ModalScreen

        if not self.following or isinstance(self.app.screen, ModalScreen):
            return False
        self.leave()
        return True

    def leave(self) -> None:
        self.following = False
        self.app.notify(t("follow.own"), timeout=4)
        self._retitle()

    def close(self) -> None:
        """The facilitator's session ends: end its run so nobody keeps following a ghost.

        A run started from the console is the console's to end.
        """
        self._refresh()
        if self.is_facilitator and self.state.active and self.state.run == self.started_run:
            try:
                self._write(FollowState(False, self.user, self.state.number, self.state.run))
            except OSError:
                pass

    def title(self) -> str:
        """A few words for the title line."""
        s = self.state
        if not s.active:
            return ""
        if self.is_facilitator:
            return t("follow.title_leading")
        if self.following:
            return t("follow.title_following", who=s.leader)
        return t("follow.title_off")

    # --- inside --------------------------------------------------------------------

    def _refresh(self) -> bool:
        """Re-read the side file if it changed; True when it did."""
        try:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        self.state = read_follow(self.path) if stamp is not None else FollowState()
        return True

    def _write(self, state: FollowState) -> None:
        try:
            write_follow(self.path, state)
        except OSError as exc:
            self.app.notify(
                t("follow.cannot_write", path=self.path, error=exc.strerror),
                severity="error",
                timeout=6,
            )
            return
        self.state = state
        self._refresh()

    def _navigator(self) -> NavigatorScreen | None:
        from ..screens.navigator import NavigatorScreen

        return next((s for s in self.app.screen_stack if isinstance(s, NavigatorScreen)), None)

    def _navigator_current(self) -> Knooppunt | None:
        nav = self._navigator()
        return nav.current if nav is not None else None

    def _go(self) -> None:
        nav = self._navigator()
        number = self.state.number
        if nav is None or number is None or self.app.pack.by_number(number) is None:
            return
        current = nav.current
        if current is None or current.number != number:
            nav.jump(number)

    def _retitle(self) -> None:
        nav = self._navigator()
        if nav is not None:
            nav.update_title()
