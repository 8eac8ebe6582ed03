"""Nobody becomes facilitator by choosing a name; guessing codes gets slower and slower.

One real SSH server (`serve --ssh --passcode --authorized-keys --facilitator anna`)
on loopback for the module. The room code under the facilitator's name gives a
participant called "anna (2)" without follow control; a name already in the room
gets a number; the file records the names the room gave; the facilitator's code
and a key marked `wijkkompas-facilitator` give follow control whatever the login
name. Last, because it fills this address's penalty box: wrong codes are answered
later each time, while a right code still gets in at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from compass.pack import load_pack
from compass.state import load_state
from tests.test_serve_ssh import (
    PASSCODE,
    STEP,
    Server,
    connect,
    join,
    start_server,
    stop_server,
)
from tui.workshop.follow import follow_path, read_follow
from tui.workshop.names import unique_name
from tui.workshop.throttle import MAX_DELAY, LoginThrottle
from tui.workshop.trust import Codes, Role, is_marked

FACILITATOR_KEY = asyncssh.generate_private_key("ssh-ed25519")
PARTICIPANT_KEY = asyncssh.generate_private_key("ssh-ed25519")


@pytest.fixture(scope="module")
def room(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("trust")
    keys = tmp / "authorized_keys"
    keys.write_text(
        PARTICIPANT_KEY.export_public_key().decode().strip()
        + " bram@laptop\n"
        + FACILITATOR_KEY.export_public_key().decode().strip()
        + " anna@laptop wijkkompas-facilitator\n"
    )
    srv = start_server(
        tmp,
        "--passcode",
        "--authorized-keys",
        str(keys),
        "--facilitator",
        "anna",
        "--spares",
        "2",
        name="Vertrouwd",
    )
    try:
        yield srv
    finally:
        stop_server(srv.proc)


def follow_active(server: Server) -> bool:
    return read_follow(follow_path(server.state)).active


async def test_the_room_code_under_the_facilitators_name_gives_no_follow_control(
    room: Server,
) -> None:
    fake = await join(
        room,
        "anna",
        project="Vertrouwd",
        expect="hoort bij de facilitator. Je doet mee als 'anna (2)'",
    )
    try:
        assert "anna (2)" in fake.text()
        mark = fake.mark()
        await fake.press("f")
        await fake.wait_for("De volgmodus staat niet aan", since=mark)
        assert not follow_active(room)
        assert "zaal volgt jou" not in fake.text(mark)
    finally:
        await fake.close()


async def test_the_facilitator_code_gives_follow_control_under_any_name(room: Server) -> None:
    anna = await join(room, "wie-dan-ook", project="Vertrouwd", code=room.code("facilitator"))
    try:
        assert "Welkom bij de workshop, anna" in anna.text()  # the --facilitator name
        mark = anna.mark()
        await anna.press("f")
        await anna.wait_for("zaal volgt jou", since=mark)
        assert follow_active(room)
        mark = anna.mark()
        await anna.press("f")
        await anna.wait_for("Volgmodus uit", since=mark)
    finally:
        await anna.close()
    assert not follow_active(room)


async def test_a_marked_key_is_the_facilitator_and_a_plain_key_is_not(room: Server) -> None:
    plain = await join(room, "anna", key=PARTICIPANT_KEY, project="Vertrouwd", expect="anna (2)")
    marked = await join(room, "iemand", key=FACILITATOR_KEY, project="Vertrouwd")
    try:
        mark = plain.mark()
        await plain.press("f")
        await plain.wait_for("De volgmodus staat niet aan", since=mark)
        mark = marked.mark()
        await marked.press("f")
        await marked.wait_for("zaal volgt jou", since=mark)
        assert read_follow(follow_path(room.state)).leader == "anna"
        await marked.press("f")
    finally:
        await plain.close()
        await marked.close()


async def test_a_name_in_use_gets_a_number_and_the_file_records_it(room: Server) -> None:
    pack = load_pack()
    first = pack.knooppunten[0]
    bram = await join(room, "bram", project="Vertrouwd")
    other = await join(
        room, "BRAM", project="Vertrouwd", expect="al in gebruik in de zaal. Je doet mee als"
    )
    try:
        assert "BRAM (2)" in other.text()
        await other.press("s")
        await other.wait_for("afgerond")
        await other.press("2")
        deadline = time.monotonic() + STEP
        while load_state(room.state, pack).entry(first.slug).status != "doing":
            assert time.monotonic() < deadline, "the change did not reach the state file"
            await asyncio.sleep(0.2)
        assert load_state(room.state, pack).entry(first.slug).by == "BRAM (2)"
    finally:
        await bram.close()
        await other.close()


async def test_wrong_codes_wait_longer_each_time_but_a_right_code_gets_in_at_once(
    room: Server,
) -> None:
    waited = []
    for _ in range(3):
        started = time.monotonic()
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(room, "mallory", password="raden")
        waited.append(time.monotonic() - started)
    assert waited[0] < waited[1] < waited[2], waited
    assert waited[2] >= 2.0  # 0.5 s, 1 s, 2 s
    started = time.monotonic()
    conn = await connect(room, "carla", password=PASSCODE)  # same address, right code
    assert time.monotonic() - started < 3.0
    conn.close()
    deadline = time.monotonic() + 10
    while "foute code vanaf 127.0.0.1 (naam 'mallory', poging 3)" not in "".join(room.output):
        assert time.monotonic() < deadline, "".join(room.output)[-2000:]
        await asyncio.sleep(0.1)

    # Guesses fired all at once do not get checked faster: with the penalty box full,
    # even the right code is refused unchecked until a wrong answer has waited its time.
    flood = [asyncio.ensure_future(connect(room, "mallory", password=f"gok-{i}")) for i in range(4)]
    deadline = time.monotonic() + 20  # until all four wait in the penalty box (a slow CI too)
    while "(naam 'mallory', poging 7)" not in "".join(room.output):
        assert time.monotonic() < deadline, "".join(room.output)[-2000:]
        await asyncio.sleep(0.1)
    started = time.monotonic()
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(room, "mallory", password=PASSCODE)
    assert time.monotonic() - started < 3.0
    for f in flood:
        f.cancel()
    await asyncio.gather(*flood, return_exceptions=True)
    # the server's log reaches us through a pipe and a reader thread: give it a moment
    deadline = time.monotonic() + 10
    while "te veel foute pogingen vanaf 127.0.0.1" not in "".join(room.output):
        assert time.monotonic() < deadline, "".join(room.output)[-2000:]
        await asyncio.sleep(0.1)


def test_the_console_log_shows_control_characters_visibly(tmp_path: Path) -> None:
    """asyncssh already refuses ESC in a user name; a web name or a key comment could carry one."""
    from tui.workshop.room import Room, RoomConfig

    lines: list[str] = []
    Room(RoomConfig(state=tmp_path / "w.yaml", on_event=lines.append)).log("binnen: evil\x1b[2J\n")
    assert lines == ["binnen: evil␛[2J"]


# --- the rules on their own -----------------------------------------------------------


def test_codes_give_roles_and_never_the_same_code_twice() -> None:
    codes = Codes.fresh("zaal-code")
    assert codes.role_for("zaal-code") is Role.PARTICIPANT
    assert codes.role_for(" ZAAL CODE ") is Role.PARTICIPANT  # typed from a beamer
    assert codes.role_for(codes.facilitator) is Role.FACILITATOR
    assert codes.role_for("") is None and codes.role_for("zaal") is None
    assert codes.facilitator != codes.room


def test_names_get_a_number_and_still_fit() -> None:
    assert unique_name("anna", {"anna"}) == "anna (2)"
    assert unique_name("Anna", {"anna", "anna (2)"}) == "Anna (3)"
    assert len(unique_name("x" * 32, {"x" * 32})) <= 32


def test_the_facilitator_mark_is_a_word_on_the_key_line() -> None:
    assert is_marked("ssh-ed25519 AAAAC3 anna wijkkompas-facilitator")
    assert not is_marked("ssh-ed25519 AAAAC3 anna-wijkkompas-facilitatorish")


def test_the_throttle_grows_to_its_limit_and_forgets() -> None:
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    delays = [throttle.failed("10.0.0.1") for _ in range(10)]
    assert delays[:4] == [0.5, 1.0, 2.0, 4.0]
    assert max(delays) == MAX_DELAY
    assert not throttle.may_check("10.0.0.1")
    assert throttle.may_check("10.0.0.2")  # another address is not punished
    now[0] += 3600
    assert throttle.may_check("10.0.0.1") and throttle.failures("10.0.0.1") == 0


def test_a_keys_file_without_keys_for_the_facilitator_is_refused(tmp_path: Path) -> None:
    from tests.cli_helpers import wijkkompas

    state = tmp_path / "w.yaml"
    assert wijkkompas("new", str(state), "--name", "X").returncode == 0
    empty = tmp_path / "leeg"
    empty.write_text("# niets\n")
    r = wijkkompas("serve", str(state), "--ssh", "0", "--passcode", "--facilitator-key", str(empty))
    assert r.returncode == 1 and "leeg" in r.stderr and "Traceback" not in r.stderr


async def test_in_an_open_web_room_the_facilitators_name_gets_a_number(tmp_path: Path) -> None:
    """Without a login page the app asks the name; the facilitator's name is not for the taking."""
    from compass.state import create_state
    from tui.workshop.session import WorkshopApp

    pack = load_pack()
    state = tmp_path / "w.yaml"
    create_state(state, pack, name="Open zaal")
    app = WorkshopApp(pack, state, user="", facilitator="Anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press(*"anna", "enter", "enter")
        await pilot.pause(0.3)
        assert app.user == "anna (2)"
        assert not app.follow.is_facilitator
    app.follow.close()


def test_the_console_says_when_the_server_falls_behind() -> None:
    from tui.workshop.console import slow_notice

    assert slow_notice(0.05, 40, 2) is None  # on time: nothing to say
    notice = slow_notice(0.6, 40, 2)
    assert notice is not None
    assert notice.startswith("echo is te traag (600 ms achter): 40 deelnemers op 2 kernen")
    assert "scrollen" in notice  # and what to do about it
