"""Who is who in the room: the room code, the facilitator's code, and marked keys.

Nobody becomes facilitator by choosing a name. The facilitator proves it with
something participants do not have: a separate code shown only on the server's
console, or an SSH key that the operator marked as the facilitator's (the word
`wijkkompas-facilitator` in the key's comment in `--authorized-keys`, or any key
in `--facilitator-key FILE`). The name only says how someone is shown and
recorded, and the room hands out names itself (`Room.claim_name`).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import asyncssh

FACILITATOR_MARK = "wijkkompas-facilitator"
PASSCODE_ALPHABET = (
    "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed from a beamer
)
PASSCODE_LENGTH = 8


class Role(Enum):
    PARTICIPANT = "deelnemer"
    FACILITATOR = "facilitator"


def make_passcode() -> str:
    code = "".join(secrets.choice(PASSCODE_ALPHABET) for _ in range(PASSCODE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def _normal(code: str) -> bytes:
    """Typed from a beamer: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.casefold() if ch not in " -\t").encode()


@dataclass(frozen=True)
class Codes:
    """The room code (participants) and the facilitator code (only on the server's console)."""

    room: str
    facilitator: str

    @classmethod
    def fresh(cls, room: str | None = None) -> Codes:
        room = room or make_passcode()
        facilitator = make_passcode()
        while _normal(facilitator) == _normal(room):  # vanishingly rare, but never the same
            facilitator = make_passcode()
        return cls(room, facilitator)

    def role_for(self, typed: str) -> Role | None:
        """The role a typed code gives, or None; both codes are always compared (same time)."""
        given = _normal(typed[:200])
        is_facilitator = hmac.compare_digest(given, _normal(self.facilitator))
        is_room = hmac.compare_digest(given, _normal(self.room))
        if is_facilitator:
            return Role.FACILITATOR
        return Role.PARTICIPANT if is_room else None


@dataclass(frozen=True)
class KeyRing:
    """Participants' keys and the facilitator's keys, each an authorized_keys set (or None)."""

    participants: asyncssh.SSHAuthorizedKeys | None
    facilitators: asyncssh.SSHAuthorizedKeys | None

    def __bool__(self) -> bool:
        return self.participants is not None or self.facilitators is not None

    def role_for(self, key: asyncssh.SSHKey, host: str, address: str) -> Role | None:
        if (
            self.facilitators is not None
            and self.facilitators.validate(key, host, address) is not None
        ):
            return Role.FACILITATOR
        if (
            self.participants is not None
            and self.participants.validate(key, host, address) is not None
        ):
            return Role.PARTICIPANT
        return None


def is_marked(line: str) -> bool:
    """A key line whose comment (or anywhere on the line, as a word) carries the mark."""
    return FACILITATOR_MARK in line.split()


def _keys(lines: list[str]) -> asyncssh.SSHAuthorizedKeys | None:
    text = "\n".join(lines)
    return asyncssh.import_authorized_keys(text) if text.strip() else None


def load_keys(authorized_keys: str | None, facilitator_key: str | None) -> KeyRing:
    """Read the key files; a marked line in `authorized_keys` is a facilitator's key.

    Raises OSError, ValueError or asyncssh.KeyImportError for a file that is not
    an authorized_keys file.
    """
    participants: list[str] = []
    facilitators: list[str] = []
    if authorized_keys:
        for line in Path(authorized_keys).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                (facilitators if is_marked(line) else participants).append(line)
    if facilitator_key:
        facilitators += [
            line
            for line in Path(facilitator_key).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if not facilitators:
            raise ValueError("geen sleutel in het bestand")
    return KeyRing(_keys(participants), _keys(facilitators))
