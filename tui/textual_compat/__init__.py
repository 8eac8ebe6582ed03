"""Every reach into Textual's or Rich's private API, in one place.

Each item here exists because the public API cannot do it, and each keeps the
bytes of a cursor move over SSH down (see docs/performance.md). Each has a test
in tests/test_textual_compat.py that fails when the pinned Textual changes the
name, signature or behaviour relied on; on an upgrade, start there.

Nothing outside this package may use a private Textual or Rich name. The Tree parts
are in `tree.py`, lines given again in `kept.py`; the rest is here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.strip import Strip

from ._bases import _AppBase, _WidgetBase

# the parts with modules of their own, named here as before
from .kept import SameLines as SameLines
from .kept import component_rules as component_rules
from .kept import kept_scrollbars as kept_scrollbars
from .tree import KeptLines as KeptLines
from .tree import QuietTree as QuietTree

if TYPE_CHECKING:
    from textual.app import App


# --- Rich Style internals: what a piece of a line looks like when sent ------------------
# Why: `Style.__eq__` also compares what is not sent (a link id, a `null` flag), so
# pieces that look the same would stay apart (~25 bytes of codes per piece). Rich
# has no public "rendered look" of a style.

SHOWN_ON_SPACE: int = Style(
    underline=True,
    underline2=True,
    overline=True,
    strike=True,
    reverse=True,
    conceal=True,
    blink=True,
    blink2=True,
)._attributes
"""Attributes a space shows (underline, reverse, ...); bold, italic, dim and the text colour
don't."""


def style_look(style: Style | None, meta: bool) -> tuple[Any, ...]:
    """What Textual sends for `style` (and, with `meta`, what a mouse finds there)."""
    if style is None:
        return (None,)
    return (
        style._color,
        style._bgcolor,
        style._attributes & style._set_attributes,
        style._link,
        style._meta if meta else None,
    )


def blank_look(style: Style | None, meta: bool) -> tuple[Any, ...]:
    """What a run of spaces in `style` looks like: its background and the attributes a space
    shows."""
    if style is None:
        return (None,)
    return (
        style._bgcolor,
        style._attributes & style._set_attributes & SHOWN_ON_SPACE,
        style._link,
        style._meta if meta else None,
    )


# --- Widget._size_updated: take a size from a layout pass without asking for another ----


class SizedByLayout(_WidgetBase):
    """Mixin: a new virtual size from a layout pass does not request a second layout.

    Why: Textual stores a widget's new virtual size through a reactive that asks
    for another layout (and a full repaint) of it, although the pass that set it
    already placed everything: ~4 KB more per page change over SSH. Textual's own
    scroll path passes the same `layout=False`.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        changed: bool = super()._size_updated(size, virtual_size, container_size, layout=False)
        self.after_size_update()
        return changed

    def after_size_update(self) -> None:
        """Our own hook: a subclass reacts to its new size here (nothing by default)."""


# --- App._on_key: letters typed ahead of a dialog reach it --------------------------------


class TypeAhead(_AppBase):
    """Mixin for the App: a letter typed right after the key that opened a dialog or a question
    (`/warmte` or `g42` in one go) reaches it instead of being lost.

    Why: keys typed in one burst are on their way to the widget that had the focus when
    they arrived; the search dialog opens (or go-to starts asking) while they are, and
    they come back up to the app unhandled, where Textual's `_on_key` drops them. Here a
    printable key that no binding takes goes on to where typing goes now: the question
    in the footer (`key_grab`) that was not there when the key arrived, or the text
    field that has the focus (a printable key typed into a field never gets this far).

    `arrived(event)` stamps a key with the question asked when it came in
    (`WijkkompasApp.on_event`).
    """

    key_grab: Any = None
    _typed_ahead: list[events.Key] | None = None  # waiting for the frame that opens the dialog

    def arrived(self, event: events.Key) -> None:
        event.wk_grab = self.key_grab  # type: ignore[attr-defined]

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls this before App's own `_on_key` (which checks the bindings, then
        # drops the key): preventing the default keeps that from running a second time.
        if not event.is_printable or not event.character:
            return
        if await self._check_bindings(event.key):
            event.prevent_default()
            return
        event.prevent_default()
        typed = events.Key(event.key, event.character)
        if self.key_grab is not None and getattr(event, "wk_grab", None) is None:
            self.key_grab.key(typed)
        elif self._typed_ahead is not None:  # keys already waiting: this one after them
            self._typed_ahead.append(typed)
        elif not self._type_into_field(typed):
            # The dialog may open in the next frame (the key that opens it is still being
            # handled): try again then, keeping the order of what was typed.
            self._typed_ahead = [typed]
            self.call_after_refresh(self._flush_typed_ahead)

    def _flush_typed_ahead(self) -> None:
        typed, self._typed_ahead = self._typed_ahead or [], None
        for key in typed:
            if not self._type_into_field(key):
                return  # no dialog came: these keys were for nothing, as before

    def _type_into_field(self, key: events.Key) -> bool:
        """Give `key` to the text field of the screen on top (focusing it if the dialog has not
        yet); False when there is none."""
        from textual.widgets import Input, TextArea

        screen = self.screen
        field = screen.focused
        if field is None:
            fields = screen.query("Input, TextArea")
            field = fields.first() if fields else None
            if field is not None:
                screen.set_focus(field)
        if not isinstance(field, (Input, TextArea)):
            return False
        field.post_message(key)
        return True


# --- Stylesheet._parse_rules: parse each piece of CSS once per process -------------------
# Why: every App has its own Stylesheet, and each keeps its parses to itself (a `reparse`
# even starts a new one): a workshop session parsed all of the app's and Textual's CSS
# again, ~10 ms of CPU before its first screen. Parsed once in the workshop's zygote,
# before it forks, every session shares the rule sets. The key holds everything the
# parse depends on, the CSS variables (the theme) included; rule sets are not changed
# after parsing (Textual's own cache hands out the same ones again).

_SHARED_PARSES: dict[tuple[Any, ...], Any] = {}
SHARED_PARSES_MAX = 512


def share_css_parses() -> None:
    """From now on, this process parses each piece of CSS (with the same variables) once."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    if getattr(parse_rules, "shared", False):
        return

    def _parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(self._variables.items()))
        rules = _SHARED_PARSES.get(key)
        if rules is None:
            rules = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
            if len(_SHARED_PARSES) >= SHARED_PARSES_MAX:
                _SHARED_PARSES.clear()
            _SHARED_PARSES[key] = rules
        return rules

    _parse_rules.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]


