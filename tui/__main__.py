"""`python -m tui`: the `wijkkompas` command for servers that start sessions as a command.

`serve --web` (textual-serve) starts every browser session as
`python -m tui open STATE --workshop [--facilitator NAAM]`; the hidden `--workshop`
option makes `open` run a workshop session (name and role, follow mode) instead
of the plain navigator. Everything else behaves exactly like `wijkkompas`.
"""

from __future__ import annotations

import argparse
import sys

from compass.cli import main as core_main

from .launcher import TuiHooks


class WorkshopHooks(TuiHooks):
    def open(self, args: argparse.Namespace) -> int:
        if getattr(args, "workshop", False):
            from .workshop import open_workshop

            return open_workshop(args)
        return super().open(args)


def main() -> None:
    sys.exit(core_main(ui=WorkshopHooks()))


if __name__ == "__main__":
    main()
