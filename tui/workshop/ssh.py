"""The workshop SSH server: one navigator per connection, nothing else.

Each accepted session gets a pty of its own (size from the client, kept in step on
window-change) whose slave end is handed to the zygote (`tui.workshop.zygote`), which forks
a ready-made navigator onto it. This process only moves bytes between the SSH
channel and the pty master, with flow control both ways.

Everything that is not "an interactive session with a pty" is refused: exec,
subsystems (sftp, scp), a shell without a pty, TCP/Unix forwarding both ways,
agent and X11 forwarding. The client's environment is ignored: sessions see a
fixed whitelist (see `room.child_env`).
"""

from __future__ import annotations

import asyncio
import codecs
import fcntl
import os
import signal
import struct
import sys
import termios
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncssh

from .follow import follow_path, reset_follow
from .names import clean_name, safe_term
from .room import MSG_STOP, Room, RoomConfig
from .throttle import LoginThrottle
from .trust import Codes, KeyRing, Role

READ_CHUNK = 65536
MAX_COLS, MAX_ROWS = 500, 200
INPUT_HIGH_WATER = 256 * 1024  # pause the SSH channel when this much input waits for the pty
END_FALLBACK_SECONDS = (
    6.0  # after asking a navigator to stop: longer than the zygote's SIGTERM→SIGKILL grace
)
RESET_TERMINAL = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"  # mouse reporting off
    b"\x1b[?2004l\x1b[?1004l\x1b[<u"  # bracketed paste, focus events, kitty keys off
    b"\x1b[0m\x1b[?25h\x1b[?1049l"  # attributes, cursor, leave the alternate screen
)
MSG_FULL = (
    "Sorry, de workshop zit vol ({n} deelnemers). "
    "Probeer het straks nog eens of vraag de facilitator.\r\n"
)


@dataclass(kw_only=True)
class SshConfig(RoomConfig):
    host: str
    port: int
    host_key: asyncssh.SSHKey
    codes: Codes | None = None  # --passcode: the room code and the facilitator's code
    keys: KeyRing | None = None  # --authorized-keys / --facilitator-key
    on_listening: Callable[[int], None] | None = None
    # the facilitator's console: runs beside the server until it returns or `stop` is set
    console: Callable[[Room, asyncio.Event], Awaitable[None]] | None = None


