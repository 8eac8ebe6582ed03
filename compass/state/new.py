"""Making new state files: a fresh project file, and the bundled demo copy.

Why its own module: creating a file is a different job from editing one. A new file
is written line by line in the canonical layout (one knooppunt per entry in process
order, one field per line) and never replaces an existing file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..durable import create_exclusive, lock_path, writable, write_atomic
from ..model import ProcessPack
from ..problems import InvalidInput
from .models import HEADER, LOCK_TIMEOUT, SCHEMA, normalize_line, text_scalar
from .read import dump_yaml, round_trip_yaml


def _scalar_text(value: Any) -> str:
    """How ruamel writes `value` after `key: ` (to build a new file by hand, line by line)."""
    out = dump_yaml(round_trip_yaml(), {"k": value})
    return out[len("k:") :].rstrip("\n").lstrip(" ")


def render_new(
    pack: ProcessPack, name: str, gemeente: str = "", wijk: str = "", started: dt.date | None = None
) -> str:
    """The text of a fresh state file: every knooppunt in process order, one field per line."""
    started = started or dt.date.today()
    lines = [
        HEADER,
        f"schema: {SCHEMA}",
        "project:",
        f"  name: {_scalar_text(text_scalar(normalize_line(name)))}",
        f"  gemeente: {_scalar_text(text_scalar(normalize_line(gemeente)))}",
        f"  wijk: {_scalar_text(text_scalar(normalize_line(wijk)))}",
        f"  started: {started.isoformat()}",
        "knooppunten:",
    ]
    for k in pack.knooppunten:
        lines += [
            f"  # {k.number}. {normalize_line(k.title)}",
            f"  {k.slug}:",
            "    status: todo",
            "    owner: ''",
            "    due:",
            "    note: ''",
        ]
    return "\n".join(lines) + "\n"


def create_state(
    path: str | Path,
    pack: ProcessPack,
    name: str,
    gemeente: str = "",
    wijk: str = "",
    started: dt.date | None = None,
) -> None:
    """Create a new state file listing every knooppunt; never overwrites (InvalidInput)."""
    p = Path(path)
    if os.path.lexists(p):
        raise InvalidInput(
            f"{path} bestaat al; kies een andere naam of open het met: wijkkompas {path}"
        )
    if not p.parent.is_dir():
        raise InvalidInput(f"{path}: de map {p.parent} bestaat niet")
    if not writable(p.parent):
        raise InvalidInput(f"{path}: kan niet opslaan: de map {p.parent} is alleen-lezen")
    if not normalize_line(name):
        raise InvalidInput("de projectnaam mag niet leeg zijn")
    data = render_new(pack, name, gemeente, wijk, started).encode("utf-8")
    from filelock import FileLock, Timeout  # only needed when writing

    try:
        with FileLock(str(lock_path(p)), timeout=LOCK_TIMEOUT):
            create_exclusive(p, data)
    except FileExistsError:
        raise InvalidInput(
            f"{path} bestaat al; kies een andere naam of open het met: wijkkompas {path}"
        ) from None
    except Timeout:
        raise InvalidInput(
            f"{path}: kan het bestand niet vergrendelen; iemand anders is er al {LOCK_TIMEOUT:.0f} "
            "s mee bezig"
        ) from None
    except OSError as exc:
        raise InvalidInput(f"{path}: kan niet opslaan: {exc.strerror or exc}") from None


def demo_copy(dest_dir: str | Path | None = None) -> Path:
    """Copy the bundled example project to `dest_dir/wijkkompas.yaml` and return that path.

    By default into the user data directory (`.../wijkkompas/demo/`), replacing any
    earlier demo copy, so `wijkkompas demo` always starts from the same example.
    """
    from ..pack import bundled_pack_dir

    if dest_dir is None:
        from platformdirs import user_data_dir

        dest_dir = Path(user_data_dir("wijkkompas", appauthor=False)) / "demo"
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / "wijkkompas.yaml"
    write_atomic(target, (bundled_pack_dir() / "demo.yaml").read_bytes())
    return target
