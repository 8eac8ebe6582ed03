"""Lines of the screen in as few styled pieces as they can be sent in.

Why: Textual sends every segment of a line as `ESC[..m text ESC[0m`, ~25 bytes of
codes per piece. Over SSH, in a room of 25, the pieces are what a cursor move
costs; merging the ones that look the same took the page from ~3.5 to ~2 KB a move.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip

from ..textual_compat import blank_look, style_look


def flat_strip(strip: Strip, meta: bool = False) -> Strip:
    """The same line in as few styled pieces as possible.

    Textual sends every segment as `ESC[..m text ESC[0m` (~25 bytes of codes): a
    line of text, its padding and the rest of the line are three. Spaces look the
    same in any style with their background (and no underline, reverse and the
    like), so they join the text beside them; pieces that are sent the same join;
    empty ones go. `meta`: keep apart what differs in meta (what a mouse click
    finds, e.g. a tree line); without it, meta is dropped where pieces join (text
    selection reads `render_line`, which this does not change).
    """
    out: list[Segment] = []
    for segment in strip:
        text, style, control = segment
        if control is not None:
            return strip
        if not text:
            continue
        if out:
            last_text, last_style, _ = out[-1]
            if style_look(style, meta) == style_look(last_style, meta) or (
                text.isspace() and blank_look(style, meta) == blank_look(last_style, meta)
            ):
                out[-1] = Segment(last_text + text, last_style)
                continue
        out.append(segment)
    if (
        len(out) > 1
        and out[0].text.isspace()
        and blank_look(out[0].style, meta) == blank_look(out[1].style, meta)
    ):
        out[1] = Segment(out[0].text + out[1].text, out[1].style)  # left padding joins the text
        del out[0]
    return Strip(out, strip.cell_length)
