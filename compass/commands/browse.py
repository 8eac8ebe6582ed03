"""Read-only commands over the pack: list, show, find."""

from __future__ import annotations

import argparse

from ..model import TRACKS
from ..problems import InvalidInput
from ..render import page_markdown
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
    k = resolve(pack, args.ref)
    if args.json:
        print_json(detail(pack, k))
    else:
        print(page_markdown(pack, k), end="")
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
