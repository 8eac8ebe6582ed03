"""Every reach into Textual's or Rich's private API, in one place.

Each item here exists because the public API cannot do it, and each keeps the
bytes of a cursor move over SSH down (see docs/performance.md). Each has a test
in tests/test_textual_compat.py that fails when the pinned Textual changes the
name, signature or behaviour relied on; on an upgrade, start there.

Nothing outside this module may use a private Textual or Rich name.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip

if TYPE_CHECKING:  # the mixins are typed as what they are mixed into
    from textual.app import App
    from textual.widget import Widget
    from textual.widgets import Tree

    _WidgetBase = Widget
    _TreeBase = Tree[Any]
    _AppBase = App[Any]
else:
    _WidgetBase = object
    _TreeBase = object
    _AppBase = object

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


# --- Widget.render_lines: lines drawn before are not drawn again ---------------------------
# Why: a repaint draws a widget's lines again even when they come out as they were: the footer
# when go-to's question ends (~0.9 ms of the jump's frame), the tree's scrollbar at a position
# it was at before (~0.7 ms), the record block of a knooppunt shown before (~0.5 ms). Lines are
# kept by what the widget shows and by everything else Textual draws them with: its size, its
# styles (`RenderStyles._cache_key` changes with any change of a rule of the widget: a theme,
# focus, hover), the colours, opacity and text style it inherits, the app's line filters
# (NO_COLOR, the ANSI colours of the theme) and ANSI theme, the CSS variables (a "$accent" in
# a text), and the rules of its component classes (the footer's key colours; Textual makes
# those styles anew whenever it applies the widget's CSS, on most keys: compared by their
# rules). Text selected in a widget is drawn anew. Strips are not changed once made.

LINES_KEPT = 32


class _Same:
    """An object in a key, equal only to itself, and kept alive by the key (so its id is not
    taken by another while the key lives)."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj

    def __hash__(self) -> int:
        return id(self.obj)


def component_rules(widget: Widget) -> Hashable:
    """The rules of `widget`'s component classes (what they take from the widget and its
    ancestors is in the widget's own look); None when a rule's value cannot be compared."""
    try:
        return tuple(
            (name, frozenset(styles.base._rules.items()), frozenset(styles.inline._rules.items()))
            for name, styles in widget._component_styles.items()
        )
    except TypeError:  # an unhashable value: not kept
        return None


def drawn_with(widget: Widget) -> tuple[Any, ...] | None:
    """Everything besides what it shows that Textual draws `widget`'s lines with (None: too
    much to say, draw anew: text selected in it, a rule that cannot be compared)."""
    if widget.text_selection is not None:
        return None
    components = component_rules(widget)
    if components is None:
        return None
    app = widget.app
    return (
        widget.size,
        widget.styles._cache_key,
        components,
        widget.visual_style,
        widget.background_colors,
        widget.opacity,
        widget.border_title,
        widget.border_subtitle,
        widget.hover_style if widget.auto_links else None,
        app.ansi_theme,
        app.native_ansi_color,
        tuple(widget.get_line_filters()),
        _Same(app.stylesheet._variables),  # a new dict with each theme: "$accent" in a text
    )


def kept_lines(
    widget: Widget,
    crop: Region,
    shown: Callable[[], Hashable | None],
    draw: Callable[[Region], list[Strip]],
    most: int = LINES_KEPT,
) -> list[Strip]:
    """`draw(crop)`, or the lines it gave before for the same `shown()` and look.

    `shown()` says what the widget shows beyond its styles and size (None: keep nothing);
    it is asked again after drawing, as drawing may bring it up to date. Lines are kept
    only when Textual drew them all anew (`drawn_anew`). The last `most` results are kept,
    the one used last kept longest. A widget not refreshed since its last lines gives
    those again, as Textual would (a repaint of the screen around it, e.g. on a cursor
    move, then costs a comparison).
    """
    filters = tuple(widget.get_line_filters())
    hover = widget.hover_style if widget.auto_links else None
    last = getattr(widget, "_kept_last", None)
    if last is not None and last[0] == (crop, filters, hover):
        # Nothing made it dirty since (`forget_last`): Textual would give the lines it
        # has, as they were (it applies the filters and a link's hover style anew on
        # every call, so those are compared).
        lines: list[Strip] = last[1]
        return lines
    lines = _kept_lines(widget, crop, shown, draw, most)
    widget._kept_last = ((crop, filters, hover), lines)  # type: ignore[attr-defined]
    return lines


