"""The navigator, driven key by key through Textual's Pilot, on a real state file.

Each test is one thing a person does; the state file on disk is checked afterwards.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from rich.style import Style
from ruamel.yaml import YAML
from textual.geometry import Region
from textual.widgets import Static

from compass.pack import load_pack
from compass.state import StateStore, create_state
from tui.app import WijkkompasApp
from tui.commands import NAVIGATOR_COMMANDS
from tui.screens.navigator import NavigatorScreen
from tui.widgets.detail import DetailPane
from tui.widgets.footer import KeyFooter
from tui.widgets.process_tree import ProcessTree

SIZE = (80, 24)
SETTLE = 0.25  # longer than the detail debounce


@pytest.fixture(scope="module")
def pack():
    return load_pack(use_cache=False)


@pytest.fixture
def state_file(tmp_path: Path, pack) -> Path:
    path = tmp_path / "wijkkompas.yaml"
    create_state(path, pack, name="Testwijk", gemeente="Teststad")
    return path


async def until(pilot, condition, timeout: float = 5.0) -> bool:
    """Wait (in app time) until `condition()` holds; a loaded machine may need longer than
    SETTLE."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def started(pilot) -> None:
    """Wait until the app is up: a focused widget, and on the navigator a page shown."""
    app = pilot.app
    await until(
        pilot,
        lambda: (
            app.screen.focused is not None
            and (not isinstance(app.screen, NavigatorScreen) or shown(app) is not None)
        ),
    )
    await pilot.pause()


OPENERS = {"s", "n", "o", "p", "B", "v", "a", "m", "r", "question_mark", "ctrl+p"}


async def press(pilot, *keys: str) -> None:
    """Press keys like a person: one at a time, and after a key that opens a dialog,
    wait until the dialog is really there (on a loaded machine that takes a moment)."""
    for key in keys:
        before = pilot.app.screen
        await pilot.press(key)
        await pilot.pause()
        if key in OPENERS and isinstance(before, NavigatorScreen):
            await until(
                pilot,
                lambda before=before: (
                    pilot.app.screen is not before and pilot.app.screen.focused is not None
                ),
            )
            await pilot.pause()


def on_disk(path: Path, slug: str) -> dict:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data["knooppunten"][slug]


def nav(app) -> NavigatorScreen:
    screen = app.screen
    assert isinstance(screen, NavigatorScreen), screen
    return screen


def shown(app) -> int | None:
    return app.screen.query_one(DetailPane).number


async def test_starts_on_first_knooppunt_with_project_in_title(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: shown(app) == 1)
        assert "Testwijk" in str(app.screen.query_one("#title").render())


