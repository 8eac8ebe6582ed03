"""Every reach into Textual's or Rich's private API (tui/textual_compat.py), checked.

When the pinned Textual changes a name, a signature or a behaviour relied on,
one of these fails, instead of a workshop quietly sending twice the bytes.
The last test measures that behaviour where it counts: bytes written to a real
terminal per cursor move.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pty
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.style import Style
from textual.widget import Widget
from textual.widgets import Tree

from tests.cli_helpers import SCRIPT
from tui import textual_compat as compat

ROOT = Path(__file__).parent.parent


def test_every_private_name_still_exists() -> None:
    for owner, names in compat.uses().items():
        module, _, cls_name = owner.rpartition(".")
        cls = getattr(importlib.import_module(module), cls_name)
        for name in names.split():
            if name in (
                "_line_cache",
                "_layout_cache",
                "_color",
                "_bgcolor",
                "_attributes",
                "_set_attributes",
                "_link",
                "_meta",
                "_variables",
                "_driver",
                "_environ",
                "_color_system",
            ):
                continue  # instance attributes: checked on instances below
            assert hasattr(cls, name), f"{owner}.{name} is gone"


def test_size_updated_signature() -> None:
    params = list(inspect.signature(Widget._size_updated).parameters)
    assert params == ["self", "size", "virtual_size", "container_size", "layout"]
    assert inspect.signature(Widget._size_updated).parameters["layout"].default is True


def test_tree_overrides_match_textual() -> None:
    assert list(inspect.signature(Tree._refresh_line).parameters) == ["self", "line"]
    # Textual's Tree handles Resize itself; our handler runs first and stops it (prevent_default).
    assert "_on_resize" in Tree.__dict__
    tree: Tree[None] = Tree("x")
    assert hasattr(tree, "_line_cache") and hasattr(tree._line_cache, "grow")
    assert hasattr(tree, "_layout_cache") and hasattr(tree._layout_cache, "clear")


def test_css_parses_are_shared_across_stylesheets() -> None:
    """`share_css_parses` (the workshop's zygote): the same CSS and variables give the very rule
    sets a first parse gave; other variables parse again. In a child process: the patch is
    process-wide."""
    from textual.css.stylesheet import Stylesheet

    params = list(inspect.signature(Stylesheet._parse_rules).parameters)
    assert params == ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]
    assert isinstance(Stylesheet(variables={"a": "red"})._variables, dict)
    code = """
from textual.css.stylesheet import Stylesheet
from tui.textual_compat import share_css_parses
share_css_parses(); share_css_parses()
css = "Static { color: $a; }"
def rules(variables):
    s = Stylesheet(variables=variables)
    s.add_source(css, read_from=("x", "X.CSS"))
    return s.rules
first, again, other = rules({"a": "red"}), rules({"a": "red"}), rules({"a": "blue"})
assert first[0] is again[0], "not shared"
assert other[0] is not first[0], "variables ignored"
assert str(first[0].styles.color) != str(other[0].styles.color)
print("ok")
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent.parent,
    )
    assert out.stdout.strip() == "ok", out.stderr


def test_style_internals_mean_what_is_sent() -> None:
    a = Style(color="red", bold=True)
    b = Style(color="red", bold=True, meta={"node": 3})  # same look, a mouse finds something else
    assert a != b and compat.style_look(a, False) == compat.style_look(b, False)
    assert compat.style_look(a, True) != compat.style_look(b, True)
    assert compat.style_look(Style(color="red"), False) != compat.style_look(
        Style(color="blue"), False
    )
    # a space shows its background and underline, not bold or the text colour
    assert compat.blank_look(Style(bold=True, color="red"), False) == compat.blank_look(
        Style(), False
    )
    assert compat.blank_look(Style(underline=True), False) != compat.blank_look(Style(), False)
    assert compat.blank_look(Style(bgcolor="blue"), False) != compat.blank_look(Style(), False)


def read_until_quiet(fd: int, quiet: float = 0.6, limit: float = 20.0) -> bytes:
    out = bytearray()
    end = time.monotonic() + limit
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return bytes(out)


