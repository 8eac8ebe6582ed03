"""`wijkkompas serve STATE --web 127.0.0.1:PORT` for real: the page answers, and a browser session
runs the app."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import SCRIPT, wijkkompas

ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_])"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def web(tmp_path_factory) -> Iterator[tuple[int, list[str]]]:
    tmp = tmp_path_factory.mktemp("web")
    state = tmp / "wijkkompas.yaml"
    env = {"WIJKKOMPAS_CACHE_DIR": str(tmp / "cache")}
    assert wijkkompas("new", str(state), "--name", "Webwijk", env=env).returncode == 0
    port = free_port()
    proc = subprocess.Popen(
        [str(SCRIPT), "serve", str(state), "--web", f"127.0.0.1:{port}"],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp,
    )
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(proc.stdout or []), daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("web server did not start:\n" + "".join(output)) from None
                time.sleep(0.2)
        yield port, output
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def test_the_page_answers(web) -> None:
    port, output = web
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
        assert r.status == 200
        page = r.read().decode("utf-8")
    assert "Wijkkompas" in page
    assert f"ws://127.0.0.1:{port}/ws" in page  # the browser is sent back to the address it used
    text = "".join(output)
    assert f"http://127.0.0.1:{port}/" in text
    assert "LET OP" not in text  # loopback: no warning needed


async def test_a_browser_session_runs_the_workshop_app(web) -> None:
    import aiohttp

    port, _ = web
    seen = b""
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24") as ws:
            deadline = time.monotonic() + 30
            while not all(
                m in ANSI.sub(b"", seen) for m in (b"Webwijk", b"Welkom bij de workshop")
            ):
                left = deadline - time.monotonic()
                assert left > 0, f"no workshop screen; got:\n{ANSI.sub(b'', seen)[-800:]!r}"
                try:
                    msg = await asyncio.wait_for(ws.receive(), left)
                except TimeoutError:
                    continue
                if msg.type == aiohttp.WSMsgType.BINARY:
                    seen += msg.data
                elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    raise AssertionError(f"session closed; got:\n{ANSI.sub(b'', seen)[-800:]!r}")


def test_addresses_and_loopback() -> None:
    from tui.workshop.serve import is_loopback, parse_address

    assert parse_address("8000", "--web") == ("127.0.0.1", 8000)
    assert parse_address("0.0.0.0:8000", "--web") == ("0.0.0.0", 8000)
    assert parse_address("[::1]:8000", "--web") == ("::1", 8000)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_another_address_without_a_code_is_refused_unless_the_room_is_open(
    tmp_path: Path,
) -> None:
    state = tmp_path / "w.yaml"
    assert wijkkompas("new", str(state), "--name", "X").returncode == 0
    r = wijkkompas("serve", str(state), "--web", "0.0.0.0:0")
    assert r.returncode == 2
    assert "--passcode" in r.stderr and "--open-room" in r.stderr and "iedereen" in r.stderr
    assert "Traceback" not in r.stderr
    r = wijkkompas("serve", str(state), "--web", "8000", "--passcode", "--open-room")
    assert r.returncode == 2 and "niet allebei" in r.stderr
    r = wijkkompas("serve", str(state), "--web", "8000", "--authorized-keys", "x")
    assert r.returncode == 2 and "--ssh" in r.stderr
