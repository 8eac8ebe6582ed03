"""The last change to a state file, passed on to everyone who has it open.

Why: in a workshop every session reloads the file after every participant's change,
so a room of 40 paid for one change 40 times. The writer already knows what changed.
After a save that changed one knooppunt it leaves a note in the cache directory (so
nothing appears in the team's repository): which entry, its new value, the digest of
the bytes before and after the save, and the new file's stat. A reader whose last
bytes are the "before" bytes, and whose stat of the file now is exactly the "after"
stat, takes the entry from the note instead of reading the file.

Anything else (no note, a change since the note, a note that does not read back, an
entry of another pack) and the reader reads the file as it always did. The note is
as trustworthy as the state cache next to it (`compass.state.cache`): same user, a
0600 file in a 0700 directory; the file on disk stays the truth, and every save
re-reads it under the lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..cachedir import cache_dir, write_cache_file
from ..digest import sha256
from .cache import entry_of, plain_entry
from .models import Entry
from .source import Fingerprint

VERSION = 1


def note_file(real: Path) -> str | None:
    """Where the note for the state file at `real` (its real path) is kept."""
    base = cache_dir()
    if base is None:
        return None
    return str(base / "changes" / (sha256(str(real).encode()).hexdigest()[:32] + ".json"))


def tell(real: Path, before: bytes, after: bytes, fp: Fingerprint | None, entry: Entry) -> None:
    """Leave the note of a save of one entry: `before`/`after` are the bytes' digests."""
    file = note_file(real)
    if file is None or fp is None:
        return
    note = {
        "v": VERSION,
        "before": before.hex(),
        "after": after.hex(),
        "fp": list(fp),
        "entry": plain_entry(entry),
    }
    import json  # here, not at the top: opening a project needs no json (see compass.pack)

    write_cache_file(Path(file), json.dumps(note, ensure_ascii=False))


def hear(file: str, digest: bytes, fp: Fingerprint) -> tuple[Entry, bytes] | None:
    """(the changed entry, the digest of the bytes now) when the note in `file` describes
    exactly the step from `digest` to the file that has stat `fp` now; otherwise None."""
    import json

    try:
        with open(file, "rb") as f:
            note: Any = json.loads(f.read())
        if note["v"] != VERSION or note["before"] != digest.hex() or tuple(note["fp"]) != tuple(fp):
            return None
        return entry_of(note["entry"]), bytes.fromhex(note["after"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
