"""Search from the footer line: type, the results stand where the tree was, Enter opens one.

Why not a dialog: a dialog repaints the whole screen to open, again to close, and
a list and a field in it at every key. Here a key repaints the footer line and the
result list; the page beside it shows the chosen result, as it does for the tree's
cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from ..i18n import t
from .typed_query import TypedQuery

if TYPE_CHECKING:
    from compass.model import Knooppunt
    from compass.search import Hit, SearchIndex

LIMIT = 40  # results shown at most (the best first)


class SearchPrompt(TypedQuery):
    """The typed query, its results (`SearchIndex.search`: number and title first, then the page
    text) and the chosen one. `changed` is called after every change."""

    def __init__(
        self,
        index: SearchIndex,
        done: Callable[[int | None], None],
        changed: Callable[[], None],
    ) -> None:
        super().__init__(done)
        self.index = index
        self.changed = changed
        self.hits: list[Hit] = []
        self.chosen = 0

    @property
    def current(self) -> Knooppunt | None:
        return self.hits[self.chosen].knooppunt if self.hits else None

    def move(self, step: int) -> None:
        """↑/↓ (one) or PgUp/PgDn (a screen): another result, stopping at the first and last."""
        if self.hits:
            chosen = max(0, min(len(self.hits) - 1, self.chosen + step))
            if chosen != self.chosen:
                self.chosen = chosen
                self.changed()

    def choose(self, index: int) -> None:
        """A result chosen by the mouse."""
        if 0 <= index < len(self.hits):
            self.chosen = index
            self.changed()

    def _match(self) -> None:
        self.hits = self.index.search(self.query, limit=LIMIT) if self.query.strip() else []
        self.chosen = 0
        self.changed()

    def render(self, key_style: Style, text_style: Style, width: int = 80) -> Text:
        """One line: `Zoeken: warmte▏  3/40 ↑↓  enter: open · esc: terug`; hints give way first."""
        dim = text_style + Style(dim=True)
        line = self.asked(t("search.title"), key_style, text_style, width)
        if not self.query.strip():
            hint = f"{t('search.placeholder')} · {t('goto.cancel')}"
        elif not self.hits:
            hint = t("search.none")
        else:
            hint = f"{self.chosen + 1}/{len(self.hits)} ↑↓  {t('search.keys')}"
        if line.cell_len + 2 + len(hint) <= width:
            line.append(f"  {hint}", style=dim)
        return line
