"""Read-only commands over the pack: list, show, find."""

from __future__ import annotations

import argparse
from typing import Any

from ..model import SPOREN, STATUS_LABELS, TRACKS, Knooppunt, ProcessPack
from ..problems import InvalidInput
from ..progress import views
from ..render import law_markdown, page_markdown
from ..search import SearchIndex
from .common import detail, pack_of, print_json, resolve, summary


def cmd_list(args: argparse.Namespace) -> int:
    pack = pack_of(args)
    items = list(pack.knooppunten)
    if args.phase is not None:
        if not 1 <= args.phase <= len(pack.phases):
            raise InvalidInput(f"onbekende fase {args.phase}; kies 1..{len(pack.phases)}")
        items = [k for k in items if k.phase == args.phase]
    if args.track is not None:
        track = args.track.strip().lower()
        track = {"sociaal-maatschappelijk": "sociaal", "technisch-financieel": "technisch"}.get(
            track, track
        )
        if track not in TRACKS:
            raise InvalidInput(f"onbekend spoor '{args.track}'; kies sociaal of technisch")
        items = [k for k in items if k.track == track]
    if getattr(args, "spoor", None) is not None:
        letter = args.spoor.strip().upper()
        if letter not in SPOREN:
            raise InvalidInput(f"onbekend spoor '{args.spoor}'; kies een letter A..F")
        items = [k for k in items if letter in k.sporen]
    if args.stakeholder is not None:
        sid = pack.stakeholder_id(args.stakeholder)
        if sid is None:
            raise InvalidInput(
                f"onbekende partij '{args.stakeholder}'; kies uit: {', '.join(pack.stakeholders)}"
            )
        items = [k for k in items if sid in k.stakeholders]
    if args.json:
        print_json([summary(k) for k in items])
        return 0
    current = None
    for k in items:
        if k.phase != current:
            current = k.phase
            phase = pack.phase(k.phase)
            print(f"\nFase {k.phase}: {phase.title if phase else ''}")
        print(f"  {k.number:>3}  {'S' if k.track == 'sociaal' else 'T'}  {k.title}")
    if not items:
        print("Geen knooppunten gevonden.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    pack = pack_of(args)
    if args.ref.strip().lower() in LAW_NAMES:
        return _show_law(pack, args.json)
    k = resolve(pack, args.ref)
    record = _record(pack, k, args.state) if getattr(args, "state", None) else None
    if args.json:
        d = detail(pack, k)
        if record is not None:
            d["project"] = record
        print_json(d)
        return 0
    page = page_markdown(pack, k)
    if record is not None:
        title, _, rest = page.partition("\n\n")
        page = f"{title}\n\n{_record_markdown(pack, record)}\n\n{rest}"
    print(page, end="")
    return 0


def _record(pack: ProcessPack, k: Knooppunt, state_path: str) -> dict[str, Any]:
    """What the project recorded for `k`: status, owner, due (and whether late), note, views."""
    import datetime as dt

    from ..model import is_overdue
    from ..state import load_state

    state = load_state(state_path, pack)
    e = state.entry(k.slug)
    return {
        "name": state.project.name,
        "status": e.status,
        "owner": e.owner or None,
        "due": e.due.isoformat() if e.due else None,
        "overdue": is_overdue(e, dt.date.today()),
        "note": e.note,
        "perspectives": dict(e.perspectives),
    }


def _record_markdown(pack: ProcessPack, r: dict[str, Any]) -> str:
    bits = [f"**{STATUS_LABELS[r['status']]}**"]
    if r["owner"]:
        bits.append(f"eigenaar: {r['owner']}")
    if r["due"]:
        bits.append(f"streefdatum: {r['due']}" + (" (te laat)" if r["overdue"] else ""))
    lines = [f"**Stand in {r['name'] or 'dit project'}:** " + " · ".join(bits)]
    for view in views(pack, r["perspectives"]):
        lines.append(f"- {view.label}: {view.status_label}")
    if r["note"]:
        lines.append("")
        lines += [f"> {line}" if line else ">" for line in r["note"].splitlines()]
    return "\n".join(lines)


LAW_NAMES = ("wetgeving", "wet-en-regelgeving", "wetten")


def _show_law(pack: ProcessPack, as_json: bool) -> int:
    if pack.law is None:
        raise InvalidInput("dit procespakket heeft geen pagina wet- en regelgeving (wetgeving.md)")
    law = pack.law
    if as_json:
        print_json(
            {
                "title": law.title,
                "checked": law.checked,
                "intro": law.intro,
                "topics": [{"id": t.id, "title": t.title, "body": t.body} for t in law.topics],
                "knooppunten": {
                    t.id: [k.number for k in pack.knooppunten if t.id in k.wetgeving]
                    for t in law.topics
                },
            }
        )
    else:
        print(law_markdown(law), end="")
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    pack = pack_of(args)
    query = " ".join(args.query)
    hits = SearchIndex(pack).search(query, limit=max(1, args.limit))
    if args.json:
        print_json([summary(h.knooppunt) for h in hits])
        return 0
    if not hits:
        print(f"Niets gevonden voor '{query}'.")
        return 0
    for h in hits:
        k = h.knooppunt
        print(f"{k.number:>3}  fase {k.phase}  {k.title}  ({h.where})")
    return 0
