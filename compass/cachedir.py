"""Where wijkkompas keeps what it can always rebuild: the user's cache directory.

`WIJKKOMPAS_CACHE_DIR` overrides it (tests, benchmarks, a workshop's private copy).
Everything here is an optimisation: a missing or unwritable directory only means
the slow path, and the writes are atomic so two processes never see half a file.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """The cache directory, or None when there is none (no home directory)."""
    base = os.environ.get("WIJKKOMPAS_CACHE_DIR")
    if base is None:
        try:
            from platformdirs import user_cache_dir

            base = user_cache_dir("wijkkompas", appauthor=False)
        except Exception:  # pragma: no cover - no home directory
            return None
    return Path(base)


def write_cache_file(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically; silently nothing when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
