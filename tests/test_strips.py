"""flat_strip: the same line in fewer pieces, and never a different look."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.widgets.strips import flat_strip

BG = Style(bgcolor="grey11")
TEXT = Style(color="grey89", bgcolor="grey11")
BOLD = Style(color="grey89", bgcolor="grey11", bold=True)


def test_pieces_that_look_the_same_become_one() -> None:
    strip = Strip([Segment("Doel", TEXT), Segment(" en ", TEXT), Segment("aanpak", TEXT)])
    flat = flat_strip(strip)
    assert list(flat) == [Segment("Doel en aanpak", TEXT)]
    assert flat.cell_length == strip.cell_length


def test_spaces_join_the_text_beside_them_when_the_background_is_the_same() -> None:
    strip = Strip([Segment(" ", BG), Segment("Titel", BOLD), Segment("     ", BG)])
    assert list(flat_strip(strip)) == [Segment(" Titel     ", BOLD)]


def test_a_different_look_stays_apart() -> None:
    other_bg = Style(color="grey89", bgcolor="blue")
    underlined = Style(bgcolor="grey11", underline=True)
    strip = Strip([Segment("a", TEXT), Segment("b", other_bg), Segment("  ", underlined)])
    assert list(flat_strip(strip)) == list(strip)


def test_what_a_mouse_finds_is_kept_apart_when_asked() -> None:
    one, two = Style(meta={"line": 1}) + TEXT, Style(meta={"line": 2}) + TEXT
    strip = Strip([Segment("x", one), Segment("y", two)])
    assert len(list(flat_strip(strip, meta=True))) == 2
    assert len(list(flat_strip(strip))) == 1


def test_a_line_with_control_codes_is_left_alone() -> None:
    strip = Strip([Segment("a", TEXT), Segment("", None, [(1,)]), Segment("b", TEXT)])
    assert flat_strip(strip) is strip
