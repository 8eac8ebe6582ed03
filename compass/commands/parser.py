"""The `wijkkompas` command line: argument parsing and dispatch, nothing more.

Commands that need the terminal app (opening the navigator, `demo`, `serve`) are
provided by the UI package through `UiHooks`, so the core never imports it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Protocol, cast

from .. import __version__
from ..problems import InvalidInput, ProblemsError, UsageError
from ..text import one_line
from . import DEFAULT_STATE

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

COMMANDS = (
    "demo",
    "new",
    "list",
    "show",
    "find",
    "status",
    "set",
    "validate",
    "report",
    "log",
    "agenda",
    "export",
    "serve",
)

EPILOG = """\
voorbeelden:
  wijkkompas demo                         een voorbeeldproject verkennen
  wijkkompas new wijkkompas.yaml --name "De Maten" --gemeente Apeldoorn
  wijkkompas                              ./wijkkompas.yaml openen in de navigator
  wijkkompas list --phase 1 --track sociaal
  wijkkompas show 12                      één knooppunt lezen (nummer of slug)
  wijkkompas find netcongestie            zoeken in alle pagina's
  wijkkompas set wijkkompas.yaml 12 --status bezig --owner Fatima
  wijkkompas status wijkkompas.yaml       voortgang per fase en spoor
  wijkkompas report wijkkompas.yaml --format html -o apk.html
  wijkkompas report wijkkompas.yaml --since 15-1-2027     met wat er sinds die dag veranderde
  wijkkompas log wijkkompas.yaml --since "15 januari 2027"   wie wat veranderde (uit git)
  wijkkompas serve wijkkompas.yaml --ssh 2222 --passcode

