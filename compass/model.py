"""The data of the process: phases, sporen, knooppunten, and the statuses a team records.

These are plain, immutable dataclasses: pydantic checks the files at the edge
(`pack_load.py`) and is never imported when a pack comes from the cache, which keeps
~60 ms and ~12 MiB off every start. This module only says what the things are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, NamedTuple, Protocol

Track = Literal["sociaal", "technisch"]
TRACKS: tuple[Track, ...] = ("sociaal", "technisch")
TRACK_LABELS: dict[str, str] = {
    "sociaal": "Sociaal-maatschappelijk",
    "technisch": "Technisch-financieel",
}

Status = Literal["todo", "doing", "done", "stuck", "skipped"]


class StatusInfo(NamedTuple):
    """Everything that is said about one status, in one row: see STATUS_TABLE.

    A NamedTuple: a frozen dataclass compiles six methods at import (~0.5 ms a class, on
    the way to every first paint).
    """

    value: Status  # as written in the file
    label: str  # Dutch, in the UI, the CLI and the reports
    label_en: str  # the UI with --lang en
    mark: str  # readable without colour (NO_COLOR, a screen reader, a printout)
    style: str  # terminal style
    colour: str  # HTML/SVG colour in reports
    finished: bool  # no more work: counts as finished for progress and lateness


# The one status vocabulary; every label, mark and colour anywhere comes from here.
STATUS_TABLE: tuple[StatusInfo, ...] = (
    StatusInfo("todo", "open", "open", "○", "", "#e3e3e3", False),
    StatusInfo("doing", "bezig", "in progress", "◐", "yellow", "#f9a825", False),
    StatusInfo("done", "afgerond", "done", "●", "green", "#2e7d32", True),
    StatusInfo("stuck", "vastgelopen", "stuck", "✗", "bold red", "#c62828", False),
    StatusInfo("skipped", "n.v.t.", "n/a", "–", "dim", "#9e9e9e", True),
)
STATUS_INFO: dict[str, StatusInfo] = {s.value: s for s in STATUS_TABLE}
STATUSES: tuple[Status, ...] = tuple(s.value for s in STATUS_TABLE)
STATUS_LABELS: dict[str, str] = {s.value: s.label for s in STATUS_TABLE}
STATUS_LABELS_EN: dict[str, str] = {s.value: s.label_en for s in STATUS_TABLE}
STATUS_MARKS: dict[str, str] = {s.value: s.mark for s in STATUS_TABLE}
# How the app writes the reason a knooppunt is stuck into its note (reports read it back).
STUCK_PREFIX = "Vastgelopen:"
STATUS_STYLES: dict[str, str] = {s.value: s.style for s in STATUS_TABLE}
STATUS_COLOURS: dict[str, str] = {s.value: s.colour for s in STATUS_TABLE}
FINISHED: frozenset[str] = frozenset(s.value for s in STATUS_TABLE if s.finished)

# Roles from which workshop participants record their view ("stand van zaken"):
# stakeholder ids of the pack, the usual parties first.
ROLES: dict[str, str] = {
    "gemeente": "Gemeente",
    "woningcorporatie": "Woningcorporatie",
    "netbeheerder": "Netbeheerder",
    "bewoners": "Bewoners",
    "bewonersinitiatief": "Bewonersinitiatief",
    "energiecooperatie": "Energiecoöperatie",
    "warmtebedrijf": "Warmtebedrijf",
    "marktpartijen": "Marktpartijen",
}


def role_choices(stakeholders: dict[str, str]) -> dict[str, str]:
    """The roles a participant can take: the usual parties first, then the pack's other parties."""
    ordered = [r for r in ROLES if r in stakeholders] + [s for s in stakeholders if s not in ROLES]
    return {r: stakeholders[r] for r in ordered}


