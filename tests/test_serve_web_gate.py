"""`serve --web --passcode`: the browser room behind the same codes as the SSH room.

A real server on loopback for the module. Without the code there is only the login
page: the app page, its websocket and its static files all answer 403 (or send you
to /login) and no app process is ever started. A wrong code gets a clear Dutch
message, later each time. With the room code a real headless Chromium, driven by
Playwright, gets the workshop app; with the facilitator's code a session has
follow control.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.cli_helpers import SCRIPT, wijkkompas

PASSCODE = "web-code-5678"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_])"
)
STEP = 30.0


@dataclass
class WebRoom:
    proc: subprocess.Popen[str]
    port: int
    output: list[str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def code(self, label: str) -> str:
        for line in self.output:
            if line.startswith(f"Code voor de {label}:"):
                return line.split(":", 1)[1].split()[0]
        raise AssertionError(f"no {label} code in:\n{''.join(self.output)}")

    def app_processes(self) -> list[int]:
        """Processes the server started (textual-serve starts one shell + app per session)."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    found.append(int(entry))
        return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def room(tmp_path_factory) -> Iterator[WebRoom]:
    tmp = tmp_path_factory.mktemp("webgate")
    state = tmp / "wijkkompas.yaml"
    env = {"WIJKKOMPAS_CACHE_DIR": str(tmp / "cache"), "WIJKKOMPAS_PASSCODE": PASSCODE}
    assert wijkkompas("new", str(state), "--name", "Poortwijk", env=env).returncode == 0
    port = free_port()
    proc = subprocess.Popen(
        [
            str(SCRIPT),
            "serve",
            str(state),
            "--web",
            f"127.0.0.1:{port}",
            "--passcode",
            "--facilitator",
            "anna",
        ],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp,
    )
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(proc.stdout or []), daemon=True).start()
    web = WebRoom(proc, port, output)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{web.url}/login", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("web server did not start:\n" + "".join(output)) from None
                time.sleep(0.2)
        yield web
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def client() -> aiohttp.ClientSession:
    """A client that keeps cookies from 127.0.0.1 (aiohttp refuses cookies from an IP address)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def login(http: aiohttp.ClientSession, room: WebRoom, name: str, code: str):
    return await http.post(f"{room.url}/login", data={"naam": name, "code": code})


async def screen_text(ws: aiohttp.ClientWebSocketResponse, *wanted: str) -> str:
    """Read the app's output until every `wanted` text has appeared."""
    seen = b""
    deadline = time.monotonic() + STEP
    while not all(w.encode() in ANSI.sub(b"", seen) for w in wanted):
        left = deadline - time.monotonic()
        assert left > 0, f"{wanted} did not appear; got:\n{ANSI.sub(b'', seen)[-800:]!r}"
        try:
            msg = await asyncio.wait_for(ws.receive(), left)
        except TimeoutError:
            continue
        if msg.type == aiohttp.WSMsgType.BINARY:
            seen += msg.data
        elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            raise AssertionError(f"session closed; got:\n{ANSI.sub(b'', seen)[-800:]!r}")
    return ANSI.sub(b"", seen).decode("utf-8", "replace")


async def test_without_the_code_there_is_no_app_and_no_process(room: WebRoom) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(room.url + "/") as r:  # follows the redirect
            page = await r.text()
            assert r.status == 200 and r.url.path == "/login"
            assert "Code van de workshop" in page and "textual.js" not in page
            assert "http://" not in page.replace('href="/"', "")  # nothing from elsewhere
        for path in ("/static/js/textual.js", "/download/x", "/login/../ws", "/ws"):
            async with http.get(room.url + path) as r:
                assert r.status in (403, 404), (path, r.status)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"ws://127.0.0.1:{room.port}/ws?width=80&height=24")
        assert refused.value.status == 403
    async with aiohttp.ClientSession(cookies={"wijkkompas_sessie": "verzonnen"}) as http:
        async with http.get(room.url + "/static/js/textual.js") as r:
            assert r.status == 403  # a made-up cookie is no cookie
    waited = []
    async with aiohttp.ClientSession() as http:
        for _ in range(2):
            started = time.monotonic()
            async with await login(http, room, "mallory", "raden") as r:
                assert r.status == 403
                assert "Die code klopt niet" in await r.text()
                assert "wijkkompas_sessie" not in r.cookies
            waited.append(time.monotonic() - started)
    assert waited[0] < waited[1] and waited[1] >= 1.0, waited  # 0.5 s, then 1 s
    assert room.app_processes() == []
    assert "web: foute code vanaf 127.0.0.1 (naam 'mallory', poging 2)" in "".join(room.output)


