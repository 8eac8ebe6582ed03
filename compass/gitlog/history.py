"""A wijk's history: every change per knooppunt, from git or, without git, from the file.

Why a cache: reading and checking every version takes a moment at a thousand commits,
and the app asks for one knooppunt's timeline again and again. What is read depends
only on the file, the commit HEAD points at and the pack, so the result is kept in
the cache directory under exactly those (files 0600 in a 0700 directory, see
`compass.cachedir`); any difference means reading again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ..cachedir import cache_dir, write_cache_file
from ..dates import parse_date
from ..model import ProcessPack
from ..problems import InvalidInput, Problem
from ..state.models import Entry, ProjectInfo, ProjectState
from .diff import Change, diff_states
from .reader import NoHistory, Version, blob_id, commits_after, head, read_versions

CACHE_VERSION = 1


@dataclass(frozen=True)
class Unreadable:
    """A commit whose version of the file does not parse: reported, then skipped."""

    commit: str
    date: dt.datetime
    problem: Problem

    def __str__(self) -> str:
        return f"onleesbaar in {self.commit[:7]}: {self.problem}"


@dataclass(frozen=True)
class Log:
    """A file's changes, oldest first, and the versions that could not be read.

    `fallback` says (in Dutch) why there is no git history when there is none; the
    changes are then the file's own `updated`/`by` per knooppunt, with no commit.
    `uncommitted`: the file holds changes not yet committed (not in `changes`).
    """

    changes: tuple[Change, ...]
    unreadable: tuple[Unreadable, ...] = ()
    fallback: str = ""
    uncommitted: bool = False  # the file differs from its last version in git


def changes_of(pack: ProcessPack, versions: list[Version]) -> Log:
    """Each good version compared with the last good one before it (the first with nothing)."""
    changes: list[Change] = []
    unreadable: list[Unreadable] = []
    last: ProjectState | None = None
    for v in versions:
        if v.state is None:
            unreadable.extend(Unreadable(v.commit, v.date, p) for p in v.problems[:1])
            continue
        for d in diff_states(pack, last, v.state):
            k = pack.by_slug(d.slug)
            by = v.state.entry(d.slug).by
            number = k.number if k is not None else 0
            changes.append(
                Change(v.commit, v.date, v.author, by, number, d.slug, d.field, d.old, d.new)
            )
        last = v.state
    return Log(tuple(changes), tuple(unreadable))


def from_file(pack: ProcessPack, state: ProjectState, reason: str) -> Log:
    """Without git: each knooppunt's last change as the file records it (`updated`, `by`)."""
    out = []
    for k in pack.knooppunten:
        e = state.entries.get(k.slug)
        if e is None or e.updated is None:
            continue
        when = e.updated if e.updated.tzinfo else e.updated.astimezone()
        out.append(Change("", when, e.by, e.by, k.number, k.slug, "status", None, e.status))
    out.sort(key=lambda c: c.date)
    return Log(tuple(out), (), reason)


def file_log(path: str | os.PathLike[str], pack: ProcessPack, name: str | None = None) -> Log:
    """The file's history from git (cached), or its own record of changes without git."""
    name = name or str(path)
    try:
        commit = head(path)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise InvalidInput(f"{path}: kan niet lezen: {exc.strerror or exc}") from None
        key = _key(Path(path), commit, raw, pack)
        cached = _lookup(key)
        if cached is not None:
            return cached
        versions = read_versions(path, pack, name)
        log = changes_of(pack, versions)
        if versions and versions[-1].blob != blob_id(raw):
            log = replace(log, uncommitted=True)
        _remember(key, log)
        return log
    except NoHistory as exc:
        from ..state import load_state

        return from_file(
            pack,
            load_state(Path(path), pack),
            f"{exc}; daarom alleen de laatste "
            "wijziging per knooppunt volgens het bestand zelf (updated/by)",
        )


def knooppunt_timeline(
    path: str | os.PathLike[str], slug: str, pack: ProcessPack | None = None
) -> list[Change]:
    """One knooppunt's changes, newest commit first (for the app's history dialog)."""
    if pack is None:
        from ..pack import load_pack

        pack = load_pack()
    groups: list[list[Change]] = []  # per commit, fields in their usual order
    for c in file_log(path, pack).changes:
        if c.slug != slug:
            continue
        if groups and (groups[-1][0].commit, groups[-1][0].date) == (c.commit, c.date):
            groups[-1].append(c)
        else:
            groups.append([c])
    return [c for group in reversed(groups) for c in group]