async def test_cursor_keys_move_and_page_follows(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.screen.query_one(ProcessTree)
        start = tree.cursor_line
        await press(pilot, "j", "j", "down")
        await pilot.pause(SETTLE)
        assert tree.cursor_line == start + 3
        assert shown(app) == tree.current_number()
        await press(pilot, "k", "up")
        await pilot.pause(SETTLE)
        assert tree.cursor_line == start + 1


async def test_goto_by_number_and_by_title(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "g", "4", "2", "enter")
        await pilot.pause(SETTLE)
        assert shown(app) == 42
        assert app.screen.query_one(ProcessTree).current_number() == 42
        title = pack.by_number(63).title
        await press(pilot, "g", *title[:12].lower(), "enter")
        await pilot.pause(SETTLE)
        assert shown(app) == 63


async def test_goto_asks_in_the_footer_line_and_takes_keys_typed_right_after_g(
    pack, state_file
) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        footer = app.screen.query_one(KeyFooter)
        tree = app.screen.query_one(ProcessTree)
        await pilot.press(
            "g", "q", "x"
        )  # fast, as a person types: nothing quits, it is all the answer
        assert footer.prompt is not None and footer.prompt.query == "qx"
        assert (
            app.is_running and app.screen.focused is tree
        )  # the line takes the keys, not the focus
        await pilot.press(
            "backspace", "backspace", *"gemeente"
        )  # `g` inside the answer is a letter
        assert footer.prompt.query == "gemeente" and len(footer.prompt.hits) > 1
        first = footer.prompt.current
        await pilot.press("down")
        assert footer.prompt.current is not first
        await pilot.press("up")
        assert footer.prompt.current is first
        await pilot.press("escape")
        await pilot.pause()
        assert footer.prompt is None and app.screen.focused is tree
        before = shown(app)
        await pilot.press("g", "z", "z", "z", "z", "enter")  # no match: Enter does nothing
        assert footer.prompt is not None and shown(app) == before
        await pilot.press("escape")
        await pilot.press("g", "1", "2", "enter")
        await pilot.pause(SETTLE)
        assert shown(app) == 12 and footer.prompt is None and app.screen.focused is tree


async def test_search_full_text_and_history(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "slash", *"netcongestie")
        await pilot.pause(SETTLE)
        first_hit = app.index.search("netcongestie")[0].knooppunt.number
        await press(pilot, "enter")
        await pilot.pause(SETTLE)
        assert shown(app) == first_hit
        await press(pilot, "g", "7", "0", "enter")
        await pilot.pause(SETTLE)
        await press(pilot, "left_square_bracket")
        await pilot.pause(SETTLE)
        assert shown(app) == first_hit
        await press(pilot, "left_square_bracket")
        await pilot.pause(SETTLE)
        assert shown(app) == 1
        await press(pilot, "right_square_bracket", "right_square_bracket")
        await pilot.pause(SETTLE)
        assert shown(app) == 70


async def test_status_dialog_saves_to_file(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    slug = pack.by_number(1).slug
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "s", "3")  # 3 = afgerond
        await pilot.pause(SETTLE)
        assert on_disk(state_file, slug)["status"] == "done"
        label = app.screen.query_one(ProcessTree)._knoop_nodes[1].label
        assert str(label).startswith("●")


async def test_status_dialog_owner_and_due_date(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    slug = pack.by_number(1).slug
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "s", "down", "tab", *"Fatima", "tab", *"2027-02-30", "enter")
        await pilot.pause(SETTLE)
        assert "bestaat niet" in str(app.screen.query_one("#error").render())
        await press(pilot, *["backspace"] * 2, "2", "8", "enter")
        await pilot.pause(SETTLE)
        entry = on_disk(state_file, slug)
        assert (
            entry["status"] == "doing"
            and entry["owner"] == "Fatima"
            and str(entry["due"]) == "2027-02-28"
        )


async def test_escape_cancels_status(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    before = state_file.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "s", "down", "escape")
        await pilot.pause(SETTLE)
        assert isinstance(app.screen, NavigatorScreen)
    assert state_file.read_bytes() == before


async def test_note_editor_saves_multiline_note(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    slug = pack.by_number(1).slug
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "n", *"Besluit: eerst", "enter", *"bewonersavond [buurt]", "ctrl+s")
        await pilot.pause(SETTLE)
    assert on_disk(state_file, slug)["note"] == "Besluit: eerst\nbewonersavond [buurt]"


async def test_bookmark_toggle_and_bookmarks_list(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "g", "1", "2", "enter")
        await pilot.pause(SETTLE)
        await press(pilot, "b")
        await pilot.pause(SETTLE)
        assert on_disk(state_file, pack.by_number(12).slug)["bookmark"] is True
        await press(pilot, "g", "3", "0", "enter")
        await pilot.pause(SETTLE)
        await press(pilot, "B")
        await pilot.pause(SETTLE)
        await press(pilot, "enter")
        await pilot.pause(SETTLE)
        assert shown(app) == 12
        await press(pilot, "b")
        await pilot.pause(SETTLE)
        assert not on_disk(state_file, pack.by_number(12).slug).get("bookmark")


async def test_overview_cell_filters_tree(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "o")
        await pilot.pause(SETTLE)
        await press(pilot, "down", "right", "enter")  # fase 2, technisch
        await pilot.pause(SETTLE)
        tree = app.screen.query_one(ProcessTree)
        visible = set(tree._knoop_nodes)
        assert visible == {k.number for k in pack.in_phase(2, "technisch")}
        assert "Fase 2" in str(app.screen.query_one("#title").render())


async def test_party_filter(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "p")
        await pilot.pause(SETTLE)
        ids = list(pack.stakeholders)
        await press(pilot, *["down"] * (ids.index("netbeheerder") + 1), "enter")
        await pilot.pause(SETTLE)
        tree = app.screen.query_one(ProcessTree)
        assert set(tree._knoop_nodes) == {
            k.number for k in pack.knooppunten if "netbeheerder" in k.stakeholders
        }
        await press(pilot, "p", "enter")  # first option: all parties
        await pilot.pause(SETTLE)
        assert len(tree._knoop_nodes) == len(pack.knooppunten)


async def test_help_lists_every_command(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "question_mark")
        await pilot.pause(SETTLE)
        table = app.screen.query_one("#help-table").content
        text = "".join(seg.text for seg in app.console.render(table))
        for c in NAVIGATOR_COMMANDS:
            assert c.label in text and c.display in text
        await press(pilot, "escape")
        await pilot.pause()
        assert isinstance(app.screen, NavigatorScreen)


async def test_footer_and_bindings_come_from_the_same_declarations(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        ids = {active.binding.id for active in app.active_bindings.values()}
        hidden = {"follow", "clear_filter"}  # outside a workshop; without a filter
        assert {c.id for c in NAVIGATOR_COMMANDS if c.id not in hidden} <= ids
        assert "follow" not in ids  # follow mode exists only in a workshop
        footer = set(app.screen.query_one(KeyFooter).descriptions)
        assert {c.label for c in NAVIGATOR_COMMANDS if c.footer} <= footer


async def test_without_a_state_file_recording_commands_are_dimmed(pack) -> None:
    app = WijkkompasApp(pack, None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        enabled = {a.binding.id: a.enabled for a in app.active_bindings.values()}
        for command in ("status", "note", "bookmark", "perspective", "report"):
            assert enabled[command] is False, command
        assert enabled["goto"] and enabled["search"] and enabled["overview"]
        assert "follow" not in enabled
        await press(pilot, "s")
        await pilot.pause(SETTLE)
        assert isinstance(app.screen, NavigatorScreen)  # a dimmed key opens nothing


async def test_a_click_on_a_footer_key_presses_that_key(pack, state_file) -> None:
    from tui.widgets.search_prompt import SearchPrompt

    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        footer = app.screen.query_one(KeyFooter)
        start, _end, _key, _enabled = next(k for k in footer.key_spans() if k[2] == "slash")
        await pilot.click(KeyFooter, offset=(start + 1, 0))
        assert await until(pilot, lambda: isinstance(footer.prompt, SearchPrompt))


def pieces(lines) -> list[list]:
    """What a widget's lines send: their pieces, text and style."""
    return [list(line) for line in lines]


async def test_footer_keys_come_back_after_goto_as_drawn_before_it(
    pack, state_file, monkeypatch
) -> None:
    """The keys are drawn once for what they are and how they look: after go-to's question
    the lines drawn before it come back; other keys (a command dimmed) or another theme are
    drawn anew, as Textual draws them."""
    from tui.textual_compat import SameLines

    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        footer = app.screen.query_one(KeyFooter)
        crop = footer.size.region
        before = footer.render_lines(crop)
        await press(pilot, "g", "4", "5")
        assert footer.prompt is not None
        assert "45" in "".join(s.text for s in footer.render_lines(crop)[0])
        drawn = []
        render = KeyFooter.render

        def counted(self: KeyFooter):
            drawn.append(self)
            return render(self)

        monkeypatch.setattr(KeyFooter, "render", counted)
        await press(pilot, "enter")
        assert await until(pilot, lambda: shown(app) == 45)
        assert footer.prompt is None
        assert footer.render_lines(crop) is before and not drawn
        monkeypatch.undo()

        monkeypatch.setattr(
            NavigatorScreen,
            "check_action",
            lambda self, action, _: None if action == "search" else True,
        )
        app.screen.refresh_bindings()
        await pilot.pause()
        dimmed = footer.render_lines(crop)
        assert pieces(dimmed) != pieces(before)
        search = next(k for k in footer.key_spans() if k[2] == "slash")
        assert search[3] is False  # the click finds it dimmed too
        monkeypatch.undo()
        app.screen.refresh_bindings()
        await pilot.pause()
        assert footer.render_lines(crop) is before

        app.theme = "textual-light"
        await pilot.pause()
        light = footer.render_lines(crop)
        footer.refresh()
        assert pieces(light) != pieces(before)
        assert pieces(light) == pieces(SameLines.draw_lines(footer, crop))  # Textual's own


async def test_a_record_shown_before_is_not_drawn_again(pack, state_file) -> None:
    """Coming back to a knooppunt shows the lines its record block was drawn in; a changed
    record is drawn anew."""
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        record = app.screen.query_one("#record", Static)

        async def record_at(number: int) -> list:
            await press(pilot, "g", *str(number), "enter")
            assert await until(pilot, lambda: shown(app) == number)
            await pilot.pause(SETTLE)
            return record.render_lines(record.size.region)

        twelve = await record_at(12)
        forty_five = await record_at(45)
        assert pieces(forty_five) != pieces(twelve)
        assert await record_at(12) is twelve
        await press(pilot, "s", "3")  # afgerond
        await pilot.pause(SETTLE)
        done = record.render_lines(record.size.region)
        assert done is not twelve and pieces(done) != pieces(twelve)


async def test_palette_jumps_to_knooppunt(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    title = pack.by_number(55).title
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "ctrl+p", *f"55. {title[:10]}")
        await pilot.pause(0.6)
        await press(pilot, "enter")
        await pilot.pause(SETTLE)
        assert shown(app) == 55


async def test_outside_change_is_picked_up_without_losing_place(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "g", "2", "0", "enter")
        await pilot.pause(SETTLE)
        await press(pilot, "s")  # a dialog is open while someone else writes
        await pilot.pause(SETTLE)
        StateStore(state_file, pack, user="collega").update(
            pack.by_number(20).slug, status="stuck", owner="Collega"
        )
        assert await until(
            pilot, lambda: app.state.entry(pack.by_number(20).slug).status == "stuck", timeout=3.0
        )
        assert app.screen.__class__.__name__ == "StatusDialog"
        await press(pilot, "escape")
        await pilot.pause(SETTLE)
        assert shown(app) == 20
        assert str(app.screen.query_one(ProcessTree)._knoop_nodes[20].label).startswith("✗")
        assert "Collega" in str(app.screen.query_one("#record").render())


async def test_missing_state_offers_to_create_it(pack, tmp_path: Path) -> None:
    path = tmp_path / "nieuw.yaml"
    app = WijkkompasApp(pack, path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, *"Rozendaal", "tab", *"Noord", "tab", *"Leusden", "enter")
        await pilot.pause(SETTLE)
        assert path.exists()
        project = YAML(typ="safe").load(path.read_text(encoding="utf-8"))["project"]
        assert (project["name"], project["wijk"], project["gemeente"]) == (
            "Rozendaal",
            "Noord",
            "Leusden",
        )
        assert isinstance(app.screen, NavigatorScreen)
        assert "Rozendaal" in str(app.screen.query_one("#title").render())


async def test_quit(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "q")
        await pilot.pause()
    assert app.return_code == 0


async def test_markup_in_note_is_shown_literally(pack, state_file) -> None:
    StateStore(state_file, pack).update(
        pack.by_number(1).slug, note="[bold]niet vet[/bold] en [link]"
    )
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(
            pilot,
            lambda: (
                "[bold]niet vet[/bold] en [link]" in str(app.screen.query_one("#record").render())
            ),
        )


async def test_perspective_is_recorded_per_role(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    slug = pack.by_number(1).slug
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "v", "enter")  # first role: gemeente
        assert await until(pilot, lambda: getattr(app.screen.focused, "id", None) == "statuses")
        await press(pilot, "down", "down", "enter")  # afgerond
        assert await until(pilot, lambda: isinstance(app.screen, NavigatorScreen))
    assert on_disk(state_file, slug)["perspectives"] == {"gemeente": "done"}


async def test_report_key_writes_report_beside_state(pack, state_file) -> None:
    """`r` asks HTML or Markdown; here Markdown (the second answer)."""
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "r")
        from tui.screens.confirm import ChoiceDialog

        assert isinstance(app.screen, ChoiceDialog)
        await press(pilot, "down", "enter")
        await pilot.pause(SETTLE)
        assert isinstance(app.screen, NavigatorScreen)  # nothing to open it with: a message
    report = state_file.with_name("wijkkompas-rapport.md")
    assert report.exists() and "Testwijk" in report.read_text(encoding="utf-8")


async def test_report_is_html_by_default_and_offered_to_open(pack, state_file, monkeypatch) -> None:
    opened: list = []
    monkeypatch.setattr("tui.opener.find_opener", lambda: "/usr/bin/xdg-open")
    monkeypatch.setattr("tui.opener.open_file", lambda opener, path: opened.append(path))
    app = WijkkompasApp(pack, state_file)
    app.external_editor_allowed = True  # the user's own terminal (tui.run)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "r", "enter")  # the first answer: HTML
        assert await until(
            pilot, lambda: "wijkkompas-rapport.html" in getattr(app.screen, "question", "")
        )
        report = state_file.with_name("wijkkompas-rapport.html")
        assert report.exists() and "<html" in report.read_text(encoding="utf-8")
        await press(pilot, "enter")  # "Openen"
        await pilot.pause(SETTLE)
    assert opened == [report]


async def test_a_workshop_never_opens_the_report(pack, state_file, monkeypatch) -> None:
    from tui.workshop.session import WorkshopApp

    opened: list = []
    monkeypatch.setattr("tui.opener.find_opener", lambda: "/usr/bin/xdg-open")
    monkeypatch.setattr("tui.opener.open_file", lambda opener, path: opened.append(path))
    app = WorkshopApp(pack, state_file, user="anna")
    app.external_editor_allowed = True  # even so: a workshop session starts no program
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: app.screen.focused is not None)
        await press(pilot, "escape")  # the welcome: choose a role later
        assert await until(pilot, lambda: isinstance(app.screen, NavigatorScreen))
        await started(pilot)
        await press(pilot, "r", "enter")
        await pilot.pause(SETTLE)
        assert isinstance(app.screen, NavigatorScreen)  # no question to open it
    assert state_file.with_name("wijkkompas-rapport.html").exists()
    assert opened == []


async def test_phase_and_spoor_nodes_show_their_own_page(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.screen.query_one(ProcessTree)
        tree.move_cursor(tree._group_nodes[(2, "")])
        await pilot.pause(SETTLE)
        text = page_text(app)
        assert f"Fase 2: {pack.phase(2).title}" in text and "Divergeren en convergeren" in text
        assert shown(app) is None
        await pilot.press("s")  # no knooppunt chosen: a hint, no dialog
        await pilot.pause()
        assert isinstance(app.screen, NavigatorScreen)
        await press(pilot, "i")
        await pilot.pause(SETTLE)
        assert "onafhankelijk" in page_text(app).lower()


def page_text(app) -> str:
    """The text of the page the pane shows (rendered at the console's width)."""
    page = app.screen.query_one("#page").page
    return " ".join("".join(seg.text for seg in app.console.render(page.renderable)).split())


async def test_w_shows_the_law_page_and_a_knooppunt_links_to_it(pack, state_file) -> None:
    from tui.widgets.detail import LinkList

    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "w")
        assert await until(pilot, lambda: "Wet- en regelgeving, stand" in page_text(app))
        await press(pilot, "g", "7", "0", "enter")
        assert await until(pilot, lambda: shown(app) == 70)
        await pilot.pause(SETTLE)
        assert "Wet- en regelgeving:" in page_text(app)
        links = app.screen.query_one(LinkList)
        index = next(
            i for i in range(links.option_count) if links.get_option_at_index(i).id == "law"
        )
        links.focus()
        links.highlighted = index
        await press(pilot, "enter")
        assert await until(pilot, lambda: "Wet- en regelgeving, stand" in page_text(app))


async def test_shift_s_filters_the_tree_on_a_spoor_letter(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "S")
        await pilot.pause(SETTLE)
        await press(pilot, *["down"] * 5, "enter")  # Alle sporen, A, B, C, D, E
        await pilot.pause(SETTLE)
        tree = app.screen.query_one(ProcessTree)
        e = [k.number for k in pack.knooppunten if "E" in k.sporen]
        assert all(tree.has(n) for n in e)
        assert not any(tree.has(k.number) for k in pack.knooppunten if "E" not in k.sporen)
        assert "E" in app.screen.filter_label


async def test_escape_clears_a_filter_and_the_header_shows_it_first(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        ids = {a.binding.id for a in app.active_bindings.values()}
        assert "clear_filter" not in ids  # nothing to clear yet
        await press(pilot, "p")
        await pilot.pause(SETTLE)
        await press(pilot, "down", "down", "enter")  # a party
        await pilot.pause(SETTLE)
        title = str(app.screen.query_one("#title").render())
        assert "filter" in title.lower() and title.index("filter") < 40
        assert "clear_filter" in {a.binding.id for a in app.active_bindings.values()}
        await press(pilot, "escape")
        await pilot.pause(SETTLE)
        assert app.screen.filter_label == ""
        tree = app.screen.query_one(ProcessTree)
        assert all(tree.has(k.number) for k in pack.knooppunten)


async def test_an_overdue_due_date_is_marked_on_the_page(pack, state_file) -> None:
    StateStore(state_file, pack).update(1, due="2020-01-01", owner="Fatima")
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        record = str(app.screen.query_one("#record").render())
        assert "2020-01-01 (te laat)" in record


def test_go_to_offers_only_titles_that_start_with_what_was_typed(pack) -> None:
    from tui.widgets.goto_prompt import GotoPrompt

    prompt = GotoPrompt(WijkkompasApp(pack, None).index, lambda number: None)
    prompt.query = "draag"
    prompt._match()
    assert [k.title for k in prompt.hits] == ["Draagvlak bij huurders peilen"]
    prompt.query = "zzqx"  # nothing starts with it: the loose match may still help
    prompt._match()
    assert all(not k.title.lower().startswith("zzqx") for k in prompt.hits)


async def test_overview_fits_60x20_and_enter_on_a_listed_item_jumps(pack, state_file) -> None:
    from tui.screens.overview import OverviewScreen

    StateStore(state_file, pack).update(40, status="stuck", note="wacht op de netbeheerder")
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=(60, 20)) as pilot:
        await started(pilot)
        await press(pilot, "o")
        await pilot.pause(SETTLE)
        assert isinstance(app.screen, OverviewScreen)
        table = app.screen.query_one("#overview-table")
        assert table.virtual_size.width <= table.size.width  # both tracks whole, no scrolling
        lists = app.screen.query_one("#lists")
        stuck = next(
            i
            for i in range(lists.option_count)
            if (lists.get_option_at_index(i).id or "").endswith(":40")
        )
        lists.focus()
        lists.highlighted = stuck
        await press(pilot, "enter")
        await pilot.pause(SETTLE)
        assert isinstance(app.screen, NavigatorScreen) and shown(app) == 40


async def test_the_page_shows_each_roles_perspective(pack, state_file) -> None:
    store = StateStore(state_file, pack)
    store.set_perspective(1, "bewoners", "todo")
    store.set_perspective(1, "gemeente", "done")
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        record = str(app.screen.query_one("#record").render())
        assert "Perspectieven: Gemeente: afgerond · Bewoners: open" in record


async def test_stuck_asks_for_a_reason_that_goes_in_the_note(pack, state_file) -> None:
    from tui.screens.status import ReasonDialog

    StateStore(state_file, pack).update(1, note="Eerste gesprek gehad.")
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "s", "4")  # 4 = vastgelopen
        assert await until(pilot, lambda: isinstance(app.screen, ReasonDialog))
        await pilot.press(*"wacht op de raad", "enter")
        await pilot.pause(SETTLE)
        entry = StateStore(state_file, pack).load().entry(pack.by_number(1).slug)
        assert entry.status == "stuck"
        assert entry.note == "Eerste gesprek gehad.\nVastgelopen: wacht op de raad"
        await press(pilot, "down", "s", "4")
        assert await until(pilot, lambda: isinstance(app.screen, ReasonDialog))
        await pilot.press("escape")  # no reason: the status alone
        await pilot.pause(SETTLE)
        second = StateStore(state_file, pack).load().entry(pack.by_number(2).slug)
        assert second.status == "stuck" and second.note == ""


