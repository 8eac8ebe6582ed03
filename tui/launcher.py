"""The console script: the core's command line, with the terminal app plugged in.

Textual is imported only when a command opens the app, so `wijkkompas list` stays quick.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from compass.commands.parser import main as core_main

if TYPE_CHECKING:
    import argparse


class TuiHooks:
    def open(self, args: argparse.Namespace) -> int:
        if getattr(args, "workshop", False):  # a workshop session (name, role, follow mode)
            from .workshop.session import open_workshop

            return open_workshop(args)
        from .run import open_navigator

        return open_navigator(args)

    def demo(self, args: argparse.Namespace) -> int:
        from .run import open_demo

        return open_demo(args)

    def serve(self, args: argparse.Namespace) -> int:
        from .workshop.serve import serve

        return serve(args)


def main() -> None:
    sys.exit(core_main(ui=TuiHooks()))
