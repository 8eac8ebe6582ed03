"""A knooppunt's page as one Rich renderable: cheap to build, cheap to send over SSH.

One Static holding this is a fraction of the cost of Textual's Markdown widget
(one widget instead of ~65), which matters on every jump and in a room of 25
sessions. Section bodies are the small Markdown subset our pages use (paragraphs,
lists, emphasis), rendered straight to Rich by `markup`, so that the start path
does not import rich.markdown (markdown_it, pygments).
"""

from __future__ import annotations

import marshal
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import partial

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from compass.model import TRACKS, Knooppunt, LawPage, ProcessPack
from compass.render import law_refs, page_sections, party_names

from ..i18n import language, t
from .markup import render_markdown

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


# --- each page rendered once per width ---------------------------------------------------
#
# Textual renders a Static's content twice per page change (once to count its height,
# once to draw it) and each render wrapped every paragraph again: with the page following
# the cursor that was ~40% of a cursor move's CPU. A page's text depends only on the
# pack, the language and the options (the width), so the last few pages shown are kept
# with their rendered segments: the drawing pass, and a page shown again, replay them.
#
# The workshop's zygote renders every page ahead at the width of its warm-up (`prerender`)
# and keeps each as one packed bytes object: a session that shows a page unpacks it. Kept
# as the segments themselves they cost every session +2.4 MiB: replaying shared objects
# writes their reference counts, which copies their memory pages into the session.

MAX_OPTIONS = 4  # option sets kept per page (the two render passes, a resize)
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


class RenderedOnce:
    """A renderable that keeps what it rendered to, per console options (so, per width).

    The segments it replays are exactly what the inner renderable gave for the same
    options; only the work of wrapping is skipped.
    """

    # Console and options of the renders seen (by whether a height was given): what
    # `prerender` renders the pages with.
    seen: dict[bool, tuple[Console, ConsoleOptions]] = {}

    def __init__(self, make: Callable[[], RenderableType], key: tuple = ()) -> None:
        self._make = make  # builds the renderable: only when a render is not packed already
        self._renderable: RenderableType | None = None
        self.key = key  # the page's key in `_packed` (empty: none)
        self._segments: dict[tuple, list[Segment]] = {}

    @property
    def renderable(self) -> RenderableType:
        if self._renderable is None:
            self._renderable = self._make()
        return self._renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return self._rendered(console, options)

    def _key(self, options: ConsoleOptions) -> tuple:
        """The options key; a Group renders the same at any height (Rich renders its parts
        with the height reset), so Textual's drawing pass replays the height-counting pass."""
        if isinstance(self.renderable, Group):
            options = options.reset_height()
        return _options_key(options)

    def _rendered(self, console: Console, options: ConsoleOptions) -> list[Segment]:
        key = self._key(options)
        segments = self._segments.get(key)
        if segments is None:
            packed = _packed.get((self.key, key)) if self.key else None
            if packed is not None:
                segments = _unpack(packed)
            else:
                segments = list(console.render(self.renderable, options))
                RenderedOnce.seen[options.height is None] = (console, options)
            if len(self._segments) >= MAX_OPTIONS:
                self._segments.clear()
            self._segments[key] = segments
        return segments

    def render_as_seen(self) -> list[tuple[tuple, list[Segment]]]:
        """Render at the options seen so far: the height-counting pass, then the drawing pass
        with the height it counted (as Textual does for a Static)."""
        counted = RenderedOnce.seen.get(True)
        if counted is None:
            return []
        console, options = counted
        first = self._rendered(console, options)
        out = [(self._key(options), first)]
        drawn = RenderedOnce.seen.get(False)
        if drawn is not None:
            console, options = drawn
            options = options.update(height=sum(seg.text.count("\n") for seg in first))
            if self._key(options) != out[0][0]:
                out.append((self._key(options), self._rendered(console, options)))
        return out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


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


_pages: OrderedDict[tuple, tuple[ProcessPack, RenderedOnce]] = OrderedDict()


def shown_page(pack: ProcessPack, kind: str, number: int = 0, track: str = "") -> RenderedOnce:
    """The page the pane shows; the last MAX_PAGES are kept with their renders.

    `kind`: "k" (knooppunt `number`), "phase" (phase `number`), "track", "law" or "about".
    """
    key = (id(pack), language(), kind, number, track)
    found = _pages.get(key)
    if found is not None and found[0] is pack:
        _pages.move_to_end(key)
        return found[1]
    _pages[key] = (pack, RenderedOnce(partial(_page, pack, kind, number, track), key))
    _pages.move_to_end(key)
    while len(_pages) > MAX_PAGES:
        _pages.popitem(last=False)
    return _pages[key][1]


def _packed_as_seen(key: tuple) -> bool:
    """The page with `key` is rendered ahead at the options of the latest render seen."""
    seen = RenderedOnce.seen.get(True)
    return seen is not None and (key, _options_key(seen[1])) in _packed


def is_rendered_ahead(pack: ProcessPack, number: int) -> bool:
    """Knooppunt `number`'s page is packed at the pane's latest options: showing it is cheap."""
    return _packed_as_seen((id(pack), language(), "k", number, ""))


# Rendered ahead (the zygote): (page key, options key) -> the segments, packed; the styles
# in them by number.
_packed: dict[tuple, bytes] = {}
_styles: list[Style | None] = []


def _pack(segments: list[Segment]) -> bytes | None:
    numbers = {style: n for n, style in enumerate(_styles)}
    flat: list[tuple[str, int]] = []
    for text, style, control in segments:
        if control is not None:
            return None
        if style not in numbers:
            numbers[style] = len(_styles)
            _styles.append(style)
        flat.append((text, numbers[style]))
    return marshal.dumps(flat)


def _unpack(packed: bytes) -> list[Segment]:
    styles = _styles
    return [Segment(text, styles[n]) for text, n in marshal.loads(packed)]


def _page_keys(pack: ProcessPack) -> list[tuple]:
    keys = [(id(pack), language(), "k", k.number, "") for k in pack.knooppunten]
    keys += [(id(pack), language(), "phase", phase.number, "") for phase in pack.phases]
    keys += [(id(pack), language(), "track", 0, track) for track in TRACKS]
    return keys


def prerender_steps(pack: ProcessPack) -> Iterator[None]:
    """Render every knooppunt, phase and spoor page at the options of the renders seen so far
    and keep them packed, one page per step: a caller with time to spare (the app when idle)
    takes a step at a time. Pages already packed at these options are skipped."""
    if not RenderedOnce.seen:
        return
    if len({options for _, options in _packed}) > MAX_PACKED_OPTIONS:
        _packed.clear()  # the terminal was resized often: keep only the current width's
    size = sum(len(packed) for packed in _packed.values())
    for key in _page_keys(pack):
        if size > MAX_PACKED_BYTES:
            return
        if _packed_as_seen(key):
            continue
        _, _, kind, number, track = key
        rendered = RenderedOnce(partial(_page, pack, kind, number, track))  # rendered here
        for options_key, segments in rendered.render_as_seen():
            packed = _pack(segments)
            if packed is not None:
                _packed[(key, options_key)] = packed
                size += len(packed)
        yield


def prerender(pack: ProcessPack) -> int:
    """All of `prerender_steps` at once (the zygote, after its warm-up paint). Returns the
    number of pages."""
    return sum(1 for _ in prerender_steps(pack))