# --- since and until: a date or a git revision --------------------------------------------


class Dated(Protocol):
    """A change or an unreadable version: in which commit, and when."""

    @property
    def commit(self) -> str: ...
    @property
    def date(self) -> dt.datetime: ...


@dataclass(frozen=True)
class Point:
    """A moment in a file's history: a day, or a revision (the commits that came after it)."""

    text: str
    day: dt.date | None = None
    after: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        from ..report.model import nl_date

        return nl_date(self.day) if self.day is not None else self.text

    def later(self, c: Dated) -> bool:
        """Whether `c` came after this point (for a day: on or after it)."""
        if self.day is not None:
            return c.date.date() >= self.day
        return c.commit in self.after

    def not_later(self, c: Dated) -> bool:
        """Whether `c` is at or before this point (for a day: on or before it)."""
        if self.day is not None:
            return c.date.date() <= self.day
        return c.commit not in self.after


def point(path: str | os.PathLike[str], text: str) -> Point:
    """What `--since`/`--until TEXT` names: a date if it reads as one, else a git revision."""
    try:
        return Point(text, day=parse_date(text))
    except ValueError:
        pass
    try:
        return Point(text, after=commits_after(path, text.strip()))
    except NoHistory as exc:
        raise InvalidInput(
            f"'{text}' is geen datum, en een git-revisie kan hier niet: {exc}"
        ) from None


def state_at(pack: ProcessPack, changes: tuple[Change, ...], since: Point) -> ProjectState:
    """The file as it was just before `since` (before that day, or at that revision),
    rebuilt from its changes (a knooppunt without any is open and empty)."""
    fields: dict[str, dict[str, Any]] = {}
    for c in changes:
        if since.later(c):
            continue
        fields.setdefault(c.slug, {})[c.field] = c.new
    entries = {slug: _entry(slug, values) for slug, values in fields.items()}
    return ProjectState(1, ProjectInfo(name=""), entries)


def _entry(slug: str, v: dict[str, Any]) -> Entry:
    due = v.get("due")
    return Entry(
        slug,
        status=v.get("status") or "todo",
        note=v.get("note") or "",
        owner=v.get("owner") or "",
        due=dt.date.fromisoformat(due) if isinstance(due, str) else None,
        bookmark=bool(v.get("bookmark")),
        perspectives=dict(v.get("perspectives") or {}),
    )


# --- the cache ---------------------------------------------------------------------------


def _key(path: Path, commit: str, raw: bytes, pack: ProcessPack) -> dict[str, Any]:
    return {
        "version": CACHE_VERSION,
        "path": str(path.resolve()),
        "head": commit,
        "digest": hashlib.sha256(raw).hexdigest(),
        "pack": pack.identity,
    }


def _cache_file(key: dict[str, Any]) -> Path | None:
    base = cache_dir()
    if base is None:
        return None
    return base / "gitlog" / (hashlib.sha256(key["path"].encode()).hexdigest()[:32] + ".json")


def _lookup(key: dict[str, Any]) -> Log | None:
    file = _cache_file(key)
    if file is None:
        return None
    try:
        data = json.loads(file.read_bytes())
        if data["key"] != key:
            return None
        changes = tuple(
            Change(**{**c, "date": dt.datetime.fromisoformat(c["date"])}) for c in data["changes"]
        )
        unreadable = tuple(
            Unreadable(u["commit"], dt.datetime.fromisoformat(u["date"]), Problem(*u["problem"]))
            for u in data["unreadable"]
        )
        return Log(changes, unreadable, uncommitted=bool(data["uncommitted"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember(key: dict[str, Any], log: Log) -> None:
    file = _cache_file(key)
    if file is None:
        return
    data = {
        "key": key,
        "uncommitted": log.uncommitted,
        "changes": [{**c.__dict__, "date": c.date.isoformat()} for c in log.changes],
        "unreadable": [
            {
                "commit": u.commit,
                "date": u.date.isoformat(),
                "problem": [u.problem.path, u.problem.line, u.problem.col, u.problem.message],
            }
            for u in log.unreadable
        ],
    }
    write_cache_file(file, json.dumps(data, ensure_ascii=False))


def only(log: Log, keep: Any) -> Log:
    """The log with only the changes (and unreadable versions) `keep` accepts."""
    return replace(
        log,
        changes=tuple(c for c in log.changes if keep(c)),
        unreadable=tuple(u for u in log.unreadable if keep(u)),
    )
