"""`wijkkompas log` on a state file with 1,000 commits, against a bare `git log -p` of it.

Why this figure: `log` reads and checks every version of the file, and teams keep
years of history. The repository is made in one `git fast-import` (a real project
file from `new`, each commit changing one knooppunt's status and owner), so setting
up costs a second, not a thousand `git commit`s. Cold: an empty cache directory;
warm: the second call, answered from the cache. The app's `h` dialog asks for one
knooppunt's timeline in-process (`compass.gitlog.knooppunt_timeline`); after the first
call that comes from the cache keyed by HEAD, which the last row times.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from .cli import _wall
from .common import BIN, Row, bench_env, median, value_at_most

STATUSES = ("doing", "done", "stuck", "todo")


def make_history(directory: Path, commits: int) -> Path:
    """A git repository whose `wijkkompas.yaml` has `commits` commits."""
    env = bench_env()
    repo = directory / "wijk"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    state = repo / "wijkkompas.yaml"
    subprocess.run(
        [str(BIN / "wijkkompas"), "new", str(state), "--name", "Bench"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    lines = state.read_text(encoding="utf-8").split("\n")
    status_at = [i for i, line in enumerate(lines) if re.fullmatch(r"    status: \w+", line)]
    stream = bytearray()
    for n in range(commits):
        if n:
            i = status_at[(n * 7) % len(status_at)]
            lines[i] = f"    status: {STATUSES[n % len(STATUSES)]}"
            lines[i + 1] = f"    owner: persoon {n % 13}"
        body = "\n".join(lines).encode()
        message = f"wijziging {n}".encode()
        when = 1_800_000_000 + n * 3600
        stream += b"commit refs/heads/main\n"
        stream += f"author Bench <b@example.org> {when} +0100\n".encode()
        stream += f"committer Bench <b@example.org> {when} +0100\n".encode()
        stream += b"data %d\n%s\n" % (len(message), message)
        stream += b"M 100644 inline wijkkompas.yaml\ndata %d\n%s\n" % (len(body), body)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=repo, check=True)
    return state


def _dialog_ms(state: Path, cache: Path, runs: int) -> list[float]:
    """ms for the `h` dialog's call, in-process, after a first call filled the cache."""
    import time

    from compass.gitlog import knooppunt_timeline
    from compass.pack import load_pack

    old = os.environ.get("WIJKKOMPAS_CACHE_DIR")
    os.environ["WIJKKOMPAS_CACHE_DIR"] = str(cache)
    try:
        pack = load_pack()
        slug = pack.knooppunten[6].slug
        knooppunt_timeline(state, slug, pack)
        out = []
        for _ in range(max(runs, 5)):
            t = time.perf_counter()
            knooppunt_timeline(state, slug, pack)
            out.append((time.perf_counter() - t) * 1000)
        return out
    finally:
        if old is None:
            os.environ.pop("WIJKKOMPAS_CACHE_DIR", None)
        else:
            os.environ["WIJKKOMPAS_CACHE_DIR"] = old


def measure(commits: int = 1000, runs: int = 3) -> list[Row]:
    with tempfile.TemporaryDirectory() as d:
        state = make_history(Path(d), commits)
        cache = Path(d) / "cache"
        env = {**bench_env(), "WIJKKOMPAS_CACHE_DIR": str(cache)}
        log = [str(BIN / "wijkkompas"), "log", str(state)]
        bare = ["git", "-C", str(state.parent), "log", "-p", "--follow", "--", state.name]
        _wall(bare, env)
        cold, warm = [], []
        for _ in range(runs):
            for f in cache.glob("gitlog/*"):
                os.unlink(f)
            cold.append(_wall(log, env))
            warm.append(_wall(log, env))
        base = median([_wall(bare, env) for _ in range(runs)])
        dialog = _dialog_ms(state, cache, runs)
    return [
        Row(
            f"`wijkkompas log`, {commits} commits, eerste keer",
            median(cold),
            "ms",
            base,
            "`git log -p --follow` van hetzelfde bestand",
            "≤ 2 s",
            value_at_most(2000.0),
            f"mediaan van {runs}",
        ),
        Row(
            f"`wijkkompas log`, {commits} commits, tweede keer (cache)",
            median(warm),
            "ms",
            base,
            "`git log -p --follow` van hetzelfde bestand",
            note=f"mediaan van {runs}",
        ),
        Row(
            f"`h`-dialoog (geschiedenis van één knooppunt), {commits} commits, na de eerste keer",
            median(dialog),
            "ms",
            base,
            "`git log -p --follow` van hetzelfde bestand",
            "≤ 100 ms",
            value_at_most(100.0),
            f"in het proces, mediaan van {len(dialog)}; max {max(dialog):.0f} ms",
        ),
    ]