statussen: open (todo), bezig (doing), afgerond (done), vastgelopen (stuck), n.v.t. (skipped)
exitcodes: 0 gelukt, 1 ongeldige invoer, 2 verkeerd gebruik
"""


class UiHooks(Protocol):
    """What the terminal app offers the command line."""

    def open(self, args: argparse.Namespace) -> int: ...
    def demo(self, args: argparse.Namespace) -> int: ...
    def serve(self, args: argparse.Namespace) -> int: ...


# argparse's own messages, in Dutch (argparse looks its texts up through `_` when it
# prints them; a dictionary is enough for the handful it uses).
ARGPARSE_NL = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "deze hulp tonen en stoppen",
    "show program's version number and exit": "de versie tonen en stoppen",
    "the following arguments are required: %s": "dit ontbreekt nog: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "onbekende keuze %(value)r (kies uit %(choices)s)"
    ),
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "expected one argument": "hier hoort één waarde bij",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "optie %(option)s kan meerdere zijn: %(matches)s"
    ),
    "not allowed with argument %s": "niet samen met %s",
    "one of the arguments %s is required": "een van deze is nodig: %s",
}


def _dutch_argparse() -> None:
    import argparse

    def translate(message: str) -> str:
        return ARGPARSE_NL.get(message, message)

    argparse._ = translate  # type: ignore[attr-defined]  # argparse's gettext hook


def _parser() -> argparse.ArgumentParser:
    import argparse

    _dutch_argparse()

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--pack",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="een ander procespakket gebruiken dan het meegeleverde",
    )
    ui = argparse.ArgumentParser(add_help=False)
    ui.add_argument(
        "--lang",
        choices=("nl", "en"),
        default=argparse.SUPPRESS,
        help="taal van de app (de inhoud blijft zoals het pakket hem geeft)",
    )
    ui.add_argument(
        "--no-mouse",
        action="store_true",
        default=argparse.SUPPRESS,
        help="de muis niet gebruiken (handig over SSH)",
    )

    p = argparse.ArgumentParser(
        prog="wijkkompas",
        description="Navigator voor het Wijkkompas: een wijk aardgasvrij maken, fase voor fase.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common, ui],
    )
    p.add_argument("--version", action="version", version=f"wijkkompas {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMANDO")

    s = sub.add_parser("open", parents=[common, ui])  # no help: not listed (only `wijkkompas FILE`)
    s.add_argument("state", nargs="?", default="wijkkompas.yaml", metavar="STATE")
    # a workshop session (started by `serve --web` through `python -m tui`)
    s.add_argument("--workshop", action="store_true", help=argparse.SUPPRESS)
    s.add_argument("--user", default="", help=argparse.SUPPRESS)
    s.add_argument("--facilitator", help=argparse.SUPPRESS)
    s.add_argument("--leader", action="store_true", help=argparse.SUPPRESS)

    s = sub.add_parser("demo", parents=[common, ui], help="een meegeleverd voorbeeldproject openen")

    s = sub.add_parser("new", parents=[common], help="een projectbestand maken met elk knooppunt")
    s.add_argument("state", metavar="STATE")
    s.add_argument("--name", required=True, help="naam van het project")
    s.add_argument("--gemeente", help="gemeente")
    s.add_argument("--wijk", help="wijk of buurt")

    s = sub.add_parser("list", parents=[common], help="knooppunten opsommen")
    s.add_argument("--phase", type=int, metavar="N", help="alleen fase N (1..6)")
    s.add_argument("--track", help="alleen dit spoor: sociaal of technisch")
    s.add_argument(
        "--spoor", metavar="A..F", help="alleen knooppunten van een van de zes sporen (A t/m F)"
    )
    s.add_argument("--stakeholder", metavar="S", help="alleen waar deze partij bij betrokken is")
    s.add_argument("--json", action="store_true", help="uitvoer als JSON")

    s = sub.add_parser(
        "show", parents=[common], help="één knooppunt tonen (nummer of slug), of 'wetgeving'"
    )
    s.add_argument("ref", metavar="N|SLUG|wetgeving")
    s.add_argument(
        "state", nargs="?", metavar="STATE", help="met de stand uit dit projectbestand erbij"
    )
    s.add_argument("--json", action="store_true", help="uitvoer als JSON")

    s = sub.add_parser("find", parents=[common], help="zoeken in titels en paginatekst")
    s.add_argument("query", nargs="+", metavar="QUERY")
    s.add_argument("--json", action="store_true", help="uitvoer als JSON")
    s.add_argument(
        "--limit", type=int, default=20, help="hoogstens zoveel resultaten (standaard 20)"
    )

    s = sub.add_parser("status", parents=[common], help="voortgang per fase en spoor")
    s.add_argument("states", nargs="*", default=[DEFAULT_STATE], metavar="STATE")
    s.add_argument("--json", action="store_true", help="uitvoer als JSON")

    s = sub.add_parser(
        "set", parents=[common], help="status, notitie, eigenaar of datum van een knooppunt zetten"
    )
    s.add_argument("where", nargs="+", metavar="[STATE] N|SLUG")
    s.add_argument(
        "--status",
        help="open, bezig, afgerond, vastgelopen, n.v.t. (of todo, doing, done, stuck, skipped)",
    )
    s.add_argument("--note", help="notitie (vervangt de bestaande)")
    s.add_argument("--owner", help="eigenaar (naam)")
    s.add_argument(
        "--due",
        metavar="DATUM",
        help="streefdatum: 2027-01-15, 15-1-2027 of '15 januari 2027'; leeg maakt hem leeg",
    )
    s.add_argument("--by", help=argparse.SUPPRESS)

    s = sub.add_parser(
        "validate", parents=[common], help="een projectbestand en/of procespakket controleren"
    )
    s.add_argument("state", nargs="?", metavar="STATE")

    s = sub.add_parser("report", parents=[common], help="rapport 'APK van de wijkaanpak' maken")
    s.add_argument("states", nargs="*", default=[DEFAULT_STATE], metavar="STATE")
    s.add_argument(
        "--format",
        metavar="md|html",
        help="Markdown (standaard) of HTML; bij -o FILE.html vanzelf HTML",
    )
    s.add_argument(
        "-o", "--output", metavar="FILE", help="naar dit bestand schrijven in plaats van stdout"
    )
    s.add_argument(
        "--force",
        action="store_true",
        help="-o mag ook een bestand vervangen dat een projectbestand lijkt",
    )
    s.add_argument(
        "--since",
        metavar="DATUM|REV",
        help="met een deel 'Sinds ...': wat sinds die datum of git-revisie (tag, commit) "
        "afgerond, vastgelopen, heropend of besloten is",
    )
    s.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)

    s = sub.add_parser(
        "log",
        parents=[common],
        help="wat er veranderde, per knooppunt, uit de git-geschiedenis van het bestand",
    )
    s.add_argument(
        "state", nargs="?", metavar="STATE", help="projectbestand (standaard ./wijkkompas.yaml)"
    )
    s.add_argument(
        "--since",
        metavar="DATUM|REV",
        help="alleen wat vanaf deze datum (die dag telt mee) of na deze git-revisie kwam",
    )
    s.add_argument(
        "--until",
        metavar="DATUM|REV",
        help="alleen wat tot en met deze datum of git-revisie kwam",
    )
    s.add_argument("--knooppunt", metavar="N|SLUG", help="alleen dit knooppunt")
    s.add_argument("--json", action="store_true", help="uitvoer als JSON")

    s = sub.add_parser("agenda", parents=[common], help="open werk op datum, te laat eerst")
    s.add_argument("state", nargs="?", metavar="STATE")
    s.add_argument("--owner", metavar="NAAM", help="alleen het werk van deze eigenaar")
    s.add_argument("--json", action="store_true", help="uitvoer als JSON")

    s = sub.add_parser(
        "export",
        parents=[common],
        help="een tabel als CSV of Excel: knooppunten, partijen, besluiten",
    )
    s.add_argument("state", nargs="?", metavar="STATE")
    s.add_argument(
        "--table", metavar="TABEL", help="knooppunten (standaard), stakeholders of besluiten"
    )
    s.add_argument("--format", metavar="csv|xlsx", help="csv (standaard) of xlsx")
    s.add_argument("-o", "--output", metavar="FILE", help="naar dit bestand in plaats van stdout")
    s.add_argument("--force", action="store_true", help="mag een projectbestand vervangen")

    s = sub.add_parser(
        "serve", parents=[common, ui], help="de app aanbieden voor een workshop (SSH of browser)"
    )
    s.add_argument("state", metavar="STATE")
    how = s.add_mutually_exclusive_group(required=True)
    how.add_argument("--ssh", metavar="[HOST:]PORT")
    how.add_argument("--web", metavar="[HOST:]PORT")
    s.add_argument("--authorized-keys", metavar="FILE")
    s.add_argument(
        "--passcode",
        action="store_true",
        help="deelnemers loggen in met een code (of WIJKKOMPAS_PASSCODE); de facilitator met een "
        "eigen code die alleen in het venster van de server staat",
    )
    s.add_argument(
        "--facilitator",
        metavar="NAAM",
        help="naam van de facilitator (inloggen met de facilitatorcode of een gemarkeerde sleutel)",
    )
    s.add_argument(
        "--facilitator-key",
        metavar="FILE",
        help="publieke sleutel(s) van de facilitator (naast --authorized-keys)",
    )
    s.add_argument(
        "--open-room",
        action="store_true",
        help="--web op een ander adres dan deze computer zonder code (iedereen kan binnen)",
    )
    s.add_argument(
        "--quiet",
        action="store_true",
        help="geen live overzicht, alleen een logboek (voor scripts)",
    )
    s.add_argument("--max-sessions", type=int, default=40)
    s.add_argument(
        "--spares",
        type=int,
        metavar="N",
        help="SSH: zoveel sessies vooraf klaarzetten, zodat wie inlogt meteen begint "
        "(standaard: evenveel als --max-sessions, hoogstens 40; 0: uit)",
    )
    s.add_argument("--idle-timeout", type=int, default=3600, metavar="SECONDEN")
    return p


_VALUE_OPTIONS = {"--pack", "--lang"}


def _insert_open(argv: list[str]) -> list[str]:
    """`wijkkompas [STATE]` means `open STATE`; anything else unknown is a usage error."""
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok in _VALUE_OPTIONS:
            i += 2
            continue
        if tok.startswith("-"):
            if tok in ("-h", "--help", "--version"):
                return argv
            i += 1
            continue
        if tok in COMMANDS or tok == "open":
            return argv
        if Path(tok).is_file() or tok.endswith((".yaml", ".yml")):
            return argv[:i] + ["open"] + argv[i:]
        raise UsageError(
            f"onbekend commando '{tok}'; commando's: {', '.join(COMMANDS)} (of een .yaml-bestand "
            "om "
            ""
            ""
            ""
            ""
            "te openen)"
        )
    return argv + ["open"]


def _plain_open(argv: list[str]) -> SimpleNamespace | None:
    """`wijkkompas` or `wijkkompas FILE`, the most common start: what the parser would
    make of it, without importing argparse and building a parser for every command
    (~8 ms of each start). A test keeps it equal to the parser's answer."""
    if len(argv) > 1 or (
        argv and (argv[0].startswith("-") or argv[0] in COMMANDS or argv[0] == "open")
    ):
        return None
    if argv and not (Path(argv[0]).is_file() or argv[0].endswith((".yaml", ".yml"))):
        return None
    return SimpleNamespace(
        command="open",
        state=argv[0] if argv else "wijkkompas.yaml",
        workshop=False,
        user="",
        facilitator=None,
        leader=False,
    )


