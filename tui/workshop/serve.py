"""`wijkkompas serve STATE --ssh|--web [HOST:]PORT`: the navigator for a workshop room.

This module checks the command line, prepares what the servers need (state
file, pack, host key, codes, keys) and tells the facilitator, in Dutch, how
people connect. The SSH server lives in `ssh.py` (with `zygote.py` for the
sessions), the web server in `web.py` (textual-serve behind a login page).
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import os
import shlex
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from compass.problems import InvalidInput, UsageError

from .follow import follow_path, reset_follow

if TYPE_CHECKING:
    from .console import FacilitatorConsole
    from .trust import Codes, KeyRing

LOOPBACK = "127.0.0.1"


def parse_address(text: str, what: str) -> tuple[str, int]:
    """`2222`, `0.0.0.0:2222`, `[::1]:2222` → (host, port); the host defaults to loopback."""
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host = LOOPBACK
    host = host.strip("[]") or LOOPBACK
    try:
        port = int(port_text)
        if not 0 <= port <= 65535:
            raise ValueError
    except ValueError:
        raise UsageError(
            f"{what} verwacht [HOST:]POORT met een poort van 1 tot 65535, niet '{text}'"
        ) from None
    return host, port


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_key_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("wijkkompas", appauthor=False)) / "ssh_host_ed25519_key"


def load_host_key(path: Path):
    """The server's ed25519 key: made once, kept 0600, so participants' ssh recognises the server
    next time."""
    import asyncssh

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = asyncssh.generate_private_key("ssh-ed25519", comment="wijkkompas workshop")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server made it just now
            return asyncssh.read_private_key(path)
        with os.fdopen(fd, "wb") as f:
            f.write(key.export_private_key())
        return key
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    return asyncssh.read_private_key(path)


def _check_state(args: argparse.Namespace) -> Path:
    from compass.pack import load_pack
    from compass.state import StateStore

    state = Path(args.state)
    if not state.is_file():
        raise InvalidInput(
            f"{state}: bestaat niet; maak het eerst met: wijkkompas new {shlex.quote(str(state))} "
            '--name "Naam van de wijk"'
        )
    StateStore(
        state, load_pack(getattr(args, "pack", None))
    ).load()  # problems as FILE:LINE:COL, exit 1
    if not os.access(state.parent, os.W_OK):
        raise InvalidInput(
            f"{state.parent}: geen schrijfrechten; deelnemers moeten het projectbestand kunnen "
            "bijwerken"
        )
    return state.resolve()


DEFAULT_SPARES = 40  # sessions built ahead unless --spares says otherwise: a room of 40


def default_spares(args: argparse.Namespace) -> int:
    """--spares, or one per place up to DEFAULT_SPARES (each waits with ~18 MiB)."""
    spares = getattr(args, "spares", None)
    return min(args.max_sessions, DEFAULT_SPARES) if spares is None else spares


def serve(args: argparse.Namespace) -> int:
    if args.max_sessions < 1:
        raise UsageError("--max-sessions moet minstens 1 zijn")
    if args.idle_timeout < 0:
        raise UsageError("--idle-timeout moet 0 (uit) of meer seconden zijn")
    if getattr(args, "spares", None) is not None and args.spares < 0:
        raise UsageError("--spares moet 0 (uit) of meer zijn")
    if args.ssh:
        return _serve_ssh(args)
    return _serve_web(args)


# --- SSH ------------------------------------------------------------------------------


def room_codes(args: argparse.Namespace) -> Codes | None:
    """--passcode: the room code (or WIJKKOMPAS_PASSCODE) and a fresh facilitator code."""
    from .trust import Codes

    if not args.passcode:
        return None
    return Codes.fresh(os.environ.get("WIJKKOMPAS_PASSCODE", "").strip() or None)


def _key_ring(args: argparse.Namespace) -> KeyRing | None:
    import asyncssh

    from .trust import load_keys

    for option, path in (
        ("--authorized-keys", args.authorized_keys),
        ("--facilitator-key", args.facilitator_key),
    ):
        if path and not Path(path).is_file():
            raise InvalidInput(f"{path}: bestand met publieke sleutels ({option}) niet gevonden")
    if not (args.authorized_keys or args.facilitator_key):
        return None
    try:
        return load_keys(args.authorized_keys, args.facilitator_key)
    except (OSError, ValueError, UnicodeDecodeError, asyncssh.KeyImportError) as exc:
        where = args.authorized_keys or args.facilitator_key
        raise InvalidInput(f"{where}: geen geldig authorized_keys-bestand ({exc})") from None


def _serve_ssh(args: argparse.Namespace) -> int:
    host, port = parse_address(args.ssh, "--ssh")
    if args.open_room:
        raise UsageError("--open-room hoort bij --web; over SSH logt iedereen in")
    if not args.passcode and not args.authorized_keys:
        raise UsageError(
            "--ssh heeft een manier van inloggen nodig: --passcode (een code voor de zaal) en/of "
            "--authorized-keys BESTAND (publieke sleutels)"
        )
    keys = _key_ring(args)
    state = _check_state(args)
    codes = room_codes(args)
    import asyncssh

    from .room import child_env
    from .ssh import SshConfig, run_ssh

    key_path = host_key_path()
    try:
        key = load_host_key(key_path)
    except (OSError, asyncssh.KeyImportError) as exc:
        raise InvalidInput(f"{key_path}: serversleutel niet te lezen of te maken ({exc})") from None
    on_terminal = sys.stdin.isatty() and sys.stdout.isatty()  # the console needs keys and a screen
    console = _console(args, state, codes) if on_terminal and not args.quiet else None

    def listening(actual_port: int) -> None:
        lines = ssh_banner(args, state, host, actual_port, codes, key.get_fingerprint("sha256"))
        if console is None:
            print("\n".join(lines), flush=True)
        else:
            console.connect_lines = lines

    cfg = SshConfig(
        state=state,
        host=host,
        port=port,
        host_key=key,
        codes=codes,
        keys=keys,
        facilitator=args.facilitator,
        max_sessions=args.max_sessions,
        spares=default_spares(args),
        idle_timeout=args.idle_timeout,
        pack=getattr(args, "pack", None),
        lang=getattr(args, "lang", "nl"),
        no_mouse=getattr(args, "no_mouse", False),
        on_listening=listening,
        env=child_env(),
        on_event=None if console is None else console.event,
        console=None if console is None else console.run,
    )
    try:
        code = asyncio.run(run_ssh(cfg))
    except OSError as exc:
        why = (
            "de poort is al in gebruik (draait de workshop al?)"
            if exc.errno == errno.EADDRINUSE
            else (exc.strerror or str(exc))
        )
        print(f"wijkkompas: kan niet luisteren op {host}:{port}: {why}", file=sys.stderr)
        return 1
    except RuntimeError as exc:
        print(f"wijkkompas: {exc}", file=sys.stderr)
        return 1
    print(
        f"Workshop gestopt; alle sessies zijn gesloten. Alle wijzigingen staan in {state.name}.",
        flush=True,
    )
    return code


def _console(args: argparse.Namespace, state: Path, codes: Codes | None) -> FacilitatorConsole:
    from .console import FacilitatorConsole

    return FacilitatorConsole(
        state, codes, facilitator=args.facilitator, pack=getattr(args, "pack", None)
    )


def code_lines(codes: Codes | None) -> list[str]:
    """The two codes, and who each is for (the facilitator's code only on this console)."""
    if codes is None:
        return []
    return [
        f"Code voor de zaal:        {codes.room}",
        f"Code voor de facilitator: {codes.facilitator}   (alleen voor jou: niet op de beamer)",
    ]


def ssh_banner(
    args: argparse.Namespace,
    state: Path,
    host: str,
    port: int,
    codes: Codes | None,
    fingerprint: str,
) -> list[str]:
    shown = host if not host.startswith(("0.0.0.0", "::")) and host != "" else socket.gethostname()
    shown = f"[{shown}]" if ":" in shown else shown
    lines = [
        f"Wijkkompas-workshop op {state.name} ({state.parent})",
        "",
        "Deelnemers verbinden met (NAAM = hun eigen naam, die bij hun wijzigingen komt te staan):",
        f"    ssh -p {port} NAAM@{shown}",
        *code_lines(codes),
    ]
    if args.authorized_keys:
        lines.append(f"Inloggen met een sleutel uit {args.authorized_keys}")
    if args.facilitator_key:
        lines.append(f"Facilitatorsleutel uit {args.facilitator_key}")
    lines.append(f"Vingerafdruk van de server (ed25519): {fingerprint}")
    lines.append("    (ssh vraagt de eerste keer of deze klopt: vergelijk en antwoord yes)")
    who = args.facilitator or "de facilitator"
    lines.append(
        f"Volgmodus: {who} logt in met de facilitatorcode of een facilitatorsleutel en drukt f "
        "om de zaal te laten meekijken, nog eens f om te stoppen."
    )
    lines.append("")
    if is_loopback(host):
        lines.append(
            "Nu alleen bereikbaar vanaf deze computer. Voor de hele zaal (op hetzelfde netwerk):"
        )
        extra = " --passcode" if codes else ""
        extra += (
            f" --authorized-keys {shlex.quote(args.authorized_keys)}"
            if args.authorized_keys
            else ""
        )
        lines.append(f"    wijkkompas serve {shlex.quote(args.state)} --ssh 0.0.0.0:{port}{extra}")
    else:
        lines.append(
            f"Open voor het netwerk op {host}:{port}: ieder die de code kent, kan meedoen."
        )
    lines.append(f"Hoogstens {args.max_sessions} deelnemers tegelijk; stoppen met Ctrl-C.")
    return lines


# --- web ------------------------------------------------------------------------------


OPEN_ROOM_REFUSED = (
    "--web op {host}:{port} is bereikbaar voor anderen dan deze computer. Zonder code kan dan "
    "iedereen\n"
    "op het netwerk het projectbestand wijzigen. Voeg --passcode toe (deelnemers typen de code "
    "in de\n"
    "browser), of zeg met --open-room dat de zaal bewust open is."
)
OPEN_ROOM_WARNING = (
    "LET OP: open zaal (--open-room). Iedereen die {host}:{port} kan bereiken, kan de navigator\n"
    "openen en het projectbestand wijzigen, zonder code."
)


def _serve_web(args: argparse.Namespace) -> int:
    host, port = parse_address(args.web, "--web")
    if args.authorized_keys or args.facilitator_key:
        raise UsageError(
            "--authorized-keys en --facilitator-key horen bij --ssh; in de browser logt men in "
            "met --passcode"
        )
    if args.passcode and args.open_room:
        raise UsageError("kies --passcode of --open-room, niet allebei")
    if not args.passcode and not args.open_room and not is_loopback(host):
        raise UsageError(OPEN_ROOM_REFUSED.format(host=host, port=port))
    state = _check_state(args)
    codes = room_codes(args)
    from .room import child_env
    from .web import WebGate, make_server, print_log

    cmd = [sys.executable, "-m", "tui", "open", str(state), "--workshop"]
    if getattr(args, "pack", None):
        cmd += ["--pack", args.pack]
    if getattr(args, "lang", None):
        cmd += ["--lang", args.lang]
    if args.facilitator:
        cmd += ["--facilitator", args.facilitator]
    env = child_env()  # textual-serve hands its own environment to every session
    os.environ.clear()
    os.environ.update(env)
    gate = (
        None
        if codes is None
        else WebGate(
            codes,
            project=_project_name(state, getattr(args, "pack", None)),
            facilitator=args.facilitator,
            log=print_log,
        )
    )
    print(f"Wijkkompas-workshop in de browser: {state.name} ({state.parent})")
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    print(f"Open  http://{f'[{shown}]' if ':' in shown else shown}:{port}/  in een browser.")
    for line in code_lines(codes):
        print(line)
    if codes is not None:
        print("Wie de facilitatorcode gebruikt, krijgt de volgmodus (f): de zaal kijkt mee.")
    if is_loopback(host):
        print("Alleen bereikbaar vanaf deze computer.")
    elif codes is None:
        print(OPEN_ROOM_WARNING.format(host=host, port=port), file=sys.stderr)
    print("Stoppen met Ctrl-C.", flush=True)
    follow_file = follow_path(state)
    reset_follow(follow_file)
    try:
        make_server(cmd, host=host, port=port, gate=gate).serve()
    finally:
        reset_follow(follow_file)
    return 0


def _project_name(state: Path, pack: str | None) -> str:
    try:
        from compass.pack import load_pack
        from compass.state import load_state

        return load_state(state, load_pack(pack)).project.name or state.name
    except Exception:  # only a caption on the login page
        return state.name
