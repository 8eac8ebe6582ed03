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


def write_cache_file(path: Path, text: str | bytes) -> None:
    """Replace `path` with `text` (str: as UTF-8) atomically; silently nothing when it cannot be
    written.

    The cache holds copies of people's notes: files are 0600 in a 0700 directory, so
    other users of the machine cannot read them, whatever the umask.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.parent.stat().st_mode & 0o077:
            os.chmod(path.parent, 0o700)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError:
        pass
