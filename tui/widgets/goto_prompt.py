"""Go to a knooppunt from the footer line: type a number or the start of a title, Enter jumps.

Why in the footer line and not a dialog: going somewhere by number is the most
frequent move in a workshop ("kijk allemaal naar 42"). A dialog costs a repaint of
the whole screen to open and again to close (~12-25 ms, ~10 KB over SSH each); the
footer line is one row. The full list of matches is what search (`/`) is for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from compass.model import Knooppunt
from compass.search import fold

from ..i18n import t
from .typed_query import TypedQuery

if TYPE_CHECKING:
    from compass.search import SearchIndex

MATCHES = 12


class GotoPrompt(TypedQuery):
    """The typed text, its best matches (number and title, as `SearchIndex.fuzzy` ranks them) and
    the chosen one."""

    def __init__(self, index: SearchIndex, done: Callable[[int | None], None]) -> None:
        super().__init__(done)
        self.index = index
        self.hits: list[Knooppunt] = []
        self.chosen = 0

    @property
    def current(self) -> Knooppunt | None:
        return self.hits[self.chosen] if self.hits else None

    def move(self, step: int) -> None:
        """↑/↓: the previous or next match."""
        if self.hits:
            self.chosen = (self.chosen + step) % len(self.hits)

    def _match(self) -> None:
        """Numbers, and titles with a word that starts with what was typed; a loose match only
        when none do."""
        q = fold(self.query).strip()
        hits = [h.knooppunt for h in self.index.fuzzy(self.query, limit=MATCHES)] if q else []
        starting = [
            k
            for k in hits
            if str(k.number).startswith(q)
            or any(word.startswith(q) for word in fold(k.title).split())
        ]
        self.hits = starting or hits
        self.chosen = 0

    def render(self, key_style: Style, text_style: Style, width: int = 80) -> Text:
        """One line: `Ga naar: 42▏ → 42. Titel  1/3 ↑↓  enter: ga · esc: terug`; the title gives
        way first."""
        dim = text_style + Style(dim=True)
        line = self.asked(t("goto.prompt"), key_style, text_style, width)
        k = self.current
        if k is None:
            hint = (
                t("goto.none")
                if self.query.strip()
                else f"{t('goto.placeholder')} · {t('goto.cancel')}"
            )
            line.append(f"  {hint}", style=dim)
            return line
        tail = Text(no_wrap=True, end="")
        if len(self.hits) > 1:
            tail.append(f"  {self.chosen + 1}/{len(self.hits)} ↑↓", style=dim)
        tail.append(f"  {t('goto.keys')}", style=dim)
        label = Text(
            k.label, style=text_style + Style(bold=True), no_wrap=True, overflow="ellipsis", end=""
        )
        room = width - line.cell_len - len("  → ") - tail.cell_len
        if room < 8:  # a narrow terminal: the title matters more than the hints
            tail, room = Text(end=""), width - line.cell_len - len("  → ")
        label.truncate(max(room, 1), overflow="ellipsis")
        line.append("  → ", style=text_style)
        line.append_text(label)
        line.append_text(tail)
        return line
