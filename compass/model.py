"""The data of the process: phases, sporen, knooppunten, and the statuses a team records.

These are plain, immutable pydantic models. Loading and validating files lives in
`pack.py` and `state.py`; this module only says what the things are.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

Track = Literal["sociaal", "technisch"]
TRACKS: tuple[Track, ...] = ("sociaal", "technisch")
TRACK_LABELS: dict[str, str] = {
    "sociaal": "Sociaal-maatschappelijk",
    "technisch": "Technisch-financieel",
}

Status = Literal["todo", "doing", "done", "stuck", "skipped"]
STATUSES: tuple[Status, ...] = ("todo", "doing", "done", "stuck", "skipped")
STATUS_LABELS: dict[str, str] = {
    "todo": "open",
    "doing": "bezig",
    "done": "afgerond",
    "stuck": "vastgelopen",
    "skipped": "n.v.t.",
}
STATUS_LABELS_EN: dict[str, str] = {
    "todo": "open",
    "doing": "in progress",
    "done": "done",
    "stuck": "stuck",
    "skipped": "n/a",
}

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
        return t  # type: ignore[return-value]
    for value, label in STATUS_LABELS.items():
        if t == label or t == label.replace(".", ""):
            return value  # type: ignore[return-value]
    return None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Phase(_Frozen):
    number: int
    slug: str
    title: str
    dominant_track: Track
    doel: str = ""
    divergeren: str = ""
    producten: tuple[str, ...] = ()


class TrackPage(_Frozen):
    id: Track
    title: str
    body: str = ""


class Knooppunt(_Frozen):
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

    @property
    def label(self) -> str:
        """How the UI and CLI name it: number and title."""
        return f"{self.number}. {self.title}"


class ProcessPack(BaseModel):
    """A whole pack: vocabulary, phases, sporen and the knooppunten in process order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    policy_date: dt.date | None = None
    stakeholders: dict[str, str]
    flags: dict[str, str] = {}
    phases: tuple[Phase, ...]
    tracks: tuple[TrackPage, ...] = ()
    knooppunten: tuple[Knooppunt, ...]
    about: str = ""
    root: str = ""

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
        if ref.isdigit():
            return self.by_number(int(ref))
        return self.by_slug(ref.lower())

    def phase(self, number: int) -> Phase | None:
        return next((p for p in self.phases if p.number == number), None)

    def track_page(self, track: str) -> TrackPage | None:
        return next((t for t in self.tracks if t.id == track), None)

    def in_phase(self, number: int, track: str | None = None) -> list[Knooppunt]:
        return [
            k
            for k in self.knooppunten
            if k.phase == number and (track is None or k.track == track)
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
