"""The workshop in the browser: textual-serve behind the same codes as the SSH room.

With `--passcode` every route of textual-serve (the page, the websocket that
starts an app process, the static files, downloads) sits behind an aiohttp
middleware that wants a session cookie. The cookie is a random token the server
hands out after a correct code on a small login page (plain Dutch HTML, nothing
loaded from elsewhere); it is HttpOnly and SameSite=Strict, and the server keeps
what it means (name, facilitator or not). Without it there is only the login
page: no app process starts. A wrong code is answered later each time
(`throttle.py`) and logged on the console.

Each browser session is `python -m tui open STATE --workshop --user NAME`, with
`--leader` only for a visitor who gave the facilitator's code. Without
`--passcode` (loopback, or `--open-room`) there is no login page and the app asks
for a name itself.
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
import shlex
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from compass.text import one_line

from .names import clean_name, unique_name
from .throttle import LoginThrottle
from .trust import Codes, Role

COOKIE = "wijkkompas_sessie"
LOGIN_PATH = "/login"
TOKEN_HOURS = 12


@dataclass(frozen=True)
class Visitor:
    name: str
    leader: bool
    since: float = field(default_factory=time.monotonic)


def page(title: str, body: str) -> str:
    """A whole page: Dutch, readable on a phone and a beamer, no external assets."""
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f1ea; color: #222; margin: 0; }}
main {{ max-width: 26rem; margin: 10vh auto; background: #fff; padding: 2rem;
        border-radius: .5rem; box-shadow: 0 1px 4px #0002; }}
h1 {{ font-size: 1.4rem; margin-top: 0; }}
label {{ display: block; margin-top: 1rem; font-weight: 600; }}
input {{ font-size: 1.1rem; width: 100%; box-sizing: border-box; padding: .5rem;
         margin-top: .3rem; }}
button, a.knop {{ margin-top: 1.5rem; font-size: 1.1rem; padding: .6rem 1.2rem;
         background: #2d6a4f; color: #fff; border: 0; border-radius: .3rem;
         text-decoration: none; display: inline-block; }}
.melding {{ background: #fff3cd; border-left: 4px solid #c9a227; padding: .6rem; }}
</style></head>
<body><main>
{body}
</main></body></html>
"""


def login_page(project: str, message: str = "", name: str = "") -> str:
    note = f'<p class="melding" role="alert">{html.escape(message)}</p>' if message else ""
    return page(
        "Wijkkompas-workshop: inloggen",
        f"""<h1>Wijkkompas-workshop</h1>
<p>{html.escape(project)}</p>
{note}
<form method="post" action="{LOGIN_PATH}">
<label for="naam">Je naam (komt bij je wijzigingen te staan)</label>
<input id="naam" name="naam" maxlength="32" autocomplete="name"
  value="{html.escape(name)}" required>
<label for="code">Code van de workshop (staat op het scherm of krijg je van de facilitator)</label>
<input id="code" name="code" autocomplete="off" autocapitalize="none" spellcheck="false" required>
<button type="submit">Meedoen</button>
</form>""",
    )


def renamed_page(wanted: str, name: str, facilitator: bool) -> str:
    why = "hoort bij de facilitator" if facilitator else "is al in gebruik in de zaal"
    return page(
        "Wijkkompas-workshop",
        f"""<h1>Welkom, {html.escape(name)}</h1>
<p class="melding">De naam '{html.escape(wanted)}' {why}. Je doet mee als
<strong>{html.escape(name)}</strong>.</p>
<a class="knop" href="/">Verder naar de workshop</a>""",
    )


