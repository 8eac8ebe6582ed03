"""The `report` command: one state gives an "APK van de wijkaanpak", several a portfolio.

Why it is so thin: everything a report says is computed and rendered in
`compass.report`; this module only turns arguments into inputs, collects every
problem with every input file before failing (so a user fixes them all at once),
and writes the result to stdout or atomically to `-o FILE`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..model import ProcessPack
from ..output import write_output
from ..problems import InvalidInput, Problem, ProblemsError
from ..report import FORMATS, Format, SinceReport, render_report
from ..state import ProjectState
from ..text import one_line
from .common import pack_of


def report_format(fmt: str | None, output: str | None) -> Format:
    """`--format` if given; else guessed from `-o` (`.html`/`.htm` -> html); else Markdown."""
    if fmt is None:
        suffix = Path(output).suffix.lower() if output else ""
        return "html" if suffix in (".html", ".htm") else "md"
    value = fmt.strip().lower()
    if value in ("markdown",):
        value = "md"
    if value not in FORMATS:
        raise InvalidInput(f"onbekend formaat '{fmt}'; kies {' of '.join(FORMATS)}")
    return value


def report_date(text: str | None) -> dt.date:
    """The hidden `--today YYYY-MM-DD` (for reproducible reports), else today."""
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"ongeldige datum '{text}' voor --today; gebruik JJJJ-MM-DD") from None


def since_part(
    pack: ProcessPack, name: str, state: ProjectState, since: str | None
) -> SinceReport | None:
    """`--since`: the state at that point, rebuilt from git, compared with the file now."""
    if not since:
        return None
    from ..gitlog import file_log, point, state_at
    from ..report import build_since

    at = point(name, since)
    log = file_log(name, pack, name)
    if log.fallback:
        print(f"wijkkompas: {one_line(name)}: {one_line(log.fallback)}", file=sys.stderr)
        reason = log.fallback.split(";")[0]
        return SinceReport(at.label, note=f"Niet te bepalen: {reason}.")
    for u in log.unreadable:
        if at.later(u):
            print(str(u), file=sys.stderr)
    return build_since(pack, at.label, state_at(pack, log.changes, at), state)


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def cmd_report(args: argparse.Namespace) -> int:
    output = getattr(args, "output", None)
    fmt = report_format(getattr(args, "format", None), output)
    today = report_date(getattr(args, "today", None))
    if output and any(_same_file(output, name) for name in args.states):
        raise InvalidInput(
            f"-o {output} is een van de projectbestanden; kies een ander bestand voor het rapport"
        )
    pack = pack_of(args)

    from ..state import StateStore

    states = []
    problems: list[Problem] = []
    for name in args.states:  # the store reports a missing file, a folder, bad YAML, ... per file
        try:
            states.append(StateStore(name, pack).load())
        except ProblemsError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(Problem(name, None, None, f"kan niet lezen: {exc.strerror or exc}"))
    if problems:
        raise ProblemsError(problems)

    since = getattr(args, "since", None)
    parts = [since_part(pack, name, s, since) for name, s in zip(args.states, states, strict=True)]
    text = render_report(pack, states, fmt, today, parts if since else ())
    if output:
        write_output(output, text, force=getattr(args, "force", False))
        print(f"Rapport geschreven naar {output}")
    else:
        sys.stdout.write(text)
    return 0
