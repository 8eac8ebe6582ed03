"""What a report says, computed from a pack and a project state: pure functions, no rendering.

`compass.report` renders these with templates; the TUI's overview uses `divergences`
directly. Split from the rendering so each half can be read on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal, Mapping, Protocol, Sequence

from .model import ROLES, STATUS_LABELS, STATUSES, TRACK_LABELS, TRACKS, Knooppunt, ProcessPack

Format = Literal["md", "html"]
FORMATS: tuple[Format, ...] = ("md", "html")

FINISHED = frozenset({"done", "skipped"})
NEXT_STEPS_PER_TRACK = 3
DECISION_PREFIXES = ("Besluit:", "besluit:")

# How far along a status says a knooppunt is; the spread of a divergence is the
# distance between the furthest-apart views. Open and vastgelopen are both "not
# started", afgerond and n.v.t. both "finished".
POSITION: dict[str, int] = {"todo": 0, "stuck": 0, "doing": 1, "done": 2, "skipped": 2}
SPREAD_LABELS: dict[int, str] = {2: "groot", 1: "middel", 0: "klein"}

# Order of the segments in a progress bar: finished first, open last.
BAR_ORDER: tuple[str, ...] = ("done", "skipped", "doing", "stuck", "todo")
BAR_WIDTH = 120.0
COLOURS: dict[str, str] = {"done": "#2e7d32", "skipped": "#9e9e9e", "doing": "#f9a825", "stuck": "#c62828", "todo": "#e3e3e3"}

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


# --- what the report reads from a state (the state store provides these) -----------


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


class ProjectLike(Protocol):
    """Who the state is about (`compass.state.ProjectInfo`)."""

    @property
    def name(self) -> str: ...
    @property
    def gemeente(self) -> str: ...
    @property
    def wijk(self) -> str: ...
    @property
    def started(self) -> dt.date | None: ...


class StateLike(Protocol):
    """The part of `compass.state.ProjectState` a report reads; fakes in tests work too."""

    @property
    def project(self) -> ProjectLike: ...
    def entry(self, slug: str) -> EntryLike: ...


# --- the report model ----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One coloured piece of a progress bar (x and width in SVG units)."""

    status: str
    label: str
    count: int
    x: float
    width: float


class Counted:
    """Shared by everything that carries status counts: totals, % afgerond, bar pieces."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def applicable(self) -> int:
        return self.total - self.counts["skipped"]

    @property
    def percent(self) -> int | None:
        return percent(self.counts["done"], self.applicable)

    @property
    def segments(self) -> list[Segment]:
        return bar_segments(self.counts)


@dataclass(frozen=True)
class Cell(Counted):
    """Counts of one phase x spoor."""

    phase: int
    track: str
    counts: dict[str, int]

    @property
    def track_label(self) -> str:
        return TRACK_LABELS[self.track]

    @property
    def summary(self) -> str:
        """`2 afgerond, 1 bezig, 3 open`: the non-zero counts in words."""
        return ", ".join(f"{self.counts[s]} {STATUS_LABELS[s]}" for s in BAR_ORDER if self.counts[s]) or "geen knooppunten"


@dataclass(frozen=True)
class PhaseRow:
    number: int
    title: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Item:
    """A knooppunt with what the team recorded about it, for the lists in a report."""

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


@dataclass(frozen=True)
class Decision:
    knooppunt: Knooppunt
    text: str


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


@dataclass(frozen=True)
class ProjectReport(Counted):
    name: str
    gemeente: str
    wijk: str
    started: str
    today: dt.date
    pack_title: str
    phases: tuple[PhaseRow, ...]
    counts: dict[str, int]
    stuck: tuple[Item, ...]
    overdue: tuple[Item, ...]
    next_steps: dict[str, tuple[Item, ...]]
    decisions: tuple[Decision, ...]
    divergences: tuple[Divergence, ...]
    with_perspectives: int  # knooppunten with at least one recorded view


@dataclass(frozen=True)
class PortfolioRow:
    """One wijk in a portfolio report."""

    name: str
    gemeente: str
    wijk: str
    percent: int | None
    reached: dict[str, int]  # track -> highest phase with a done/doing knooppunt (0: none)
    stuck: int
    overdue: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def segments(self) -> list[Segment]:
        return bar_segments(self.counts)


@dataclass(frozen=True)
class Portfolio:
    today: dt.date
    phases: tuple[tuple[int, str], ...]
    rows: tuple[PortfolioRow, ...]


# --- small pure helpers ------------------------------------------------------------------


def percent(part: int, whole: int) -> int | None:
    """Whole percent, rounded down so 100% means really everything; None when nothing applies."""
    return (100 * part) // whole if whole else None


def role_label(pack: ProcessPack, role: str) -> str:
    """A party's name as the pack spells it (`VvE`), else as the app's roles do, else the id."""
    return pack.stakeholders.get(role) or ROLES.get(role) or role


def nl_date(value: dt.date | str | None) -> str:
    """`3 maart 2026`; strings are passed through, None becomes empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return str(value)


