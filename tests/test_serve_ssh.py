"""The workshop SSH server for real: `wijkkompas serve --ssh` on loopback, asyncssh clients with a
pty.

Two servers for the module (starting one costs a second or two). With a passcode:
sessions see each other's changes, the file gets them, follow mode moves the
room (only for whoever gave the facilitator's code), everything that is not an
interactive pty session is refused, sessions get only the whitelisted
environment, a full room is told so, SIGTERM ends it all cleanly. With
authorized keys only: key login, a marked facilitator key, the idle timeout, and
a killed session server that comes back for the next participant. Trust in the
room (names, codes, throttling) has its own file: tests/test_workshop_trust.py.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncssh
import pytest

from compass.pack import load_pack
from compass.state import load_state
from tests.cli_helpers import SCRIPT, wijkkompas

PASSCODE = "test-code-1234"
ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ "
    rb"-/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]|[@-Z\\-_])"
)
STEP = 20.0  # seconds: the most any single expected thing may take on a slow machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int
    state: Path
    data: Path
    output: list[str]

    def code(self, label: str) -> str:
        """A code from the server's console, e.g. `facilitator` or `zaal`."""
        for line in self.output:
            if line.startswith(f"Code voor de {label}:"):
                return line.split(":", 1)[1].split()[0]
        raise AssertionError(f"no {label} code in:\n{''.join(self.output)}")


def start_server(
    tmp: Path, *options: str, name: str = "Serveerwijk", extra_env: dict[str, str] | None = None
) -> Server:
    state = tmp / "wijkkompas.yaml"
    env = {
        "WIJKKOMPAS_CACHE_DIR": str(tmp / "cache"),
        "XDG_DATA_HOME": str(tmp / "data"),  # the host key goes here, not in the real user dir
        "WIJKKOMPAS_PASSCODE": PASSCODE,
        **(extra_env or {}),
    }
    assert wijkkompas("new", str(state), "--name", name, env=env).returncode == 0
    port = free_port()
    proc = subprocess.Popen(
        [str(SCRIPT), "serve", str(state), "--ssh", f"127.0.0.1:{port}", *options],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp,
    )
    output: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            if line.startswith("Hoogstens"):  # the last line of the banner
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(60):
        stop_server(proc)
        raise AssertionError("server did not start:\n" + "".join(output))
    return Server(proc, port, state, tmp / "data", output)


def stop_server(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("serve"),
        "--passcode",
        "--facilitator",
        "anna",
        "--max-sessions",
        "2",
    )
    try:
        yield srv
    finally:
        stop_server(srv.proc)


CLIENT_KEY = asyncssh.generate_private_key("ssh-ed25519")


@pytest.fixture(scope="module")
def keyserver(tmp_path_factory) -> Iterator[Server]:
    """Keys only (no passcode), and a short idle timeout."""
    tmp = tmp_path_factory.mktemp("keys")
    keys = tmp / "authorized_keys"
    keys.write_bytes(CLIENT_KEY.export_public_key())
    srv = start_server(
        tmp,
        "--authorized-keys",
        str(keys),
        "--idle-timeout",
        "3",
        "--spares",
        "2",
        name="Sleutelwijk",
    )
    try:
        yield srv
    finally:
        stop_server(srv.proc)


def processes(server: Server) -> tuple[int, list[int]]:
    """The zygote of a server and the session processes it forked."""

    def children(pid: int) -> list[int]:
        out = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry))
        return out

    zygote = next(
        p
        for p in children(server.proc.pid)
        if b"tui.workshop.zygote" in Path(f"/proc/{p}/cmdline").read_bytes()
    )
    return zygote, children(zygote)


class Session:
    """A participant: an SSH connection with a pty, and everything the server sent it."""

    def __init__(self, conn: asyncssh.SSHClientConnection, proc: asyncssh.SSHClientProcess) -> None:
        self.conn = conn
        self.proc = proc
        self.raw = bytearray()

    def mark(self) -> int:
        return len(self.raw)

    def text(self, since: int = 0) -> str:
        return ANSI.sub(b"", bytes(self.raw[since:])).decode("utf-8", "replace")

    async def wait_for(self, text: str, since: int = 0, timeout: float = STEP) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text(since):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"{text!r} did not appear; last output:\n{self.text(since)[-1500:]}"
                )
            try:
                data = await asyncio.wait_for(self.proc.stdout.read(65536), left)
            except TimeoutError:
                continue
            if not data:
                raise AssertionError(
                    f"session closed before {text!r} appeared:\n{self.text(since)[-1500:]}"
                )
            self.raw += data

    async def press(self, *keys: str, pause: float = 0.25) -> None:
        for key in keys:
            self.proc.stdin.write(key.encode())
            await asyncio.sleep(pause)

    async def close(self) -> None:
        self.conn.close()
        await asyncio.wait_for(self.conn.wait_closed(), 10)


