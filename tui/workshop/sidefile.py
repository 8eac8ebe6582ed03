"""The workshop's small side files (follow mode, who is where): replaced atomically.

Why one helper: the follow file and the presence files are read by other processes
once a second; a reader must see the old or the new file, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def replace_json(path: Path, data: Any, prefix: str) -> None:
    """Write `data` as JSON to a temp file beside `path` (named `prefix`...`.tmp`), then
    rename it over `path`; errors are raised, with the temp file gone."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
