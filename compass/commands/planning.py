"""Commands for a team's routine: `agenda` (open work by date) and `export` (tables for others)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from typing import Any

from .. import progress
from ..model import STATUS_LABELS, is_overdue
from ..output import write_output
from ..problems import InvalidInput
from ..report.model import decision_lines
from .common import DEFAULT_STATE, pack_of, print_json


def cmd_agenda(args: argparse.Namespace) -> int:
    from ..state import load_state

    pack = pack_of(args)
    state = load_state(args.state or DEFAULT_STATE, pack)
    today = dt.date.today()
    items = progress.agenda(pack, state, today, owner=args.owner)
    if args.json:
        print_json(
            [
                {
                    "number": i.knooppunt.number,
                    "slug": i.knooppunt.slug,
                    "title": i.knooppunt.title,
                    "status": i.status,
                    "owner": i.owner or None,
                    "due": i.due.isoformat() if i.due else None,
                    "overdue": i.days_late > 0,
                }
                for i in items
            ]
        )
        return 0
    if not items:
        who = f" voor {args.owner}" if args.owner else ""
        print(f"Geen open werk met een eigenaar of streefdatum{who}.")
        return 0
    for i in items:
        when = i.due.isoformat() if i.due else "geen datum"
        late = f"  {i.days_late} dagen te laat" if i.days_late > 0 else ""
        owner = f"  ({i.owner})" if i.owner else ""
        title = i.knooppunt.title
        label = f"{i.knooppunt.number:>3}. {title}"
        if len(label) > 44:
            label = label[:43] + "…"
        print(f"{when:<10}  {STATUS_LABELS[i.status]:<11} {label}{owner}{late}"[:200])
    return 0


TABLES = ("knooppunten", "stakeholders", "besluiten")


def _rows(pack: Any, state: Any, table: str) -> list[list[str]]:
    if table == "stakeholders":
        phases = [p.number for p in pack.phases]
        rows = [["partij", *[f"fase {n}" for n in phases], "knooppunten"]]
        for sid, label in pack.stakeholders.items():
            counts = [sum(1 for k in pack.in_phase(n) if sid in k.stakeholders) for n in phases]
            numbers = " ".join(str(k.number) for k in pack.knooppunten if sid in k.stakeholders)
            rows.append([label, *(str(c) for c in counts), numbers])
        return rows
    if table == "besluiten":
        rows = [
            ["nummer", "knooppunt", "fase", "soort", "status", "eigenaar", "streefdatum", "besluit"]
        ]
        for k in pack.knooppunten:
            e = state.entry(k.slug) if state is not None else None
            decided = decision_lines(e.note) if e is not None else []
            if "raadsbesluit" not in k.flags and not decided:
                continue
            base = [
                str(k.number),
                k.title,
                str(k.phase),
                "raadsbesluit" if "raadsbesluit" in k.flags else "besluit in notitie",
                STATUS_LABELS[e.status] if e else "open",
                (e.owner if e else "") or "",
                e.due.isoformat() if e is not None and e.due else "",
            ]
            for text in decided or [""]:
                rows.append([*base, text])
        return rows
    rows = [
        [
            "nummer",
            "slug",
            "titel",
            "fase",
            "spoor",
            "sporen",
            "partijen",
            "status",
            "eigenaar",
            "streefdatum",
            "te laat",
            "notitie",
        ]
    ]
    today = dt.date.today()
    for k in pack.knooppunten:
        e = state.entry(k.slug) if state is not None else None
        rows.append(
            [
                str(k.number),
                k.slug,
                k.title,
                str(k.phase),
                k.track,
                " ".join(k.sporen),
                ", ".join(pack.stakeholders.get(s, s) for s in k.stakeholders),
                STATUS_LABELS[e.status] if e else "open",
                (e.owner if e else "") or "",
                e.due.isoformat() if e is not None and e.due else "",
                "ja" if e is not None and is_overdue(e, today) else "",
                (e.note if e else "") or "",
            ]
        )
    return rows


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")  # ';' opens right in Dutch Excel
    for row in rows:
        writer.writerow([_no_formula(cell) for cell in row])
    return out.getvalue()


def _no_formula(cell: str) -> str:
    """A cell that a spreadsheet would run as a formula is written as text instead."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def cmd_export(args: argparse.Namespace) -> int:
    from ..state import load_state

    pack = pack_of(args)
    table = (args.table or "knooppunten").strip().lower()
    if table not in TABLES:
        raise InvalidInput(f"onbekende tabel '{args.table}'; kies {', '.join(TABLES)}")
    fmt = (args.format or ("xlsx" if (args.output or "").endswith(".xlsx") else "csv")).lower()
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"onbekend formaat '{args.format}'; kies csv of xlsx")
    state = None
    if table != "stakeholders":
        state = load_state(args.state or DEFAULT_STATE, pack)
    rows = _rows(pack, state, table)
    if fmt == "xlsx":
        if not args.output:
            raise InvalidInput("xlsx gaat naar een bestand: geef -o BESTAND.xlsx")
        _write_xlsx(rows, args.output, table, force=args.force)
        print(f"{table} geschreven naar {args.output}")
        return 0
    text = _csv(rows)
    if args.output:  # a file: with a BOM, so a Dutch Excel reads it as UTF-8
        write_output(args.output, "\ufeff" + text, force=args.force)
        print(f"{table} geschreven naar {args.output}")
    else:
        print(text, end="")
    return 0


def _write_xlsx(rows: list[list[str]], path: str, title: str, *, force: bool) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    for row in rows:
        sheet.append([_no_formula(cell) for cell in row])
    sheet.freeze_panes = "A2"  # the header row stays in view
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = min(60, max(8, width + 2))
    for cell in sheet[1]:
        cell.font = cell.font.copy(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    write_output(path, buffer.getvalue(), force=force)