def on_a_pty(
    argv: list[str], env: dict[str, str], cwd: Path | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """`argv` on a real 80×24 pty, in a session of its own without a controlling terminal (as
    under `make run`); returns the process and the pty's master side."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True
    )
    os.close(slave)
    return proc, master


def demo_on_a_pty(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`wijkkompas demo` on a real 80×24 pty (see `on_a_pty`)."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "WIJKKOMPAS_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "COLORTERM": "",
    }
    return on_a_pty([str(SCRIPT), "demo", "--no-mouse"], env, cwd=tmp_path)


def test_a_cursor_move_writes_at_most_2_kib(tmp_path: Path) -> None:
    """The SSH byte budget: a move in the tree (new page beside it) costs ≤ 2 KiB on the wire."""
    proc, master = demo_on_a_pty(tmp_path)
    try:
        first = read_until_quiet(master, quiet=1.5)
        assert b"Voorbeeldwijk" in first
        sizes = []
        for _ in range(12):
            os.write(master, b"j")
            sizes.append(len(read_until_quiet(master)))
        assert all(sizes), sizes  # every move did paint something
        print("bytes per cursor move:", sizes)
        assert statistics.median(sizes) <= 2048, sizes
    finally:
        os.write(master, b"q")
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.close(master)


def test_known_key_characters_are_textuals_own_answers() -> None:
    from textual.keys import key_to_character

    for key, character in compat.KEY_CHARACTERS.items():
        assert key_to_character(key) == character, key
    code = """
import textual.screen
from tui.textual_compat import known_key_characters
known_key_characters(); known_key_characters()
k2c = textual.screen.key_to_character
assert k2c.known and k2c("left_square_bracket") == "[" and k2c("escape") == "\\x1b"
assert k2c("exclamation_mark") == "!" and k2c("ctrl+a") is None  # the others: asked of Textual
print("ok")
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert out.stdout.strip() == "ok", out.stderr


def test_known_cell_widths_are_richs_own_answers() -> None:
    """In every Unicode version Rich knows, CELL_WIDTHS and Rich's single-cell characters have
    the width Rich's table gives; after the patch Rich measures the same, without its table."""
    code = """
import sys
import rich.cells
from rich._unicode_data._versions import VERSIONS
from tui.textual_compat import CELL_WIDTHS, known_cell_widths

def tables():
    return [m for m in sys.modules if m.startswith("rich._unicode_data.unicode")]

original = rich.cells.get_character_cell_size
known_cell_widths(); known_cell_widths()
assert rich.cells.get_character_cell_size.known
texts = ["Samen — starten", " • ", "↑↓ kiezen · esc: terug", "€ 5 – 10…"]
ours = [rich.cells.cell_len(text) for text in texts]
assert not tables(), tables()
assert ours == [sum(original(c) for c in text) for text in texts], ours
assert rich.cells.cell_len("中文 ok") == 7 and tables()  # any other character: asked of Rich
for version in VERSIONS:
    for character, width in CELL_WIDTHS.items():
        assert original(character, version) == width, (character, version)
    for character in rich.cells._SINGLE_CELLS:
        assert original(character, version) == 1, (character, version)
print("ok")
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert out.stdout.strip() == "ok", out.stderr


def test_lazy_strip_caches_are_the_ones_textual_makes() -> None:
    """Every slot of a Strip is set by our __init__ or is a cache of STRIP_CACHE_SIZES, made
    on first use with the size Textual gives it; a lazy Strip renders, crops and divides the
    same as Textual's own."""
    code = """
from rich.segment import Segment
from rich.style import Style
from textual.cache import FIFOCache
from textual.strip import Strip
from tui.textual_compat import STRIP_CACHE_SIZES, lazy_strip_caches

segments = [Segment("Samen ", Style(bold=True)), Segment("starten", Style(color="red"))]
segments.append(Segment("  "))
eager = Strip(segments, 15)
caches = {n: getattr(eager, n)._maxsize for n in Strip.__slots__
          if isinstance(getattr(eager, n), FIFOCache)}
assert caches == STRIP_CACHE_SIZES, caches
plain = set(Strip.__slots__) - set(caches)
lazy_strip_caches(); lazy_strip_caches()
lazy = Strip(segments, 15)
for name in plain:
    assert getattr(lazy, name) == getattr(eager, name), name
for name in caches:
    try:
        object.__getattribute__(lazy, name)
    except AttributeError:
        pass
    else:
        raise AssertionError(f"{name} made before its first use")
def same(a, b):
    return list(a) == list(b) and a.cell_length == b.cell_length
assert same(lazy.crop(2, 9), eager.crop(2, 9)) and same(lazy.crop(2, 9), lazy.crop(2, 9))
assert all(same(x, y) for x, y in zip(lazy.divide([4, 10, 15]), eager.divide([4, 10, 15])))
assert same(lazy.apply_style(Style(italic=True)), eager.apply_style(Style(italic=True)))
assert same(lazy.crop_extend(1, 20, None), eager.crop_extend(1, 20, None))
assert same(lazy.adjust_cell_length(20), eager.adjust_cell_length(20))
assert {n: getattr(lazy, n)._maxsize for n in caches} == STRIP_CACHE_SIZES
try:
    lazy.no_such_attribute
except AttributeError:
    print("ok")
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert out.stdout.strip() == "ok", out.stderr


def test_the_first_paint_looks_up_no_unicode_names(tmp_path) -> None:
    """The name table is ~0.8 MiB of resident memory once looked in (KEY_CHARACTERS, and
    WijkkompasApp.COMMAND_PALETTE_DISPLAY for ctrl+p)."""
    from compass.pack import load_pack
    from compass.state import create_state

    state = tmp_path / "wijkkompas.yaml"
    create_state(state, load_pack(), name="Namen")
    code = f"""
import sys, unicodedata
looked = []
lookup = unicodedata.lookup
def recording(name):
    looked.append(name)
    return lookup(name)
unicodedata.lookup = recording
sys.argv = ["wijkkompas", {str(state)!r}]
from tui.launcher import main
try:
    main()
except SystemExit:
    pass
print("looked up:", looked, file=sys.stderr)
"""
    env = {**os.environ, "WIJKKOMPAS_EXIT_AFTER_PAINT": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT, env=env
    )
    assert "looked up: []" in out.stderr, out.stderr[-2000:]


def test_the_first_paint_loads_no_unicode_width_table(tmp_path) -> None:
    """Rich's width table is ~0.15 MiB of resident memory once loaded (CELL_WIDTHS); the
    bundled pages and the navigator use no character outside it."""
    from compass.pack import load_pack
    from compass.state import create_state

    state = tmp_path / "wijkkompas.yaml"
    create_state(state, load_pack(), name="Breedtes")
    code = f"""
import sys
sys.argv = ["wijkkompas", {str(state)!r}]
from tui.launcher import main
try:
    main()
except SystemExit:
    pass
print("tables:", [m for m in sys.modules if m.startswith("rich._unicode_data.unicode")],
      file=sys.stderr)
"""
    env = {**os.environ, "WIJKKOMPAS_EXIT_AFTER_PAINT": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT, env=env
    )
    assert "tables: []" in out.stderr, out.stderr[-2000:]


def test_the_app_ends_when_its_terminal_goes_away_without_a_hangup_signal(tmp_path: Path) -> None:
    """No controlling terminal (as under `make run`), so closing the terminal sends no SIGHUP:
    Textual's input thread would read end-of-file for ever at 100% CPU. The app ends."""
    import resource

    proc, master = demo_on_a_pty(tmp_path)
    try:
        assert b"Voorbeeldwijk" in read_until_quiet(master, quiet=1.5)
        os.close(master)  # the terminal window is closed
        master = -1
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc.wait(15)  # ends, instead of spinning
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if master >= 0:
            os.close(master)


def test_instance_names_used_to_attach_a_terminal_exist() -> None:
    from rich.console import Console
    from textual.app import App

    assert App()._driver is None  # set by App.run; attach_terminal replaces it
    console = Console(force_terminal=True, _environ={"TERM": "xterm-256color"})
    assert isinstance(console._environ, dict)
    assert console._detect_color_system() is not None
    assert hasattr(console, "_color_system")


ATTACH_SCRIPT = """
import os
from textual.app import App
from textual.widgets import Label
from tui.textual_compat import attach_terminal

class Shown(App):
    def compose(self):
        yield Label("[klaar] ook met haken", markup=False)

    def on_mount(self):
        self.call_after_refresh(self.attach)

    def attach(self):
        os.environ["TERM"] = "xterm-256color"  # as a spare learns its participant's terminal
        attach_terminal(self, mouse=False)
        self.set_timer(1.0, self.exit)

Shown().run(headless=True, size=(40, 10))
"""


def test_a_headless_app_given_a_terminal_paints_on_it_in_its_colours() -> None:
    """What a spare workshop session does on arrival (tui/workshop/spare.py)."""
    env = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(ROOT)}  # 16 colours at the start
    env.pop("COLORTERM", None)
    env.pop("NO_COLOR", None)
    proc, master = on_a_pty([sys.executable, "-c", ATTACH_SCRIPT], env)
    out = b""
    deadline = time.monotonic() + 30
    try:
        while b"ook met haken" not in out and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break
    finally:
        proc.wait(30)
        os.close(master)
    assert b"\x1b[?1049h" in out  # the real driver took the terminal (alternate screen)
    assert b"[klaar] ook met haken" in out
    assert b"8;5;" in out  # the colours of the TERM it was given: 256, not the 16 it began with
    assert b"8;2;" not in out  # and no truecolour
    assert proc.returncode == 0