# --- Screen's key_to_character: no Unicode name lookups for the navigator's keys ------------
# Why: a screen asks `key_to_character` about every key bound outside the focused widget (to
# let an Input keep the keys it types), and for a named key ("left_square_bracket") that is
# `unicodedata.lookup`: the first few lookups touch ~0.8 MiB of the Unicode name table, in the
# resident memory of every start. Textual's answers for these keys are fixed; the test checks
# each against Textual's own function. Any other key still asks Textual.

KEY_CHARACTERS: dict[str, str | None] = {
    "tab": "\t",
    "escape": "\x1b",
    "slash": None,  # Textual's answer: there is no character named SLASH
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
}


def known_key_characters() -> None:
    """From now on, screens answer `key_to_character` for KEY_CHARACTERS without a lookup."""
    import textual.screen

    original = textual.screen.key_to_character
    if getattr(original, "known", False):
        return

    def key_to_character(key: str) -> str | None:
        return KEY_CHARACTERS[key] if key in KEY_CHARACTERS else original(key)

    key_to_character.known = True  # type: ignore[attr-defined]
    textual.screen.key_to_character = key_to_character  # type: ignore[assignment]


# --- Rich's cell widths: no Unicode width table for the characters the pages use ----------
# Why: Rich measures a character outside its single-cell ranges (an em dash, a bullet, an
# arrow) in its width table, which it imports on the first such character (~0.15 MiB of
# code and tuples in the resident memory of every start: the pages are full of "—"). The
# widths of these characters are the same in every Unicode version Rich knows; the test
# checks each against Rich's own answer. The characters Rich itself counts as one cell in a
# string (`_SINGLE_CELLS`: Latin, box drawing...) are one cell alone too (a space next to a
# dash is measured a character at a time). Any other character still asks Rich.

CELL_WIDTHS: dict[str, int] = dict.fromkeys("—–−…•→←↑↓✗★⚠€", 1)


def known_cell_widths() -> None:
    """From now on, `rich.cells` measures CELL_WIDTHS' characters without its width table."""
    import rich.cells

    original = rich.cells.get_character_cell_size
    if getattr(original, "known", False):
        return
    single = rich.cells._SINGLE_CELLS

    def get_character_cell_size(character: str, unicode_version: str = "auto") -> int:
        if character in single:
            return 1
        width = CELL_WIDTHS.get(character)
        return original(character, unicode_version) if width is None else width

    get_character_cell_size.known = True  # type: ignore[attr-defined]
    rich.cells.get_character_cell_size = get_character_cell_size  # type: ignore[assignment]


