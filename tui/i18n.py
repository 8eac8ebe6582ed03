"""The language the UI speaks, and a text in it by key (the texts are in `tui.strings`)."""

from __future__ import annotations

from compass.model import STATUS_LABELS, STATUS_LABELS_EN

from .strings import STRINGS

__all__ = ["STRINGS", "language", "set_language", "status_label", "t"]

_LANG = "nl"


def set_language(lang: str) -> None:
    global _LANG
    _LANG = lang if lang in STRINGS else "nl"


def language() -> str:
    return _LANG


def t(key: str, **values: object) -> str:
    text = STRINGS[_LANG].get(key) or STRINGS["nl"].get(key, key)
    return text.format(**values) if values else text


def status_label(status: str) -> str:
    return (STATUS_LABELS_EN if _LANG == "en" else STATUS_LABELS).get(status, status)
