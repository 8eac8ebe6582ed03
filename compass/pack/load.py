"""Read and check a process pack's files: the slow path behind the cache in `pack.py`.

Pydantic checks the front matter of every page here, at the edge, and each problem
becomes `FILE:LINE:COL: message`; what comes out is the plain `ProcessPack`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..model import TRACKS, Knooppunt, LawPage, LawTopic, Phase, ProcessPack, TrackPage
from ..problems import (
    Problem,
    ProblemsError,
    too_deep_problem,
    yaml_error_problem,
    yaml_position,
)
from ..text import visible
from .heads import AboutHead, KnooppuntHead, LawHead, PackMeta, PhaseHead, TrackHead
from .pagefile import PageFile, bullets, read_page
from .rules import check_duplicate_text, check_pack_rules

KNOOPPUNT_SECTIONS = {
    "Doel": "doel",
    "Aanpak": "aanpak",
    "Tips": "tips",
    "Bronnen": "bronnen",
    "Uit de praktijk": "praktijk",
}
PHASE_SECTIONS = {
    "Doel": "doel",
    "Divergeren en convergeren": "divergeren",
    "Producten": "producten",
}


def _pydantic_problems(
    path: str, meta: Any, exc: ValidationError, line_offset: int
) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        pos = yaml_position(meta, loc)
        where = ".".join(str(p) for p in loc) or "voorwerk"
        msg = _dutch_error(err)
        if pos is None:
            out.append(Problem(path, line_offset, 1, f"{where}: {msg}"))
        else:
            out.append(Problem(path, pos[0] + line_offset - 1, pos[1], f"{where}: {msg}"))
    return out


def _dutch_error(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "ontbreekt"
    if kind == "extra_forbidden":
        return "onbekende sleutel"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"ongeldige waarde {err.get('input')!r}; verwacht {expected}"
    if kind == "string_pattern_mismatch":
        return f"ongeldige slug {err.get('input')!r}: alleen kleine letters, cijfers en '-'"
    if kind in ("int_parsing", "int_type"):
        return f"verwacht een geheel getal, niet {err.get('input')!r}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"waarde {err.get('input')!r} valt buiten het toegestane bereik"
    if kind == "too_short":
        return "mag niet leeg zijn"
    return str(err.get("msg", kind))


def _rel(root: Path, p: Path) -> str:
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def load_uncached(root: Path) -> ProcessPack:
    """Read every file of the pack at `root`; raises ProblemsError with every problem."""
    problems: list[Problem] = []
    meta = _load_meta(root, problems)
    phases = _load_phases(root, problems)
    tracks = _load_tracks(root, problems)
    about = _load_about(root, problems)
    law = _load_law(root, problems)
    knooppunten = _load_knooppunten(root, problems)
    if meta is not None:
        topics = {t.id for t in law.topics} if law is not None else set()
        problems.extend(check_pack_rules(meta, phases, knooppunten, topics))
    problems.extend(check_duplicate_text(knooppunten))
    if problems or meta is None:
        raise ProblemsError(problems)
    return ProcessPack(
        title=meta.title,
        policy_date=meta.policy_date,
        stakeholders=meta.stakeholders,
        flags=meta.flags,
        phases=tuple(p for p, _ in sorted(phases, key=lambda x: x[0].number)),
        tracks=tuple(sorted(tracks, key=lambda t: TRACKS.index(t.id))),
        knooppunten=tuple(k for k, _ in sorted(knooppunten, key=lambda x: x[0].number)),
        about=about,
        root=str(root),
        law=law,
    )


def _read(path: Path, problems: list[Problem]) -> str | None:
    try:
        # a pack can come from anywhere: no escape sequence of it reaches a terminal
        return visible(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(str(path), None, None, "geen geldige UTF-8-tekst"))
    except OSError as exc:
        problems.append(Problem(str(path), None, None, f"kan niet lezen: {exc.strerror or exc}"))
    return None


def _load_meta(root: Path, problems: list[Problem]) -> PackMeta | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    path = root / "pack.yaml"
    name = _rel(root, path)
    if not path.is_file():
        problems.append(Problem(name, None, None, "pack.yaml ontbreekt"))
        return None
    text = _read(path, problems)
    if text is None:
        return None
    try:
        y = YAML(typ="rt")
        y.allow_duplicate_keys = False
        doc = y.load(text)
    except YAMLError as exc:
        problems.append(yaml_error_problem(name, exc))
        return None
    except RecursionError:
        problems.append(too_deep_problem(name, text))
        return None
    if not isinstance(doc, dict):
        problems.append(Problem(name, 1, 1, "pack.yaml moet een mapping zijn"))
        return None
    try:
        meta = PackMeta.model_validate(dict(doc))
    except ValidationError as exc:
        problems.extend(_pydantic_problems(name, doc, exc, 1))
        return None
    if meta.schema_ != 1:
        problems.append(
            Problem(
                name,
                1,
                1,
                f"onbekende schema-versie {meta.schema_}; deze versie van wijkkompas kent schema 1",
            )
        )
        return None
    return meta


def _section_text(page: PageFile, name: str) -> str:
    s = page.sections.get(name)
    return s.text if s else ""


def _check_sections(
    page: PageFile, allowed: dict[str, str], required: tuple[str, ...], problems: list[Problem]
) -> None:
    order = list(allowed)
    last = -1
    for title, sec in page.sections.items():
        if title not in allowed:
            problems.append(
                Problem(
                    page.path,
                    sec.line,
                    1,
                    f"onbekende sectie '{title}'; verwacht: {', '.join(order)}",
                )
            )
            continue
        idx = order.index(title)
        if idx < last:
            problems.append(
                Problem(
                    page.path,
                    sec.line,
                    1,
                    f"sectie '{title}' staat niet op zijn plaats; volgorde: {', '.join(order)}",
                )
            )
        last = max(last, idx)
    for title in required:
        found = page.sections.get(title)
        if found is None:
            problems.append(Problem(page.path, page.body_line, 1, f"sectie '## {title}' ontbreekt"))
        elif not found.text.strip() or found.text.strip() == "TODO":
            problems.append(Problem(page.path, found.line, 1, f"sectie '{title}' is leeg"))


def _read_head(
    root: Path,
    path: Path,
    head_model: type[BaseModel],
    problems: list[Problem],
    *,
    free_body: bool = False,
) -> tuple[PageFile, Any, str] | None:
    """Read one page and validate its front matter; None (with problems) when unusable."""
    name = _rel(root, path)
    text = _read(path, problems)
    page = read_page(name, text, problems, free_body=free_body) if text is not None else None
    if page is None or text is None:
        return None
    try:
        head = head_model.model_validate(dict(page.meta))
    except ValidationError as exc:
        problems.extend(_pydantic_problems(name, page.meta, exc, page.meta_line))
        return None
    return page, head, text


def _free_body(text: str, page: PageFile) -> str:
    return text.split("\n", page.body_line - 1)[-1].strip()


def _load_phases(root: Path, problems: list[Problem]) -> list[tuple[Phase, str]]:
    out = []
    for path in sorted((root / "fasen").glob("*.md")):
        read = _read_head(root, path, PhaseHead, problems)
        if read is None:
            continue
        page, head, _ = read
        name = page.path
        _check_sections(
            page, PHASE_SECTIONS, ("Doel", "Divergeren en convergeren", "Producten"), problems
        )
        producten = (
            bullets(name, page.sections["Producten"], problems)
            if "Producten" in page.sections
            else []
        )
        out.append(
            (
                Phase(
                    **head.model_dump(),
                    doel=_section_text(page, "Doel"),
                    divergeren=_section_text(page, "Divergeren en convergeren"),
                    producten=tuple(producten),
                ),
                name,
            )
        )
    return out


def _load_tracks(root: Path, problems: list[Problem]) -> list[TrackPage]:
    out = []
    for path in sorted((root / "sporen").glob("*.md")):
        read = _read_head(root, path, TrackHead, problems, free_body=True)
        if read is None:
            continue
        page, head, text = read
        body = _free_body(text, page)
        out.append(TrackPage(id=head.id, title=head.title, body=body))
    return out


def _load_about(root: Path, problems: list[Problem]) -> str:
    path = root / "over.md"
    if not path.is_file():
        return ""
    read = _read_head(root, path, AboutHead, problems, free_body=True)
    if read is None:
        return ""
    page, _, text = read
    return _free_body(text, page)


def _load_law(root: Path, problems: list[Problem]) -> LawPage | None:
    """wetgeving.md (optional): an intro, then one `## ` section per topic, in the topics' order."""
    path = root / "wetgeving.md"
    if not path.is_file():
        return None
    read = _read_head(root, path, LawHead, problems, free_body=True)
    if read is None:
        return None
    page, head, text = read
    body = _free_body(text, page)
    intro = body.split("\n## ", 1)[0].strip() if not body.startswith("## ") else ""
    topics = []
    titles = {title: topic_id for topic_id, title in head.topics.items()}
    for title, section in page.sections.items():
        if title not in titles:
            problems.append(
                Problem(
                    page.path,
                    section.line,
                    1,
                    f"sectie '{title}' staat niet onder 'topics' in het voorwerk",
                )
            )
            continue
        if not section.text.strip():
            problems.append(Problem(page.path, section.line, 1, f"sectie '{title}' is leeg"))
        topics.append(LawTopic(titles[title], title, section.text.strip()))
    for topic_id, title in head.topics.items():
        if title not in page.sections:
            problems.append(
                Problem(
                    page.path,
                    page.body_line,
                    1,
                    f"onderwerp {topic_id!r}: sectie '## {title}' ontbreekt",
                )
            )
    return LawPage(head.title, head.checked.isoformat(), intro, tuple(topics))


