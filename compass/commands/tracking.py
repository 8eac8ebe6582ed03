"""Commands over a project's state file: new, set, status, validate."""

from __future__ import annotations

import argparse

from ..problems import ProblemsError
from .common import pack_of


def cmd_validate(args: argparse.Namespace) -> int:
    pack_of(args)  # raises with every problem of the pack
    if args.state is None:
        print("Procespakket in orde.")
        return 0
    raise ProblemsError([])


def cmd_new(args: argparse.Namespace) -> int:
    raise NotImplementedError


cmd_set = cmd_status = cmd_new
