"""Start the navigator from the command line: `wijkkompas [STATE]` and `wijkkompas demo`."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from compass.pack import load_pack

if TYPE_CHECKING:
    import argparse


def _language(args: argparse.Namespace) -> None:
    from .i18n import set_language

    set_language(getattr(args, "lang", "nl"))


def run_app(args: argparse.Namespace, state: Path | None, *, create_if_missing: bool = True) -> int:
    # No cyclic GC until the first frame is out (the app enables it again then, see
    # WijkkompasApp.on_mount; first_paint_done freezes what is there by then): start-up
    # makes ~45,000 objects that live as long as the app and little cyclic garbage
    # (~0.15 MiB), and the young collections that walk those objects again and again
    # cost ~2% of the instructions of every start (callgrind).
    gc.disable()
    pack = load_pack(getattr(args, "pack", None))
    _language(args)
    from .app import WijkkompasApp

    app = WijkkompasApp(pack, state, create_if_missing=create_if_missing)
    app.freeze_gc = True  # this process runs this one app
    app.render_ahead = True  # and renders its pages while the user reads (tui/idle.py)
    # the user's own terminal: their own $EDITOR is theirs to run, their config theirs to keep
    app.external_editor_allowed = True
    app.personal_config = True
    if state is not None and state.exists():
        # A broken file is reported as FILE:LINE:COL before the app starts; the app keeps
        # the loaded store, so the file is parsed once, not twice, on the way to the first paint.
        app.open_state(state)
    # WIJKKOMPAS_EXIT_AFTER_PAINT=1 (start-up benchmarks) runs headless: no terminal needed.
    app.run(
        headless=app.exit_after_paint,
        size=(80, 24) if app.exit_after_paint else None,
        mouse=not getattr(args, "no_mouse", False),
    )
    return app.return_code or 0


def open_navigator(args: argparse.Namespace) -> int:
    return run_app(args, Path(args.state))


def open_demo(args: argparse.Namespace) -> int:
    from compass.state import demo_copy

    return run_app(args, demo_copy())
