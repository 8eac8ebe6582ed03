"""The completeness rules of a pack, checked over all its pages at once.

Numbering, uniqueness, coverage of phases and sporen, vocabulary, links, enough
tips and sources, and no text said twice. Each problem points at its line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..model import TRACKS, Knooppunt, Phase
from ..problems import Problem, yaml_position
from .pagefile import PageFile, Section, numbered_steps, paragraphs

if TYPE_CHECKING:
    from .heads import PackMeta

MIN_TIPS = 3
DUPLICATE_MIN_CHARS = 40


def _key_pos(page: PageFile, key: str, index: int | None = None) -> tuple[int, int]:
    loc: tuple[Any, ...] = (key,) if index is None else (key, index)
    pos = yaml_position(page.meta, loc)
    if pos is None:
        return page.meta_line, 1
    return pos[0] + page.meta_line - 1, pos[1]


def check_pack_rules(
    meta: PackMeta,
    phases: list[tuple[Phase, str]],
    items: list[tuple[Knooppunt, PageFile]],
    law_topics: set[str] | frozenset[str] = frozenset(),
) -> list[Problem]:
    """The completeness rules: numbering, uniqueness, coverage, vocabulary and links."""
    problems: list[Problem] = []
    if not items:
        return [Problem("knooppunten", None, None, "het pakket bevat geen knooppunten")]

    seen_num: dict[Any, str] = {}
    seen_slug: dict[Any, str] = {}
    seen_title: dict[Any, str] = {}
    for k, page in items:
        for value, seen, key, label in (
            (k.number, seen_num, "number", "nummer"),
            (k.slug, seen_slug, "slug", "slug"),
            (k.title.lower(), seen_title, "title", "titel"),
        ):
            if value in seen:
                line, col = _key_pos(page, key)
                problems.append(
                    Problem(
                        page.path,
                        line,
                        col,
                        f"{label} {getattr(k, key)!r} komt ook voor in {seen[value]}",
                    )
                )
            else:
                seen[value] = page.path
    numbers = sorted(seen_num)
    missing = sorted(set(range(1, len(items) + 1)) - set(numbers))
    if missing:
        problems.append(
            Problem(
                "knooppunten",
                None,
                None,
                f"nummering heeft gaten: {', '.join(map(str, missing[:10]))} ontbreekt; nummers "
                f"horen 1..{len(items)} te zijn",
            )
        )

    phase_numbers = {p.number for p, _ in phases}
    for n in range(1, 7):
        if n not in phase_numbers:
            problems.append(Problem("fasen", None, None, f"fasepagina voor fase {n} ontbreekt"))
        for track in TRACKS:
            if not any(k.phase == n and k.track == track for k, _ in items):
                problems.append(
                    Problem(
                        "knooppunten",
                        None,
                        None,
                        f"fase {n} heeft geen knooppunt in het spoor {track}",
                    )
                )

    ordered = sorted(items, key=lambda x: x[0].number)
    for (a, _), (b, page) in zip(ordered, ordered[1:], strict=False):
        if b.phase < a.phase:
            line, col = _key_pos(page, "phase")
            problems.append(
                Problem(
                    page.path,
                    line,
                    col,
                    f"knooppunt {b.number} staat in fase {b.phase}, na knooppunt {a.number} in "
                    "fase "
                    ""
                    ""
                    ""
                    ""
                    f"{a.phase}: nummers volgen de procesvolgorde",
                )
            )

    for k, page in items:
        for i, s in enumerate(k.stakeholders):
            if s not in meta.stakeholders:
                line, col = _key_pos(page, "stakeholders", i)
                problems.append(
                    Problem(
                        page.path,
                        line,
                        col,
                        f"onbekende partij {s!r}; bekend: {', '.join(meta.stakeholders)}",
                    )
                )
        for i, f in enumerate(k.flags):
            if f not in meta.flags:
                line, col = _key_pos(page, "flags", i)
                problems.append(
                    Problem(
                        page.path,
                        line,
                        col,
                        f"onbekende vlag {f!r}; bekend: {', '.join(meta.flags) or 'geen'}",
                    )
                )
        if not k.links:
            line, col = _key_pos(page, "links")
            problems.append(
                Problem(page.path, line, col, "minstens één link naar een ander knooppunt nodig")
            )
        for i, target in enumerate(k.links):
            if target == k.slug:
                line, col = _key_pos(page, "links", i)
                problems.append(
                    Problem(page.path, line, col, "een knooppunt linkt niet naar zichzelf")
                )
            elif target not in seen_slug:
                line, col = _key_pos(page, "links", i)
                problems.append(
                    Problem(page.path, line, col, f"link naar onbekend knooppunt {target!r}")
                )
        for i, topic in enumerate(k.wetgeving):
            if topic not in law_topics:
                line, col = _key_pos(page, "wetgeving", i)
                known = ", ".join(sorted(law_topics)) or "geen (wetgeving.md ontbreekt)"
                problems.append(
                    Problem(page.path, line, col, f"onbekend onderwerp {topic!r}; bekend: {known}")
                )
        sec = page.sections.get("Tips")
        if sec is not None and len(k.tips) < MIN_TIPS:
            problems.append(
                Problem(page.path, sec.line, 1, f"minstens {MIN_TIPS} tips nodig, nu {len(k.tips)}")
            )
        sec = page.sections.get("Bronnen")
        if sec is not None and not k.bronnen:
            problems.append(Problem(page.path, sec.line, 1, "minstens één bron nodig"))
        for field in ("tips", "bronnen"):
            if any(t.strip() == "TODO" for t in getattr(k, field)):
                sec = page.sections.get(field.capitalize())
                problems.append(
                    Problem(page.path, sec.line if sec else 1, 1, f"'{field}' bevat nog TODO")
                )
    return problems


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def check_duplicate_text(items: list[tuple[Knooppunt, PageFile]]) -> list[Problem]:
    """No paragraph, tip or step may appear on two pages: each page says its own thing."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for k, page in sorted(items, key=lambda x: x[0].number):
        pieces: list[tuple[str, str]] = []
        pieces += [("Doel", p) for p in paragraphs(k.doel)]
        pieces += [("Aanpak", s) for s in numbered_steps(k.aanpak)]
        pieces += [("Tips", t) for t in k.tips]
        pieces += [("Uit de praktijk", p) for p in paragraphs(k.praktijk)]
        for section, piece in pieces:
            key = _norm(piece)
            if len(key) < DUPLICATE_MIN_CHARS:
                continue
            if key in seen and seen[key] != page.path:
                sec: Section | None = page.sections.get(section)
                line = _find_line(sec, piece) if sec else page.body_line
                problems.append(
                    Problem(
                        page.path,
                        line,
                        1,
                        f"dezelfde tekst staat al in {seen[key]}: {piece[:50]}...",
                    )
                )
            else:
                seen.setdefault(key, page.path)
    return problems


def _find_line(sec: Section, piece: str) -> int:
    probe = piece[:30]
    for line_no, raw in sec.lines:
        if probe and probe in raw:
            return line_no
    return sec.line