async def connect(
    server: Server,
    user: str,
    password: str | None = PASSCODE,
    key: asyncssh.SSHKey | None = None,
) -> asyncssh.SSHClientConnection:
    return await asyncio.wait_for(
        asyncssh.connect(
            "127.0.0.1",
            server.port,
            username=user,
            password=password,
            known_hosts=None,
            client_keys=[key] if key else None,
            agent_path=None,
            preferred_auth="publickey" if key else "password",
        ),
        STEP,
    )


async def join(
    server: Server,
    user: str,
    key: asyncssh.SSHKey | None = None,
    project: str = "Serveerwijk",
    code: str = PASSCODE,
    expect: str = "",
) -> Session:
    """Log in, wait for the navigator (and `expect` in the welcome), pick the first role."""
    conn = await connect(server, user, password=None if key else code, key=key)
    proc = await asyncio.wait_for(
        conn.create_process(
            term_type="xterm-256color",
            term_size=(80, 24),
            encoding=None,
            env={"EVIL": "1", "LD_PRELOAD": "/tmp/x.so"},
        ),
        STEP,
    )
    s = Session(conn, proc)
    await s.wait_for(project)
    await s.wait_for("Welkom bij de workshop")
    if expect:
        await s.wait_for(expect)
    mark = s.mark()
    await s.press("\r")
    await s.wait_for("(Gemeente)", since=mark)
    return s


async def test_a_change_in_one_session_shows_in_another_and_in_the_file(server: Server) -> None:
    pack = load_pack()
    first = pack.knooppunten[0]
    a = await join(server, "fatima")
    b = await join(server, "bram")
    try:
        seen = b.mark()
        await a.press("s")
        await a.wait_for("afgerond")
        await a.press("2")  # 1-5 pick a status: 2 = bezig
        await b.wait_for("bezig", since=seen)
        deadline = time.monotonic() + STEP
        while True:
            entry = load_state(server.state, pack).entry(first.slug)
            if entry.status == "doing":
                break
            assert time.monotonic() < deadline, "the change did not reach the state file"
            await asyncio.sleep(0.2)
        assert entry.by == "fatima"
    finally:
        await a.close()
        await b.close()


async def test_follow_mode_moves_the_other_sessions(server: Server) -> None:
    k42 = load_pack().by_number(42)
    assert k42 is not None
    anna = await join(server, "anna", code=server.code("facilitator"))
    bram = await join(server, "bram")
    try:
        await anna.press("g")
        await anna.wait_for("Ga naar:")
        mark = anna.mark()
        await anna.press("4", "2")
        await anna.wait_for(k42.title[:12], since=mark)
        seen = bram.mark()
        await anna.press("\r", "f")
        await anna.wait_for("zaal volgt jou")
        await bram.wait_for(f"42. {k42.title.split()[0]}", since=seen)
        await bram.wait_for("volgt anna", since=seen)
        left = bram.mark()
        await bram.press("j")  # any key: look around on your own
        await bram.wait_for("f: meekijken", since=left)
    finally:
        await anna.press("f")
        await anna.close()
        await bram.close()


async def test_wrong_passcode_is_refused(server: Server) -> None:
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server, "mallory", password="raden")


async def test_everything_but_a_pty_session_is_refused(server: Server) -> None:
    conn = await connect(server, "mallory")
    try:
        with pytest.raises(asyncssh.ChannelOpenError):  # exec
            await asyncio.wait_for(conn.run("cat /etc/passwd", check=True), STEP)
        with pytest.raises(asyncssh.ChannelOpenError):  # a shell without a pty
            await asyncio.wait_for(conn.create_process(), STEP)
        with pytest.raises((asyncssh.ChannelOpenError, asyncssh.SFTPError)):  # sftp subsystem
            await asyncio.wait_for(conn.start_sftp_client(), STEP)
        with pytest.raises(asyncssh.ChannelOpenError):  # ssh -L
            await asyncio.wait_for(conn.open_connection("127.0.0.1", server.port), STEP)
        with pytest.raises(asyncssh.ChannelListenError):  # ssh -R
            await asyncio.wait_for(
                conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", server.port), STEP
            )
    finally:
        conn.close()
        await asyncio.wait_for(conn.wait_closed(), 10)


async def test_resize_and_a_clean_quit(server: Server) -> None:
    s = await join(server, "carla")
    mark = s.mark()
    s.proc.change_terminal_size(120, 30)
    await s.wait_for(
        "Karakteriseren van het gebied", since=mark
    )  # wider tree: the phase title fits now
    await s.press("q")
    await asyncio.wait_for(s.proc.wait_closed(), STEP)
    await s.close()


