"""The report command."""

from __future__ import annotations

import argparse


def cmd_report(args: argparse.Namespace) -> int:
    raise NotImplementedError
