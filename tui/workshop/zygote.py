"""Fork server ("zygote") for SSH workshop sessions.

Why not one fresh `python -m tui open ...` per participant? Measured at 80x24 on
the bundled pack, a fresh interpreter with Textual, the pack, the project file
and a painted navigator costs about 45 MiB of private memory (USS) per session,
and 25 of them starting at once took 10 s on 2 cores (the goal is 25 MiB). This process
imports everything once, loads the pack, paints the navigator once headless (so
caches are filled), freezes the heap (`gc.freeze`, so the collector does not
touch and thereby copy the shared pages) and then forks one child per session.
A child starts without import or parse time and keeps about half of its pages
shared with the zygote: 24 MiB USS per session (numbers in docs/workshop.md).

The SSH server talks to this process over a SOCK_SEQPACKET socket pair, one
JSON message per packet; a new session's pty slave travels along as SCM_RIGHTS.

    server -> zygote   {"op": "spawn", "id", "user", "term", "leader", "notice"} + fd
                       | {"op": "kill", "pid"} | {"op": "stop"}
    zygote -> server   {"op": "ready"} | {"op": "spawned", "id", "pid"} | {"op": "error", "id"?,
    "message"}
                       | {"op": "exited", "pid", "status"}

The zygote is the parent of every session, so it reaps them and it alone signals
them (a pid it has not reaped cannot have been reused). When the server goes away
(EOF on the socket) every session is ended.

It also keeps spare sessions (`spare.py`, `spare_pool.py`): up to `--spares`, never
more than the free places (`--places` minus the sessions). A spawn takes the oldest
ready spare, else forks as before. The server hears how many are ready:

    zygote -> server   {"op": "spares", "ready", "target"}
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import select
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from .names import safe_term
from .spare import Arrival, take_terminal
from .spare_pool import SparePool, kill

STORE_POLL_SECONDS = 1.0
GRACE_SECONDS = 3.0  # between SIGTERM (the app exits cleanly, restoring the terminal) and SIGKILL


class Zygote:
    def __init__(self, sock: socket.socket, args: argparse.Namespace) -> None:
        self.sock = sock
        self.args = args
        self.children: dict[int, float | None] = {}  # pid -> SIGKILL deadline once asked to end
        self.pool = SparePool(self.spare_target, self._fork, self._build_spare)
        self._told: tuple[int, int] | None = None  # the spare counts last sent to the server

    # --- preparing ---------------------------------------------------------------

    def prepare(self) -> None:
        from compass.pack import load_pack

        from ..i18n import set_language

        set_language(self.args.lang)
        self.pack = load_pack(self.args.pack)
        from compass.state import StateStore

        # Parsed once here and kept fresh (see `serve`), so a new session does not
        # spend ~0.1 s of CPU on a round-trip YAML parse before its first paint.
        self.store = StateStore(Path(self.args.state), self.pack, user="-")
        self.store.load()
        from ..screens import navigator, perspective, pickers, status  # noqa: F401
        from . import session  # noqa: F401  (imports the app, its screens and Textual)

        if not self.args.no_warm:
            from ..textual_compat import share_css_parses

            share_css_parses()  # the CSS parsed by the warm-ups below serves every session
            self._warm()
            self._warm_welcome()
        gc.collect()
        gc.freeze()

    def _warm(self) -> None:
        """Paint the navigator once, headless, so every child inherits warm caches."""
        from ..app import WijkkompasApp

        try:
            app = WijkkompasApp(self.pack, Path(self.args.state), user="-", create_if_missing=False)
            app.exit_after_paint = True
            app.run(headless=True, size=(80, 24))
            # Every page rendered at the width the warm-up drew its page at, packed, so a
            # session's cursor moves only unpack them (tui/widgets/page.py, `prerender`).
            from ..widgets.page import prerender

            prerender(self.pack)
        except Exception:  # a warm-up is an optimisation, never a reason not to serve
            traceback.print_exc()

    def _warm_welcome(self) -> None:
        """Show the welcome dialog once, headless: its CSS and widgets (name field, role list)
        are then parsed and registered before the fork, not in each session's first screen."""
        from .session import WelcomeDialog, WorkshopApp

        # no name: the dialog asks it, so the name field is warmed too. A WorkshopApp itself,
        # not a subclass: Textual's CSS keys depend on the app class's depth.
        app = WorkshopApp(self.pack, Path(self.args.state), user="")
        start = app.start

        def shown() -> None:
            if isinstance(app.screen, WelcomeDialog) and app.screen.query("#roles"):
                app.call_after_refresh(app.exit)

        def start_then_exit() -> None:
            start()
            app.set_interval(0.02, shown)

        app.start = start_then_exit  # type: ignore[method-assign]
        # The app's signal handlers (SIGTERM, SIGHUP) are reset when its loop closes: keep ours.
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
        try:
            app.run(headless=True, size=(80, 24))
        except Exception:  # a warm-up is an optimisation, never a reason not to serve
            traceback.print_exc()
        finally:
            for sig, handler in handlers.items():
                if handler is not None:
                    signal.signal(sig, handler)

    # --- serving -----------------------------------------------------------------

    def send(self, msg: dict) -> None:
        try:
            self.sock.send(json.dumps(msg).encode())
        except OSError:
            pass

    def serve(self) -> None:
        self.send({"op": "ready", "pid": os.getpid()})
        next_poll = 0.0
        while True:
            lines = self.pool.sockets()
            ready, _, _ = select.select([self.sock, *lines], [], [], 0.25)
            for sock in ready:
                if sock in lines:
                    self.pool.said(lines[sock])
            ready = [sock for sock in ready if sock is self.sock]
            self.reap()
            self.pool.end_hung()
            if not self.args.no_warm:
                self.pool.refill()
            self.tell_spares()
            if time.monotonic() > next_poll:
                next_poll = time.monotonic() + STORE_POLL_SECONDS
                try:
                    self.store.poll()  # a stat when nothing changed
                except Exception:
                    pass
            if ready:
                try:
                    data, fds, _flags, _addr = socket.recv_fds(self.sock, 65536, 4)
                except OSError:
                    data, fds = b"", []
                if not data:
                    for fd in fds:
                        os.close(fd)
                    break  # the server is gone
                try:
                    msg = json.loads(data)
                except ValueError:
                    msg = {}
                if msg.get("op") == "stop":
                    break
                self.handle(msg, fds)
        self.end_all()

    def handle(self, msg: dict, fds: list[int]) -> None:
        op = msg.get("op")
        if op == "spawn" and len(fds) == 1:
            try:
                pid = self.spawn(fds[0], msg)
            except OSError as exc:
                self.send({"op": "error", "id": msg.get("id"), "message": str(exc)})
            else:
                self.children[pid] = None
                self.send({"op": "spawned", "id": msg.get("id"), "pid": pid})
            finally:
                os.close(fds[0])
            return
        for fd in fds:
            os.close(fd)
        if op == "kill":
            self.end(int(msg.get("pid", 0)))

    def spawn(self, slave: int, msg: dict) -> int:
        """A session on the pty `slave`: a spare that is ready takes it, else a fresh fork."""
        pid = self.pool.take(Arrival.from_message(json.dumps(msg).encode()).message(), slave)
        return pid if pid is not None else self._fork_session(slave, msg)

    def _fork_session(self, slave: int, msg: dict) -> int:
        def run() -> int:
            take_terminal(slave, safe_term(msg.get("term")))
            for sig in (signal.SIGCHLD, signal.SIGHUP, signal.SIGTERM):
                signal.signal(sig, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            from .session import run_session

            return run_session(
                self.pack,
                Path(self.args.state),
                user=str(msg.get("user", "")),
                facilitator=self.args.facilitator,
                leader=msg.get("leader") is True,
                notice=str(msg.get("notice", "")),
                mouse=not self.args.no_mouse,
                store=self.store,
            )

        return self._fork(run)

    def _fork(self, run: Callable[[], int]) -> int:
        """fork(); the child lets go of every socket that belongs to the zygote, runs `run` and
        ends with its exit code (1, and the traceback on stderr, if it raised)."""
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            return pid
        code = 1
        try:
            self.sock.close()
            for sock in self.pool.sockets():
                sock.close()
            code = run()
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)

    # --- spares ------------------------------------------------------------------

    def spare_target(self) -> int:
        places = getattr(self.args, "places", 0) or 0
        return max(0, min(getattr(self.args, "spares", 0) or 0, places - len(self.children)))

    def _build_spare(self, line: socket.socket) -> int:
        """In the spare's own process: build a session and wait for a participant."""
        os.setsid()  # no terminal of the server's reaches it; it gets its own on arrival
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        from .session import run_spare
        from .spare import SpareLine

        return run_spare(
            self.pack,
            Path(self.args.state),
            SpareLine(line),
            facilitator=self.args.facilitator,
            mouse=not self.args.no_mouse,
            store=self.store,
        )

    def tell_spares(self) -> None:
        counts = (self.pool.ready(), self.spare_target())
        if counts != self._told:
            self._told = counts
            self.send({"op": "spares", "ready": counts[0], "target": counts[1]})

    def end(self, pid: int) -> None:
        if pid in self.children and self.children[pid] is None:
            self.children[pid] = time.monotonic() + GRACE_SECONDS
            self._signal(pid, signal.SIGTERM)

    def reap(self) -> None:
        now = time.monotonic()
        self.pool.reap()
        for pid, deadline in list(self.children.items()):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, status = pid, 0
            if done:
                del self.children[pid]
                self.send({"op": "exited", "pid": pid, "status": os.waitstatus_to_exitcode(status)})
            elif deadline is not None and now > deadline:
                self._signal(pid, signal.SIGKILL)

    def end_all(self) -> None:
        for pid in self.pool.let_go():  # a waiting spare leaves at once
            self.children[pid] = time.monotonic() + GRACE_SECONDS
        for pid in list(self.children):
            self.end(pid)
        limit = time.monotonic() + GRACE_SECONDS + 1
        while self.children and time.monotonic() < limit:
            time.sleep(0.05)
            self.reap()
        for pid in list(self.children):
            self._signal(pid, signal.SIGKILL)
        while self.children and time.monotonic() < limit + 1:
            time.sleep(0.05)
            self.reap()

    @staticmethod
    def _signal(pid: int, sig: int) -> None:
        kill(pid, sig)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tui.workshop.zygote")
    p.add_argument("--fd", type=int, required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--pack")
    p.add_argument("--lang", default="nl")
    p.add_argument("--facilitator")
    p.add_argument("--no-mouse", action="store_true")
    p.add_argument("--no-warm", action="store_true")
    p.add_argument("--spares", type=int, default=0)
    p.add_argument("--places", type=int, default=0)
    args = p.parse_args(argv)
    sock = socket.socket(fileno=args.fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server; it stops us in order
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    z = Zygote(sock, args)
    try:
        z.prepare()
    except Exception as exc:
        z.send({"op": "error", "message": str(exc)})
        return 1
    try:
        z.serve()
    except SystemExit:
        z.end_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
