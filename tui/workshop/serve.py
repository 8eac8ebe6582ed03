"""`wijkkompas serve STATE --ssh|--web [HOST:]PORT`: the navigator for a workshop room.

This module checks the command line, prepares what the servers need (state
file, pack, host key, passcode) and tells the facilitator, in Dutch, how people
connect. The SSH server lives in `sshserver.py` (with `zygote.py` for the
sessions), the web server is textual-serve running `python -m tui open --workshop`.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import os
import secrets
import shlex
import socket
import sys
from pathlib import Path

from compass.problems import InvalidInput, UsageError

PASSCODE_ALPHABET = (
    "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed from a beamer
)
PASSCODE_LENGTH = 8
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


def make_passcode() -> str:
    code = "".join(secrets.choice(PASSCODE_ALPHABET) for _ in range(PASSCODE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


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


def serve(args: argparse.Namespace) -> int:
    if args.max_sessions < 1:
        raise UsageError("--max-sessions moet minstens 1 zijn")
    if args.idle_timeout < 0:
        raise UsageError("--idle-timeout moet 0 (uit) of meer seconden zijn")
    if args.ssh:
        return _serve_ssh(args)
    return _serve_web(args)


# --- SSH ------------------------------------------------------------------------------


def _serve_ssh(args: argparse.Namespace) -> int:
    host, port = parse_address(args.ssh, "--ssh")
    if not args.passcode and not args.authorized_keys:
        raise UsageError(
            "--ssh heeft een manier van inloggen nodig: --passcode (een code voor de zaal) en/of "
            "--authorized-keys BESTAND (publieke sleutels)"
        )
    if args.authorized_keys and not Path(args.authorized_keys).is_file():
        raise InvalidInput(f"{args.authorized_keys}: bestand met publieke sleutels niet gevonden")
    state = _check_state(args)
    passcode = None
    if args.passcode:
        passcode = os.environ.get("WIJKKOMPAS_PASSCODE", "").strip() or make_passcode()
    import asyncssh

    from .room import child_env
    from .ssh import SshConfig, run_ssh

    if args.authorized_keys:
        try:
            asyncssh.read_authorized_keys(args.authorized_keys)
        except (OSError, ValueError, asyncssh.KeyImportError) as exc:
            raise InvalidInput(
                f"{args.authorized_keys}: geen geldig authorized_keys-bestand ({exc})"
            ) from None
    key_path = host_key_path()
    try:
        key = load_host_key(key_path)
    except (OSError, asyncssh.KeyImportError) as exc:
        raise InvalidInput(f"{key_path}: serversleutel niet te lezen of te maken ({exc})") from None

    def listening(actual_port: int) -> None:
        _ssh_banner(args, state, host, actual_port, passcode, key.get_fingerprint("sha256"))

    cfg = SshConfig(
        state=state,
        host=host,
        port=port,
        host_key=key,
        passcode=passcode,
        authorized_keys=args.authorized_keys,
        facilitator=args.facilitator,
        max_sessions=args.max_sessions,
        idle_timeout=args.idle_timeout,
        pack=getattr(args, "pack", None),
        lang=getattr(args, "lang", "nl"),
        no_mouse=getattr(args, "no_mouse", False),
        on_listening=listening,
        env=child_env(),
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


def _ssh_banner(
    args: argparse.Namespace,
    state: Path,
    host: str,
    port: int,
    passcode: str | None,
    fingerprint: str,
) -> None:
    shown = host if not host.startswith(("0.0.0.0", "::")) and host != "" else socket.gethostname()
    shown = f"[{shown}]" if ":" in shown else shown
    lines = [
        f"Wijkkompas-workshop op {state.name} ({state.parent})",
        "",
        "Deelnemers verbinden met (NAAM = hun eigen naam, die bij hun wijzigingen komt te staan):",
        f"    ssh -p {port} NAAM@{shown}",
    ]
    if passcode:
        lines.append(f"Code om in te loggen:   {passcode}")
    if args.authorized_keys:
        lines.append(f"Inloggen met een sleutel uit {args.authorized_keys}")
    lines.append(f"Vingerafdruk van de server (ed25519): {fingerprint}")
    lines.append("    (ssh vraagt de eerste keer of deze klopt: vergelijk en antwoord yes)")
    if args.facilitator:
        lines.append(
            f"Volgmodus: {args.facilitator} drukt f om de zaal te laten meekijken, nog eens f om "
            "te "
            ""
            ""
            ""
            ""
            "stoppen."
        )
    lines.append("")
    if is_loopback(host):
        lines.append(
            "Nu alleen bereikbaar vanaf deze computer. Voor de hele zaal (op hetzelfde netwerk):"
        )
        extra = " --passcode" if passcode else ""
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
    print("\n".join(lines), flush=True)


# --- web ------------------------------------------------------------------------------


WEB_WARNING = (
    "LET OP: de webversie heeft zelf geen inlogcode of wachtwoord. Op {host}:{port} kan iedereen "
    "die\n"
    "deze computer kan bereiken de navigator openen en het projectbestand wijzigen. Zet hem achter "
    "een\n"
    "reverse proxy met authenticatie (zie docs/workshop.md), of gebruik --ssh met --passcode."
)


def _serve_web(args: argparse.Namespace) -> int:
    host, port = parse_address(args.web, "--web")
    if args.passcode or args.authorized_keys:
        raise UsageError(
            "--passcode en --authorized-keys horen bij --ssh; de webversie zet je achter een proxy "
            "met authenticatie"
        )
    state = _check_state(args)
    from .room import child_env

    cmd = [sys.executable, "-m", "tui", "open", str(state), "--workshop"]
    if getattr(args, "pack", None):
        cmd += ["--pack", args.pack]
    if getattr(args, "lang", None):
        cmd += ["--lang", args.lang]
    if args.facilitator:
        cmd += ["--facilitator", args.facilitator]
    command = shlex.join(cmd)
    env = child_env()  # textual-serve hands its own environment to every session
    os.environ.clear()
    os.environ.update(env)

    from textual_serve.server import Server

    class _WebServer(Server):
        """The page's own links follow the address the browser used (or the proxy's), not the bind
        address.

        textual-serve builds them from the bind host, so with 0.0.0.0 a browser
        elsewhere in the room would be sent to ws://0.0.0.0/... and never connect.
        """

        async def handle_index(self, request):
            proto = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
            self.public_url = f"{proto}://{request.headers.get('X-Forwarded-Host', request.host)}"
            return await super().handle_index(request)

    print(f"Wijkkompas-workshop in de browser: {state.name} ({state.parent})")
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    print(f"Open  http://{f'[{shown}]' if ':' in shown else shown}:{port}/  in een browser.")
    if is_loopback(host):
        print("Alleen bereikbaar vanaf deze computer.")
    else:
        print(WEB_WARNING.format(host=host, port=port), file=sys.stderr)
    print("Stoppen met Ctrl-C.", flush=True)
    _WebServer(command, host=host, port=port, title="Wijkkompas").serve()
    return 0
