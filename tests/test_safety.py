"""Safety off the happy path: hostile files, odd terminals, colleagues editing at the same time.

Each test is one promise of docs/security.md, tried the way it would go wrong.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from compass.pack import load_pack
from compass.state import StateStore, create_state, load_state
from tests.cli_helpers import wijkkompas
from tui.app import WijkkompasApp
from tui.screens.confirm import ChoiceDialog
from tui.screens.note import NoteDialog
from tui.screens.too_small import TooSmallScreen

ESC = "\x1b"


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def hostile_state(tmp_path: Path) -> Path:
    """A project file as it might arrive in a colleague's commit: escape sequences in values."""
    state = tmp_path / "wijk.yaml"
    assert wijkkompas("new", str(state), "--name", "Gewoon").returncode == 0
    text = state.read_text(encoding="utf-8")
    text = text.replace("name: Gewoon", 'name: "\\e]0;TITEL\\a"', 1)
    text = text.replace(
        "    status: todo\n    owner: ''",
        '    status: stuck\n    owner: "\\e[2J\\e[HHACKED"',
        1,
    )
    state.write_text(text, encoding="utf-8")
    return state


# --- 2. escape sequences never reach a terminal ---------------------------------------------


def test_status_report_and_validate_show_escapes_visibly(tmp_path: Path) -> None:
    state = hostile_state(tmp_path)
    for args in (
        ("status", str(state)),
        ("report", str(state)),
        ("report", str(state), "--format", "html"),
        ("validate", str(state)),
        ("status", str(state), "--json"),
    ):
        r = wijkkompas(*args)
        assert r.returncode == 0, r.stderr
        assert ESC not in r.stdout + r.stderr, args
    status = wijkkompas("status", str(state)).stdout
    assert "␛]0;TITEL␇" in status and "␛[2J␛[HHACKED" in status
    # a message that quotes a bad value from the file
    bad = state.read_text(encoding="utf-8").replace("status: stuck", 'status: "\\e[31mrood"', 1)
    state.write_text(bad, encoding="utf-8")
    r = wijkkompas("validate", str(state))
    assert r.returncode == 1 and ESC not in r.stderr and "[31mrood" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_pack_text_with_escapes_is_shown_visibly(tmp_path: Path, mini_pack_dir: Path) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(mini_pack_dir, pack_dir)
    page = sorted((pack_dir / "knooppunten").glob("*.md"))[0]
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "## Doel\n\n", "## Doel\n\n\x1b[2J wis \x9b1m\n", 1
        ),
        encoding="utf-8",
    )
    r = wijkkompas("show", "1", "--pack", str(pack_dir))
    assert r.returncode == 0 and ESC not in r.stdout and "\x9b" not in r.stdout
    assert "␛[2J wis" in r.stdout


def test_an_argument_with_escapes_is_echoed_visibly() -> None:
    r = wijkkompas("show", f"{ESC}]0;X\a")
    assert r.returncode == 1 and ESC not in r.stderr and "␛]0;X␇" in r.stderr


async def test_the_app_shows_escapes_visibly(tmp_path: Path, pack) -> None:
    state = hostile_state(tmp_path)
    app = WijkkompasApp(pack, state)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        assert app.state is not None
        assert "␛]0;TITEL␇" in app.state.project.name
        owners = [e.owner for e in app.state.entries.values() if e.owner]
        assert owners == ["␛[2J␛[HHACKED"]
        assert ESC not in app.project_line()


# --- 3, 4, 5. notes: merge or warn, Esc cancels, a failed save keeps the text ----------------


async def open_note(pilot, app, number: int) -> NoteDialog:
    await pilot.press("g", *str(number), "enter")
    await pilot.pause(0.3)
    await pilot.press("n")
    for _ in range(40):
        await pilot.pause(0.05)
        if isinstance(app.screen, NoteDialog):
            return app.screen
    raise AssertionError("the note dialog did not open")


def note_in_file(state: Path, pack, number: int) -> str:
    return load_state(state, pack).entry(pack.by_number(number).slug).note


async def test_a_colleagues_note_is_never_overwritten_in_silence(tmp_path: Path, pack) -> None:
    state = tmp_path / "w.yaml"
    create_state(state, pack, name="Samen")
    app = WijkkompasApp(pack, state)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        dialog = await open_note(pilot, app, 12)
        await pilot.press(*"mijn regel")
        # meanwhile, in another terminal
        r = wijkkompas("set", str(state), "12", "--note", "van de collega")
        assert r.returncode == 0, r.stderr
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ChoiceDialog), "no question asked"
        assert note_in_file(state, pack, 12) == "van de collega"  # nothing written yet
        await pilot.press("enter")  # the first answer: keep both
        await pilot.pause(0.3)
        assert not isinstance(app.screen, (ChoiceDialog, NoteDialog))
        assert dialog.is_attached is False
    assert note_in_file(state, pack, 12) == "van de collega\n\nmijn regel"