def tree_line(app, number: int) -> str:
    """A knooppunt's line in the tree, as drawn at the tree's width."""
    tree = app.screen.query_one(ProcessTree)
    node = tree._knoop_nodes[number]
    return tree.render_label(node, Style(), Style()).plain


async def test_the_tree_has_the_room_while_it_has_the_focus(pack, state_file) -> None:
    """At 80 columns a title of 36 characters is whole in the tree; reading the page (enter)
    gives the page the room back, esc returns to the tree."""
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.screen.query_one(ProcessTree)
        wide = tree.size.width
        assert wide >= 48
        title = pack.by_number(2).title  # "De juiste partijen aan tafel"
        assert title in tree_line(app, 2)
        await press(pilot, "enter")
        await pilot.pause(SETTLE)
        assert app.screen.query_one(DetailPane).has_focus_within
        assert tree.size.width < wide
        await press(pilot, "escape")
        await pilot.pause(SETTLE)
        assert tree.has_focus and tree.size.width == wide


async def test_the_tree_marks_owner_and_overdue(pack, state_file) -> None:
    store = StateStore(state_file, pack)
    store.update(1, owner="Fatima Bakker", due="2020-01-01")
    store.update(2, owner="corporatie", due="2099-01-01")
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        late, later = tree_line(app, 1), tree_line(app, 2)
        assert "Fatima" in late and late.rstrip().endswith("!")
        assert "corporat" in later and not later.rstrip().endswith("!")
        assert len(late) == len(later)  # drawn to the tree's width: the tags stand in columns


