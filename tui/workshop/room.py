"""A workshop room: its sessions, their limits, and the fork server that starts them.

Independent of the transport: `sshserver.py` puts an SSH channel in front of each
session. The sessions themselves run in processes forked by the zygote
(`tui.workshop.zygote`); this module is the server's side of that conversation, plus the
whitelist environment every session gets.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from compass.text import one_line

from .follow import FollowState, follow_path, read_follow, write_follow
from .names import unique_name
from .trust import Role

ZYGOTE_START_TIMEOUT = 120.0  # importing Textual and painting once, on a slow laptop
MSG_IDLE = "Je sessie is gesloten na {t} zonder toetsaanslag. Log gerust opnieuw in.\r\n"
MSG_STOP = "De workshop is gestopt. Bedankt voor je bijdrage!\r\n"
MSG_READY = "Zaal klaar: {n} sessies staan klaar, wie nu inlogt begint meteen."
MSG_NAME_FACILITATOR = "De naam '{wanted}' hoort bij de facilitator. Je doet mee als '{name}'."
MSG_NAME_TAKEN = "De naam '{wanted}' is al in gebruik in de zaal. Je doet mee als '{name}'."


@dataclass(kw_only=True)
class RoomConfig:
    state: Path
    facilitator: str | None = None
    max_sessions: int = 40
    spares: int = 0  # sessions built before anyone arrives (tui/workshop/spare.py)
    idle_timeout: int = 3600
    pack: str | None = None
    lang: str = "nl"
    no_mouse: bool = False
    warm: bool = True
    env: dict[str, str] = field(default_factory=dict)
    on_event: Callable[[str], None] | None = None  # the console's log; default: print a line


class Session(Protocol):
    """What the room needs of a session, whatever carries it."""

    user: str
    leader: bool  # proved to be the facilitator (code or marked key), never by name
    pid: int | None
    last_input: float

    def end(self, message: str) -> None: ...
    def finish(self, message: str | None, status: int = 0) -> None: ...
    def child_exited(self, status: int) -> None: ...


def child_env(base: dict[str, str] | os._Environ = os.environ) -> dict[str, str]:
    """The whole environment a session gets: a whitelist, never anything from the client."""

    def utf8(v: str) -> bool:
        return v.lower().replace("-", "").endswith("utf8")

    env = {
        "PATH": base.get("PATH", os.defpath),
        "TERM": "xterm-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    if base.get("HOME"):
        env["HOME"] = base["HOME"]
    env["LANG"] = base["LANG"] if utf8(base.get("LANG", "")) else "C.UTF-8"
    if base.get("LC_ALL"):
        env["LC_ALL"] = base["LC_ALL"] if utf8(base["LC_ALL"]) else "C.UTF-8"
    for key in (
        "PYTHONPATH",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
    ):  # the operator's, for finding code and files
        if base.get(key):
            env[key] = base[key]
    for key in ("WIJKKOMPAS_CACHE_DIR",):
        if base.get(key):
            env[key] = base[key]
    return env


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconden"
    minutes = round(seconds / 60)
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"


# --- the zygote, seen from the server ------------------------------------------------


class ZygoteStopped(OSError):
    """The zygote went away while a session was being started."""


class ZygoteClient:
    """Start the fork server and ask it for sessions; it tells us when they end."""

    def __init__(
        self,
        cfg: RoomConfig,
        on_exit: Callable[[int, int], None],
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.cfg = cfg
        self.on_exit = on_exit
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.sock: socket.socket | None = None
        self._ready: asyncio.Future[dict] | None = None
        self._waiting: dict[int, asyncio.Future[dict]] = {}
        self._next_id = 0
        self._restarting = asyncio.Lock()
        self.spares = (0, 0)  # (ready, wanted): sessions built ahead, as the zygote last said
        self.on_spares: Callable[[int, int], None] | None = None

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        cmd = [
            sys.executable,
            "-m",
            "tui.workshop.zygote",
            "--fd",
            str(theirs.fileno()),
            "--state",
            str(self.cfg.state),
            "--lang",
            self.cfg.lang,
        ]
        if self.cfg.pack:
            cmd += ["--pack", self.cfg.pack]
        if self.cfg.facilitator:
            cmd += ["--facilitator", self.cfg.facilitator]
        if self.cfg.no_mouse:
            cmd.append("--no-mouse")
        if not self.cfg.warm:
            cmd.append("--no-warm")
        if self.cfg.spares:
            cmd += ["--spares", str(self.cfg.spares), "--places", str(self.cfg.max_sessions)]
        self.proc = subprocess.Popen(
            cmd,
            pass_fds=[theirs.fileno()],
            env=self.cfg.env,
            stdin=subprocess.DEVNULL,
            # With a console on this terminal, the zygote's complaints go to its log instead
            stderr=subprocess.PIPE if self.cfg.on_event is not None else None,
            start_new_session=True,
        )
        if self.proc.stderr is not None:
            self._read_complaints(self.proc.stderr)
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
            self._forget()
            err = {"op": "error", "message": "de sessieserver is gestopt", "stopped": True}
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
        elif op == "spares":
            self.spares = (int(msg.get("ready", 0)), int(msg.get("target", 0)))
            if self.on_spares is not None:
                self.on_spares(*self.spares)

    def _complain(self, line: str) -> None:
        if self.log is not None:
            self.log(line)
        else:
            print(f"wijkkompas: {line}", file=sys.stderr, flush=True)

    def _read_complaints(self, pipe: IO[bytes]) -> None:
        """The zygote's stderr, line by line, into the log (a traceback stays readable there)."""
        loop = asyncio.get_running_loop()
        fd = pipe.fileno()
        os.set_blocking(fd, False)
        pending = b""

        def readable() -> None:
            nonlocal pending
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                loop.remove_reader(fd)
                pipe.close()
                return
            *lines, pending = (pending + data).split(b"\n")
            for line in lines:
                if line.strip():
                    self._complain("sessieserver: " + line.decode("utf-8", "replace"))

        loop.add_reader(fd, readable)

    def alive(self) -> bool:
        return self.sock is not None and self.proc is not None and self.proc.poll() is None

    async def spawn(
        self, slave_fd: int, user: str, term: str, *, leader: bool = False, notice: str = ""
    ) -> int:
        """A new session process on `slave_fd`; returns its pid.

        A zygote that died (out of memory, killed by hand) is started again for the next
        participant, also when it is found dead only while asked: a process killed a
        moment ago can still look alive, and that participant's spawn is retried once."""
        try:
            return await self._spawn(slave_fd, user, term, leader=leader, notice=notice)
        except (ZygoteStopped, BrokenPipeError, ConnectionResetError):
            return await self._spawn(slave_fd, user, term, leader=leader, notice=notice)

    async def _spawn(
        self, slave_fd: int, user: str, term: str, *, leader: bool = False, notice: str = ""
    ) -> int:
        if not self.alive():
            async with self._restarting:
                if not self.alive():
                    self._forget()
                    self._complain("de sessieserver was gestopt; opnieuw gestart.")
                    try:
                        await self.start()
                    except (TimeoutError, RuntimeError) as exc:
                        raise OSError(str(exc)) from None
        if self.sock is None:  # found dead since (its socket closed)
            raise ZygoteStopped("de sessieserver is gestopt")
        self._next_id += 1
        rid = self._next_id
        fut: asyncio.Future[dict] = asyncio.get_running_loop().create_future()
        self._waiting[rid] = fut
        msg = {
            "op": "spawn",
            "id": rid,
            "user": user,
            "term": term,
            "leader": leader,
            "notice": notice,
        }
        await self._send(msg, [slave_fd])
        answer = await asyncio.wait_for(fut, 30)
        if answer.get("stopped"):
            raise ZygoteStopped(answer["message"])
        if answer.get("op") != "spawned":
            raise OSError(answer.get("message", "sessie starten mislukt"))
        return int(answer["pid"])

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

    def _forget(self) -> None:
        """Let go of a dead zygote's socket (its sessions live on, orphaned, until they end)."""
        if self.sock is not None:
            try:
                asyncio.get_running_loop().remove_reader(self.sock.fileno())
            except (ValueError, OSError):
                pass
            self.sock.close()
            self.sock = None

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
        self._forget()


