"""Where each session is: a tiny JSON file per session process, for the facilitator's console.

Sessions run in processes of their own, so the server does not know which
knooppunt a participant has open or which role they chose. Each workshop session
writes `{"name", "role", "number"}` to `.STATE.room/PID.json` beside the state
file when that changes (a cursor move is a human-rate event); the console reads
the directory once a second. Written atomically, like the follow file; the
server empties the directory at start and stop.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .sidefile import replace_json

MAX_FILES = 500  # never read more than this many (a room is 25-40)


def presence_dir(state_path: Path) -> Path:
    return state_path.with_name(f".{state_path.name}.room")


@dataclass(frozen=True)
class Presence:
    pid: int
    name: str = ""
    role: str = ""
    number: int | None = None
    changed: float = 0.0  # file mtime: the session's last move

    @classmethod
    def from_json(cls, pid: int, data: Any, changed: float) -> Presence:
        if not isinstance(data, dict):
            return cls(pid, changed=changed)
        number = data.get("number")
        return cls(
            pid,
            name=str(data.get("name", ""))[:64],
            role=str(data.get("role", ""))[:64],
            number=number if isinstance(number, int) and not isinstance(number, bool) else None,
            changed=changed,
        )


def write_presence(directory: Path, name: str, role: str | None, number: int | None) -> None:
    """This process's place in the room; errors are for the caller to ignore."""
    directory.mkdir(mode=0o700, exist_ok=True)
    path = directory / f"{os.getpid()}.json"
    replace_json(path, {"name": name, "role": role or "", "number": number}, prefix=".")


def remove_presence(directory: Path) -> None:
    try:
        (directory / f"{os.getpid()}.json").unlink()
    except OSError:
        pass


def read_presence(directory: Path) -> dict[int, Presence]:
    found: dict[int, Presence] = {}
    try:
        names = sorted(os.listdir(directory))[:MAX_FILES]
    except OSError:
        return found
    for name in names:
        stem, dot, ext = name.partition(".")
        if not (dot and ext == "json" and stem.isdigit()):
            continue
        path = directory / name
        try:
            changed = path.stat().st_mtime
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found[int(stem)] = Presence.from_json(int(stem), data, changed)
    return found


def reset_presence(directory: Path) -> None:
    """Forget sessions of an earlier run (at server start and stop)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        try:
            (directory / name).unlink()
        except OSError:
            pass
    try:
        directory.rmdir()
    except OSError:
        pass
