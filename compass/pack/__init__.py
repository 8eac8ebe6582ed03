"""Load and validate a process pack: a directory of YAML and Markdown files.

All problems are collected and reported as `FILE:LINE:COL: message`. A valid pack
is cached in the user's cache directory, keyed by the files' sizes and
modification times, because loading is on the start-up path of every command. A
cache hit needs neither pydantic nor ruamel: reading and checking the files
(`pack_load.py`) happens only when a file changed.

The cache holds `ProcessPack.to_json()`'s plain data in `marshal` format, not JSON:
~4x faster to read (~0.3 ms for the bundled pack) and no `json` import on the way
to the first paint. marshal's format belongs to one Python version, so that is part
of the key; the file is the user's own (0600 in a 0700 directory), and anything that
does not read back is simply loaded from the pack again.
"""

from __future__ import annotations

import marshal
import stat
import sys
from pathlib import Path
from typing import Any

from ..cachedir import cache_dir, write_cache_file
from ..digest import sha256
from ..model import ProcessPack
from ..problems import Problem, ProblemsError

CACHE_VERSION = "5"  # 4: marshal instead of JSON; 5: equal strings written once


def bundled_pack_dir() -> Path:
    """The pack shipped with the program: `compass/data` when installed, `data/` in a checkout."""
    here = Path(__file__).resolve().parent.parent  # compass/
    installed = here / "data"
    return installed if installed.is_dir() else here.parent / "data"


# --- loading ---------------------------------------------------------------------


def _pack_files(root: Path) -> list[Path]:
    files = [root / "pack.yaml", root / "over.md", root / "wetgeving.md"]
    for sub in ("fasen", "sporen", "knooppunten"):
        d = root / sub
        if d.is_dir():
            files.extend(sorted(d.rglob("*.md")))  # not files (a directory x.md): see below
    return files


def _fingerprint(root: Path, files: list[Path]) -> str:
    """The cache key: the files' sizes and times, the cache format and the Python version."""
    version = f"{CACHE_VERSION}|{marshal.version}|{sys.version_info[:2]}"
    h = sha256(f"{version}|{root}".encode())
    for p in files:
        try:
            st = p.stat()
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):  # one stat per file, instead of is_file() and stat()
            h.update(f"{p}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def _cache_path(key: str) -> Path | None:
    base = cache_dir()
    return base / f"pack-{key}.marshal" if base is not None else None


def load_pack(root: str | Path | None = None, *, use_cache: bool = True) -> ProcessPack:
    """Load the pack at `root` (the bundled one by default); raises ProblemsError when invalid."""
    root_path = Path(root).resolve() if root is not None else bundled_pack_dir()
    if not root_path.is_dir():
        raise ProblemsError([Problem(str(root_path), None, None, "geen map met een procespakket")])
    files = _pack_files(root_path)
    cache = _cache_path(_fingerprint(root_path, files)) if use_cache else None
    if cache is not None and cache.is_file():
        try:
            return ProcessPack.from_json(marshal.loads(cache.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            pass
    from .load import load_uncached

    pack = load_uncached(root_path)
    if cache is not None:
        write_cache_file(cache, marshal.dumps(_shared(pack.to_json())))
    return pack


def _shared(data: Any, seen: dict[str, str] | None = None) -> Any:
    """`data` with each run of equal strings made one object, which marshal then writes once
    and reads back as one: the bundled pack cites the same ~50 sources in ~240 places, and
    every page has the same check date (~45 KiB less in every process)."""
    seen = {} if seen is None else seen
    if isinstance(data, str):
        return seen.setdefault(data, data)
    if isinstance(data, (list, tuple)):
        return type(data)(_shared(item, seen) for item in data)
    if isinstance(data, dict):
        return {key: _shared(value, seen) for key, value in data.items()}
    return data
