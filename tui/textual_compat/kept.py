"""Lines drawn before, given again: widgets (`SameLines`) and scrollbars (`kept_scrollbars`).

Part of `tui.textual_compat`: every reach into Textual's private API, each tested.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from ._bases import _WidgetBase

if TYPE_CHECKING:
    from textual.widget import Widget


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