async def test_escape_cancels_and_asks_before_discarding(tmp_path: Path, pack) -> None:
    state = tmp_path / "w.yaml"
    create_state(state, pack, name="Esc")
    before = state.read_bytes()
    app = WijkkompasApp(pack, state)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        await open_note(pilot, app, 5)
        await pilot.press(*"getypt")
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")  # "no, keep editing"
        await pilot.pause(0.2)
        assert isinstance(app.screen, NoteDialog) and "getypt" in app.screen.text
        await pilot.press("escape")
        await pilot.pause(0.2)
        await pilot.press("down", "enter")  # "yes, discard"
        await pilot.pause(0.2)
        assert not isinstance(app.screen, (ChoiceDialog, NoteDialog))
    assert state.read_bytes() == before


async def test_a_failed_save_keeps_the_dialog_and_the_text(tmp_path: Path, pack) -> None:
    state = tmp_path / "w.yaml"
    create_state(state, pack, name="Alleen lezen")
    app = WijkkompasApp(pack, state)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        dialog = await open_note(pilot, app, 7)
        await pilot.press(*"belangrijk")
        state.chmod(0o444)
        try:
            await pilot.press("ctrl+s")
            await pilot.pause(0.3)
            assert app.screen is dialog and "belangrijk" in dialog.text
            assert "alleen-lezen" in str(dialog.query_one("#error").render())
            state.chmod(0o644)
            await pilot.press("ctrl+s")
            await pilot.pause(0.3)
            assert app.screen is not dialog
        finally:
            state.chmod(0o644)
    assert note_in_file(state, pack, 7) == "belangrijk"


# --- 6. output paths ----------------------------------------------------------------------------


def test_report_output_never_replaces_what_it_should_not(tmp_path: Path) -> None:
    state = tmp_path / "w.yaml"
    other = tmp_path / "ander.yaml"
    assert wijkkompas("new", str(state), "--name", "Een").returncode == 0
    assert wijkkompas("new", str(other), "--name", "Ander").returncode == 0
    before = other.read_bytes()
    r = wijkkompas("report", str(state), "-o", str(other))
    assert r.returncode == 1 and "projectbestand" in r.stderr and other.read_bytes() == before
    assert wijkkompas("report", str(state), "-o", str(other), "--force").returncode == 0
    assert other.read_text(encoding="utf-8").startswith("# APK")

    target = tmp_path / "doel.md"
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert wijkkompas("report", str(state), "-o", str(link)).returncode == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("# APK")

    lock = tmp_path / ".w.yaml.lock"
    lock.write_text("")
    r = wijkkompas("report", str(state), "-o", str(lock))
    assert r.returncode == 1 and lock.read_text() == ""

    fifo = tmp_path / "pijp"
    os.mkfifo(fifo)
    r = wijkkompas("report", str(state), "-o", str(fifo))
    assert r.returncode == 1 and stat.S_ISFIFO(fifo.stat().st_mode)  # nobody reads: refused

    if os.path.exists("/dev/null"):
        assert wijkkompas("report", str(state), "-o", "/dev/null").returncode == 0
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    if os.path.exists("/dev/full"):
        r = wijkkompas("report", str(state), "-o", "/dev/full")
        assert r.returncode == 1 and stat.S_ISCHR(os.stat("/dev/full").st_mode)
        assert "Traceback" not in r.stderr


# --- 7, 8. the cache is private; the owner is kept ------------------------------------------


