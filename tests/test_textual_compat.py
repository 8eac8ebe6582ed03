"""Every reach into Textual's or Rich's private API (the package tui/textual_compat), checked.

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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label, Tree
from textual.widgets._tree import _TreeLine

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
                "_tree_lines_cached",
                "_pseudo_class_state",
                *"_id _label _expanded _allow_expand _hover_ _selected_ _children".split(),
                "_rules",
                "_component_styles",
                "_dirty_regions",
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


class _Plain(Tree[int]):
    """Textual's own Tree, to compare with."""


class _Kept(compat.KeptLines, Tree[int]):
    """The same tree with its lines kept per node."""


def _grow(tree: Tree[int]) -> None:
    """Three closed groups of five leaves, the first open (as the navigator starts)."""
    tree.show_root = False
    tree.guide_depth = 2
    for g in range(3):
        group = tree.root.add(f"groep {g}", g, expand=g == 0)
        for i in range(5):
            group.add_leaf(f"blad {g}.{i} [niet] opgemaakt", 10 * g + i)


class _Trees(App[None]):
    def __init__(self, cls: type[Tree[int]] = _Kept) -> None:
        super().__init__()
        self.cls = cls

    def compose(self) -> ComposeResult:
        tree = self.cls("wortel", id="tree")
        tree.styles.height = 14  # room for two open groups: no scrollbar comes or goes
        _grow(tree)
        yield tree


def _look(strips: list[Strip]) -> list[list[tuple[str, Style | None]]]:
    """What the lines show: text and style, without the mouse metadata (which holds the line
    number a kept line was first drawn at)."""
    return [
        [(s.text, s.style and s.style.clear_meta_and_links()) for s in strip] for strip in strips
    ]


def _lines(tree: Tree[int]) -> list[Strip]:
    return tree.render_lines(Region(0, 0, tree.size.width, tree.size.height))


def _ahead(tree: Tree[int]) -> None:
    """Draw lines ahead (the kept tree) or nothing (Textual's)."""
    for _ in getattr(tree, "draw_lines_ahead", lambda: ())():
        pass


STEPS: list[Callable[[Tree[int]], object]] = [
    _ahead,
    lambda t: t.root.children[2].expand(),
    lambda t: setattr(t, "cursor_line", 3),
    lambda t: t.root.children[0].collapse(),
    lambda t: setattr(t, "cursor_line", 5),
    lambda t: t.root.children[0].expand(),
    lambda t: t.root.children[2].children[0].set_label("nieuw"),
    lambda t: setattr(t, "hover_line", 2),
    lambda t: t.app.set_focus(None),
    lambda t: setattr(t, "cursor_line", 0),
    lambda t: setattr(t.app, "theme", "textual-light"),
    _ahead,
    lambda t: t.root.children[1].expand(),
    lambda t: setattr(t, "cursor_line", 7),
]


async def _looks(cls: type[Tree[int]]) -> list[list[list[tuple[str, Style | None]]]]:
    """The tree's lines after each of STEPS."""
    out = []
    async with _Trees(cls).run_test(size=(60, 16)) as pilot:
        tree = pilot.app.query_one(Tree)
        tree.focus()
        await pilot.pause()
        out.append(_look(_lines(tree)))
        for step in STEPS:
            step(tree)
            await pilot.pause()
            out.append(_look(_lines(tree)))
    return out


def test_widget_on_hide_only_passes_hide_on_and_blurs() -> None:
    """QuietTree._on_hide repeats Widget's handler without its blur: that handler must still
    be just that."""
    source = inspect.getsource(Widget._on_hide)
    body = [line.strip() for line in source.splitlines()[1:] if line.strip()]
    assert body == [
        "if self.show_horizontal_scrollbar:",
        "self.horizontal_scrollbar.post_message(event)",
        "if self.show_vertical_scrollbar:",
        "self.vertical_scrollbar.post_message(event)",
        "if self.has_focus:",
        "self.blur()",
    ]


async def test_a_hidden_quiet_tree_keeps_the_focus() -> None:
    class Quiet(compat.QuietTree, Tree[int]):
        pass

    class Two(App[None]):
        def compose(self) -> ComposeResult:
            yield Quiet("q", id="quiet")
            yield Tree("t", id="plain")

    async with Two().run_test(size=(40, 12)) as pilot:
        quiet, plain = pilot.app.query_one("#quiet", Tree), pilot.app.query_one("#plain", Tree)
        quiet.focus()
        await pilot.pause()
        quiet.display = False
        await pilot.pause()
        assert pilot.app.screen.focused is quiet
        quiet.display = True
        plain.focus()
        await pilot.pause()
        plain.display = False
        await pilot.pause()
        assert pilot.app.screen.focused is not plain  # what Textual does otherwise


