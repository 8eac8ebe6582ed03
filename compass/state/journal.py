"""The last change to a state file, passed on to everyone who has it open.

Why: in a workshop every session reloads the file after every participant's change,
so a room of 40 paid for one change 40 times. The writer already knows what changed.
After a save that changed one knooppunt it leaves a note in the cache directory (so
nothing appears in the team's repository): which entry, its new value, the digest of
the bytes before and after the save, and the new file's stat. A reader whose last
bytes are the "before" bytes, and whose stat of the file now is exactly the "after"
stat, takes the entry from the note instead of reading the file.

The note is laid out so that a reader decides with one comparison of bytes, not a
parse: `MAGIC`, the "before" digest and the stat as text (`head`), then the "after"
digest, then the entry's values as text separated by NUL (which no value in a state
file can hold; the writer leaves no note when one does). Every session in the room
reads it after every change, in a process that has been idle, where every object,
function and system call touched is a cache miss or several: so it is read with three
system calls and one `split`, not `open()` and JSON (a session's poll ~0.15 ms of CPU
instead of ~0.2 ms).

Anything else (no note, a change since the note, a note that does not read back, an
entry of another pack, a FIFO or a device in its place) and the reader reads the
file as it always did. The note is as trustworthy as the state cache next to it
(`compass.state.cache`): same user, a 0600 file in a 0700 directory; the file on
disk stays the truth, and every save re-reads it under the lock.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..cachedir import cache_dir, write_cache_file
from ..digest import sha256
from ..model import STATUS_INFO
from .models import Entry
from .source import Fingerprint

#: the first bytes of every note; any other layout (an older version's JSON) never matches
MAGIC = b"wijkkompas-wijziging 2\n"
SEP = "\0"  # between the entry's values: never in a state file (YAML does not allow it)
DIGEST = 32  # bytes of a sha256 digest
MOST = 1 << 22  # a note longer than this is not one of ours (a device in its place)
_CHUNK = 1 << 16
_FLAG = ("", "1")  # a bookmark: no, yes
# never wait on a FIFO, never follow a link: a note is always a regular file we renamed
_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


def note_file(real: Path) -> str | None:
    """Where the note for the state file at `real` (its real path) is kept."""
    base = cache_dir()
    if base is None:
        return None
    return str(base / "changes" / (sha256(str(real).encode()).hexdigest()[:32] + ".note"))


def head(digest: bytes, fp: Fingerprint) -> bytes:
    """How a note that leads from the bytes with `digest` to the file with stat `fp` begins
    (the stat ends in `;`, so one stat is never the start of another)."""
    return MAGIC + digest + b"%d,%d,%d;" % fp


def tell(real: Path, before: bytes, after: bytes, fp: Fingerprint | None, entry: Entry) -> None:
    """Leave the note of a save of one entry: `before`/`after` are the bytes' digests."""
    file = note_file(real)
    values = _values(entry)
    if file is None or fp is None or any(SEP in v for v in values):
        return  # no note: the others read the file
    write_cache_file(Path(file), head(before, fp) + after + SEP.join(values).encode("utf-8"))


def hear(file: str, digest: bytes, fp: Fingerprint) -> tuple[Entry, bytes] | None:
    """(the changed entry, the digest of the bytes now) when the note in `file` describes
    exactly the step from `digest` to the file that has stat `fp` now; otherwise None."""
    start = head(digest, fp)
    data = _read(file)
    if data is None or len(digest) != DIGEST or not data.startswith(start):
        return None
    end = len(start) + DIGEST
    try:
        entry = _entry(data[end:].decode("utf-8").split(SEP))
    except ValueError:  # not UTF-8, or a date that is not ISO
        return None
    return (entry, data[len(start) : end]) if entry is not None else None


def _read(file: str) -> bytes | None:
    """The note's bytes, or None: three system calls, never waiting and never without end."""
    try:
        fd = os.open(file, _OPEN)
    except OSError:
        return None
    try:
        data = os.read(fd, _CHUNK)
        if len(data) < _CHUNK:  # the whole note: one entry is nearly always far less
            return data
        parts = [data]
        while data and len(parts) * _CHUNK <= MOST:
            data = os.read(fd, _CHUNK)
            parts.append(data)
        return b"".join(parts) if not data else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _values(e: Entry) -> list[str]:
    """An entry as the text values of a note, perspectives last (party, status, ...)."""
    due = e.due.isoformat() if e.due is not None else ""
    updated = e.updated.isoformat() if e.updated is not None else ""
    values = [e.slug, e.status, e.note, e.owner, due, updated, e.by, "1" if e.bookmark else ""]
    for role, status in e.perspectives.items():
        values += (role, status)
    return values


def _entry(values: list[str]) -> Entry | None:
    """The entry `_values` gave, when each value is one a read of the file can give; None
    for anything else (a note that is not ours must not reach the screen). Raises
    ValueError for a date that is not ISO."""
    if len(values) < 8 or len(values) % 2 or values[1] not in STATUS_INFO or values[7] not in _FLAG:
        return None
    slug, status, note, owner, due, updated, by, bookmark = values[:8]
    perspectives: dict[str, Any] = {}
    if len(values) > 8:  # rare: a party's status was recorded for this knooppunt
        perspectives = dict(zip(values[8::2], values[9::2], strict=True))
        if not all(s in STATUS_INFO for s in perspectives.values()):
            return None
    return Entry(
        slug,
        status,  # type: ignore[arg-type]  # checked above
        note,
        owner,
        dt.date.fromisoformat(due) if due else None,
        dt.datetime.fromisoformat(updated) if updated else None,
        by,
        bookmark == "1",
        perspectives,
    )
