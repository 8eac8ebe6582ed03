"""A knooppunt's page, section by section: the one definition shared by `show` and the app."""

from __future__ import annotations

from .model import TRACK_LABELS, Knooppunt, ProcessPack


def page_sections(k: Knooppunt) -> list[tuple[str, str]]:
    """(heading, Markdown body) of every non-empty section, in page order."""
    sections = (
        ("Doel", k.doel),
        ("Aanpak", k.aanpak),
        ("Tips", "\n".join(f"- {tip}" for tip in k.tips)),
        ("Bronnen", "\n".join(f"- {b}" for b in k.bronnen)),
        ("Uit de praktijk", k.praktijk),
    )
    return [(title, body) for title, body in sections if body.strip()]


def phase_line(pack: ProcessPack, k: Knooppunt) -> str:
    """`Fase 3: Strategieën bepalen`."""
    phase = pack.phase(k.phase)
    return f"Fase {k.phase}" + (f": {phase.title}" if phase else "")


def party_names(pack: ProcessPack, k: Knooppunt) -> str:
    return ", ".join(pack.stakeholders.get(s, s) for s in k.stakeholders)


def page_markdown(pack: ProcessPack, k: Knooppunt) -> str:
    """The full detail page of a knooppunt as Markdown, with links both ways at the end."""
    parts = [
        f"# {k.number}. {k.title}",
        f"**{phase_line(pack, k)}** · **Spoor:** {TRACK_LABELS[k.track]}  \n"
        f"**Betrokken partijen:** {party_names(pack, k)}",
    ]
    parts += [f"> {pack.flags.get(flag, flag)}" for flag in k.flags]
    parts += [f"## {title}\n\n{body}" for title, body in page_sections(k)]
    links = pack.links_of(k)
    back = [o for o in pack.linked_from(k) if o not in links]
    if links or back:
        lines = [f"- {t.number}. {t.title} (fase {t.phase})" for t in links]
        lines += [f"- {t.number}. {t.title} (fase {t.phase}, verwijst hierheen)" for t in back]
        parts.append("## Zie ook\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"
