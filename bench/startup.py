"""Start-up: time to first paint and peak memory of `wijkkompas STATE`, against a bare Textual app.

Both programs run headless and exit right after their first complete paint
(`WIJKKOMPAS_EXIT_AFTER_PAINT=1` for the navigator; the baseline always does), so
the wall time from spawn to exit is "start-up to first paint" plus a teardown that
both pay alike. Runs are interleaved (navigator, baseline, navigator, ...) so a
noisy neighbour hurts both equally. Each run goes through bench/probe.py, a fresh
small wrapper process that spawns the program and reaps it with `os.wait4`, whose
rusage holds that one child's peak RSS (`ru_maxrss`) and CPU time; see probe.py
for why the wrapper is needed for honest RSS figures.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .common import BIN, ROOT, Row, bench_env, demo_project, median, not_measured, ratio_at_most

GOAL_RATIO = 1.2
TIMEOUT = 60.0  # s per run


def run_once(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall ms, CPU ms and peak RSS (MiB) of one run, through bench/probe.py; raises if it fails."""
    probe = [str(BIN / "python"), str(ROOT / "bench" / "probe.py"), str(TIMEOUT), *cmd]
    done = subprocess.run(
        probe,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT + 30,
    )
    result = json.loads(done.stdout) if done.stdout.strip() else {"exit": done.returncode}
    if done.returncode != 0 or result["exit"] != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} ended with {result['exit']}: {done.stderr.strip()[-500:]}"
        )
    return result


def navigator_command(state: Path) -> list[str]:
    return [str(BIN / "wijkkompas"), str(state)]


def baseline_command() -> list[str]:
    return [str(BIN / "python"), str(ROOT / "bench" / "minimal_app.py")]


def measure(runs: int) -> list[Row]:
    goal_t = f"≤ {GOAL_RATIO}× basislijn"
    state = demo_project()
    if state is None:
        reason = "compass/state.py (demo_copy/create_state) bestaat nog niet"
        return [
            not_measured("start-up tot eerste paint (`wijkkompas STATE`)", "ms", goal_t, reason),
            not_measured("piek-RSS bij start-up", "MiB", goal_t, reason),
        ]
    nav_env = bench_env(WIJKKOMPAS_EXIT_AFTER_PAINT="1")
    base_env = bench_env()
    nav_cmd, base_cmd = navigator_command(state), baseline_command()
    # Warm-up, not counted: fills the pack cache and the OS page cache for both.
    run_once(nav_cmd, nav_env)
    run_once(base_cmd, base_env)
    nav, base = [], []
    for _ in range(runs):
        nav.append(run_once(nav_cmd, nav_env))
        base.append(run_once(base_cmd, base_env))
    nav_t, base_t = [r["wall_ms"] for r in nav], [r["wall_ms"] for r in base]
    nav_m, base_m = [r["maxrss_mib"] for r in nav], [r["maxrss_mib"] for r in base]
    nav_c, base_c = median([r["cpu_ms"] for r in nav]), median([r["cpu_ms"] for r in base])
    note = (
        f"{runs} runs afwisselend, mediaan; max {max(nav_t):.0f} ms (basislijn {max(base_t):.0f} "
        "ms); "
        f"CPU-tijd {nav_c:.0f} ms tegen {base_c:.0f} ms ({nav_c / base_c:.2f}×)"
    )
    return [
        Row(
            "start-up tot eerste paint (`wijkkompas STATE`, demo)",
            median(nav_t),
            "ms",
            median(base_t),
            "minimale Textual-app",
            goal_t,
            ratio_at_most(GOAL_RATIO),
            note,
        ),
        Row(
            "piek-RSS bij start-up",
            median(nav_m),
            "MiB",
            median(base_m),
            "minimale Textual-app",
            goal_t,
            ratio_at_most(GOAL_RATIO),
            f"ru_maxrss per kindproces via os.wait4; mediaan; max {max(nav_m):.1f} MiB",
        ),
    ]
