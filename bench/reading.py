"""Reading state files: a gemeente's portfolio at once, one file, a save after someone
else's change, and what one change costs a whole workshop room.

* **Portfolio.** `wijkkompas status` and `report --format html` of 100 state files
  (each made by `new` and changed by one `set`, as a team's repository holds them),
  against the same command on one of them. Every run gets an empty cache directory,
  so nothing read before helps: the pack is read from its files, every state file
  from its bytes. Median of `runs`, interleaved.
* **One file.** Reading and checking the bundled demo (91 knooppunten) in-process,
  `load_state`, which never consults the cache; the baseline is the general
  round-trip parser on the same bytes (`parse_document`).
* **Save after an outside change.** Before each timed save another store (a
  colleague's `wijkkompas set`, a participant) changes a different knooppunt, so the
  saving store finds bytes it has not parsed. Baseline: the bare durable write of the
  same number of bytes.
* **A room.** N processes each hold the file open in a `StateStore` and poll it as a
  session does; one change is made; the figure is the CPU time of the whole room for
  that change (the writer's save plus every session's reload), N = 25 against N = 1.
  This is the state layer of a session, not its repaint.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import BIN, ROOT, WORK, Row, bench_env, generated_pack, median, ratio_at_most
from .common import value_at_most as at_most

PORTFOLIO = 100


def _portfolio(folder: Path, count: int) -> list[Path]:
    """`count` state files as `new` + one `set` make them (the store's own code, in-process)."""
    from compass.pack import load_pack
    from compass.state import StateStore, create_state

    pack = load_pack()
    paths = []
    for i in range(count):
        path = folder / f"wijk-{i + 1:03d}.yaml"
        create_state(path, pack, f"Wijk {i + 1}", gemeente="Voorbeeld")
        StateStore(path, pack, user="bench").update(
            i % len(pack.knooppunten) + 1, status="doing", owner="Fatima", note="Gestart."
        )
        paths.append(path)
    return paths


def _wall_fresh_cache(cmd: list[str]) -> float:
    with tempfile.TemporaryDirectory(prefix="cache-", dir=WORK) as cache:
        start = time.perf_counter()
        subprocess.run(
            cmd,
            env=bench_env(WIJKKOMPAS_CACHE_DIR=cache),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        return (time.perf_counter() - start) * 1000


def portfolio_rows(runs: int) -> list[Row]:
    wk = str(BIN / "wijkkompas")
    folder = Path(tempfile.mkdtemp(prefix="portfolio-", dir=WORK))
    files = [str(p) for p in _portfolio(folder, PORTFOLIO)]
    cases = {
        "status": ([wk, "status"], []),
        "report --format html": ([wk, "report", "--format", "html", "-o", os.devnull], []),
    }
    rows = []
    for name, (cmd, _) in cases.items():
        one, many = [], []
        for _ in range(runs):
            one.append(_wall_fresh_cache([*cmd[:2], files[0], *cmd[2:]]))
            many.append(_wall_fresh_cache([*cmd[:2], *files, *cmd[2:]]))
        rows.append(
            Row(
                f"`wijkkompas {name}` van {PORTFOLIO} projectbestanden, lege cache",
                median(many),
                "ms",
                median(one),
                "hetzelfde van 1 bestand",
                "≤ 3× (1 bestand)",
                ratio_at_most(3.0),
                f"mediaan van {runs}; max {max(many):.0f} ms",
            )
        )
    return rows


def one_file_row(repeats: int) -> Row:
    from compass.pack import load_pack
    from compass.state import demo_copy, load_state
    from compass.state.check import parse_document
    from compass.state.source import read_source

    pack = load_pack()
    path = demo_copy(Path(tempfile.mkdtemp(prefix="demo-", dir=WORK)))
    load_state(path, pack)
    quick, general = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        load_state(path, pack)
        quick.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        parse_document(read_source(path, str(path)), pack, str(path))
        general.append((time.perf_counter() - t) * 1000)
    return Row(
        f"projectbestand lezen en controleren, {len(pack.knooppunten)} knooppunten, mediaan",
        median(quick),
        "ms",
        median(general),
        "de algemene round-trip-parser op dezelfde bytes",
        "≤ 5 ms",
        at_most(5.0),
        f"n={repeats}, max {max(quick):.1f} ms",
    )


def save_after_outside_change(pack_dir: Path | None, repeats: int) -> tuple[list[float], int]:
    """ms per save when, before each, another store changed a different knooppunt."""
    from compass.pack import load_pack
    from compass.state import StateStore, create_state

    pack = load_pack(pack_dir)
    path = Path(tempfile.mkdtemp(prefix="outside-", dir=WORK)) / "wijkkompas.yaml"
    create_state(path, pack, "Bench")
    mine = StateStore(path, pack, user="bench")
    mine.load()
    colleague = StateStore(path, pack, user="collega")
    total = len(pack.knooppunten)
    times = []
    for i in range(repeats):
        colleague.update((i * 7 + 3) % total + 1, status="doing" if i % 2 else "done")
        t = time.perf_counter()
        mine.update((i * 11 + 5) % total + 1, status="stuck", note=f"meting {i}\ntweede regel")
        times.append((time.perf_counter() - t) * 1000)
    return times, path.stat().st_size


def save_rows(repeats: int, per_cell: int) -> list[Row]:
    from compass.pack import load_pack

    from .saving import durable_write_ms

    rows = []
    for pack_dir, goal in ((None, 10.0), (generated_pack(per_cell), 250.0)):
        times, size = save_after_outside_change(pack_dir, repeats)
        count = f"{len(load_pack(pack_dir).knooppunten):,}".replace(",", ".")
        rows.append(
            Row(
                f"opslaan na een wijziging van een ander, {count} knooppunten, mediaan",
                median(times),
                "ms",
                durable_write_ms(size, max(repeats, 7)),
                "kale atomische schrijf, zelfde aantal bytes",
                f"≤ {goal:g} ms",
                at_most(goal),
                f"n={repeats}, max {max(times):.1f} ms",
            )
        )
    return rows


ROOM_CHILD = r"""
import json, sys, time
from compass.pack import load_pack
from compass.state import StateStore
pack = load_pack()
store = StateStore(sys.argv[1], pack, user="deelnemer")
store.load()
print("klaar", flush=True)
for _ in range(2):  # a first change (warming up, as in a room that has been at work), then one
    sys.stdin.readline()  # the change has been made
    heard_before = store.reloads["journal"]
    deadline = time.monotonic() + 10
    cpu, state = 0.0, None
    while time.monotonic() < deadline:
        t = time.process_time()
        state = store.poll()
        if state is not None:
            cpu = time.process_time() - t
            break
        time.sleep(0.01)
    heard = store.reloads["journal"] - heard_before
    print(json.dumps({"cpu": cpu, "seen": state is not None, "heard": heard}), flush=True)
"""


def _room_cpu(sessions: int) -> tuple[float, bool, int]:
    """CPU seconds of the room for one change: the writer's save plus every session's reload."""
    from compass.pack import load_pack
    from compass.state import StateStore, demo_copy

    pack = load_pack()
    path = demo_copy(Path(tempfile.mkdtemp(prefix="room-", dir=WORK)))
    env = bench_env(PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ROOM_CHILD, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(sessions)
    ]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "klaar"
        writer = StateStore(path, pack, user="schrijver")
        writer.load()
        cpu, seen, heard = 0.0, True, 0
        for change in (1, 2):  # the second change is the one measured
            time.sleep(1.1)  # past the file system's timestamp resolution of the last look
            t = time.process_time()
            writer.update(40 + change, status="doing", note=f"Besproken in de zaal ({change}).")
            cpu = time.process_time() - t
            for p in procs:
                assert p.stdin is not None
                p.stdin.write("\n")
                p.stdin.flush()
            for p in procs:
                assert p.stdout is not None
                result = json.loads(p.stdout.readline())
                cpu += result["cpu"]
                seen = seen and result["seen"]
                heard += result["heard"] if change == 2 else 0
        return cpu, seen, heard
    finally:
        for p in procs:
            p.kill()
            p.wait()


def room_row(sessions: int, repeats: int) -> Row:
    one, many, seen, heard = [], [], True, []
    for _ in range(repeats):
        c, s, _h = _room_cpu(1)
        one.append(c * 1000)
        c, s2, h = _room_cpu(sessions)
        many.append(c * 1000)
        seen = seen and s and s2
        heard.append(h)
    return Row(
        f"CPU van de hele zaal voor één wijziging, {sessions} sessies (opslaan + elke sessie "
        "herlaadt)",
        median(many),
        "ms",
        median(one),
        "hetzelfde met 1 sessie",
        "≤ 2× (1 sessie)",
        (lambda r: ratio_at_most(2.0)(r) if seen else "nee"),
        f"mediaan van {repeats}; sessies die de wijziging van de schrijver overnamen zonder "
        f"het bestand te lezen: {min(heard)} tot {max(heard)} van {sessions}"
        + ("" if seen else "; niet elke sessie zag de wijziging"),
    )


def measure(quick: bool) -> list[Row]:
    return [
        *portfolio_rows(1 if quick else 3),
        one_file_row(5 if quick else 50),
        *save_rows(2 if quick else 9, 2 if quick else 834),
        room_row(2 if quick else 25, 1 if quick else 3),
    ]