async def test_a_full_room_gets_a_polite_message(server: Server) -> None:
    a = await join(server, "eva")
    b = await join(server, "frank")
    try:
        conn = await connect(server, "gert")
        proc = await asyncio.wait_for(
            conn.create_process(term_type="xterm", term_size=(80, 24), encoding=None), STEP
        )
        late = Session(conn, proc)
        await late.wait_for("de workshop zit vol")
        await asyncio.wait_for(proc.wait_closed(), STEP)
        await late.close()
        # and the facilitator's console says so, with what to do about it (the log comes
        # through a pipe and a reader thread: give it a moment)
        deadline = time.monotonic() + 10
        while not any("de zaal is vol (2 deelnemers)" in x for x in server.output):
            assert time.monotonic() < deadline, "".join(server.output)[-2000:]
            await asyncio.sleep(0.1)
        assert any("--max-sessions" in x for x in server.output if "zaal is vol" in x)
    finally:
        await a.close()
        await b.close()


async def test_host_key_and_session_environment(server: Server) -> None:
    key_file = server.data / "wijkkompas" / "ssh_host_ed25519_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    s = await join(server, "hanna")
    try:
        fingerprint = s.conn.get_server_host_key().get_fingerprint("sha256")
        assert fingerprint.startswith("SHA256:") and fingerprint in "".join(server.output)
        zygote, sessions = processes(server)
        assert sessions
        allowed = {
            "PATH",
            "HOME",
            "LANG",
            "LC_ALL",
            "TERM",
            "TEXTUAL_ANIMATIONS",
            "PYTHONPATH",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
            "WIJKKOMPAS_CACHE_DIR",
        }
        for pid in (zygote, *sessions):
            names = {
                kv.split(b"=", 1)[0].decode()
                for kv in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
                if kv
            }
            assert names <= allowed, (
                names - allowed
            )  # no passcode, nothing the client sent (EVIL, LD_PRELOAD)
    finally:
        await s.close()


async def test_keys_only_and_idle_timeout(keyserver: Server) -> None:
    with pytest.raises(
        asyncssh.PermissionDenied
    ):  # no passcode configured: password login is not offered
        await connect(keyserver, "mallory")
    with pytest.raises(asyncssh.PermissionDenied):  # a key that is not in the file
        await connect(
            keyserver, "mallory", password=None, key=asyncssh.generate_private_key("ssh-ed25519")
        )
    s = await join(keyserver, "ines", key=CLIENT_KEY, project="Sleutelwijk")
    await s.wait_for("zonder toetsaanslag")  # --idle-timeout 3
    await asyncio.wait_for(s.proc.wait_closed(), STEP)
    await s.close()


async def test_a_lost_session_server_comes_back(keyserver: Server) -> None:
    zygote, _ = processes(keyserver)
    os.kill(zygote, signal.SIGKILL)
    s = await join(keyserver, "jan", key=CLIENT_KEY, project="Sleutelwijk")
    await s.close()


async def test_a_tiny_or_shrinking_terminal_gets_a_message_not_a_traceback(server: Server) -> None:
    conn = await connect(server, "klein")
    proc = await asyncio.wait_for(
        conn.create_process(term_type="xterm", term_size=(3, 2), encoding=None), STEP
    )
    s = Session(conn, proc)
    try:
        await s.wait_for("Terminal te klein")
        proc.change_terminal_size(80, 24)
        await s.wait_for("Welkom bij de workshop")
        mark = s.mark()
        await s.press("\r")
        await s.wait_for("(Gemeente)", since=mark)
        proc.change_terminal_size(1, 1)
        await asyncio.sleep(1.0)
        proc.change_terminal_size(80, 24)
        await s.wait_for("Zoek", since=mark)
        assert "Traceback" not in s.text() and "Error" not in s.text()
        assert proc.exit_status is None
    finally:
        await s.close()


async def test_bytes_that_are_not_utf8_do_not_end_a_session(server: Server) -> None:
    s = await join(server, "latin")
    try:
        mark = s.mark()
        await s.press("n")
        await s.wait_for("ctrl+s opslaan", since=mark)
        s.proc.stdin.write(b"caf\xe9 \xff\xfe ok")
        await asyncio.sleep(0.5)
        await s.press("x")
        await s.wait_for("ok", since=mark)
        assert "Traceback" not in s.text() and s.proc.exit_status is None
    finally:
        await s.close()


def test_no_login_method_is_a_usage_error(tmp_path: Path) -> None:
    state = tmp_path / "w.yaml"
    assert wijkkompas("new", str(state), "--name", "X").returncode == 0
    r = wijkkompas("serve", str(state), "--ssh", "2222")
    assert r.returncode == 2
    assert "--passcode" in r.stderr and "--authorized-keys" in r.stderr
    assert "Traceback" not in r.stderr


def test_sigterm_ends_sessions_and_server_cleanly(server: Server) -> None:
    """Last in the module: stop the shared server the way systemd or Ctrl-C would."""

    async def scenario() -> None:
        s = await join(server, "dirk")
        server.proc.send_signal(signal.SIGTERM)
        await s.wait_for("De workshop is gestopt")
        await asyncio.wait_for(s.proc.wait_closed(), STEP)
        s.conn.close()

    asyncio.run(scenario())
    assert server.proc.wait(20) == 0
    assert "Workshop gestopt" in "".join(server.output)
    load_state(server.state, load_pack())  # still a valid file
