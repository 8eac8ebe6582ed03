"""A page's lines in one bytes object, each line unpacked on its own.

Why bytes: the workshop's zygote renders every page ahead and its sessions share them.
Kept as segments they cost every session +2.4 MiB (replaying shared objects writes their
reference counts, which copies their memory pages into the session); one bytes object per
page is read, never written. Why per line: showing a page then unpacks the ~20 lines drawn,
not its ~160.

Layout: the number of lines n, then n + 1 offsets (unsigned 32-bit, little-endian), then
each line as a marshalled tuple (text, style number, text, style number, ...).
"""

from __future__ import annotations

import marshal
import struct
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style

_WORD = struct.Struct("<I")
_PAIR = struct.Struct("<II")

# The styles in packed lines, by number (one list per process: few distinct styles).
_styles: list[Style | None] = []
_numbers: dict[Style | None, int] = {}


def _number(style: Style | None) -> int:
    number = _numbers.get(style)
    if number is None:
        number = _numbers[style] = len(_styles)
        _styles.append(style)
    return number


def pack_lines(lines: Sequence[Sequence[Segment]]) -> bytes | None:
    """The lines packed; None for lines with control codes (not kept ahead)."""
    chunks: list[bytes] = []
    for line in lines:
        flat: list[str | int] = []
        for text, style, control in line:
            if control is not None:
                return None
            flat += (text, _number(style))
        chunks.append(marshal.dumps(tuple(flat)))
    offset = _WORD.size * (len(chunks) + 2)
    offsets = [offset]
    for chunk in chunks:
        offset += len(chunk)
        offsets.append(offset)
    header = struct.pack(f"<{len(offsets) + 1}I", len(chunks), *offsets)
    return header + b"".join(chunks)


def line_count(packed: bytes) -> int:
    """How many lines `packed` holds (nothing is unpacked)."""
    count: int = _WORD.unpack_from(packed)[0]
    return count


def unpack_line(packed: bytes, y: int) -> list[Segment]:
    """Line `y` of `packed`, and only that line."""
    start, end = _PAIR.unpack_from(packed, _WORD.size * (y + 1))
    flat = marshal.loads(packed[start:end])
    styles = _styles
    return [Segment(flat[i], styles[flat[i + 1]]) for i in range(0, len(flat), 2)]
