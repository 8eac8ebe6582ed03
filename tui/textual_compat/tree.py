"""Textual's `Tree`: repaint what changed (`QuietTree`), keep drawn lines per node
(`KeptLines`).

Part of `tui.textual_compat`: every reach into Textual's private API, each tested.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip

from ._bases import _TreeBase

if TYPE_CHECKING:
    pass


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
