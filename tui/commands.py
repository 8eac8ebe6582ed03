"""Every command of the app, declared once.

One `Command` feeds the key binding, the footer, the command palette and the help
screen, so they can never disagree. Keys can be remapped by id in a keymap file.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from textual.binding import Binding, BindingType

from .i18n import t


# A NamedTuple, not a frozen dataclass: no methods compiled at import, on every start.
class Command(NamedTuple):
    """One command: its key, how the key is shown, the action it runs. Labels live in i18n."""

    id: str  # stable id, used for remapping keys and for the labels `cmd.<id>`, `cmd.<id>.help`
    key: str  # Textual key name(s), comma separated
    display: str  # how the key is shown
    action: str  # action name on the screen (or app)
    footer: bool = True
    # Taken by the app the moment the key arrives, before keys typed after it are
    # handed to the focused widget (go-to: "g42" typed fast must all reach the question).
    priority: bool = False

    @property
    def label(self) -> str:
        """Looked up when shown, so the language chosen at start (--lang) always applies."""
        return t(f"cmd.{self.id}")

    @property
    def help(self) -> str:
        return t(f"cmd.{self.id}.help")


NAVIGATOR_COMMANDS: tuple[Command, ...] = (
    Command(id="goto", key="g", display="g", action="goto", priority=True),
    Command(id="search", key="slash", display="/", action="search"),
    Command(id="back", key="left_square_bracket", display="[", action="back", footer=False),
    Command(id="forward", key="right_square_bracket", display="]", action="forward", footer=False),
    Command(id="status", key="s", display="s", action="set_status"),
    Command(id="note", key="n", display="n", action="edit_note"),
    Command(id="bookmark", key="b", display="b", action="toggle_bookmark", footer=False),
    Command(id="bookmarks", key="B", display="B", action="bookmarks", footer=False),
    Command(id="overview", key="o", display="o", action="overview"),
    Command(id="party", key="p", display="p", action="filter_party", footer=False),
    Command(id="spoor", key="S", display="S", action="filter_spoor", footer=False),
    Command(id="agenda", key="a", display="a", action="agenda", footer=False),
    Command(id="mine", key="m", display="m", action="filter_owner", footer=False),
    Command(id="clear_filter", key="escape", display="esc", action="clear_filter", footer=False),
    Command(id="law", key="w", display="w", action="law", footer=False),
    Command(id="perspective", key="v", display="v", action="perspective", footer=False),
    Command(id="report", key="r", display="r", action="report", footer=False),
    Command(id="timeline", key="h", display="h", action="timeline", footer=False),
    Command(id="follow", key="f", display="f", action="toggle_follow", footer=False),
    Command(id="about", key="i", display="i", action="about", footer=False),
    Command(id="help", key="question_mark", display="?", action="help"),
    Command(id="quit", key="q", display="q", action="quit"),
)

PALETTE_KEY = Command(id="palette", key="ctrl+p", display="ctrl+p", action="command_palette")

COMMANDS_BY_ID: dict[str, Command] = {c.id: c for c in (*NAVIGATOR_COMMANDS, PALETTE_KEY)}


def bindings(commands: tuple[Command, ...]) -> list[BindingType]:
    """Textual bindings; their description is only a fallback: the footer asks `label_of`."""
    return [
        Binding(
            c.key,
            c.action,
            c.label,
            show=c.footer,
            key_display=c.display,
            id=c.id,
            priority=c.priority,
        )
        for c in commands
    ]


def label_of(binding: Binding) -> str:
    """The footer's text for a binding: the command's label in the current language."""
    command = COMMANDS_BY_ID.get(binding.id or "")
    if command is None and binding.action == PALETTE_KEY.action:
        command = PALETTE_KEY
    return command.label if command is not None else binding.description


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """User key remapping: a YAML mapping of command id to key(s), e.g. `goto: ctrl+g`."""
    if path is None:
        from platformdirs import user_config_dir

        path = Path(user_config_dir("wijkkompas", appauthor=False)) / "keymap.yaml"
    if not path.is_file():
        return {}
    from ruamel.yaml import YAML

    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except Exception:
        return {}
    known = {c.id for c in NAVIGATOR_COMMANDS}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if k in known and isinstance(v, str)}
