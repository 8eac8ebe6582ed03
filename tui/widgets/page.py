"""A knooppunt's page as one Rich renderable: cheap to build, cheap to send over SSH.

One widget drawing this (`page_view`) is a fraction of the cost of Textual's
Markdown widget (one widget instead of ~65), which matters on every jump and in a
room of 25 sessions. Section bodies are the small Markdown subset our pages use
(paragraphs, lists, emphasis), rendered straight to Rich by `markup`, so that the
start path does not import rich.markdown (markdown_it, pygments).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import partial
from itertools import islice

from rich.cells import cached_cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text

from compass.model import TRACKS, Knooppunt, LawPage, ProcessPack
from compass.render import law_refs, page_sections, party_names

from ..i18n import language, t
from .markup import render_markdown
from .packed_lines import line_count, pack_lines, unpack_line

HEADING = "bold dark_orange"


def _heading(title: str) -> Text:
    """A section heading in the UI's language (the content under it stays Dutch)."""
    return Text(t(f"section.{title}"), style=HEADING)


def _phase_line(pack: ProcessPack, number: int) -> str:
    phase = pack.phase(number)
    return f"{t('page.phase')} {number}" + (f": {phase.title}" if phase else "")


def _body(markdown: str) -> RenderableType:
    return Padding(render_markdown(markdown), (0, 0, 1, 0))


def page_renderable(pack: ProcessPack, k: Knooppunt) -> Group:
    """Phase, spoor and parties, flags, then the page's sections (as `wijkkompas show` has them)."""
    # Only the phase is bold: every change of style is ~25 bytes more per page over SSH.
    meta = Text()
    meta.append(_phase_line(pack, k.phase), style="bold")
    meta.append(f"  ·  {t('page.track')}: {t(f'tracklabel.{k.track}')}")
    if k.sporen:
        meta.append(f"  ·  {t('page.sporen')}: {' '.join(k.sporen)}")
    meta.append(f"\n{t('page.parties')}: {party_names(pack, k)}")
    parts: list[RenderableType] = [Padding(meta, (0, 0, 1, 0))]
    for flag in k.flags:
        parts.append(
            Padding(Text(f"⚠ {pack.flags.get(flag, flag)}", style="bold yellow"), (0, 0, 1, 0))
        )
    for title, body in page_sections(k):
        parts += [_heading(title), _body(body)]
    law = law_refs(pack, k)
    if law:
        note = Text(f"{t('law.see')}: ", style="bold")
        note.append(", ".join(law))
        note.append(f"  ({t('law.key')})", style="dim")
        parts.append(Padding(note, (0, 0, 1, 0)))
    if k.checked:
        parts.append(Text(f"{t('page.checked')} {k.checked}", style="dim"))
    return Group(*parts)


def phase_renderable(pack: ProcessPack, number: int) -> Group:
    """The page of a phase: purpose, what divergeren and convergeren mean there, outcomes."""
    phase = pack.phase(number)
    if phase is None:
        return Group()
    title = Text(_phase_line(pack, phase.number), style="bold")
    title.append(f"\n{t('page.mainly')}: {t('tracklabel.' + phase.dominant_track)}")
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
    title = Text(page.title if page else t(f"tracklabel.{track}"), style="bold")
    return Group(Padding(title, (0, 0, 1, 0)), _body(page.body if page else ""))


def law_renderable(law: LawPage) -> Group:
    """The dated page on law and policy: intro, then one section per topic (content in Dutch)."""
    title = Text(law.title, style="bold")
    title.append(f"\n{t('page.checked_on')} {law.checked}", style="dim")
    parts: list[RenderableType] = [Padding(title, (0, 0, 1, 0))]
    if law.intro:
        parts.append(_body(law.intro))
    for topic in law.topics:
        parts += [Text(topic.title, style=HEADING), _body(topic.body)]
    return Group(*parts)


