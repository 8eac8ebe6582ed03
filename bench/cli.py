"""Command-line wall time: `wijkkompas list --json` and `wijkkompas show 12` against `python -c
pass`.

These run in scripts and shell loops, so what counts is the whole process: the
interpreter, the imports, the pack (from its JSON cache, warmed first) and the
output. The baseline is the interpreter doing nothing, from the same venv, with
runs interleaved; median of at least 7 each. The brief sets no goal here: the
ratio is reported so a regression shows.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from .common import BIN, Row, bench_env, median


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return (time.perf_counter() - start) * 1000


def _big_state(directory: Path, megabytes: float) -> Path:
    """A real project file (made by `new`) grown to `megabytes` with notes of many short lines
    (the worst case per byte: every line is a token for a YAML parser)."""
    state = directory / "groot.yaml"
    subprocess.run(
        [str(BIN / "wijkkompas"), "new", str(state), "--name", "Groot"],
        env=bench_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    text = state.read_text(encoding="utf-8")
    entries = text.count("    note: ''")
    per_note = int(megabytes * 1_000_000 / max(entries, 1))
    line = "      Actie: bellen."
    lines = "\n".join([line] * max(1, per_note // (len(line) + 1)))
    state.write_text(text.replace("    note: ''", "    note: |-\n" + lines), encoding="utf-8")
    return state


def measure_validate(megabytes: float = 5.0, runs: int = 3) -> list[Row]:
    """`wijkkompas validate` of a large file, against reading the same bytes in Python."""
    env = bench_env()
    with tempfile.TemporaryDirectory() as d:
        state = _big_state(Path(d), megabytes)
        size = state.stat().st_size / 1_000_000
        cmd = [str(BIN / "wijkkompas"), "validate", str(state)]
        read = [str(BIN / "python"), "-c", f"open({str(state)!r}, 'rb').read().decode()"]
        _wall(read, env)
        times = [_wall(cmd, env) for _ in range(runs)]
        base = median([_wall(read, env) for _ in range(runs)])
    return [
        Row(
            f"`wijkkompas validate` van een projectbestand van {size:.1f} MB, korte regels",
            median(times),
            "ms",
            base,
            "dezelfde bytes inlezen (`python -c`)",
            "≤ 3 s",
            lambda r: r.value is not None and r.value <= 3000,
            f"mediaan van {runs}; max {max(times):.0f} ms",
        )
    ]


def measure(runs: int) -> list[Row]:
    env = bench_env()
    wk = str(BIN / "wijkkompas")
    cases = {
        "`wijkkompas list --json`": [wk, "list", "--json"],
        "`wijkkompas show 12`": [wk, "show", "12"],
    }
    base_cmd = [str(BIN / "python"), "-c", "pass"]
    for cmd in cases.values():  # warm the pack cache and the page cache
        _wall(cmd, env)
    _wall(base_cmd, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    base: list[float] = []
    for _ in range(runs):
        for name, cmd in cases.items():
            times[name].append(_wall(cmd, env))
        base.append(_wall(base_cmd, env))
    b = median(base)
    return [
        Row(
            f"wandtijd {name}",
            median(v),
            "ms",
            b,
            "`python -c pass`",
            "geen doel gesteld",
            None,
            f"mediaan van {runs}; max {max(v):.0f} ms",
        )
        for name, v in times.items()
    ]
