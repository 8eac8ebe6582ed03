"""Many writers at once, and writers killed mid-save: nobody's update is lost, the file always
loads.

Real processes: the `wijkkompas` console script for `set`, and a small Python loop
using StateStore for the kill -9 test.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from compass.pack import load_pack
from compass.state import StateStore, create_state, load_state, validate_state
from tests.cli_helpers import SCRIPT, wijkkompas
from tests.fixtures.make_mini_pack import make_mini_pack

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """36 knooppunten: enough for 30 writers on different ones."""
    return make_mini_pack(tmp_path_factory.mktemp("pack36") / "pack", per_cell=3)


@pytest.fixture
def state(tmp_path: Path, pack_dir: Path) -> Path:
    path = tmp_path / "wijkkompas.yaml"
    create_state(path, load_pack(pack_dir, use_cache=False), "Drukte")
    assert (
        wijkkompas("validate", "--pack", str(pack_dir)).returncode == 0
    )  # warms the pack cache for all writers
    return path


def start_set(state: Path, pack_dir: Path, ref: str, *args: str) -> subprocess.Popen[str]:
    exe = str(SCRIPT) if SCRIPT.exists() else "wijkkompas"
    return subprocess.Popen(
        [exe, "set", str(state), ref, *args, "--pack", str(pack_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_thirty_writers_on_different_knooppunten_all_keep_their_change(
    state: Path, pack_dir: Path
) -> None:
    procs = [
        start_set(
            state,
            pack_dir,
            str(n),
            "--status",
            "done",
            "--note",
            f"door schrijver {n}\nmet een tweede regel",
            "--by",
            f"deelnemer-{n}",
        )
        for n in range(1, 31)
    ]
    results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _, _ in results), [err for _, _, err in results if err]
    pack = load_pack(pack_dir, use_cache=False)
    s = load_state(state, pack)
    for n in range(1, 31):
        e = s.entry(f"knooppunt-{n}")
        assert (e.status, e.note, e.by) == (
            "done",
            f"door schrijver {n}\nmet een tweede regel",
            f"deelnemer-{n}",
        )
    assert s.counts(pack) == {"todo": 6, "doing": 0, "done": 30, "stuck": 0, "skipped": 0}


def test_ten_writers_on_one_knooppunt_leave_one_of_their_values(
    state: Path, pack_dir: Path
) -> None:
    notes = {f"versie {i}: {'x' * (i + 1)}" for i in range(10)}
    procs = [
        start_set(state, pack_dir, "7", "--note", note, "--owner", note.split(":")[0])
        for note in sorted(notes)
    ]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    pack = load_pack(pack_dir, use_cache=False)
    assert validate_state(state, pack) == []
    e = load_state(state, pack).entry("knooppunt-7")
    assert e.note in notes and e.owner == e.note.split(":")[0]  # one writer's values, whole
    block = state.read_text(encoding="utf-8").split("  knooppunt-7:\n")[1].split("\n  # 8.")[0]
    assert block.count("note:") == 1 and block.count("owner:") == 1 and block.count("updated:") == 1


WRITER = textwrap.dedent("""
    import random, sys
    from compass.pack import load_pack
    from compass.state import StateStore
    pack = load_pack(sys.argv[2], use_cache=False)
    store = StateStore(sys.argv[1], pack, user="schrijver")
    rnd = random.Random(int(sys.argv[3]))
    print("klaar", flush=True)
    i = 0
    while True:
        i += 1
        store.update(rnd.randint(1, 36), status=rnd.choice(["todo", "doing", "done", "stuck"]),
                     note=f"ronde {i}\\n" * rnd.randint(1, 40), owner=f"eigenaar {i}")
""")


def test_writers_killed_at_random_moments_never_leave_a_broken_file(
    state: Path, pack_dir: Path, tmp_path: Path
) -> None:
    pack = load_pack(pack_dir, use_cache=False)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    rnd = random.Random(20261125)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_ in range(6):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(state), str(pack_dir), str(round_)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout.readline().strip() == "klaar", proc.stderr.read()
        time.sleep(rnd.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert validate_state(state, pack) == [], f"round {round_}"
    # the lock died with the writer, and the next save clears its half-written temp file
    store = StateStore(state, pack, user="na", lock_timeout=2)
    store.update("1", note="nog steeds te schrijven")
    assert load_state(state, pack).entry("knooppunt-1").note == "nog steeds te schrijven"
    assert sorted(p.name for p in state.parent.iterdir() if p.name.startswith(".")) == [
        f".{state.name}.lock"
    ]