def _load_knooppunten(root: Path, problems: list[Problem]) -> list[tuple[Knooppunt, PageFile]]:
    out = []
    for path in sorted((root / "knooppunten").rglob("*.md")):
        read = _read_head(root, path, KnooppuntHead, problems)
        if read is None:
            continue
        page, head, _ = read
        name = page.path
        _check_sections(page, KNOOPPUNT_SECTIONS, ("Doel", "Aanpak", "Tips", "Bronnen"), problems)
        tips = bullets(name, page.sections["Tips"], problems) if "Tips" in page.sections else []
        bronnen = (
            bullets(name, page.sections["Bronnen"], problems) if "Bronnen" in page.sections else []
        )
        k = Knooppunt(
            **head.model_dump(
                exclude={"stakeholders", "flags", "links", "sporen", "checked", "wetgeving"}
            ),
            sporen=tuple(sorted(set(head.sporen))),
            checked=head.checked.isoformat() if head.checked else "",
            wetgeving=tuple(head.wetgeving),
            stakeholders=tuple(head.stakeholders),
            flags=tuple(head.flags),
            links=tuple(head.links),
            doel=_section_text(page, "Doel"),
            aanpak=_section_text(page, "Aanpak"),
            tips=tuple(tips),
            bronnen=tuple(bronnen),
            praktijk=_section_text(page, "Uit de praktijk"),
            source=name,
        )
        out.append((k, page))
    return out
