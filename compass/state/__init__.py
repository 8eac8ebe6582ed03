"""The project's state file: where a wijk stands on every knooppunt.

This is the public API; `store.py` explains the rules of the file (round trip,
locked read-modify-write, bad input reported and never guessed at). The parts that
need the YAML library (`load_state`, `validate_state`, `create_state`,
`demo_copy`, `render_new`) are imported when first used: opening a file whose
parse is cached then never loads ruamel (~15 ms, ~2 MiB).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ..durable import lock_path, write_atomic
from .models import (
    SCHEMA,
    Entry,
    ProjectInfo,
    ProjectState,
    default_user,
    normalize_line,
    normalize_note,
)
from .source import Fingerprint
from .store import StateStore

if TYPE_CHECKING:
    from .check import load_state, validate_state
    from .new import create_state, demo_copy, render_new

_LAZY = {
    "load_state": ".check",
    "validate_state": ".check",
    "create_state": ".new",
    "demo_copy": ".new",
    "render_new": ".new",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)


__all__ = [
    "SCHEMA",
    "Entry",
    "Fingerprint",
    "ProjectInfo",
    "ProjectState",
    "StateStore",
    "create_state",
    "default_user",
    "demo_copy",
    "load_state",
    "lock_path",
    "normalize_line",
    "normalize_note",
    "render_new",
    "validate_state",
    "write_atomic",
]
