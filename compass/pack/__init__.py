"""Load and validate a process pack: a directory of YAML and Markdown files.

All problems are collected and reported as `FILE:LINE:COL: message`. A valid pack
is cached as JSON in the user's cache directory, keyed by the files' sizes and
modification times, because loading is on the start-up path of every command. A
cache hit needs neither pydantic nor ruamel: reading and checking the files
(`pack_load.py`) happens only when a file changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..cachedir import cache_dir, write_cache_file
from ..digest import sha256
from ..model import ProcessPack
from ..problems import Problem, ProblemsError

CACHE_VERSION = "3"


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
            files.extend(sorted(p for p in d.rglob("*.md") if p.is_file()))
    return files


def _fingerprint(root: Path, files: list[Path]) -> str:
    h = sha256(f"{CACHE_VERSION}|{root}".encode())
    for p in files:
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def _cache_path(key: str) -> Path | None:
    base = cache_dir()
    return base / f"pack-{key}.json" if base is not None else None


def load_pack(root: str | Path | None = None, *, use_cache: bool = True) -> ProcessPack:
    """Load the pack at `root` (the bundled one by default); raises ProblemsError when invalid."""
    root_path = Path(root).resolve() if root is not None else bundled_pack_dir()
    if not root_path.is_dir():
        raise ProblemsError([Problem(str(root_path), None, None, "geen map met een procespakket")])
    files = _pack_files(root_path)
    cache = _cache_path(_fingerprint(root_path, files)) if use_cache else None
    if cache is not None and cache.is_file():
        try:
            return ProcessPack.from_json(json.loads(cache.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    from .load import load_uncached

    pack = load_uncached(root_path)
    if cache is not None:
        write_cache_file(cache, json.dumps(pack.to_json(), ensure_ascii=False))
    return pack
