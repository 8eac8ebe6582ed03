"""Durable file writes and the writers' lock, kept apart from any YAML knowledge.

Why its own module: these are the crash- and concurrency-safety primitives every
writer of a state file relies on (the store, `create_state`, `demo_copy`). A save
either leaves the old or the new file on disk, never half of one (temp file in the
same directory, fsync, the original's permission bits, rename, fsync the
directory), and all writers of one file serialise on one lock file beside it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def writable(path: Path) -> bool:
    """Writable, and not marked read-only: a read-only bit is respected even by root."""
    try:
        return os.access(path, os.W_OK) and bool(os.stat(path).st_mode & 0o222)
    except OSError:
        return False


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _write_temp(
    path: Path, data: bytes, mode: int | None, owner: tuple[int, int] | None = None
) -> str:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if owner is not None:
            _keep_owner(tmp, owner)
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        unlink_quietly(tmp)
        raise
    return tmp


def _keep_owner(tmp: str, owner: tuple[int, int]) -> None:
    """The new file keeps the old one's owner and group where this process may set them.

    Root editing someone else's file must not leave it owned by root; an ordinary
    user can keep the group if they are in it, and otherwise gets their own.
    """
    st = os.stat(tmp)
    if (st.st_uid, st.st_gid) == owner:
        return
    try:
        os.chown(tmp, *owner)
    except OSError:
        try:
            os.chown(tmp, -1, owner[1])
        except OSError:
            pass


def unlink_quietly(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_atomic(
    path: Path, data: bytes, before_replace: Callable[[os.stat_result], None] | None = None
) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, never half.

    Temp file in the same directory, fsync, the original's owner, group and permission
    bits, rename, fsync the directory. `before_replace` is called with the stat of the
    new file just before it takes the old one's place (its inode, size and mtime stay
    the same through the rename), so others can be told about it before they see it.
    """
    try:
        st = os.stat(path)
        mode: int | None = st.st_mode & 0o7777
        owner: tuple[int, int] | None = (st.st_uid, st.st_gid)
    except FileNotFoundError:  # a new file: readable like any other (not mkstemp's 0600)
        mode, owner = 0o666 & ~_umask(), None
    tmp = _write_temp(path, data, mode, owner)
    try:
        if before_replace is not None:
            before_replace(os.stat(tmp))
        os.replace(tmp, path)
    except BaseException:
        unlink_quietly(tmp)
        raise
    _fsync_dir(path.parent)


def create_exclusive(path: Path, data: bytes) -> None:
    """Write a new file durably, refusing (FileExistsError) to replace one that exists."""
    tmp = _write_temp(path, data, 0o666 & ~_umask())
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some network or FAT drives)
        with open(path, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    finally:
        unlink_quietly(tmp)
    _fsync_dir(path.parent)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def lock_path(path: str | Path) -> Path:
    """The lock file every writer of `path` takes: `.NAME.lock` beside the (real) file."""
    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}.lock")