def bar_segments(counts: Mapping[str, int], width: float = BAR_WIDTH) -> list[Segment]:
    """The non-empty pieces of a stacked progress bar, finished first."""
    total = sum(counts.get(s, 0) for s in STATUSES)
    out: list[Segment] = []
    x = 0.0
    for status in BAR_ORDER:
        n = counts.get(status, 0)
        if not n or not total:
            continue
        w = round(width * n / total, 2)
        out.append(Segment(status, STATUS_LABELS[status], n, round(x, 2), w))
        x += w
    return out


def decision_lines(note: str) -> list[str]:
    """The decisions in a note: lines that start with `Besluit:` (leading spaces allowed)."""
    out = []
    for line in (note or "").splitlines():
        stripped = line.strip()
        for prefix in DECISION_PREFIXES:
            if stripped.startswith(prefix):
                text = stripped[len(prefix):].strip()
                if text:
                    out.append(text)
                break
    return out


def _count(statuses: Iterable[str]) -> dict[str, int]:
    counts = {s: 0 for s in STATUSES}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return counts


def _item(k: Knooppunt, e: EntryLike, today: dt.date | None = None) -> Item:
    late = (today - e.due).days if today is not None and e.due is not None else 0
    return Item(k, e.status, e.note or "", e.owner or "", e.due, max(late, 0))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --- the parts of a report (pure: pack + state [+ today] in, data out) -----------------


def phase_rows(pack: ProcessPack, state: StateLike) -> list[PhaseRow]:
    """Counts per status for each phase x spoor, in process order."""
    rows = []
    for phase in pack.phases:
        cells = tuple(
            Cell(phase.number, track, _count(state.entry(k.slug).status for k in pack.in_phase(phase.number, track)))
            for track in TRACKS
        )
        rows.append(PhaseRow(phase.number, phase.title, cells))
    return rows


def stuck(pack: ProcessPack, state: StateLike) -> list[Item]:
    """Vastgelopen knooppunten, in process order, with note and owner."""
    return [_item(k, e) for k in pack.knooppunten if (e := state.entry(k.slug)).status == "stuck"]


def overdue(pack: ProcessPack, state: StateLike, today: dt.date | None = None) -> list[Item]:
    """Knooppunten past their due date and not done or skipped, the longest overdue first."""
    today = today or dt.date.today()
    items = [
        _item(k, e, today)
        for k in pack.knooppunten
        if (e := state.entry(k.slug)).due is not None and e.due < today and e.status not in FINISHED
    ]
    return sorted(items, key=lambda i: (i.due, i.knooppunt.number))