def parse_status(text: str) -> Status | None:
    """Accept a file value (`done`) or a Dutch label (`afgerond`, `nvt`); None if neither."""
    t = text.strip().lower()
    if t in STATUSES:
        return t
    for info in STATUS_TABLE:
        if t == info.label or t == info.label.replace(".", ""):
            return info.value
    return None


class Dated(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def due(self) -> dt.date | None: ...


def is_overdue(e: Dated, today: dt.date) -> bool:
    """Past its due date and not finished. Here, not in `compass.progress`: the tree marks
    it on the way to the first paint, which need not import the rest of that module."""
    return e.due is not None and e.due < today and e.status not in FINISHED


def is_number(text: str) -> bool:
    """ASCII digits only, and few enough to mean a knooppunt (`²` and 5000 digits do not)."""
    return text.isascii() and text.isdigit() and len(text) <= 9


# The pack's records are NamedTuples, not frozen dataclasses: a dataclass compiles ~6 methods
# per class when this module is imported (~0.5 ms each, on the way to every first paint),
# and a NamedTuple instance has no __dict__ (less memory per knooppunt).


class Phase(NamedTuple):
    number: int
    slug: str
    title: str
    dominant_track: Track
    doel: str = ""
    divergeren: str = ""
    producten: tuple[str, ...] = ()


class TrackPage(NamedTuple):
    id: Track
    title: str
    body: str = ""


class Knooppunt(NamedTuple):
    number: int
    slug: str
    title: str
    phase: int
    track: Track
    stakeholders: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    doel: str = ""
    aanpak: str = ""
    tips: tuple[str, ...] = ()
    bronnen: tuple[str, ...] = ()
    praktijk: str = ""
    source: str = ""
    sporen: tuple[str, ...] = ()  # the website's six sporen A-F this knooppunt involves
    checked: str = ""  # ISO date the page was last checked against its sources
    wetgeving: tuple[str, ...] = ()  # topics of the law page ("wgiw", "wcw", ...) it relies on

    @property
    def label(self) -> str:
        """How the UI and CLI name it: number and title."""
        return f"{self.number}. {self.title}"


SPOREN: dict[str, str] = {
    "A": "Bewoners doen mee",
    "B": "Zakelijke vastgoedeigenaren doen mee",
    "C": "Besluitvorming verloopt zorgvuldig en transparant",
    "D": "Overstap is betaalbaar en financierbaar",
    "E": "Er is voor alle gebouwen passend renovatieaanbod",
    "F": "Fossielvrij energienetwerk is betrouwbaar",
}
"""The website's six sporen (aspects): A-C sociaal-maatschappelijk, D-F technisch-economisch."""


class LawTopic(NamedTuple):
    id: str  # what a knooppunt names in its `wetgeving:` front matter
    title: str
    body: str  # Markdown, ending with its sources


class LawPage(NamedTuple):
    """The one dated page on law and policy ("Wet- en regelgeving, stand ...")."""

    title: str
    checked: str  # ISO date
    intro: str
    topics: tuple[LawTopic, ...] = ()

    def topic(self, topic_id: str) -> LawTopic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


@dataclass(frozen=True)
class ProcessPack:
    """A whole pack: vocabulary, phases, sporen and the knooppunten in process order."""

    title: str
    stakeholders: dict[str, str]
    phases: tuple[Phase, ...]
    knooppunten: tuple[Knooppunt, ...]
    policy_date: dt.date | None = None
    flags: dict[str, str] = field(default_factory=dict)
    tracks: tuple[TrackPage, ...] = ()
    about: str = ""
    root: str = ""
    law: LawPage | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data for the pack cache; `from_json` makes the same pack again."""
        return {
            "title": self.title,
            "stakeholders": self.stakeholders,
            "flags": self.flags,
            "policy_date": self.policy_date.isoformat() if self.policy_date else None,
            "phases": [_plain(p) for p in self.phases],
            "tracks": [_plain(t) for t in self.tracks],
            "knooppunten": [_plain(k) for k in self.knooppunten],
            "law": None
            if self.law is None
            else {**_plain(self.law), "topics": [_plain(t) for t in self.law.topics]},
            "about": self.about,
            "root": self.root,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProcessPack:
        """The pack from `to_json` data; KeyError/TypeError/ValueError when it is not such data."""
        return cls(
            title=data["title"],
            stakeholders=dict(data["stakeholders"]),
            flags=dict(data["flags"]),
            policy_date=dt.date.fromisoformat(data["policy_date"]) if data["policy_date"] else None,
            phases=tuple(_from_plain(Phase, p) for p in data["phases"]),
            tracks=tuple(_from_plain(TrackPage, t) for t in data["tracks"]),
            knooppunten=tuple(_from_plain(Knooppunt, k) for k in data["knooppunten"]),
            about=data["about"],
            root=data["root"],
            law=None
            if data["law"] is None
            else LawPage(
                **{k: v for k, v in data["law"].items() if k != "topics"},
                topics=tuple(_from_plain(LawTopic, t) for t in data["law"]["topics"]),
            ),
        )

    @cached_property
    def identity(self) -> str:
        """What a state file's validity depends on: the slugs and the party ids (see
        `compass.state.cache`)."""
        from .digest import sha256

        h = sha256("\n".join(k.slug for k in self.knooppunten).encode())
        h.update(b"\x00" + "\n".join(self.stakeholders).encode())
        return h.hexdigest()

    @cached_property
    def _by_slug(self) -> dict[str, Knooppunt]:
        return {k.slug: k for k in self.knooppunten}

    @cached_property
    def _by_number(self) -> dict[int, Knooppunt]:
        return {k.number: k for k in self.knooppunten}

    def by_slug(self, slug: str) -> Knooppunt | None:
        return self._by_slug.get(slug)

    def by_number(self, number: int) -> Knooppunt | None:
        return self._by_number.get(number)

    def resolve(self, ref: str | int) -> Knooppunt | None:
        """A knooppunt named by number (`12`) or slug; None when there is none."""
        if isinstance(ref, int):
            return self.by_number(ref)
        ref = ref.strip()
        if is_number(ref):
            return self.by_number(int(ref))
        return self.by_slug(ref.lower())

    def phase(self, number: int) -> Phase | None:
        return next((p for p in self.phases if p.number == number), None)

    def track_page(self, track: str) -> TrackPage | None:
        return next((t for t in self.tracks if t.id == track), None)

    def in_phase(self, number: int, track: str | None = None) -> list[Knooppunt]:
        return [
            k for k in self.knooppunten if k.phase == number and (track is None or k.track == track)
        ]

    def links_of(self, k: Knooppunt) -> list[Knooppunt]:
        return [t for s in k.links if (t := self.by_slug(s)) is not None]

    @cached_property
    def _linked_from(self) -> dict[str, list[Knooppunt]]:
        back: dict[str, list[Knooppunt]] = {}
        for o in self.knooppunten:
            for slug in dict.fromkeys(o.links):
                back.setdefault(slug, []).append(o)
        return back

    def linked_from(self, k: Knooppunt) -> list[Knooppunt]:
        """Knooppunten whose pages link to this one (the way back), in process order.

        Indexed once per pack: every page shows them, and a scan of 10,000 pages per
        page cost ~20 ms.
        """
        return list(self._linked_from.get(k.slug, ()))

    def stakeholder_id(self, text: str) -> str | None:
        """Match a stakeholder by id or label, case-insensitively."""
        t = text.strip().lower()
        for sid, label in self.stakeholders.items():
            if t in (sid, label.lower()):
                return sid
        return None


def _plain(obj: Any) -> dict[str, Any]:
    return dict(obj._asdict())


def _from_plain(cls: Any, data: dict[str, Any]) -> Any:
    """An instance of a flat dataclass from JSON, lists back to tuples; unknown keys are an
    error."""
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