class WebGate:
    """Who may in: codes checked (throttled), cookies handed out, names given by the room."""

    def __init__(
        self,
        codes: Codes,
        *,
        project: str,
        facilitator: str | None,
        log: Callable[[str], None],
    ) -> None:
        self.codes = codes
        self.project = project
        self.facilitator = facilitator or ""
        self.log = log
        self.throttle = LoginThrottle()
        self.visitors: dict[str, Visitor] = {}

    def visitor(self, request: web.Request) -> Visitor | None:
        token = request.cookies.get(COOKIE, "")
        found = self.visitors.get(token) if token else None
        if found is not None and time.monotonic() - found.since > TOKEN_HOURS * 3600:
            self.visitors.pop(token, None)
            return None
        return found

    def claim_name(self, wanted: str, role: Role) -> str:
        taken = {v.name.casefold() for v in self.visitors.values() if not v.leader}
        if role is Role.FACILITATOR:
            return unique_name(self.facilitator or wanted, taken)
        taken |= {v.name.casefold() for v in self.visitors.values()}
        if self.facilitator:
            taken.add(self.facilitator.casefold())
        return unique_name(wanted, taken)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Everything but the login page wants the cookie; without it no app ever starts."""
        if request.path == LOGIN_PATH:
            return await handler(request)
        if self.visitor(request) is None:
            if request.method == "GET" and request.path == "/":
                raise web.HTTPSeeOther(LOGIN_PATH)
            raise web.HTTPForbidden(text="Eerst inloggen op /login")
        return await handler(request)

    async def show_login(self, request: web.Request) -> web.Response:
        return self._html(login_page(self.project))

    async def login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        wanted = clean_name(str(form.get("naam", ""))) or "deelnemer"
        typed = str(form.get("code", ""))
        address = request.remote or "?"
        if not self.throttle.may_check(address):
            wait = self.throttle.retry_after(address)
            if self.throttle.log_refusal(address):
                self.log(
                    f"web: code niet bekeken, te veel foute pogingen vanaf {address} "
                    f"(naam '{wanted}'; weer mogelijk over {wait:.0f} s)"
                )
            return self._html(
                login_page(
                    self.project,
                    f"Te veel foute pogingen vanaf dit adres. Probeer het over {wait:.0f} "
                    "seconden opnieuw.",
                    wanted,
                ),
                status=429,
            )
        role = self.codes.role_for(typed)
        if role is None:
            n = self.throttle.failures(address) + 1
            self.log(f"web: foute code vanaf {address} (naam '{wanted}', poging {n})")
            await self.throttle.wrong(address)
            return self._html(
                login_page(
                    self.project,
                    "Die code klopt niet. Kijk nog eens op het scherm of vraag de facilitator.",
                    wanted,
                ),
                status=403,
            )
        name = self.claim_name(wanted, role)
        token = secrets.token_urlsafe(32)
        self.visitors[token] = Visitor(name, role is Role.FACILITATOR)
        self.log(
            f"web: binnen: {name}"
            + (" (facilitator)" if role is Role.FACILITATOR else "")
            + (f", vroeg om '{wanted}'" if name != wanted else "")
            + f" vanaf {address}"
        )
        if name != wanted and role is Role.PARTICIPANT:
            response: web.StreamResponse = self._html(
                renamed_page(wanted, name, wanted.casefold() == self.facilitator.casefold())
            )
        else:
            response = web.HTTPSeeOther("/")
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="Strict",
            path="/",
            secure=request.secure,
            max_age=TOKEN_HOURS * 3600,
        )
        return response

    @staticmethod
    def _html(text: str, status: int = 200) -> web.Response:
        return web.Response(
            text=text,
            status=status,
            content_type="text/html",
            headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
        )


def make_server(
    command: list[str],
    *,
    host: str,
    port: int,
    gate: WebGate | None,
) -> Any:
    """A textual-serve Server whose routes sit behind `gate` (when there is one)."""
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, log, to_int

    class WorkshopWebServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            if gate is not None:
                app.middlewares.insert(0, gate.middleware)
                app.router.add_get(LOGIN_PATH, gate.show_login)
                app.router.add_post(LOGIN_PATH, gate.login)
            return app

        async def on_startup(self, app: web.Application) -> None:
            """No logo and no English lines on the facilitator's console."""

        def initialize_logging(self) -> None:
            """Log lines as plain text with control characters made visible: a request's
            path or headers come from anyone on the network and must not reach the terminal
            raw. Every single request is not worth a line (the gate logs logins)."""
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(VisibleFormatter("%(asctime)s %(message)s", "%H:%M:%S"))
            logging.basicConfig(level="INFO", handlers=[handler], force=True)
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def handle_index(self, request: web.Request) -> Any:
            """The page's own links follow the address the browser used (or the proxy's).

            textual-serve builds them from the bind host, so with 0.0.0.0 a browser
            elsewhere in the room would be sent to ws://0.0.0.0/... and never connect.
            """
            proto = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
            self.public_url = f"{proto}://{request.headers.get('X-Forwarded-Host', request.host)}"
            return await super().handle_index(request)

        def command_for(self, request: web.Request) -> str:
            visitor = gate.visitor(request) if gate is not None else None
            if visitor is None:
                return shlex.join(command)
            return shlex.join(
                [*command, "--user", visitor.name, *(["--leader"] if visitor.leader else [])]
            )

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's own handler, with the command of this visitor (name, role)."""
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = AppService(
                    self.command_for(request),
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,  # type: ignore[arg-type]  # as textual-serve does
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.exception(error)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

    return WorkshopWebServer(shlex.join(command), host=host, port=port, title="Wijkkompas")


class VisibleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))


def print_log(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {one_line(line)}", flush=True)
