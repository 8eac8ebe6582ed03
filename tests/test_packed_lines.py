"""Packed lines (tui/widgets/packed_lines.py): each line comes back as it went in, on its own."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style

from tui.widgets.packed_lines import line_count, pack_lines, unpack_line

STYLES = [None, Style(bold=True), Style(color="dark_orange", bold=True), Style(dim=True)]

segments = st.builds(
    lambda text, style: Segment(text, style), st.text(max_size=12), st.sampled_from(STYLES)
)
pages = st.lists(st.lists(segments, max_size=6), max_size=40)


@given(pages)
def test_every_line_unpacks_to_what_was_packed(lines) -> None:
    packed = pack_lines(lines)
    assert packed is not None
    assert line_count(packed) == len(lines)
    assert [unpack_line(packed, y) for y in range(len(lines))] == lines


def test_a_line_is_unpacked_without_reading_the_other_lines() -> None:
    lines = [[Segment(f"regel {y}", STYLES[y % 4])] for y in range(200)]
    packed = pack_lines(lines)
    assert packed is not None
    header = 4 * (len(lines) + 2)  # the count, then an offset per line and one for the end
    start, end = struct.unpack_from("<II", packed, 4 * 151)
    others_wiped = packed[:header] + bytes(start - header) + packed[start:end]
    assert unpack_line(others_wiped, 150) == lines[150]


def test_lines_with_control_codes_are_not_packed() -> None:
    assert pack_lines([[Segment("a"), Segment("", None, [(1,)])]]) is None