# --- a running app given a terminal: the workshop's spare sessions -------------------------
# Why: a spare session (tui/workshop/spare.py) is built headless before anyone logs in, so
# that a participant's first screen is only a paint. Textual picks its driver and the
# console's colours once, in `App.run`; there is no public way to hand a running app a
# terminal. This does what `App.run` would have done on that terminal.


def attach_terminal(app: App[Any], *, mouse: bool) -> None:
    """Move the running, headless `app` onto the terminal now on file descriptors 0-2.

    The colours follow the TERM now in `os.environ` (as a fresh start would read it), then
    Textual's own driver for this platform takes the terminal and the screen is painted
    in full (the terminal has seen nothing yet)."""
    import os

    from textual import constants

    console = app.console
    environ = dict(os.environ)
    environ.pop("NO_COLOR", None)  # as App.__init__ does; a session's environment has none
    console._environ = environ
    if constants.COLOR_SYSTEM in (None, "auto"):
        console._color_system = console._detect_color_system()
    headless = app._driver
    if headless is not None:
        headless.stop_application_mode()
    driver = app.driver_class(app, debug=constants.DEBUG, mouse=mouse, size=None)
    app._driver = driver
    driver.start_application_mode()  # also sends the terminal's real size (a Resize)
    app.refresh()  # all of it: the terminal has seen nothing (a new size also lays it out)


# --- Strip: its seven caches made when first used, not with every line ------------------
# Why: a Strip (one line of a widget) makes seven empty FIFO caches when it is made, ~0.9 KB,
# and most lines never use most of them. The first paint keeps ~770 lines alive (the page's
# every line, each widget's rendered lines, the screen's chops): ~0.7 MiB of empty caches in
# the peak memory of every start, and ~1,300 lines made, seven caches each. Made on first
# use, each cache is the one Textual would have made (same size); the test compares them.

STRIP_CACHE_SIZES: dict[str, int] = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}


def lazy_strip_caches() -> None:
    """From now on, a new Strip makes each of its caches when it first uses it."""
    from textual.cache import FIFOCache
    from textual.strip import Strip

    if getattr(Strip.__init__, "lazy", False):
        return

    def __init__(self: Strip, segments: Any, cell_length: int | None = None) -> None:
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    def __getattr__(self: Strip, name: str) -> Any:
        size = STRIP_CACHE_SIZES.get(name)
        if size is None:  # only a cache slot not made yet ends up here
            raise AttributeError(name)
        cache: FIFOCache[Any, Any] = FIFOCache(size)
        setattr(self, name, cache)
        return cache

    __init__.lazy = True  # type: ignore[attr-defined]
    Strip.__init__ = __init__  # type: ignore[method-assign]
    Strip.__getattr__ = __getattr__  # type: ignore[attr-defined]


def uses() -> dict[str, str]:
    """The private names this module relies on, by owner: the test checks each still exists."""
    return {
        "rich.style.Style": "_color _bgcolor _attributes _set_attributes _link _meta",
        "textual.widget.Widget": "_size_updated _on_hide _dirty_regions _set_dirty",
        "textual.css.styles.RenderStyles": "_cache_key",
        "textual.css.styles.Styles": "_rules",
        "textual.dom.DOMNode": "_component_styles",
        "textual.widgets.Tree": "_on_resize _size_updated _refresh_line _line_cache _layout_cache "
        "_render_line _tree_lines _tree_lines_cached _pseudo_class_state _on_click "
        "_on_mouse_move _toggle_node",
        "textual.widgets.tree.TreeNode": "_id _label _expanded _allow_expand _hover_ _selected_ "
        "_children",
        "textual.widgets._tree": "_TreeLine",
        "textual._loop": "loop_last",
        "textual.css.stylesheet.Stylesheet": "_parse_rules _variables",
        "textual.app.App": "_on_key _check_bindings _driver",
        "rich.console.Console": "_environ _color_system _detect_color_system",
        "textual.screen": "key_to_character",
        "rich.cells": "get_character_cell_size _cell_len _SINGLE_CELLS",
        "textual.strip.Strip": " ".join(
            [
                "__init__ _segments _cell_length _render_cache _link_ids _cell_count",
                *STRIP_CACHE_SIZES,
            ]
        ),
    }
