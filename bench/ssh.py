"""Workshop load over SSH: 25 sessions on one state file, via `bench/ssh_load.py`.

`measure_ssh` (written with the SSH server) starts the server on loopback and
drives the sessions; this module only turns its dict into rows. Its figures have
absolute goals from the brief (a room of 25 on one laptop), so the baseline
column stays empty for them.
"""

from __future__ import annotations

import asyncio

from .common import Row, demo_project, not_measured, value_at_most

# (figure, unit, goal text, limit, keys measure_ssh may use for it)
FIGURES = (
    ("SSH: eerste scherm p50", "ms", "≤ 1,5 s", 1500.0, ("first_screen_p50_ms", "first_screen_p50")),
    ("SSH: eerste scherm max", "ms", "≤ 1,5 s", 1500.0, ("first_screen_max_ms", "first_screen_max")),
    ("SSH: echo p95", "ms", "≤ 150 ms", 150.0, ("echo_p95_ms", "echo_p95")),
    ("SSH: geheugen per sessie", "MiB", "≤ 25 MiB", 25.0, ("mib_per_session", "rss_mib_per_session", "memory_mib_per_session")),
    ("SSH: bytes per cursorstap", "bytes", "≤ 2 KiB", 2048.0, ("bytes_per_cursor_move", "bytes_per_move")),
)


def _module():
    try:
        from bench import ssh_load
    except ImportError:
        return None
    return ssh_load if hasattr(ssh_load, "measure_ssh") else None


def _pick(result: dict, keys: tuple[str, ...]) -> float | None:
    for key in keys:
        value = result.get(key)
        if isinstance(value, (int, float)):
            # a key without a unit suffix for a time is taken as seconds
            if key.endswith(("_p50", "_max", "_p95")) and value < 20:
                return value * 1000
            return float(value)
    return None


def measure(sessions: int) -> list[Row]:
    module = _module()
    title = f" ({sessions} sessies)"
    if module is None:
        return [not_measured(f + title, unit, goal, "bench/ssh_load.py (measure_ssh) bestaat nog niet") for f, unit, goal, _, _ in FIGURES]
    state = demo_project()
    if state is None:
        return [not_measured(f + title, unit, goal, "compass/state.py bestaat nog niet") for f, unit, goal, _, _ in FIGURES]
    try:
        result = asyncio.run(module.measure_ssh(state, sessions=sessions))
    except Exception as exc:  # report, don't hide: the other rows are still worth having
        reason = f"measure_ssh faalde: {type(exc).__name__}: {exc}"[:200]
        return [not_measured(f + title, unit, goal, reason) for f, unit, goal, _, _ in FIGURES]
    rows = []
    for figure, unit, goal, limit, keys in FIGURES:
        value = _pick(result, keys)
        if value is None:
            rows.append(not_measured(figure + title, unit, goal, f"measure_ssh gaf geen {keys[0]} (sleutels: {', '.join(sorted(result))})"))
        else:
            rows.append(Row(figure + title, value, unit, goal=goal, check=value_at_most(limit)))
    return rows