async def test_a_opens_the_agenda_and_enter_jumps(pack, state_file) -> None:
    store = StateStore(state_file, pack)
    store.update(40, owner="Fatima", due="2020-01-01")  # overdue: first
    store.update(12, owner="Joost", due="2099-01-01")
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "a")
        from tui.screens.agenda import AgendaScreen

        assert isinstance(app.screen, AgendaScreen)
        lines = app.screen.query_one("#agenda-list")
        texts = [str(o.prompt) for o in lines.options]
        first = next(t for t in texts if "40." in t or "12." in t)
        assert "40." in first and "te laat" in first and first.startswith("!")
        assert any("Volgende stappen" in t for t in texts)
        await press(pilot, "enter")  # the first item: 40
        assert await until(pilot, lambda: isinstance(app.screen, NavigatorScreen))
        assert await until(pilot, lambda: shown(app) == 40)


async def test_my_tasks_filters_the_tree_on_an_owner_and_esc_clears_it(
    pack, state_file, monkeypatch
) -> None:
    store = StateStore(state_file, pack)
    store.update(5, owner="Anna")
    store.update(30, owner="anna ")
    store.update(12, owner="Joost")
    app = WijkkompasApp(pack, state_file, user="Anna")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "m")
        await pilot.pause(SETTLE)
        choices = app.screen.query_one("#choices")
        assert choices.highlighted == 1  # Anna, the current user, is offered first
        await press(pilot, "enter")
        await pilot.pause(SETTLE)
        tree = app.screen.query_one(ProcessTree)
        assert [k.number for k in pack.knooppunten if tree.has(k.number)] == [5, 30]
        title = str(app.screen.query_one("#title").render())
        assert "taken van Anna" in title
        StateStore(state_file, pack).update(12, owner="Anna")  # from outside: Anna takes 12
        assert await until(pilot, lambda: tree.has(12))
        await press(pilot, "escape")
        await pilot.pause(SETTLE)
        assert nav(app).filter_label == ""
        assert all(tree.has(k.number) for k in pack.knooppunten)


