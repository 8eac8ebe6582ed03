"""Problems with a user's file, reported as `FILE:LINE:COL: message`.

Every loader in the core collects these instead of raising on the first one, so a
person fixing a file sees all that is wrong at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from .text import one_line


# A NamedTuple, not a frozen dataclass: no methods compiled at import, on every start.
class Problem(NamedTuple):
    path: str
    line: int | None
    col: int | None
    message: str

    def __str__(self) -> str:
        """One line, control characters shown visibly (a value quoted from a file may hold them)."""
        path, message = one_line(self.path), one_line(self.message)
        if self.line is None:
            return f"{path}: {message}"
        return f"{path}:{self.line}:{self.col or 1}: {message}"


class ProblemsError(Exception):
    """One or more problems that stop a file from being used."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def yaml_position(node: Any, loc: tuple[Any, ...]) -> tuple[int, int] | None:
    """1-based (line, col) of the deepest part of `loc` found in a ruamel round-trip node.

    Used to put a line number on a pydantic error, whose location is a path of keys.
    """
    found: tuple[int, int] | None = None
    if hasattr(node, "lc"):
        found = (node.lc.line + 1, node.lc.col + 1)
    for key in loc:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            if isinstance(node, dict) and key in node:
                line, col = (
                    lc.value(key) if not isinstance(node[key], (dict, list)) else lc.key(key)
                )
                found = (line + 1, col + 1)
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                line, col = lc.item(key)
                found = (line + 1, col + 1)
                node = node[key]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return found


def yaml_error_problem(path: str, exc: Exception, line_offset: int = 0) -> Problem:
    """Turn a ruamel parse error into a one-line Problem with its position."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"ongeldige YAML: {reason}"
    if context and "found duplicate key" in str(context) + str(reason):
        message = "dubbele sleutel: " + str(reason)
    if mark is not None:
        return Problem(path, mark.line + 1 + line_offset, mark.column + 1, message)
    return Problem(path, None, None, message)


class UsageError(Exception):
    """A command used the wrong way: exit 2."""


class EditConflict(Exception):
    """Someone else changed a field since it was read: the caller decides, nothing is written."""

    def __init__(self, slug: str, field: str, theirs: Any) -> None:
        self.slug = slug
        self.field = field
        self.theirs = theirs
        super().__init__(f"{slug}: {field} is intussen door iemand anders gewijzigd")


class InvalidInput(Exception):
    """Input that cannot be used (unknown knooppunt, bad value): exit 1, one line."""


def too_deep_problem(path: str, text: str, line_offset: int = 0) -> Problem:
    """YAML nested deeper than the parser's stack (thousands of levels of indentation or
    brackets): one line where the nesting gets absurd, never a RecursionError."""
    line = next(
        (n for n, row in enumerate(text.split("\n"), 1) if len(row) - len(row.lstrip(" ")) >= 64),
        1,
    )
    return Problem(
        path,
        line + line_offset,
        1,
        "veel te diep genest (inspringing of haakjes); zo diep nest een wijkkompas-bestand nooit",
    )
