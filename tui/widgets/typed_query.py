"""What go-to and search share when they ask in the footer line: the typed text, and whom to
tell the answer."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

MAX_QUERY = 200  # characters


class TypedQuery:
    """The text typed so far; each change asks the subclass for matches (`_match`)."""

    def __init__(self, done: Callable[[int | None], None]) -> None:
        self.done = done  # called with the chosen number, or None when cancelled
        self.query = ""

    def type(self, text: str) -> None:
        if len(self.query) + len(text) > MAX_QUERY:
            return  # a paste of a whole page is not a query; every key would search it again
        self.query += text
        self._match()

    def backspace(self) -> None:
        self.query = self.query[:-1]
        self._match()

    def _match(self) -> None:
        raise NotImplementedError

    def asked(self, label: str, key_style: Style, text_style: Style, width: int) -> Text:
        """The start of the footer line: ` Label: query▏`, the query's end when it is long."""
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(f" {label}: ", style=key_style)
        line.append(self.visible_query(max(1, width - line.cell_len - 2)), style=text_style)
        line.append("▏", style=text_style)
        return line

    def visible_query(self, room: int) -> str:
        """The query to show in `room` cells: its end, where the typing is, when it is longer."""
        if cell_len(self.query) <= room:
            return self.query
        tail = self.query[-room:]
        while tail and cell_len(tail) > room - 1:
            tail = tail[1:]
        return "…" + tail