def next_steps(pack: ProcessPack, state: StateLike, per_track: int = NEXT_STEPS_PER_TRACK) -> dict[str, list[Item]]:
    """Per spoor, the open knooppunten at the front of the process.

    The front is the earliest phase in which the spoor still has open work. Its open
    knooppunten, in process order, are the next steps. A phase whose unfinished
    knooppunten are all bezig or vastgelopen offers none, so the next phase's open
    ones follow: the team can start those while the others run.
    """
    out: dict[str, list[Item]] = {}
    for track in TRACKS:
        found: list[Item] = []
        for phase in pack.phases:
            items = [(k, state.entry(k.slug)) for k in pack.in_phase(phase.number, track)]
            todo = [_item(k, e) for k, e in items if e.status == "todo"]
            if todo:
                found = todo[:per_track]
                break
        out[track] = found
    return out


def decisions(pack: ProcessPack, state: StateLike) -> list[Decision]:
    """Decisions recorded in notes (`Besluit: ...` lines), in process order."""
    return [Decision(k, text) for k in pack.knooppunten for text in decision_lines(state.entry(k.slug).note)]


def views(pack: ProcessPack, perspectives: Mapping[str, str] | None) -> tuple[View, ...]:
    """The recorded views on one knooppunt, in the pack's order of stakeholders."""
    if not perspectives:
        return ()
    order = {role: i for i, role in enumerate(pack.stakeholders)}
    roles = sorted((r for r in perspectives if perspectives[r]), key=lambda r: (order.get(r, len(order)), r))
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
    return sorted(found, key=lambda d: (-d.spread, -len({v.status for v in d.views}), d.knooppunt.number))


def phase_reached(pack: ProcessPack, state: StateLike) -> dict[str, int]:
    """Per spoor, the highest phase with a knooppunt done or doing; 0 when none."""
    reached = {t: 0 for t in TRACKS}
    for k in pack.knooppunten:
        if state.entry(k.slug).status in ("done", "doing"):
            reached[k.track] = max(reached[k.track], k.phase)
    return reached


def build_report(pack: ProcessPack, state: StateLike, today: dt.date | None = None) -> ProjectReport:
    """Everything one project's report shows, computed once."""
    today = today or dt.date.today()
    p = state.project
    counts = _count(state.entry(k.slug).status for k in pack.knooppunten)
    return ProjectReport(
        name=_text(p.name),
        gemeente=_text(p.gemeente),
        wijk=_text(p.wijk),
        started=nl_date(p.started),
        today=today,
        pack_title=pack.title,
        phases=tuple(phase_rows(pack, state)),
        counts=counts,
        stuck=tuple(stuck(pack, state)),
        overdue=tuple(overdue(pack, state, today)),
        next_steps={t: tuple(items) for t, items in next_steps(pack, state).items()},
        decisions=tuple(decisions(pack, state)),
        divergences=tuple(divergences(pack, state)),
        with_perspectives=sum(1 for k in pack.knooppunten if state.entry(k.slug).perspectives),
    )


def portfolio_row(pack: ProcessPack, state: StateLike, today: dt.date | None = None) -> PortfolioRow:
    """One wijk's line in a portfolio: % finished, phase reached per spoor, stuck, overdue."""
    today = today or dt.date.today()
    p = state.project
    counts = _count(state.entry(k.slug).status for k in pack.knooppunten)
    return PortfolioRow(
        name=_text(p.name),
        gemeente=_text(p.gemeente),
        wijk=_text(p.wijk),
        percent=percent(counts["done"], sum(counts.values()) - counts["skipped"]),
        reached=phase_reached(pack, state),
        stuck=counts["stuck"],
        overdue=len(overdue(pack, state, today)),
        counts=counts,
    )


def build_portfolio(pack: ProcessPack, states: Sequence[StateLike], today: dt.date | None = None) -> Portfolio:
    today = today or dt.date.today()
    return Portfolio(
        today=today,
        phases=tuple((p.number, p.title) for p in pack.phases),
        rows=tuple(portfolio_row(pack, s, today) for s in states),
    )


# --- rendering -------------------------------------------------------------------------------

