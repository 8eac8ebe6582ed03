"""Text from a file or a person, made safe to show on a terminal.

A state file comes from a colleague's git commit, a pack from anywhere, a name from
a workshop participant: an escape sequence in any of them (`ESC [2J` clears the
screen, `ESC ]0;...BEL` retitles the window) must never reach a terminal raw.
`visible` swaps every C0/C1 control character but tab and newline for a visible
stand-in, one character for one, so positions in a line stay the same.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _stand_in(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟, with ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls (CSI 0x9b among them)


def visible(text: str) -> str:
    """`text` with control characters (not tab or newline) shown as visible stand-ins."""
    return _CONTROLS.sub(_stand_in, text)


def one_line(text: str) -> str:
    """Visible and on one line: for messages that must stay `FILE:LINE:COL: message`."""
    return visible(" ".join(text.replace("\t", " ").splitlines()))