async def test_clear_filter_is_a_palette_command(pack, state_file) -> None:
    from tui.palette import PaletteProvider

    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "S")
        await pilot.pause(SETTLE)
        await press(pilot, "down", "down", "enter")  # spoor B
        await pilot.pause(SETTLE)
        assert nav(app).filter_label
        labels = [c.label for c in NAVIGATOR_COMMANDS]
        assert "Filter wissen" in labels and "Agenda" in labels and "Mijn taken" in labels
        provider = PaletteProvider(app.screen)
        entry = next(e for e in provider._entries() if e[0].startswith("Filter wissen"))
        await entry[1]()
        await pilot.pause(SETTLE)
        assert nav(app).filter_label == ""


async def test_a_long_filter_is_shown_whole_in_the_header(pack, state_file) -> None:
    StateStore(state_file, pack).update(3, owner="Gemeente Voorbeeldstad, afdeling Wonen")
    app = WijkkompasApp(pack, state_file, user="x")
    async with app.run_test(size=(60, 20)) as pilot:
        await started(pilot)
        await press(pilot, "m")
        await pilot.pause(SETTLE)
        await press(pilot, "down", "enter")
        await pilot.pause(SETTLE)
        title = app.screen.query_one("#title")
        text = " ".join(str(title.render()).split())
        assert "taken van Gemeente Voorbeeldstad, afdeling Wonen" in text


async def _record_perspective(pilot, app, keys_for_role: tuple[str, ...]) -> None:
    await press(pilot, "v", *keys_for_role)
    assert await until(pilot, lambda: getattr(app.screen.focused, "id", None) == "statuses")
    await press(pilot, "enter")  # the status as highlighted
    assert await until(pilot, lambda: isinstance(app.screen, NavigatorScreen))


async def test_the_role_is_remembered_per_user(pack, state_file, tmp_path, monkeypatch) -> None:
    """`v` offers the role this user chose last time, also in a new session (own config file,
    under XDG_CONFIG_HOME); another role can still be chosen."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    from compass.model import role_choices
    from tui.screens.perspective import PerspectiveDialog

    roles = list(role_choices(pack.stakeholders))
    app = WijkkompasApp(pack, state_file, user="Sanne")
    app.personal_config = True
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await _record_perspective(pilot, app, ("down", "down", "enter"))  # the third role
    config = tmp_path / "config" / "wijkkompas" / "config.yaml"
    assert config.exists()
    assert YAML(typ="safe").load(config.read_text(encoding="utf-8")) == {
        "roles": {"sanne": roles[2]}
    }

    app = WijkkompasApp(pack, state_file, user="Sanne")
    app.personal_config = True
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "v")
        assert isinstance(app.screen, PerspectiveDialog)
        assert app.screen.query_one("#roles").highlighted == 2  # preselected, still a choice
        await press(pilot, "escape")
        await pilot.pause()
    other = WijkkompasApp(pack, state_file, user="Joost")
    other.personal_config = True
    async with other.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "v")
        assert other.screen.query_one("#roles").highlighted == 0  # Joost has chosen nothing


async def test_a_workshop_session_keeps_the_role_in_memory(
    pack, state_file, tmp_path, monkeypatch
) -> None:
    """A participant's role is never written to the server account's config file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    from tui.workshop.session import WorkshopApp

    app = WorkshopApp(pack, state_file, user="anna")
    assert app.personal_config is False
    app.personal_config = False
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: app.screen.focused is not None)
        await press(pilot, "down", "enter")  # the welcome: the second role
        assert await until(pilot, lambda: isinstance(app.screen, NavigatorScreen))
        await started(pilot)
        await press(pilot, "v")
        assert await until(pilot, lambda: getattr(app.screen.focused, "id", None) == "statuses")
        await press(pilot, "enter")
        assert await until(pilot, lambda: isinstance(app.screen, NavigatorScreen))
        assert app.last_role is not None
    assert not (tmp_path / "config").exists()


def _git(folder: Path, *args: str, author: str = "Fatima", date: str = "") -> None:
    env = dict(
        os.environ,
        **({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}),
        GIT_AUTHOR_NAME=author,
        GIT_AUTHOR_EMAIL=f"{author.lower()}@example.org",
        GIT_COMMITTER_NAME=author,
        GIT_COMMITTER_EMAIL=f"{author.lower()}@example.org",
    )
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


async def test_h_shows_the_knooppunts_history_from_git_newest_first(pack, state_file) -> None:
    folder = state_file.parent
    _git(folder, "init", "-q")
    _git(folder, "add", state_file.name)
    _git(folder, "commit", "-q", "-m", "begin")
    store = StateStore(state_file, pack, user="Fatima")
    store.update(12, status="doing", owner="Fatima")
    _git(folder, "commit", "-q", "-am", "12 bezig")
    store.update(12, status="done")
    _git(folder, "commit", "-q", "-am", "12 af", author="Joost")
    app = WijkkompasApp(pack, state_file, start_at=12)
    app.external_editor_allowed = True  # as at the user's own terminal (tui.run)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("h")
        from tui.screens.timeline import TimelineScreen

        assert await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        body = app.screen.query_one("#timeline-body")

        def text() -> str:
            return str(body.render())

        assert await until(pilot, lambda: "Joost" in text(), timeout=10)
        shown_text = text()
        assert shown_text.index("Joost") < shown_text.index("Fatima")  # newest first
        assert "status: bezig → afgerond" in shown_text
        assert "eigenaar" in shown_text and "Fatima" in shown_text
        await pilot.press("escape")
        assert await until(pilot, lambda: isinstance(app.screen, NavigatorScreen))


async def test_h_in_a_workshop_never_runs_git_on_the_server(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file, start_at=12)  # external editor off: a session
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("h")
        from tui.screens.timeline import TimelineScreen

        assert await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        text = str(app.screen.query_one("#timeline-body").render())
        assert "wijkkompas log" in text


