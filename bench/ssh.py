"""Workshop load over SSH: 40 sessions on one state file, via `bench/ssh_load.py`.

`measure_ssh` (written with the SSH server) starts the server on loopback and
drives the sessions; this module only turns its dict into rows. Times that depend
on the machine's speed have goals in h, the minimal Textual app's start-up measured
in the same run (the baseline column); echo, memory and bytes have absolute goals.
"""

from __future__ import annotations

import asyncio

from .common import Row, demo_project, not_measured, ratio_at_most, value_at_most

# (figure, unit, goal text, limit, key in measure_ssh's result, factor to the unit, in h)
# measure_ssh reports times in seconds, memory (USS) in MiB, bytes as bytes. Limits "in h"
# are multiples of h, the minimal Textual app's start-up measured in the same run.
FIGURES = (
    (
        "SSH: eerste scherm p50 (alle deelnemers tegelijk)",
        "ms",
        "≤ 2 h",
        2.0,
        "first_screen_p50",
        1000.0,
        True,
    ),
    (
        "SSH: navigator p50 na rolkeuze (iedereen tegelijk)",
        "ms",
        "≤ 3 h",
        3.0,
        "role_navigator_p50",
        1000.0,
        True,
    ),
    # the goal is on the median; the slowest is shown, not judged
    (
        "SSH: eerste scherm max (alle deelnemers tegelijk)",
        "ms",
        "geen doel gesteld",
        None,
        "first_screen_max",
        1000.0,
        False,
    ),
    # how long the facilitator waits after the start until every place has a session ready
    (
        "SSH: zaal klaar na de start (sessies vooraf gebouwd)",
        "ms",
        "geen doel gesteld",
        None,
        "room_ready",
        1000.0,
        False,
    ),
    ("SSH: echo p95 (leestempo)", "ms", "≤ 100 ms", 100.0, "echo_p95", 1000.0, False),
    (
        "SSH: echo p95 (iedereen tegelijk scrollen)",
        "ms",
        "≤ 250 ms",
        250.0,
        "echo_busy_p95",
        1000.0,
        False,
    ),
    ("SSH: geheugen per sessie (USS)", "MiB", "≤ 20 MiB", 20.0, "mib_per_session", 1.0, False),
    (
        "SSH: bytes per cursorstap (pagina volgt)",
        "bytes",
        "≤ 2 KiB",
        2048.0,
        "bytes_per_cursor_move",
        1.0,
        False,
    ),
)
EXTRA = (  # reported in the notes, no goal of their own
    ("first_screen_staggered_p50", "gespreid binnenkomen p50", 1000.0, "ms"),
    ("first_screen_staggered_max", "max", 1000.0, "ms"),
    ("role_navigator_max", "navigator na rolkeuze max", 1000.0, "ms"),
    ("pss_mib_per_session", "PSS", 1.0, "MiB"),
    ("bytes_per_quick_cursor_move", "toets ingedrukt", 1.0, "bytes"),
)


def _module():
    try:
        from bench import ssh_load
    except ImportError:
        return None
    return ssh_load if hasattr(ssh_load, "measure_ssh") else None


def minimal_app_ms(runs: int = 3) -> float:
    """h: the minimal Textual app's start-up (as in the start-up section), median of `runs`."""
    from .common import bench_env, median
    from .startup import baseline_command, run_once

    env = bench_env()
    run_once(baseline_command(), env)
    return median([run_once(baseline_command(), env)["wall_ms"] for _ in range(runs)])


def measure(sessions: int, h_ms: float | None = None) -> list[Row]:
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
    h = h_ms if h_ms is not None else minimal_app_ms()
    rows = []
    for i, (figure, unit, goal, limit, key, factor, in_h) in enumerate(FIGURES):
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
            continue
        check = None
        if limit is not None:
            check = ratio_at_most(limit) if in_h else value_at_most(limit)
        rows.append(
            Row(
                figure + title,
                value * factor,
                unit,
                h if in_h else None,
                "h: minimale Textual-app, start-up" if in_h else "",
                goal,
                check,
                note=extra if i == 0 else "",
            )
        )
    return rows
