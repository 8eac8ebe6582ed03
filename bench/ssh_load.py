"""A room of participants over SSH, measured: `measure_ssh(state_path, sessions=40)`.

Starts the real workshop server (`python -m tui serve STATE --ssh 127.0.0.1:PORT
--passcode`) on loopback, waits until it says the room is ready (a session built
ahead for every place, `tui/workshop/spare.py`; `room_ready`, seconds from the
start, as a facilitator would wait before giving out the address) and reports:

- first screen (`first_screen_p50/max`, seconds): all `sessions` participants log
  in at the same moment (the worst case); from the start of the TCP connect to
  the moment the stream shows the welcome dialog, a session's first screen (handshake,
  login, fork, paint, bytes); the navigator is built once the role is chosen, which
  the bench then does for everyone at once (`role_navigator_p50/max`: from Enter to
  the navigator's footer) before measuring the rest.
  `first_screen_staggered_*`: the same with arrivals spread over 0.4 s per participant (10 s for
  25), as when a
  room types the command and the code at its own speed;
- keystroke echo (`echo_p50/p95`, seconds): every participant presses ↓ six times
  at a reading pace (a key every 1–3 s, at random); the time from writing the key
  to the first byte of the screen's answer. `echo_busy_*`: everyone scrolling at
  once (a key every 0.05–0.6 s), the overload case;
- memory (`mib_per_session` = USS, the memory one more participant costs;
  also PSS, RSS and the all-in total of server + zygote + sessions, in MiB) from
  /proc/PID/smaps_rollup of the session processes;
- bytes per cursor move: one participant presses ↓ and lets the cursor rest long
  enough for the page to follow (`bytes_per_cursor_move`), or holds the key down
  (`bytes_per_quick_cursor_move`); what the server sent on the SSH channel,
  before encryption and without compression.

Bounded: every wait has a timeout, a run of 25 takes about 45 s on 2 cores, and
the server is always stopped.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASSCODE = "bench-code"
MARK_READY = b"Welkom bij de workshop"
MARK_NAVIGATOR = b"Ga naar"  # the navigator's footer: the role is chosen, the tree is there
MARK_ROOM_READY = b"Zaal klaar"  # the server: a session is built ahead for every place
CONNECT_TIMEOUT = 90.0
QUIET = 0.35  # seconds without output: the screen has settled
ECHO_KEYS_PER_SESSION = 6
READING_PACE = (1.0, 3.0)  # seconds between keys per participant: reading a page, then on
BROWSING_PACE = (0.05, 0.6)  # everyone scrolling through the tree at once
STAGGER_PER_SESSION = (
    0.4  # seconds: 25 people log in over 10 s, typing the command and the code at their own speed
)
MOVES = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rollup(pid: int) -> dict[str, float]:
    """Rss, Pss and USS (private clean + dirty) in MiB."""
    d: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] in ("Rss:", "Pss:", "Private_Clean:", "Private_Dirty:"):
                d[parts[0][:-1]] = int(parts[1]) / 1024
    d["Uss"] = d.get("Private_Clean", 0) + d.get("Private_Dirty", 0)
    return d


def _sessions(zygote: int) -> list[int]:
    """The zygote's children that are someone's session: they have a terminal (a spare, built
    ahead for the next participant, has none)."""
    out = []
    for pid in _children(zygote):
        try:
            with open(f"/proc/{pid}/stat") as f:
                tty_nr = int(f.read().rsplit(")", 1)[1].split()[4])
        except (OSError, ValueError, IndexError):
            continue
        if tty_nr:
            out.append(pid)
    return out


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry))
    return kids


def _percentile(values: list[float], p: float) -> float:
    """Nearest rank: a real sample, as in bench.common."""
    s = sorted(values)
    return s[max(1, math.ceil(p / 100 * len(s))) - 1] if s else float("nan")


class _Participant:
    def __init__(self, name: str) -> None:
        self.name = name
        self.conn = None
        self.proc = None
        self.received = 0
        self.first_screen: float | None = None
        self.role_to_navigator: float | None = None
        self._buf = bytearray()
        self._event = asyncio.Event()
        self._last = time.monotonic()
        self._reader: asyncio.Task | None = None

    async def join(self, port: int) -> None:
        import asyncssh

        start = time.monotonic()
        self.conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username=self.name,
            password=PASSCODE,
            known_hosts=None,
            client_keys=None,
            agent_path=None,
            preferred_auth="password",
        )
        self.proc = await self.conn.create_process(
            term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        self._reader = asyncio.ensure_future(self._read())
        while MARK_READY not in self._buf:
            self._event.clear()
            await self._event.wait()
        self.first_screen = time.monotonic() - start

    async def choose_role(self) -> float:
        """Seconds from Enter in the welcome dialog until the navigator's footer arrives."""
        mark = len(self._buf)
        start = time.monotonic()
        self.proc.stdin.write(b"\r")
        while MARK_NAVIGATOR not in self._buf[mark:]:
            self._event.clear()
            await asyncio.wait_for(self._event.wait(), CONNECT_TIMEOUT)
        return time.monotonic() - start

    async def _read(self) -> None:
        while True:
            data = await self.proc.stdout.read(65536)
            if not data:
                self._event.set()
                return
            self.received += len(data)
            self._last = time.monotonic()
            if len(self._buf) < 1_000_000:
                self._buf += data
            self._event.set()

    async def settle(self, quiet: float = QUIET, limit: float = 10.0) -> None:
        end = time.monotonic() + limit
        while time.monotonic() < end and time.monotonic() - self._last < quiet:
            await asyncio.sleep(quiet / 4)

    async def echo(self, key: bytes) -> float:
        """Seconds from writing `key` to the first byte that answers it."""
        before = self.received
        self._event.clear()
        start = time.monotonic()
        self.proc.stdin.write(key)
        while self.received == before:
            await asyncio.wait_for(self._event.wait(), 10)
            self._event.clear()
        return time.monotonic() - start

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self.conn is not None:
            self.conn.close()
            try:
                await asyncio.wait_for(self.conn.wait_closed(), 5)
            except TimeoutError:
                pass


