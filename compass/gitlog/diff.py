"""What changed between two versions of a state file, per knooppunt and field.

Why a semantic diff: a text diff of the YAML shows moved comments, re-quoted values
and `updated:` stamps; a project leader wants "12 went from bezig to afgerond". Both
versions are checked `ProjectState`s, so the comparison is of meanings, and a
knooppunt absent from a file is the same as one with every default (status open).

Values are given as written in the file: status `todo`/`doing`/`done`/`stuck`/
`skipped`, a due date as `2027-01-15`, owner and note as text, perspectives as a
mapping of party to status, bookmark true/false; None where a field is empty.
`updated` and `by` are not changes of their own: they say who and when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..model import ProcessPack
from ..state.models import Entry, ProjectState

# The fields a change can be about, in the order they are listed.
FIELDS = ("status", "owner", "due", "note", "perspectives", "bookmark")


@dataclass(frozen=True)
class Delta:
    """One field of one knooppunt that differs between two versions."""

    slug: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    """A delta as it happened: in which commit, when, by whom (`by` from the file, if set)."""

    commit: str  # the full commit id; "" when the change is not read from git
    date: dt.datetime
    author: str
    by: str
    number: int
    slug: str
    field: str
    old: Any
    new: Any

    def as_json(self) -> dict[str, Any]:
        """The `log --json` item (DESIGN.md)."""
        return {
            "commit": self.commit or None,
            "date": self.date.isoformat(),
            "author": self.author or None,
            "number": self.number,
            "slug": self.slug,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }


def field_value(entry: Entry, field: str) -> Any:
    """One field of an entry as written in the file (None for empty)."""
    if field == "status":
        return entry.status
    if field == "due":
        return entry.due.isoformat() if entry.due else None
    if field == "perspectives":
        return dict(entry.perspectives) or None
    if field == "bookmark":
        return entry.bookmark
    value = getattr(entry, field)
    return value if value else None


def diff_states(pack: ProcessPack, old: ProjectState | None, new: ProjectState) -> list[Delta]:
    """Every field that differs, in process order; `old` None is a file with nothing in it."""
    out: list[Delta] = []
    old_entries = old.entries if old is not None else {}
    for k in pack.knooppunten:
        a = old_entries.get(k.slug)
        b = new.entries.get(k.slug)
        if a is b or a == b:
            continue
        a = a or Entry(k.slug)
        b = b or Entry(k.slug)
        for field in FIELDS:
            before, after = field_value(a, field), field_value(b, field)
            if before != after:
                out.append(Delta(k.slug, field, before, after))
    return out
