"""Commands over a project's state file: new, set, status, validate.

Thin wrappers around `compass.state`: they parse and check the arguments before the
file is touched, and print one Dutch line (or a table, or JSON) for people and scripts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import progress
from ..dates import parse_date
from ..model import STATUS_LABELS, STATUSES, TRACKS, ProcessPack
from ..problems import InvalidInput, Problem, ProblemsError, UsageError
from ..progress import Item, percent_text
from ..state import ProjectState, StateStore, create_state, default_user, load_state
from .common import DEFAULT_STATE, pack_of, print_json, resolve


def cmd_validate(args: argparse.Namespace) -> int:
    pack = pack_of(args)  # raises with every problem of the pack
    if args.state is None:
        from ..pack.lint import pack_warnings

        warnings = pack_warnings(Path(pack.root)) if pack.root else []
        for warning in warnings:
            print(warning, file=sys.stderr)
        extra = f" ({len(warnings)} waarschuwingen)" if warnings else ""
        print(f"Procespakket in orde{extra}.")
        return 0
    state = load_state(args.state, pack)  # raises with every problem of the file
    c = state.counts(pack)
    print(f"{args.state} is in orde: {len(pack.knooppunten)} knooppunten, {c['done']} afgerond.")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    pack = pack_of(args)
    create_state(args.state, pack, args.name, gemeente=args.gemeente or "", wijk=args.wijk or "")
    print(
        f"{args.state} gemaakt met {len(pack.knooppunten)} knooppunten. Open het met: wijkkompas "
        f"{args.state}"
    )
    return 0


def _due_arg(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def cmd_set(args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {}
    if args.status is not None:
        fields["status"] = args.status
    if args.note is not None:
        fields["note"] = args.note
    if args.owner is not None:
        fields["owner"] = args.owner
    if args.due is not None:
        fields["due"] = _due_arg(args.due)
    if not fields:
        raise UsageError("geef minstens één van --status, --note, --owner of --due")
    where = list(args.where)
    if len(where) > 2:
        raise UsageError("gebruik: wijkkompas set [STATE] N|SLUG --status ...")
    state_path, ref = where if len(where) == 2 else [DEFAULT_STATE, where[0]]
    pack = pack_of(args)
    k = resolve(pack, ref)
    store = StateStore(state_path, pack, user=args.by if args.by is not None else default_user())
    state = store.update(k.slug, **fields)
    if not store.changed:
        print(f"{k.label}: niets veranderd, dat stond er al.")
        return 0
    e = state.entry(k.slug)
    parts = []
    if "status" in fields:
        parts.append(f"status {STATUS_LABELS[e.status]}")
    if "owner" in fields:
        parts.append(f"eigenaar {e.owner}" if e.owner else "geen eigenaar")
    if "due" in fields:
        parts.append(f"streefdatum {e.due.isoformat()}" if e.due else "geen streefdatum")
    if "note" in fields:
        parts.append("notitie bijgewerkt" if e.note else "notitie gewist")
    print(f"{k.label}: {', '.join(parts)}.")
    return 0


# --- status -------------------------------------------------------------------------------


def status_document(pack: ProcessPack, state: ProjectState) -> dict[str, Any]:
    """The `status --json` document (DESIGN.md): file status values, never Dutch labels."""
    p = state.project
    return {
        "project": {
            "name": p.name,
            "gemeente": p.gemeente,
            "wijk": p.wijk,
            "started": p.started.isoformat() if p.started else None,
        },
        "counts": state.counts(pack),
        "phases": [
            {"number": ph.number, "title": ph.title, "counts": state.counts(pack, phase=ph.number)}
            for ph in pack.phases
        ],
        "knooppunten": [
            {
                "number": k.number,
                "slug": k.slug,
                "status": (e := state.entry(k.slug)).status,
                "note": e.note,
                "owner": e.owner,
                "due": e.due.isoformat() if e.due else None,
            }
            for k in pack.knooppunten
        ],
    }


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    """Plain-text columns: the first separated by two spaces, the numbers by one (fits 80 wide)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append((cells[0] + "  " + " ".join(cells[1:])).rstrip())
    return out


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_status(pack: ProcessPack, state: ProjectState, today: dt.date) -> str:
    """Counts per phase and spoor, a total, then what is stuck and what is late."""
    p = state.project
    where = ", ".join(x for x in (p.wijk, p.gemeente) if x)
    lines = [f"{p.name or '(naamloos project)'}{f' ({where})' if where else ''}", ""]
    header = ["Fase / spoor", *(STATUS_LABELS[s] for s in STATUSES), "totaal"]
    rows = [header]

    def row(label: str, counts: dict[str, int]) -> list[str]:
        return [label, *(str(counts[s]) for s in STATUSES), str(sum(counts.values()))]

    for ph in pack.phases:
        rows.append(
            row(_shorten(f"{ph.number}. {ph.title}", 32), state.counts(pack, phase=ph.number))
        )
        for track in TRACKS:
            rows.append(row(f"   {track}", state.counts(pack, phase=ph.number, track=track)))
    rows.append(row("Totaal", state.counts(pack)))
    lines += _table(rows, right=set(range(1, len(header))))
    lines.append(f"{percent_text(state.percent_done(pack))} afgerond (n.v.t. telt niet mee)")

    def listing(title: str, items: list[Item], detail: Callable[[Item], str]) -> None:
        lines.append("")
        if not items:
            lines.append(f"{title}: geen")
            return
        lines.append(f"{title} ({len(items)}):")
        for i in items:
            bits = [i.knooppunt.label, detail(i)]
            if i.owner:
                bits.append(f"eigenaar: {i.owner}")
            lines.append("  " + " — ".join(b for b in bits if b))

    listing(
        "Vastgelopen",
        progress.stuck(pack, state),
        lambda i: _shorten(i.note.strip().split("\n")[0], 60),
    )
    listing(
        "Te laat",
        progress.overdue(pack, state, today),
        lambda i: f"streefdatum {i.due.isoformat() if i.due else ''}",
    )
    return "\n".join(lines)


def render_portfolio(pack: ProcessPack, states: list[tuple[str, ProjectState]]) -> str:
    """One row per wijk: how far along, which phase each spoor reached, how much is stuck."""
    header = ["Project", "Gemeente", "afgerond", "fase sociaal", "fase technisch", "vastgelopen"]
    rows = [header]
    for path, s in states:
        reached = progress.phase_reached(pack, s)
        name = s.project.name or path
        if s.project.wijk and s.project.wijk != name:
            name = f"{name} ({s.project.wijk})"
        rows.append(
            [
                _shorten(name, 30),
                _shorten(s.project.gemeente, 20),
                percent_text(s.percent_done(pack)),
                *(str(reached[t]) if reached[t] else "-" for t in TRACKS),
                str(len(progress.stuck(pack, s))),
            ]
        )
    return "\n".join(_table(rows, right={2, 3, 4, 5}))


def cmd_status(args: argparse.Namespace) -> int:
    pack = pack_of(args)
    loaded: list[tuple[str, ProjectState]] = []
    problems: list[Problem] = []
    for path in args.states:
        try:
            loaded.append((path, load_state(path, pack)))
        except ProblemsError as exc:
            problems.extend(exc.problems)
    if len(args.states) == 1:
        if problems:
            raise ProblemsError(problems)
        state = loaded[0][1]
        if args.json:
            print_json(status_document(pack, state))
        else:
            print(render_status(pack, state, dt.date.today()))
        return 0
    if args.json:
        print_json([status_document(pack, s) for _, s in loaded])
    elif loaded:
        print(render_portfolio(pack, loaded))
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0
