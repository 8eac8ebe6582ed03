"""`python -m bench [--quick] [--json FILE]`: run every figure once, print one Markdown table.

The full run stays under 3 minutes on 2 cores. `--quick` is a smoke run of the
same harness with tiny sizes (a few seconds of measuring): the table has the same
rows, but its numbers say nothing about speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

from . import cli, history, keys, reading, saving, ssh, startup
from .common import WORK, Row, generated_pack, use_bench_cache

SECTIONS = ("startup", "keys", "save", "cli", "validate", "read", "log", "ssh")


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:
        textual = "?"
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu or platform.processor() or "?",
        "python": platform.python_version(),
        "textual": textual,
        "os": f"{platform.system()} {platform.release()}",
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def table(rows: list[Row]) -> str:
    lines = [
        "| figuur | waarde | basislijn | ratio | doel | gehaald |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = f"{_num(r.baseline, r.unit)} ({r.baseline_label})" if r.baseline is not None else "–"
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "–"
        value = _num(r.value, r.unit) if r.value is not None else "niet gemeten"
        figure = r.figure + (f" — {r.note}" if r.note else "")
        lines.append(f"| {figure} | {value} | {base} | {ratio} | {r.goal or '–'} | {r.met} |")
    return "\n".join(lines)


def _h(rows: list[Row]) -> float | None:
    """h, the minimal Textual app's start-up, from the start-up row of this run (if it ran)."""
    for r in rows:
        if r.figure.startswith("start-up tot eerste paint") and r.baseline:
            return r.baseline
    return None


def run(quick: bool, only: tuple[str, ...], save_all: bool = False) -> list[Row]:
    WORK.mkdir(parents=True, exist_ok=True)
    use_bench_cache()
    big = generated_pack(2 if quick else 834)
    rows: list[Row] = []
    plan = {
        "startup": lambda: startup.measure(runs=1 if quick else 7),
        "keys": lambda: keys.measure(
            [("klein", "meegeleverd", None), ("groot", "gegenereerd", big)],
            moves=2 if quick else 12,
            rounds=1 if quick else 4,
        ),
        "save": lambda: (
            saving.latency_rows(
                (90, 100, 120) if quick else saving.SIZES,
                repeats=(2, 2, 2) if quick else (9, 3, 2),
                force=save_all,
            )
            + saving.writer_rows(writers=4, count=3 if quick else 10)
        ),
        "cli": lambda: cli.measure(runs=1 if quick else 7),
        "validate": lambda: cli.measure_validate(0.2 if quick else 5.0, runs=1 if quick else 3),
        "read": lambda: reading.measure(quick),
        "ssh": lambda: ssh.measure(sessions=2 if quick else 40, h_ms=_h(rows)),
        "log": lambda: history.measure(commits=50 if quick else 1000, runs=1 if quick else 3),
    }
    for name in SECTIONS:
        if name not in only:
            continue
        start = time.perf_counter()
        rows += plan[name]()
        print(f"bench: {name} klaar in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="rookproef met kleine aantallen (de getallen zeggen niets)",
    )
    p.add_argument("--json", metavar="FILE", help="de tabel ook als JSON naar FILE schrijven")
    p.add_argument(
        "--only",
        metavar="DEEL",
        action="append",
        choices=SECTIONS,
        help="alleen dit deel (herhaalbaar)",
    )
    p.add_argument(
        "--save-all",
        action="store_true",
        help="ook opslaan bij 10.000 knooppunten meten als dat de 3 minuten overschrijdt",
    )
    args = p.parse_args(argv)
    info = machine()
    rows = run(args.quick, tuple(args.only or SECTIONS), args.save_all)
    print(
        f"Machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}, Textual "
        f"{info['textual']}, {info['date']}"
        + ("  (--quick: rookproef, geen meting)" if args.quick else "")
    )
    print()
    print(table(rows))
    if args.json:
        doc = {"machine": info, "quick": args.quick, "rows": [r.as_dict() for r in rows]}
        Path(args.json).write_text(
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
