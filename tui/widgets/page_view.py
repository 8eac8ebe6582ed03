"""The page's text in the pane, drawn a line at a time (Textual's Line API).

Why: a `Static` turns every line of its content into a strip (split, styled, cropped)
each time the content changes: ~160 lines a page, 3-4 ms of every jump, while an 80x24
terminal shows ~20 of them. This widget gives the layout the page's height (so the pane
still scrolls over the whole page) and styles a line only when it is drawn; a page
rendered ahead is unpacked a line at a time (`packed_lines`).

What a line looks like is what the `Static` drew: the widget's style under every piece,
then Textual's padding and colours (the widget's CSS), then `flat_strip`.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from ..textual_compat import SizedByLayout
from .page import PageLines, RenderedPage
from .strips import flat_strip

NO_LINES = PageLines([])


class PageView(SizedByLayout, Widget):
    """A page (`page.RenderedPage`) as tall as its text; only the lines drawn become strips."""

    DEFAULT_CSS = """
    PageView {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.page: RenderedPage | None = None
        self._at: tuple[int, PageLines] | None = None  # the lines at the width last asked for
        self._paint: tuple[PageLines, int, Style, Callable[[], Style] | None] | None = None

    def show(self, page: RenderedPage | None) -> None:
        """Show `page` (None: nothing); its height may differ, so the pane is laid out again."""
        self.page = page
        self._at = None
        self.refresh(layout=True)

    def lines(self, width: int) -> PageLines:
        """The page's lines at `width` cells, with the options Textual renders a `Static` with."""
        if self._at is not None and self._at[0] == width:
            return self._at[1]
        lines = NO_LINES
        if self.page is not None and width > 0:
            app = self.app
            options = app.console_options.update_width(width).update(highlight=False)
            lines = self.page.lines(app.console, options)
        self._at = (width, lines)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        """Line `y` of the page, as the `Static` drew it before its padding (the caller's)."""
        lines, width, base, link = self._paint or self._paint_now()
        if not 0 <= y < len(lines):
            return Strip.blank(width, base)
        return Strip(styled(lines[y], base, link))

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual calls `render_line` for each line in `crop` that it has not kept drawn:
        # what they share is looked up once.
        self._paint = self._paint_now()
        try:
            strips = super().render_lines(crop)
        finally:
            self._paint = None
        return [flat_strip(strip) for strip in strips]

    def _paint_now(self) -> tuple[PageLines, int, Style, Callable[[], Style] | None]:
        """The lines at the widget's width, the width, its style, its link style (if links)."""
        width = self.size.width
        link = (lambda: self.link_style) if self.auto_links else None
        return self.lines(width), width, self.visual_style.rich_style, link


def styled(line: list[Segment], base: Style, link: Callable[[], Style] | None) -> list[Segment]:
    """`line` in the widget's style, as Textual styles a Rich renderable's segments.

    `base` goes under every piece (Textual's `_Styled`). With links (`link`, the widget's
    link style, asked for only when needed): a piece with a click action takes the link
    style, a piece without a style is left out (`_Styled`), one with an empty style is
    sent without one (`Strip._apply_link_style`). Our pages have no click actions; the
    rest is Textual's behaviour kept as it is.
    """
    out: list[Segment] = []
    for text, style, _ in line:
        if base:
            style = base + style
        if link is not None and (not style or "@click" in style.meta):
            link_style = link()
            if style is None and link_style:
                continue
            if style and "@click" in style.meta:
                style = style + link_style
            elif not style:
                style = None
        out.append(Segment(text, style))
    return out
