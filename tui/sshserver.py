"""The workshop SSH server: one navigator per connection, nothing else.

Each accepted session gets a pty of its own (size from the client, kept in step on
window-change) whose slave end is handed to the zygote (`tui.zygote`), which forks
a ready-made navigator onto it. This process only moves bytes between the SSH
channel and the pty master, with flow control both ways.

Everything that is not "an interactive session with a pty" is refused: exec,
subsystems (sftp, scp), a shell without a pty, TCP/Unix forwarding both ways,
agent and X11 forwarding. The client's environment is ignored: sessions see a
fixed whitelist (see `child_env`).
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import hmac
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import asyncssh

from .follow import FollowState, follow_path, read_follow, reset_follow, write_follow
from .zygote import clean_name, safe_term

READ_CHUNK = 65536
INPUT_HIGH_WATER = 256 * 1024  # pause the SSH channel when this much input waits for the pty
AUTH_FAIL_DELAY = 1.0  # seconds; slows down guessing the passcode
ZYGOTE_START_TIMEOUT = 120.0
RESET_TERMINAL = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"  # mouse reporting off
    b"\x1b[?2004l\x1b[?1004l\x1b[<u"  # bracketed paste, focus events, kitty keys off
    b"\x1b[0m\x1b[?25h\x1b[?1049l"  # attributes, cursor, leave the alternate screen
)

MSG_FULL = "Sorry, de workshop zit vol ({n} deelnemers). Probeer het straks nog eens of vraag de facilitator.\r\n"
MSG_IDLE = "Je sessie is gesloten na {m} minuten zonder toetsaanslag. Log gerust opnieuw in.\r\n"
MSG_STOP = "De workshop is gestopt. Bedankt voor je bijdrage!\r\n"


@dataclass
class SshConfig:
    state: Path
    host: str
    port: int
    host_key: asyncssh.SSHKey
    passcode: str | None = None
    authorized_keys: str | None = None
    facilitator: str | None = None
    max_sessions: int = 40
    idle_timeout: int = 3600
    pack: str | None = None
    lang: str = "nl"
    no_mouse: bool = False
    warm: bool = True
    on_listening: Callable[[int], None] | None = None
    env: dict[str, str] = field(default_factory=dict)


def child_env(base: dict[str, str] | os._Environ = os.environ) -> dict[str, str]:
    """The whole environment a session gets: a whitelist, never anything from the client."""
    def utf8(v: str) -> bool:
        return v.lower().replace("-", "").endswith("utf8")

    env = {"PATH": base.get("PATH", os.defpath), "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", "TEXTUAL_FPS": base.get("XX_FPS", "60")}
    if base.get("HOME"):
        env["HOME"] = base["HOME"]
    env["LANG"] = base["LANG"] if utf8(base.get("LANG", "")) else "C.UTF-8"
    if base.get("LC_ALL"):
        env["LC_ALL"] = base["LC_ALL"] if utf8(base["LC_ALL"]) else "C.UTF-8"
    for key in ("PYTHONPATH", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):  # the operator's, for finding code and files
        if base.get(key):
            env[key] = base[key]
    for key in ("WIJKKOMPAS_CACHE_DIR",):
        if base.get(key):
            env[key] = base[key]
    return env


# --- the zygote, seen from the server ------------------------------------------------


class ZygoteClient:
    """Start the fork server and ask it for sessions; it tells us when they end."""

    def __init__(self, cfg: SshConfig, on_exit: Callable[[int, int], None]) -> None:
        self.cfg = cfg
        self.on_exit = on_exit
        self.proc: subprocess.Popen[bytes] | None = None
        self.sock: socket.socket | None = None
        self._ready: asyncio.Future[dict] | None = None
        self._waiting: dict[int, asyncio.Future[dict]] = {}
        self._next_id = 0

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        cmd = [sys.executable, "-m", "tui.zygote", "--fd", str(theirs.fileno()), "--state", str(self.cfg.state), "--lang", self.cfg.lang]
        if self.cfg.pack:
            cmd += ["--pack", self.cfg.pack]
        if self.cfg.facilitator:
            cmd += ["--facilitator", self.cfg.facilitator]
        if self.cfg.no_mouse:
            cmd.append("--no-mouse")
        if not self.cfg.warm:
            cmd.append("--no-warm")
        self.proc = subprocess.Popen(cmd, pass_fds=[theirs.fileno()], env=self.cfg.env, stdin=subprocess.DEVNULL, start_new_session=True)
        theirs.close()
        ours.setblocking(False)
        self.sock = ours
        self._ready = loop.create_future()
        loop.add_reader(ours.fileno(), self._readable)
        msg = await asyncio.wait_for(self._ready, ZYGOTE_START_TIMEOUT)
        if msg.get("op") != "ready":
            raise RuntimeError(msg.get("message", "de sessieserver kon niet starten"))
        return int(msg["pid"])

    def _readable(self) -> None:
        assert self.sock is not None
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.sock.fileno())
            err = {"op": "error", "message": "de sessieserver is gestopt"}
            if self._ready is not None and not self._ready.done():
                self._ready.set_result(err)
            for fut in self._waiting.values():
                if not fut.done():
                    fut.set_result(err)
            self._waiting.clear()
            return
        msg = json.loads(data)
        op = msg.get("op")
        if op in ("ready", "error") and self._ready is not None and not self._ready.done():
            self._ready.set_result(msg)
        elif op in ("spawned", "error") and msg.get("id") in self._waiting:
            fut = self._waiting.pop(msg["id"])
            if not fut.done():
                fut.set_result(msg)
        elif op == "exited":
            self.on_exit(int(msg["pid"]), int(msg.get("status", 0)))

    async def spawn(self, slave_fd: int, user: str, term: str) -> int:
        assert self.sock is not None
        self._next_id += 1
        rid = self._next_id
        fut: asyncio.Future[dict] = asyncio.get_running_loop().create_future()
        self._waiting[rid] = fut
        await self._send({"op": "spawn", "id": rid, "user": user, "term": term}, [slave_fd])
        msg = await asyncio.wait_for(fut, 30)
        if msg.get("op") != "spawned":
            raise OSError(msg.get("message", "sessie starten mislukt"))
        return int(msg["pid"])

    async def _send(self, msg: dict, fds: list[int] | None = None) -> None:
        assert self.sock is not None
        data = json.dumps(msg).encode()
        for _ in range(200):
            try:
                socket.send_fds(self.sock, [data], fds or [])
                return
            except BlockingIOError:
                await asyncio.sleep(0.01)
        raise OSError(errno.EAGAIN, "sessieserver reageert niet")

    def kill(self, pid: int) -> None:
        if self.sock is not None:
            try:
                socket.send_fds(self.sock, [json.dumps({"op": "kill", "pid": pid}).encode()], [])
            except OSError:
                pass

    async def stop(self, timeout: float = 8.0) -> None:
        if self.sock is not None:
            try:
                await self._send({"op": "stop"})
            except OSError:
                pass
        if self.proc is not None:
            deadline = time.monotonic() + timeout
            while self.proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        if self.sock is not None:
            try:
                asyncio.get_running_loop().remove_reader(self.sock.fileno())
            except (ValueError, OSError):
                pass
            self.sock.close()
            self.sock = None


# --- the room: all sessions ------------------------------------------------------------


class Room:
    """Every live session, the limits, and the clean way out."""

    def __init__(self, cfg: SshConfig) -> None:
        self.cfg = cfg
        self.sessions: set[PtySession] = set()
        self.by_pid: dict[int, PtySession] = {}
        self.zygote = ZygoteClient(cfg, self._child_exited)
        self.closing = False

    def _child_exited(self, pid: int, status: int) -> None:
        session = self.by_pid.pop(pid, None)
        if session is not None:
            session.child_exited(status)

    def left(self, session: "PtySession") -> None:
        self.sessions.discard(session)
        if session.pid is not None:
            self.by_pid.pop(session.pid, None)
        fac = self.cfg.facilitator
        if fac and session.user == fac and not any(s.user == fac for s in self.sessions):
            path = follow_path(self.cfg.state)
            st = read_follow(path)
            if st.active:  # the facilitator hung up without ending follow mode
                try:
                    write_follow(path, FollowState(False, st.leader, st.number, st.run))
                except OSError:
                    pass

    async def sweep_idle(self) -> None:
        limit = self.cfg.idle_timeout
        while limit > 0:
            await asyncio.sleep(min(30.0, max(1.0, limit / 4)))
            now = time.monotonic()
            for s in list(self.sessions):
                if now - s.last_input > limit:
                    s.end(MSG_IDLE.format(m=max(1, round(limit / 60))))

    async def close_all(self) -> None:
        self.closing = True
        for s in list(self.sessions):
            s.end(MSG_STOP)
        deadline = time.monotonic() + 5
        while self.sessions and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for s in list(self.sessions):
            s.finish(MSG_STOP)


class PtySession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One participant: an SSH channel on one side, a pty with a navigator on the other."""

    def __init__(self, room: Room, user: str) -> None:
        self.room = room
        self.user = user
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

    # --- what the client may ask -------------------------------------------------

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
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
            self.finish(MSG_FULL.format(n=room.cfg.max_sessions), status=1)
            return
        room.sessions.add(self)
        master, slave = os.openpty()
        self.master = master
        try:
            self._set_size(*self.size)
            os.set_blocking(master, False)
            self.pid = await room.zygote.spawn(slave, self.user, self.term or "xterm-256color")
        except (OSError, asyncio.TimeoutError) as exc:
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
        self.chan.write(data)

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.last_input = time.monotonic()
        if self.master is None or self._ending is not None:
            return
        self._pending += data
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
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", min(rows, 1000), min(cols, 1000), 0, 0))

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
        if self.pid is not None:
            self.room.zygote.kill(self.pid)  # SIGTERM, SIGKILL after a grace period
        else:
            self.finish(message)

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
    """Authentication and what a connection may open: sessions, nothing else."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn

    def begin_auth(self, username: str) -> bool:
        return True  # always authenticate

    def password_auth_supported(self) -> bool:
        return self.room.cfg.passcode is not None

    async def validate_password(self, username: str, password: str) -> bool:
        code = self.room.cfg.passcode
        ok = code is not None and hmac.compare_digest(password.strip().encode(), code.encode())
        if not ok:
            await asyncio.sleep(AUTH_FAIL_DELAY)
        return ok

    def kbdint_auth_supported(self) -> bool:
        return False  # the passcode goes through plain password auth

    def session_requested(self) -> PtySession:
        assert self.conn is not None
        user = clean_name(self.conn.get_extra_info("username") or "") or "deelnemer"
        return PtySession(self.room, user)

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
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
    acceptor = None
    sweeper = None
    try:
        await room.zygote.start()
        acceptor = await asyncssh.listen(
            cfg.host, cfg.port,
            server_factory=lambda: WorkshopServer(room),
            server_host_keys=[cfg.host_key],
            **({"authorized_client_keys": cfg.authorized_keys} if cfg.authorized_keys else {}),
            public_key_auth=bool(cfg.authorized_keys),
            password_auth=cfg.passcode is not None,
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
        await stop.wait()
        return 0
    finally:
        if acceptor is not None:
            acceptor.close()
        if sweeper is not None:
            sweeper.cancel()
        await room.close_all()
        await room.zygote.stop()
        reset_follow(follow_file)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
