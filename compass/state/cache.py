"""A checked state file remembered by its content, so opening an unchanged project skips the parse.

Why: parsing a state file in round-trip YAML costs ~50 ms at 90 knooppunten and is on
the start path of every `wijkkompas STATE`. What a clean parse yields (the state, the
indent a person used, the line index for fast saves) depends only on the file's bytes
and on the pack's slugs and parties. So it is kept as JSON in the cache directory, one
file per state file path, together with the sha256 of those bytes and the pack's
identity: any difference in either means a full parse. The file is in `marshal` format
(not JSON), as the pack cache is: faster to read, and no `json` import on the way to
the first paint; the Python version is part of its version. Only files without problems are
remembered; a problem is always found by a real parse. The store never trusts the cache
to write: a general save parses the file first (`Parsed.doc` is None here).
"""

from __future__ import annotations

import datetime as dt
import marshal
import sys
from pathlib import Path
from typing import Any

from ..cachedir import cache_dir, write_cache_file
from ..digest import sha256
from ..model import ProcessPack
from .index import EntrySpan, FieldSpan, LineIndex
from .models import Entry, ProjectInfo, ProjectState

CACHE_VERSION = (2, marshal.version, sys.version_info[:2])  # 2: marshal instead of JSON


def _cache_file(path: Path) -> Path | None:
    base = cache_dir()
    if base is None:
        return None
    return base / "state" / (sha256(str(path).encode()).hexdigest()[:32] + ".marshal")


def lookup(
    path: Path, raw: bytes, pack: ProcessPack
) -> tuple[ProjectState, int, LineIndex | None] | None:
    """(state, indent, index) remembered for exactly these bytes of `path`, or None."""
    file = _cache_file(path)
    if file is None:
        return None
    try:
        data = marshal.loads(file.read_bytes())
        if (
            data["version"] != CACHE_VERSION
            or data["digest"] != sha256(raw).hexdigest()
            or data["pack"] != pack.identity
        ):
            return None
        return _state(data["state"]), int(data["indent"]), _index(data["index"])
    except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError):
        return None


def remember(
    path: Path,
    raw: bytes,
    pack: ProcessPack,
    state: ProjectState,
    indent: int,
    index: LineIndex | None,
) -> None:
    """Keep a clean parse of `raw` for the next `lookup`; nothing happens when it cannot be
    written."""
    file = _cache_file(path)
    if file is None:
        return
    data = {
        "version": CACHE_VERSION,
        "digest": sha256(raw).hexdigest(),
        "pack": pack.identity,
        "indent": indent,
        "state": _plain_state(state),
        "index": _plain_index(index),
    }
    try:
        blob = marshal.dumps(data)
    except ValueError:  # a value marshal cannot write (a str subclass): no cache, a parse
        return
    write_cache_file(file, blob)


# --- to and from JSON ---------------------------------------------------------------


def _iso(v: dt.date | None) -> str | None:
    return v.isoformat() if v is not None else None


def _plain_state(state: ProjectState) -> dict[str, Any]:
    p = state.project
    return {
        "schema": state.schema,
        "project": {
            "name": p.name,
            "gemeente": p.gemeente,
            "wijk": p.wijk,
            "started": _iso(p.started),
        },
        "entries": [plain_entry(e) for e in state.entries.values()],
    }


def plain_entry(e: Entry) -> list[Any]:
    """One entry as JSON-able values."""
    return [
        e.slug,
        e.status,
        e.note,
        e.owner,
        _iso(e.due),
        _iso(e.updated),
        e.by,
        e.bookmark,
        {str(role): str(status) for role, status in e.perspectives.items()},  # plain str
    ]


def entry_of(values: list[Any]) -> Entry:
    """The entry `plain_entry` gave; raises ValueError/TypeError on anything else."""
    slug, status, note, owner, due, updated, by, bookmark, perspectives = values
    return Entry(
        slug=slug,
        status=status,
        note=note,
        owner=owner,
        due=dt.date.fromisoformat(due) if due else None,
        updated=dt.datetime.fromisoformat(updated) if updated else None,
        by=by,
        bookmark=bookmark,
        perspectives=perspectives,
    )


def _state(data: dict[str, Any]) -> ProjectState:
    p = data["project"]
    project = ProjectInfo(
        name=p["name"],
        gemeente=p["gemeente"],
        wijk=p["wijk"],
        started=dt.date.fromisoformat(p["started"]) if p["started"] else None,
    )
    entries = {}
    for values in data["entries"]:
        e = entry_of(values)
        entries[e.slug] = e
    return ProjectState(schema=data["schema"], project=project, entries=entries)


def _plain_index(index: LineIndex | None) -> dict[str, Any] | None:
    if index is None:
        return None
    return {
        "slug_col": index.slug_col,
        "slugs": index.slugs,
        "starts": index.starts,
        "spans": [
            [s.col, s.length, [[f.key, f.first, f.last, f.kind] for f in s.fields]]
            for s in index.spans
        ],
    }


def _index(data: dict[str, Any] | None) -> LineIndex | None:
    if data is None:
        return None
    slugs = tuple(data["slugs"])
    spans = tuple(
        EntrySpan(col, length, tuple(FieldSpan(*f) for f in fields))
        for col, length, fields in data["spans"]
    )
    if len(spans) != len(slugs) or len(data["starts"]) != len(slugs):
        raise ValueError("index lengths differ")
    return LineIndex(
        data["slug_col"], slugs, tuple(data["starts"]), spans, {s: i for i, s in enumerate(slugs)}
    )