def forget_last(widget: Widget) -> None:
    """`widget` was made dirty (a refresh, a new size, styles reset): its last lines are not
    given again without a look at what it shows (called from `Widget._set_dirty`)."""
    widget._kept_last = None  # type: ignore[attr-defined]


def _kept_lines(
    widget: Widget,
    crop: Region,
    shown: Callable[[], Hashable | None],
    draw: Callable[[Region], list[Strip]],
    most: int,
) -> list[Strip]:
    what = shown()
    if what is None:
        return draw(crop)
    kept: dict[Hashable, list[Strip]] | None = getattr(widget, "_kept_lines", None)
    if kept is None:
        kept = {}
        widget._kept_lines = kept  # type: ignore[attr-defined]
    look = drawn_with(widget)
    if look is None:
        return draw(crop)
    key = (what, crop, look)
    lines = kept.pop(key, None)
    if lines is None:
        fresh = drawn_anew(widget)
        lines = draw(crop)
        after = shown()
        if after is None or not fresh:
            return lines
        key = (after, crop, look)
        if len(kept) >= most:
            del kept[next(iter(kept))]
    kept[key] = lines
    return lines


def drawn_anew(widget: Widget) -> bool:
    """Will Textual draw all of `widget` anew (it was refreshed as a whole since it last drew)?

    Only such lines are kept: lines Textual gives from its own cache may have been drawn
    in an earlier look (a theme that changed none of the widget's own rules repaints it
    only when it is refreshed), and kept under the new look they would stay wrong.
    """
    return widget.outer_size.region in widget._dirty_regions


class SameLines(_WidgetBase):
    """Mixin: a repaint that would draw lines drawn a moment ago returns those (`kept_lines`).

    A subclass says what it shows in `shown_key` and draws in `draw_lines`.
    """

    LINES_KEPT: ClassVar[int] = LINES_KEPT

    def shown_key(self) -> Hashable | None:
        """What the lines show beyond the widget's styles and size; None: draw them anew."""
        return None

    def draw_lines(self, crop: Region) -> list[Strip]:
        """The lines as Textual draws them (a subclass may change them)."""
        lines: list[Strip] = super().render_lines(crop)
        return lines

    def render_lines(self, crop: Region) -> list[Strip]:
        return kept_lines(self, crop, self.shown_key, self.draw_lines, self.LINES_KEPT)

    def _set_dirty(self, *regions: Region) -> None:
        forget_last(self)
        super()._set_dirty(*regions)


PIECES_KEPT = 256


def kept_scrollbars(most: int = 64) -> None:
    """From now on, a scrollbar at a position (and size, look, hover) it was drawn at before
    gives the lines it drew then: Textual draws it through Rich on every repaint.

    What `ScrollBar.render` draws with is in the key: its sizes, position, thickness,
    direction and renderer, whether it is grabbed or hovered, and the colours it takes
    from its parent's and the screen's styles. At a new position a vertical bar is put
    together from lines drawn before (`_bar_from_pieces`); only a piece of bar not seen
    yet in this look has Textual draw the whole bar.
    """
    from textual.scrollbar import ScrollBar

    draw = ScrollBar.render_lines
    if getattr(draw, "kept", False):
        return

    def render_lines(self: ScrollBar, crop: Region) -> list[Strip]:
        parent = self.parent
        if parent is None:
            return draw(self, crop)

        def shown() -> Hashable:
            return (
                self.window_virtual_size,
                self.window_size,
                self.position,
                self.thickness,
                self.vertical,
                self.renderer,
                self.grabbed is not None,
                self.mouse_over,
                parent.styles._cache_key,
                parent.background_colors,
                self.screen.styles._cache_key,
            )

        return kept_lines(self, crop, shown, lambda crop: _bar_from_pieces(self, crop, draw), most)

    set_dirty = ScrollBar._set_dirty

    def _set_dirty(self: ScrollBar, *regions: Region) -> None:
        forget_last(self)
        set_dirty(self, *regions)

    render_lines.kept = True  # type: ignore[attr-defined]
    render_lines.textuals = draw  # type: ignore[attr-defined]
    ScrollBar.render_lines = render_lines  # type: ignore[method-assign, assignment]
    ScrollBar._set_dirty = _set_dirty  # type: ignore[method-assign, assignment]


