"""Search results where the tree stands: mark, number, title, and where the words were found.

Drawn a line at a time (Textual's Line API) and kept per result: typing on in a word
mostly finds the same results, which then cost a lookup, not a render. Only the
lines that changed are repainted (the list itself is not laid out again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from compass.model import STATUS_MARKS, STATUS_STYLES

from .strips import flat_strip

if TYPE_CHECKING:
    from compass.model import Knooppunt
    from compass.search import Hit

KEPT = 512  # lines kept drawn (a result at a width, chosen or not)


class ResultList(ScrollView, can_focus=False):
    """The results of a search (`show`); the chosen one in the tree's cursor colours."""

    COMPONENT_CLASSES = {"results--cursor", "results--where", "results--note"}
    DEFAULT_CSS = """
    ResultList {
        background: $surface;
        & > .results--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .results--where {
            color: $text-muted;
        }
        & > .results--note {
            color: $text-muted;
        }
    }
    """

    class Picked(Message):
        """A result was clicked: its place in the list."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, marks_of: Callable[[Knooppunt], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.marks_of = marks_of  # tui.widgets.process_tree.Marks of a knooppunt (its status)
        self.hits: list[Hit] = []
        self.chosen = 0
        self.note = ""  # shown when there are no results (a hint, or "nothing found")
        self._kept: LRUCache[tuple[Any, ...], Strip] = LRUCache(KEPT)
        self._notes = {}

    def show(self, hits: list[Hit], chosen: int, note: str = "") -> None:
        """Show `hits` with `chosen` highlighted and in view; repaint only what changed."""
        same = [h.knooppunt.number for h in hits] == [h.knooppunt.number for h in self.hits]
        before, self.chosen = self.chosen, chosen
        self.hits, self.note = hits, note
        self.virtual_size = Size(self.size.width, max(1, len(hits)))
        self._scroll_to_chosen()
        if same and hits:
            for line in {before, chosen}:
                self.refresh_line(line)
        else:
            self.refresh()

    def _scroll_to_chosen(self) -> None:
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if height <= 0:
            return
        if self.chosen < top:
            self.scroll_to(y=self.chosen, animate=False)
        elif self.chosen >= top + height:
            self.scroll_to(y=self.chosen - height + 1, animate=False)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual calls `render_line` for each line in `crop`: what they share (the widget's
        # styles, each worked out from every ancestor's) is looked up once.
        self._paint = self._paint_now()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    _paint: tuple[int, Style, Style, Style, Style] | None = None

    def _paint_now(self) -> tuple[int, Style, Style, Style, Style]:
        """Width, style, and the styles of the chosen line, of "where" and of the note."""
        return (
            self.scrollable_content_region.width,
            self.rich_style,
            self.get_component_rich_style("results--cursor"),
            self.get_component_rich_style("results--where", partial=True),
            self.get_component_rich_style("results--note", partial=True),
        )

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._paint_now()
        if not self.hits:
            notes = self._note_lines(paint)
            return notes[y] if 0 <= y < len(notes) else self._blank(paint)
        index = y + round(self.scroll_y)
        if index >= len(self.hits):
            return self._blank(paint)
        hit = self.hits[index]
        k = hit.knooppunt
        status = self.marks_of(k).status
        chosen = index == self.chosen
        key = (k.number, k.title, hit.where, status, chosen, paint)
        strip = self._kept.get(key)
        if strip is None:
            strip = self._kept[key] = self._draw(k, hit.where, status, chosen, paint)
        return strip

    def _blank(self, paint: tuple[int, Style, Style, Style, Style]) -> Strip:
        """An empty line: one strip for all of them (Textual keeps what it did to a strip)."""
        key = ("blank", paint)
        strip = self._kept.get(key)
        if strip is None:
            strip = self._kept[key] = Strip.blank(paint[0], paint[1])
        return strip

    def _note_lines(self, paint: tuple[int, Style, Style, Style, Style]) -> list[Strip]:
        """The note, wrapped to the width, a space in from the left."""
        width, base, _cursor, _where, note_style = paint
        key = (self.note, paint)
        kept = self._notes.get(key)
        if kept is None:
            text = Text(self.note, style=base + note_style)
            lines = list(text.wrap(_console(), max(1, width - 2))) if self.note else []
            kept = [_strip(Text(" ", style=base) + line, width, base) for line in lines]
            self._notes = {key: kept}
        return kept

    _notes: dict[tuple[Any, ...], list[Strip]]  # the note's lines, at one width and look

    def _draw(
        self,
        k: Knooppunt,
        where: str,
        status: str,
        chosen: bool,
        paint: tuple[int, Style, Style, Style, Style],
    ) -> Strip:
        width, base, cursor_style, where_style, _note = paint
        style = base + cursor_style if chosen else base
        line = Text(style=style, no_wrap=True, end="")
        line.append(" " + STATUS_MARKS.get(status, "?"), style=STATUS_STYLES.get(status, ""))
        line.append(f" {k.number:>2} ")
        tail = f"  {where} "
        room = width - line.cell_len - cell_len(tail)
        title = k.title  # plain text: no markup is interpreted
        if cell_len(title) > room:
            title = title[: max(0, room - 1)] + "…" if room > 1 else ""
        line.append(title)
        line.append(" " * max(0, width - line.cell_len - cell_len(tail)))
        if line.cell_len + cell_len(tail) <= width:
            line.append(tail, style=where_style if not chosen else None)
        return _strip(line, width, base)

    def notify_style_update(self) -> None:
        self._kept.clear()  # the theme changed: every line looks different
        self._notes = {}
        super().notify_style_update()

    def on_resize(self, _event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, max(1, len(self.hits)))
        self._scroll_to_chosen()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y + round(self.scroll_y)
        if 0 <= index < len(self.hits):
            event.stop()
            self.post_message(self.Picked(index))


def _strip(line: Text, width: int, base: Style) -> Strip:
    segments = list(line.render(_console(), end=""))
    return flat_strip(Strip(segments).adjust_cell_length(width, base))


_CONSOLE: list[Any] = []


def _console() -> Any:
    """A Rich console to cut Text into segments (its own: rendering must not need the app)."""
    if not _CONSOLE:
        from rich.console import Console

        _CONSOLE.append(Console(width=1000, color_system=None, legacy_windows=False))
    return _CONSOLE[0]
