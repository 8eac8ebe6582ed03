"""What every command needs: the pack, a knooppunt by reference, JSON out."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from ..model import Knooppunt, ProcessPack
from ..pack import load_pack
from ..problems import InvalidInput
from . import DEFAULT_STATE as DEFAULT_STATE  # defined there for the parser


def pack_of(args: argparse.Namespace) -> ProcessPack:
    return load_pack(getattr(args, "pack", None))


def resolve(pack: ProcessPack, ref: str) -> Knooppunt:
    """The knooppunt named by number or slug, or a one-line error with a suggestion."""
    k = pack.resolve(ref)
    if k is not None:
        return k
    hint = f"kies een nummer 1..{len(pack.knooppunten)} of een slug"
    close = difflib.get_close_matches(ref.lower(), [x.slug for x in pack.knooppunten], n=1)
    if close:
        hint = f"bedoel je '{close[0]}'?"
    shown = ref if len(ref) <= 40 else ref[:40] + "…"
    raise InvalidInput(f"onbekend knooppunt '{shown}'; {hint}")


def summary(k: Knooppunt) -> dict[str, Any]:
    return {
        "number": k.number,
        "slug": k.slug,
        "title": k.title,
        "phase": k.phase,
        "track": k.track,
        "stakeholders": list(k.stakeholders),
        "sporen": list(k.sporen),
    }


def detail(pack: ProcessPack, k: Knooppunt) -> dict[str, Any]:
    d = summary(k)
    d.update(
        doel=k.doel,
        aanpak=k.aanpak,
        tips=list(k.tips),
        bronnen=list(k.bronnen),
        praktijk=k.praktijk,
        links=[t.number for t in pack.links_of(k)],
        flags=list(k.flags),
        checked=k.checked or None,
        wetgeving=list(k.wetgeving),
    )
    return d


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
