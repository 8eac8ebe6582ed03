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
from rich.text import Text

from compass.model import Knooppunt, LawPage, ProcessPack
from compass.render import law_refs, page_sections, party_names

from ..i18n import t
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
