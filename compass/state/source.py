"""A state file as read from disk, and a checked parse of it: no YAML library needed.

Why its own module: opening a project whose bytes were checked before
(`compass.state.cache`) needs only these, so the round-trip YAML machinery
(`state_read`, `state_check`, `state_edit`) stays off the start path until the first
parse or save.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..problems import Problem, ProblemsError

if TYPE_CHECKING:
    from .index import LineIndex
    from .models import ProjectState


class Fingerprint(NamedTuple):
    """What `StateStore.poll` compares to notice that someone else changed the file."""

    mtime_ns: int
    size: int
    ino: int


_new_tuple = tuple.__new__


def fingerprint(path: Path | str) -> Fingerprint | None:
    """The file's stat as `Fingerprint`, or None when it cannot be stat'ed.

    Built with `tuple.__new__`, not the NamedTuple's own `__new__` (a Python function):
    every session of a workshop calls this after every change, in a process that has
    been idle, where each Python call is a cache miss or several."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _new_tuple(Fingerprint, (st.st_mtime_ns, st.st_size, st.st_ino))


_ENDING = re.compile(r"\r\n|\r|\n")


# A NamedTuple, not a dataclass: no methods compiled at import, on every start.
class Source(NamedTuple):
    """The file as read: text with `\\n` line ends, and how to write it back the same way.

    Line ends are kept as they were: LF, CRLF or CR throughout, or, in a file that
    mixes them, each unchanged line keeps its own and a new or changed line takes
    the most common one.
    """

    raw: bytes
    text: str
    bom: bool = False
    ending: str = "\n"  # the most common line end
    mixed: tuple[str, ...] | None = None  # every line's own end, when the file mixes them

    @property
    def crlf(self) -> bool:
        return self.ending == "\r\n"

    def same_layout(self, raw: bytes, text: str) -> Source:
        """The source of a new version of this file, written by `encode`."""
        return Source(raw, text, self.bom, self.ending, _endings(raw, self.bom))

    def encode(self, text: str) -> bytes:
        if self.mixed is None:
            if self.ending != "\n":
                text = text.replace("\n", self.ending)
        else:
            text = self._keep_mixed(text)
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")

    def _keep_mixed(self, text: str) -> str:
        old = self.text.split("\n")
        new = text.split("\n")
        ends = [self.ending] * len(new)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    if i1 + k < len(self.mixed or ()):
                        ends[j1 + k] = (self.mixed or ())[i1 + k]
        return "".join(line + (ends[i] if i < len(new) - 1 else "") for i, line in enumerate(new))


def _endings(raw: bytes, bom: bool) -> tuple[str, ...] | None:
    """Every line's end, when a file mixes kinds; None when it uses one kind (or none)."""
    text = raw.decode("utf-8", "replace")
    found = _ENDING.findall(text)
    return tuple(found) if len(set(found)) > 1 else None


def split_endings(text: str) -> tuple[str, str, tuple[str, ...] | None]:
    """(text with `\\n` ends, the most common end, every end if they are mixed)."""
    if "\r" not in text:  # only `\n` ends (or none): nothing to count or replace
        return text, "\n", None
    found = _ENDING.findall(text)
    counts = Counter(found)
    dominant = max(("\n", "\r\n", "\r"), key=lambda e: counts.get(e, 0))
    mixed = tuple(found) if len(counts) > 1 else None
    return _ENDING.sub("\n", text), dominant, mixed


def read_source(path: Path, name: str) -> Source:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProblemsError(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"bestand niet gevonden; maak het met: wijkkompas new {name} --name NAAM",
                )
            ]
        ) from None
    except IsADirectoryError:
        raise ProblemsError(
            [Problem(name, None, None, "is een map, geen projectbestand")]
        ) from None
    except OSError as exc:
        raise ProblemsError(
            [Problem(name, None, None, f"kan niet lezen: {exc.strerror or exc}")]
        ) from None
    return decode_source(raw, name)


def decode_source(raw: bytes, name: str) -> Source:
    """The bytes of a state file as a `Source` (also a version read from git); a problem
    with its position when they are not UTF-8 text."""
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        col = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ProblemsError(
            [Problem(name, line, col, "geen geldige UTF-8-tekst; sla het bestand op als UTF-8")]
        ) from None
    text, ending, mixed = split_endings(text)
    return Source(raw, text, bom=body is not raw, ending=ending, mixed=mixed)


def guess_indent(text: str) -> int:
    """The mapping indent a person used (2 in files we write), so a save keeps it."""
    prev_opens = False
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if prev_opens and indent > 0 and not stripped.startswith("- "):
            return min(indent, 8)
        prev_opens = indent == 0 and stripped.rstrip().endswith(":")
    return 2


@dataclass
class Parsed:
    """A checked file: its bytes, its state, and what a next save can reuse.

    `doc` is the ruamel document of exactly these bytes, or None after a fast save
    (which changes the text, not the document); `index` is where each knooppunt's
    lines are (`compass.state.index`), None when the file has no usable layout.
    The store keeps the last one and never changes it in place.
    """

    source: Source
    doc: Any
    state: ProjectState
    indent: int = 2
    index: LineIndex | None = None