def about_renderable(pack: ProcessPack) -> Group:
    """'Over deze inhoud': what this content is, and is not."""
    return Group(Padding(Text(pack.title, style="bold"), (0, 0, 1, 0)), _body(pack.about))


# --- each page rendered once per width, kept as lines ------------------------------------
#
# A page's text depends only on the pack, the language and the console options (the
# width), so the last few pages shown are kept with their lines: a page shown again, or
# drawn again after a scroll, is not wrapped again. The page widget (`page_view`) turns
# only the lines it draws into strips.
#
# Pages are rendered ahead while the user reads (`prerender_steps`, `tui.idle`) and in the
# workshop's zygote (`prerender`), each kept packed (`packed_lines`): a page shown then
# unpacks the lines drawn.

MAX_OPTIONS = 4  # option sets kept per page (a resize and back)
MAX_PACKED_OPTIONS = 6  # option sets (widths) kept rendered ahead: two pane widths, a resize
MAX_PACKED_BYTES = 8 << 20  # pages rendered ahead stop here (~400 pages; the bundled pack's
# ~100 take ~2 MiB): a pack of 10,000 knooppunten must not cost 200 MiB in every session
MAX_PAGES = 6  # pages kept: back and forth between neighbours hits, memory stays small


def _options_key(options: ConsoleOptions) -> tuple:
    """Everything in the options that can change how our pages render."""
    return (
        options.min_width,
        options.max_width,
        options.height,
        options.justify,
        options.overflow,
        options.no_wrap,
        options.highlight,
        options.markup,
        options.encoding,
        options.ascii_only,
        options.legacy_windows,
        options.is_terminal,
    )


def _render_lines(
    renderable: RenderableType, console: Console, options: ConsoleOptions
) -> list[list[Segment]]:
    """The render cut into lines as Textual cuts a Rich renderable's (`RichVisual`): at each
    newline, cropped to the width, not padded; as many lines as newlines.

    Rich remembers the width of every string it measures (`cached_cell_len`, up to 4,096),
    and wrapping a page measures each of its words and lines: the lines are kept, so those
    entries would only hold ~2,000 strings in memory (~0.1 MiB of the first paint's peak).
    They are let go after each page; what the screen measures next is measured again (a
    `len` for most).
    """
    segments = list(console.render(renderable, options))
    height = sum(segment.text.count("\n") for segment in segments)
    split = Segment.split_and_crop_lines(
        segments, options.max_width, include_new_lines=False, pad=False
    )
    lines = list(islice(split, height))
    cached_cell_len.cache_clear()
    return lines


class PageLines:
    """A page's lines at one width: rendered, or packed and unpacked one line at a time."""

    __slots__ = ("_lines", "_packed", "_count")

    def __init__(self, lines: list[list[Segment]] | None = None, packed: bytes | None = None):
        self._lines = lines
        self._packed = packed
        self._count = line_count(packed) if packed is not None else len(lines or ())

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, y: int) -> list[Segment]:
        if self._packed is not None:
            return unpack_line(self._packed, y)
        assert self._lines is not None
        return self._lines[y]


class RenderedPage:
    """A page's lines per console options (so, per width): rendered once, or taken from the
    pages rendered ahead.

    The lines are exactly what Textual would have cut the page's render into at the same
    options; only the work of wrapping (and of unpacking lines not drawn) is skipped.
    """

    # Console and options of the latest page rendered here: what the pages are rendered
    # ahead with.
    seen: tuple[Console, ConsoleOptions] | None = None

    def __init__(self, make: Callable[[], RenderableType], key: tuple = ()) -> None:
        self._make = make  # builds the renderable: only when a render is not packed already
        self._renderable: RenderableType | None = None
        self.key = key  # the page's key in `_packed` (empty: none)
        self._lines: dict[tuple, PageLines] = {}

    @property
    def renderable(self) -> RenderableType:
        if self._renderable is None:
            self._renderable = self._make()
        return self._renderable

    def lines(self, console: Console, options: ConsoleOptions) -> PageLines:
        """The page's lines at `options` (no height: a page is as long as its text)."""
        key = _options_key(options)
        lines = self._lines.get(key)
        if lines is None:
            packed = _packed.get((self.key, key)) if self.key else None
            if packed is not None:
                lines = PageLines(packed=packed)
            else:
                lines = PageLines(_render_lines(self.renderable, console, options))
                RenderedPage.seen = (console, options)
            if len(self._lines) >= MAX_OPTIONS:
                self._lines.clear()
            self._lines[key] = lines
        return lines