def test_tree_internals_that_kept_lines_read() -> None:
    params = list(inspect.signature(Tree._render_line).parameters)
    assert params == ["self", "y", "x1", "x2", "base_style"]
    assert "_on_click" in Tree.__dict__ and "_on_mouse_move" in Tree.__dict__
    tree: Tree[int] = Tree("x")
    node = tree.root.add("a")
    for name in "_id _label _expanded _allow_expand _hover_ _selected_ _children".split():
        assert hasattr(node, name), name
    assert hasattr(tree, "_tree_lines_cached")
    node._selected = True
    assert node._selected_ is True  # the property stores here
    line = _TreeLine([node], True)
    assert line.node is node and line.last is True


async def test_kept_lines_look_as_textual_draws_them() -> None:
    """Opening and closing groups, moving the cursor, hover, focus, a new label and a new theme:
    after each, every line the kept tree shows is the line Textual's Tree draws."""
    kept, plain = await _looks(_Kept), await _looks(_Plain)
    assert len(kept) == len(STEPS) + 1
    for step, (k, p) in enumerate(zip(kept, plain, strict=True)):
        assert k == p, f"after step {step}"
    assert kept[-4] != kept[-5]  # the theme changed what the lines look like


async def test_a_cleared_tree_shows_its_new_nodes() -> None:
    """Node ids start again at 0 after `clear`: no line of an old node may come back."""
    async with _Trees().run_test(size=(80, 24)) as pilot:
        kept = pilot.app.query_one(Tree)
        kept.clear()
        for i in range(3):
            kept.root.add(f"ander {i}", i, expand=True).add_leaf("x", 100 + i)
        await pilot.pause()
        text = [strip.text for strip in _lines(kept)]
        assert text[0].strip().endswith("ander 0") and not any("groep" in line for line in text)


async def test_lines_drawn_ahead_make_a_jump_into_a_closed_group_draw_no_line() -> None:
    """After `draw_lines_ahead`, opening a closed group and putting the cursor in it draws no
    line anew: they were all drawn ahead, the cursor's line too, and look as Textual draws them."""
    async with _Trees().run_test(size=(80, 24)) as pilot:
        kept = pilot.app.query_one(Tree)
        kept.focus()
        await pilot.pause()
        for _ in kept.draw_lines_ahead():
            pass
        drawn: list[int] = []
        textual_draws = Tree._render_line

        def counting(self: Tree[int], y: int, *args: Any) -> Strip:
            if self is kept and y < len(self._tree_lines):  # not the blank lines below
                drawn.append(y)
            return textual_draws(self, y, *args)

        Tree._render_line = counting  # type: ignore[method-assign]
        try:
            kept.root.children[2].expand()
            await pilot.pause()
            leaf = kept.root.children[2].children[3]
            kept.move_cursor(leaf)
            await pilot.pause()
            assert drawn == [], drawn
            seen = _look(_lines(kept))
        finally:
            Tree._render_line = textual_draws  # type: ignore[method-assign]
    async with _Trees(_Plain).run_test(size=(80, 24)) as pilot:
        plain = pilot.app.query_one(Tree)
        plain.focus()
        plain.root.children[2].expand()
        await pilot.pause()
        plain.move_cursor(plain.root.children[2].children[3])
        await pilot.pause()
        assert _look(_lines(plain)) == seen


async def test_drawing_ahead_leaves_the_tree_as_it_was_between_steps() -> None:
    """A group the user opens while lines are drawn ahead stays open; the tree's own lines and
    cursor are untouched by a step."""
    async with _Trees().run_test(size=(60, 16)) as pilot:
        tree = pilot.app.query_one(Tree)
        cursor = tree.cursor_line
        steps = tree.draw_lines_ahead()
        next(steps)
        lines = tree._tree_lines
        tree.root.children[1].expand()  # the user opens group 1 meanwhile
        for _ in steps:
            assert tree.root.children[1].is_expanded and not tree.root.children[2].is_expanded
        assert tree._tree_lines is not lines  # rebuilt for the opened group, not swapped back
        assert [n.is_expanded for n in tree.root.children] == [True, True, False]
        assert tree.cursor_line == cursor


async def _moved(pilot: Any) -> tuple[Tree[int], Any]:
    """Group 1 drawn at line 6 (group 0 open), then moved to line 1 (group 0 closed): its line is
    the one drawn at line 6."""
    tree = pilot.app.query_one(Tree)
    target = tree.root.children[1]
    assert target.line == 6
    tree.root.children[0].collapse()
    await pilot.pause()
    assert target.line == 1
    return tree, target


async def test_a_click_after_lines_moved_opens_the_line_under_the_mouse() -> None:
    """A kept line still carries the line number it was drawn at; a click must not use it."""
    async with _Trees().run_test(size=(60, 16)) as pilot:
        tree, target = await _moved(pilot)
        await pilot.click(tree, offset=(12, 1))
        await pilot.pause()
        assert tree.cursor_node is target