def _bar_from_pieces(
    bar: Any, crop: Region, draw: Callable[[Any, Region], list[Strip]]
) -> list[Strip]:
    """A vertical bar's lines, each the line Textual drew before for the same piece of bar.

    Why this is the same: a vertical `ScrollBarRender` is one segment a line (the track
    above the thumb, the thumb, its two ends, the track below: a handful of different
    pieces), and without padding, border, outline or hatch Textual draws each line from its
    own segment alone. The pieces come from `ScrollBarRender.render_bar` with what
    `ScrollBarRender.__rich_console__` gives it; the test compares the result with
    Textual's drawing at many positions.
    """
    from rich.color import Color
    from textual.scrollbar import ScrollBarRender

    styles = bar.styles
    if (
        not bar.vertical
        or bar.renderer is not ScrollBarRender
        or styles.gutter
        or any(edge for edge, _ in styles.outline)
        or styles.has_rule("hatch")
    ):
        return draw(bar, crop)
    renderable = bar.render()
    if not isinstance(renderable, ScrollBarRender) or not isinstance(renderable.style, Style):
        return draw(bar, crop)
    width, height = bar.size
    style = renderable.style
    pieces = ScrollBarRender.render_bar(
        size=height,
        virtual_size=renderable.virtual_size,
        window_size=renderable.window_size,
        position=renderable.position,
        thickness=width,
        vertical=True,
        back_color=style.bgcolor or Color.parse("#555555"),  # as `__rich_console__` has it
        bar_color=style.color or Color.parse("bright_magenta"),
    ).segments
    if len(pieces) != height:
        return draw(bar, crop)
    look = (drawn_with(bar), crop.column_span)
    kept: dict[Hashable, Strip] | None = getattr(bar, "_kept_pieces", None)
    if kept is None or len(kept) > PIECES_KEPT:
        kept = {}
        bar._kept_pieces = kept
    lines: list[Strip] = []
    for y in crop.line_range:
        line = kept.get((pieces[y], look))
        if line is None:  # a piece not drawn yet in this look: Textual draws them all
            fresh = drawn_anew(bar)
            drawn = draw(bar, crop)
            if fresh:
                for at, drawn_line in zip(crop.line_range, drawn, strict=True):
                    kept[(pieces[at], look)] = drawn_line
            return drawn
        lines.append(line)
    return lines


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


# --- Tree: resize, scrollbars and single-line repaint ------------------------------------


class QuietTree(_TreeBase):
    """Mixin for a `textual.widgets.Tree`: repaint what changed, not the whole screen.

    - `_on_resize`: Textual's Tree throws its lines away and asks for a new layout
      of the screen on every resize, although its cached lines are kept per width;
      at start that was a second layout and paint (~20 ms). Here: grow the line
      cache, and repaint only when the lines on screen were drawn at another size
      (right after the first layout the event says the size just drawn at: that
      repaint drew every line again, ~2 ms of each start).
    - `_size_updated`: ScrollView compares the layout's virtual size with the
      tree's own, which never match, so every layout of the screen repainted both
      scrollbars (~1-2 KB a cursor move over SSH). Here: only when the tree's own
      geometry changed.
    - `_refresh_line`: repaint one line of labels, not the scrollbar beside it.
    - `_on_hide`: search (`/`) shows its results in the tree's place and hides the tree;
      Widget's handler then moves the focus away, and back again after Esc: two changes
      of focus, each restyling the screen (~10 ms). Here the hidden tree keeps the focus
      (the keys go to the footer line meanwhile); the rest is Widget's handler.
    """

    _quiet_geometry: tuple[Any, ...] | None = None

    def _on_hide(self, event: events.Hide) -> None:
        event.prevent_default()  # Widget's own handler would blur
        if self.show_horizontal_scrollbar:
            self.horizontal_scrollbar.post_message(event)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.post_message(event)

    _drawn_size: Size | None = None  # the tree's size when its lines were last drawn

    def _on_resize(self, event: events.Resize) -> None:
        self._line_cache.grow(event.size.height)
        if event.size != self._drawn_size:
            self.refresh()
        event.prevent_default()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawn_size = self.outer_size
        return super().render_lines(crop)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        geometry = (size, container_size, self.virtual_size, self.styles.gutter)
        if geometry == self._quiet_geometry:
            self._layout_cache.clear()
            return False
        self._quiet_geometry = geometry
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _refresh_line(self, line: int) -> None:
        width = self.scrollable_content_region.width
        self.refresh(Region(0, line - self.scroll_offset.y, width, 1))


