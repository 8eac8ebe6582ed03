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
import time

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