async def test_the_overview_says_what_moved_in_the_last_30_days(pack, state_file) -> None:
    import datetime as dt

    folder = state_file.parent
    store = StateStore(state_file, pack, user="Fatima")
    store.update(5, status="done")
    _git(folder, "init", "-q")
    _git(folder, "add", state_file.name)
    old = (dt.datetime.now() - dt.timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%S")
    _git(folder, "commit", "-q", "-m", "begin", date=old)
    store.update(12, status="done")
    store.update(13, status="stuck")
    _git(folder, "commit", "-q", "-am", "overleg")
    app = WijkkompasApp(pack, state_file)
    app.external_editor_allowed = True  # as at the user's own terminal (tui.run)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "o")
        lists = app.screen.query_one("#lists")

        def first() -> str:
            return str(lists.get_option_at_index(0).prompt) if lists.option_count else ""

        assert await until(pilot, lambda: first().startswith("Sinds "), timeout=10)
        assert first().endswith(": +1 afgerond, +1 vastgelopen")


def _textual_lines(console, renderable, options) -> list[list]:
    """The lines Textual cuts a Rich renderable into (RichVisual): at each newline, cropped to
    the width, as many as there are newlines."""
    from itertools import islice

    from rich.segment import Segment

    segments = list(console.render(renderable, options))
    height = sum(s.text.count("\n") for s in segments)
    split = Segment.split_and_crop_lines(
        segments, options.max_width, include_new_lines=False, pad=False
    )
    return list(islice(split, height))


def test_a_page_rendered_once_gives_the_lines_of_its_render(pack) -> None:
    """The pane's page is rendered once per width (tui/widgets/page.py) and kept as lines: they
    are exactly the lines of rendering the page itself, at every width."""
    from rich.console import Console

    from tui.widgets import page

    k = pack.knooppunten[3]
    console = Console(width=80, color_system="truecolor", force_terminal=True)
    shown = page.shown_page(pack, "k", k.number)
    assert page.shown_page(pack, "k", k.number) is shown  # built once
    for width in (26, 50):
        options = console.options.update_width(width)
        direct = _textual_lines(console, page.page_renderable(pack, k), options)
        lines = shown.lines(console, options)
        assert [lines[y] for y in range(len(lines))] == direct
        assert shown.lines(console, options) is lines  # kept, not rendered again
    # only the last few pages are kept (memory per session)
    for other in pack.knooppunten[: page.MAX_PAGES + 1]:
        page.shown_page(pack, "k", other.number)
    assert len(page._pages) == page.MAX_PAGES


def test_pages_rendered_ahead_are_packed_and_unpacked_a_line_at_a_time(pack, monkeypatch) -> None:
    """The zygote's prerender packs every page at the options seen; showing one unpacks only
    the lines asked for, and they are the lines of the render."""
    from rich.console import Console

    from tui.widgets import packed_lines, page

    console = Console(width=80, color_system="truecolor", force_terminal=True)
    monkeypatch.setattr(page, "_packed", {})
    monkeypatch.setattr(page.RenderedPage, "seen", None)
    options = console.options.update_width(30)
    page.shown_page(pack, "k", pack.knooppunten[7].number).lines(console, options)
    assert page.prerender(pack) >= len(pack.knooppunten)
    k = pack.knooppunten[40]
    fresh = page.RenderedPage(
        lambda: pytest.fail("a page rendered ahead is not rendered again"),
        (id(pack), "nl", "k", k.number, ""),
    )
    assert page._packed_as_seen(fresh.key) and page.is_rendered_ahead(pack, k.number)
    unpacked: list[int] = []
    unpack_line = packed_lines.unpack_line
    monkeypatch.setattr(
        page, "unpack_line", lambda packed, y: unpacked.append(y) or unpack_line(packed, y)
    )
    lines = fresh.lines(console, options)
    direct = _textual_lines(console, page.page_renderable(pack, k), options)
    assert len(lines) == len(direct) > 20 and unpacked == []  # its height: nothing unpacked
    assert [lines[y] for y in (3, 4, 5)] == direct[3:6]
    assert unpacked == [3, 4, 5]
    assert [lines[y] for y in range(len(lines))] == direct


async def test_h_outside_git_says_why_and_shows_what_the_file_records(pack, state_file) -> None:
    StateStore(state_file, pack, user="Fatima").update(12, status="doing")
    app = WijkkompasApp(pack, state_file, start_at=12)
    app.external_editor_allowed = True  # as at the user's own terminal (tui.run)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("h")
        body = app.screen.query_one("#timeline-body")
        assert await until(pilot, lambda: "bezig" in str(body.render()), timeout=10)
        text = str(body.render())
        assert "git" in text.splitlines()[0]  # why there is no history
        assert "Fatima" in text


async def test_idle_work_runs_only_while_the_user_is_quiet_and_survives_a_failing_job(
    pack,
) -> None:
    from tui import idle

    app = WijkkompasApp(pack, None)
    done: list[int] = []

    def counting(n: int):
        for i in range(n):
            done.append(i)
            yield

    def failing():
        yield
        raise RuntimeError("kapot")

    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        work = app.idle_work
        work.add("kapot", failing())
        work.add("tellen", counting(5))
        app._last_input = 1e12  # a key "now and for ever": nothing runs
        await pilot.pause(3 * idle.TICK)
        assert done == [] and work.running("kapot") and work.running("tellen")
        app._last_input = 0.0  # quiet since long ago
        assert await until(pilot, lambda: not work.running("tellen"))
        assert done == [0, 1, 2, 3, 4]
        assert not work.running("kapot")  # its error ended only that job, not the app
        assert app.is_running


async def test_goto_shows_a_page_rendered_ahead_in_the_frame_that_answers_enter(
    pack, state_file
) -> None:
    from tui.widgets import page

    app = WijkkompasApp(pack, state_file, start_at=1)
    app.render_ahead = True  # as `wijkkompas` runs it (tui/run.py)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert await until(pilot, lambda: not app.idle_work.running("pages"), timeout=20)
        assert page.is_rendered_ahead(pack, 77)
        detail = app.screen.query_one(DetailPane)
        await pilot.press("g", "7", "7")
        await pilot.press("enter")
        # no timer between the key and the page: it is in place when Enter is handled
        assert detail._page_timer is None and detail._page_for == 77
        shown = detail.query_one("#page")
        first = shown.render_lines(Region(0, 0, shown.size.width, 1))[0].text
        k = pack.by_number(77)
        assert k is not None and f"Fase {k.phase}" in first


async def test_goto_into_a_closed_phase_finds_the_tree_lines_drawn_ahead(pack, state_file) -> None:
    """While the user reads, the tree draws every line ahead (as if each phase were open): `g`
    to a knooppunt in a closed phase then draws at most the cursor's own line anew."""
    from textual.widgets import Tree

    app = WijkkompasApp(pack, state_file, start_at=1)
    app.render_ahead = True  # as `wijkkompas` runs it (tui/run.py)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert await until(pilot, lambda: not app.idle_work.running("tree"), timeout=20)
        tree = app.screen.query_one(ProcessTree)
        k = pack.by_number(77)
        assert k is not None and k.phase != 1
        assert not tree._knoop_nodes[77].parent.parent.is_expanded
        drawn: list[int] = []
        textual_draws = Tree._render_line

        def counting(self, y, *args):
            drawn.append((y, str(self._tree_lines[y].node.label), self.cursor_line))
            return textual_draws(self, y, *args)

        Tree._render_line = counting  # type: ignore[method-assign]
        try:
            await pilot.press("g", "7", "7", "enter")
            await pilot.pause()
        finally:
            Tree._render_line = textual_draws  # type: ignore[method-assign]
        assert tree.current_number() == 77
        assert [label for _y, label, _cursor in drawn] in ([], [str(tree.cursor_node.label)])


async def test_long_titles_do_not_make_the_tree_wider_than_its_pane(pack) -> None:
    """A knooppunt's line is cut to the pane (title with "…", owner and "!" at the right), so
    its title is not measured when the tree numbers its lines (10,000 titles per open phase)."""
    app = WijkkompasApp(pack, None, start_at=1)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.screen.query_one(ProcessTree)
        longest = max(pack.knooppunten, key=lambda k: len(k.title))
        assert len(longest.title) + 8 > tree.size.width  # the case worth testing
        tree.select_knooppunt(longest.number)
        await pilot.pause()
        assert tree.virtual_size.width <= tree.size.width
        line = tree.render_lines(Region(0, 0, tree.size.width, tree.size.height))
        shown = [strip.text for strip in line if f" {longest.number} " in strip.text]
        assert shown and "…" in shown[0]


async def test_a_jump_into_a_closed_phase_has_cursor_and_scroll_right_at_once(pack) -> None:
    """Opening the phase numbers the tree's lines anew; the cursor and the scroll must use the
    new numbers in the same call, not a frame later (that was a second repaint of the tree)."""
    app = WijkkompasApp(pack, None, start_at=1)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.screen.query_one(ProcessTree)
        for number in (45, 88, 6, 60):
            assert tree.select_knooppunt(number)
            # no await: what the next frame would draw
            assert tree.current_number() == number
            top, height = round(tree.scroll_target_y), tree.scrollable_content_region.height
            assert top <= tree.cursor_line < top + height
            await pilot.pause()


async def test_the_tree_draws_nothing_ahead_outside_a_process_of_its_own(pack, state_file) -> None:
    """A workshop session (render_ahead off) keeps its memory: no tree lines drawn ahead."""
    app = WijkkompasApp(pack, state_file, start_at=1)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.pause(0.5)
        assert not app.idle_work.running("tree")
        tree = app.screen.query_one(ProcessTree)
        assert len(tree._kept) <= 2 * tree.size.height  # the lines on screen, each way drawn


def searching(app):
    """The search being asked in the footer line, or None."""
    return nav(app)._search


async def test_search_asks_in_the_footer_and_shows_results_where_the_tree_is(pack) -> None:
    """`/` turns the tree into the results of what is typed; the page beside follows the chosen
    one; Esc brings the tree back with the page of its cursor; Enter opens the chosen one."""
    from tui.widgets.result_list import ResultList

    app = WijkkompasApp(pack, None, start_at=3)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.index.ensure_built()
        tree = app.screen.query_one(ProcessTree)
        assert tree.display and not app.screen.query(ResultList)  # made at the first search
        await pilot.press("slash")
        results = app.screen.query_one(ResultList)
        assert results.display and not tree.display and app.screen.focused is tree
        assert "Typ een woord" in results.render_line(0).text  # what to do, before typing
        await pilot.press(*"netcongestie")
        expected = [h.knooppunt.number for h in app.index.search("netcongestie", limit=40)]
        assert [h.knooppunt.number for h in results.hits] == expected and expected
        first = pack.by_number(expected[0])
        assert first is not None and first.title[:20] in results.render_line(0).text
        assert "Zoeken: netcongestie" in str(app.screen.query_one(KeyFooter).render())
        assert await until(pilot, lambda: shown(app) == expected[0])  # the page follows
        await pilot.press("down")
        assert results.chosen == 1
        assert await until(pilot, lambda: shown(app) == expected[1])
        await pilot.press("escape")
        assert tree.display and not results.display and searching(app) is None
        assert await until(pilot, lambda: shown(app) == 3)  # back where the tree's cursor is
        await pilot.press("slash", *"netcongestie", "down", "enter")
        assert await until(pilot, lambda: shown(app) == expected[1])
        assert tree.display and tree.current_number() == expected[1]
        await pilot.press("left_square_bracket")  # a jump: history has where it came from
        assert await until(pilot, lambda: shown(app) == 3)


async def test_the_result_list_is_made_while_the_user_reads(pack, state_file) -> None:
    """Not in the first paint (memory, time), but before the first `/` in a process of its own."""
    from tui.widgets.result_list import ResultList

    app = WijkkompasApp(pack, state_file, start_at=1)
    app.render_ahead = True  # as `wijkkompas` runs it (tui/run.py)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert await until(pilot, lambda: bool(app.screen.query(ResultList)), timeout=20)
        assert not app.screen.query_one(ResultList).display


async def test_search_repaints_only_the_chosen_line_when_typing_on_finds_the_same(pack) -> None:
    from tui.widgets.result_list import ResultList

    app = WijkkompasApp(pack, None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.index.ensure_built()
        await pilot.press("slash", *"netcon")
        results = app.screen.query_one(ResultList)
        before = [h.knooppunt.number for h in results.hits]
        assert before
        regions: list[tuple] = []
        repaint = results.refresh

        def counting(*r, **kw):
            regions.append(r)
            return repaint(*r, **kw)

        results.refresh = counting  # type: ignore[method-assign]
        await pilot.press("g")  # "netcong" finds the same knooppunten, in the same places
        assert [h.knooppunt.number for h in results.hits] == before
        assert regions and all(r and r[0].height == 1 for r in regions)  # one line, not all
        results.refresh = repaint  # type: ignore[method-assign]
        await pilot.press(*"xyzq")
        assert results.hits == [] and "Niets gevonden" in results.render_line(0).text
        await pilot.press(*["backspace"] * len("netcongxyzq"))
        assert results.hits == [] and "Typ een woord" in results.render_line(0).text


async def test_a_long_search_shows_its_end_and_stops_growing(pack) -> None:
    """The footer line shows where the typing is (the end of a long query, after "…"); markup
    typed is text; a paste of a whole page does not make every key search all of it."""
    from tui.widgets.typed_query import MAX_QUERY

    app = WijkkompasApp(pack, None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"[bold]warm", "space", *"x" * 100, "q")
        line = str(app.screen.query_one(KeyFooter).render())
        assert "…" in line and "xq▏" in line and len(line) <= SIZE[0]
        await pilot.press(*"y" * (MAX_QUERY + 20))
        assert len(searching(app).query) == MAX_QUERY
        await pilot.press("escape", "slash", *"[bold]")
        assert "[bold]▏" in str(app.screen.query_one(KeyFooter).render())


async def test_a_click_on_a_result_opens_it(pack) -> None:
    from tui.widgets.result_list import ResultList

    app = WijkkompasApp(pack, None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.index.ensure_built()
        await pilot.press("slash", *"warm")
        await pilot.click(DetailPane, offset=(3, 3))  # a click elsewhere withdraws the search
        assert await until(pilot, lambda: searching(app) is None)
        assert app.screen.query_one(ProcessTree).display
        await pilot.press("slash", *"warmte")
        results = app.screen.query_one(ResultList)
        third = results.hits[2].knooppunt.number
        await pilot.click(ResultList, offset=(5, 2))
        assert await until(pilot, lambda: shown(app) == third)
        assert searching(app) is None and app.screen.query_one(ProcessTree).display


async def test_result_lines_are_drawn_once_per_result_and_look(pack) -> None:
    """A result drawn again is the line kept; the chosen one looks different, and moving the
    choice draws the two lines it changes."""
    from tui.widgets.result_list import ResultList

    app = WijkkompasApp(pack, None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.index.ensure_built()
        await pilot.press("slash", *"warmte")
        results = app.screen.query_one(ResultList)
        assert len(results.hits) >= 3
        for y in range(3):
            assert results.render_line(y) is results.render_line(y)  # kept
        chosen, other = results.render_line(0), results.render_line(1)
        await pilot.press("down")
        assert results.render_line(0) is not chosen and results.render_line(1) is not other
        assert results.render_line(0).text == chosen.text  # the same words, other colours
        assert list(results.render_line(0)) != list(chosen)


async def test_the_search_line_is_at_rest_while_it_waits(pack) -> None:
    """No blinking cursor in the footer line: a participant who left `/` open costs the room
    no bytes."""
    app = WijkkompasApp(pack, None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"warmte")
        await pilot.pause(0.3)
        first = app.export_screenshot()
        await pilot.pause(0.6)  # longer than a blink
        assert app.export_screenshot() == first


async def test_a_note_field_keeps_a_steady_cursor(pack, state_file) -> None:
    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "n")
        field = app.screen.query_one("#note-area")
        assert field.has_focus and not field.cursor_blink
        await pilot.pause(0.1)
        first = app.export_screenshot()
        await pilot.pause(0.6)
        assert app.export_screenshot() == first


def test_rendering_ahead_stops_at_its_memory_budget(pack, monkeypatch) -> None:
    from rich.console import Console

    from tui.widgets import page

    console = Console(width=80)
    monkeypatch.setattr(page.RenderedPage, "seen", (console, console.options.update_width(33)))
    monkeypatch.setattr(page, "_packed", {})
    monkeypatch.setattr(page, "MAX_PACKED_BYTES", 50_000)
    page.prerender(pack)
    assert 0 < len(page._packed) < len(pack.knooppunten)  # stopped early
    assert sum(len(b) for b in page._packed.values()) < 50_000 + 30_000  # one page over at most


async def test_a_resize_redraws_the_tree_and_the_title_at_the_new_size(pack, state_file) -> None:
    """Resize events for the size already drawn are dropped (NavigatorScreen.on_resize,
    QuietTree._on_resize): a real resize must still redraw, wider and back."""
    from tests.test_english import screen_text

    app = WijkkompasApp(pack, state_file)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.screen.query_one(ProcessTree)
        shown_ks = [k for k in pack.in_phase(1) if len(k.title) > tree.size.width - 8]
        assert shown_ks, "a title that is cut in the 80-column tree"
        title = shown_ks[0].title
        assert title not in screen_text(app)
        await pilot.resize_terminal(160, 30)
        await pilot.pause(SETTLE)
        assert title in screen_text(app)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause(SETTLE)
        assert title not in screen_text(app)
        assert app.screen.query_one("#title").size.width == SIZE[0]


async def test_tree_lines_drawn_with_the_style_of_the_paint_are_the_same(pack) -> None:
    """The tree works out its style once per paint (not once per line); the lines are the same."""
    from textual.dom import DOMNode

    app = WijkkompasApp(pack, None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.screen.query_one(ProcessTree)
        await pilot.press("down", "down", "down")  # the cursor on a line of its own
        await pilot.pause(0.1)
        whole = Region(0, 0, tree.size.width, tree.size.height)
        ours = tree.render_lines(whole)
        assert tree._style_now is None  # only while a paint is under way
        tree._styles_cache.clear()
        once = ProcessTree.__dict__["rich_style"]
        ProcessTree.rich_style = DOMNode.rich_style  # type: ignore[assignment, method-assign]
        try:
            every_line = tree.render_lines(whole)
        finally:
            ProcessTree.rich_style = once  # type: ignore[method-assign]
        assert [list(s) for s in ours] == [list(s) for s in every_line]


def test_rendering_ahead_keeps_a_few_widths_however_often_the_terminal_is_resized(
    pack, monkeypatch
) -> None:
    from rich.console import Console

    from tui.widgets import page

    console = Console(width=200)
    monkeypatch.setattr(page, "_packed", {})
    few = pack.knooppunten[:3]
    monkeypatch.setattr(
        page, "_page_keys", lambda p: [(id(p), "nl", "k", k.number, "") for k in few]
    )
    for width in range(20, 20 + 3 * page.MAX_PACKED_OPTIONS):  # a window dragged wider and wider
        seen = (console, console.options.update_width(width))
        monkeypatch.setattr(page.RenderedPage, "seen", seen)
        page.prerender(pack)
        widths = {options[1] for _, options in page._packed}  # max_width in the options key
        assert width in widths and len(widths) <= page.MAX_PACKED_OPTIONS + 1


async def test_letters_typed_in_one_burst_after_slash_land_in_the_search_field(pack) -> None:
    """A fast typist (or a terminal that sends `/warmte` in one write): no letter is lost, and
    none of them runs a navigator key (a, m are keys there)."""
    from textual import events

    app = WijkkompasApp(pack, None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        for key in ["slash", *"warmte"]:  # all in the queue before the first is handled
            app.post_message(events.Key(key, "/" if key == "slash" else key))

        def typed() -> str | None:
            prompt = searching(app)
            return prompt.query if prompt is not None else None

        # a loaded machine takes longer; wait for the typing to settle, then compare
        await until(pilot, lambda: typed() == "warmte")
        await pilot.pause(0.1)
        assert isinstance(app.screen, NavigatorScreen)  # nothing else opened
        assert typed() == "warmte"
        await pilot.press("escape")
        assert await until(pilot, lambda: searching(app) is None)
        for key in "g42":
            app.post_message(events.Key(key, key))
        await pilot.pause(0.2)
        await pilot.press("enter")
        assert await until(pilot, lambda: shown(app) == 42)


async def test_dialogs_look_the_same_with_their_css_added_ahead(pack, state_file) -> None:
    """The first paint parses no dialog rules; the dialogs then look the same whether Textual
    adds their CSS with the first dialog (CSS_PATH) or the app added it ahead (_warm_dialogs)."""
    from tui.screens import DIALOG_CSS

    shots: dict[bool, list[str]] = {}
    for ahead in (False, True):
        app = WijkkompasApp(pack, state_file)
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            assert not app.stylesheet.has_source(str(DIALOG_CSS), "")
            if ahead:
                app._add_dialog_css()
            shots[ahead] = []
            for key in ("s", "o", "question_mark", "ctrl+p"):
                await press(pilot, key)
                await pilot.pause(SETTLE)
                shots[ahead].append(app.export_screenshot())
                await press(pilot, "escape")
                await pilot.pause(SETTLE)
            assert app.stylesheet.has_source(str(DIALOG_CSS), "")
    assert shots[True] == shots[False]


def test_every_dialog_brings_the_dialog_css() -> None:
    """The dialogs' rules are not in the app's stylesheet until a dialog comes: each of the
    app's modal screens names them (the facilitator's console is another app, with its own)."""
    import importlib
    import pkgutil

    from textual.screen import ModalScreen

    import tui.screens
    from tui.screens import DIALOG_CSS

    for info in pkgutil.iter_modules(tui.screens.__path__):
        importlib.import_module(f"tui.screens.{info.name}")
    importlib.import_module("tui.workshop.session")

    def subclasses(cls: type) -> list[type]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    ours = [
        c
        for c in subclasses(ModalScreen)
        if c.__module__.startswith("tui.") and c.__module__ != "tui.workshop.console"
    ]
    assert len(ours) >= 12
    for cls in ours:
        assert cls.CSS_PATH == DIALOG_CSS, cls
