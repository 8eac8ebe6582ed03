"""The `log` command: what moved in a wijk, per commit and knooppunt, oldest first.

Thin: the history is read and compared in `compass.gitlog`; this module picks the
part the user asked for (`--since`, `--until`, `--knooppunt`) and prints it in
Dutch, 80 columns wide, or as JSON. Everything quoted from the file or from git
goes through `compass.text` first, so no escape sequence reaches the terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any

from ..gitlog import Change, Log, file_log, only, point
from ..model import STATUS_LABELS, ProcessPack
from ..progress import role_label
from ..text import one_line
from .common import DEFAULT_STATE, pack_of, print_json, resolve

WIDTH = 80
FIELD_LABELS = {
    "status": "status",
    "owner": "eigenaar",
    "due": "streefdatum",
    "note": "notitie",
    "perspectives": "perspectief",
    "bookmark": "bladwijzer",
}


def fit(text: str, width: int = WIDTH) -> str:
    """One visible line of at most `width` characters (cut with …)."""
    line = one_line(text)
    return line if len(line) <= width else line[: width - 1] + "…"


def _value(field: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if field == "status":
        return STATUS_LABELS.get(str(value), str(value))
    return str(value)


def note_summary(old: str | None, new: str | None) -> str:
    """The first line that the new note has and the old one had not (`+`), else the first
    line that went (`−`); with how many more lines changed."""
    before = [x.strip() for x in (old or "").splitlines() if x.strip()]
    after = [x.strip() for x in (new or "").splitlines() if x.strip()]
    if not after:
        return "gewist"
    added = [x for x in after if x not in before]
    removed = [x for x in before if x not in after]
    if added:
        first, more = f"+ {added[0]}", len(added) - 1 + len(removed)
    elif removed:
        first, more = f"− {removed[0]}", len(removed) - 1
    else:
        return "regels anders geordend"
    return first + (f" (en {more} {'regel' if more == 1 else 'regels'} meer)" if more else "")


def describe(pack: ProcessPack, c: Change) -> list[str]:
    """What one change says, in Dutch: one line, or one per party for perspectives."""
    if c.field == "note":
        return [f"notitie: {note_summary(c.old, c.new)}"]
    if c.field == "bookmark":
        return ["bladwijzer gezet" if c.new else "bladwijzer weggehaald"]
    if c.field == "perspectives":
        old, new = c.old or {}, c.new or {}
        return [
            f"perspectief {role_label(pack, role)}: "
            f"{_value('status', old.get(role))} → {_value('status', new.get(role))}"
            for role in sorted(set(old) | set(new))
            if old.get(role) != new.get(role)
        ]
    if not c.commit:  # without git: only what the file says now
        return [f"laatst gewijzigd; status nu {_value('status', c.new)}"]
    label = FIELD_LABELS.get(c.field, c.field)
    return [f"{label}: {_value(c.field, c.old)} → {_value(c.field, c.new)}"]


def when(c: Change) -> str:
    from ..report.model import nl_date

    return f"{nl_date(c.date.date())} {c.date:%H:%M}"


def render_log(pack: ProcessPack, changes: Iterable[Change]) -> list[str]:
    """The changes grouped by commit (or, without git, by moment), then by knooppunt."""
    lines: list[str] = []
    group: tuple[str, str, str] | None = None
    knooppunt: tuple[str, str] | None = None
    for c in changes:
        key = (c.commit, c.date.isoformat(), c.author)
        if key != group:
            group, knooppunt = key, None
            if lines:
                lines.append("")
            head = [when(c), c.author or "onbekend"]
            if c.commit:
                head.append(c.commit[:7])
            lines.append(fit(" · ".join(head)))
        if (c.slug, c.by) != knooppunt:
            knooppunt = (c.slug, c.by)
            k = pack.by_slug(c.slug)
            title = k.label if k is not None else c.slug
            same = c.by.casefold() == c.author.casefold()
            extra = f" (door {c.by})" if c.by and c.commit and not same else ""
            lines.append(fit(f"  {title}{extra}"))
        lines.extend(fit(f"      {text}") for text in describe(pack, c))
    return lines


def cmd_log(args: argparse.Namespace) -> int:
    path = args.state or DEFAULT_STATE
    pack = pack_of(args)
    slug = resolve(pack, args.knooppunt).slug if args.knooppunt else None
    since = point(path, args.since) if args.since else None
    until = point(path, args.until) if args.until else None
    log: Log = file_log(path, pack, path)
    if log.fallback:
        print(f"wijkkompas: {one_line(path)}: {one_line(log.fallback)}", file=sys.stderr)

    def keep(c: Any) -> bool:
        if slug is not None and getattr(c, "slug", slug) != slug:
            return False
        if since is not None and not since.later(c):
            return False
        return until is None or until.not_later(c)

    log = only(log, keep)
    for u in log.unreadable:
        print(str(u), file=sys.stderr)
    if args.json:
        print_json([c.as_json() for c in log.changes])
        return 0
    span = ""
    if since is not None:
        span += f" sinds {since.label}"
    if until is not None:
        span += f" tot en met {until.label}"
    if not log.changes:
        print(fit(f"Geen wijzigingen in {path}{span}."))
        if log.uncommitted:
            print(fit("Er zijn wel wijzigingen die nog niet in git zijn vastgelegd."))
        return 0
    source = "volgens het bestand zelf" if log.fallback else "volgens git"
    print(fit(f"Wijzigingen in {path}{span}, {source}, oudste eerst:"))
    print()
    for line in render_log(pack, log.changes):
        print(line)
    if log.uncommitted:
        print()
        print(fit(f"Let op: {path} heeft wijzigingen die nog niet in git zijn vastgelegd;"))
        print("die staan hier nog niet bij.")
    return 0
