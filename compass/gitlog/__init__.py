"""What moved in a wijk: the history of a state file, read from git and compared per field.

`diff` compares two checked states (pure); `reader` runs git and checks every version
(`parse` does that quickly, from the version before); `history` turns versions into
changes, caches them and names points in time (`--since`/`--until`). This is the API.
"""

from __future__ import annotations

from .diff import FIELDS, Change, Delta, diff_states, field_value
from .history import (
    Log,
    Point,
    Unreadable,
    changes_of,
    file_log,
    from_file,
    knooppunt_timeline,
    only,
    point,
    state_at,
)
from .reader import NoHistory, Version, read_versions

__all__ = [
    "FIELDS",
    "Change",
    "Delta",
    "Log",
    "NoHistory",
    "Point",
    "Unreadable",
    "Version",
    "changes_of",
    "diff_states",
    "field_value",
    "file_log",
    "from_file",
    "knooppunt_timeline",
    "only",
    "point",
    "read_versions",
    "state_at",
]
