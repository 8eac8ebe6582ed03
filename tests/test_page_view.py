"""The page in the pane (tui/widgets/page_view.py): drawn as a Static drew it, a line at a time.

A `Static` turned every line of a page into a strip on each change of page; the
`PageView` turns only the lines drawn. These tests pin both halves: what is drawn is
line for line what the Static drew, and what is not drawn is not styled.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from compass.pack import load_pack
from compass.state import create_state
from tests.test_english import screen_text
from tests.test_tui import until
from tui.app import WijkkompasApp
from tui.widgets import page_view
from tui.widgets.detail import DetailPane, PageScroll, PageText
from tui.widgets.page import RenderedPage, shown_page
from tui.widgets.page_view import PageView

SIZE = (80, 24)
SETTLE = 0.25

# as the pane styles its page (wijkkompas.tcss), with a background and a colour of its own
CSS = """
.page { padding: 0 1; background: #1e2a38; color: #d8dee9; }
.page.-narrow { width: 30; }
"""


@pytest.fixture(scope="module")
def pack():
    return load_pack(use_cache=False)


class SideBySide(App[None]):
    """The page twice: in the Static the pane used to show it in, and in a PageView."""

    CSS = CSS

    def __init__(self, page: RenderedPage, narrow: bool = False) -> None:
        super().__init__()
        self.page, self.narrow = page, narrow

    def compose(self) -> ComposeResult:
        classes = "page -narrow" if self.narrow else "page"
        yield PageText(self.page.renderable, id="static", classes=classes)
        yield PageView(id="view", classes=classes)

    def on_mount(self) -> None:
        self.query_one(PageView).show(self.page)


def drawn(widget) -> list[list]:
    """Every line of `widget`, as the screen gets it."""
    return [list(strip) for strip in widget.render_lines(Region(0, 0, *widget.size))]


@pytest.mark.parametrize("narrow", [False, True])
async def test_the_page_is_drawn_line_for_line_as_the_static_drew_it(pack, narrow) -> None:
    pages = [
        shown_page(pack, "k", 42),
        shown_page(pack, "k", pack.knooppunten[-1].number),
        shown_page(pack, "phase", 3),
        shown_page(pack, "track", 0, "sociaal"),
        shown_page(pack, "about"),
    ]
    for page in pages:
        app = SideBySide(page, narrow)
        async with app.run_test(size=(60, 400)) as pilot:
            await pilot.pause()
            static, view = app.query_one("#static"), app.query_one("#view")
            assert view.size == static.size and view.size.height > 20
            assert drawn(view) == drawn(static)


async def test_a_clickable_piece_takes_the_link_style_as_in_a_static() -> None:
    """Our pages have no click actions, but the widget styles one as Textual does."""
    click = Style(meta={"@click": "app.bell"})
    page = RenderedPage(
        lambda: Group(Text("klik hier", style=click), Text("en hier niet"), Text("x\ty"))
    )
    app = SideBySide(page)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert drawn(app.query_one("#view")) == drawn(app.query_one("#static"))


@pytest.fixture
def state_file(tmp_path: Path, pack) -> Path:
    path = tmp_path / "wijkkompas.yaml"
    create_state(path, pack, name="Testwijk", gemeente="Teststad")
    return path


async def open_page(pilot, number: int) -> PageView:
    """Go to knooppunt `number` (g, digits, enter) and wait until its page is drawn."""
    await pilot.press("g", *str(number), "enter")
    app = pilot.app
    detail = app.screen.query_one(DetailPane)
    await until(pilot, lambda: detail._page_for == number and detail._page_timer is None)
    await pilot.pause(SETTLE)
    return app.screen.query_one("#page", PageView)


async def test_only_the_lines_drawn_are_turned_into_strips(pack, state_file, monkeypatch) -> None:
    styled_lines: list[int] = []
    styled = page_view.styled

    def counting(line, base, link):
        styled_lines.append(len(line))
        return styled(line, base, link)

    monkeypatch.setattr(page_view, "styled", counting)
    app = WijkkompasApp(pack, state_file, start_at=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(SETTLE)
        styled_lines.clear()
        view = await open_page(pilot, 42)
        visible = app.screen.query_one(PageScroll).size.height
        assert view.size.height > 4 * visible  # a long page ...
        assert 0 < len(styled_lines) <= visible  # ... of which only what shows is styled
        await pilot.press("tab")  # into the page: it gets the room, and is drawn again
        await pilot.pause(SETTLE)
        assert len(styled_lines) <= 3 * visible


async def test_the_page_fills_the_pane_and_scrolls_to_its_last_line(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file, start_at=1)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_page(pilot, 42)
        lines = view.lines(view.size.width)
        assert view.size.height == len(lines)  # the layout knows the page's whole height
        first = "".join(segment.text for segment in lines[0]).strip()
        last = "".join(segment.text for segment in lines[len(lines) - 1]).strip()
        shown = screen_text(app)
        assert first in shown and last not in shown and "↓ meer" in shown
        app.screen.query_one(DetailPane).read()
        await pilot.press("end")
        await pilot.pause(SETTLE)
        shown = screen_text(app)
        assert last in shown and first not in shown and "↓ meer" not in shown
        assert "Zie ook" in shown  # the links under the page
        await pilot.press("home")
        await pilot.pause(SETTLE)
        assert first in screen_text(app) and "↓ meer" in screen_text(app)


async def test_page_down_draws_the_next_lines(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file, start_at=1)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_page(pilot, 42)
        app.screen.query_one(DetailPane).read()
        await pilot.pause(SETTLE)
        scroll = app.screen.query_one(PageScroll)
        lines = view.lines(view.size.width)
        await pilot.press("pagedown")
        await pilot.pause(SETTLE)
        top = scroll.region.y - view.region.y  # the page's first line on screen
        assert top > scroll.size.height // 2
        shown = screen_text(app)
        for y in (top, top + scroll.size.height // 2):
            wanted = max((segment.text.strip() for segment in lines[y]), key=len)
            assert wanted and wanted in shown


async def test_a_resize_wraps_the_page_again_at_the_new_width(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file, start_at=1)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_page(pilot, 42)
        narrow_width, narrow_height = view.size
        await pilot.resize_terminal(120, 30)
        await pilot.pause(SETTLE)
        assert view.size.width > narrow_width and view.size.height < narrow_height
        lines = view.lines(view.size.width)
        assert view.size.height == len(lines)
        whole = [list(s) for s in view.render_lines(Region(0, 0, *view.size))]
        assert len(whole) == len(lines)
        longest = max(sum(len(segment.text) for segment in line) for line in lines)
        assert longest > narrow_width  # the lines are as long as the new width allows
        await pilot.resize_terminal(*SIZE)
        await pilot.pause(SETTLE)
        assert view.size == (narrow_width, narrow_height)


async def test_a_click_in_the_page_reads_it_and_a_click_on_a_link_follows_it(
    pack, state_file
) -> None:
    from tui.widgets.detail import LinkList

    app = WijkkompasApp(pack, state_file, start_at=1)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, 42)
        await pilot.click("#page", offset=(3, 2))
        await pilot.pause(SETTLE)
        assert app.screen.focused is app.screen.query_one(PageScroll)  # reading the page
        await pilot.press("end")
        await pilot.pause(SETTLE)
        links = app.screen.query_one(LinkList)
        target = links.get_option_at_index(0).id
        await pilot.click(LinkList, offset=(4, 0))
        await pilot.pause(SETTLE)
        detail = app.screen.query_one(DetailPane)
        assert await until(pilot, lambda: detail._page_for == int(target))
        assert str(target) in screen_text(app)


def test_a_rendered_page_leaves_no_words_in_richs_width_cache(pack) -> None:
    """Wrapping measures every word of a page; the lines are kept, so Rich's cache of widths
    (`cached_cell_len`) is let go of them."""
    from rich.cells import cached_cell_len, cell_len
    from rich.console import Console

    console = Console(width=60, color_system=None)
    cell_len("warm")
    page = shown_page(pack, "k", pack.knooppunten[0].number)
    lines = page.lines(console, console.options)
    assert len(lines) > 20
    assert cached_cell_len.cache_info().currsize == 0
