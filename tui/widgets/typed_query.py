"""What go-to and search share when they ask in the footer line: the typed text, and whom to
tell the answer."""

from __future__ import annotations

from collections.abc import Callable


class TypedQuery:
    """The text typed so far; each change asks the subclass for matches (`_match`)."""

    def __init__(self, done: Callable[[int | None], None]) -> None:
        self.done = done  # called with the chosen number, or None when cancelled
        self.query = ""

    def type(self, text: str) -> None:
        self.query += text
        self._match()

    def backspace(self) -> None:
        self.query = self.query[:-1]
        self._match()

    def _match(self) -> None:
        raise NotImplementedError
