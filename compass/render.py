"""A knooppunt's page, section by section: the one definition shared by `show` and the app."""

from __future__ import annotations

from .model import SPOREN, TRACK_LABELS, Knooppunt, LawPage, ProcessPack


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
    head = f"**{phase_line(pack, k)}** · **Spoor:** {TRACK_LABELS[k.track]}"
    if k.sporen:
        head += f" · **Sporen:** {sporen_line(k)}"
    parts = [
        f"# {k.number}. {k.title}",
        f"{head}  \n**Betrokken partijen:** {party_names(pack, k)}",
    ]
    parts += [f"> {pack.flags.get(flag, flag)}" for flag in k.flags]
    parts += [f"## {title}\n\n{body}" for title, body in page_sections(k)]
    law = law_refs(pack, k)
    if law:
        parts.append(
            "## Wet- en regelgeving\n\n"
            + "\n".join(f"- {title}" for title in law)
            + "\n\nZie `wijkkompas show wetgeving`."
        )
    links = pack.links_of(k)
    back = [o for o in pack.linked_from(k) if o not in links]
    if links or back:
        lines = [f"- {t.number}. {t.title} (fase {t.phase})" for t in links]
        lines += [f"- {t.number}. {t.title} (fase {t.phase}, verwijst hierheen)" for t in back]
        parts.append("## Zie ook\n\n" + "\n".join(lines))
    if k.checked:
        parts.append(f"*Gecontroleerd: {k.checked}*")
    return "\n\n".join(parts) + "\n"


def sporen_line(k: Knooppunt) -> str:
    """`A, C` with their names: `A Bewoners doen mee · C Besluitvorming ...`."""
    return " · ".join(f"{s} {SPOREN.get(s, '')}".strip() for s in k.sporen)


def law_refs(pack: ProcessPack, k: Knooppunt) -> list[str]:
    """The titles of the law page's topics this knooppunt relies on."""
    if pack.law is None:
        return []
    return [t.title for topic in k.wetgeving if (t := pack.law.topic(topic)) is not None]


def law_markdown(law: LawPage) -> str:
    """The law page as Markdown: title, date, intro, one section per topic."""
    parts = [f"# {law.title}", f"*Gecontroleerd: {law.checked}*"]
    if law.intro:
        parts.append(law.intro)
    parts += [f"## {t.title}\n\n{t.body}" for t in law.topics]
    return "\n\n".join(parts) + "\n"
