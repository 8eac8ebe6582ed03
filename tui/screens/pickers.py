"""Small dialogs that pick one thing from a list: go to, search, bookmarks, party filter.

They share one shape: an optional input that filters, a list, Enter picks, Esc closes.
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
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from compass.model import SPOREN, Knooppunt
from compass.progress import same_owner
from compass.search import SearchIndex
from compass.text import one_line

from ..i18n import t
from ..widgets.calm import CalmInput
from . import DIALOG_CSS

SEARCH_LIMIT = 40
MADE_OPTIONS = 1000  # search results kept for reuse (a few KB each)


class ListDialog(ModalScreen[Any]):
    """Title, optional query input, option list. Subclasses say what the options are."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("escape", "close", t("cancel"), show=False),
        Binding("down", "focus_list", show=False),
    ]
    TITLE_KEY = ""
    PLACEHOLDER_KEY = ""
    WITH_INPUT = True
    _hint = ""  # what the line under the list says now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t(self.TITLE_KEY), classes="dialog-title")
            if self.WITH_INPUT:
                yield CalmInput(placeholder=t(self.PLACEHOLDER_KEY), id="query")
            yield OptionList(id="choices")
            yield Static("", id="empty", classes="hint")

    def on_mount(self) -> None:
        self.fill("")
        if self.WITH_INPUT:
            self.query_one(Input).focus()
        else:
            self.query_one(OptionList).focus()

    def options(self, query: str) -> Iterable[Option]:
        raise NotImplementedError

    def empty_text(self, query: str) -> str:
        return t("search.none") if query else ""

    def fill(self, query: str) -> None:
        """The options for `query`. When they are the ones shown already (typing on in a word
        often finds the same), the list is left alone: nothing to repaint."""
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

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None and ol.option_count:
            self.pick(ol.get_option_at_index(ol.highlighted).id)

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.pick(event.option.id)

    def pick(self, option_id: str | None) -> None:
        self.dismiss(int(option_id) if option_id is not None else None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_focus_list(self) -> None:
        ol = self.query_one(OptionList)
        if self.focused is not ol and ol.option_count:
            ol.focus()
            if ol.highlighted is not None and ol.highlighted < ol.option_count - 1:
                ol.highlighted += 1


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


class SearchScreen(ListDialog):
    """Search titles (fuzzy) and page text (token index); results per keystroke.

    The navigator keeps one (installed on the app) and opens it again with `reopen`:
    building the dialog's widgets anew cost more than half of opening it.
    """

    TITLE_KEY = "search.title"
    PLACEHOLDER_KEY = "search.placeholder"

    def __init__(self, index: SearchIndex) -> None:
        super().__init__()
        self.index = index
        # The options shown so far, kept: typing on finds many of the same results, and an
        # option that is shown again keeps what the list worked out for it (its text as
        # Textual content, its height at the list's width) instead of wrapping it again.
        self._made: dict[tuple[int, str], Option] = {}

    def reopen(self) -> None:
        """Back to how a new dialog starts: empty query, empty list, focus in the query."""
        if not self.is_mounted:  # never shown yet: on_mount does this
            return
        query = self.query_one(Input)
        with query.prevent(Input.Changed):
            query.value = ""
        self.fill("")
        self.set_focus(query)

    def options(self, query: str) -> Iterable[Option]:
        if not query.strip():
            return []
        if len(self._made) > MADE_OPTIONS:
            self._made.clear()
        out = []
        for hit in self.index.search(query, limit=SEARCH_LIMIT):
            key = (hit.knooppunt.number, hit.where)
            option = self._made.get(key)
            if option is None:
                option = self._made[key] = knooppunt_option(hit.knooppunt, f" · {hit.where}")
            out.append(option)
        return out


class BookmarksScreen(ListDialog):
    TITLE_KEY = "bookmarks.title"
    WITH_INPUT = False

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
    WITH_INPUT = False

    def options(self, query: str) -> Iterable[Option]:
        yield Option(t("spoor.all"), id="")
        for letter, name in SPOREN.items():
            yield Option(Text(f"{letter}  {name}"), id=letter)

    def pick(self, option_id: str | None) -> None:
        self.dismiss(option_id)


class PartyScreen(ListDialog):
    """Choose a party: the tree then shows only the knooppunten it is involved in."""

    TITLE_KEY = "filter.title"
    WITH_INPUT = False

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
    WITH_INPUT = False

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