def test_cache_files_are_private(tmp_path: Path, pack) -> None:
    cache = tmp_path / "cache"
    state = tmp_path / "w.yaml"
    create_state(state, pack, name="Geheim")
    env = {"WIJKKOMPAS_CACHE_DIR": str(cache)}
    os.chmod(state, 0o600)
    assert wijkkompas("set", str(state), "3", "--note", "vertrouwelijk", env=env).returncode == 0
    store = StateStore(state, pack)
    old = os.environ.get("WIJKKOMPAS_CACHE_DIR")
    os.environ["WIJKKOMPAS_CACHE_DIR"] = str(cache)
    try:
        store.load()
        store.keep_for_next_start()
    finally:
        if old is None:
            os.environ.pop("WIJKKOMPAS_CACHE_DIR")
        else:
            os.environ["WIJKKOMPAS_CACHE_DIR"] = old
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_save_keeps_owner_and_group(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    state = tmp_path / "w.yaml"
    assert wijkkompas("new", str(state), "--name", "Van nobody").returncode == 0
    os.chown(state, 65534, 65534)
    assert wijkkompas("set", str(state), "2", "--status", "doing").returncode == 0
    st = state.stat()
    assert (st.st_uid, st.st_gid) == (65534, 65534)


# --- 9, 10. one line, never a traceback; line ends kept ---------------------------------------


def test_cr_only_line_ends_work_and_stay(tmp_path: Path) -> None:
    state = tmp_path / "mac.yaml"
    assert wijkkompas("new", str(state), "--name", "Oud").returncode == 0
    state.write_bytes(state.read_bytes().replace(b"\n", b"\r"))
    assert wijkkompas("validate", str(state)).returncode == 0
    r = wijkkompas("set", str(state), "4", "--status", "done", "--note", "twee\nregels")
    assert r.returncode == 0, r.stderr
    raw = state.read_bytes()
    assert b"\n" not in raw and raw.count(b"\r") > 100
    assert YAML(typ="safe").load(raw.decode().replace("\r", "\n"))["knooppunten"]


def test_mixed_line_ends_are_kept_as_they_were(tmp_path: Path) -> None:
    state = tmp_path / "mix.yaml"
    assert wijkkompas("new", str(state), "--name", "Mix").returncode == 0
    lines = state.read_bytes().split(b"\n")
    lines[1] += b"\r"  # schema: 1, with CRLF
    lines[3] += b"\r"  # the project name, with CRLF
    state.write_bytes(b"\n".join(lines))
    assert wijkkompas("set", str(state), "9", "--owner", "Bram").returncode == 0
    after = state.read_bytes().split(b"\n")
    assert after[1].endswith(b"\r") and after[3].endswith(b"\r")
    assert sum(line.endswith(b"\r") for line in after) == 2


@pytest.mark.parametrize("ref", ["²", "9" * 5000, "٣"])
def test_odd_knooppunt_numbers_are_one_line_errors(tmp_path: Path, ref: str) -> None:
    r = wijkkompas("show", ref)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and len(r.stderr) < 300


def test_a_nul_byte_is_one_positioned_line(tmp_path: Path) -> None:
    state = tmp_path / "nul.yaml"
    state.write_bytes(b"schema: 1\nproject:\n  name: a\x00b\n")
    r = wijkkompas("validate", str(state))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and re.match(rf"{re.escape(str(state))}:\d+:\d+: ", lines[0]), lines


async def test_a_tiny_terminal_shows_a_calm_message(tmp_path: Path, pack) -> None:
    state = tmp_path / "w.yaml"
    create_state(state, pack, name="Klein")
    app = WijkkompasApp(pack, state)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        for size in ((3, 2), (1, 1), (20, 8)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            assert isinstance(app.screen, TooSmallScreen)
            await pilot.press("ctrl+p", "o", "s", "n")  # keys do nothing harmful meanwhile
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        assert not isinstance(app.screen, TooSmallScreen)
    small = WijkkompasApp(pack, state)
    async with small.run_test(size=(2, 2)) as pilot:
        await pilot.pause(0.3)
        assert isinstance(small.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.5)
        assert type(small.screen).__name__ == "NavigatorScreen"


def test_a_large_file_validates_in_linear_time(tmp_path: Path) -> None:
    """Many unknown keys (a file of another pack, say): no fuzzy suggestion for each one."""
    import time

    state = tmp_path / "groot.yaml"
    lines = ["schema: 1", "project:", "  name: Groot", "knooppunten:"]
    lines += [f"  ander-{i}:\n    status: done" for i in range(4000)]
    state.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    r = subprocess.run(
        [
            shutil.which("wijkkompas") or str(Path(os.sys.executable).parent / "wijkkompas"),
            "validate",
            str(state),
        ],
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - start
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") >= 4000  # every problem, one line each
    assert took < 60  # not a benchmark: a guard against a quadratic path coming back


@pytest.mark.parametrize(
    "body",
    [
        "".join(" " * (i + 1) + f"k{i}:\n" for i in range(1, 3000)),  # indentation, ever deeper
        "  name: " + "[" * 5000 + "\n",  # brackets, ever deeper
    ],
    ids=["inspringing", "haakjes"],
)
def test_a_file_nested_absurdly_deep_gets_one_line_and_stays_untouched(
    tmp_path: Path, body: str
) -> None:
    state = tmp_path / "diep.yaml"
    state.write_text("schema: 1\nproject:\n" + body, encoding="utf-8")
    before = state.read_bytes()
    for args in (["validate", str(state)], ["set", str(state), "1", "--status", "done"]):
        r = wijkkompas(*args)
        assert r.returncode == 1, r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
        assert re.match(rf"{re.escape(str(state))}:\d+:\d+: ", r.stderr)
    assert state.read_bytes() == before


def test_a_pack_page_nested_absurdly_deep_gets_one_line(
    tmp_path: Path, mini_pack_dir: Path
) -> None:
    pack_dir = tmp_path / "pakket"
    shutil.copytree(mini_pack_dir, pack_dir)
    page = sorted((pack_dir / "knooppunten").rglob("*.md"))[0]
    deep = "".join(" " * (i + 1) + f"k{i}:\n" for i in range(1, 3000))
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\nx:\n" + deep, 1))
    r = wijkkompas("validate", "--pack", str(pack_dir))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert f"{page}:" in r.stderr and "veel te diep genest" in r.stderr
