"""Workshop load over SSH: 25 sessions on one state file, via `bench/ssh_load.py`.

`measure_ssh` (written with the SSH server) starts the server on loopback and
drives the sessions; this module only turns its dict into rows. Its figures have
absolute goals from the brief (a room of 25 on one laptop), so the baseline
column stays empty for them.
"""

from __future__ import annotations

import asyncio

from .common import Row, demo_project, not_measured, value_at_most

# (figure, unit, goal text, limit, key in measure_ssh's result, factor to the unit)
# measure_ssh reports times in seconds, memory (USS) in MiB, bytes as bytes.
FIGURES = (
    (
        "SSH: eerste scherm p50 (alle deelnemers tegelijk)",
        "ms",
        "≤ 1.5 s",
        1500.0,
        "first_screen_p50",
        1000.0,
    ),
    # the issue sets the goal on the median; the slowest of 25 is shown, not judged
    (
        "SSH: eerste scherm max (alle deelnemers tegelijk)",
        "ms",
        "geen doel gesteld",
        None,
        "first_screen_max",
        1000.0,
    ),
    ("SSH: echo p95 (leestempo)", "ms", "≤ 150 ms", 150.0, "echo_p95", 1000.0),
    ("SSH: geheugen per sessie (USS)", "MiB", "≤ 25 MiB", 25.0, "mib_per_session", 1.0),
    (
        "SSH: bytes per cursorstap (pagina volgt)",
        "bytes",
        "≤ 2 KiB",
        2048.0,
        "bytes_per_cursor_move",
        1.0,
    ),
)
EXTRA = (  # reported in the notes, no goal of their own
    ("first_screen_staggered_p50", "gespreid binnenkomen p50", 1000.0, "ms"),
    ("first_screen_staggered_max", "max", 1000.0, "ms"),
    ("echo_busy_p95", "iedereen tegelijk scrollen p95", 1000.0, "ms"),
    ("pss_mib_per_session", "PSS", 1.0, "MiB"),
    ("bytes_per_quick_cursor_move", "toets ingedrukt", 1.0, "bytes"),
)


def _module():
    try:
        from bench import ssh_load
    except ImportError:
        return None
    return ssh_load if hasattr(ssh_load, "measure_ssh") else None


def measure(sessions: int) -> list[Row]:
    module = _module()
    title = f" ({sessions} sessies)"
    if module is None:
        return [
            not_measured(f + title, unit, goal, "bench/ssh_load.py (measure_ssh) bestaat nog niet")
            for f, unit, goal, *_ in FIGURES
        ]
    state = demo_project()
    if state is None:
        return [
            not_measured(f + title, unit, goal, "compass/state.py bestaat nog niet")
            for f, unit, goal, *_ in FIGURES
        ]
    try:
        result = asyncio.run(module.measure_ssh(state, sessions=sessions))
    except Exception as exc:  # report, don't hide: the other rows are still worth having
        reason = f"measure_ssh faalde: {type(exc).__name__}: {exc}"[:200]
        return [not_measured(f + title, unit, goal, reason) for f, unit, goal, *_ in FIGURES]
    extra = "; ".join(
        f"{label} {result[key] * factor:.0f} {unit}"
        for key, label, factor, unit in EXTRA
        if isinstance(result.get(key), (int, float))
    )
    rows = []
    for i, (figure, unit, goal, limit, key, factor) in enumerate(FIGURES):
        value = result.get(key)
        if not isinstance(value, (int, float)):
            rows.append(
                not_measured(
                    figure + title,
                    unit,
                    goal,
                    f"measure_ssh gaf geen {key} (sleutels: {', '.join(sorted(result))})",
                )
            )
        else:
            rows.append(
                Row(
                    figure + title,
                    value * factor,
                    unit,
                    goal=goal,
                    check=value_at_most(limit) if limit is not None else None,
                    note=extra if i == 0 else "",
                )
            )
    return rows