def _page(pack: ProcessPack, kind: str, number: int, track: str) -> RenderableType:
    if kind == "k":
        k = pack.by_number(number)
        return page_renderable(pack, k) if k is not None else Group()
    if kind == "phase":
        return phase_renderable(pack, number)
    if kind == "track":
        return track_renderable(pack, track)
    if kind == "law" and pack.law is not None:
        return law_renderable(pack.law)
    return about_renderable(pack)


_pages: OrderedDict[tuple, tuple[ProcessPack, RenderedPage]] = OrderedDict()


def shown_page(pack: ProcessPack, kind: str, number: int = 0, track: str = "") -> RenderedPage:
    """The page the pane shows; the last MAX_PAGES are kept with their lines.

    `kind`: "k" (knooppunt `number`), "phase" (phase `number`), "track", "law" or "about".
    """
    key = (id(pack), language(), kind, number, track)
    found = _pages.get(key)
    if found is not None and found[0] is pack:
        _pages.move_to_end(key)
        return found[1]
    _pages[key] = (pack, RenderedPage(partial(_page, pack, kind, number, track), key))
    _pages.move_to_end(key)
    while len(_pages) > MAX_PAGES:
        _pages.popitem(last=False)
    return _pages[key][1]


def _packed_as_seen(key: tuple) -> bool:
    """The page with `key` is rendered ahead at the options of the latest render seen."""
    seen = RenderedPage.seen
    return seen is not None and (key, _options_key(seen[1])) in _packed


def is_rendered_ahead(pack: ProcessPack, number: int) -> bool:
    """Knooppunt `number`'s page is packed at the pane's latest options: showing it is cheap."""
    return _packed_as_seen((id(pack), language(), "k", number, ""))


# Rendered ahead: (page key, options key) -> the page's lines, packed.
_packed: dict[tuple, bytes] = {}


def _page_keys(pack: ProcessPack) -> list[tuple]:
    keys = [(id(pack), language(), "k", k.number, "") for k in pack.knooppunten]
    keys += [(id(pack), language(), "phase", phase.number, "") for phase in pack.phases]
    keys += [(id(pack), language(), "track", 0, track) for track in TRACKS]
    return keys


def prerender_steps(pack: ProcessPack) -> Iterator[None]:
    """Render every knooppunt, phase and spoor page at the options of the latest render seen
    and keep them packed, one page per step: a caller with time to spare (the app when idle)
    takes a step at a time. Pages already packed at these options are skipped."""
    seen = RenderedPage.seen
    if seen is None:
        return
    console, options = seen
    if len({options for _, options in _packed}) > MAX_PACKED_OPTIONS:
        _packed.clear()  # the terminal was resized often: keep only the current width's
    size = sum(len(packed) for packed in _packed.values())
    for key in _page_keys(pack):
        if size > MAX_PACKED_BYTES:
            return
        if _packed_as_seen(key):
            continue
        _, _, kind, number, track = key
        packed = pack_lines(_render_lines(_page(pack, kind, number, track), console, options))
        if packed is not None:
            _packed[(key, _options_key(options))] = packed
            size += len(packed)
        yield


def prerender(pack: ProcessPack) -> int:
    """All of `prerender_steps` at once (the zygote, after its warm-up paint). Returns the
    number of pages."""
    return sum(1 for _ in prerender_steps(pack))
