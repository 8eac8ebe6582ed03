"""A knooppunt's page as one Rich renderable: cheap to build, cheap to send over SSH.

One Static holding this is a fraction of the cost of Textual's Markdown widget
(one widget instead of ~65), which matters on every jump and in a room of 25
sessions. Section bodies are the small Markdown subset our pages use (paragraphs,
lists, emphasis), rendered straight to Rich by `markup`, so that the start path
does not import rich.markdown (markdown_it, pygments).
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from compass.model import TRACK_LABELS, Knooppunt, ProcessPack
from compass.render import page_sections, party_names, phase_line

from .markup import render_markdown

HEADING = "bold dark_orange"


# Attributes a space shows: underline, reverse and the like (bold, italic, dim and the colour of
# the text don't).
_SHOWN_ON_SPACE = Style(underline=True, underline2=True, overline=True, strike=True, reverse=True,
                        conceal=True, blink=True, blink2=True)._attributes


def _look(style: Style | None, meta: bool) -> tuple:
    """What Textual sends for `style` (and, with `meta`, what a mouse finds there)."""
    if style is None:
        return (None,)
    return (style._color, style._bgcolor, style._attributes & style._set_attributes, style._link, style._meta if meta else None)


def _blank_look(style: Style | None, meta: bool) -> tuple:
    """What a run of spaces in `style` looks like: its background and the few attributes a space shows."""
    if style is None:
        return (None,)
    return (style._bgcolor, style._attributes & style._set_attributes & _SHOWN_ON_SPACE, style._link, style._meta if meta else None)


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
            if _look(style, meta) == _look(last_style, meta) or (
                text.isspace() and _blank_look(style, meta) == _blank_look(last_style, meta)
            ):
                out[-1] = Segment(last_text + text, last_style)
                continue
        out.append(segment)
    if len(out) > 1 and out[0].text.isspace() and _blank_look(out[0].style, meta) == _blank_look(out[1].style, meta):
        out[1] = Segment(out[0].text + out[1].text, out[1].style)  # left padding joins the text
        del out[0]
    return Strip(out, strip.cell_length)


def _heading(title: str) -> Text:
    return Text(title, style=HEADING)


def _body(markdown: str) -> RenderableType:
    return Padding(render_markdown(markdown), (0, 0, 1, 0))


def page_renderable(pack: ProcessPack, k: Knooppunt) -> Group:
    """Phase, spoor and parties, flags, then the page's sections (as `wijkkompas show` has them)."""
    meta = Text()
    meta.append(phase_line(pack, k), style="bold")
    meta.append("  ·  Spoor: ", style="bold")
    meta.append(TRACK_LABELS[k.track])
    meta.append("\nBetrokken partijen: ", style="bold")
    meta.append(party_names(pack, k))
    parts: list[RenderableType] = [Padding(meta, (0, 0, 1, 0))]
    for flag in k.flags:
        parts.append(Padding(Text(f"⚠ {pack.flags.get(flag, flag)}", style="bold yellow"), (0, 0, 1, 0)))
    for title, body in page_sections(k):
        parts += [_heading(title), _body(body)]
    return Group(*parts)


def phase_renderable(pack: ProcessPack, number: int) -> Group:
    """The page of a phase: purpose, what divergeren and convergeren mean there, outcomes."""
    phase = pack.phase(number)
    if phase is None:
        return Group()
    title = Text(f"Fase {phase.number}: {phase.title}", style="bold")
    title.append(f"\nVooral het spoor: {TRACK_LABELS[phase.dominant_track]}")
    parts: list[RenderableType] = [Padding(title, (0, 0, 1, 0))]
    for heading, body in (
        ("Doel", phase.doel),
        ("Divergeren en convergeren", phase.divergeren),
        ("Producten", "\n".join(f"- {p}" for p in phase.producten)),
    ):
        if body.strip():
            parts += [_heading(heading), _body(body)]
    return Group(*parts)


def track_renderable(pack: ProcessPack, track: str) -> Group:
    """The page of a spoor (sociaal or technisch)."""
    page = pack.track_page(track)
    title = Text(page.title if page else TRACK_LABELS.get(track, track), style="bold")
    return Group(Padding(title, (0, 0, 1, 0)), _body(page.body if page else ""))


def about_renderable(pack: ProcessPack) -> Group:
    """'Over deze inhoud': what this content is, and is not."""
    return Group(Padding(Text(pack.title, style="bold"), (0, 0, 1, 0)), _body(pack.about))
