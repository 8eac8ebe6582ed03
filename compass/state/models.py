"""What a state file means: the models, the value vocabulary and text normalisation.

Why its own module: everything here is pure (no file, no lock, no YAML parsing), and
it is shared by the checker that reads the file, the editor that changes it and the
store that hands states to the app. See `compass.state` for the rules of the file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from ..model import (
    FINISHED,
    STATUS_LABELS,
    STATUSES,
    Knooppunt,
    ProcessPack,
    Status,
    parse_status,
)
from ..problems import InvalidInput

if TYPE_CHECKING:
    from ruamel.yaml.scalarstring import ScalarString

SCHEMA = 1
LOCK_TIMEOUT = 10.0
RACY_SECONDS = 2.0
HEADER = (
    "# Wijkkompas-projectbestand. Bewerk gerust met de hand; `wijkkompas validate` controleert het."
)
ENTRY_TEMPLATE = ("status", "owner", "due", "note")
UPDATABLE = frozenset({"status", "note", "owner", "due", "bookmark"})
PROJECT_FIELDS = frozenset({"name", "gemeente", "wijk", "started"})
_STR_TAG = "tag:yaml.org,2002:str"


# --- the models: plain and immutable; `state_check` makes them only from a checked file


class BadDate(str):
    """A scalar that looks like a date but is not one (2024-02-30); kept for the report."""


# A NamedTuple, not a frozen dataclass: no methods compiled at import, on every start.
class ProjectInfo(NamedTuple):
    """Who the file is about: the project, its gemeente and wijk, and when it started."""

    name: str
    gemeente: str = ""
    wijk: str = ""
    started: dt.date | None = None


@dataclass(frozen=True)
class Entry:
    """What the team recorded for one knooppunt. Absent from the file means all defaults."""

    slug: str
    status: Status = "todo"
    note: str = ""
    owner: str = ""
    due: dt.date | None = None
    updated: dt.datetime | None = None
    by: str = ""
    bookmark: bool = False
    perspectives: dict[str, Status] = field(default_factory=dict)

    def is_overdue(self, today: dt.date) -> bool:
        """Past its due date and not finished (done or not applicable)."""
        return self.due is not None and self.due < today and self.status not in FINISHED


@dataclass(frozen=True)
class ProjectState:
    """A validated state file. Entries are keyed by slug; knooppunten not in it are `todo`."""

    schema: int
    project: ProjectInfo
    entries: dict[str, Entry] = field(default_factory=dict)

    def entry(self, slug: str) -> Entry:
        return self.entries.get(slug) or Entry(slug=slug)

    def status(self, slug: str) -> Status:
        e = self.entries.get(slug)
        return e.status if e is not None else "todo"

    def counts(
        self, pack: ProcessPack, phase: int | None = None, track: str | None = None
    ) -> dict[str, int]:
        """How many of the pack's knooppunten (optionally of one phase/spoor) have each status."""
        from ..progress import counts

        return counts(pack, self, phase, track)

    def percent_done(
        self, pack: ProcessPack, phase: int | None = None, track: str | None = None
    ) -> int | None:
        """% afgerond by the one rule of `compass.progress`; None when nothing applies."""
        from ..progress import percent_done

        return percent_done(self.counts(pack, phase, track))

    def bookmarks(self, pack: ProcessPack) -> list[Knooppunt]:
        return [k for k in pack.knooppunten if self.entry(k.slug).bookmark]


# --- text normalisation and scalar styles ------------------------------------------

_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
_TRAILING_WS = re.compile("[ \t]+$", re.MULTILINE)


def _printable(ch: str) -> bool:
    """Whether YAML can write this character without escaping it."""
    if ch in "\t\n" or " " <= ch <= "~":
        return True
    return (
        "\xa0" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or ch >= "\U00010000"
    ) and ch != "\ufeff"


def normalize_note(text: str) -> str:
    """A note as it will read back from the file (see the module docstring)."""
    text = _BREAKS.sub("\n", text)
    text = "".join(ch for ch in text if _printable(ch))
    return _TRAILING_WS.sub("", text).rstrip("\n")


def normalize_line(text: str) -> str:
    """A one-line field as it will read back: printable, whitespace collapsed, stripped."""
    return " ".join("".join(ch for ch in _BREAKS.sub(" ", text) if _printable(ch)).split())


# The scalar helpers below are used when writing; ruamel is imported then, not at start-up.


@cache
def _resolvers() -> tuple[Any, ...]:
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2))


def _reads_as_text(s: str) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return all(r.resolve(ScalarNode, s, (True, False)) == _STR_TAG for r in _resolvers())


def text_scalar(s: str) -> ScalarString:
    """Plain when that reads back as the same text in YAML 1.1 and 1.2, quoted otherwise."""
    from ruamel.yaml.scalarstring import PlainScalarString, SingleQuotedScalarString

    if s == "" or not _reads_as_text(s):
        return cast("ScalarString", SingleQuotedScalarString(s))
    # the emitter still quotes it when plain is not allowed
    return cast("ScalarString", PlainScalarString(s))


def note_scalar(s: str) -> ScalarString:
    from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

    return cast("ScalarString", LiteralScalarString(s) if s else SingleQuotedScalarString(""))


def status_value(text: Any) -> Status:
    value = parse_status(str(text)) if text is not None else None
    if value is None:
        labels = ", ".join(f"{STATUS_LABELS[s]} ({s})" for s in STATUSES)
        raise InvalidInput(f"onbekende status '{text}'; kies uit: {labels}")
    return value


def date_value(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    text = str(v).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(f"de datum {text} bestaat niet") from None
    raise InvalidInput(f"ongeldige datum '{text}'; gebruik JJJJ-MM-DD, bijvoorbeeld 2026-12-31")


# System accounts say nothing about who made a change: no `by` rather than `root`.
SYSTEM_ACCOUNTS = frozenset({"root", "admin", "administrator", "nobody", "www-data"})


def default_user() -> str:
    """Who is making a change, for the `by` field: $WIJKKOMPAS_USER, $USER, else the login
    name; '' for a system account such as root."""
    user = os.environ.get("WIJKKOMPAS_USER") or os.environ.get("USER") or os.environ.get("USERNAME")
    if user:
        return "" if user.strip().lower() in SYSTEM_ACCOUNTS else user
    import getpass  # only without $USER; not on the start path

    try:
        found = getpass.getuser()
    except Exception:  # pragma: no cover - no passwd entry
        return ""
    return "" if found.strip().lower() in SYSTEM_ACCOUNTS else found


def now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def timestamp_scalar(t: dt.datetime) -> Any:
    """A datetime that ruamel writes as ISO 8601 with `T` and the UTC offset."""
    from ruamel.yaml.timestamp import TimeStamp

    t = t.replace(microsecond=0)
    tz = None
    if t.tzinfo is not None:
        off = t.utcoffset() or dt.timedelta(0)
        minutes = int(off.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        tz = dt.timezone(off, f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    ts = TimeStamp(t.year, t.month, t.day, t.hour, t.minute, t.second, 0, tz)
    ts._yaml["t"] = True
    return ts
