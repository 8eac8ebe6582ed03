"""Writing a file the user named (`report -o`, an export): never at the cost of another file.

The rules, in order:

- a symlink is followed: its target gets the text, the link stays;
- a lock file of the state store (`.NAME.lock`) is never written;
- a device, FIFO or socket is written into as it is, never replaced by a regular
  file (`-o /dev/null` stays a device; `/dev/full` reports the full disk);
- a directory is refused;
- a file that reads as a wijkkompas project file is refused unless `force`: a
  report must not replace the project it reports on, or another one;
- anything else is replaced atomically (temp file in the same directory, fsync,
  rename), keeping the old file's permission bits, owner and group.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from .durable import write_atomic
from .problems import InvalidInput

_STATE_MARKS = (re.compile(r"^schema:\s*\d", re.M), re.compile(r"^(knooppunten|project):", re.M))


def reads_as_state_file(path: Path) -> bool:
    """The start of the file has a top-level `schema:` and `knooppunten:` or `project:`."""
    try:
        with open(path, "rb") as f:
            head = f.read(65536).decode("utf-8", "replace").lstrip("\ufeff")
    except OSError:
        return False
    head = head.replace("\r\n", "\n").replace("\r", "\n")
    return all(mark.search(head) for mark in _STATE_MARKS)


def is_lock_file(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".lock")


def write_output(path: str | os.PathLike[str], text: str | bytes, *, force: bool = False) -> Path:
    """Write `text` to the file the user named, by the rules above; InvalidInput when refused."""
    named = Path(path)
    target = Path(os.path.realpath(named))
    data = text.encode("utf-8") if isinstance(text, str) else text
    if is_lock_file(target):
        raise InvalidInput(f"{named}: is een slotbestand van wijkkompas; kies een ander bestand")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InvalidInput(f"{named}: kan niet schrijven: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InvalidInput(f"{named}: is een map; geef een bestandsnaam")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_into(named, target, data)
        return target
    if st is not None and not force and reads_as_state_file(target):
        raise InvalidInput(
            f"{named}: is een wijkkompas-projectbestand; kies een ander bestand "
            "(of --force om het toch te vervangen)"
        )
    if not target.parent.is_dir():
        raise InvalidInput(f"{named}: de map {target.parent} bestaat niet")
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise InvalidInput(f"{named}: kan niet schrijven: {exc.strerror or exc}") from None
    return target


def _write_into(named: Path, target: Path, data: bytes) -> None:
    """A device, FIFO or socket: write into it, never replace it."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise InvalidInput(f"{named}: niemand leest deze pijp (FIFO)") from None
        raise InvalidInput(f"{named}: kan niet schrijven: {exc.strerror or exc}") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError as exc:
        raise InvalidInput(f"{named}: kan niet schrijven: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
