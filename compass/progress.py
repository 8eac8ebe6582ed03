"""How far along a wijk is: the one place for counts, percent, overdue, stuck and next steps.

`wijkkompas status`, the reports and the app's overview all ask this module, so
they can never disagree. The rules:

- **percent** ("% afgerond") is `done` out of what applies: n.v.t. (`skipped`)
  does not count. It is rounded *down* to a whole percent, so 100% means really
  everything, and 90 of 91 is 98%. When nothing applies the answer is `None`,
  shown as "n.v.t.", never 0% or 100%.
- **te laat** (overdue): a due date before `today` on a knooppunt that is not
  finished (done or n.v.t.).
- **volgende stappen** (next steps): per spoor, the open (`todo`) knooppunten of
  the earliest phase in which that spoor still has open ones. Knooppunten that
  are bezig or vastgelopen do not hold the next ones back: the team can start
  those while the others run.
- **fase bereikt** (phase reached): per spoor, the highest phase with a
  knooppunt done or bezig.
- **perspectieven** (divergences): a knooppunt where the statuses recorded per
  role differ, ranked by how far apart they are.

Pure functions over a pack and anything shaped like a project state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from .model import (
    FINISHED,
    ROLES,
    STATUS_LABELS,
    STATUSES,
    TRACKS,
    Knooppunt,
    ProcessPack,
    is_overdue,
)

NEXT_STEPS_PER_TRACK = 3

# How far along a status says a knooppunt is; the spread of a divergence is the
# distance between the furthest-apart views. Open and vastgelopen are both "not
# started", afgerond and n.v.t. both "finished".
POSITION: dict[str, int] = {"todo": 0, "stuck": 0, "doing": 1, "done": 2, "skipped": 2}
SPREAD_LABELS: dict[int, str] = {2: "groot", 1: "middel", 0: "klein"}


# --- what is read from a state (`compass.state.ProjectState` provides it) -------------


class EntryLike(Protocol):
    """What one knooppunt's entry offers (`compass.state.Entry`)."""

    @property
    def status(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def due(self) -> dt.date | None: ...
    @property
    def perspectives(self) -> Mapping[str, str]: ...


class StateLike(Protocol):
    """The part of a project state that progress reads; fakes in tests work too."""

    def entry(self, slug: str) -> EntryLike: ...


# --- counting and percent ---------------------------------------------------------------


def percent(part: int, whole: int) -> int | None:
    """Whole percent, rounded down so 100% means really everything; None when nothing applies."""
    return (100 * part) // whole if whole > 0 else None


def percent_text(value: int | None, not_applicable: str = "n.v.t.") -> str:
    """`98%`, or `n.v.t.` when nothing applies."""
    return not_applicable if value is None else f"{value}%"


def count_statuses(statuses: Iterable[str]) -> dict[str, int]:
    """How many of each status, every status present (0 when none)."""
    out: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for s in statuses:
        out[s] = out.get(s, 0) + 1
    return out


def counts(
    pack: ProcessPack,
    state: StateLike,
    phase: int | None = None,
    track: str | None = None,
    spoor: str | None = None,
) -> dict[str, int]:
    """Status counts over the pack's knooppunten, optionally of one phase, track or spoor letter."""
    return count_statuses(state.entry(k.slug).status for k in select(pack, phase, track, spoor))


def select(
    pack: ProcessPack, phase: int | None = None, track: str | None = None, spoor: str | None = None
) -> list[Knooppunt]:
    return [
        k
        for k in pack.knooppunten
        if (phase is None or k.phase == phase)
        and (track is None or k.track == track)
        and (spoor is None or spoor in k.sporen)
    ]


def percent_done(c: Mapping[str, int]) -> int | None:
    """The one rule: done out of what applies (n.v.t. does not count), rounded down."""
    applicable = sum(c.values()) - c.get("skipped", 0)
    return percent(c.get("done", 0), applicable)


def finished(c: Mapping[str, int]) -> int:
    """Knooppunten that need no more work: done or n.v.t."""
    return sum(n for s, n in c.items() if s in FINISHED)


# --- lists of knooppunten -------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A knooppunt with what the team recorded about it, for lists and reports."""

    knooppunt: Knooppunt
    status: str
    note: str = ""
    owner: str = ""
    due: dt.date | None = None
    days_late: int = 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def where(self) -> str:
        return f"fase {self.knooppunt.phase} · {self.knooppunt.track}"


def item(k: Knooppunt, e: EntryLike, today: dt.date | None = None) -> Item:
    late = (today - e.due).days if today is not None and e.due is not None else 0
    return Item(k, e.status, e.note or "", e.owner or "", e.due, max(late, 0))


def stuck(pack: ProcessPack, state: StateLike) -> list[Item]:
    """Vastgelopen knooppunten, in process order, with note and owner."""
    return [item(k, e) for k in pack.knooppunten if (e := state.entry(k.slug)).status == "stuck"]


def overdue(pack: ProcessPack, state: StateLike, today: dt.date | None = None) -> list[Item]:
    """Knooppunten past their due date and not finished, the longest overdue first."""
    today = today or dt.date.today()
    items = [
        item(k, e, today) for k in pack.knooppunten if is_overdue(e := state.entry(k.slug), today)
    ]
    return sorted(items, key=lambda i: (i.due or today, i.knooppunt.number))


def next_steps(
    pack: ProcessPack, state: StateLike, per_track: int = NEXT_STEPS_PER_TRACK
) -> dict[str, list[Item]]:
    """Per spoor, the open knooppunten of the earliest phase that still has open ones."""
    out: dict[str, list[Item]] = {}
    for track in TRACKS:
        found: list[Item] = []
        for phase in pack.phases:
            todo = [
                item(k, e)
                for k in pack.in_phase(phase.number, track)
                if (e := state.entry(k.slug)).status == "todo"
            ]
            if todo:
                found = todo[:per_track]
                break
        out[track] = found
    return out


def phase_reached(pack: ProcessPack, state: StateLike) -> dict[str, int]:
    """Per spoor, the highest phase with a knooppunt done or bezig; 0 when none."""
    reached: dict[str, int] = dict.fromkeys(TRACKS, 0)
    for k in pack.knooppunten:
        if state.entry(k.slug).status in ("done", "doing"):
            reached[k.track] = max(reached[k.track], k.phase)
    return reached


# --- perspectives ---------------------------------------------------------------------------


def role_label(pack: ProcessPack, role: str) -> str:
    """A party's name as the pack spells it (`VvE`), else as the app's roles do, else the id."""
    return pack.stakeholders.get(role) or ROLES.get(role) or role


@dataclass(frozen=True)
class View:
    """How one party (a stakeholder of the pack) sees a knooppunt."""

    role: str
    label: str
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class Divergence:
    """Parties that see one knooppunt differently, e.g. `Gemeente: afgerond · Bewoners: open`."""

    knooppunt: Knooppunt
    views: tuple[View, ...]  # in the pack's order of stakeholders
    spread: int  # 0..2, see POSITION
    status: str = "todo"  # the team's own status in the file, for context

    @property
    def spread_label(self) -> str:
        return SPREAD_LABELS[self.spread]

    @property
    def text(self) -> str:
        return " · ".join(f"{v.label}: {v.status_label}" for v in self.views)


def views(pack: ProcessPack, perspectives: Mapping[str, str] | None) -> tuple[View, ...]:
    """The recorded views on one knooppunt, in the pack's order of stakeholders."""
    if not perspectives:
        return ()
    order = {role: i for i, role in enumerate(pack.stakeholders)}
    roles = sorted(
        (r for r in perspectives if perspectives[r]), key=lambda r: (order.get(r, len(order)), r)
    )
    return tuple(View(r, role_label(pack, r), perspectives[r]) for r in roles)


def divergences(pack: ProcessPack, state: StateLike) -> list[Divergence]:
    """Knooppunten where the roles' recorded statuses differ, the widest apart first.

    Ranking: spread (the distance between the furthest-apart views, see POSITION),
    then the number of different statuses, then process order.
    """
    found = []
    for k in pack.knooppunten:
        e = state.entry(k.slug)
        seen = views(pack, e.perspectives)
        statuses = {v.status for v in seen}
        if len(statuses) < 2:
            continue
        positions = [POSITION.get(s, 0) for s in statuses]
        found.append(Divergence(k, seen, max(positions) - min(positions), e.status))
    return sorted(
        found, key=lambda d: (-d.spread, -len({v.status for v in d.views}), d.knooppunt.number)
    )


def agenda(
    pack: ProcessPack, state: StateLike, today: dt.date | None = None, owner: str | None = None
) -> list[Item]:
    """Open work with an owner or a due date: overdue first, then by due date, then undated.

    `owner` keeps one person's work (case and surrounding spaces do not matter).
    """
    today = today or dt.date.today()
    items = []
    for k in pack.knooppunten:
        e = state.entry(k.slug)
        if e.status in FINISHED or not (e.owner or e.due):
            continue
        if owner and not same_owner(e.owner, owner):
            continue
        items.append(item(k, e, today))

    def order(i: Item) -> tuple[int, dt.date, int]:
        late = i.due is not None and i.due < today
        return (0 if late else 1 if i.due else 2, i.due or dt.date.max, i.knooppunt.number)

    return sorted(items, key=order)


def same_owner(a: str | None, b: str | None) -> bool:
    """One person, however the name is written: case and spaces do not matter."""
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def owners(pack: ProcessPack, state: StateLike) -> list[str]:
    """Everyone named as an owner in the file, once each (as first written), alphabetically."""
    seen: dict[str, str] = {}
    for k in pack.knooppunten:
        name = " ".join((state.entry(k.slug).owner or "").split())
        if name:
            seen.setdefault(name.casefold(), name)
    return sorted(seen.values(), key=str.casefold)
