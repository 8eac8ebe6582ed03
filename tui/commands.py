"""Every command of the app, declared once.

One `Command` feeds the key binding, the footer, the command palette and the help
screen, so they can never disagree. Keys can be remapped by id in a keymap file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding

from .i18n import language


@dataclass(frozen=True)
class Command:
    id: str  # stable id, used for remapping keys
    key: str  # Textual key name(s), comma separated
    display: str  # how the key is shown
    action: str  # action name on the screen (or app)
    nl: str
    en: str
    help_nl: str
    help_en: str
    footer: bool = True
    # Taken by the app the moment the key arrives, before keys typed after it are
    # handed to the focused widget (go-to: "g42" typed fast must all reach the question).
    priority: bool = False

    @property
    def label(self) -> str:
        return self.en if language() == "en" else self.nl

    @property
    def help(self) -> str:
        return self.help_en if language() == "en" else self.help_nl


NAVIGATOR_COMMANDS: tuple[Command, ...] = (
    Command("goto", "g", "g", "goto", "Ga naar", "Go to", "naar een knooppunt op nummer of titel", "go to a knooppunt by number or title", priority=True),
    Command("search", "slash", "/", "search", "Zoek", "Search", "zoeken in titels en paginatekst", "search titles and page text"),
    Command("back", "left_square_bracket", "[", "back", "Terug", "Back", "terug in de bezochte knooppunten", "back in visited knooppunten", footer=False),
    Command("forward", "right_square_bracket", "]", "forward", "Vooruit", "Forward", "vooruit in de bezochte knooppunten", "forward in visited knooppunten", footer=False),
    Command("status", "s", "s", "set_status", "Status", "Status", "status, eigenaar en streefdatum zetten", "set status, owner and due date"),
    Command("note", "n", "n", "edit_note", "Notitie", "Note", "notitie bewerken (ook in $EDITOR)", "edit the note (also in $EDITOR)"),
    Command("bookmark", "b", "b", "toggle_bookmark", "Bladwijzer", "Bookmark", "bladwijzer aan of uit", "toggle bookmark", footer=False),
    Command("bookmarks", "B", "B", "bookmarks", "Bladwijzers", "Bookmarks", "lijst van bladwijzers", "list of bookmarks", footer=False),
    Command("overview", "o", "o", "overview", "Overzicht", "Overview", "voortgang per fase en spoor", "progress per phase and track"),
    Command("party", "p", "p", "filter_party", "Partij", "Party", "alleen knooppunten van één partij tonen", "show only one party's knooppunten", footer=False),
    Command("perspective", "v", "v", "perspective", "Perspectief", "Perspective", "jouw kijk op de stand van dit knooppunt vastleggen (per rol)", "record your view of this knooppunt (per role)", footer=False),
    Command("report", "r", "r", "report", "Rapport", "Report", "rapport 'APK van de wijkaanpak' schrijven", "write the 'APK' report", footer=False),
    Command("follow", "f", "f", "toggle_follow", "Volgen", "Follow", "workshop: volgmodus aan of uit (facilitator: de zaal laten meekijken)", "workshop: toggle follow mode", footer=False),
    Command("about", "i", "i", "about", "Over", "About", "over deze inhoud: een onafhankelijk model van het Wijkkompas", "about this content: an independent model of the Wijkkompas", footer=False),
    Command("help", "question_mark", "?", "help", "Help", "Help", "alle toetsen", "every key"),
    Command("quit", "q", "q", "quit", "Stop", "Quit", "stoppen (alles is al opgeslagen)", "quit (everything is already saved)"),
)

PALETTE_KEY = Command("palette", "ctrl+p", "ctrl+p", "command_palette", "Commando's", "Commands", "commandopalet: alle commando's en knooppunten", "command palette: every command and knooppunt")


def bindings(commands: tuple[Command, ...]) -> list[Binding]:
    return [
        Binding(c.key, c.action, c.label, show=c.footer, key_display=c.display, id=c.id, priority=c.priority)
        for c in commands
    ]


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