def test_nothing_from_the_network_reaches_the_console_raw(room: WebRoom) -> None:
    """A request's path and headers are anyone's: the server's log shows no escape sequence."""
    request = (
        b"GET /\x1b[2J?x=\x1b]0;gekaapt\x07 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"User-Agent: evil\x1b[31m\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", room.port), timeout=10) as s:
        s.sendall(request)
        while s.recv(65536):
            pass
    time.sleep(0.5)
    assert "\x1b" not in "".join(room.output) and "\x07" not in "".join(room.output)


async def test_the_facilitator_code_gives_follow_control_in_the_browser(room: WebRoom) -> None:
    async with client() as http:
        async with await login(http, room, "wie-dan-ook", room.code("facilitator")) as r:
            assert r.status == 200 and r.url.path == "/"
            cookie = r.history[0].headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        async with http.ws_connect(f"ws://127.0.0.1:{room.port}/ws?width=80&height=24") as ws:
            await screen_text(ws, "Poortwijk", "Welkom bij de workshop, anna")
            await ws.send_json(["stdin", "\r"])
            await screen_text(ws, "(Gemeente)")
            await ws.send_json(["stdin", "f"])
            await screen_text(ws, "zaal volgt jou")
            await ws.send_json(["stdin", "f"])
            await screen_text(ws, "Volgmodus uit")


async def test_the_room_code_under_the_facilitators_name_is_another_participant(
    room: WebRoom,
) -> None:
    async with client() as http:
        async with await login(http, room, "anna", PASSCODE) as r:
            page = await r.text()
            assert "hoort bij de facilitator" in page and "anna (2)" in page
        async with http.ws_connect(f"ws://127.0.0.1:{room.port}/ws?width=80&height=24") as ws:
            await screen_text(ws, "Welkom bij de workshop, anna (2)")
            await ws.send_json(["stdin", "\r"])
            await screen_text(ws, "(Gemeente)")
            await ws.send_json(["stdin", "f"])
            await screen_text(ws, "De volgmodus staat niet aan")


@pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not shutil.which("chromium"),
    reason=f"no {CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does)",
)
async def test_a_real_browser_logs_in_and_gets_the_workshop(room: WebRoom, tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    frames: list[bytes] = []

    def on_websocket(ws) -> None:
        ws.on(
            "framereceived",
            lambda payload: frames.append(
                payload if isinstance(payload, bytes) else payload.encode()
            ),
        )

    async with async_playwright() as pw:
        browser = await pw.chromium.launch_persistent_context(
            str(tmp_path / "profiel"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            page = await browser.new_page()
            page.on("websocket", on_websocket)
            await page.goto(room.url + "/")
            assert page.url.endswith("/login")
            await page.fill("#naam", "Fatima")
            await page.fill("#code", "fout-fout")
            await page.click("button[type=submit]")
            await page.wait_for_selector("text=Die code klopt niet")
            assert room.app_processes() == []
            assert not frames
            await page.fill("#code", PASSCODE)
            await page.click("button[type=submit]")
            await page.wait_for_url(room.url + "/")
            deadline = time.monotonic() + STEP
            while b"Welkom bij de workshop, Fatima" not in ANSI.sub(b"", b"".join(frames)):
                assert time.monotonic() < deadline, ANSI.sub(b"", b"".join(frames))[-800:]
                await asyncio.sleep(0.2)
            assert room.app_processes()  # now, and only now, an app runs
            cookies = await browser.cookies()
            session = next(c for c in cookies if c["name"] == "wijkkompas_sessie")
            assert session["httpOnly"] and session["sameSite"] == "Strict"
        finally:
            await browser.close()