# --- Tree: drawn lines kept per node ------------------------------------------------------
# Why: Textual's Tree keys its drawn lines by line number and a tree-wide change counter, so
# opening a group (what a jump to another phase does) throws away every line, and each line
# that moved down is drawn again (~3 ms of a jump's ~11). What a line shows depends on its
# node and the state of the nodes on its path, not on where it stands: kept by node here,
# the lines of a jump are there already, also those drawn ahead (`draw_lines_ahead`).
# A kept line carries the line number it was drawn at in its mouse metadata; a click or a
# hover therefore finds its line from where the mouse is, not from that metadata.

KEPT_LINES = 2048  # lines kept per tree (a few hundred bytes each)
AHEAD_MAX = 1024  # trees with more lines than this are not drawn ahead (memory)
AHEAD_STEP = 8  # lines drawn per step of idle work


class KeptLines(_TreeBase):
    """Mixin for a `textual.widgets.Tree`: drawn lines kept per node (see above)."""

    _kept: Any = None  # LRUCache[tuple, Strip], made on first use

    def _kept_lines(self) -> Any:
        if self._kept is None:
            from textual.cache import LRUCache

            self._kept = LRUCache(KEPT_LINES)
        return self._kept

    def _line_key(self, y: int, x1: int, x2: int, base_style: Style) -> tuple[Any, ...] | None:
        """Everything Tree's `_render_line` reads to draw line `y`, except `y` itself (which
        only goes into the mouse metadata); None for a line past the end."""
        lines = self._tree_lines
        if y >= len(lines):
            return None
        line = lines[y]
        path = line.path
        node = path[-1]
        return (
            node._id,
            id(node._label),  # checked on a hit: `kept` holds the label (see _render_line)
            node._expanded,
            node._allow_expand,
            node._hover_,
            node._selected_,
            line.last,
            tuple([(n._hover_, n._selected_, n.is_last) for n in path[:-1]]),
            self.cursor_line == y,
            self.hover_line == y,
            self.hover_line >= 0,
            x1,
            x2,
            self.virtual_size.width if x1 else 0,  # from x1 = 0 the padding beyond x2 is cut
            base_style,
            self._tree_key if self._tree_key is not None else self._whole_tree_key(),
        )

    _tree_key: tuple[Any, ...] | None = None  # set while render_lines draws

    def _whole_tree_key(self) -> tuple[Any, ...]:
        """What every line's look depends on alike (worked out once per paint, see
        render_lines: ~20 µs a line otherwise)."""
        return (
            self.size.width,
            self.scrollable_content_region.width,
            self.get_pseudo_class_state(),
            self.has_focus,
            self.guide_depth,
            self.show_guides,
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        self._tree_key = self._whole_tree_key()
        try:
            return super().render_lines(crop)
        finally:
            self._tree_key = None

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        key = self._line_key(y, x1, x2, base_style)
        if key is None:
            return super()._render_line(y, x1, x2, base_style)
        kept = self._kept_lines()
        found = kept.get(key)
        label = self._tree_lines[y].path[-1]._label
        if found is None or found[0] is not label:  # a label made since can reuse an id
            found = kept[key] = (label, super()._render_line(y, x1, x2, base_style))
        return found[1]

    def clear(self) -> Any:
        self._kept = None  # node ids start again from 0
        return super().clear()

    def notify_style_update(self) -> None:
        self._kept = None  # the theme or a style changed: every line looks different
        super().notify_style_update()

    def _line_under(self, event: events.MouseEvent) -> int:
        """The tree line under the mouse, or -1."""
        offset = event.get_content_offset(self)
        if offset is None:
            return -1
        line = offset.y + round(self.scroll_y)
        return line if 0 <= line < len(self._tree_lines) else -1

    # Textual calls the handler of every class on the way up: prevent_default stops Tree's own.
    def _on_mouse_move(self, event: events.MouseMove) -> None:
        event.prevent_default()
        self.hover_line = self._line_under(event) if "line" in event.style.meta else -1

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()
        async with self.lock:
            meta = event.style.meta
            line = self._line_under(event)
            if "line" not in meta or line < 0:
                return
            if meta.get("toggle", False):
                node = self.get_node_at_line(line)
                if node is not None:
                    self._toggle_node(node)
            else:
                self.cursor_line = line
                await self.run_action("select_cursor")

    def draw_lines_ahead(self) -> Iterator[None]:
        """Steps (for `tui.idle.IdleWork`) that draw every node's line, as if every group were
        open, at the tree's present size and style: a jump that opens a group then finds its
        lines drawn, the cursor's line included. Nothing for a tree of more than AHEAD_MAX
        lines."""
        from textual._loop import loop_last
        from textual.cache import LRUCache
        from textual.widgets import Tree as TextualTree
        from textual.widgets._tree import _TreeLine

        every: list[Any] = []

        def add(path: list[Any], node: Any, last: bool) -> None:
            child_path = [*path, node]
            every.append(_TreeLine(child_path, last))
            for child_last, child in loop_last(node._children):
                add(child_path, child, child_last)

        for node in self.root._children:  # as Tree._build does without a root line
            add([], node, True)
        if len(every) > AHEAD_MAX or self.show_root:
            return
        closed = [line.node for line in every if line.node._children and not line.node._expanded]
        # every line as it looks with each group open; each closed group's own line as it looks
        # now (a jump opens one group and moves others into view); each leaf's line as the
        # cursor's (where a jump puts it)
        todo: list[tuple[int, bool, bool]] = [(y, True, False) for y in range(len(every))]
        todo += [(y, False, False) for y, line in enumerate(every) if line.node in closed]
        todo += [(y, True, True) for y, line in enumerate(every) if not line.node._children]
        size, root = self.size, self.root
        for start in range(0, len(todo), AHEAD_STEP):
            if self.size != size or not self.is_mounted or self.root is not root:
                return  # resized, rebuilt or gone: what was drawn ahead would not fit
            was = [node._expanded for node in closed]  # the user may have opened one since
            shown = self._tree_lines
            x1 = round(self.scroll_x)
            base_style = self.rich_style
            self._pseudo_class_state = self.get_pseudo_class_state()
            self._tree_lines_cached = every
            own_cache = self._line_cache
            cursor = self.cursor_line
            try:
                for y, opened, on_cursor in todo[start : start + AHEAD_STEP]:
                    for group in closed:
                        group._expanded = opened
                    # Tree's own cache knows a line by its number and by change counters that
                    # none of this changes: it must neither give nor keep these lines
                    self._line_cache = LRUCache(1)
                    node = every[y].node
                    selected = node._selected_
                    if on_cursor:  # no watchers: nothing moves, nothing is asked to repaint
                        self.set_reactive(TextualTree.cursor_line, y)
                        node._selected_ = True
                    try:
                        self._render_line(y, x1, x1 + size.width, base_style)
                    finally:
                        node._selected_ = selected
                        self.set_reactive(TextualTree.cursor_line, cursor)
            finally:
                self._tree_lines_cached = shown
                self._line_cache = own_cache
                for node, expanded in zip(closed, was, strict=True):
                    node._expanded = expanded
            yield


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