async def test_the_mouse_over_a_moved_line_lights_that_line() -> None:
    async with _Trees().run_test(size=(60, 16)) as pilot:
        tree, _target = await _moved(pilot)
        await pilot.hover(tree, offset=(12, 1))
        await pilot.pause()
        assert tree.hover_line == 1


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


# --- lines drawn before, kept (SameLines, kept_scrollbars) ----------------------------------


def segments(lines: list) -> list[list]:
    """What Textual sends for lines: their pieces (text, style and what a click finds)."""
    return [list(line) for line in lines]


class Scrolled(App):
    CSS = "VerticalScroll { height: 10; }"

    def compose(self):
        with VerticalScroll():
            for n in range(40):
                yield Label(f"regel {n}")


async def test_a_kept_scrollbar_draws_what_textual_draws() -> None:
    """At each position, size, thickness, hover and theme the kept lines are Textual's own; at
    a position drawn before, the lines drawn then come back."""
    from textual.scrollbar import ScrollBar

    compat.kept_scrollbars()
    compat.kept_scrollbars()  # once is enough: the second call changes nothing
    textuals = ScrollBar.render_lines.textuals  # type: ignore[attr-defined]
    assert textuals is Widget.render_lines
    app = Scrolled()
    async with app.run_test(size=(30, 12)) as pilot:
        view = app.query_one(VerticalScroll)
        bar = view.vertical_scrollbar

        def drawn() -> tuple[list, list]:
            crop = bar.size.region
            kept = bar.render_lines(crop)
            bar.refresh()  # Textual's own caches are dropped: it draws anew
            return kept, textuals(bar, crop)

        at: dict[int, list] = {}
        for y in (5, 13, 0, 30, 5, 0, 30):
            view.scroll_to(y=y, animate=False)
            await pilot.pause()
            kept, fresh = drawn()
            assert segments(kept) == segments(fresh), y
            if y in at:
                assert kept is at[y], y  # drawn before: not drawn again
            at[y] = kept
        assert segments(at[0]) != segments(at[30])

        # Every other position: put together from the pieces of bar drawn before, and still
        # Textual's own lines.
        drawing = bar._styles_cache.render_widget
        draws = []
        bar._styles_cache.render_widget = lambda *a: draws.append(a) or drawing(*a)
        sweep = [y for y in range(31) if y not in at]
        for y in sweep:
            view.scroll_to(y=y, animate=False)
            await pilot.pause()
            crop = bar.size.region
            kept = bar.render_lines(crop)
            textual_draws = len(draws)
            bar.refresh()
            assert segments(kept) == segments(textuals(bar, crop)), y
            del draws[textual_draws:]  # the comparison's own drawing
        assert len(draws) < len(sweep) / 2, (len(draws), len(sweep))
        del bar._styles_cache.render_widget

        bar.mouse_over = True
        await pilot.pause()
        hovered, fresh = drawn()
        assert segments(hovered) == segments(fresh) and segments(hovered) != segments(at[30])
        bar.mouse_over = False

        view.styles.scrollbar_color = "red"  # only the parent's rule for the thumb's colour
        await pilot.pause()
        red, fresh = drawn()
        assert segments(red) == segments(fresh) and segments(red) != segments(at[30])

        view.styles.scrollbar_size_vertical = 2
        await pilot.resize_terminal(30, 16)
        await pilot.pause()
        kept, fresh = drawn()
        assert bar.thickness == 2 and segments(kept) == segments(fresh)
        assert {line.cell_length for line in kept} == {2}

        dark = kept
        app.theme = "textual-light"
        await pilot.pause()
        kept, fresh = drawn()
        assert segments(kept) == segments(fresh) and segments(kept) != segments(dark)


class Keys(compat.SameLines, Widget):
    """A line in its component class's colours, kept by its text."""

    COMPONENT_CLASSES = {"keys--key"}
    DEFAULT_CSS = """
    Keys { height: 1; }
    Keys > .keys--key { color: $accent; }
    Keys.-loud > .keys--key { color: red; }
    """
    text = "x"
    renders = 0
    asked = 0

    def shown_key(self):
        self.asked += 1
        return self.text

    def render(self) -> Text:
        self.renders += 1
        return Text(self.text, style=self.get_component_rich_style("keys--key"))


class KeysApp(App):
    def compose(self):
        yield Keys()


