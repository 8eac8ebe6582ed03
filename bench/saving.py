"""Durable locked save: latency at 90, 1,000 and 10,000 knooppunten, and concurrent writers.

Latency comes from `bench/save.py` (`measure_save`, written with the state store).
Its baseline is the floor any durable save pays on this disk: writing the same
number of bytes to a temp file, fsync, rename, fsync the directory — no YAML, no
lock. Throughput: 4 writer processes each do N `StateStore.update` calls on one
file at the same moment; the baseline is one writer alone. Afterwards the file
must hold every writer's last value, or the row says so (lost update).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import (
    BIN,
    ROOT,
    WORK,
    Row,
    bench_env,
    median,
    not_measured,
    project_file,
    state_module_available,
    value_at_most,
)

GOAL_MS_90 = 20.0
SIZES = (90, 1000, 10000)
STATUSES = ("todo", "doing", "done")


def durable_write(path: Path, data: bytes) -> None:
    """The atomic, durable write the store is required to do, without anything else."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bench-")
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def durable_write_ms(size: int, repeats: int) -> float:
    folder = Path(tempfile.mkdtemp(prefix="durable-", dir=WORK))
    data = b"x" * size
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        durable_write(folder / "state.yaml", data)
        out.append((time.perf_counter() - t) * 1000)
    return median(out)


def _save_module():
    try:
        from bench import save
    except ImportError:
        return None
    return save if hasattr(save, "measure_save") else None


BUDGET_S = 20.0  # a size whose saves would take longer than this is skipped, unless forced


def latency_rows(
    sizes: tuple[int, ...], repeats: tuple[int, ...], force: bool = False
) -> list[Row]:
    save = _save_module()
    goal90 = f"≤ {GOAL_MS_90:g} ms mediaan"
    if save is None:
        return [
            not_measured(
                f"opslaan (atomisch, met slot), {n} knooppunten, mediaan",
                "ms",
                goal90 if n == 90 else "geen doel gesteld",
                "bench/save.py (measure_save) bestaat nog niet",
            )
            for n in sizes
        ]
    per_entry = _bytes_per_entry()
    rows = []
    per_entry_ms = 0.0  # save cost per knooppunt seen so far, to foresee the next size
    for n, times in zip(sizes, repeats, strict=False):
        foreseen = per_entry_ms * n * times / 1000
        if not force and foreseen > BUDGET_S:
            rows.append(
                not_measured(
                    f"opslaan (atomisch, met slot), {n:,} knooppunten, mediaan".replace(
                        ",000", ".000"
                    ),
                    "ms",
                    "geen doel gesteld",
                    f"naar schatting {per_entry_ms * n / 1000:.0f} s per save (lineair uit de "
                    "vorige maat); past niet in de "
                    "3 minuten van `make bench`; meet met `python -m bench --only save "
                    "--save-all`",
                )
            )
            continue
        values = [v * 1000 for v in save.measure_save(n, times)]  # measure_save reports seconds
        per_entry_ms = max(per_entry_ms, median(values) / n)
        base = durable_write_ms(int(per_entry * n), max(times, 7)) if per_entry else None
        rows.append(
            Row(
                f"opslaan (atomisch, met slot), {n:,} knooppunten, mediaan".replace(",000", ".000"),
                median(values),
                "ms",
                base,
                "kale atomische schrijf, zelfde aantal bytes",
                goal90 if n == 90 else "geen doel gesteld",
                value_at_most(GOAL_MS_90) if n == 90 else None,
                f"n={len(values)}, max {max(values):.1f} ms",
            )
        )
    return rows


def _bytes_per_entry() -> float | None:
    path = project_file(None, "Bench")
    if path is None:
        return None
    from compass.pack import load_pack

    return path.stat().st_size / len(load_pack().knooppunten)


# --- concurrent writers -------------------------------------------------------------


def _writer(state: str, index: int, writers: int, count: int, go: str) -> None:
    from compass.pack import load_pack
    from compass.state import StateStore

    pack = load_pack()
    store = StateStore(Path(state), pack)
    mine = [k.slug for k in pack.knooppunten[index::writers]]
    while not os.path.exists(go):
        time.sleep(0.001)
    for i in range(count):
        store.update(mine[i % len(mine)], status=STATUSES[i % len(STATUSES)])


def _expected(pack, writers: int, count: int) -> dict[str, str]:
    want: dict[str, str] = {}
    for index in range(writers):
        mine = [k.slug for k in pack.knooppunten[index::writers]]
        for i in range(count):
            want[mine[i % len(mine)]] = STATUSES[i % len(STATUSES)]
    return want


def _run_writers(writers: int, count: int) -> tuple[float, int]:
    """(updates per second, number of lost updates) with `writers` processes at once."""
    from compass.pack import load_pack
    from compass.state import StateStore

    state = project_file(None, "Schrijvers")
    assert state is not None
    go = state.parent / "go"
    procs = [
        subprocess.Popen(
            [
                str(BIN / "python"),
                "-m",
                "bench.saving",
                "writer",
                str(state),
                str(i),
                str(writers),
                str(count),
                str(go),
            ],
            cwd=ROOT,
            env=bench_env(),
        )
        for i in range(writers)
    ]
    time.sleep(1.5)  # let every writer import and load; they wait for the go file
    start = time.perf_counter()
    go.write_text("go")
    for p in procs:
        if p.wait() != 0:
            raise RuntimeError(f"writer ended with {p.returncode}")
    elapsed = time.perf_counter() - start
    pack = load_pack()
    state_now = StateStore(state, pack).load()
    lost = sum(
        1
        for slug, status in _expected(pack, writers, count).items()
        if state_now.entry(slug).status != status
    )
    return writers * count / elapsed, lost


def writer_rows(writers: int, count: int) -> list[Row]:
    figure = f"gelijktijdige schrijvers: {writers} processen × {count} updates"
    if not state_module_available():
        return [
            not_measured(
                figure, "updates/s", "geen verloren updates", "compass/state.py bestaat nog niet"
            )
        ]
    many, lost = _run_writers(writers, count)
    one, _ = _run_writers(1, count)
    return [
        Row(
            figure,
            many,
            "updates/s",
            one,
            "1 schrijver alleen",
            "geen verloren updates",
            lambda r, lost=lost: lost == 0,
            f"{lost} verloren updates" if lost else "0 verloren updates",
        )
    ]


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "writer":
    _writer(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
