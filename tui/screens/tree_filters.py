"""The navigator's filters: which knooppunten the tree shows (a party, a spoor, an owner, a
cell of the overview).

A mixin of `NavigatorScreen`, kept apart because it is one responsibility: choosing
a filter in a dialog, applying it to the tree, and taking it off again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compass.model import Knooppunt
from compass.text import one_line

from ..i18n import t
from ..widgets.detail import DetailPane
from ..widgets.process_tree import ProcessTree

if TYPE_CHECKING:
    from textual.screen import Screen

    from ..host import Host

    class _Navigator(Screen[None]):
        """What the filters use of the navigator."""

        filter_label: str
        _live_filter: bool

        @property
        def wk(self) -> Host: ...
        def jump(self, number: int, record: bool = True, page_now: bool = False) -> None: ...
        def show_detail(self, number: int, page_delay: float | None = None) -> None: ...
        def update_title(self) -> None: ...

    _Base = _Navigator
else:
    _Base = object


class TreeFilters(_Base):
    """Filter commands of the navigator (`p`, `S`, `m`, a cell of the overview `o`; Esc clears)."""

    def set_filter(self, label: str, predicate, live: bool = False) -> None:
        """Show only what `predicate` keeps; `live`: it reads the project state, so a change
        of the state is applied to the tree too."""
        self._live_filter = live
        tree = self.query_one(ProcessTree)
        tree.shown = predicate
        self.filter_label = label
        current = self.query_one(DetailPane).number
        tree.rebuild()
        self.refresh_bindings()
        first = next(
            (k.number for k in self.wk.pack.knooppunten if predicate is None or predicate(k)), None
        )
        target = current if current is not None and tree.has(current) else first
        if target is not None:
            tree.select_knooppunt(target)
            self.show_detail(target)
        self.update_title()

    def clear_filter(self, keep: int | None = None) -> None:
        tree = self.query_one(ProcessTree)
        tree.shown = None
        self._live_filter = False
        self.filter_label = ""
        tree.rebuild(keep=keep)
        self.update_title()

    def action_overview(self) -> None:
        from .overview import OverviewScreen

        self.app.push_screen(OverviewScreen(), self._filter_cell)

    def _filter_cell(self, cell: tuple[int, str] | int | None) -> None:
        if cell is None:
            return
        if isinstance(cell, int):  # a knooppunt from the overview's lists
            self.jump(cell)
            return
        phase, track = cell
        label = f"{t('phase')} {phase} · {t('track.' + track)}"
        self.set_filter(label, lambda k: k.phase == phase and k.track == track)

    def action_filter_owner(self) -> None:
        """'Mijn taken': the tree shows one owner's knooppunten (the current user offered first)."""
        from compass.progress import owners

        from .pickers import OwnerScreen

        state = self.wk.state
        found = owners(self.wk.pack, state) if state is not None else []
        self.app.push_screen(OwnerScreen(found, self.wk.user), self._filter_owner)

    def _chose(self, choice: str | None) -> str | None:
        """What every filter dialog's answer needs first: None (Esc) leaves the filter as it
        is, "" ("all") takes it off. Returns the filter still to apply, if any."""
        if choice == "":
            self.set_filter("", None)
        return choice or None

    def _filter_owner(self, choice: str | None) -> None:
        owner = self._chose(choice)
        if owner is None:
            return
        from compass.progress import same_owner

        def theirs(k: Knooppunt) -> bool:
            entry = self.wk.entry(k)
            return entry is not None and same_owner(entry.owner, owner)

        self.set_filter(t("owner.filter", name=one_line(owner)), theirs, live=True)

    def action_filter_party(self) -> None:
        from .pickers import PartyScreen

        self.app.push_screen(PartyScreen(self.wk.pack.stakeholders), self._filter_party)

    def _filter_party(self, choice: str | None) -> None:
        party = self._chose(choice)
        if party is None:
            return
        self.set_filter(
            self.wk.pack.stakeholders.get(party, party), lambda k: party in k.stakeholders
        )

    def action_clear_filter(self) -> None:
        if self.filter_label:
            self.clear_filter(keep=self.query_one(DetailPane).number)
            self.refresh_bindings()

    def action_filter_spoor(self) -> None:
        from .pickers import SpoorScreen

        self.app.push_screen(SpoorScreen(), self._filter_spoor)

    def _filter_spoor(self, choice: str | None) -> None:
        letter = self._chose(choice)
        if letter is None:
            return
        self.set_filter(f"{t('page.sporen')} {letter}", lambda k: letter in k.sporen)
