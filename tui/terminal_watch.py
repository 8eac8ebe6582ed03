"""End the app when its terminal goes away without a hang-up signal.

Why: a terminal closed under a process that is not its session's leader (`make run`
in a window that is closed, a wrapper that keeps no controlling terminal) sends no
SIGHUP. Reading it then returns end-of-file at once, for ever, and Textual's input
thread spins on that at 100% CPU. Once a second the terminal is asked for its
settings, which fails (EIO) once it has gone; every change is saved already.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

CHECK_SECONDS = 1.0


def watch_terminal(
    every: Callable[[float, Callable[[], None]], Any], gone: Callable[[], Any]
) -> bool:
    """Call `gone` once standard input's terminal has gone, checking with `every` (e.g.
    `app.set_interval`). False when standard input is no terminal (a pipe, a test)."""
    try:
        import termios
    except ImportError:  # no terminals of this kind here
        return False
    try:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
        termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):
        return False

    def check() -> None:
        try:
            termios.tcgetattr(fd)
        except (termios.error, OSError):  # EIO: the terminal has gone
            gone()

    every(CHECK_SECONDS, check)
    return True
