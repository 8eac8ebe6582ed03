"""Dates as people type them: `2027-01-15`, `15-1-2027` or `15 januari 2027`; written as ISO."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_SHORT = {name[:3]: number for name, number in MONTHS.items()}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})")

EXAMPLE = "2027-01-15, 15-1-2027 of 15 januari 2027"


def parse_date(text: str) -> dt.date:
    """The date `text` names; ValueError with a Dutch one-line reason otherwise."""
    t = " ".join(text.strip().lower().split())
    if m := _ISO.fullmatch(t):
        year, month, day = (int(x) for x in m.groups())
    elif m := _DMY.fullmatch(t):
        day, month, year = (int(x) for x in m.groups())
    elif m := _WORDS.fullmatch(t):
        name = m.group(2)
        found = MONTHS.get(name) or _SHORT.get(name[:3]) if len(name) >= 3 else None
        if found is None:
            raise ValueError(f"onbekende maand '{m.group(2)}' in '{text.strip()}'")
        day, month, year = int(m.group(1)), found, int(m.group(3))
    else:
        raise ValueError(f"ongeldige datum '{text.strip()}'; schrijf bijvoorbeeld {EXAMPLE}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"de datum '{text.strip()}' bestaat niet") from None
