"""Small dialogs that pick one thing from a list: bookmarks, party, spoor and owner filters.

They share one shape: a title, a list, Enter picks, Esc closes. (Go-to and search ask in
the footer line: tui/widgets/goto_prompt.py, search_prompt.py.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from compass.model import SPOREN, Knooppunt
from compass.progress import same_owner
from compass.text import one_line

from ..i18n import t
from . import DIALOG_CSS


class ListDialog(ModalScreen[Any]):
    """Title and option list. Subclasses say what the options are."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("escape", "close", t("cancel"), show=False),
    ]
    TITLE_KEY = ""
    _hint = ""  # what the line under the list says now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t(self.TITLE_KEY), classes="dialog-title")
            yield OptionList(id="choices")
            yield Static("", id="empty", classes="hint")

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(OptionList).focus()

    def options(self, query: str) -> Iterable[Option]:
        raise NotImplementedError

    def empty_text(self, query: str) -> str:
        return ""

    def fill(self, query: str) -> None:
        """The options. When they are the ones shown already, the list is left alone: nothing to
        repaint."""
        ol = self.query_one(OptionList)
        opts = list(self.options(query))
        if not _same_options(opts, ol):
            ol.clear_options()
            ol.add_options(opts)
            if opts:
                ol.highlighted = 0
        hint = "" if opts else self.empty_text(query)
        empty = self.query_one("#empty", Static)
        if hint != self._hint:
            self._hint = hint
            empty.update(hint)

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.pick(event.option.id)

    def pick(self, option_id: str | None) -> None:
        self.dismiss(int(option_id) if option_id is not None else None)

    def action_close(self) -> None:
        self.dismiss(None)


def _same_options(opts: list[Option], shown: OptionList) -> bool:
    """Same ids with the same labels, in the same order, as the list shows, and the first
    highlighted (as a fill leaves it)."""
    if len(opts) != shown.option_count or (opts and shown.highlighted != 0):
        return False
    for i, new in enumerate(opts):
        old = shown.get_option_at_index(i)
        if new.id != old.id or str(new.prompt) != str(old.prompt):
            return False
    return True


def knooppunt_option(k: Knooppunt, extra: str = "") -> Option:
    label = Text(f"{k.number:>3}  ")
    label.append(k.title)
    label.append(f"  fase {k.phase}{extra}", style="dim")
    return Option(label, id=str(k.number))


class BookmarksScreen(ListDialog):
    TITLE_KEY = "bookmarks.title"

    def __init__(self, bookmarks: list[Knooppunt]) -> None:
        super().__init__()
        self.bookmarks = bookmarks

    def options(self, query: str) -> Iterable[Option]:
        return [knooppunt_option(k) for k in self.bookmarks]

    def empty_text(self, query: str) -> str:
        return t("bookmarks.none")


class SpoorScreen(ListDialog):
    """Choose one of the website's six sporen (A-F): the tree then shows only its knooppunten."""

    TITLE_KEY = "spoor.title"

    def options(self, query: str) -> Iterable[Option]:
        yield Option(t("spoor.all"), id="")
        for letter, name in SPOREN.items():
            yield Option(Text(f"{letter}  {name}"), id=letter)

    def pick(self, option_id: str | None) -> None:
        self.dismiss(option_id)


class PartyScreen(ListDialog):
    """Choose a party: the tree then shows only the knooppunten it is involved in."""

    TITLE_KEY = "filter.title"

    def __init__(self, stakeholders: dict[str, str]) -> None:
        super().__init__()
        self.stakeholders = stakeholders

    def options(self, query: str) -> Iterable[Option]:
        yield Option(t("filter.all"), id="")
        for sid, label in self.stakeholders.items():
            yield Option(Text(label), id=sid)

    def pick(self, option_id: str | None) -> None:
        self.dismiss(option_id)


class OwnerScreen(ListDialog):
    """'Mijn taken': choose an owner; the tree then shows only their knooppunten.

    The owners are those named in the file; the current user is highlighted when
    they are one of them.
    """

    TITLE_KEY = "owner.title"

    def __init__(self, owners: list[str], user: str = "") -> None:
        super().__init__()
        self.owners = owners
        self.user = user

    def options(self, query: str) -> Iterable[Option]:
        yield Option(t("owner.all"), id="")
        for n, name in enumerate(self.owners):
            yield Option(Text(one_line(name)), id=str(n))

    def empty_text(self, query: str) -> str:
        return t("owner.none")

    def fill(self, query: str) -> None:
        super().fill(query)
        mine = next((n for n, o in enumerate(self.owners) if same_owner(o, self.user)), None)
        if mine is not None:
            self.query_one(OptionList).highlighted = mine + 1

    def pick(self, option_id: str | None) -> None:
        if option_id is None:
            self.dismiss(None)
        else:
            self.dismiss(self.owners[int(option_id)] if option_id else "")
