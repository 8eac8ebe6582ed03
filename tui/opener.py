"""Open a written file with the desktop's own program (`xdg-open`, or `open` on a Mac).

Only for the user at their own terminal: the app asks this only when it may start
a program (`WijkkompasApp.external_editor_allowed`, never in a workshop session).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

OPENERS = ("xdg-open", "open")


def find_opener() -> str | None:
    """The program that opens a file the way a double click would, if one is on PATH."""
    for name in OPENERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def open_file(opener: str, path: Path) -> None:
    """Start `opener path` and do not wait: its output never reaches the app's terminal."""
    subprocess.Popen(
        [opener, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
