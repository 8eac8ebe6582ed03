"""The navigator's search (`/`): asked in the footer line, the results where the tree stands.

A mixin of `NavigatorScreen`, kept apart because it is one responsibility: the
question, the result list in the tree's place, the page beside following the chosen
result, and handing the answer to the navigator as a jump.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from textual.timer import Timer

from ..i18n import t
from ..widgets.detail import DETAIL_DELAY, DetailPane
from ..widgets.footer import KeyFooter
from ..widgets.process_tree import ProcessTree

if TYPE_CHECKING:
    from textual.screen import Screen

    from ..host import Host
    from ..widgets.result_list import ResultList
    from ..widgets.search_prompt import SearchPrompt

    class _Navigator(Screen[None]):
        """What search uses of the navigator."""

        _pending: Timer | None
        _due: Callable[[], object] | None

        @property
        def wk(self) -> Host: ...
        def jump(self, number: int, record: bool = True, page_now: bool = False) -> None: ...
        def show_detail(self, number: int, page_delay: float | None = None) -> None: ...
        def _run_due(self) -> None: ...

    _Base = _Navigator
else:
    _Base = object


class SearchInPlace(_Base):
    """`/`: search in the footer line, the results in the tree's place."""

    _search: SearchPrompt | None = None  # while `/` asks in the footer line

    def results(self) -> ResultList:
        """The result list, beside the tree (hidden until a search). Made at the first search,
        or while the user reads (`results_ahead`): the first paint does without it."""
        from ..widgets.result_list import ResultList

        found = self.query(ResultList)
        if found:
            return found.first()
        results = ResultList(self.wk.marks_of, id="results")
        self.query_one("#main").mount(results, after=self.query_one(ProcessTree))
        return results

    def results_ahead(self) -> Iterator[None]:
        """One step of idle work: the result list made, so the first `/` does not wait for it."""
        if self.is_attached:
            self.results()
        yield

    def action_search(self) -> None:
        """Asked in the footer line, the results where the tree stands (see
        tui/widgets/search_prompt.py), not in a dialog."""
        from ..widgets.search_prompt import SearchPrompt

        footer = self.query_one(KeyFooter)
        if footer.prompt is None:
            self._search = SearchPrompt(self.wk.index, self._search_done, self._search_changed)
            self._show_results(True)
            self._search_changed()
            footer.ask(self._search, answers=self.results())

    def _show_results(self, shown: bool) -> None:
        """The results in the tree's place, or the tree back. Set on the two widgets, not as a
        class of their container: a class restyles everything under it (~10 ms a time)."""
        self.query_one(ProcessTree).display = not shown
        self.results().display = shown

    def _search_changed(self) -> None:
        """The results as they are now; the page beside them follows the chosen one once it
        rests (as it follows the tree's cursor)."""
        prompt = self._search
        if prompt is None:
            return
        note = t("search.none") if prompt.query.strip() else t("search.hint")
        self.results().show(prompt.hits, prompt.chosen, note)
        k = prompt.current
        if k is not None and k.number != self.query_one(DetailPane).number:
            if self._pending is not None:
                self._pending.stop()
            self._due = lambda: self.show_detail(k.number)
            self._pending = self.set_timer(DETAIL_DELAY, self._run_due)

    def _search_done(self, number: int | None) -> None:
        """Enter opens the chosen result (as a jump: history, tree cursor); Esc goes back to where
        the tree's cursor is."""
        self._search = None
        self._show_results(False)
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
            self._due = None
        if number is not None:
            self.jump(number)
            return
        current = self.query_one(ProcessTree).current_number()
        if current is not None and current != self.query_one(DetailPane).number:
            self.show_detail(current)

    def on_result_list_picked(self, event: ResultList.Picked) -> None:
        """A click on a result opens it."""
        prompt = self._search
        if prompt is not None and 0 <= event.index < len(prompt.hits):
            prompt.choose(event.index)
            self.query_one(KeyFooter).answer(prompt.hits[event.index].knooppunt.number)
