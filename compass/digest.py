"""sha256 without loading OpenSSL for the small inputs of the start path.

Why: `import hashlib` loads libcrypto, ~3.5 MiB of resident memory and ~3 ms of every
start, for digests of a few kilobytes (the pack's fingerprint, the state file). CPython
ships its own sha256 module; it gives the same digests, only slower (~3 ms per MiB
against ~0.7), so large inputs still go through hashlib.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Protocol

LARGE = 256 * 1024  # bytes: from here on hashlib's speed is worth its import


class Hash(Protocol):
    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...
    def hexdigest(self) -> str: ...


def _builtin() -> Callable[[bytes], Hash] | None:
    """CPython's own sha256 (`_sha2` from 3.12, `_sha256` before), or None without it."""
    # the one this version has first: a failed import searches the whole path (~0.2 ms)
    for name in ("_sha2", "_sha256") if sys.version_info >= (3, 12) else ("_sha256", "_sha2"):
        try:
            found: Callable[[bytes], Hash] = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return found
    return None


_small = _builtin()


def sha256(data: bytes = b"") -> Hash:
    """A sha256 hash object over `data`, like `hashlib.sha256(data)`."""
    if _small is not None and len(data) < LARGE:
        return _small(data)
    import hashlib

    return hashlib.sha256(data)
