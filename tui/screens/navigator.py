"""The main screen: the process tree beside the page of the highlighted knooppunt."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList, Static, Tree

from compass.history import History
from compass.model import Knooppunt

from ..commands import NAVIGATOR_COMMANDS, bindings
from ..i18n import t
from ..palette import PaletteProvider
from ..widgets.detail import DETAIL_DELAY, DetailPane, LinkList
from ..widgets.footer import KeyFooter
from ..widgets.page import is_rendered_ahead
from ..widgets.process_tree import NodeRef, ProcessTree
from .tree_filters import TreeFilters
from .tree_search import SearchInPlace

if TYPE_CHECKING:
    from ..host import Host

JUMP_PAGE_DELAY = 0.05  # seconds: after a jump, answer the key first, then build the page


class NavigatorScreen(TreeFilters, SearchInPlace, Screen):
    BINDINGS = bindings(NAVIGATOR_COMMANDS)
    COMMANDS = {PaletteProvider}  # ctrl+p: every command, knooppunt and bookmark

    def __init__(self) -> None:
        super().__init__()
        self.history: History[int] = History()
        self._pending: Timer | None = None
        self._due: Callable[[], object] | None = None  # the page the pending timer will show
        self.filter_label = ""
        self._live_filter = False
        self._resumed = False
        self._title_shown: tuple[str, bool] | None = None  # what the title line shows now

    @property
    def wk(self) -> Host:
        return cast("Host", self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with Horizontal(id="main"):
            yield ProcessTree(self.wk.pack, self.wk.marks_of, id="tree")
            yield DetailPane(self.wk.pack, id="detail")
        yield KeyFooter()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first time: no restyle of every widget, they were styled a moment ago when mounted.

        Runs before Screen's own handler (Textual dispatches subclass handlers first).

        Textual restyles the whole screen on every resume (~40 style applications, a
        few ms of each start); after a dialog it still does, as dialogs can change the
        theme or a class.
        """
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        self.update_title()
        tree = self.query_one(ProcessTree)
        tree.focus()
        first = self.wk.start_at or self.wk.pack.knooppunten[0].number
        self._start(first)  # now, not after a refresh: the first frame already holds the page

    def _start(self, number: int) -> None:
        self.jump(number, record=False, page_now=True)
        self.history.visit(number)
        self.wk.first_paint_done(self.query_one(DetailPane).page_update)
        self._draw_tree_ahead()
        self.wk.work_ahead("results", self.results_ahead())

    def _draw_tree_ahead(self) -> None:
        """The tree's lines drawn while the user reads: a jump into a closed phase finds them."""
        self.wk.work_ahead("tree", self.query_one(ProcessTree).draw_lines_ahead())

    # --- showing ---------------------------------------------------------------

    def update_title(self) -> None:
        """The header: the filter first and whole (a narrow terminal drops the project first).

        Only a changed title is set: the resize events after the first layout would
        otherwise lay out the whole screen twice more before the app is in use.
        """
        width = self.size.width or self.app.size.width
        title = Text(" " + t("app.title"), style="bold")
        if self.filter_label:
            title.append("  ·  ")
            title.append(f" {t('filter.active')}: {self.filter_label} ", style="reverse")
            hint = f" esc: {t('cmd.clear_filter').lower()}"
            if title.cell_len + len(hint) <= width:
                title.append(hint, style="dim")
        info = self.wk.project_line()
        if info and (not self.filter_label or title.cell_len + 5 + len(info) <= width):
            title.append("  ·  ")
            title.append(info)
        # one line, the project cut with "…" when it does not fit; only a filter that is
        # itself wider than the terminal wraps to a second line
        title.no_wrap = not self.filter_label or title.cell_len <= width
        title.overflow = "ellipsis"
        shown = (title.markup, title.no_wrap)
        if shown != self._title_shown:  # an update lays out the screen again (~4 ms)
            self._title_shown = shown
            self.query_one("#title", Static).update(title)

    def on_resize(self, event: events.Resize) -> None:
        """A resize to the size the screen is already laid out at changes nothing: skip Screen's
        own handler, which lays out and repaints the whole screen again.

        Runs before Screen's own handler (Textual dispatches subclass handlers first).
        Right after the first layout two such events come (the screen's own and the
        terminal's start size); each cost another reflow and repaint (~4 ms).
        """
        if event.size == self.outer_size and not self._breakpoints():
            event.prevent_default()
        else:
            self._draw_tree_ahead()  # at the new size (the steps read it when they start)
        self.update_title()

    def _breakpoints(self) -> bool:
        """Breakpoint classes are set by Screen's resize handler, which must then always run."""
        app = self.app
        return bool(
            self.HORIZONTAL_BREAKPOINTS
            or self.VERTICAL_BREAKPOINTS
            or app.HORIZONTAL_BREAKPOINTS
            or app.VERTICAL_BREAKPOINTS
        )

    @property
    def current(self) -> Knooppunt | None:
        number = self.query_one(DetailPane).number
        return self.wk.pack.by_number(number) if number is not None else None

    def _chosen(self) -> Knooppunt | None:
        """The knooppunt a command acts on; says so when a phase or spoor page is shown.

        A key right after a cursor move (`j s`) acts on where the cursor is now: the
        page that was still waiting for the cursor to rest is shown first.
        """
        self.settle()
        k = self.current
        if k is None:
            self.notify(t("need_knooppunt"), timeout=2)
        return k

    def settle(self) -> None:
        """Do now what waits for the cursor to rest (the page of where it is)."""
        if self._pending is not None:
            self._pending.stop()
            self._run_due()

    def show_detail(self, number: int, page_delay: float | None = None) -> None:
        k = self.wk.pack.by_number(number)
        if k is not None:
            self.query_one(DetailPane).show(k, self.wk.entry(k), page_delay=page_delay)
            self.wk.on_current_changed(k)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        ref = event.node.data
        if ref is None:
            return
        if self._pending is not None:
            self._pending.stop()
        if ref.kind == "k":
            self._due = lambda: self.show_detail(ref.number)
        else:  # a phase or spoor node: its own page
            self._due = lambda: self.query_one(DetailPane).show_overview_page(
                ref.kind, ref.phase, ref.track
            )
        self._pending = self.set_timer(DETAIL_DELAY, self._run_due)

    def _run_due(self) -> None:
        due, self._due = self._due, None
        self._pending = None
        if due is not None:
            due()

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and ref.kind == "k":
            self.jump(ref.number)

    def on_process_tree_open(self, _event: ProcessTree.Open) -> None:
        self.query_one(DetailPane).read()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Reading the page gives it the room; back in the tree, the tree takes it (see tcss)."""
        pane = self.query_one(DetailPane)
        reading = event.widget is pane or pane in event.widget.ancestors
        self.query_one("#main").set_class(reading, "-reading")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, LinkList) and event.option.id == "law":
            self.action_law()
        elif isinstance(event.option_list, LinkList) and event.option.id:
            self.jump(int(event.option.id))
            self.query_one(DetailPane).read()  # a link followed while reading: read on

    def jump(self, number: int, record: bool = True, page_now: bool = False) -> None:
        """Open knooppunt `number`: tree cursor, page and (optionally) history.

        A page rendered ahead (`tui.idle`) comes in the frame that answers the key; any other
        is built right after that frame (JUMP_PAGE_DELAY), unless `page_now` (the first
        paint, which must include the page).
        """
        tree = self.query_one(ProcessTree)
        if not tree.has(number):
            self.clear_filter(keep=number)
        if record:
            current = self.query_one(DetailPane).number
            if current is not None:
                self.history.visit(current)
            self.history.visit(number)
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
            self._due = None
        tree.select_knooppunt(number)
        ready = is_rendered_ahead(self.wk.pack, number)
        self.show_detail(number, page_delay=None if page_now or ready else JUMP_PAGE_DELAY)
        if not ready and not page_now:  # at the start, first_paint_done starts them
            self.wk.render_pages_ahead()  # e.g. after a resize: the pages at the new width

    def refresh_state(self) -> None:
        """The project state changed (here or outside): marks, counts and the record block."""
        tree = self.query_one(ProcessTree)
        if self._live_filter and tree.shown is not None:
            # who owns what may have changed: the tree of 'mijn taken' follows
            shown = tree.shown
            wanted = {k.number for k in self.wk.pack.knooppunten if shown(k)}
            if wanted != tree.numbers():
                current = self.query_one(DetailPane).number
                tree.rebuild(keep=current if current in wanted else None)
        tree.refresh_labels()
        k = self.current
        if k is not None:
            self.query_one(DetailPane).show_record(k, self.wk.entry(k))
        self.update_title()

    # --- commands ----------------------------------------------------------------

    # Commands that write the project file, and the workshop's own command.
    NEEDS_STATE = frozenset({"set_status", "edit_note", "toggle_bookmark", "perspective", "report"})
    WORKSHOP_ONLY = frozenset({"toggle_follow"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim what needs a project file when there is none; hide follow mode outside a workshop
        and 'clear filter' when there is none."""
        if action in self.WORKSHOP_ONLY and not self.wk.in_workshop():
            return False
        if action == "clear_filter" and not self.filter_label:
            return False
        if action in self.NEEDS_STATE and not self.wk.has_state():
            return None
        return True

    def action_goto(self) -> None:
        """Asked in the footer line (see tui/widgets/goto_prompt.py), not in a dialog."""
        from ..widgets.goto_prompt import GotoPrompt

        footer = self.query_one(KeyFooter)
        if footer.prompt is None:
            footer.ask(GotoPrompt(self.wk.index, self._jump_to_result))

    def _jump_to_result(self, number: int | None) -> None:
        if number is not None:
            self.jump(number)

    def action_back(self) -> None:
        number = self.history.back()
        if number is None:
            self.notify(t("back.none"), timeout=2)
        else:
            self.jump(number, record=False)

    def action_forward(self) -> None:
        number = self.history.forward()
        if number is None:
            self.notify(t("forward.none"), timeout=2)
        else:
            self.jump(number, record=False)

    def action_set_status(self) -> None:
        from .status import StatusDialog

        k = self._chosen()
        if k is None or not self.wk.can_write():
            return
        self.app.push_screen(
            StatusDialog(k, self.wk.entry(k)), lambda changes: self._save(k, changes)
        )

    def action_edit_note(self) -> None:
        from .note import NoteDialog

        k = self._chosen()
        if k is None or not self.wk.can_write():
            return
        entry = self.wk.entry(k)

        def save(text: str, expected: str) -> str | None:
            return self.wk.try_save(k, expect={"note": expected}, note=text)

        self.app.push_screen(
            NoteDialog(
                k,
                entry.note if entry else "",
                save,
                external_editor=self.wk.external_editor_allowed,
            )
        )

    def _save(self, k: Knooppunt, changes: dict | None) -> None:
        if changes:
            self.wk.save(k, **changes)

    def action_toggle_bookmark(self) -> None:
        k = self._chosen()
        if k is None or not self.wk.can_write():
            return
        entry = self.wk.entry(k)
        on = not (entry.bookmark if entry else False)
        if self.wk.save(k, bookmark=on):
            self.notify(t("bookmark.on" if on else "bookmark.off"), timeout=2)

    def action_bookmarks(self) -> None:
        from .pickers import BookmarksScreen

        self.app.push_screen(BookmarksScreen(self.wk.bookmarks()), self._jump_to_result)

    def action_agenda(self) -> None:
        from .agenda import AgendaScreen

        self.app.push_screen(AgendaScreen(), self._jump_to_result)

    def action_perspective(self) -> None:
        k = self._chosen()
        if k is not None:
            self.wk.record_perspective(k)

    def action_report(self) -> None:
        self.wk.write_report()

    def action_timeline(self) -> None:
        from .timeline import TimelineScreen

        k = self._chosen()
        if k is not None:
            self.app.push_screen(
                TimelineScreen(
                    self.wk.state_path if self.wk.has_state() else None,
                    k,
                    self.wk.pack,
                    local=self.wk.external_editor_allowed,
                )
            )

    def action_toggle_follow(self) -> None:
        self.wk.toggle_follow()

    def action_law(self) -> None:
        if self.wk.pack.law is None:
            self.notify(t("law.none"), timeout=3)
            return
        self._show_instead("law")

    def action_about(self) -> None:
        self._show_instead("about")

    def _show_instead(self, kind: str) -> None:
        """A page in place of the knooppunt's; a page still due from a cursor move is dropped."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
            self._due = None
        self.query_one(DetailPane).show_overview_page(kind)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        self.app.exit()
