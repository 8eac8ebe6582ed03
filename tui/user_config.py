"""The user's own settings, kept between sessions: for now, the role each person last chose.

One small YAML file in the user's config directory (`$XDG_CONFIG_HOME/wijkkompas/`,
usually `~/.config/wijkkompas/config.yaml`), beside `keymap.yaml`:

    roles:
      sanne: gemeente

It is written atomically (`compass.durable.write_atomic`). Only the app at the
user's own terminal writes it (`WijkkompasApp.personal_config`); a workshop
session never writes the server account's file for a participant.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

CONFIG_NAME = "config.yaml"


def config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("wijkkompas", appauthor=False)) / CONFIG_NAME


def _load(path: Path) -> dict[str, Any]:
    """The file's mapping; {} when it is missing or not a mapping (a broken file is not fatal)."""
    from ruamel.yaml import YAML

    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}


def _key(user: str) -> str:
    return " ".join(user.split()).casefold()


def remembered_role(user: str, path: Path | None = None) -> str | None:
    """The role `user` chose last time, or None."""
    roles = _load(path or config_path()).get("roles")
    if not isinstance(roles, dict):
        return None
    role = roles.get(_key(user))
    return role if isinstance(role, str) and role else None


def remember_role(user: str, role: str, path: Path | None = None) -> None:
    """Keep `role` as `user`'s choice; other keys of the file stay as they were."""
    from ruamel.yaml import YAML

    from compass.durable import write_atomic

    path = path or config_path()
    data = _load(path)
    roles = data.get("roles")
    if not isinstance(roles, dict):
        roles = data["roles"] = {}
    if roles.get(_key(user)) == role:
        return
    roles[_key(user)] = role
    out = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.dump(data, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, out.getvalue().encode("utf-8"))
