"""What a participant brings into the room, made safe: their name and their terminal type.

Its own module because both the server side (`ssh`, `zygote`) and the session
(`session`) need it, and neither should import the other.
"""

from __future__ import annotations

import unicodedata

SAFE_TERMS = (
    "xterm-256color",
    "xterm",
    "screen-256color",
    "screen",
    "tmux-256color",
    "tmux",
    "vt100",
    "linux",
)
MAX_NAME = 32


def safe_term(term: str | None) -> str:
    """Only terminal types we know; anything else (or odd bytes) becomes xterm-256color."""
    return term if term in SAFE_TERMS else "xterm-256color"


def clean_name(name: str) -> str:
    """A participant name as shown and recorded: printable, one line, not too long."""
    kept = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    return " ".join(kept.split())[:MAX_NAME]


def numbered(name: str, n: int) -> str:
    """`anna` → `anna (2)`, shortened so the whole still fits MAX_NAME."""
    suffix = f" ({n})"
    return name[: MAX_NAME - len(suffix)].rstrip() + suffix


def unique_name(wanted: str, taken: set[str]) -> str:
    """`wanted`, or the first `wanted (n)` that is not in `taken` (casefolded names)."""
    if wanted.casefold() not in taken:
        return wanted
    n = 2
    while numbered(wanted, n).casefold() in taken:
        n += 1
    return numbered(wanted, n)
