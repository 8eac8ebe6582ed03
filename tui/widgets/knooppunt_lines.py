"""A list of lines, some of them knooppunten to jump to (the overview's and the agenda's).

Why one helper: both screens refill their list when the project changes and must keep
the highlighted line where it was. A knooppunt can be listed twice (next steps and
overdue, say), so an option's id is its line and its number: `"LINE:NUMBER"`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def refill(lines: OptionList, rows: list[tuple[Text, int | None]], *, first: bool) -> None:
    """Replace the options by `rows` (text, knooppunt number or None for a heading), keeping
    the highlighted line; with nothing highlighted and `first`, the first knooppunt."""
    keep = lines.highlighted
    lines.clear_options()
    lines.add_options(
        [
            Option(text, id=None if number is None else f"{n}:{number}", disabled=number is None)
            for n, (text, number) in enumerate(rows)
        ]
    )
    if keep is not None and keep < lines.option_count:
        lines.highlighted = keep
    elif first:
        at = next((n for n, o in enumerate(lines.options) if not o.disabled), None)
        if at is not None:
            lines.highlighted = at


def number_of(option_id: str) -> int:
    """The knooppunt number of an option made by `refill`."""
    return int(option_id.partition(":")[2])
