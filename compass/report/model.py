"""What a report says, computed from a pack and a project state: pure functions, no rendering.

`compass.report.render` renders these with templates; the TUI's overview uses `divergences`
directly. Split from the rendering so each half can be read on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..model import (
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUSES,
    STUCK_PREFIX,
    TRACK_LABELS,
    TRACKS,
    Knooppunt,
    ProcessPack,
)
from ..progress import (
    Divergence,
    EntryLike,
    Item,
    count_statuses,
    divergences,
    next_steps,
    overdue,
    percent_done,
    phase_reached,
    stuck,
)

Format = Literal["md", "html"]
FORMATS: tuple[Format, ...] = ("md", "html")

DECISION_PREFIXES = ("Besluit:", "besluit:")
ACTION_PREFIXES = ("Actie:", "actie:")
STUCK_PREFIXES = (STUCK_PREFIX, STUCK_PREFIX.lower())  # the reason asked for at status `stuck`

# Order of the segments in a progress bar: finished first, open last.
BAR_ORDER: tuple[str, ...] = ("done", "skipped", "doing", "stuck", "todo")
BAR_WIDTH = 120.0
COLOURS: dict[str, str] = STATUS_COLOURS

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


# --- what the report reads from a state (the state store provides these) -----------


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
        return percent_done(self.counts)

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
        return (
            ", ".join(f"{self.counts[s]} {STATUS_LABELS[s]}" for s in BAR_ORDER if self.counts[s])
            or "geen knooppunten"
        )


@dataclass(frozen=True)
class PhaseRow:
    number: int
    title: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Decision:
    knooppunt: Knooppunt
    text: str


@dataclass(frozen=True)
class SinceReport:
    """Knooppunten finished, stuck or reopened since a point, and the decisions added."""

    label: str  # `15 januari 2027`, or the revision as typed (`v1.0`)
    finished: tuple[Item, ...] = ()
    stuck: tuple[Item, ...] = ()
    reopened: tuple[Item, ...] = ()  # afgerond then, something else now (status as now)
    decisions: tuple[Decision, ...] = ()
    note: str = ""  # why nothing could be compared (no git history), else empty

    @property
    def empty(self) -> bool:
        return not (self.finished or self.stuck or self.reopened or self.decisions)


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
    actions: tuple[Decision, ...] = ()  # `Actie:` lines from the notes
    since: SinceReport | None = None  # `report --since`: what moved since then

    def stuck_reason(self, i: Item) -> str:
        """Why a knooppunt is stuck: its note's `Vastgelopen:` lines, else the whole note."""
        return "; ".join(stuck_lines(i.note)) or i.note


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
    since: SinceReport | None = None  # `report --since`: what moved in this wijk since then

    @property
    def segments(self) -> list[Segment]:
        return bar_segments(self.counts)


@dataclass(frozen=True)
class Portfolio:
    today: dt.date
    phases: tuple[tuple[int, str], ...]
    rows: tuple[PortfolioRow, ...]


# --- small pure helpers ------------------------------------------------------------------


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
    return prefixed_lines(note, DECISION_PREFIXES)


def action_lines(note: str) -> list[str]:
    """The actions in a note: lines that start with `Actie:` (leading spaces allowed)."""
    return prefixed_lines(note, ACTION_PREFIXES)


def stuck_lines(note: str) -> list[str]:
    """The reasons in a note: lines that start with `Vastgelopen:`, as the app writes them."""
    return prefixed_lines(note, STUCK_PREFIXES)


def prefixed_lines(note: str, prefixes: tuple[str, ...]) -> list[str]:
    """The text after one of `prefixes`, for each line of `note` that starts with one."""
    out = []
    for line in (note or "").splitlines():
        stripped = line.strip()
        for prefix in prefixes:
            if stripped.startswith(prefix):
                text = stripped[len(prefix) :].strip()
                if text:
                    out.append(text)
                break
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --- the parts of a report (pure: pack + state [+ today] in, data out) -----------------


def phase_rows(pack: ProcessPack, state: StateLike) -> list[PhaseRow]:
    """Counts per status for each phase x spoor, in process order."""
    rows = []
    for phase in pack.phases:
        cells = tuple(
            Cell(
                phase.number,
                track,
                count_statuses(
                    state.entry(k.slug).status for k in pack.in_phase(phase.number, track)
                ),
            )
            for track in TRACKS
        )
        rows.append(PhaseRow(phase.number, phase.title, cells))
    return rows


def actions(pack: ProcessPack, state: StateLike) -> list[Decision]:
    """Actions recorded in notes (`Actie: ...` lines), in process order."""
    return _noted(pack, state, ACTION_PREFIXES)


def decisions(pack: ProcessPack, state: StateLike) -> list[Decision]:
    """Decisions recorded in notes (`Besluit: ...` lines), in process order."""
    return _noted(pack, state, DECISION_PREFIXES)


def _noted(pack: ProcessPack, state: StateLike, prefixes: tuple[str, ...]) -> list[Decision]:
    return [
        Decision(k, text)
        for k in pack.knooppunten
        for text in prefixed_lines(state.entry(k.slug).note, prefixes)
    ]


def build_report(
    pack: ProcessPack, state: StateLike, today: dt.date | None = None
) -> ProjectReport:
    """Everything one project's report shows, computed once."""
    today = today or dt.date.today()
    p = state.project
    counts = count_statuses(state.entry(k.slug).status for k in pack.knooppunten)
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
        actions=tuple(actions(pack, state)),
        divergences=tuple(divergences(pack, state)),
        with_perspectives=sum(1 for k in pack.knooppunten if state.entry(k.slug).perspectives),
    )


def portfolio_row(
    pack: ProcessPack, state: StateLike, today: dt.date | None = None
) -> PortfolioRow:
    """One wijk's line in a portfolio: % finished, phase reached per spoor, stuck, overdue."""
    today = today or dt.date.today()
    p = state.project
    counts = count_statuses(state.entry(k.slug).status for k in pack.knooppunten)
    return PortfolioRow(
        name=_text(p.name),
        gemeente=_text(p.gemeente),
        wijk=_text(p.wijk),
        percent=percent_done(counts),
        reached=phase_reached(pack, state),
        stuck=counts["stuck"],
        overdue=len(overdue(pack, state, today)),
        counts=counts,
    )


def build_portfolio(
    pack: ProcessPack, states: Sequence[StateLike], today: dt.date | None = None
) -> Portfolio:
    today = today or dt.date.today()
    return Portfolio(
        today=today,
        phases=tuple((p.number, p.title) for p in pack.phases),
        rows=tuple(portfolio_row(pack, s, today) for s in states),
    )


# --- rendering -------------------------------------------------------------------------------