class PtySession(asyncssh.SSHServerSession):
    """One participant: an SSH channel on one side, a pty with a navigator on the other."""

    def __init__(self, room: Room, wanted: str, role: Role, address: str = "") -> None:
        self.room = room
        self.wanted = wanted  # the login name; the room decides the name (`Room.claim_name`)
        self.user = wanted
        self.role = role
        self.leader = role is Role.FACILITATOR
        self.address = address
        self.chan: Any = None
        self.term: str | None = None
        self.size = (80, 24)
        self.master: int | None = None
        self.pid: int | None = None
        self.last_input = time.monotonic()
        self._pending = b""
        self._reading = False
        self._ending: str | None = None
        self._done = False
        self._task: asyncio.Future[None] | None = None
        # Bytes that are not UTF-8 (a client in Latin-1) become U+FFFD here: the app's
        # input decoder is strict, and one bad byte would end the session.
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    # --- what the client may ask -------------------------------------------------

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any
    ) -> bool:
        self.term = safe_term(term_type)
        if term_size[0] > 0 and term_size[1] > 0:
            self.size = (term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return self.term is not None  # a shell without a pty cannot show the navigator

    def exec_requested(self, command: str) -> bool:
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass

    def session_started(self) -> None:
        self._task = asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        room = self.room
        if room.closing:
            self.finish(MSG_STOP)
            return
        if len(room.sessions) >= room.cfg.max_sessions:
            room.log(
                f"de zaal is vol ({room.cfg.max_sessions} deelnemers): iemand kon niet binnen; "
                "start de server opnieuw met een hoger --max-sessions als er plaats moet zijn"
            )
            self.finish(MSG_FULL.format(n=room.cfg.max_sessions), status=1)
            return
        self.user, notice = room.claim_name(self.wanted, self.role)
        room.sessions.add(self)
        room.log(
            f"binnen: {self.user}"
            + (" (facilitator)" if self.leader else "")
            + (f", vroeg om '{self.wanted}'" if notice else "")
            + (f" vanaf {self.address}" if self.address else "")
        )
        master, slave = os.openpty()
        self.master = master
        try:
            self._set_size(*self.size)
            os.set_blocking(master, False)
            self.pid = await room.zygote.spawn(
                slave,
                self.user,
                self.term or "xterm-256color",
                leader=self.leader,
                notice=notice,
            )
        except (TimeoutError, OSError) as exc:
            self.finish(f"De sessie kon niet starten: {exc}\r\n", status=1)
            return
        finally:
            os.close(slave)
        room.by_pid[self.pid] = self
        if self._done:  # the client left while we were starting
            room.zygote.kill(self.pid)
            return
        self._resume_reading()

    # --- bytes both ways ---------------------------------------------------------

    def _pty_readable(self) -> None:
        assert self.master is not None
        try:
            data = os.read(self.master, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError:  # EIO: the navigator has ended and closed the pty
            data = b""
        if not data:
            self._pause_reading()
            self.finish(self._ending)
            return
        try:
            self.chan.write(data)
        except (BrokenPipeError, OSError, asyncssh.Error):  # the client is already gone
            self._pause_reading()

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.last_input = time.monotonic()
        if self.master is None or self._ending is not None:
            return
        self._pending += self._decoder.decode(data).encode("utf-8")
        self._flush_input()

    def _flush_input(self) -> None:
        loop = asyncio.get_running_loop()
        if self.master is None:
            return
        try:
            while self._pending:
                n = os.write(self.master, self._pending)
                self._pending = self._pending[n:]
        except BlockingIOError:
            pass
        except OSError:
            self._pending = b""
        try:
            loop.remove_writer(self.master)
        except (ValueError, OSError):
            pass
        if self._pending:
            loop.add_writer(self.master, self._flush_input)
            if len(self._pending) > INPUT_HIGH_WATER:
                self.chan.pause_reading()
        else:
            self.chan.resume_reading()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if width > 0 and height > 0:
            self.size = (width, height)
            if self.master is not None:
                self._set_size(width, height)

    def _set_size(self, cols: int, rows: int) -> None:
        assert self.master is not None
        rows, cols = (
            min(rows, MAX_ROWS),
            min(cols, MAX_COLS),
        )  # a 10,000-column "terminal" would only burn CPU
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def pause_writing(self) -> None:
        self._pause_reading()  # the client is slow: let the pty fill up, the app then waits

    def resume_writing(self) -> None:
        if not self._done:
            self._resume_reading()

    def _pause_reading(self) -> None:
        if self._reading and self.master is not None:
            asyncio.get_running_loop().remove_reader(self.master)
            self._reading = False

    def _resume_reading(self) -> None:
        if not self._reading and self.master is not None:
            asyncio.get_running_loop().add_reader(self.master, self._pty_readable)
            self._reading = True

    def eof_received(self) -> bool:
        return False  # closes the channel; connection_lost cleans up

    # --- endings -----------------------------------------------------------------

    def end(self, message: str) -> None:
        """Ask the navigator to stop (it restores the terminal), then say `message`."""
        if self._ending is not None or self._done:
            return
        self._ending = message
        if self.pid is None:
            self.finish(message)
            return
        self.room.zygote.kill(self.pid)  # SIGTERM, SIGKILL after a grace period
        # Should the zygote not know the pid (it was restarted), hanging up the pty ends the
        # navigator.
        asyncio.get_running_loop().call_later(END_FALLBACK_SECONDS, self.finish, message)

    def child_exited(self, status: int) -> None:
        self.pid = None
        if self.master is not None and self._reading:
            self._pty_readable()  # drain what is left; EIO ends the session
        else:
            self.finish(self._ending)

    def finish(self, message: str | None, status: int = 0) -> None:
        if self._done:
            return
        self._done = True
        self._close_master()
        if self.chan is not None:
            try:
                if message:
                    self.chan.write(RESET_TERMINAL + b"\r\n" + message.encode())
                self.chan.exit(status)
            except (OSError, asyncssh.Error, BrokenPipeError):
                pass
        self.room.left(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._done = True
        self._close_master()  # the pty hangs up: SIGHUP for the navigator
        if self.pid is not None:
            self.room.zygote.kill(self.pid)
        self.room.left(self)

    def _close_master(self) -> None:
        if self.master is None:
            return
        loop = asyncio.get_running_loop()
        for remove in (loop.remove_reader, loop.remove_writer):
            try:
                remove(self.master)
            except (ValueError, OSError):
                pass
        self._reading = False
        try:
            os.close(self.master)
        except OSError:
            pass
        self.master = None


class WorkshopServer(asyncssh.SSHServer):
    """Authentication and what a connection may open: sessions, nothing else.

    The role comes from what the client proved (the facilitator's code or a marked
    key), remembered per connection; the login name is only a wish for a name.
    """

    def __init__(self, room: Room, cfg: SshConfig, throttle: LoginThrottle) -> None:
        self.room = room
        self.cfg = cfg
        self.throttle = throttle
        self.conn: asyncssh.SSHServerConnection | None = None
        self.role = Role.PARTICIPANT
        self.address = ""

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("",)
        self.address = str(peer[0])

    def begin_auth(self, username: str) -> bool:
        return True  # always authenticate

    def password_auth_supported(self) -> bool:
        return self.cfg.codes is not None

    async def validate_password(self, username: str, password: str) -> bool:
        codes = self.cfg.codes
        if codes is None:
            return False
        who = clean_name(username) or "?"
        if not self.throttle.may_check(self.address):
            wait = self.throttle.retry_after(self.address)
            if self.throttle.log_refusal(self.address):
                self.room.log(
                    f"SSH: code niet bekeken, te veel foute pogingen vanaf {self.address} "
                    f"(naam '{who}'; weer mogelijk over {wait:.0f} s)"
                )
            return False
        role = codes.role_for(password)
        if role is None:
            n = self.throttle.failures(self.address) + 1
            self.room.log(f"SSH: foute code vanaf {self.address} (naam '{who}', poging {n})")
            await self.throttle.wrong(self.address)
            return False
        self.role = role
        return True

    def kbdint_auth_supported(self) -> bool:
        return False  # the passcode goes through plain password auth

    def public_key_auth_supported(self) -> bool:
        return bool(self.cfg.keys)

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """asyncssh checks the signature after this, for the last key validated here."""
        if not self.cfg.keys:
            return False
        role = self.cfg.keys.role_for(key, self.address, self.address)
        if role is None:
            return False
        self.role = role
        return True

    def session_requested(self) -> PtySession:
        assert self.conn is not None
        user = clean_name(self.conn.get_extra_info("username") or "")
        return PtySession(self.room, user, self.role, self.address)

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        return False  # ssh -L

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False  # ssh -R

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


async def run_ssh(cfg: SshConfig) -> int:
    """Serve until Ctrl-C or SIGTERM; then end every session and the zygote."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    follow_file = follow_path(cfg.state)
    reset_follow(follow_file)
    room = Room(cfg)
    throttle = LoginThrottle()
    acceptor = None
    sweeper = None
    console: asyncio.Future[None] | None = None
    try:
        await room.zygote.start()
        acceptor = await asyncssh.listen(
            cfg.host,
            cfg.port,
            server_factory=lambda: WorkshopServer(room, cfg, throttle),
            server_host_keys=[cfg.host_key],
            public_key_auth=bool(cfg.keys),
            password_auth=cfg.codes is not None,
            kbdint_auth=False,
            allow_pty=True,
            agent_forwarding=False,
            x11_forwarding=False,
            line_editor=False,
            encoding=None,
            login_timeout=60,
            keepalive_interval=30,
            reuse_address=True,
        )
        port = acceptor.get_port()
        if cfg.on_listening is not None:
            cfg.on_listening(port)
        sweeper = asyncio.ensure_future(room.sweep_idle())
        if cfg.console is not None:
            console = asyncio.ensure_future(cfg.console(room, stop))
            console.add_done_callback(lambda _: stop.set())  # "end the workshop" on the console
        await stop.wait()
        return 0
    finally:
        if acceptor is not None:
            acceptor.close()
        if sweeper is not None:
            sweeper.cancel()
        await room.close_all()
        await room.zygote.stop()
        if console is not None:
            await asyncio.wait({console})  # the console gives the terminal back
            if not console.cancelled() and console.exception() is not None:
                print(f"wijkkompas: console: {console.exception()}", file=sys.stderr)
        reset_follow(follow_file)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