def main(argv: Sequence[str] | None = None, ui: UiHooks | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _plain_open(args_list) or _parser().parse_args(_insert_open(args_list))
    except UsageError as exc:
        print(f"wijkkompas: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return int(exc.code or 0)
    try:
        # _plain_open answers with a SimpleNamespace of the same attributes: duck-typed alike
        return _dispatch(cast("argparse.Namespace", args), ui)
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except InvalidInput as exc:
        print(f"wijkkompas: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"wijkkompas: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


# command -> (module in compass.commands, function): imported only when that command
# runs, so `list` does not load the state store and opening the app loads neither.
_HANDLERS: dict[str, tuple[str, str]] = {
    "list": ("browse", "cmd_list"),
    "show": ("browse", "cmd_show"),
    "agenda": ("planning", "cmd_agenda"),
    "export": ("planning", "cmd_export"),
    "find": ("browse", "cmd_find"),
    "validate": ("tracking", "cmd_validate"),
    "new": ("tracking", "cmd_new"),
    "set": ("tracking", "cmd_set"),
    "status": ("tracking", "cmd_status"),
    "report": ("reporting", "cmd_report"),
    "log": ("changes", "cmd_log"),
}


def _dispatch(args: argparse.Namespace, ui: UiHooks | None) -> int:
    if args.command in _HANDLERS:
        import importlib

        module, name = _HANDLERS[args.command]
        handler: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(f".{module}", __package__), name
        )
        return handler(args)
    if ui is None:
        raise UsageError(
            f"'{args.command}' heeft de terminal-app nodig; start via het commando 'wijkkompas'"
        )
    return {"open": ui.open, "demo": ui.demo, "serve": ui.serve}[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
