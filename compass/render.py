"""Knooppunt pages as Markdown text: the one rendering shared by `show`, reports and the app."""

from __future__ import annotations

from .model import TRACK_LABELS, Knooppunt, ProcessPack


def page_markdown(pack: ProcessPack, k: Knooppunt, *, heading: bool = True, see_also: bool = True) -> str:
    """The full detail page of a knooppunt as Markdown."""
    phase = pack.phase(k.phase)
    parts: list[str] = []
    if heading:
        parts.append(f"# {k.number}. {k.title}")
    parts.append(
        f"**Fase {k.phase}{': ' + phase.title if phase else ''}** · "
        f"**Spoor:** {TRACK_LABELS[k.track]}  \n"
        f"**Betrokken partijen:** {', '.join(pack.stakeholders.get(s, s) for s in k.stakeholders)}"
    )
    for flag in k.flags:
        parts.append(f"> {pack.flags.get(flag, flag)}")
    parts.append("## Doel\n\n" + k.doel)
    parts.append("## Aanpak\n\n" + k.aanpak)
    parts.append("## Tips\n\n" + "\n".join(f"- {t}" for t in k.tips))
    parts.append("## Bronnen\n\n" + "\n".join(f"- {b}" for b in k.bronnen))
    if k.praktijk.strip():
        parts.append("## Uit de praktijk\n\n" + k.praktijk)
    links = pack.links_of(k)
    back = [o for o in pack.linked_from(k) if o not in links]
    if see_also and (links or back):
        lines = [f"- {t.number}. {t.title} (fase {t.phase})" for t in links]
        lines += [f"- {t.number}. {t.title} (fase {t.phase}, verwijst hierheen)" for t in back]
        parts.append("## Zie ook\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"