async def _start_server(
    state: Path, port: int, sessions: int, home: Path, timings: dict | None = None
) -> asyncio.subprocess.Process:
    """The server, once it says the room is ready: its address printed and, as a facilitator
    waits for before giving out the address, a session built ahead for every place."""
    env = dict(os.environ, WIJKKOMPAS_PASSCODE=PASSCODE, XDG_DATA_HOME=str(home))
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tui",
        "serve",
        str(state),
        "--ssh",
        f"127.0.0.1:{port}",
        "--passcode",
        "--max-sessions",
        str(sessions + 5),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        stdin=asyncio.subprocess.DEVNULL,
    )
    seen = b""
    assert proc.stdout is not None
    for mark in (b"ssh -p", MARK_ROOM_READY):
        while mark not in seen:
            line = await asyncio.wait_for(proc.stdout.readline(), 120)
            if not line:
                raise RuntimeError(
                    "server stopped at start: " + seen.decode(errors="replace")[-500:]
                )
            seen += line
        if timings is not None:
            timings[mark.decode()] = time.monotonic() - started
    asyncio.ensure_future(proc.stdout.read())  # keep draining
    return proc


async def _stop_server(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 20)
        except TimeoutError:
            proc.kill()
            await proc.wait()


def _memory(server_pid: int) -> dict[str, float]:
    zygotes = [
        p
        for p in _children(server_pid)
        if b"tui.workshop.zygote" in Path(f"/proc/{p}/cmdline").read_bytes()
    ]
    if not zygotes:
        return {}
    zygote = zygotes[0]
    sessions = [_rollup(p) for p in _sessions(zygote)]
    if not sessions:
        return {}
    total = sum(s["Pss"] for s in sessions) + _rollup(zygote)["Pss"] + _rollup(server_pid)["Pss"]
    return {
        "mib_per_session": statistics.mean(s["Uss"] for s in sessions),
        "pss_mib_per_session": statistics.mean(s["Pss"] for s in sessions),
        "uss_mib_per_session": statistics.mean(s["Uss"] for s in sessions),
        "rss_mib_per_session": statistics.mean(s["Rss"] for s in sessions),
        "zygote_pss_mib": _rollup(zygote)["Pss"],
        "server_pss_mib": _rollup(server_pid)["Pss"],
        "total_mib": total,
        "total_mib_per_session": total / len(sessions),
        "session_processes": float(len(sessions)),
    }


async def _typing(p: _Participant, keys: int, pause: tuple[float, float]) -> list[float]:
    out = []
    for _ in range(keys):
        await asyncio.sleep(random.uniform(*pause))
        await p.settle(quiet=0.2)
        out.append(await p.echo(b"j"))
    return out


