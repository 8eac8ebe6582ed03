"""Warnings about a pack's pages: things that do not break it, but that a reader would notice.

`wijkkompas validate` prints them as `FILE:LINE:COL: waarschuwing: ...` and still exits
0. The app's page renderer knows a small Markdown subset (paragraphs, `-`/`*` and
`1.` lists, `*em*`, `**strong**`, `` `code` ``); anything else shows literally, so it
is named here with its line. Also: a knooppunt page without `sporen` letters or a
`checked` date, a page checked more than a year ago, and a practice story without
its `Bron:` line with a year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from ..problems import Problem

MAX_AGE_DAYS = 366

_UNSUPPORTED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s{0,3}#{1,6}\s"), "kop binnen een sectie"),
    (re.compile(r"^\s{0,3}>"), "citaatblok (>)"),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), "afbeelding"),
    (re.compile(r"(?<!!)\[[^\]]+\]\([^)]*\)"), "link [tekst](adres)"),
    (re.compile(r"^\s*\|.*\|\s*$"), "tabel"),
    (re.compile(r"^\s*(```|~~~)"), "codeblok"),
    (re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?>"), "HTML-tag"),
    (re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$"), "horizontale lijn"),
)
_SOURCE_LINE = re.compile(r"^Bron(nen)?:.*\b(19|20)\d\d\b")


def markdown_warnings(path: str, lines: Iterable[tuple[int, str]]) -> list[Problem]:
    """Markdown the page renderer does not support, one warning per line."""
    out = []
    for number, text in lines:
        for pattern, what in _UNSUPPORTED:
            m = pattern.search(text)
            if m:
                out.append(
                    Problem(
                        path,
                        number,
                        m.start() + 1,
                        f"waarschuwing: {what} wordt in de app letterlijk getoond",
                    )
                )
                break
    return out


def _body_lines(text: str) -> list[tuple[int, str]]:
    """The lines after the front matter, numbered as in the file; `## ` section heads left out."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return []
    return [(i + 1, line) for i, line in enumerate(lines) if i > end and not line.startswith("## ")]


def _front(text: str, key: str) -> tuple[int, str] | None:
    """A top-level front-matter key's line and raw value, read without a YAML parser."""
    for i, line in enumerate(text.splitlines()[1:], start=2):
        if line.strip() == "---":
            return None
        if line.startswith(f"{key}:"):
            return i, line.split(":", 1)[1].split("#", 1)[0].strip()
    return None


def _praktijk(text: str) -> tuple[int, list[str]] | None:
    """The 'Uit de praktijk' section: its heading line and its non-empty lines."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "## Uit de praktijk":
            body = []
            for other in lines[i + 1 :]:
                if other.startswith("## "):
                    break
                if other.strip():
                    body.append(other.strip())
            return i + 1, body
    return None


def knooppunt_warnings(path: str, text: str, today: dt.date) -> list[Problem]:
    """What a knooppunt page lacks: sporen, a recent `checked` date, a practice source."""
    out = []
    sporen = _front(text, "sporen")
    if sporen is None or sporen[1] in ("", "[]"):
        out.append(Problem(path, 1, 1, "waarschuwing: geen sporen (A-F) bij dit knooppunt"))
    checked = _front(text, "checked")
    if checked is None:
        out.append(
            Problem(path, 1, 1, "waarschuwing: geen 'checked'-datum (wanneer gecontroleerd)")
        )
    else:
        try:
            when = dt.date.fromisoformat(checked[1])
        except ValueError:
            when = None
        if when is not None and (today - when).days > MAX_AGE_DAYS:
            out.append(
                Problem(
                    path,
                    checked[0],
                    1,
                    f"waarschuwing: pagina is meer dan een jaar geleden gecontroleerd ({when})",
                )
            )
    praktijk = _praktijk(text)
    if praktijk is not None and praktijk[1] and not _SOURCE_LINE.match(praktijk[1][-1]):
        out.append(
            Problem(
                path,
                praktijk[0],
                1,
                "waarschuwing: 'Uit de praktijk' eindigt niet met een regel "
                "'Bron: organisatie — titel (jaar)'",
            )
        )
    return out


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def pack_warnings(root: Path, today: dt.date | None = None) -> list[Problem]:
    """Every warning for the pack at `root`, file by file in a stable order."""
    today = today or dt.date.today()
    out: list[Problem] = []
    files = [root / "over.md", root / "wetgeving.md"]
    for sub in ("fasen", "sporen", "knooppunten"):
        files += sorted((root / sub).rglob("*.md")) if (root / sub).is_dir() else []
    for file in files:
        if not file.is_file():
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the loader reports these as problems
        name = _shown(file)
        out += markdown_warnings(name, _body_lines(text))
        if file.parent.parent.name == "knooppunten" or file.parent.name == "knooppunten":
            out += knooppunt_warnings(name, text, today)
    return out
