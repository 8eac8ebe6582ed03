"""`make bench` keeps working: a tiny run of the whole harness, checked for shape, never for speed.

Timing assertions would fail on a busy CI machine and prove nothing; what can
break silently is the harness itself (a renamed widget, a changed command line,
a module that stopped returning rows). So: every row is there, every row that
can be measured has a number, and the table and the JSON agree.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Figures every run reports, by the start of their name (sizes differ under --quick).
EXPECTED = [
    "start-up tot eerste paint",
    "piek-RSS bij start-up",
    *[f"toets → frame p95, {kind}" for kind in ("cursor", "ga naar", "zoeken") for _ in (0, 1)],
    "toets → pagina klaar",
    "toets → pagina klaar",
    "opslaan (atomisch, met slot), 90 knooppunten",
    "opslaan (atomisch, met slot)",
    "opslaan (atomisch, met slot)",
    "gelijktijdige schrijvers",
    "wandtijd `wijkkompas list --json`",
    "wandtijd `wijkkompas show 12`",
    "`wijkkompas validate` van een projectbestand",
    "SSH: eerste scherm p50",
    "SSH: navigator p50 na rolkeuze",
    "SSH: eerste scherm max",
    "SSH: zaal klaar na de start",
    "SSH: echo p95 (leestempo)",
    "SSH: echo p95 (iedereen tegelijk scrollen)",
    "SSH: geheugen per sessie",
    "SSH: bytes per cursorstap",
    "`wijkkompas status` van 100 projectbestanden",
    "`wijkkompas report --format html` van 100 projectbestanden",
    "projectbestand lezen en controleren",
    "opslaan na een wijziging van een ander, 91 knooppunten",
    "opslaan na een wijziging van een ander",
    "CPU van de hele zaal voor één wijziging",
    "`wijkkompas log`",
    "`wijkkompas log`",
    "`h`-dialoog",
]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> tuple[str, dict]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "bench.json"
    env = dict(os.environ, WIJKKOMPAS_BENCH_DIR=str(tmp / "work"))
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_row_is_there_with_a_number(quick_run) -> None:
    _, doc = quick_run
    rows = doc["rows"]
    names = [r["figure"] for r in rows]
    assert len(rows) == len(EXPECTED), names
    for want in EXPECTED:
        assert any(n.startswith(want) for n in names), (want, names)
    for r in rows:
        if r["value"] is None:
            # only allowed where a part of the project is missing, and then it says so
            assert r["met"] == "niet gemeten" and r["note"].startswith("niet gemeten: "), r
            continue
        assert (
            isinstance(r["value"], (int, float)) and math.isfinite(r["value"]) and r["value"] >= 0
        ), r
        assert r["met"] in ("ja", "krap", "nee", "–"), r
        if r["baseline"] is not None:
            # the JSON rounds the ratio to 3 decimals: a small ratio (0.042) needs abs too
            assert r["baseline"] > 0 and r["ratio"] == pytest.approx(
                r["value"] / r["baseline"], rel=1e-2, abs=1e-3
            ), r


@pytest.mark.slow
def test_parts_that_exist_are_measured(quick_run) -> None:
    _, doc = quick_run
    by_start = {r["figure"].split(",")[0].split(" (")[0]: r for r in doc["rows"]}
    for name in (
        "start-up tot eerste paint",
        "piek-RSS bij start-up",
        "wandtijd `wijkkompas list --json`",
    ):
        assert by_start[name]["value"] is not None, by_start[name]
    assert all(r["value"] is not None for r in doc["rows"] if r["figure"].startswith("toets"))
    if (ROOT / "bench" / "save.py").exists():
        assert all(r["value"] is not None for r in doc["rows"] if r["figure"].startswith("opslaan"))
    if (ROOT / "bench" / "ssh_load.py").exists():
        assert all(r["value"] is not None for r in doc["rows"] if r["figure"].startswith("SSH")), [
            r["note"] for r in doc["rows"] if r["figure"].startswith("SSH")
        ]


@pytest.mark.slow
def test_table_matches_json(quick_run) -> None:
    table, doc = quick_run
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    assert lines[0].startswith("| figuur | waarde | basislijn | ratio | doel | gehaald |")
    assert len(lines) - 1 == len(doc["rows"])
    for line, row in zip(lines[1:], doc["rows"], strict=False):
        assert line.startswith(f"| {row['figure']}")
        assert line.rstrip().endswith(f"| {row['met']} |")
    assert doc["quick"] is True and doc["machine"]["nproc"]