async def test_same_lines_are_drawn_once_per_text_and_look() -> None:
    """The same text in the same look: the lines drawn before. Another text, another colour of
    a component class, another rule of the widget, a theme or a line filter: drawn anew, as
    Textual draws them."""
    from textual.filter import Monochrome

    app = KeysApp()
    async with app.run_test(size=(20, 3)) as pilot:
        keys = app.query_one(Keys)
        crop = keys.size.region
        rules = compat.component_rules(keys)  # Styles._rules, DOMNode._component_styles
        assert isinstance(rules, tuple) and [name for name, *_ in rules] == ["keys--key"]
        first = keys.render_lines(crop)
        keys.refresh()
        assert keys.render_lines(crop) is first and keys.renders == 1
        keys.text = "y"
        keys.refresh()
        assert keys.render_lines(crop) is not first and keys.renders == 2
        keys.text = "x"
        keys.refresh()
        assert keys.render_lines(crop) is first  # "x" drawn before
        keys.add_class("-loud")  # only the component class's colour changes
        await pilot.pause()
        loud = keys.render_lines(crop)
        keys.refresh()
        assert segments(loud) != segments(first)
        assert segments(loud) == segments(Widget.render_lines(keys, crop))
        keys.remove_class("-loud")
        await pilot.pause()
        keys.styles.text_align = "right"  # a rule of the widget's own
        await pilot.pause()
        right = keys.render_lines(crop)
        keys.refresh()
        assert segments(right) != segments(first)
        assert segments(right) == segments(Widget.render_lines(keys, crop))
        keys.styles.text_align = "left"
        await pilot.pause()
        app.theme = "textual-light"  # another $accent
        await pilot.pause()
        light = keys.render_lines(crop)
        keys.refresh()
        assert segments(light) != segments(first)
        assert segments(light) == segments(Widget.render_lines(keys, crop))
        app._filters.append(Monochrome())  # as NO_COLOR has it
        keys.refresh()
        grey = keys.render_lines(crop)
        keys.refresh()
        assert segments(grey) != segments(light)
        assert segments(grey) == segments(Widget.render_lines(keys, crop))


class Marked(compat.SameLines, Widget):
    """A text whose colour is a CSS variable of the theme, kept by its text."""

    DEFAULT_CSS = "Marked { height: 1; }"

    def shown_key(self):
        return "marked"

    def render(self) -> Content:
        return Content.from_markup("[$accent]gemarkeerd")


async def test_a_widget_not_made_dirty_gives_its_last_lines_without_a_look() -> None:
    """Repainting the screen around it (a cursor move) asks nothing of a widget that nothing
    made dirty; a refresh, a new size or another line filter does, as in Textual."""
    from textual.filter import Monochrome

    app = KeysApp()
    async with app.run_test(size=(20, 3)) as pilot:
        keys = app.query_one(Keys)
        crop = keys.size.region
        first = keys.render_lines(crop)
        asked = keys.asked
        assert keys.render_lines(crop) is first and keys.asked == asked
        keys.refresh()
        assert keys.render_lines(crop) is first and keys.asked == asked + 1
        await pilot.resize_terminal(24, 3)
        await pilot.pause()
        wider = keys.render_lines(keys.size.region)
        assert wider[0].cell_length == 24 and keys.asked > asked + 1
        app._filters.append(Monochrome())  # not refreshed: Textual applies it all the same
        grey = keys.render_lines(keys.size.region)
        assert segments(grey) != segments(wider)
        assert segments(grey) == segments(Widget.render_lines(keys, keys.size.region))


class MarkedApp(App):
    def compose(self):
        yield Marked()


async def test_same_lines_follow_the_css_variables_and_a_selection() -> None:
    """Two themes that differ only in $accent: the text is drawn anew in the other accent.
    Text selected in the widget is drawn as Textual draws a selection, not as kept."""
    from textual.selection import Selection
    from textual.theme import Theme

    app = MarkedApp()
    for name, accent in (("rood", "#ff0000"), ("blauw", "#0000ff")):
        app.register_theme(Theme(name=name, primary="#888888", accent=accent, dark=True))
    app.theme = "rood"
    async with app.run_test(size=(20, 3)) as pilot:
        marked = app.query_one(Marked)
        crop = marked.size.region
        red = marked.render_lines(crop)
        app.theme = "blauw"
        await pilot.pause()
        # The widget's own rules are the same: Textual draws it anew only when it is
        # refreshed, and what it gives before that is not kept.
        assert segments(marked.render_lines(crop)) == segments(red)
        marked.refresh()
        blue = marked.render_lines(crop)
        marked.refresh()
        assert segments(blue) != segments(red)
        assert segments(blue) == segments(Widget.render_lines(marked, crop))

        app.screen.selections = {marked: Selection(None, None)}  # all of it
        marked.refresh()
        selected = marked.render_lines(crop)
        marked.refresh()
        assert segments(selected) != segments(blue)
        assert segments(selected) == segments(Widget.render_lines(marked, crop))
        app.screen.selections = {}
        marked.refresh()
        assert marked.render_lines(crop) is blue