# --- the room: all sessions ------------------------------------------------------------


class Room:
    """Every live session, the limits, and the clean way out."""

    def __init__(self, cfg: RoomConfig) -> None:
        self.cfg = cfg
        self.sessions: set[Session] = set()
        self.by_pid: dict[int, Session] = {}
        self.zygote = ZygoteClient(cfg, self._child_exited, self.log)
        self.zygote.on_spares = self._spares
        self.closing = False
        self.follow_from_console = False  # the console started the current follow run
        self._announced_ready = False

    def _spares(self, ready: int, target: int) -> None:
        """Say once when every place has a session waiting: from then on a login is a paint."""
        if not self._announced_ready and target > 0 and ready >= target:
            self._announced_ready = True
            self.log(MSG_READY.format(n=ready))

    def log(self, message: str) -> None:
        """One line for the facilitator's console (participant text made visible, one line)."""
        line = one_line(message)
        if self.cfg.on_event is not None:
            self.cfg.on_event(line)
        else:
            print(f"{time.strftime('%H:%M:%S')} {line}", flush=True)

    def claim_name(self, wanted: str, role: Role) -> tuple[str, str]:
        """The name the room gives a newcomer, and a notice when it is not the one they asked.

        A participant never gets the facilitator's name (`--facilitator`) or a name
        someone in the room already has: they get `anna (2)`. The facilitator may be
        in the room more than once (laptop and beamer) under their own name.
        """
        fac = self.cfg.facilitator or ""
        if role is Role.FACILITATOR:
            name = fac or wanted or "facilitator"
            return unique_name(name, {s.user.casefold() for s in self.sessions if not s.leader}), ""
        wanted = wanted or "deelnemer"
        taken = {s.user.casefold() for s in self.sessions}
        if fac:
            taken.add(fac.casefold())
        name = unique_name(wanted, taken)
        if name == wanted:
            return name, ""
        template = MSG_NAME_FACILITATOR if wanted.casefold() == fac.casefold() else MSG_NAME_TAKEN
        return name, template.format(wanted=wanted, name=name)

    def _child_exited(self, pid: int, status: int) -> None:
        session = self.by_pid.pop(pid, None)
        if session is not None:
            session.child_exited(status)

    def left(self, session: Session) -> None:
        if session in self.sessions:
            self.log(f"weg: {session.user}")
        self.sessions.discard(session)
        if session.pid is not None:
            self.by_pid.pop(session.pid, None)
        if (
            session.leader
            and not self.follow_from_console
            and not any(s.leader for s in self.sessions)
        ):
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
                    s.end(MSG_IDLE.format(t=_duration(limit)))

    async def close_all(self) -> None:
        self.closing = True
        for s in list(self.sessions):
            s.end(MSG_STOP)
        deadline = time.monotonic() + 5
        while self.sessions and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for s in list(self.sessions):
            s.finish(MSG_STOP)