async def _echoes(people: list[_Participant], pause: tuple[float, float]) -> list[float]:
    keys = (
        ECHO_KEYS_PER_SESSION if len(people) >= 10 else 3
    )  # a smoke run (`make bench --quick`) stays short
    runs = await asyncio.wait_for(asyncio.gather(*(_typing(p, keys, pause) for p in people)), 120)
    await asyncio.gather(*(p.settle() for p in people))
    return [e for es in runs for e in es]


async def _join_all(people: list[_Participant], port: int, spread: float) -> list[float]:
    """Everyone joins; `spread` seconds: arrivals spread evenly over that window (0 = all at
    once)."""

    async def arrive(i: int, p: _Participant) -> None:
        await asyncio.sleep(spread * i / max(1, len(people)))
        await p.join(port)

    await asyncio.wait_for(
        asyncio.gather(*(arrive(i, p) for i, p in enumerate(people))), CONNECT_TIMEOUT + spread
    )
    # everyone chooses a role at the same moment; the navigator has the keys again
    roles = await asyncio.gather(*(p.choose_role() for p in people))
    await asyncio.gather(*(p.settle() for p in people))
    for p, seconds in zip(people, roles, strict=True):
        p.role_to_navigator = seconds
    return [p.first_screen for p in people if p.first_screen is not None]


async def _sessions_gone(server_pid: int, limit: float = 15.0) -> None:
    end = time.monotonic() + limit
    zygotes = [
        p
        for p in _children(server_pid)
        if b"tui.workshop.zygote" in Path(f"/proc/{p}/cmdline").read_bytes()
    ]
    while zygotes and _sessions(zygotes[0]) and time.monotonic() < end:
        await asyncio.sleep(0.1)


async def measure_ssh(state_path: str | Path, sessions: int = 40) -> dict:
    """Run the room; return seconds (`*_p50`, `*_max`, `*_p95`), MiB and bytes."""
    state = Path(state_path).resolve()
    port = _free_port()
    result: dict = {"sessions": sessions}
    with tempfile.TemporaryDirectory(prefix="wk-ssh-bench-") as home:
        timings: dict[str, float] = {}
        server = await _start_server(state, port, sessions, Path(home), timings)
        result["room_ready"] = timings.get(MARK_ROOM_READY.decode(), float("nan"))
        people = [_Participant(f"deelnemer{i:02d}") for i in range(sessions)]
        later: list[_Participant] = []
        try:
            firsts = await _join_all(people, port, 0.0)
            result.update(first_screen_p50=statistics.median(firsts), first_screen_max=max(firsts))
            roles = [p.role_to_navigator for p in people if p.role_to_navigator is not None]
            result.update(
                role_navigator_p50=statistics.median(roles), role_navigator_max=max(roles)
            )
            result.update(_memory(server.pid))

            echoes = await _echoes(people, READING_PACE)
            result.update(
                echo_p50=statistics.median(echoes),
                echo_p95=_percentile(echoes, 95),
                echo_samples=len(echoes),
            )
            busy = await _echoes(people, BROWSING_PACE)
            result.update(
                echo_busy_p50=statistics.median(busy), echo_busy_p95=_percentile(busy, 95)
            )

            mover = people[0]
            moves = MOVES if sessions >= 10 else 4
            await mover.settle(quiet=0.5)
            before = mover.received
            for _ in range(moves):
                mover.proc.stdin.write(b"j")
                await asyncio.sleep(0.05)
                await mover.settle(quiet=0.4)
            result["bytes_per_cursor_move"] = (mover.received - before) / moves
            before = mover.received
            for _ in range(moves):  # a held-down key: the page only follows once the cursor rests
                mover.proc.stdin.write(b"k")
                await asyncio.sleep(0.03)
            await mover.settle(quiet=0.5)
            result["bytes_per_quick_cursor_move"] = (mover.received - before) / moves

            await asyncio.gather(*(p.close() for p in people), return_exceptions=True)
            await _sessions_gone(server.pid)  # so their exit does not slow the next logins
            later = [_Participant(f"laat{i:02d}") for i in range(sessions)]
            firsts = await _join_all(later, port, STAGGER_PER_SESSION * sessions)
            result.update(
                first_screen_staggered_p50=statistics.median(firsts),
                first_screen_staggered_max=max(firsts),
            )
        finally:
            await asyncio.gather(*(p.close() for p in people + later), return_exceptions=True)
            await _stop_server(server)
    return result


if __name__ == "__main__":  # python -m bench.ssh_load STATE [SESSIONS]
    import json

    print(
        json.dumps(
            asyncio.run(measure_ssh(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)),
            indent=2,
        )
    )
