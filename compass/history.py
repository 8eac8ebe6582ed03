"""Back/forward history of visited places, like a browser's: small, generic, UI-free."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class History(Generic[T]):
    """Visited items with a cursor. Visiting after going back drops the forward part."""

    def __init__(self, limit: int = 500) -> None:
        self._items: list[T] = []
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> T | None:
        return self._items[self._pos] if self._pos >= 0 else None

    @property
    def can_back(self) -> bool:
        return self._pos > 0

    @property
    def can_forward(self) -> bool:
        return self._pos < len(self._items) - 1

    def visit(self, item: T) -> None:
        """Record a visit; a repeat of the current item is not a new step."""
        if self.current == item:
            return
        del self._items[self._pos + 1 :]
        self._items.append(item)
        if len(self._items) > self._limit:
            del self._items[0]
        self._pos = len(self._items) - 1

    def back(self) -> T | None:
        if not self.can_back:
            return None
        self._pos -= 1
        return self.current

    def forward(self) -> T | None:
        if not self.can_forward:
            return None
        self._pos += 1
        return self.current

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)
